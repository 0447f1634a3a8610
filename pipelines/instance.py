"""The Dagster instance of a data home: ``$CLOSEDLOOP_HOME/dagster`` with the project's dagster.yaml."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from pipelines.config import Paths

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_TEMPLATE = PROJECT_ROOT / "dagster.yaml"


def prepare_dagster_home(paths: Paths) -> Path:
    """Install the project's dagster.yaml into the data home and point DAGSTER_HOME at it."""
    home = paths.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    if not target.exists() or target.read_bytes() != INSTANCE_TEMPLATE.read_bytes():
        shutil.copyfile(INSTANCE_TEMPLATE, target)
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
