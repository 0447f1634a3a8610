"""The only owner of warehouse tables: names, fixed schemas and DDL (``tables``), writes
and probes (``io``), the PII key's fingerprint (``fingerprint``) and the analysts'
snapshot (``publish``) and the dbt sources' Parquet export for the Spark engine
(``spark``). Nothing outside this package runs DDL or delete-then-insert."""

from pipelines.warehouse.io import (
    replace_partitions,
    replace_table,
    replace_window,
    table_exists,
    transaction,
)
from pipelines.warehouse.publish import SNAPSHOT_TABLE, Snapshot, publish_snapshot

__all__ = [
    "SNAPSHOT_TABLE",
    "Snapshot",
    "publish_snapshot",
    "replace_partitions",
    "replace_table",
    "replace_window",
    "table_exists",
    "transaction",
]
