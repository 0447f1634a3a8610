"""The blocking GX check reads the marts from the warehouse and fails on a bad row."""

from pathlib import Path

import duckdb
import pandas as pd

from pipelines.defs.quality import resolution_marts_pass_gx_suites
from pipelines.defs.resources import WarehouseResource
from tests.dbt.test_mart_suites import good_marts


def _warehouse(
    tmp_path: Path, daily: pd.DataFrame, by_dimension: pd.DataFrame
) -> WarehouseResource:
    resource = WarehouseResource(home=str(tmp_path))
    with resource.connect() as con:
        con.register("daily_frame", daily)
        con.register("dimension_frame", by_dimension)
        con.execute("create table mart_resolution_daily as select * from daily_frame")
        con.execute("create table mart_resolution_by_dimension as select * from dimension_frame")
    return resource


def test_good_marts_pass(tmp_path: Path) -> None:
    result = resolution_marts_pass_gx_suites(warehouse=_warehouse(tmp_path, *good_marts()))
    assert result.passed, result.description


def test_a_rate_above_one_fails_and_is_named(tmp_path: Path) -> None:
    daily, by_dimension = good_marts()
    daily.loc[0, "resolution_rate"] = 1.4
    result = resolution_marts_pass_gx_suites(warehouse=_warehouse(tmp_path, daily, by_dimension))
    assert not result.passed
    assert "resolution_rate" in result.description
    with duckdb.connect(str(tmp_path / "warehouse" / "warehouse.duckdb")) as con:
        assert con.execute("select count(*) from mart_resolution_daily").fetchone()[0] == 2
