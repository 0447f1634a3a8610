import os
from datetime import date
from pathlib import Path

import pytest

from pipelines import retention
from pipelines.config import paths
from pipelines.retention import (
    RetentionIncomplete,
    purge_raw_partitions,
    unrecognised_partition_folders,
)
from pipelines.secrets import InsecureSecretFile, SecretFileError, find_secret, read_secret


def test_raw_and_quarantine_partitions_past_retention_are_deleted(tmp_path: Path) -> None:
    layout = paths(tmp_path).ensure()
    for parent in (layout.landing, layout.raw, layout.quarantine):
        for day in ("2026-01-01", "2026-01-29", "2026-01-30"):
            (parent / f"dt={day}").mkdir(parents=True)
            (parent / f"dt={day}" / "x.parquet").write_bytes(b"x")
    layout.pii_key_file.write_bytes(b"k")
    deleted = purge_raw_partitions(layout, retention_days=30, today=date(2026, 3, 1))
    # 2026-01-29 is 31 days old on 2026-03-01, 2026-01-30 exactly 30: kept.
    assert sorted(f"{p.parent.name}/{p.name}" for p in deleted) == [
        "landing/dt=2026-01-01",
        "landing/dt=2026-01-29",
        "quarantine/dt=2026-01-01",
        "quarantine/dt=2026-01-29",
        "raw/dt=2026-01-01",
        "raw/dt=2026-01-29",
    ]
    assert (layout.raw / "dt=2026-01-30").exists()
    assert (layout.quarantine / "dt=2026-01-30").exists()
    assert layout.pii_key_file.exists(), "retention must never delete the key"


def test_secret_from_env_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOSEDLOOP_ALERT_WEBHOOK", "http://127.0.0.1:9/hook")
    assert read_secret("CLOSEDLOOP_ALERT_WEBHOOK") == "http://127.0.0.1:9/hook"


def test_secret_file_must_be_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.delenv("CLOSEDLOOP_LLM_API_KEY", raising=False)
    monkeypatch.setenv("CLOSEDLOOP_LLM_API_KEY_FILE", str(secret))
    os.chmod(secret, 0o644)
    with pytest.raises(InsecureSecretFile, match="chmod 600"):
        read_secret("CLOSEDLOOP_LLM_API_KEY")
    os.chmod(secret, 0o600)
    assert read_secret("CLOSEDLOOP_LLM_API_KEY") == "s3cret"


def test_a_named_secret_file_that_is_empty_or_missing_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not "unset": for the PII key that would silently mint a new key."""
    monkeypatch.delenv("CLOSEDLOOP_PII_KEY", raising=False)
    empty = tmp_path / "empty.key"
    empty.write_text(" \n")
    os.chmod(empty, 0o600)
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY_FILE", str(empty))
    with pytest.raises(SecretFileError, match=r"empty\.key.*empty; fix the path, or unset"):
        read_secret("CLOSEDLOOP_PII_KEY")
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY_FILE", str(tmp_path / "gone.key"))
    with pytest.raises(SecretFileError, match=r"gone\.key.*No such file"):
        read_secret("CLOSEDLOOP_PII_KEY")
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY_FILE", str(tmp_path))
    with pytest.raises(SecretFileError, match="cannot read"):
        read_secret("CLOSEDLOOP_PII_KEY")


def test_a_secret_says_where_it_came_from_but_not_its_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret")
    os.chmod(secret, 0o600)
    monkeypatch.delenv("CLOSEDLOOP_LLM_API_KEY", raising=False)
    monkeypatch.setenv("CLOSEDLOOP_LLM_API_KEY_FILE", str(secret))
    found = find_secret("CLOSEDLOOP_LLM_API_KEY")
    assert found is not None and found.value == "s3cret"
    assert found.source == f"$CLOSEDLOOP_LLM_API_KEY_FILE ({secret})"
    assert "s3cret" not in repr(found)
    monkeypatch.delenv("CLOSEDLOOP_LLM_API_KEY_FILE")
    assert find_secret("CLOSEDLOOP_LLM_API_KEY") is None


def test_a_folder_named_for_no_real_day_is_skipped_and_reported_not_fatal(
    tmp_path: Path,
) -> None:
    layout = paths(tmp_path).ensure()
    for name in ("dt=2025-02-30", "dt=2026-01-01", "dt=2026-02-28"):
        (layout.landing / name).mkdir(parents=True)
        (layout.landing / name / "x.csv").write_text("x")
    (layout.raw / "dt=2026-01-01").mkdir()
    deleted = purge_raw_partitions(layout, retention_days=30, today=date(2026, 3, 1))
    assert sorted(f"{p.parent.name}/{p.name}" for p in deleted) == [
        "landing/dt=2026-01-01",
        "raw/dt=2026-01-01",
    ]
    assert unrecognised_partition_folders(layout) == [layout.landing / "dt=2025-02-30"]
    assert (layout.landing / "dt=2026-02-28").exists()


def test_a_folder_that_cannot_be_deleted_does_not_keep_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layout = paths(tmp_path).ensure()
    for parent in (layout.landing, layout.raw):
        (parent / "dt=2026-01-01").mkdir(parents=True)
    real_rmtree = retention.shutil.rmtree

    def stuck_landing(path, *args, **kwargs):
        if Path(path).parent == layout.landing:
            raise PermissionError(13, "Permission denied")
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(retention.shutil, "rmtree", stuck_landing)
    with pytest.raises(RetentionIncomplete, match="landing/dt=2026-01-01: Permission denied"):
        purge_raw_partitions(layout, retention_days=30, today=date(2026, 3, 1))
    assert not (layout.raw / "dt=2026-01-01").exists()
