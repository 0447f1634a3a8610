"""Shared small generated datasets (module-cached so the suite stays fast)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.synth import GenerationSummary, Incident, generate

START, END = date(2026, 1, 1), date(2026, 1, 28)
INCIDENT = "2026-01-15:ios"


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationSummary]:
    """Four weeks x 60/day of canonical JSONL with an iOS incident from Jan 15."""
    root = tmp_path_factory.mktemp("synth")
    summary = generate(
        START,
        END,
        60,
        seed=11,
        landing=root / "landing",
        truth_dir=root / "truth",
        incidents=[Incident.parse(INCIDENT)],
    )
    return root, summary
