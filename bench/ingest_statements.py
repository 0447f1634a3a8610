"""Ingest's CPU per DuckDB statement on a data home's landing day, in process.

Run (HOME holds ``landing/dt=DAY/``, e.g. from ``closedloop generate --home HOME``):
  .venv/bin/python bench/ingest_statements.py HOME 2026-01-05 [--top 25]

Times ``ingest_days`` and every DuckDB call made inside it (``execute``, and a
relation's ``to_arrow_table`` / ``to_arrow_reader`` / ``insert_into``), keyed by the
statement's first characters; CPU is the process's (DuckDB's threads included). The
total minus the statements is the Python side (Arrow checks, pandas, pandera, Parquet
writes). It writes the home's raw store like a run does. Complements
``bench/ingest_phases.py`` (time per phase) and ``bench/ingest_floor.py`` (the readers
alone).
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

from pipelines.config import Settings, paths
from pipelines.sources import ingest_days

# statement -> [calls, CPU seconds, wall seconds]
_STATS: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0, 0.0])
# Only the outermost call is counted (one wrapped call may make another).
_DEPTH = [0]


_BLANKS = re.compile(r"\s+")


def _key(kind: str, sql: str) -> str:
    return f"{kind}: {_BLANKS.sub(' ', sql).strip()[:90]}"


def _timed(owner: type, name: str, sql_of: Callable[[object, tuple[object, ...]], str]) -> None:
    original = getattr(owner, name)

    def wrapper(self: object, *args: object, **kwargs: object) -> object:
        if _DEPTH[0]:
            return original(self, *args, **kwargs)
        key = _key(name, sql_of(self, args))
        cpu, wall = time.process_time(), time.perf_counter()
        _DEPTH[0] += 1
        try:
            return original(self, *args, **kwargs)
        finally:
            _DEPTH[0] -= 1
            stats = _STATS[key]
            stats[0] += 1
            stats[1] += time.process_time() - cpu
            stats[2] += time.perf_counter() - wall

    setattr(owner, name, wrapper)


def _statement(_: object, args: tuple[object, ...]) -> str:
    return args[0] if args and isinstance(args[0], str) else ""


def _relation(relation: object, _: tuple[object, ...]) -> str:
    query = getattr(relation, "sql_query", None)
    return query() if callable(query) else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("home", type=Path)
    parser.add_argument("day", type=date.fromisoformat)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    _timed(duckdb.DuckDBPyConnection, "execute", _statement)
    for name in ("to_arrow_table", "to_arrow_reader", "insert_into"):
        _timed(duckdb.DuckDBPyRelation, name, _relation)
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    cpu, wall = time.process_time(), time.perf_counter()
    report = ingest_days(paths(args.home), [args.day], Settings())
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    in_duckdb = sum(stats[1] for stats in _STATS.values())
    events = sum(report.events_loaded.values())
    print(f"ingest_days: cpu {cpu:.2f} s, wall {wall:.2f} s, {events:,} events")
    print(
        f"in DuckDB calls: cpu {in_duckdb:.2f} s; outside them (Python side): {cpu - in_duckdb:.2f} s"
    )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    ranked = sorted(_STATS.items(), key=lambda item: -item[1][1])
    for key, (calls, stmt_cpu, stmt_wall) in ranked[: args.top]:
        print(f"{stmt_cpu:6.2f} s cpu {stmt_wall:6.2f} s wall x{int(calls):<4} {key}")


if __name__ == "__main__":
    main()
