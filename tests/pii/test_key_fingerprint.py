"""A lost, empty or replaced PII key is refused before anything is written; a new key
is used only when a fresh warehouse gets one, or when `closedloop pii accept-key` says so."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from pipelines.cli.main import app
from pipelines.config import paths
from pipelines.pii.pseudonym import (
    PiiKey,
    key_fingerprint,
    key_from_env,
    pseudonymize,
)
from pipelines.secrets import SecretFileError
from pipelines.warehouse.fingerprint import recorded_fingerprint
from tests.pii.conftest import make_tables
from tests.pii.test_scrub_asset import materialize, write_raw

KEY_A, KEY_B = "aa" * 32, "bb" * 32


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("CLOSEDLOOP_PII_KEY", "CLOSEDLOOP_PII_KEY_FILE", "CLOSEDLOOP_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def warehouse_state(home: Path) -> dict[str, list[tuple]]:
    """Every row the scrub asset writes, to show a refused run changed nothing."""
    with duckdb.connect(str(paths(home).warehouse), read_only=True) as con:
        return {
            table: sorted(con.execute(f"select * from {table}").fetchall(), key=str)
            for table in (
                "scrubbed.conversations",
                "scrubbed.events",
                "main.pii_detections_daily",
                "main.pii_key_fingerprint",
            )
        }


def failure_message(result) -> str:
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    return failure.step_failure_data.user_failure_data.description or ""


def first_run(home: Path, day: date, tables: tuple[pa.Table, pa.Table]) -> date:
    """Scrub ``day`` with whatever key is configured; raw for the next day is ready."""
    write_raw(home, day, tables)
    assert materialize(home, day).success
    following = day + timedelta(days=1)
    write_raw(home, following, make_tables(following))
    return following


def test_the_fingerprint_is_stable_per_key_and_reveals_nothing() -> None:
    key = bytes.fromhex(KEY_A)
    fingerprint = key_fingerprint(key)
    assert fingerprint == key_fingerprint(key) != key_fingerprint(bytes.fromhex(KEY_B))
    assert fingerprint.startswith("kf_") and len(fingerprint) == 19
    assert KEY_A[:8] not in fingerprint
    assert "aa" * 32 not in repr(PiiKey(key, "test")), "the key is never in a repr"


def test_a_removed_key_file_fails_the_next_run_before_writing(
    home: Path, day: date, tables: tuple[pa.Table, pa.Table]
) -> None:
    following = first_run(home, day, tables)
    key_file = paths(home).pii_key_file
    with duckdb.connect(str(paths(home).warehouse), read_only=True) as con:
        recorded = recorded_fingerprint(con)
    assert recorded is not None and recorded.reason == "first use"
    assert recorded.fingerprint == key_fingerprint(bytes.fromhex(key_file.read_text()))
    before = warehouse_state(home)
    key_file.unlink()

    result = materialize(home, following)
    assert not result.success
    message = failure_message(result)
    assert "no PII key found" in message and str(key_file) in message
    assert recorded.fingerprint in message and "closedloop pii accept-key" in message
    assert not key_file.exists(), "no new key is generated silently"
    assert warehouse_state(home) == before


def test_an_environment_key_other_than_the_recorded_one_fails(
    home: Path, monkeypatch: pytest.MonkeyPatch, day: date, tables: tuple[pa.Table, pa.Table]
) -> None:
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY", KEY_A)
    following = first_run(home, day, tables)
    before = warehouse_state(home)
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY", KEY_B)

    result = materialize(home, following)
    assert not result.success
    message = failure_message(result)
    assert "PII key changed" in message and "$CLOSEDLOOP_PII_KEY" in message
    assert key_fingerprint(bytes.fromhex(KEY_A)) in message
    assert KEY_B not in message and KEY_A not in message
    assert warehouse_state(home) == before
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY", KEY_A)
    assert materialize(home, following).success


def test_an_empty_key_file_fails_the_run_instead_of_meaning_unset(
    home: Path, monkeypatch: pytest.MonkeyPatch, day: date, tables: tuple[pa.Table, pa.Table]
) -> None:
    empty = home / "empty.key"
    empty.touch(mode=0o600)
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY_FILE", str(empty))
    write_raw(home, day, tables)
    result = materialize(home, day)
    assert not result.success
    assert "CLOSEDLOOP_PII_KEY_FILE" in failure_message(result)
    assert "empty" in failure_message(result)
    assert not paths(home).pii_key_file.exists()


def test_a_warehouse_scrubbed_before_fingerprints_refuses_a_missing_key(
    home: Path, day: date, tables: tuple[pa.Table, pa.Table]
) -> None:
    following = first_run(home, day, tables)
    with duckdb.connect(str(paths(home).warehouse)) as con:
        con.execute("drop table main.pii_key_fingerprint")
    paths(home).pii_key_file.unlink()
    result = materialize(home, following)
    assert not result.success
    assert "made with an earlier key" in failure_message(result)


def test_accept_key_records_a_new_key_deliberately(
    home: Path, day: date, tables: tuple[pa.Table, pa.Table]
) -> None:
    following = first_run(home, day, tables)
    key_file = paths(home).pii_key_file
    old_fingerprint = key_fingerprint(bytes.fromhex(key_file.read_text()))
    key_file.unlink()
    runner = CliRunner()

    declined = runner.invoke(app, ["pii", "accept-key", "--home", str(home)], input="n\n")
    assert declined.exit_code == 1 and not key_file.exists()
    assert "made with " + old_fingerprint in declined.output

    accepted = runner.invoke(app, ["pii", "accept-key", "--home", str(home), "--yes"])
    assert accepted.exit_code == 0, accepted.output
    assert key_file.exists() and os.stat(key_file).st_mode & 0o077 == 0
    new_key = bytes.fromhex(key_file.read_text())
    assert "will NOT join" in accepted.output
    assert f"closedloop run --start {day} --end {following}" in accepted.output
    with duckdb.connect(str(paths(home).warehouse), read_only=True) as con:
        history = con.execute(
            "select fingerprint, reason from main.pii_key_fingerprint order by recorded_at"
        ).fetchall()
    assert history == [(old_fingerprint, "first use"), (key_fingerprint(new_key), "accepted")]

    assert materialize(home, following).success
    with duckdb.connect(str(paths(home).warehouse), read_only=True) as con:
        (customer_key,) = con.execute(
            "select customer_key from scrubbed.conversations "
            "where partition_date = ? and conversation_id like '%-c0'",
            [following],
        ).fetchone()
    assert customer_key == pseudonymize("cust-0", new_key)

    again = runner.invoke(app, ["pii", "accept-key", "--home", str(home)])
    assert again.exit_code == 0 and "already the recorded key" in again.output


def test_accept_key_reports_a_broken_key_file_setting(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY_FILE", str(home / "missing.key"))
    paths(home).ensure()  # a data home: accept-key refuses a missing one
    result = CliRunner().invoke(app, ["pii", "accept-key", "--home", str(home), "--yes"])
    assert result.exit_code == 1
    assert "missing.key" in result.output and "No such file" in result.output
    assert isinstance(result.exception, SystemExit)
    with pytest.raises(SecretFileError, match=r"missing\.key"):
        key_from_env()
