"""The warehouse's side of the Spark engine (``engine: spark``, docs/scale-out.md).

dbt on Spark reads the same sources as on DuckDB: the input tables the Python stages
write into the warehouse, exported here as Parquet under ``<spark_dir>/sources/<schema>/
<table>/`` (the dbt project registers a view over each folder at on-run-start,
``dbt_project/macros/spark_sources.sql``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipelines.warehouse.tables import (
    CONVERSATION_JUDGEMENTS,
    INGEST_AUDIT,
    PII_DETECTIONS_DAILY,
    SCRUBBED_CONVERSATIONS,
    SCRUBBED_EVENTS,
    Table,
)

# Every table the dbt project declares as a source (dbt_project/models/staging/_sources.yml).
SOURCE_TABLES: tuple[Table, ...] = (
    SCRUBBED_CONVERSATIONS,
    SCRUBBED_EVENTS,
    INGEST_AUDIT,
    PII_DETECTIONS_DAILY,
    CONVERSATION_JUDGEMENTS,
)


def source_folder(spark_dir: Path, table: Table) -> Path:
    return spark_dir / "sources" / table.schema_name / table.table_name


def export_sources(con: duckdb.DuckDBPyConnection, spark_dir: Path) -> dict[str, int]:
    """Write every source table to ``<spark_dir>/sources/<schema>/<table>/data.parquet``
    (replacing the previous export); returns the rows written per table.

    A missing table (a warehouse no run has written yet) is exported empty with its
    declared columns, so the view over its folder still resolves."""
    rows: dict[str, int] = {}
    for table in SOURCE_TABLES:
        folder = source_folder(spark_dir, table)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        con.execute(f"create schema if not exists {table.schema_name}")
        con.execute(table.ddl)
        con.execute(f"copy {table.name} to '{folder / 'data.parquet'}' (format parquet)")
        rows[table.name] = con.execute(f"select count(*) from {table.name}").fetchone()[0]  # type: ignore[index]
    return rows
