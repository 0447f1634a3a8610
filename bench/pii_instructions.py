"""Instructions per message of the scrubber's per-line path, counted by valgrind.

CPU time per message moves by 10-30% with the load other sessions put on the machine;
instruction counts do not, so they are the figure that separates changes of a few
percent (docs/pii.md, *Measured speed*). For each mix of ``bench_pii`` (PII-dense and
realistic, 10,000 lines each as ``bench_pii --messages 10000`` writes them) it runs
``scrub_line`` under ``valgrind --tool=cachegrind`` twice: a warm-up on lines
5,000-5,499 alone, then the same warm-up followed by the first ``--lines`` lines, with
``PYTHONHASHSEED=0`` and the garbage collector frozen and off for the measured lines
(a full collection falling inside them moves the figure by 1-3%). The difference,
divided by ``--lines``, is the figure printed.

    .venv/bin/python bench/pii_instructions.py --data /work/shared/data
    .venv/bin/python bench/pii_instructions.py --data /work/shared/data --tree /tmp/main

``--tree``: the checkout whose code is measured (default: this one), put first on
``PYTHONPATH``. Compare two trees at paths of the same length: the same code at a
longer path measured 1.2% more (memory layout). Needs ``valgrind`` on the PATH; about
two minutes per tree. Nothing personal is printed: only counts.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pii import pii_dense, realistic

MESSAGES = 10_000
WARM_UP = slice(5_000, 5_500)
_MEASURE = """
import gc, sys
from pipelines.cli.pii import scrub_line
from pipelines.pii import default_detector
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
detector = default_detector()
for i, line in enumerate(lines[{warm_up}]):
    scrub_line(line, i, detector)
gc.collect(); gc.freeze(); gc.disable()
for i, line in enumerate(lines[: int(sys.argv[2])]):
    scrub_line(line, i, detector)
"""
_TOTAL = re.compile(r"I\s+refs:\s+([\d,]+)")


def _instructions(tree: Path, file: Path, lines: int) -> int:
    """Instructions of one run over the warm-up and then ``lines`` lines of ``file``."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(tree)}
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(
            [
                "valgrind",
                "--tool=cachegrind",
                "--cache-sim=no",
                f"--cachegrind-out-file={scratch}/out",
                sys.executable,
                "-c",
                _MEASURE.format(warm_up=f"{WARM_UP.start}:{WARM_UP.stop}"),
                str(file),
                str(lines),
            ],
            env=env,
            cwd=tree,
            capture_output=True,
            text=True,
            check=True,
        )
    return int(_TOTAL.findall(result.stderr)[-1].replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--lines", type=int, default=1_000, help="lines measured (at most 5,000)")
    args = parser.parse_args()
    mixes = {"PII-dense": pii_dense(MESSAGES), "realistic": realistic(args.data, MESSAGES)}
    with tempfile.TemporaryDirectory() as folder:
        for name, messages in mixes.items():
            file = Path(folder) / f"{name}.jsonl"
            file.write_text(
                "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(messages)),
                encoding="utf-8",
            )
            alone = _instructions(args.tree.resolve(), file, 0)
            both = _instructions(args.tree.resolve(), file, args.lines)
            print(f"{name:10s} {(both - alone) / args.lines:12,.0f} instructions per message")


if __name__ == "__main__":
    main()
