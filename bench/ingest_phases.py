"""Ingest's CPU and wall seconds per phase on a data home's landing day, in process.

Run (HOME holds ``landing/dt=DAY/``, e.g. from ``closedloop generate --home HOME``):
  .venv/bin/python bench/ingest_phases.py HOME 2026-01-05

Times ``ingest_days`` (the ingest step's work without Dagster) and, inside it, the
phases: staging (``read_jsonl``, and in it the JSONL fast path and the appends to
DuckDB), the normalization SQL, the per-batch judging (pandera contract, Parquet
spill), the settle and the raw store's sorted writes. CPU is the process's (DuckDB's
threads included), so it is the figure to compare on a shared machine; the load
average is printed. It writes the home's raw store like a run does and prints the
sha256 of the raw and quarantine files, to compare two trees' outputs.
"""

from __future__ import annotations

import collections
import hashlib
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

import pipelines.sources.files as files
import pipelines.sources.ingest as ingest
import pipelines.sources.jsonl as jsonl
from pipelines.config import Settings, paths
from pipelines.sources import ingest_days

_SECONDS: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0])


def _timed(module: object, name: str, label: str) -> None:
    function = getattr(module, name)

    def wrapper(*args: object, **kwargs: object) -> object:
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _SECONDS[label][0] += time.process_time() - cpu
            _SECONDS[label][1] += time.perf_counter() - wall

    setattr(module, name, wrapper)


def main(home: Path, day: date) -> None:
    _timed(files, "read_jsonl", "staging (read_jsonl)")
    _timed(jsonl, "stage_lines", "  of it: JSONL fast path (stage_lines)")
    _timed(files, "normalize", "normalization SQL")
    _timed(files, "_judge_batch", "judging batches (contract, spill)")
    _timed(ingest, "_settle_and_write", "settle + sorted raw writes")
    layout = paths(home)
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    cpu, wall = time.process_time(), time.perf_counter()
    report = ingest_days(layout, [day], Settings())
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    for label, (phase_cpu, phase_wall) in _SECONDS.items():
        print(f"{label:<42} cpu {phase_cpu:7.2f} s  wall {phase_wall:7.2f} s")
    events = sum(report.events_loaded.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'ingest_days':<42} cpu {cpu:7.2f} s  wall {wall:7.2f} s  peak {peak:.0f} MB")
    print(f"{events:,} events: {events / cpu:,.0f} per CPU-second, {events / wall:,.0f}/s wall")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    for file in sorted(layout.raw.rglob("*.parquet")):
        if "synth_truth" not in file.parts:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()[:16]
            print(f"{file.relative_to(layout.raw)}  sha256 {digest}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), date.fromisoformat(sys.argv[2]))
