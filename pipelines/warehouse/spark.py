"""The warehouse's side of the Spark engine (``engine: spark``, docs/scale-out.md).

dbt on Spark reads the same sources as on DuckDB: the input tables the Python stages
write into the warehouse, exported here as Parquet under ``<spark_dir>/sources/<schema>/
<table>/partition_date=YYYY-MM-DD/`` (the dbt project registers a view over each folder at
on-run-start, ``dbt_project/macros/spark_sources.sql``). After the build, the marts Spark
wrote (Parquet under ``<spark_dir>/warehouse/main.db/<model>/``, partitioned by day) are
copied back into the warehouse, so the analysts' snapshot is the same file as ever.

Both directions move partitions, not whole tables: the export rewrites only the
partitions whose contents changed since the last export (a fingerprint per partition,
kept beside the export), and the copy-back only the mart partitions whose files Spark
rewrote (their file listing, kept beside Spark's table), so a run costs what its window
changed rather than the whole history.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipelines.warehouse.io import (
    column_names,
    ensure_table,
    record_changes,
    sql_identifier,
    sql_literal,
    table_exists,
    transaction,
)
from pipelines.warehouse.tables import (
    CONVERSATION_JUDGEMENTS,
    DBT_RUN_WINDOW,
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
# Also read by the dbt project on both engines, though not a dbt source: the window a run
# rebuilds (var window_from_warehouse; dbt_project/macros/date_window.sql).
EXPORTED_TABLES: tuple[Table, ...] = (*SOURCE_TABLES, DBT_RUN_WINDOW)
# Beside each export / each Spark table: what was exported / copied back last, per
# partition. A leading underscore: Spark's file listing skips it.
EXPORT_STATE = "_closedloop_export.json"
IMPORT_STATE = "_closedloop_import.json"
# Every exported table has this zero-row file of its columns, so the view over a table
# without rows still has them (Spark infers a Parquet folder's schema from its files),
# rewritten at every export so it has the table's current columns.
SCHEMA_FILE = "columns/empty.parquet"


def source_folder(spark_dir: Path, table: Table) -> Path:
    return spark_dir / "sources" / table.schema_name / table.table_name


def _read_state(file: Path) -> dict[str, object] | None:
    """A state file's partitions, or None when there is none (or it is not ours)."""
    try:
        state = json.loads(file.read_text())
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def _write_state(file: Path, state: Mapping[str, object]) -> None:
    tmp = file.with_name(f".{file.name}.tmp")
    tmp.write_text(json.dumps(state, sort_keys=True))
    os.replace(tmp, file)


def _fingerprints(con: duckdb.DuckDBPyConnection, table: Table) -> dict[str, list[object]]:
    """Each partition's row count and a sum of its rows' hashes: a partition whose rows
    changed in any way (added, removed, rewritten, a column added) gets another
    fingerprint. Hashes the table's actual columns (what the export writes). Reads the
    table (DuckDB, columnar: cheap) but writes nothing."""
    columns = ", ".join(sql_identifier(c) for c in column_names(con, table.name))
    day = table.partition_column
    by = f"cast({sql_identifier(day)} as varchar)" if day else "'all'"
    return {
        partition: [int(n), str(digest)]
        for partition, n, digest in con.execute(
            f"select {by}, count(*), cast(sum(hash({columns})) as varchar) "
            f"from {table.name} group by all"
        ).fetchall()
    }


def _partition_dir(folder: Path, table: Table, partition: str) -> Path:
    return folder / (f"{table.partition_column}={partition}" if table.partition_column else "all")


