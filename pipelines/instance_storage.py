"""The event log of a data home's Dagster instance: SQLite, with connections kept open.

Dagster's ``SqliteEventLogStorage`` creates an engine, opens a connection, commits and
closes it again for every event it stores, and stores an asset event twice (the run's
shard and the cross-run index). A nightly run of this project writes 800 to a few
thousand events (a materialization per asset and partition, a planned and an evaluated
event per dbt test), and at about 35 ms each on this machine's disk that was a tenth of
a small run. Measured by storing 300 events: 9.1-11.1 s with the stock class, 1.7-3.3 s
with this one (``tests/core/test_instance_storage.py`` checks behaviour, not speed).

Only the connection handling changes: every event is still its own committed
transaction (same durability), the shards and schema are Dagster's, and other
processes (webserver, daemon) read and write the same files. Open engines are kept for
the few most recently used shards, so a webserver browsing many runs does not hold a
file open per run.

The installed dagster.yaml gives ``base_dir`` as the instance folder's absolute path,
written in when ``pipelines.instance.prepare_dagster_home`` installs it, so a tool that
opens an instance with ``DagsterInstance.from_config(folder)`` finds its event log
whatever ``DAGSTER_HOME`` says.

This is the one place that subclasses a private Dagster method (``_connect``); the
dagster version is pinned in constraints.txt, and the test fails if its shape changes.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from dagster._config import StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._core.storage.sql import create_engine
from dagster._serdes import ConfigurableClassData
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

# Run shards of the running job, the index shard and a few a webserver is showing.
OPEN_SHARDS = 8


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` that reuses one connection per shard (see module doc).

    Configured in dagster.yaml with ``base_dir`` set to the instance's folder; the
    shards live in ``<base_dir>/history/runs`` as with the stock storage, so switching
    either way keeps every recorded run."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        # Set before the parent's __init__, which already connects (migrations, reindex).
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        super().__init__(base_dir=base_dir, inst_data=inst_data)

    @classmethod
    def config_type(cls) -> Any:
        return {"base_dir": StringSource}

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledSqliteEventLogStorage:
        runs = os.path.join(config_value["base_dir"], "history", "runs")
        return cls(base_dir=runs, inst_data=inst_data)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        # Same lock as the parent: one connection per shard is used by one thread at a time.
        with self._db_lock:
            engine = self._engine(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        engine = create_engine(
            self.conn_string_for_shard(shard),
            poolclass=StaticPool,
            # The one connection moves between threads, always under _db_lock.
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        while len(self._engines) > OPEN_SHARDS:
            _, oldest = self._engines.popitem(last=False)
            oldest.dispose()
        return engine

    def _close_engines(self) -> None:
        with self._db_lock:
            while self._engines:
                _, engine = self._engines.popitem()
                engine.dispose()

    def wipe(self) -> None:
        # The parent unlinks the shard files: no connection may keep one alive.
        self._close_engines()
        super().wipe()

    def dispose(self) -> None:
        self._close_engines()
        super().dispose()
