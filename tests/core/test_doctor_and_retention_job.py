"""`closedloop doctor` says what is wrong; the retention job deletes only expired raw data."""

import os
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli.main import app
from pipelines.config import paths
from pipelines.defs.resources import WarehouseResource
from pipelines.defs.schedules import raw_retention
from pipelines.doctor import run_checks
from pipelines.pii.pseudonym import PiiKey
from pipelines.warehouse.fingerprint import record_fingerprint


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


def _check(home: Path, name: str):
    return next(check for check in run_checks(paths(home)) if check.name == name)


def test_an_empty_or_missing_key_file_fails_with_the_fix(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = home / "empty.key"
    empty.touch(mode=0o600)
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY_FILE", str(empty))
    check = _check(home, "PII key")
    assert check.status == "fail" and "empty" in check.detail
    assert "unset a wrong $CLOSEDLOOP_PII_KEY_FILE" in check.fix
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY_FILE", str(home / "missing.key"))
    assert _status(home, "PII key") == "fail"
    result = CliRunner().invoke(app, ["doctor", "--home", str(home)])
    assert result.exit_code == 1 and result.exception is not None
    assert isinstance(result.exception, SystemExit), "a failed check, not a traceback"
    assert "PII key" in result.output  # the table wraps the detail, so not the path


def test_the_key_is_compared_with_the_warehouse_fingerprint(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = PiiKey(bytes.fromhex("aa" * 32), "$CLOSEDLOOP_PII_KEY")
    with duckdb.connect(str(paths(home).warehouse)) as con:
        record_fingerprint(con, recorded, "first use")
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY", "aa" * 32)
    assert _status(home, "PII key fingerprint") == "ok"
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY", "bb" * 32)
    mismatch = _check(home, "PII key fingerprint")
    assert mismatch.status == "fail" and recorded.fingerprint in mismatch.detail
    assert "closedloop pii accept-key" in mismatch.fix
    monkeypatch.delenv("CLOSEDLOOP_PII_KEY")
    missing = _check(home, "PII key")
    assert missing.status == "fail" and "runs are refused" in missing.detail


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


def test_an_unknown_time_zone_fails_the_settings_check(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOSEDLOOP_BUSINESS_TIMEZONE", "Mars/Olympus")
    check = next(c for c in run_checks(paths(home)) if c.name == "settings")
    assert check.status == "fail" and "IANA" in check.detail
