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


def test_a_group_readable_ingest_cache_fails(home: Path) -> None:
    layout = paths(home)
    names = [check.name for check in run_checks(layout)]
    assert "ingest cache" not in names, "nothing to check before a run made it"
    layout.ingest_cache.mkdir(mode=0o700)
    assert _status(home, "ingest cache") == "ok"
    os.chmod(layout.ingest_cache, 0o750)
    assert _status(home, "ingest cache") == "fail"


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


def test_the_spark_conf_file_is_checked_without_printing_its_values(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "s3cr3t-value-of-a-key"
    conf_file = home / "spark.conf"
    conf_file.write_text(f"spark.executor.memory 2g\nspark.hadoop.fs.s3a.secret.key {secret}\n")
    os.chmod(conf_file, 0o600)
    assert not [c for c in run_checks(paths(home)) if c.name == "spark_conf"]  # not set
    monkeypatch.setenv("CLOSEDLOOP_SPARK_CONF", str(conf_file))
    ok = _check(home, "spark_conf")
    assert ok.status == "ok" and "2 Spark properties" in ok.detail
    os.chmod(conf_file, 0o644)
    readable = _check(home, "spark_conf")  # a Spark stage refuses it too
    assert readable.status == "fail" and readable.fix == f"chmod 600 {conf_file}"
    os.chmod(conf_file, 0o600)
    monkeypatch.setenv("HOME", str(conf_file.parent))
    monkeypatch.setenv("CLOSEDLOOP_SPARK_CONF", f"~/{conf_file.name}")
    assert _status(home, "spark_conf") == "ok"  # "~" is the user's home, as for the stage
    monkeypatch.setenv("CLOSEDLOOP_SPARK_CONF", str(conf_file))
    conf_file.write_text(f"fs.s3a.secret.key {secret}\n")
    bad = _check(home, "spark_conf")
    assert bad.status == "fail" and "line 1" in bad.detail
    assert all(secret not in c.detail + c.fix for c in run_checks(paths(home)))


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


def test_retention_reports_folders_it_cannot_date_and_still_purges(
    home: Path, capfd: pytest.CaptureFixture
) -> None:
    """issue 12 #15 wiring: a dt= name that is not a day is kept and said, not fatal."""
    layout = paths(home)
    (layout.landing / "dt=2025-02-30").mkdir()
    (layout.raw / "dt=2026-01-01").mkdir()
    result = raw_retention.execute_in_process(
        resources={"warehouse": WarehouseResource(home=str(home))},
        tags={"closedloop/today": date(2026, 3, 1).isoformat()},
    )
    assert result.success
    assert list(layout.raw.glob("dt=*")) == []
    assert "kept landing/dt=2025-02-30: not a YYYY-MM-DD day" in capfd.readouterr().err


def test_a_folder_retention_cannot_delete_fails_the_run_after_the_others(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from pipelines import retention

    layout = paths(home)
    for day in ("2026-01-01", "2026-01-02"):
        (layout.raw / f"dt={day}").mkdir()
    real_rmtree = shutil.rmtree

    def resisting(path, *args, **kwargs):  # root ignores permissions: fail like EACCES
        if Path(path).name == "dt=2026-01-01":
            raise PermissionError(13, "Permission denied")
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(retention.shutil, "rmtree", resisting)
    result = raw_retention.execute_in_process(
        resources={"warehouse": WarehouseResource(home=str(home))},
        tags={"closedloop/today": date(2026, 3, 1).isoformat()},
        raise_on_error=False,
    )
    assert not result.success
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    description = failure.step_failure_data.user_failure_data.description
    assert "deleted 1 expired raw partition folders, but 1 could not be deleted" in description
    assert "raw/dt=2026-01-01: Permission denied" in description
    assert [p.name for p in layout.raw.glob("dt=*")] == ["dt=2026-01-01"]


def test_the_instance_check_accepts_the_installed_file_and_flags_a_stale_one(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.instance import INSTANCE_TEMPLATE, prepare_dagster_home

    monkeypatch.setenv("DAGSTER_HOME", str(home / "unused"))  # restored after the test
    assert _status(home, "dagster instance") == "warn"  # not installed yet
    prepare_dagster_home(paths(home))
    assert _status(home, "dagster instance") == "ok"
    installed = paths(home).dagster_home / "dagster.yaml"
    installed.write_text(INSTANCE_TEMPLATE.read_text())  # the template, folder not written in
    assert _status(home, "dagster instance") == "warn"
