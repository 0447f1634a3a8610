"""The public reference data at ``../shared/data`` beside the repository, read by path.

Every test that reads it goes through :func:`shared_data`. On a laptop without the
folder such a test is skipped; under CI (``CI=true``, where the folder sits beside the
clone) it fails instead, so a misplaced data folder cannot quietly turn real-data
tests into skips.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def shared_data(relative: str) -> Path:
    """``../shared/data/<relative>``; skips the calling test when it is absent, or fails
    it under CI."""
    path = SHARED_DATA / relative
    if not path.exists():
        message = f"public reference data not found at {path} (../shared/data beside the repo)"
        if running_in_ci():
            pytest.fail(f"{message}; CI=true requires it", pytrace=False)
        pytest.skip(message)
    return path
