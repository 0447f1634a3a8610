"""The warehouse's side of the Spark engine, without Spark: the source export and the
copy-back of marts from Spark's table layout (tests/dbt/test_spark_parity.py runs the
real thing)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from pipelines.warehouse.spark import (
    SOURCE_TABLES,
    export_sources,
    import_marts,
    source_folder,
    spark_tables,
)


def test_every_source_is_exported_even_before_any_run_wrote_it(tmp_path: Path) -> None:
    with duckdb.connect() as con:
        rows = export_sources(con, tmp_path)
        assert rows == {table.name: 0 for table in SOURCE_TABLES}
        for table in SOURCE_TABLES:
            exported = con.sql(
                f"select * from read_parquet('{source_folder(tmp_path, table)}/*.parquet')"
            )
            assert exported.columns == table.columns.names


def test_marts_come_back_with_the_day_from_spark_partition_folders(tmp_path: Path) -> None:
    mart = spark_tables(tmp_path) / "mart_x"
    mart.mkdir(parents=True)
    empty = spark_tables(tmp_path) / "mart_empty"  # Spark writes no file for no rows
    empty.mkdir()
    with duckdb.connect() as con:
        con.execute(
            f"copy (select 2 as n, date '2025-03-04' as conversation_date union all "
            f"select 3, date '2025-03-05') to '{mart}' (format parquet, partition_by (conversation_date))"
        )
        con.execute("create table main.mart_empty as select 1 as n")
        assert import_marts(con, tmp_path) == {"main.mart_x": 2, "main.mart_empty": 0}
        assert con.sql("select conversation_date, n from main.mart_x order by n").fetchall() == [
            (date(2025, 3, 4), 2),
            (date(2025, 3, 5), 3),
        ]
        assert con.sql("select count(*) from main.mart_empty").fetchall() == [(0,)]


def test_no_spark_tables_yet_imports_nothing(tmp_path: Path) -> None:
    with duckdb.connect() as con:
        assert import_marts(con, tmp_path) == {}
