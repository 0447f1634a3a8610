"""The warehouse's side of the Spark engine, without Spark: the source export and the
copy-back of marts from Spark's table layout (tests/dbt/test_spark_parity.py runs the
real thing)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipelines.warehouse.io import replace_partitions
from pipelines.warehouse.spark import (
    EXPORTED_TABLES,
    SCHEMA_FILE,
    export_sources,
    import_marts,
    source_folder,
    spark_tables,
)
from pipelines.warehouse.tables import PII_DETECTIONS_DAILY


def test_every_source_is_exported_even_before_any_run_wrote_it(tmp_path: Path) -> None:
    with duckdb.connect() as con:
        rows = export_sources(con, tmp_path)
        assert rows == {table.name: 0 for table in EXPORTED_TABLES}
        for table in EXPORTED_TABLES:
            exported = con.sql(
                f"select * from read_parquet('{source_folder(tmp_path, table)}/*/*.parquet')"
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


DAYS = [date(2025, 3, 1), date(2025, 3, 2), date(2025, 3, 3)]


def detections(rows: list[tuple[date, str, int]]) -> pa.Table:
    return pa.Table.from_pylist(
        [{"partition_date": d, "entity_type": e, "count": n} for d, e, n in rows],
        schema=PII_DETECTIONS_DAILY.columns,
    )


def exported(con: duckdb.DuckDBPyConnection, spark_dir: Path) -> list[tuple]:
    folder = source_folder(spark_dir, PII_DETECTIONS_DAILY)
    return con.sql(f"select * from read_parquet('{folder}/*/*.parquet') order by all").fetchall()


def test_the_export_rewrites_only_the_partitions_that_changed(tmp_path: Path) -> None:
    folder = source_folder(tmp_path, PII_DETECTIONS_DAILY)
    with duckdb.connect() as con:
        con.execute(f"create schema if not exists {PII_DETECTIONS_DAILY.schema_name}")
        con.execute(PII_DETECTIONS_DAILY.ddl)
        replace_partitions(
            con, PII_DETECTIONS_DAILY, detections([(d, "EMAIL", 1) for d in DAYS]), DAYS
        )
        first = export_sources(con, tmp_path)
        assert first[PII_DETECTIONS_DAILY.name] == 3
        kept = (folder / f"partition_date={DAYS[0]}" / "data.parquet").stat()

        # a run rewrites day 2 (one row more), another command empties day 3
        replace_partitions(
            con,
            PII_DETECTIONS_DAILY,
            detections([(DAYS[1], "EMAIL", 2), (DAYS[1], "PHONE", 1)]),
            [DAYS[1], DAYS[2]],
        )
        second = export_sources(con, tmp_path)
        assert second[PII_DETECTIONS_DAILY.name] == 2  # day 2's rows only
        assert (folder / f"partition_date={DAYS[0]}" / "data.parquet").stat().st_mtime_ns == (
            kept.st_mtime_ns
        )
        assert not (folder / f"partition_date={DAYS[2]}").exists()
        table = con.sql(f"select * from {PII_DETECTIONS_DAILY.name} order by all").fetchall()
        assert exported(con, tmp_path) == table
        # the columns keep their order in the files (partition_date first)
        assert con.sql(f"select * from read_parquet('{folder}/*/*.parquet')").columns == (
            PII_DETECTIONS_DAILY.columns.names
        )
        assert export_sources(con, tmp_path)[PII_DETECTIONS_DAILY.name] == 0  # nothing changed

        # without the state of the last export (a crash mid-export), all is exported again
        (folder / "_closedloop_export.json").unlink()
        assert export_sources(con, tmp_path)[PII_DETECTIONS_DAILY.name] == len(table)
        assert exported(con, tmp_path) == table


def spark_partition(mart: Path, day: date, n: int | str, file: str) -> None:
    """A partition folder as Spark writes it: the day in the folder name, not the file
    (``n``: a number, or an SQL expression such as ``'1::double'``)."""
    folder = mart / f"conversation_date={day}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        old.unlink()
    with duckdb.connect() as con:
        con.execute(f"copy (select {n} as n, 'x' as label) to '{folder / file}' (format parquet)")


def test_the_copy_back_replaces_only_rewritten_partitions_in_the_model_column_order(
    tmp_path: Path,
) -> None:
    mart = spark_tables(tmp_path) / "mart_x"
    for n, day in enumerate(DAYS):
        spark_partition(mart, day, n, "part-a.parquet")
    declared = {"mart_x": ["n", "conversation_date", "label"]}
    with duckdb.connect() as con:
        assert import_marts(con, tmp_path, declared) == {"main.mart_x": 3}
        # DuckDB's order (the model's), not Spark's (the partition column last)
        assert con.sql("select * from main.mart_x").columns == ["n", "conversation_date", "label"]

        # Spark rewrites day 2 and drops day 3's partition
        spark_partition(mart, DAYS[1], 7, "part-b.parquet")
        for file in (mart / f"conversation_date={DAYS[2]}").iterdir():
            file.unlink()
        (mart / f"conversation_date={DAYS[2]}").rmdir()
        assert import_marts(con, tmp_path, declared) == {"main.mart_x": 1}
        assert con.sql("select conversation_date, n from main.mart_x order by 1").fetchall() == [
            (DAYS[0], 0),
            (DAYS[1], 7),
        ]
        assert import_marts(con, tmp_path, declared) == {"main.mart_x": 0}

        # a table copied back by an older version (the day last) is copied whole, reordered
        con.execute(
            "create or replace table main.mart_x as select n, label, conversation_date "
            "from main.mart_x"
        )
        assert import_marts(con, tmp_path, declared) == {"main.mart_x": 2}
        assert con.sql("select * from main.mart_x").columns == ["n", "conversation_date", "label"]


def test_the_schema_file_follows_a_column_added_after_the_first_export(tmp_path: Path) -> None:
    schema_file = source_folder(tmp_path, PII_DETECTIONS_DAILY) / SCHEMA_FILE
    with duckdb.connect() as con:
        export_sources(con, tmp_path)
        con.execute(f"alter table {PII_DETECTIONS_DAILY.name} add column added_later varchar")
        export_sources(con, tmp_path)
        columns = con.sql(f"select * from read_parquet('{schema_file}')").columns
        assert columns == [*PII_DETECTIONS_DAILY.columns.names, "added_later"]


def test_a_table_created_before_a_declared_column_is_exported_with_it(tmp_path: Path) -> None:
    table = PII_DETECTIONS_DAILY
    missing = table.columns.names[-1]
    with duckdb.connect() as con:
        con.execute(f"create schema if not exists {table.schema_name}")
        con.execute(table.ddl)
        replace_partitions(con, table, detections([(DAYS[0], "EMAIL", 1)]), [DAYS[0]])
        con.execute(f'alter table {table.name} drop column "{missing}"')
        assert export_sources(con, tmp_path)[table.name] == 1
        folder = source_folder(tmp_path, table)
        exported_columns = con.sql(f"select * from read_parquet('{folder}/*/*.parquet')").columns
        assert exported_columns == table.columns.names


def test_a_column_whose_type_spark_changed_is_copied_back_whole(tmp_path: Path) -> None:
    mart = spark_tables(tmp_path) / "mart_x"
    for n, day in enumerate(DAYS):
        spark_partition(mart, day, f"{n}::bigint", "part-a.parquet")
    with duckdb.connect() as con:
        import_marts(con, tmp_path)
        assert con.sql("select n from main.mart_x limit 0").types == ["BIGINT"]
        # the model now computes n as a double: Spark rewrites every partition
        for n, day in enumerate(DAYS):
            spark_partition(mart, day, f"{n + 0.5}::double", "part-b.parquet")
        assert import_marts(con, tmp_path) == {"main.mart_x": len(DAYS)}
        assert con.sql("select n from main.mart_x limit 0").types == ["DOUBLE"]
        assert con.sql("select n from main.mart_x order by n").fetchall() == [
            (n + 0.5,) for n in range(len(DAYS))
        ]


def test_a_failed_copy_back_names_the_table_not_its_values(tmp_path: Path) -> None:
    mart = spark_tables(tmp_path) / "mart_x"
    spark_partition(mart, DAYS[0], 1, "part-a.parquet")
    folder = mart / f"conversation_date={DAYS[1]}"
    folder.mkdir()
    with duckdb.connect() as con:
        con.execute(
            f"copy (select 'Jane Doe' as n, 'x' as label) to '{folder / 'part-a.parquet'}' "
            "(format parquet)"
        )
        with pytest.raises(RuntimeError) as raised:
            import_marts(con, tmp_path)
    assert "main.mart_x" in str(raised.value)
    assert "Jane" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
