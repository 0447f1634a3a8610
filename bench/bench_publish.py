"""Publish on a grown warehouse: the full copy against the incremental snapshot.

Run:
  .venv/bin/python bench/bench_publish.py HOME [--change-days 13] [--changed]

HOME is a kept data home (``bench_scale.py --growth --keep``). Everything happens on
copies in a scratch folder next to HOME's warehouse: the previous snapshot is published
from a copy of the warehouse, then the copy is changed as a nightly changes it (``--change-days`` of its
newest days rewritten in every table with a date column, with ``--changed`` one row
dropped from each of them, and one new day added), then the snapshot is published both ways from the same previous
snapshot. Prints wall and CPU seconds (this process, every DuckDB thread included),
what the incremental publish copied, the file sizes, and checks that both snapshots
hold the same rows (count and hash sum of every table).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines.warehouse import publish_snapshot


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def nightly_change(warehouse: Path, days: int, changed: bool) -> None:
    """Rewrite the newest ``days`` of every table with a date column (with ``changed``, one
    row of each of those days dropped) and add a day after the newest: what a nightly's
    window does to the marts."""
    with duckdb.connect(str(warehouse)) as con:
        tables = con.execute(
            "select schema_name, table_name, list(column_name order by column_index) "
            "filter (where data_type = 'DATE') from duckdb_columns() "
            "where database_name = current_database() and not internal "
            "and (schema_name, table_name) in (select (schema_name, table_name) from duckdb_tables()) "
            "group by all"
        ).fetchall()
        for schema, table, dates in tables:
            if not dates:
                continue
            column = "partition_date" if "partition_date" in dates else dates[0]
            name, quoted = f'"{schema}"."{table}"', f'"{column}"'
            newest = con.execute(f"select max({quoted}) from {name}").fetchone()[0]
            if newest is None:
                continue
            con.execute(
                f"create temp table window_rows as select * from {name} "
                f"where {quoted} > ?::date - ?::integer",
                [newest, days],
            )
            if changed:
                # one row fewer in every rewritten day: each of these days differs
                con.execute(
                    "delete from window_rows where rowid in "
                    f"(select min(rowid) from window_rows group by {quoted})"
                )
            con.execute(f"delete from {name} where {quoted} > ?::date - ?::integer", [newest, days])
            con.execute(f"insert into {name} select * from window_rows")
            # a new day: the newest day again, one day later
            con.execute(
                f"insert into {name} by name select * replace ({quoted} + 1 as {quoted}) "
                f"from window_rows where {quoted} = ?",
                [newest],
            )
            con.execute("drop table window_rows")
        con.execute("checkpoint")


def fingerprint(path: Path) -> dict[str, tuple[int, int]]:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where table_name <> '_closedloop_snapshot'"
        ).fetchall()
        return {
            f"{s}.{t}": con.execute(
                f'select count(*), sum(hash(r)) from "{s}"."{t}" as r'
            ).fetchone()
            for s, t in tables
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home", type=Path)
    parser.add_argument("--change-days", type=int, default=13)
    parser.add_argument(
        "--changed",
        action="store_true",
        help="every rewritten day differs (one row dropped); without it they are rewritten equal",
    )
    args = parser.parse_args()
    source = args.home / "warehouse"
    scratch = Path(tempfile.mkdtemp(prefix="bench-publish-", dir=source))
    try:
        warehouse, previous = scratch / "warehouse.duckdb", scratch / "previous.duckdb"
        shutil.copyfile(source / "warehouse.duckdb", warehouse)
        # the previous night's snapshot, published as the pipeline publishes it
        publish_snapshot(warehouse, previous, incremental=False)
        nightly_change(warehouse, args.change_days, args.changed)
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"warehouse {warehouse.stat().st_size / 1e6:.0f} MB, previous snapshot "
              f"{previous.stat().st_size / 1e6:.0f} MB")  # fmt: skip
        results = {}
        for mode in ("full", "incremental"):
            target = scratch / f"{mode}.duckdb"
            shutil.copyfile(previous, target)
            wall, spent = time.perf_counter(), cpu()
            snapshot = publish_snapshot(warehouse, target, incremental=mode == "incremental")
            wall, spent = time.perf_counter() - wall, cpu() - spent
            results[mode] = fingerprint(target)
            print(f"{mode:<12} {wall:6.1f} s wall {spent:6.1f} CPU-s  {target.stat().st_size / 1e6:6.0f} MB"
                  f"  mode={snapshot.mode} tables_copied={snapshot.tables_copied} "
                  f"groups_copied={snapshot.groups_copied}")  # fmt: skip
        print("same rows:", results["full"] == results["incremental"])
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
