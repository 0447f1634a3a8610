"""One writer per data home (issue 12 #14, #16): a second run of a home is refused before
it writes anything, a dead holder's lock is taken over, a run a killed process left
STARTED is marked failed, and a home that cannot be written is a clear error."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import dagster as dg
import pytest
from typer.testing import CliRunner

from pipelines.cli.main import app
from pipelines.config import paths
from pipelines.home_lock import LOCK_NAME, HomeInUse, exclusive_home
from pipelines.instance import prepare_dagster_home
from pipelines.runner import CLI_TRIGGER, TRIGGER_TAG, WarehouseBusy, run_range

ROOT = Path(__file__).resolve().parents[2]
DAY = "2025-03-01"


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "unused"))  # restored after the test
    monkeypatch.delenv("CLOSEDLOOP_CONFIG", raising=False)
    # DAY is older than a derived first partition (issue 13 #7): start the partitions there.
    monkeypatch.setenv("CLOSEDLOOP_PARTITIONS_START", "2025-01-01")
    return tmp_path


def _hold_lock(home: Path) -> subprocess.Popen[str]:
    """Another process holding the home's lock, as a running `closedloop run` does."""
    code = textwrap.dedent(
        f"""
        import time
        from pipelines.config import paths
        from pipelines.home_lock import exclusive_home
        with exclusive_home(paths({str(home)!r})):
            print("held", flush=True)
            time.sleep(120)
        """
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_run_of_a_home_is_refused_before_it_writes_anything(isolated):
    home = isolated / "home"
    (home / "landing").mkdir(parents=True)  # a valid (team-created) home
    holder = _hold_lock(home)
    try:
        result = CliRunner().invoke(app, ["run", "--start", DAY, "--end", DAY, "--home", str(home)])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert f"process {holder.pid} on host {socket.gethostname()}" in message
    assert "Traceback" not in result.output
    # refused before anything was written: the lock file is all there is
    assert sorted(p.name for p in home.iterdir()) == [LOCK_NAME, "landing"]


def test_a_lock_whose_holder_was_killed_is_taken_over(isolated):
    home = paths(isolated / "home")
    holder = _hold_lock(home.home)
    with pytest.raises(HomeInUse, match=str(holder.pid)), exclusive_home(home):
        pass
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert (home.home / LOCK_NAME).exists()  # kill -9 left the lock file behind
    with exclusive_home(home):
        assert f"pid={os.getpid()}" in (home.home / LOCK_NAME).read_text()
    assert not (home.home / LOCK_NAME).exists()  # released on exit


def test_the_lock_file_is_owner_only(isolated):
    home = paths(isolated / "home")
    with exclusive_home(home):
        assert (home.home / LOCK_NAME).stat().st_mode & 0o077 == 0


def test_a_cli_run_left_started_by_a_killed_process_is_marked_failed(isolated, monkeypatch):
    home = paths(isolated / "home").ensure()
    monkeypatch.setenv("CLOSEDLOOP_HOME", str(home.home))
    prepare_dagster_home(home)
    instance = dg.DagsterInstance.get()
    instance.add_run(
        dg.DagsterRun(
            job_name="nightly",
            run_id="killed-cli-run",
            status=dg.DagsterRunStatus.STARTED,
            tags={TRIGGER_TAG: CLI_TRIGGER},
        )
    )
    # A run the daemon launched is not ours to judge: it still blocks (and stops this test
    # before the pipeline runs).
    instance.add_run(
        dg.DagsterRun(job_name="nightly", run_id="daemon-run", status=dg.DagsterRunStatus.STARTED)
    )
    with pytest.raises(WarehouseBusy) as refused:
        run_range(home, date.fromisoformat(DAY), date.fromisoformat(DAY))
    assert "daemon-run" in str(refused.value) and "killed-cli-run" not in str(refused.value)
    statuses = {run.run_id: run.status for run in dg.DagsterInstance.get().get_runs()}
    assert statuses == {
        "killed-cli-run": dg.DagsterRunStatus.FAILURE,
        "daemon-run": dg.DagsterRunStatus.STARTED,
    }


def test_a_home_that_cannot_be_written_is_a_clear_error(isolated):
    # A valid home whose Dagster folder cannot be created (a file is in the way): root
    # ignores a read-only chmod, so this is how the test makes the home unwritable.
    home = isolated / "home"
    (home / "landing").mkdir(parents=True)
    (home / "dagster").write_text("")
    result = CliRunner().invoke(app, ["run", "--start", DAY, "--end", DAY, "--home", str(home)])
    assert result.exit_code == 2, result.output
    assert "cannot write the data home" in result.output
    assert "Traceback" not in result.output
