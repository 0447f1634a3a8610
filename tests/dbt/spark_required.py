"""The guard of the Spark test modules: skip where Java is missing, never in CI."""

from __future__ import annotations

import importlib
import os
import shutil
from types import ModuleType

import pytest


def require_spark(what: str) -> ModuleType:
    """pyspark, or a module-level skip where Java (or, outside CI, pyspark) is missing.
    CI installs a JRE and pyspark, so there a missing pyspark fails the module."""
    if shutil.which("java") is None:
        pytest.skip(
            f"Java is missing: {what} needs a JRE 17+ "
            "(apt-get install openjdk-17-jre-headless; .ci/run installs it)",
            allow_module_level=True,
        )
    if os.environ.get("CI") == "true":
        return importlib.import_module("pyspark")
    return pytest.importorskip("pyspark", reason="pyspark is missing: make install")
