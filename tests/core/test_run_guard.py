"""`closedloop run` executes outside the run queue, so it must not start while another
run of the same data home is queued or in progress (DuckDB allows one writer)."""

from __future__ import annotations

from datetime import date

import dagster as dg
import pytest
from typer.testing import CliRunner

from pipelines.cli.main import app
from pipelines.config import paths
from pipelines.home import init_home
from pipelines.instance import prepare_dagster_home
from pipelines.runner import WarehouseBusy, active_run_ids, run_range

DAY = date(2025, 3, 1)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "unused"))  # restored after the test
    monkeypatch.setenv("CLOSEDLOOP_HOME", str(tmp_path))
    data = paths(tmp_path)
    init_home(data, DAY)
    prepare_dagster_home(data)
    return data


def _add_run(run_id: str, status: dg.DagsterRunStatus) -> None:
    instance = dg.DagsterInstance.get()
    instance.add_run(dg.DagsterRun(job_name="nightly", run_id=run_id, status=status))


def test_only_unfinished_runs_count_as_active(home):
    _add_run("finished", dg.DagsterRunStatus.SUCCESS)
    _add_run("failed", dg.DagsterRunStatus.FAILURE)
    _add_run("running", dg.DagsterRunStatus.STARTED)
    _add_run("launching", dg.DagsterRunStatus.STARTING)
    _add_run("cancelling", dg.DagsterRunStatus.CANCELING)
    assert sorted(active_run_ids(dg.DagsterInstance.get())) == [
        "cancelling",
        "launching",
        "running",
    ]


def test_run_refuses_while_another_run_is_in_progress(home):
    _add_run("nightly-in-progress", dg.DagsterRunStatus.STARTED)
    with pytest.raises(WarehouseBusy, match="nightly-in-progress"):
        run_range(home, DAY, DAY)
    # nothing ran: the only run on record is still the other one
    assert [r.run_id for r in dg.DagsterInstance.get().get_runs()] == ["nightly-in-progress"]


def test_cli_says_why_and_how_to_proceed(home):
    _add_run("backfill-starting", dg.DagsterRunStatus.STARTING)
    result = CliRunner().invoke(
        app, ["run", "--start", "2025-03-01", "--end", "2025-03-01", "--home", str(home.home)]
    )
    assert result.exit_code == 2, result.output
    assert "backfill-starting" in result.output and "--force" in result.output


def test_cli_refuses_an_end_before_the_start(home):
    result = CliRunner().invoke(
        app, ["run", "--start", "2025-03-02", "--end", "2025-03-01", "--home", str(home.home)]
    )
    assert result.exit_code == 2
    assert "before" in result.output and "Traceback" not in result.output


def test_demo_says_why_too_instead_of_a_traceback(home):
    _add_run("killed-demo", dg.DagsterRunStatus.STARTED)
    result = CliRunner().invoke(
        app, ["demo", "--days", "1", "--per-day", "5", "--home", str(home.home)]
    )
    assert result.exit_code == 2, result.output
    assert "killed-demo" in result.output and "--force" in result.output