def export_sources(con: duckdb.DuckDBPyConnection, spark_dir: Path) -> dict[str, int]:
    """Bring ``<spark_dir>/sources/<schema>/<table>/`` up to date with the warehouse
    for every table Spark's dbt reads: one folder per partition
    (``partition_date=YYYY-MM-DD/data.parquet``, the partition column kept in the file,
    so the columns keep their order), rewritten only where the partition's fingerprint
    changed since the last export, removed where the partition is gone. Returns the rows
    written per table (0: nothing of it changed).

    A missing table (a warehouse no run has written yet) is exported empty with its
    declared columns, so the view over its folder still resolves; a table created before
    a column was declared gets it first (``ensure_table``, NULL in older rows). Without the state of a
    previous export (or with a damaged one) the table is exported whole: the state is
    removed before anything changes and written back last."""
    rows: dict[str, int] = {}
    for table in EXPORTED_TABLES:
        folder = source_folder(spark_dir, table)
        ensure_table(con, table)  # a table created before a column was declared gets it
        current = _fingerprints(con, table)
        state_file = folder / EXPORT_STATE
        previous = _read_state(state_file)
        if previous is None:
            shutil.rmtree(folder, ignore_errors=True)
            previous = {}
        folder.mkdir(parents=True, exist_ok=True)
        state_file.unlink(missing_ok=True)
        # Rewritten every time (no rows: cheap), so a column added since the last export
        # reaches Spark's view, whose schema comes from this file (``columns/`` sorts first).
        schema_file = folder / SCHEMA_FILE
        schema_file.parent.mkdir(exist_ok=True)
        con.execute(
            f"copy (select * from {table.name} limit 0) to {sql_literal(str(schema_file))} "
            "(format parquet)"
        )
        for partition in previous.keys() - current.keys():
            shutil.rmtree(_partition_dir(folder, table, partition), ignore_errors=True)
        changed = sorted(p for p, print_ in current.items() if previous.get(p) != print_)
        for partition in changed:
            target = _partition_dir(folder, table, partition)
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            where = (
                f"where {sql_identifier(table.partition_column)} = cast({sql_literal(partition)} as date)"
                if table.partition_column
                else ""
            )
            con.execute(
                f"copy (select * from {table.name} {where}) to "
                f"{sql_literal(str(target / 'data.parquet'))} (format parquet)"
            )
        _write_state(state_file, current)
        rows[table.name] = sum(int(str(current[p][0])) for p in changed)
    return rows


def spark_tables(spark_dir: Path, schema: str = "main") -> Path:
    """Where the profile's ``spark`` target keeps the tables of ``schema``
    (``spark.sql.warehouse.dir`` = ``<spark_dir>/warehouse``, Spark's ``<db>.db`` layout)."""
    return spark_dir / "warehouse" / f"{schema}.db"


def _listing(folder: Path) -> dict[str, list[list[object]]]:
    """A Spark table folder's Parquet files per partition folder (``col=value``; ``""``
    for files of an unpartitioned table): name, size and modification time, which change
    whenever Spark rewrites a partition (new files, new names)."""
    listing: dict[str, list[list[object]]] = {}
    for file in sorted(folder.rglob("*.parquet")):
        relative = file.relative_to(folder)
        part = "/".join(relative.parts[:-1])
        stat = file.stat()
        listing.setdefault(part, []).append([relative.name, stat.st_size, stat.st_mtime_ns])
    return listing


def _partition_filter(part: str) -> str | None:
    """The SQL condition selecting a Hive partition folder ``col=value``'s rows (one
    level: the marts are partitioned by one day or period column), None if it is not one."""
    column, sep, value = part.partition("=")
    if not sep or "/" in part:
        return None
    if value == "__HIVE_DEFAULT_PARTITION__":
        return f"{sql_identifier(column)} is null"
    return f"cast({sql_identifier(column)} as varchar) = {sql_literal(value)}"


def _ordered(
    columns: Sequence[str], partition_columns: set[str], reference: Sequence[str] | None
) -> list[str]:
    """The model's column order, as DuckDB builds it, from Spark's: Spark keeps the
    model's order but moves its partition columns last; each goes back right after the
    column that precedes it in ``reference`` (the model's declared columns, or the
    warehouse table's), first if none does, last if ``reference`` lacks it."""
    order = [c for c in columns if c not in partition_columns]
    moved = [c for c in columns if c in partition_columns]
    for column in moved:
        if reference is None or column not in reference:
            order.append(column)
            continue
        at = list(reference).index(column)
        before = next((c for c in reversed(reference[:at]) if c in order), None)
        order.insert(order.index(before) + 1 if before is not None else 0, column)
    return order


def import_marts(
    con: duckdb.DuckDBPyConnection,
    spark_dir: Path,
    column_order: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, int]:
    """Bring each ``main`` table of the warehouse up to date with the one dbt built on
    Spark (every table folder under :func:`spark_tables`); returns the rows copied per
    table.

    Only the partitions whose files changed since the last copy are replaced (the
    partitions Spark rewrote; a partition Spark dropped is deleted), in one transaction
    per table; a table not in the warehouse yet, with other columns or column types (an
    insert would cast), unpartitioned, or without the state of a previous copy is copied
    whole. A failed copy raises RuntimeError naming the table only (DuckDB's message can
    quote a value). Spark writes a partition
    column as folder names (``conversation_date=…/``), read back as a date, and puts it
    last: ``column_order`` (a model's declared columns, e.g. from the dbt manifest) puts
    the columns back in the model's order, as DuckDB builds it. Timestamps are Parquet
    ``TIMESTAMP_MICROS`` in UTC (the profile sets it), which DuckDB reads as
    ``timestamptz``."""
    rows: dict[str, int] = {}
    tables = spark_tables(spark_dir)
    if not tables.is_dir():  # a dbt subset that built no mart
        return rows
    for folder in sorted(p for p in tables.iterdir() if p.is_dir()):
        name = f"main.{folder.name}"
        # before the copy, which replaces the whole table or its changed partitions:
        # the publish re-reads the table (a mart: small)
        record_changes(con, [name])
        state_file = folder / IMPORT_STATE
        listing = _listing(folder)
        if not listing:  # a mart with no rows: Spark wrote no file
            if table_exists(con, name):
                con.execute(f"delete from {name}")
            rows[name] = 0
            state_file.unlink(missing_ok=True)
            continue
        try:
            rows[name] = _copy_back(con, name, folder, listing, column_order)
        except duckdb.Error as error:
            # DuckDB's message can quote a value (a failed cast): only the table and type
            raise RuntimeError(
                f"copying {name} back from Spark failed with {type(error).__name__}"
            ) from None
    return rows


