"""Throughput of the synthetic generator against the 50,000 conversations/minute target.

Run: ``.venv/bin/python bench/bench_synth.py [--days 7] [--per-day 10000] [--format jsonl]``
Prints conversations/s, events/s and the ratio to the target (>= 1.0 passes).
Faker pools are built once per seed and reused; the first run includes that cost.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date, timedelta
from pathlib import Path

from pipelines.synth import generate

TARGET_PER_SECOND = 50_000 / 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--per-day", type=int, default=10_000)
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    start = date(2026, 1, 5)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        summary = generate(
            start,
            start + timedelta(days=args.days - 1),
            args.per_day,
            args.seed,
            landing=root / "landing",
            truth_dir=root / "truth",
            fmt=args.format,
        )
        size_mb = sum(p.stat().st_size for p in summary.landing_files) / 1e6
    rate = summary.conversations_per_second
    print(
        f"{summary.conversations:,} conversations, {summary.events:,} events, "
        f"{summary.pii_spans:,} PII spans, {size_mb:.1f} MB {args.format} in {summary.seconds:.2f} s"
    )
    print(
        f"{rate:,.0f} conversations/s ({rate * 60:,.0f}/min), {summary.events / summary.seconds:,.0f} events/s"
    )
    print(f"ratio to target (50,000/min): {rate / TARGET_PER_SECOND:.2f}x")


if __name__ == "__main__":
    main()
