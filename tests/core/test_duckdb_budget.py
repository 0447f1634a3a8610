"""memory_budget_mb sets DuckDB's memory_limit and threads on every connection of a run:
ingest's and scrub's scratch connections, the assets' warehouse connection, the publish
copy and dbt's DuckDB (the dbt side runs dbt: tests/dbt/test_duckdb_budget.py)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.config import (
    DEFAULT_MEMORY_BUDGET_MB,
    DUCKDB_MB_PER_THREAD,
    MIN_MEMORY_BUDGET_MB,
    PROCESS_BASELINE_MB,
    Settings,
    duckdb_limits,
)
from pipelines.dbt_args import dbt_build_args
from pipelines.defs.resources import SettingsConfig, WarehouseResource
from pipelines.pii.load import ScrubBudget
from pipelines.sources.scratch import IngestBudget, scratch_connection
from pipelines.warehouse import publish_snapshot

_UNITS = {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024}


def limits_of(con: duckdb.DuckDBPyConnection) -> tuple[float, int]:
    """DuckDB's memory_limit in MiB and its threads, as the connection reports them."""
    memory, threads = con.execute(
        "select current_setting('memory_limit'), current_setting('threads')"
    ).fetchone()
    number, unit = re.fullmatch(r"([\d.]+) (\w+)", memory).groups()
    return float(number) * _UNITS[unit], int(threads)


@pytest.mark.parametrize("budget", [MIN_MEMORY_BUDGET_MB, 1024, 1536, DEFAULT_MEMORY_BUDGET_MB])
def test_duckdb_gets_half_the_budget_above_the_process(budget: int) -> None:
    limits = duckdb_limits(budget, cpus=64)
    working = max(budget - PROCESS_BASELINE_MB, 128)
    assert limits.memory_mb == max(working // 2, 64)
    assert limits.memory_mb + PROCESS_BASELINE_MB <= max(budget, PROCESS_BASELINE_MB + 64)
    # threads follow the share, never below one, never above the cores
    assert limits.threads == max(1, limits.memory_mb // DUCKDB_MB_PER_THREAD)
    assert duckdb_limits(budget, cpus=1).threads == 1
    assert duckdb_limits(16 * 1024, cpus=2).threads == 2


def test_ingest_and_scrub_take_the_same_share() -> None:
    for budget in (MIN_MEMORY_BUDGET_MB, 1000, DEFAULT_MEMORY_BUDGET_MB, 8192):
        limits = duckdb_limits(budget)
        ingest, scrub = IngestBudget.from_budget(budget), ScrubBudget.from_budget(budget)
        assert ingest.duckdb_memory_mb == scrub.duckdb_memory_mb == limits.memory_mb
        assert ingest.duckdb_threads == scrub.duckdb_threads == limits.threads


def test_the_scratch_connection_applies_them(tmp_path: Path) -> None:
    budget = IngestBudget.from_budget(1536)
    con = scratch_connection(tmp_path, budget.duckdb_memory_mb, budget.duckdb_threads)
    try:
        assert limits_of(con) == (budget.duckdb_memory_mb, budget.duckdb_threads)
    finally:
        con.close()


@pytest.mark.parametrize("budget", [1024, 1536])
def test_the_assets_warehouse_connection_follows_the_budget(tmp_path: Path, budget: int) -> None:
    warehouse = WarehouseResource(
        home=str(tmp_path), settings=SettingsConfig.of(Settings(memory_budget_mb=budget))
    )
    limits = duckdb_limits(budget)
    with warehouse.connect() as con:
        assert limits_of(con) == (limits.memory_mb, limits.threads)
        con.execute("create table t as select 1 as x")  # still the warehouse file
    assert warehouse.paths.warehouse.exists()


def test_the_publish_copy_follows_the_settings_given(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create table t as select 1 as x")
    seen = []
    original = duckdb.connect

    def spy(*args, **kwargs):
        con = original(*args, **kwargs)
        seen.append(limits_of(con))
        return con

    limits = duckdb_limits(1024)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duckdb, "connect", spy)
        publish_snapshot(
            tmp_path / "w.duckdb", tmp_path / "a.duckdb", "run", duckdb_settings=limits.settings
        )
    assert seen == [(limits.memory_mb, limits.threads)]


def test_dbt_gets_them_as_a_var_and_the_spark_target_does_not() -> None:
    for budget in (1024, DEFAULT_MEMORY_BUDGET_MB):
        args = dbt_build_args([date(2026, 3, 1)], 7, 50, 2, memory_budget_mb=budget)
        assert json.loads(args[2])["duckdb_settings"] == duckdb_limits(budget).settings
    default = json.loads(dbt_build_args([date(2026, 3, 1)], 7, 50, 2)[2])
    assert default["duckdb_settings"] == duckdb_limits(DEFAULT_MEMORY_BUDGET_MB).settings
    spark = dbt_build_args([date(2026, 3, 1)], 7, 50, 2, spark_dir=Path("/h/spark"))
    assert "duckdb_settings" not in json.loads(spark[2])
