"""Shared fixtures: one linter per session (loading the rules and word lists costs ~1 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.knowledge.linter import Linter

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture(scope="session")
def linter() -> Linter:
    return Linter()
