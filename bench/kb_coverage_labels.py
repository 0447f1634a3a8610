"""Build the labelled topic-article set that calibrates KB coverage (a test fixture).

Generates synthetic conversations with the planted unanswered topics
(``pipelines.synth.planted``) for a few seeds, fits topics on each customer's first
message (``fit_topics``, as the nightly asset does) and labels every topic against the
demo KB (``pipelines/knowledge/demo_kb``):

- a topic whose conversations are mostly (>= ``--purity``) one generator intent and
  mostly English is **covered** by the demo articles tagged with that intent
  (front matter ``intents``: the KB team's own statement of what each article
  answers);
- a topic mostly in Spanish is **not covered** (the demo KB is English only), and a
  planted topic is not covered (no demo article mentions it);
- a mixed topic (no intent reaches ``--purity``) is left out: its answer is unclear.

Every (topic, article) pair is then labelled: 1 when the article is one of the
topic's covering articles, else 0. Labels come from the generator's intents and the
articles' tags, not by reading each pair: the labels near the decision boundary were
read by hand when the set was built (docs/knowledge-base.md, "Calibration").

Writes ``tests/knowledge/fixtures/coverage_topics.json``: per topic its fit (the seed),
id, label terms, representative utterance, centroid (what ``main.kb_topics`` stores),
majority intent with its share, locale, planted flag and ``covered_by``.

Run: ``.venv/bin/python bench/kb_coverage_labels.py [--seeds 7 11] [--days 14] [--per-day 1000]``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_kb_gaps import openings  # noqa: E402  (same folder: the bench's reader)

from pipelines.knowledge.demo import DEMO_KB  # noqa: E402
from pipelines.knowledge.sources import load_kb  # noqa: E402
from pipelines.knowledge.topics import fit_topics  # noqa: E402
from pipelines.synth import generate  # noqa: E402
from pipelines.synth.planted import PLANTED_TOPICS  # noqa: E402

FIXTURE = ROOT / "tests" / "knowledge" / "fixtures" / "coverage_topics.json"


def labelled_topics(seed: int, days: int, per_day: int, purity: float) -> list[dict]:
    start = date(2026, 3, 1)
    with tempfile.TemporaryDirectory(prefix="kb-coverage-labels-") as folder:
        root = Path(folder)
        generate(
            start,
            start + timedelta(days=days - 1),
            per_day,
            seed,
            root / "landing",
            root / "truth",
            planted=PLANTED_TOPICS,
        )
        frame = openings(root / "landing")
    fit = fit_topics(frame[["conversation_id", "text"]])
    assigned = frame.merge(fit.assignments, on="conversation_id").dropna(subset=["topic_id"])
    tagged: dict[str, list[str]] = {}
    for article in load_kb([DEMO_KB]).articles:
        for intent in article.intents:
            tagged.setdefault(intent, []).append(article.article_id)
    planted = {profile.name for profile in PLANTED_TOPICS}
    rows = []
    for topic in fit.topics:
        members = assigned[assigned["topic_id"] == topic.topic_id]
        intents = members["intent"].value_counts(normalize=True)
        english = float(members["locale"].str.startswith("en").mean())
        intent, share = str(intents.index[0]), float(intents.iloc[0])
        if english < 0.5:
            covered_by: list[str] = []
        elif share < purity:
            print(
                f"  seed {seed}: left out mixed {topic.topic_id} ({', '.join(topic.top_terms)}): "
                + ", ".join(f"{i} {v:.0%}" for i, v in intents.head(3).items())
            )
            continue
        else:
            covered_by = sorted(tagged.get(intent, []))
        rows.append(
            {
                "fit": f"seed-{seed}",
                "topic_id": f"seed-{seed}-{topic.topic_id}",
                "top_terms": list(topic.top_terms),
                "representative": topic.representative,
                "centroid": dict(topic.centroid),
                "conversations": topic.conversations,
                "intent": intent,
                "intent_share": round(share, 3),
                "english_share": round(english, 3),
                "planted": intent in planted,
                "covered_by": covered_by,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 11, 13, 17])
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument("--purity", type=float, default=0.6)
    parser.add_argument("--out", type=Path, default=FIXTURE)
    args = parser.parse_args()
    topics = [
        topic
        for seed in args.seeds
        for topic in labelled_topics(seed, args.days, args.per_day, args.purity)
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(topics, indent=1, ensure_ascii=False) + "\n")
    covered = sum(bool(t["covered_by"]) for t in topics)
    print(
        f"{len(topics)} labelled topics ({covered} covered, {len(topics) - covered} not) "
        f"from seeds {args.seeds} -> {args.out.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
