"""How often the first topic fit finds the demo's planted duet topic, window by window.

The demo (``closedloop demo``) fits topics once on its first half of days, then
publishes the draft of the topic whose conversations mostly carry the planted
``duet_settings`` intent. Whether such a topic exists depends on the window: the
generator's traffic follows the calendar. For each of ``--windows`` consecutive demo
end days this generates the demo's first half (the same seed, sizes and planted
topics), scrubs each bot-involved conversation's first customer message, runs
:func:`pipelines.knowledge.topics.fit_topics` as the pipeline's first fit does, and
prints k, the duet conversations, and how many sit in duet-majority topics. A window
counts as found when duet-majority topics hold at least 60% of them.

    PYTHONPATH=. .venv/bin/python bench/planted_topic.py --windows 6
    PYTHONPATH=. .venv/bin/python bench/planted_topic.py --candidate-k 8,16,32,48,64

Only counts and topic sizes are printed (the generator's text is synthetic anyway).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from pipelines.knowledge.topics import TopicParams, fit_topics
from pipelines.pii.scrub import scrub
from pipelines.synth import generate
from pipelines.synth.planted import PLANTED_TOPICS

PLANTED = "duet_settings"
FOUND_SHARE = 0.6


def first_half_openings(end: date, days: int, per_day: int, seed: int) -> pd.DataFrame:
    """``conversation_id, text, intent`` of the demo's first half ending ``end``'s window."""
    start = end - timedelta(days=days - 1)
    publish = end - timedelta(days=days // 2 - 1)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        generate(
            start=start,
            end=publish - timedelta(days=1),
            per_day=per_day,
            seed=seed,
            landing=Path(tmp) / "landing",
            truth_dir=Path(tmp) / "truth",
            planted=PLANTED_TOPICS,
            answered={PLANTED: publish},
        )
        for file in sorted((Path(tmp) / "landing").glob("dt=*/synthetic.jsonl")):
            with file.open(encoding="utf-8") as lines:
                for line in lines:
                    record = json.loads(line)
                    events = record["events"]
                    if not any(event["actor"] == "bot" for event in events):
                        continue
                    first = next(
                        (
                            e["text"]
                            for e in events
                            if e["actor"] == "customer"
                            and e["event_type"] == "message"
                            and e["text"]
                        ),
                        None,
                    )
                    if first is not None:
                        rows.append(
                            (record["conversation_id"], scrub(first).text, record["intent"])
                        )
    return pd.DataFrame(rows, columns=["conversation_id", "text", "intent"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-end", default="2026-12-02", help="the first window's end day")
    parser.add_argument("--windows", type=int, default=6)
    parser.add_argument("--days", type=int, default=14, help="the demo's --days")
    parser.add_argument("--per-day", type=int, default=2000, help="the demo's --per-day")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--candidate-k", default=None, help="comma-separated k to try")
    args = parser.parse_args()
    params = TopicParams()
    if args.candidate_k:
        params = TopicParams(candidate_k=tuple(int(k) for k in args.candidate_k.split(",")))
    found = 0
    for offset in range(args.windows):
        end = date.fromisoformat(args.first_end) + timedelta(days=offset)
        openings = first_half_openings(end, args.days, args.per_day, args.seed)
        fit = fit_topics(openings[["conversation_id", "text"]], (), params)
        assigned = fit.assignments.merge(openings, on="conversation_id")
        is_planted = assigned["intent"] == PLANTED
        share = is_planted.groupby(assigned["topic_id"]).mean()
        majority = share[share >= 0.5].index
        in_majority = int((is_planted & assigned["topic_id"].isin(majority)).sum())
        total = int(is_planted.sum())
        ok = in_majority >= FOUND_SHARE * total
        found += ok
        sizes = assigned.groupby("topic_id").size()
        print(
            f"end {end}  k {fit.k:3d}  {PLANTED} {total:4d}  in majority topics {in_majority:4d} "
            f"({in_majority / max(total, 1):.0%})  topics "
            + (", ".join(f"{sizes[t]} at {share[t]:.0%}" for t in majority) or "none")
            + ("  found" if ok else "  NOT FOUND"),
            flush=True,
        )
    print(f"found in {found} of {args.windows} windows")


if __name__ == "__main__":
    main()
