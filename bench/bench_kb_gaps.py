"""KB gap discovery: topic fit time, refit stability, outliers and planted topics.

Generates ``--days`` x ``--per-day`` synthetic conversations with the two planted
unanswered topics (pipelines.synth.planted), takes each conversation's first customer
message (raw generator text: this bench does not run the scrubber, whose
placeholders the vectorizer drops anyway), then:

1. fits topics on the whole range (timed, wall and CPU);
2. refits on the range shifted by one day, seeded with the first fit's topics
   (a nightly refit), and reports the adjusted Rand index over the conversations both
   fits assign to a topic, the same including outliers as a class, and the share of
   conversations that keep their topic id;
3. reports the outlier share and, per planted topic, the share of its conversations
   in its main topic, and the issue's target: the rank of the first of the top 5
   gaps of the 28-day window (``mart_kb_gaps`` rows against the demo KB) whose
   ``example_conversation_ids`` are mostly planted, with that share (>= 80%);
4. times the nightly gap discovery (topic fit, coverage against the demo KB, the
   7- and 28-day gap rows; ``resolved`` is the generator's ground truth) on half of
   the window, all of it, and the window copied ``--replicate`` times with new ids
   (more rows, same texts), prints how the time grew, and EXTRAPOLATES linearly from
   the largest run to ``--target`` conversations (the issue's 28 days x 100k = 2.8M,
   2 minutes), labelled as such. Not measured here: reading the openings from
   ``scrubbed.events`` in DuckDB, which the asset does before the fit.

Run: ``.venv/bin/python bench/bench_kb_gaps.py [--days 28] [--per-day 5000] [--seed 7]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.knowledge.article import Article  # noqa: E402
from pipelines.knowledge.demo import DEMO_KB  # noqa: E402
from pipelines.knowledge.gaps import coverage, gap_rows  # noqa: E402
from pipelines.knowledge.sources import load_kb  # noqa: E402
from pipelines.knowledge.topics import fit_topics  # noqa: E402
from pipelines.synth import generate, read_truth  # noqa: E402
from pipelines.synth.planted import PLANTED_TOPICS  # noqa: E402


def openings(landing: Path) -> pd.DataFrame:
    rows = []
    for path in sorted(landing.rglob("*.jsonl")):
        with path.open() as lines:
            for line in lines:
                conversation = json.loads(line)
                text = next(
                    (
                        e["text"]
                        for e in conversation["events"]
                        if e["actor"] == "customer" and e["event_type"] == "message"
                    ),
                    None,
                )
                if text:
                    started = datetime.fromisoformat(conversation["started_at"]).astimezone(UTC)
                    rows.append(
                        (
                            conversation["conversation_id"],
                            text,
                            conversation["intent"],
                            conversation["locale"],
                            started.date(),
                        )
                    )
    return pd.DataFrame(
        rows, columns=["conversation_id", "text", "intent", "locale", "conversation_date"]
    )


def planted_target(gaps: pd.DataFrame, intents: pd.Series, name: str) -> str:
    """The issue's target for one planted topic: among the top 5 gaps of the 28-day
    window (``gaps``: its is_gap rows, ranked) with >= 80% of the gap row's
    ``example_conversation_ids`` from the planted topic (``intents``: by conversation)."""
    for rank, gap in gaps.head(5).reset_index(drop=True).iterrows():
        examples = json.loads(gap["example_conversation_ids"])
        share = sum(intents.get(e) == name for e in examples) / max(len(examples), 1)
        if share >= 0.5:
            return (
                f"  {name}: gap #{rank + 1} of the 28-day window ({gap['label']}, "
                f"{gap['conversations']:,} conversations, {gap['resolution_rate']:.1%} "
                f"resolved): {share:.0%} of its {len(examples)} examples planted "
                f"(target >= 80% in the top 5: {'met' if share >= 0.8 else 'MISSED'})"
            )
    return f"  {name}: not among the top 5 gaps with a majority of planted examples (MISSED)"


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def discover(
    window: pd.DataFrame, outcomes: pd.DataFrame, articles: list[Article], as_of: date
) -> pd.DataFrame:
    """What the nightly gap discovery computes after reading the openings: the topic
    fit, each topic's coverage by the KB, and the 7- and 28-day gap rows."""
    fit = fit_topics(window)
    covered = coverage(fit.topics, articles)
    scored = outcomes.merge(fit.assignments, on="conversation_id")
    return gap_rows(scored, fit.topics, covered, {}, as_of)


def replicated(frame: pd.DataFrame, times: int) -> pd.DataFrame:
    """``frame`` ``times`` over with new conversation ids: more rows, same texts."""
    copies = [
        frame.assign(conversation_id=frame["conversation_id"] + f"-r{i}") for i in range(times)
    ]
    return pd.concat(copies, ignore_index=True)


