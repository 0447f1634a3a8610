"""The read-only snapshot analysts query.

DuckDB allows one writing process per file. The pipeline owns ``warehouse.duckdb``;
analysts get ``analytics.duckdb``, a complete copy swapped in with an atomic rename,
so an open analyst session keeps reading the old file's inode and is never blocked.
"""

from __future__ import annotations

import glob
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

SNAPSHOT_TABLE = "_closedloop_snapshot"
_TMP_PREFIX = ".{name}."


@dataclass(frozen=True)
class Snapshot:
    path: Path
    run_id: str
    built_at: datetime
    tables: int


def publish_snapshot(
    warehouse: Path,
    analytics: Path,
    run_id: str | None = None,
    duckdb_settings: Mapping[str, str] | None = None,
) -> Snapshot:
    """Copy the whole warehouse into a new file and atomically swap it in as ``analytics``.

    A failure at any point leaves the previous snapshot untouched: the new file is
    built under a temporary name in the same directory and only renamed when complete.
    ``duckdb_settings`` (memory_limit, threads: ``pipelines.config.duckdb_limits``) bound
    the copy's DuckDB; None leaves DuckDB's defaults.
    """
    run_id = run_id or uuid.uuid4().hex
    built_at = datetime.now(UTC)
    remove_leftovers(analytics)
    tmp = analytics.with_name(f"{_TMP_PREFIX.format(name=analytics.name)}{uuid.uuid4().hex}.tmp")
    try:
        con = duckdb.connect(str(tmp), config=dict(duckdb_settings or {}))
        try:
            # A parameter, not a quoted literal: a home path may contain a quote.
            con.execute("attach ? as wh (read_only)", [str(warehouse)])
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


def remove_leftovers(analytics: Path) -> list[Path]:
    """Delete the temporary files of earlier publishes that were killed mid-copy (the
    ``.tmp`` database and its ``.tmp.wal``); returns them. Publishes never overlap (the
    warehouse pool, the data home's lock), so any such file is an orphan."""
    prefix = _TMP_PREFIX.format(name=analytics.name)
    leftovers = [
        path
        for path in analytics.parent.glob(f"{glob.escape(prefix)}*")
        if path.name.endswith((".tmp", ".tmp.wal"))
    ]
    for path in leftovers:
        path.unlink(missing_ok=True)
    return leftovers


def _database_name(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_database()").fetchone()[0]
