"""The blocking GX check reads the marts from the warehouse and fails on a bad row."""

import os
import subprocess
import sys
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


def test_gx_and_the_stats_libraries_are_imported_by_the_dbt_step_not_with_the_definitions(
    tmp_path: Path,
) -> None:
    """Loading the code location leaves great_expectations, scikit-learn, scipy,
    statsmodels and wordfreq out (4-6 s of start-up); the dbt step's background import
    brings in all but wordfreq (the KB lint imports it before dbt), and the check runs
    with them."""
    script = """
import sys, threading
from pipelines.config import settings
from pipelines.definitions import build_definitions
build_definitions(settings(sys.argv[1]), sys.argv[1]).resolve_job_def("nightly")
heavy = ("great_expectations", "sklearn", "scipy", "statsmodels", "wordfreq")
print("with the definitions:", sorted(name for name in heavy if name in sys.modules))
from pipelines.defs.preload import (
    LATER_MODULES, THREAD_NAME, import_later_modules_in_background,
)
import_later_modules_in_background()
import_later_modules_in_background()  # a second call while the first imports starts nothing
importing = [t for t in threading.enumerate() if t.name == THREAD_NAME]
print("threads:", len(importing))
for thread in importing:
    thread.join()
print("missing after the background import:", [m for m in LATER_MODULES if m not in sys.modules])
print("gx after the background import:", "great_expectations" in sys.modules)
"""
    (tmp_path / "landing").mkdir()
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "CLOSEDLOOP_HOME": str(tmp_path)},
    ).stdout
    assert "with the definitions: []" in out
    assert "threads: 1" in out
    assert "missing after the background import: []" in out
    assert "gx after the background import: True" in out