def speed(
    window: pd.DataFrame,
    outcomes: pd.DataFrame,
    as_of: date,
    target: int,
    seed: int,
    replicate: int,
) -> None:
    articles = load_kb([DEMO_KB]).articles
    runs = {
        "half of the window": (window.sample(frac=0.5, random_state=seed), outcomes),
        "the window": (window, outcomes),
        f"the window x{replicate} (new ids, same texts)": (
            replicated(window, replicate),
            replicated(outcomes, replicate),
        ),
    }
    measured = []
    for name, (part, part_outcomes) in runs.items():
        rows, wall, cpu = timed(discover, part, part_outcomes, articles, as_of)
        measured.append((len(part), part["text"].nunique(), wall, cpu))
        print(
            f"gap discovery on {name}: {len(part):,} conversations, {part['text'].nunique():,} "
            f"distinct openings: {wall:.1f} s wall, {cpu:.1f} s CPU, {len(rows)} gap rows (measured)"
        )
    (n1, d1, _, c1), (n2, d2, _, c2), (n3, _, w3, c3) = measured
    print(
        f"measured growth: conversations x{n2 / n1:.1f} with distinct openings x{d2 / d1:.1f} "
        f"-> CPU x{c2 / c1:.2f}; conversations x{n3 / n2:.0f} with the same openings -> "
        f"CPU x{c3 / c2:.2f}"
    )
    print(
        f"EXTRAPOLATED, not measured: {target:,} conversations, scaling the largest run "
        f"linearly: ~{w3 * target / n3:.0f} s wall / ~{c3 * target / n3:.0f} s CPU "
        "(target 120 s wall). Linear is pessimistic where the growth above is sublinear, "
        "optimistic if real openings repeat less than the generator's "
        f"({d2 / n2:.0%} distinct here); the DuckDB read of the openings is not included."
    )


# Words customers add around the same question; a copy of an opening with one of
# them is a new distinct text in the same topic, as real openings vary.
FILLERS = (
    "please", "pls", "help", "asap", "thanks", "thank you", "hi", "hello", "hey", "urgent",
    "again", "still", "now", "today", "??", "!!", "ok", "so", "anyone", "help me",
    "plz", "ty", "quick question", "hello?", "seriously", "why", "idk", "any help",
    "thx", "hi there", "good morning", "good evening", "sorry", "um", "btw", "fyi",
    "anyway", "honestly", "really", "just",
)  # fmt: skip


