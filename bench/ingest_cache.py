"""The judged-file cache on two consecutive nights of the ingest step alone.

``ingest_days`` (the ingest step's work without Dagster) for day D, then for D+1 with the
cache off and with it warm, in a fresh home whose landing/ hard-links the two days'
folders of an already generated home (copied). A nightly for D+1 reads folders D and D+1 (and
later ones, not there yet): without the cache it judges both, with it only D+1. Twice,
in turn. Prints
CPU seconds (this process's, every thread's), wall, the files judged and the cache's
size on disk.

Run (on the landing of a ``bench_scale.py --growth`` home, or ``closedloop generate``)::

    .venv/bin/python bench/ingest_cache.py --landing-from <home> --day 2026-02-03
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


def night(home: Paths, day: date, cached: bool) -> None:
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
    report = ingest_days(home, [day], settings, judge=judge)
    cpu, wall = cpu_seconds() - cpu, time.perf_counter() - began
    size = sum(p.stat().st_size for p in home.ingest_cache.rglob("*") if p.is_file())
    print(
        f"{day}  cache {'on ' if cached else 'off'}  cpu {cpu:6.2f} s  wall {wall:6.2f} s  "
        f"files read {report.files_scanned}, judged {len(judged)}  "
        f"cache {size / 2**20:6.1f} MiB  load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--landing-from", type=Path, required=True, help="a home with landing/")
    parser.add_argument("--day", type=date.fromisoformat, required=True, help="D+1")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    second = args.day
    first = second - timedelta(days=1)
    work = Path(tempfile.mkdtemp(prefix="ingest-cache-", dir=args.workdir))
    try:
        home = paths(work / "home").ensure()
        for day in (first, second):
            source = args.landing_from / "landing" / f"dt={day}"
            shutil.copytree(source, home.landing_day(day))  # a copy: the source is left as is
        for _ in range(2):
            night(home, first, cached=True)  # fills the cache, as the night before did
            night(home, second, cached=True)  # judges D+1 only
            night(home, second, cached=False)  # judges both (and deletes the cache)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
