"""The local Spark session's private scratch: ``spark.local.dir`` (spills and cached
blocks, raw records among them) is an owner-only folder, gone when the session stops.
A stand-in session builder: no JVM is started."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="pyspark is missing: make install")

from pipelines.pii.spark import local_session


class _Session:
    def __init__(self, conf: dict[str, str]) -> None:
        self.conf = conf
        self.sparkContext = type("Context", (), {})()
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class _Builder:
    def __init__(self) -> None:
        self.conf: dict[str, str] = {}

    def master(self, _: str) -> _Builder:
        return self

    def appName(self, _: str) -> _Builder:
        return self

    def config(self, key: str, value: str) -> _Builder:
        self.conf[key] = value
        return self

    def getOrCreate(self) -> _Session:
        return _Session(self.conf)


def test_the_local_session_spills_into_an_owner_only_folder_removed_at_stop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class FakeSparkSession:
        builder = _Builder()

        @staticmethod
        def getActiveSession() -> Any:
            return None

    monkeypatch.setattr("pyspark.sql.SparkSession", FakeSparkSession)
    with local_session(cores=1) as session:
        local_dir = Path(session.conf["spark.local.dir"])
        assert local_dir.is_dir()
        assert stat.S_IMODE(local_dir.stat().st_mode) == 0o700
    assert session.stopped
    assert not local_dir.exists()
