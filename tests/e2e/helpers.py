"""Helpers for end-to-end runs: a fresh data home per test module, truth and table reads."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.config import Paths, paths


def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, patch: pytest.MonkeyPatch, name: str
) -> Paths:
    """A data home under tmp with its own Dagster instance and a fixed PII key."""
    home = paths(tmp_path_factory.mktemp(name)).ensure()
    patch.setenv("CLOSEDLOOP_HOME", str(home.home))
    patch.setenv("DAGSTER_HOME", str(home.dagster_home))
    patch.setenv("CLOSEDLOOP_PII_KEY", "end-to-end-test-key")
    patch.delenv("CLOSEDLOOP_CONFIG", raising=False)
    patch.delenv("CLOSEDLOOP_ALERT_WEBHOOK", raising=False)
    return home


def read_truth(home: Paths, first: date, last: date) -> list[dict]:
    rows = []
    for folder in sorted((home.raw / "synth_truth").glob("dt=*")):
        day = date.fromisoformat(folder.name[3:])
        if first <= day <= last:
            with (folder / "truth.jsonl").open() as handle:
                rows.extend(json.loads(line) for line in handle)
    return rows


def table_rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def assert_snapshot_mirrors_warehouse(home: Paths) -> None:
    """Every table of the warehouse holds the same rows in the analysts' snapshot: the
    nightly publish reads again only what the warehouse's journal of changes marks
    (pipelines/warehouse/journal.py), so a writer that marks nothing shows up here."""
    from pipelines.warehouse.publish import FINGERPRINT_TABLE, SNAPSHOT_TABLE

    def content(db: Path) -> dict[str, tuple[int, int]]:
        with duckdb.connect(str(db), read_only=True) as con:
            tables = con.execute(
                "select schema_name, table_name from duckdb_tables() "
                "where database_name = current_database() and table_name not in (?, ?)",
                [SNAPSHOT_TABLE, FINGERPRINT_TABLE],
            ).fetchall()
            return {
                f"{schema}.{table}": con.execute(
                    f'select count(*), sum(hash(to_json(r))) from "{schema}"."{table}" as r'
                ).fetchone()
                for schema, table in tables
            }

    warehouse, snapshot = content(home.warehouse), content(home.analytics)
    assert snapshot == warehouse, sorted(
        name
        for name in warehouse.keys() | snapshot.keys()
        if warehouse.get(name) != snapshot.get(name)
    )
