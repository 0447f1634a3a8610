"""Digests of the scrubber's output, to show a speed change leaves it byte-identical.

Four sets, each reduced to one SHA-256 over what the scrubber returns:
- ``dense``: the first ``--messages`` PII-dense lines of ``bench_pii`` (scrubbed text
  and every span: type, offsets, score);
- ``realistic``: ``bench_pii``'s realistic mix of ``--messages`` lines (the same);
- ``synth``: every sentence of presidio-research ``synth_dataset_v2`` (the same);
- ``day``: a generated day of ``--day-conversations`` conversations through
  ``scrub_events`` in-process (text and payload columns, detection counts).

Run it on the tree before a change and after, and compare (``--save FILE`` writes the
digests, ``--check FILE`` fails when one differs):

    PYTHONPATH=. .venv/bin/python bench/pii_digest.py --save /tmp/before.json
    PYTHONPATH=. .venv/bin/python bench/pii_digest.py --check /tmp/before.json

(``--data``: the shared data folder; found next to the checkout or its parent.)

The PII-dense lines come from Faker, whose dates of birth are relative to today: save
and check on the same (UTC) day, or save again from the old tree (two trees checked on
2026-12-07 against digests saved on 2026-12-06 both reported dense and realistic
changed).

Nothing personal is printed: only digests and counts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pii import pii_dense, realistic

from pipelines.pii import Detector, scrub
from pipelines.pii.custom import DEFAULT_CONFIG, load_custom_patterns


def _messages_digest(messages: list[str], detector: Detector) -> str:
    digest = hashlib.sha256()
    for text in messages:
        result = scrub(text, detector)
        spans = [(s.type, s.start, s.end, s.score) for s in result.spans]
        digest.update(json.dumps([result.text, spans]).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _synth(data: Path) -> list[str]:
    rows = json.loads((data / "presidio_research/data/synth_dataset_v2.json").read_text())
    return [row["full_text"] for row in rows]


def _day_digest(conversations: int) -> str:
    import pyarrow.parquet as pq

    from pipelines.config import Settings, paths
    from pipelines.pii import scrub_events
    from pipelines.sources import ingest_days
    from pipelines.synth import generate

    day = date(2026, 1, 5)
    with tempfile.TemporaryDirectory(prefix="pii-digest-") as tmp:
        folder = Path(tmp)
        data = paths(folder / "day-home").ensure()
        generate(
            day,
            day,
            conversations,
            7,
            landing=data.landing,
            truth_dir=folder / "truth",
            fmt="jsonl",
        )
        ingest_days(data, [day], Settings())
        events = pq.read_table(data.raw_day(day) / "events.parquet")
        batch = scrub_events(events, b"digest-key-0123456789abcdef", workers=1)
    digest = hashlib.sha256()
    for column in ("text", "payload"):
        digest.update(json.dumps(batch.events.column(column).to_pylist()).encode())
    digest.update(json.dumps(batch.detections, sort_keys=True).encode())
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data",
        type=Path,
        # ../shared/data from the main checkout, ../../shared/data from a worktree
        default=next(
            (
                folder / "shared/data"
                for folder in Path(__file__).resolve().parents[2:4]
                if (folder / "shared/data").is_dir()
            ),
            Path(__file__).resolve().parents[2] / "shared/data",
        ),
    )
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--day-conversations", type=int, default=5_000)
    parser.add_argument("--save", type=Path, help="write the digests to this JSON file")
    parser.add_argument("--check", type=Path, help="compare with digests saved by --save")
    args = parser.parse_args()
    if not (args.data / "sgd").is_dir():
        sys.exit(f"no shared data at {args.data} (the realistic mix needs it): pass --data")

    detector = Detector(load_custom_patterns(DEFAULT_CONFIG))
    digests: dict[str, str] = {}
    for name, make in (
        ("dense", lambda: pii_dense(args.messages)),
        ("realistic", lambda: realistic(args.data, args.messages)),
        ("synth", lambda: _synth(args.data)),
    ):
        messages = make()
        started = time.process_time()
        digests[name] = _messages_digest(messages, detector)
        print(
            f"{name:10} {len(messages):7,} messages  {digests[name][:16]}  "
            f"{time.process_time() - started:.1f} s CPU"
        )
    if args.day_conversations:
        started = time.process_time()
        digests["day"] = _day_digest(args.day_conversations)
        print(
            f"{'day':10} {args.day_conversations:7,} conversations  {digests['day'][:16]}  "
            f"{time.process_time() - started:.1f} s CPU"
        )
    if args.save:
        args.save.write_text(json.dumps(digests, indent=1) + "\n")
    if args.check:
        expected = json.loads(args.check.read_text())
        differ = [k for k, v in digests.items() if expected.get(k) != v]
        if differ:
            sys.exit(f"output changed: {', '.join(differ)}")
        print("identical to", args.check)


if __name__ == "__main__":
    main()
