"""The judged-file cache on two consecutive nights of the ingest step alone.

``ingest_days`` (the ingest step's work without Dagster) for the night before D, then for
D with the cache warm and with it off, in a fresh home that receives the landing folders
of an already generated home (copied) as they would be delivered. A run for the days
..D reads the folders from its first day - 1 on (later ones are not there yet): without
the cache it judges all of them, with it only D's. ``--window 1`` is a night of
``bench_scale.py --growth`` (folders D-1 and D), ``--window 4`` the nightly schedule's
run at the default ``landing_lookback_days`` 3 (folders D-4..D). Twice, in turn. Prints
CPU seconds (this process's, every thread's), wall, the files judged and the cache's
size on disk.

Run (on the landing of a ``bench_scale.py --growth`` home, or ``closedloop generate``)::

    .venv/bin/python bench/ingest_cache.py --landing-from <home> --day 2026-02-08 [--window 4]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from pipelines.config import Paths, Settings, paths
from pipelines.sources import ingest_days
from pipelines.sources.column_map import ColumnMap
from pipelines.sources.files import SpilledFile
from pipelines.sources.ingest import judge_files
from pipelines.sources.scratch import IngestBudget


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def night(home: Paths, days: list[date], cached: bool) -> None:
    judged: list[str] = []

    def judge(
        files: Sequence[Path],
        names: Sequence[str],
        column_map: ColumnMap,
        scratch: Path,
        budget: IngestBudget,
    ) -> list[SpilledFile]:
        judged.extend(names)
        return judge_files(files, names, column_map, scratch, budget)

    settings = Settings(ingest_cache=cached, quarantine_threshold=1.0)
    began, cpu = time.perf_counter(), cpu_seconds()
    report = ingest_days(home, days, settings, judge=judge)
    cpu, wall = cpu_seconds() - cpu, time.perf_counter() - began
    size = sum(p.stat().st_size for p in home.ingest_cache.rglob("*") if p.is_file())
    print(
        f"{days[0]}..{days[-1]}  cache {'on ' if cached else 'off'}  cpu {cpu:6.2f} s  "
        f"wall {wall:6.2f} s  files read {report.files_scanned}, judged {len(judged)}  "
        f"cache {size / 2**20:6.1f} MiB  load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def deliver(source: Path, home: Paths, day: date) -> None:
    """A day's landing folder copied in (the source home is left as it is), if it has one."""
    folder = source / "landing" / f"dt={day}"
    if folder.is_dir():
        shutil.copytree(folder, home.landing_day(day))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--landing-from", type=Path, required=True, help="a home with landing/")
    parser.add_argument("--day", type=date.fromisoformat, required=True, help="D")
    parser.add_argument(
        "--window",
        type=int,
        default=1,
        help="days per run: 1 as bench_scale.py's nights, landing_lookback_days + 1 (4) as "
        "the nightly schedule's",
    )
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    day = args.day

    def window(last: date) -> list[date]:
        return [last - timedelta(days=back) for back in reversed(range(args.window))]

    work = Path(tempfile.mkdtemp(prefix="ingest-cache-", dir=args.workdir))
    try:
        home = paths(work / "home").ensure()
        # What the night before D saw: its window's folders and the one before it.
        for back in range(1, args.window + 2):
            deliver(args.landing_from, home, day - timedelta(days=back))
        for _ in range(2):
            # D's folder is delivered after the night before, as in production (a fresh
            # copy each round: a new file to the cache).
            shutil.rmtree(home.landing_day(day), ignore_errors=True)
            night(home, window(day - timedelta(days=1)), cached=True)  # the night before
            deliver(args.landing_from, home, day)
            night(home, window(day), cached=True)  # judges D's folder only
            night(home, window(day), cached=False)  # judges every folder (deletes the cache)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
