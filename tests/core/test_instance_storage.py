"""The data home's event log keeps SQLite connections open (pipelines/instance_storage.py):
same files and schema as Dagster's own storage, bounded open files, thread-safe."""

from __future__ import annotations

import os
import threading
import time
from datetime import date

import dagster as dg
import pytest
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from pipelines.config import paths
from pipelines.home import init_home
from pipelines.instance import prepare_dagster_home
from pipelines.instance_storage import OPEN_SHARDS, PooledSqliteEventLogStorage


def _entry(run_id: str, message: str) -> EventLogEntry:
    return EventLogEntry(
        error_info=None, level="debug", user_message=message, run_id=run_id, timestamp=time.time()
    )


def _messages(storage: SqliteEventLogStorage, run_id: str) -> list[str]:
    return [
        record.event_log_entry.user_message
        for record in storage.get_records_for_run(run_id, limit=10_000).records
    ]


@pytest.fixture
def storage(tmp_path):
    pooled = PooledSqliteEventLogStorage.from_config_value(None, {"base_dir": str(tmp_path)})
    yield pooled
    pooled.dispose()


def test_a_data_homes_instance_records_runs_that_dagsters_own_storage_reads(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "unused"))  # restored after the test
    data = paths(tmp_path)
    init_home(data, date(2025, 3, 1))
    prepare_dagster_home(data)

    @dg.asset
    def numbers() -> int:
        return 3

    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        result = dg.materialize([numbers], instance=instance)
        assert result.success
    stock = SqliteEventLogStorage(str(data.dagster_home / "history" / "runs"))
    materializations = stock.fetch_materializations(dg.AssetKey("numbers"), limit=10).records
    assert [record.run_id for record in materializations] == [result.run_id]
    assert stock.get_records_for_run(result.run_id, limit=10_000).records


def test_the_installed_instance_names_its_own_folder_whatever_dagster_home_says(
    tmp_path, monkeypatch
):
    data = paths(tmp_path)
    init_home(data, date(2025, 3, 1))
    prepare_dagster_home(data)
    installed = (data.dagster_home / "dagster.yaml").read_text()
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "elsewhere"))  # restored after the test

    @dg.asset
    def numbers() -> int:
        return 3

    with dg.DagsterInstance.from_config(str(data.dagster_home)) as instance:
        result = dg.materialize([numbers], instance=instance)
    stock = SqliteEventLogStorage(str(data.dagster_home / "history" / "runs"))
    assert stock.get_records_for_run(result.run_id, limit=10_000).records
    assert not (tmp_path / "elsewhere").exists()
    prepare_dagster_home(data)  # an installed file that is current is left as it is
    assert (data.dagster_home / "dagster.yaml").read_text() == installed


def test_events_of_many_runs_are_stored_with_a_bounded_number_of_open_shards(storage, tmp_path):
    runs = [f"run-{n}" for n in range(OPEN_SHARDS * 3)]
    for run_id in runs:
        for n in range(3):
            storage.store_event(_entry(run_id, f"{run_id}/{n}"))
        assert len(storage._engines) <= OPEN_SHARDS
    stock = SqliteEventLogStorage(str(tmp_path / "history" / "runs"))
    for run_id in runs:  # an evicted shard's events are on disk, in order
        assert _messages(stock, run_id) == [f"{run_id}/{n}" for n in range(3)]
        assert _messages(storage, run_id) == [f"{run_id}/{n}" for n in range(3)]


def test_threads_storing_at_once_lose_no_event(storage):
    def store(worker: int) -> None:
        for n in range(40):
            storage.store_event(_entry("shared-run", f"{worker}/{n}"))

    threads = [threading.Thread(target=store, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = _messages(storage, "shared-run")
    assert sorted(stored) == sorted(f"{w}/{n}" for w in range(4) for n in range(40))


def test_wipe_closes_the_open_shards_before_removing_their_files(storage, tmp_path):
    storage.store_event(_entry("gone", "before wipe"))
    shard = tmp_path / "history" / "runs" / "gone.db"
    assert shard.exists()
    storage.wipe()
    assert not shard.exists()
    assert "gone" not in storage._engines
    # A write after the wipe creates a fresh shard file, not one into an unlinked inode.
    storage.store_event(_entry("gone", "after wipe"))
    assert shard.exists() and os.path.getsize(shard) > 0
    assert _messages(storage, "gone") == ["after wipe"]
