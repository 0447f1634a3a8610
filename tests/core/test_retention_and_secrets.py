import os
from datetime import date
from pathlib import Path

import pytest

from pipelines.config import paths
from pipelines.retention import purge_raw_partitions
from pipelines.secrets import InsecureSecretFile, read_secret


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
