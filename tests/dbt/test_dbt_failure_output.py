"""A failing dbt build (issue 12 #6, #16): dbt's messages quote DuckDB's error text, which
can quote row values, so they reach neither the terminal nor the step's failure; the
failure names the failed nodes, and dbt's target and logs are owner-only under the data
home, not in the repository."""

from __future__ import annotations

import json
import os
from datetime import date

import dagster as dg
import duckdb
import pytest

from pipelines.config import paths
from pipelines.dbt_args import DBT_PROJECT_DIR, failed_nodes, run_target_dir
from pipelines.defs import dbt as dbt_defs
from pipelines.defs.resources import WarehouseResource
from pipelines.warehouse.io import ensure_table
from pipelines.warehouse.tables import INGEST_AUDIT, SCRUBBED_CONVERSATIONS, SCRUBBED_EVENTS

CANARY = "zq7dbtcanary"
DAY = date(2025, 3, 1)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    monkeypatch.delenv("CLOSEDLOOP_CONFIG", raising=False)
    data = paths(tmp_path / "home").ensure()
    con = duckdb.connect(str(data.warehouse))
    for table in (SCRUBBED_CONVERSATIONS, SCRUBBED_EVENTS, INGEST_AUDIT):
        ensure_table(con, table)
    con.close()
    return data


def test_dbt_error_text_stays_out_of_the_terminal_and_the_failure(home, monkeypatch, capfd):
    real_args = dbt_defs.dbt_build_args

    def args_with_a_value_duckdb_quotes(*args, **kwargs):
        built = real_args(*args, **kwargs)
        variables = json.loads(built[2])
        # `24 * zq7…`: DuckDB's binder error quotes it, as a conversion error quotes a
        # row's value, and dbt's error message repeats DuckDB's text.
        variables["recontact_days"] = CANARY
        return [built[0], built[1], json.dumps(variables)]

    monkeypatch.setattr(dbt_defs, "dbt_build_args", args_with_a_value_duckdb_quotes)
    before = {p.name for p in (DBT_PROJECT_DIR / "target").iterdir()}
    result = dg.materialize(
        [dbt_defs.closedloop_dbt_models],
        resources={
            "dbt": dbt_defs.defs.resources["dbt"],
            "warehouse": WarehouseResource(home=str(home.home)),
        },
        partition_key=DAY.isoformat(),
        raise_on_error=False,
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    description = failure.step_failure_data.user_failure_data.description
    assert "dbt build failed" in description and "error model.closedloop" in description
    output = capfd.readouterr()
    logged = "\n".join(str(e.message) for e in result.all_events)
    # The planted value is in this test's dbt command line (its --vars), which is logged;
    # real vars carry no record values. Every other line must not quote it.
    leaked = [
        line
        for line in (output.out + output.err + description + logged).splitlines()
        if CANARY in line and "dbt command: `" not in line
    ]
    assert leaked == []
    # The full text is kept for the operator, owner-only, under the home.
    run_folder = home.dbt_runs / result.run_id
    assert CANARY in (run_folder / "dbt.log").read_text()
    assert os.stat(home.dbt_runs).st_mode & 0o077 == 0
    # nothing new in the repository's dbt target
    assert {p.name for p in (DBT_PROJECT_DIR / "target").iterdir()} == before


def test_failed_nodes_never_carries_dbt_messages():
    results = {
        "results": [
            {"unique_id": "model.x", "status": "error", "message": f"Conversion: '{CANARY}'"},
            {"unique_id": "test.y", "status": "fail", "failures": 2, "message": CANARY},
            {"unique_id": "model.z", "status": "success", "message": "OK"},
        ]
    }
    assert failed_nodes(results) == ["error model.x", "fail test.y (2 failing rows)"]


def test_only_the_latest_run_folders_are_kept(tmp_path):
    runs = tmp_path / "dbt"
    for index, name in enumerate(["old", "older-but-newer", "recent"]):
        folder = runs / name
        folder.mkdir(parents=True)
        os.utime(folder, (index, index))
    current = run_target_dir(runs, "now", keep=3)
    assert sorted(p.name for p in runs.iterdir()) == ["now", "older-but-newer", "recent"]
    assert current == runs / "now" and os.stat(current).st_mode & 0o077 == 0
