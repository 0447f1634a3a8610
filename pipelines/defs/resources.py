"""Resources shared by every asset: the data home and the pipeline's DuckDB file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from pipelines.config import Paths, Settings, paths, settings


class WarehouseResource(dg.ConfigurableResource):
    """The pipeline's DuckDB warehouse under ``CLOSEDLOOP_HOME``.

    Only one process may hold a DuckDB file for writing, so connections are opened
    per step and closed immediately; writers also share the ``warehouse`` pool.
    """

    home: str | None = None

    @property
    def paths(self) -> Paths:
        return paths(self.home).ensure()

    @property
    def settings(self) -> Settings:
        return settings()

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = duckdb.connect(str(self.paths.warehouse))
        try:
            yield con
        finally:
            con.close()
