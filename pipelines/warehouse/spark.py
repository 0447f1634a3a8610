"""The warehouse's side of the Spark engine (``engine: spark``, docs/scale-out.md).

dbt on Spark reads the same sources as on DuckDB: the input tables the Python stages
write into the warehouse, exported here as Parquet under ``<spark_dir>/sources/<schema>/
<table>/`` (the dbt project registers a view over each folder at on-run-start,
``dbt_project/macros/spark_sources.sql``). After the build, the marts Spark wrote
(Parquet under ``<spark_dir>/warehouse/main.db/<model>/``, partitioned by day) are
copied back into the warehouse, so the analysts' snapshot is the same file as ever.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipelines.warehouse.io import table_exists
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
        rows[table.name] = con.execute(f"select count(*) from {table.name}").fetchall()[0][0]
    return rows


def spark_tables(spark_dir: Path, schema: str = "main") -> Path:
    """Where the profile's ``spark`` target keeps the tables of ``schema``
    (``spark.sql.warehouse.dir`` = ``<spark_dir>/warehouse``, Spark's ``<db>.db`` layout)."""
    return spark_dir / "warehouse" / f"{schema}.db"


def import_marts(con: duckdb.DuckDBPyConnection, spark_dir: Path) -> dict[str, int]:
    """Replace each ``main`` table of the warehouse with the one dbt built on Spark
    (every table folder under :func:`spark_tables`); returns the rows per table.

    Spark writes a table's partition column as folder names (``conversation_date=…/``)
    and puts it last: it is read back as a date and kept last (analysts' queries name
    their columns). Timestamps are Parquet ``TIMESTAMP_MICROS`` in UTC (the profile
    sets it), which DuckDB reads as ``timestamptz``."""
    rows: dict[str, int] = {}
    tables = spark_tables(spark_dir)
    if not tables.is_dir():  # a dbt subset that built no mart
        return rows
    for folder in sorted(p for p in tables.iterdir() if p.is_dir()):
        name = f"main.{folder.name}"
        files = sorted(folder.rglob("*.parquet"))
        if not files:  # a mart with no rows: Spark wrote no file
            if table_exists(con, name):
                con.execute(f"delete from {name}")
            rows[name] = 0
            continue
        con.execute(
            f"create or replace table {name} as select * from read_parquet("
            f"'{folder}/**/*.parquet', hive_partitioning = true)"
        )
        rows[name] = con.execute(f"select count(*) from {name}").fetchall()[0][0]
    return rows