def _columns_and_types(relation: duckdb.DuckDBPyRelation) -> list[tuple[str, str]]:
    return [(c, str(t)) for c, t in zip(relation.columns, relation.types, strict=True)]


def _copy_back(
    con: duckdb.DuckDBPyConnection,
    name: str,
    folder: Path,
    listing: Mapping[str, list[list[object]]],
    column_order: Mapping[str, Sequence[str]] | None,
) -> int:
    """One mart of :func:`import_marts` copied back; returns the rows copied."""
    state_file = folder / IMPORT_STATE
    source = (
        f"read_parquet({sql_literal(str(folder))} || '/**/*.parquet', hive_partitioning = true)"
    )
    columns = con.sql(f"select * from {source} limit 0").columns
    existing = con.sql(f"select * from {name} limit 0") if table_exists(con, name) else None
    partition_columns = {part.split("=", 1)[0] for part in listing if "=" in part}
    declared = (column_order or {}).get(folder.name)
    reference = (
        declared
        if declared and partition_columns <= set(declared)
        else (existing.columns if existing is not None else None)
    )
    select = ", ".join(sql_identifier(c) for c in _ordered(columns, partition_columns, reference))
    previous = _read_state(state_file)
    state_file.unlink(missing_ok=True)  # written back once the copy succeeded
    # Same columns, in the same order, of the same types: else an insert would cast.
    incoming = con.sql(f"select {select} from {source} limit 0")
    whole = (
        previous is None
        or existing is None
        or _columns_and_types(existing) != _columns_and_types(incoming)
        or any(_partition_filter(part) is None for part in [*listing, *previous])
    )
    if whole:
        con.execute(f"create or replace table {name} as select {select} from {source}")
        copied = int(con.execute(f"select count(*) from {name}").fetchall()[0][0])
    else:
        assert previous is not None
        changed = [p for p in listing if previous.get(p) != listing[p]]
        gone = [p for p in previous if p not in listing]
        copied = 0
        with transaction(con):
            for part in gone + changed:
                con.execute(f"delete from {name} where {_partition_filter(part)}")
            for part in changed:
                files = [str(folder / part / str(entry[0])) for entry in listing[part]]
                before = con.execute(f"select count(*) from {name}").fetchall()[0][0]
                con.execute(
                    f"insert into {name} select {select} from "
                    "read_parquet(?, hive_partitioning = true)",
                    [files],
                )
                copied += con.execute(f"select count(*) from {name}").fetchall()[0][0] - before
    _write_state(state_file, listing)
    return copied


def _as_ipc(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``mapInArrow``: each batch as one row holding its Arrow IPC stream."""
    for batch in batches:
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, batch.schema) as writer:
            writer.write_batch(batch)
        yield pa.record_batch([pa.array([sink.getvalue().to_pybytes()], pa.binary())], ["ipc"])


def arrow_batches(frame: Any) -> Iterator[pa.RecordBatch]:
    """A DataFrame's rows on the driver as Arrow record batches, one Spark partition at a
    time (``toLocalIterator``), so the driver never holds more than a partition's batches
    (``toArrow`` would collect all of it). Column types as ``toArrow`` gives them."""
    from pyspark.sql.types import BinaryType, StructField, StructType

    shipped = frame.mapInArrow(_as_ipc, StructType([StructField("ipc", BinaryType())]))
    for row in shipped.toLocalIterator():
        yield from pa.ipc.open_stream(pa.py_buffer(bytes(row["ipc"])))


def spark_schema(schema: pa.Schema) -> Any:
    """An Arrow schema as Spark's (``mapInArrow``'s output schema); pyspark imported
    lazily, as it is only installed with the ``spark`` extra."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)
