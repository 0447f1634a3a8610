"""`closedloop ui` stops on SIGTERM (what service managers send), children included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

# Stands in for `dg dev`: ignores SIGTERM (as dg dev's children effectively do), stops
# on SIGINT, and has a child of its own that must not outlive it.
FAKE_DG_DEV = textwrap.dedent(
    """
    import signal, subprocess, sys, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:  # the stop may come as soon as the pid is out
        print(child.pid, flush=True)
        time.sleep(600)
    except KeyboardInterrupt:
        child.terminate(); child.wait(); sys.exit(0)
    """
)
SUPERVISOR = "import sys; from pathlib import Path; from pipelines.instance import supervise; sys.exit(supervise(sys.argv[1:], Path('.'), grace={grace}))"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")  # zombie = gone


def _start(tmp_path: Path, script: str, grace: float) -> tuple[subprocess.Popen[str], int]:
    fake = tmp_path / "fake_dg_dev.py"
    fake.write_text(script)
    supervisor = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR.format(grace=grace), sys.executable, str(fake)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # like a service: its own process group
    )
    assert supervisor.stdout is not None
    grandchild = int(supervisor.stdout.readline())
    return supervisor, grandchild


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_group_stops_everything_cleanly(tmp_path: Path, sig: int) -> None:
    supervisor, grandchild = _start(tmp_path, FAKE_DG_DEV, grace=20)
    os.killpg(supervisor.pid, sig)  # what systemd or Ctrl-C does
    # 0: dg dev stopped itself on the SIGINT (a kill after the 20 s grace is not 0). The
    # timeout is generous: on a loaded 2-core machine the processes start slowly.
    assert supervisor.wait(timeout=60) == 0
    time.sleep(0.5)
    assert not _alive(grandchild)


def test_a_child_that_ignores_the_stop_is_killed_after_the_grace(tmp_path: Path) -> None:
    stubborn = FAKE_DG_DEV.replace(
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)",
        "signal.signal(signal.SIGTERM, signal.SIG_IGN); signal.signal(signal.SIGINT, signal.SIG_IGN)",
    )
    supervisor, grandchild = _start(tmp_path, stubborn, grace=2)
    os.killpg(supervisor.pid, signal.SIGTERM)
    assert supervisor.wait(timeout=60) != 0
    time.sleep(0.5)
    assert not _alive(grandchild)
