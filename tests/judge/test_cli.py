"""`closedloop judge status`: the judge in force and the agreement behind its trust,
from the analysts' snapshot the pipeline published."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipelines.cli.main import app
from pipelines.config import paths
from pipelines.warehouse.io import replace_table
from pipelines.warehouse.publish import publish_snapshot
from pipelines.warehouse.tables import JUDGE_TRUST
from tests.judge.test_defs import _labeled_warehouse, _marts


@pytest.fixture(autouse=True)
def _default_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOSEDLOOP_CONFIG", raising=False)
    monkeypatch.delenv("CLOSEDLOOP_JUDGE", raising=False)


def status(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["judge", "status", "--home", str(home), *args])
    return result.exit_code, result.output


def test_status_shows_the_trust_decision_judge_marts_published(tmp_path: Path) -> None:
    for name, agrees in (("agree", True), ("disagree", False)):
        home = tmp_path / name
        _labeled_warehouse(home, agrees)
        assert _marts(home).success
        publish_snapshot(paths(home).warehouse, paths(home).analytics)
        code, out = status(home)
        assert code == 0, out
        row = next(line for line in out.splitlines() if "signals-1" in line)
        cells = [cell.strip() for cell in row.split("│")[1:-1]]
        (found,) = json.loads(status(home, "--json")[1])
        assert (found["judge"], found["trusted"], found["n"]) == ("signals", agrees, 60)
        assert cells == [
            "signals", "signals-1", "yes", "yes" if agrees else "no",
            f"{found['gwet_ac1']:.3f}", f"{found['gwet_ac1_ci_low']:.3f}", "0.60", "60",
        ]  # fmt: skip
        # humans agree with the judge on all 60 conversations, or on none
        assert (found["gwet_ac1_ci_low"] > 0.6) is agrees
        if agrees:
            assert "is trusted: AC1 1.000" in out and "verified rung is the headline" in out
        else:
            assert "is not trusted" in out and "durable stays the headline" in out


def _trust_snapshot(home: Path, rows: list[dict[str, object]]) -> None:
    with duckdb.connect(str(paths(home).ensure().analytics)) as con:
        replace_table(con, JUDGE_TRUST, pd.DataFrame(rows))


def test_status_lists_every_version_in_force_first_and_notes_a_changed_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    common = {"threshold": 0.6, "evaluated_at": datetime(2026, 1, 7, 3, tzinfo=UTC)}
    _trust_snapshot(
        tmp_path,
        [
            {"judge": "signals", "judge_version": "signals-1", "in_force": False,
             "trusted": True, "n": 412, "gwet_ac1": 0.81, "gwet_ac1_ci_low": 0.74,
             "message": "judge signals (signals-1) is trusted: …", **common},
            {"judge": "learned", "judge_version": "learned-ab12", "in_force": True,
             "trusted": False, "n": 230, "gwet_ac1": 0.66, "gwet_ac1_ci_low": 0.52,
             "message": "judge learned (learned-ab12) is not trusted: 5-fold cross-validated "
             "AC1 0.660 with 95% CI lower bound 0.520 vs threshold 0.6 on 230 labeled "
             "conversations", **common},
        ],
    )  # fmt: skip
    monkeypatch.setenv("CLOSEDLOOP_JUDGE", "learned")
    code, out = status(tmp_path)
    assert code == 0, out
    lines = out.splitlines()
    learned = next(i for i, line in enumerate(lines) if "learned-ab12" in line)
    signals = next(i for i, line in enumerate(lines) if "signals-1" in line)
    assert learned < signals  # the judge in force first
    assert "0.660" in lines[learned] and "0.520" in lines[learned] and "230" in lines[learned]
    assert "5-fold cross-validated AC1 0.660" in out and "durable stays the headline" in out
    assert "note:" not in out
    monkeypatch.setenv("CLOSEDLOOP_JUDGE", "signals")
    code, out = status(tmp_path)
    assert code == 0 and "the setting `judge` is now signals" in out


def test_status_before_any_run_says_what_to_do(tmp_path: Path) -> None:
    code, out = status(tmp_path)
    assert code == 1 and "run the pipeline first" in out
    with duckdb.connect(str(paths(tmp_path).ensure().analytics)) as con:
        con.execute("create table main.unrelated (x int)")
    code, out = status(tmp_path)
    assert code == 0 and "judge signals (setting `judge`): not measured yet" in out
