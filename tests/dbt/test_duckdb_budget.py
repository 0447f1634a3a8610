"""dbt's DuckDB runs with the memory_limit and threads of memory_budget_mb: the
pipeline's ``dbt build`` vars (pipelines.dbt_args) reach profiles.yml's ``settings``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from dbt.cli.main import dbtRunner

from pipelines.config import duckdb_limits
from pipelines.dbt_args import dbt_build_args
from tests.core.test_duckdb_budget import _UNITS
from tests.dbt.helpers import DBT_PROJECT

QUERY = "select current_setting('memory_limit') as memory, current_setting('threads') as threads"


def dbt_show(tmp_path: Path, variables: dict | None) -> tuple[float, int]:
    """``dbt show`` of DuckDB's memory_limit (MiB) and threads through the project's profile."""
    args = ["show", "--inline", QUERY, "--project-dir", str(DBT_PROJECT)]
    args += ["--profiles-dir", str(DBT_PROJECT), "--target-path", str(tmp_path / "target")]
    args += ["--log-path", str(tmp_path / "logs"), "--quiet"]
    if variables is not None:
        args += ["--vars", json.dumps(variables)]
    result = dbtRunner().invoke(args)
    assert result.success, result.exception
    (row,) = result.result.results[0].agate_table.rows
    number, unit = str(row["memory"]).split()
    return float(number) * _UNITS[unit], int(row["threads"])


def test_dbt_runs_with_the_budgets_duckdb_limits(tmp_path: Path, monkeypatch) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("CLOSEDLOOP_WAREHOUSE", str(warehouse))
    for budget in (1024, 1536):
        # the vars of the pipeline's dbt build, warehouse path included
        built = dbt_build_args(
            [date(2026, 3, 1)], 7, 50, 2, warehouse=warehouse, memory_budget_mb=budget
        )
        limits = duckdb_limits(budget)
        assert dbt_show(tmp_path, json.loads(built[2])) == (limits.memory_mb, limits.threads)
    # a plain dbt invocation (make docs, the model tests) keeps DuckDB's defaults
    memory, _ = dbt_show(tmp_path, None)
    assert memory > duckdb_limits(1536).memory_mb
