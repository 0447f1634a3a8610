"""The Dagster instance of a data home: ``$CLOSEDLOOP_HOME/dagster`` with the project's dagster.yaml."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from pipelines.config import Paths

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_TEMPLATE = PROJECT_ROOT / "dagster.yaml"
# Where the template names the instance's own folder (the event log's base_dir).
INSTANCE_DIR_PLACEHOLDER = "__INSTANCE_DIR__"


def instance_yaml(paths: Paths) -> str:
    """The dagster.yaml of a data home: the project's template with the instance's
    absolute folder written in (a JSON string is a YAML scalar, so any path is quoted
    safely)."""
    folder = json.dumps(str(paths.dagster_home.resolve()))
    return INSTANCE_TEMPLATE.read_text().replace(INSTANCE_DIR_PLACEHOLDER, folder)


def prepare_dagster_home(paths: Paths) -> Path:
    """Install the project's dagster.yaml into the data home and point DAGSTER_HOME at it."""
    home = paths.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    wanted = instance_yaml(paths)
    if not target.exists() or target.read_text() != wanted:
        target.write_text(wanted)
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ["CLOSEDLOOP_HOME"] = str(paths.home)
    return home


def dg_dev_command(port: int, host: str = "127.0.0.1") -> list[str]:
    """``dg dev`` (webserver + daemon) on the project (pyproject's [tool.dg]), with this
    venv's ``dg``; run it with the project root as working directory."""
    return [
        str(Path(sys.executable).with_name("dg")), "dev",
        "--target-path", str(PROJECT_ROOT),
        "--host", host, "--port", str(port),
    ]  # fmt: skip


# How long `dg dev` gets to stop its webserver, daemon and code servers after SIGINT.
SHUTDOWN_SECONDS = 30


def supervise(command: list[str], cwd: Path, grace: float = SHUTDOWN_SECONDS) -> int:
    """Run ``command`` (``dg dev``) in its own process group until it exits, and stop
    it cleanly on SIGTERM or SIGINT.

    ``dg dev`` shuts its children down on SIGINT (Ctrl-C) but not on SIGTERM, which is
    what service managers send: its webserver, daemon and code servers then hang.
    So the child runs in a session of its own (a signal to our group reaches only
    us), and either signal is passed on to its group as SIGINT; whatever is still
    running ``grace`` seconds later is killed.
    """
    stopping: list[float] = []  # when the stop signal came
    started: list[subprocess.Popen[bytes]] = []

    def stop(_signum: int, _frame: FrameType | None) -> None:
        stopping.append(time.monotonic())
        if started:
            _signal_group(started[0].pid, signal.SIGINT)

    # Handlers first: a stop that arrives while the child starts must still reach it.
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        child = subprocess.Popen(command, cwd=cwd, start_new_session=True)
        started.append(child)
        if stopping:
            _signal_group(child.pid, signal.SIGINT)
        while (code := child.poll()) is None:
            if stopping and time.monotonic() - stopping[0] > grace:
                _signal_group(child.pid, signal.SIGKILL)
            time.sleep(0.5)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if started:
            _signal_group(started[0].pid, signal.SIGKILL)  # stragglers of a child that exited
    return code


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(pgid, sig)
