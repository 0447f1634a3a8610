"""`closedloop doctor` says what is wrong; the retention job deletes only expired raw data."""

import os
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.cli.main import app
from pipelines.config import paths
from pipelines.defs.resources import WarehouseResource
from pipelines.defs.schedules import raw_retention
from pipelines.doctor import run_checks


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("CLOSEDLOOP_PII_KEY", "CLOSEDLOOP_PII_KEY_FILE", "CLOSEDLOOP_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    paths(tmp_path).ensure()
    return tmp_path


def _status(home: Path, name: str) -> str:
    return next(check.status for check in run_checks(paths(home)) if check.name == name)


def test_a_group_readable_raw_area_and_key_fail(home: Path) -> None:
    layout = paths(home)
    assert _status(home, "raw area") == "ok"
    assert _status(home, "PII key") == "warn"  # generated on first run
    layout.pii_key_file.write_bytes(b"k" * 32)
    os.chmod(layout.pii_key_file, 0o644)
    os.chmod(layout.raw, 0o755)
    assert _status(home, "raw area") == "fail"
    assert _status(home, "PII key") == "fail"


def test_a_short_key_fails_from_the_environment_and_from_the_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY", "ab")
    assert _status(home, "PII key") == "fail"
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY", "00" * 32)
    assert _status(home, "PII key") == "ok"
    monkeypatch.delenv("CLOSEDLOOP_PII_KEY")
    key_file = paths(home).pii_key_file
    key_file.write_text("abcd")
    os.chmod(key_file, 0o600)
    assert _status(home, "PII key") == "fail"


def test_doctor_exits_1_and_prints_the_fix(home: Path) -> None:
    os.chmod(paths(home).raw, 0o755)
    result = CliRunner().invoke(app, ["doctor", "--home", str(home)])
    assert result.exit_code == 1
    assert "chmod 700" in result.output


def test_the_retention_job_purges_expired_partitions(home: Path) -> None:
    layout = paths(home)
    for day in ("2026-01-01", "2026-02-20"):
        (layout.raw / f"dt={day}").mkdir()
    result = raw_retention.execute_in_process(
        resources={"warehouse": WarehouseResource(home=str(home))},
        tags={"closedloop/today": date(2026, 3, 1).isoformat()},
    )
    assert result.success
    assert sorted(p.name for p in layout.raw.glob("dt=*")) == ["dt=2026-02-20"]