def scaled(frame: pd.DataFrame, size: int, distinct_share: float, seed: int) -> pd.DataFrame:
    """``size`` conversations from ``frame``: copies with new ids, where a share of the
    copies' openings get a filler word before or after, so that about
    ``distinct_share`` of all openings are distinct texts (more distinct texts, more
    fit work: the fit runs on distinct openings)."""
    rng = np.random.default_rng(seed)
    copies = -(-size // len(frame))
    big = replicated(frame, copies).head(size).copy()
    wanted = max(0.0, distinct_share * size - frame["text"].nunique())
    varied = rng.random(size) < min(1.0, wanted / max(size - len(frame), 1))
    varied[: len(frame)] = False  # the first copy is the generator's own text
    fillers = np.array(FILLERS)[rng.integers(0, len(FILLERS), varied.sum())]
    before = rng.random(varied.sum()) < 0.5
    texts = big.loc[varied, "text"].to_numpy()
    big.loc[varied, "text"] = np.where(
        before,
        np.char.add(np.char.add(fillers, " "), texts.astype(str)),
        np.char.add(np.char.add(texts.astype(str), " "), fillers),
    )
    return big


def full_size(
    window: pd.DataFrame,
    outcomes: pd.DataFrame,
    as_of: date,
    size: int,
    distinct_share: float,
    seed: int,
) -> None:
    """Times the gap discovery on ``size`` conversations (measured, not extrapolated)."""
    big = scaled(window, size, distinct_share, seed)
    big_outcomes = replicated(outcomes, -(-size // len(window)))
    big_outcomes = big_outcomes[big_outcomes["conversation_id"].isin(big["conversation_id"])]
    articles = load_kb([DEMO_KB]).articles
    load_before = os.getloadavg()
    rows, wall, cpu = timed(discover, big, big_outcomes, articles, as_of)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"FULL SIZE, measured: gap discovery on {len(big):,} conversations "
        f"({big['text'].nunique():,} distinct openings, {big['text'].nunique() / len(big):.0%}): "
        f"{wall:.1f} s wall, {cpu:.1f} s CPU, {len(rows)} gap rows; peak RSS {peak:,.0f} MB; "
        f"load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after "
        "(target 120 s wall; the DuckDB read of the openings is not included)"
    )
    intents = big.set_index("conversation_id")["intent"]
    gaps = rows[(rows["window_days"] == 28) & rows["is_gap"]]
    for planted in PLANTED_TOPICS:
        print(planted_target(gaps, intents, planted.name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--per-day", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--target", type=int, default=2_800_000, help="conversations to extrapolate to"
    )
    parser.add_argument(
        "--replicate", type=int, default=4, help="copies of the window for the per-row timing"
    )
    parser.add_argument(
        "--full-size",
        type=int,
        default=0,
        help="also time the gap discovery on this many conversations (copies of the "
        "window with filler words), measured",
    )
    parser.add_argument(
        "--distinct-share",
        type=float,
        default=0.5,
        help="share of distinct openings in the --full-size run",
    )
    args = parser.parse_args()
    start = date(2026, 3, 1)
    end = start + timedelta(days=args.days)  # one extra day for the shifted refit
    with tempfile.TemporaryDirectory(prefix="bench-kb-gaps-") as folder:
        root = Path(folder)
        generate(
            start,
            end,
            args.per_day,
            args.seed,
            root / "landing",
            root / "truth",
            planted=PLANTED_TOPICS,
        )
        frame = openings(root / "landing")
        outcomes = pd.DataFrame(
            [
                (t["conversation_id"], date.fromisoformat(t["partition_date"]), t["truly_resolved"])
                for t in read_truth(root / "truth")
            ],
            columns=["conversation_id", "conversation_date", "resolved"],
        )
    first_window = frame[frame["conversation_date"] < end]
    second_window = frame[frame["conversation_date"] > start]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{len(first_window):,} conversations ({first_window['text'].nunique():,} distinct "
        f"opening texts) over {args.days} days"
    )
    first, wall, cpu = timed(fit_topics, first_window)
    print(
        f"first fit: {wall:.1f} s wall, {cpu:.1f} s CPU; k={first.k}, {len(first.topics)} topics, "
        f"outliers {first.outlier_share:.1%}"
    )
    second, wall, cpu = timed(fit_topics, second_window, first.topics)
    print(
        f"refit (window shifted one day): {wall:.1f} s wall, {cpu:.1f} s CPU; "
        f"{len(second.topics)} topics, outliers {second.outlier_share:.1%}"
    )
    common = first.assignments.merge(second.assignments, on="conversation_id")
    both = common.dropna(subset=["topic_id_x", "topic_id_y"])
    with_outliers = (common["topic_id_x"].fillna("-"), common["topic_id_y"].fillna("-"))
    print(
        f"refit stability on {len(common):,} shared conversations: ARI {adjusted_rand_score(both['topic_id_x'], both['topic_id_y']):.3f} "
        f"(assigned in both, {len(both) / len(common):.1%}), "
        f"ARI {adjusted_rand_score(*with_outliers):.3f} with outliers as a class, "
        f"same topic id {(with_outliers[0] == with_outliers[1]).mean():.1%}"
    )
    assigned = first_window.merge(first.assignments, on="conversation_id")
    labels = {topic.topic_id: topic.label for topic in first.topics}
    intents = first_window.set_index("conversation_id")["intent"]
    articles = load_kb([DEMO_KB]).articles
    as_of = end - timedelta(days=1)
    scored = outcomes.merge(first.assignments, on="conversation_id")
    rows = gap_rows(scored, first.topics, coverage(first.topics, articles), {}, as_of)
    gaps = rows[(rows["window_days"] == 28) & rows["is_gap"]].reset_index(drop=True)
    for planted in PLANTED_TOPICS:
        mine = assigned[assigned["intent"] == planted.name]
        main_topic = mine["topic_id"].value_counts().index[0]
        members = assigned[assigned["topic_id"] == main_topic]
        print(
            f"planted {planted.name}: {len(mine):,} conversations, "
            f"{(mine['topic_id'] == main_topic).mean():.0%} in {main_topic} "
            f"({labels[main_topic]}), {(members['intent'] == planted.name).mean():.0%} of its members"
        )
        print(planted_target(gaps, intents, planted.name))
    speed(first_window, outcomes, as_of, args.target, args.seed, args.replicate)
    if args.full_size:
        full_size(first_window, outcomes, as_of, args.full_size, args.distinct_share, args.seed)
    print(
        f"command: .venv/bin/python bench/bench_kb_gaps.py --days {args.days} "
        f"--per-day {args.per_day} --seed {args.seed} --target {args.target} "
        f"--replicate {args.replicate}"
        + (
            f" --full-size {args.full_size} --distinct-share {args.distinct_share}"
            if args.full_size
            else ""
        )
    )


if __name__ == "__main__":
    main()
