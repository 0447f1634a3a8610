"""DuckDB helpers shared by the Python assets: idempotent partition writes and the
read-only snapshot analysts query.

DuckDB allows one writing process per file. The pipeline owns ``warehouse.duckdb``;
analysts get ``analytics.duckdb``, a complete copy swapped in with an atomic rename,
so an open analyst session keeps reading the old file's inode and is never blocked.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

SNAPSHOT_TABLE = "_closedloop_snapshot"


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """``begin`` ... ``commit``, or ``rollback`` if the block raises."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def replace_partitions(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: pa.Table,
    days: Sequence[date],
    date_column: str = "partition_date",
) -> int:
    """Delete ``days`` from ``table`` and insert ``rows`` in one transaction.

    The table must exist. Rows outside ``days`` are rejected rather than written,
    because they would survive the next re-run of their own partition twice.
    """
    if rows.num_rows:
        present = {d for d in rows.column(date_column).to_pylist()}
        stray = sorted(present - set(days))
        if stray:
            raise ValueError(
                f"{table}: rows for {stray} outside the run window {days[0]}..{days[-1]}"
            )
    con.register("_incoming", rows)
    try:
        with transaction(con):
            con.execute(
                f"delete from {table} where {date_column} between ? and ?",
                [min(days), max(days)],
            )
            columns = ", ".join(rows.column_names)
            con.execute(f"insert into {table} ({columns}) select {columns} from _incoming")
    finally:
        con.unregister("_incoming")
    return rows.num_rows


@dataclass(frozen=True)
class Snapshot:
    path: Path
    run_id: str
    built_at: datetime
    tables: int


def publish_snapshot(warehouse: Path, analytics: Path, run_id: str | None = None) -> Snapshot:
    """Copy the whole warehouse into a new file and atomically swap it in as ``analytics``.

    A failure at any point leaves the previous snapshot untouched: the new file is
    built under a temporary name in the same directory and only renamed when complete.
    """
    run_id = run_id or uuid.uuid4().hex
    built_at = datetime.now(UTC)
    tmp = analytics.with_name(f".{analytics.name}.{uuid.uuid4().hex}.tmp")
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"attach '{warehouse}' as wh (read_only)")
            con.execute(f"copy from database wh to {_database_name(con)}")
            con.execute("detach wh")
            con.execute(
                f"create or replace table main.{SNAPSHOT_TABLE} as "
                "select ?::varchar as run_id, ?::timestamptz as built_at",
                [run_id, built_at],
            )
            tables = con.execute(
                "select count(*) from information_schema.tables where table_type = 'BASE TABLE'"
            ).fetchone()[0]
            con.execute("checkpoint")
        finally:
            con.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, analytics)
        analytics.chmod(0o644)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    return Snapshot(path=analytics, run_id=run_id, built_at=built_at, tables=int(tables))


def _database_name(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_database()").fetchone()[0]
