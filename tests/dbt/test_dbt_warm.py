"""The warm dbt (pipelines/dbt_warm.py): an invocation forked from the run's warm process
behaves as the venv's ``dbt`` run directly (output, exit code, signals), and the
launcher runs that ``dbt`` itself when no warm process is announced or reachable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.dbt_warm import ANNOUNCE_FILE, LAUNCHER, WarmDbt, venv_dbt
from pipelines.defs import dbt as dbt_defs

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def warm() -> Iterator[WarmDbt]:
    started = WarmDbt.start()
    yield started
    started.stop()


def _run(executable: str, args: list[str], target: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DBT_TARGET_PATH": str(target), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [executable, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _without_latest(text: str) -> str:
    # `dbt --version` may look up the latest release online; that line may differ
    return "\n".join(line for line in text.splitlines() if "latest" not in line.lower())


def test_the_pipeline_runs_dbt_through_the_launcher_when_it_is_installed() -> None:
    launcher = BIN / LAUNCHER
    assert launcher.exists(), "reinstall the package (make install): the console script is missing"
    assert dbt_defs.defs.resources["dbt"].dbt_executable == str(launcher)


@pytest.mark.parametrize("args", [["--version"], ["no-such-command"], ["parse", "--bad-flag"]])
def test_a_warm_invocation_equals_the_venv_dbt(
    warm: WarmDbt, tmp_path: Path, args: list[str]
) -> None:
    warm.announce(tmp_path)
    forked = _run(str(BIN / LAUNCHER), args, tmp_path)
    direct = _run(venv_dbt(), args, tmp_path)
    assert forked.returncode == direct.returncode
    assert _without_latest(forked.stdout) == _without_latest(direct.stdout)
    assert forked.stderr == direct.stderr


def test_without_a_warm_process_the_launcher_runs_dbt_itself(tmp_path: Path) -> None:
    (tmp_path / ANNOUNCE_FILE).write_text(str(tmp_path / "gone.sock"))  # a stale announcement
    for target in (tmp_path, tmp_path / "never-announced"):
        result = _run(str(BIN / LAUNCHER), ["no-such-command"], target)
        assert result.returncode == 2
        assert "No such command 'no-such-command'" in result.stderr


def test_sigint_reaches_the_forked_dbt(warm: WarmDbt, tmp_path: Path) -> None:
    """dagster-dbt interrupts dbt with SIGINT: the launcher forwards it to the fork."""
    warm.announce(tmp_path)
    env = {**os.environ, "DBT_TARGET_PATH": str(tmp_path)}
    # `dbt init` waits for the project's name on its stdin, this test's pipe.
    process = subprocess.Popen(
        [str(BIN / LAUNCHER), "init", "--skip-profile-setup"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    time.sleep(3)
    assert process.poll() is None
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    assert process.returncode != 0


def test_stop_ends_the_warm_process_and_removes_its_socket() -> None:
    started = WarmDbt.start()
    folder = started.socket_path.parent
    started.stop()
    assert not folder.exists()


def _forked_child(warm_pid: int, timeout: float = 60.0) -> int:
    """The pid of the dbt the warm process forked (it has one child at a time)."""
    children = Path(f"/proc/{warm_pid}/task/{warm_pid}/children")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = children.read_text().split()
        if pids:
            return int(pids[0])
        time.sleep(0.1)
    raise AssertionError("the warm process never forked a dbt")


def _gone(pid: int, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("what_dies", ["launcher", "run"])
def test_a_forked_dbt_ends_with_its_launcher_or_its_run(tmp_path: Path, what_dies: str) -> None:
    """A run killed mid-dbt must not leave dbt writing the warehouse (and holding its
    lock against the next run): the fork ends when its launcher dies (killed) or when
    the run process does (its pipe to the warm process closes)."""
    started = WarmDbt.start()
    process = None
    try:
        # Before its socket exists the launcher runs dbt cold (no fork to watch).
        deadline = time.monotonic() + 60
        while not started.socket_path.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        started.announce(tmp_path)
        process = subprocess.Popen(
            [str(BIN / LAUNCHER), "init", "--skip-profile-setup"],  # waits on its stdin
            env={**os.environ, "DBT_TARGET_PATH": str(tmp_path)},
            cwd=tmp_path,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        child = _forked_child(started._process.pid)  # type: ignore[attr-defined]
        if what_dies == "launcher":
            process.kill()
            process.wait(timeout=30)
        else:
            started.stop()
        assert _gone(child), f"the forked dbt outlived its {what_dies}"
    finally:
        if process is not None:
            process.kill()
            process.wait(timeout=30)
        started.stop()
