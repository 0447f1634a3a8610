"""Writing and probing the warehouse: the only code that runs DDL or delete-then-insert.

Partition writes are idempotent: the window's rows are deleted and the new rows
inserted in one transaction, so re-running any partition gives the same table and a
failed run leaves the table as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Protocol, TypeVar

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.warehouse.tables import CHANGE_JOURNAL, DBT_RUN_WINDOW, Table


class Verdict(Protocol):
    """What a pre-commit check returns: the write is committed only if it passed."""

    @property
    def passed(self) -> bool: ...


V = TypeVar("V", bound=Verdict)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """``begin`` ... ``commit``, or ``rollback`` if the block raises."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether ``schema.table`` exists (a dbt model or one of ours)."""
    schema, table = name.split(".", 1)
    (found,) = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone() or (0,)
    return bool(found)


def column_names(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    """The columns of ``schema.table`` in order; empty when it does not exist."""
    schema, table = name.split(".", 1)
    return [
        column
        for (column,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
    ]


def ensure_table(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """Create ``table`` if absent, and add columns introduced since it was created.

    A warehouse built before a column existed keeps its history instead of failing the
    insert; the new column reads NULL on older rows, which says "not recorded".
    """
    con.execute(f"create schema if not exists {table.schema_name}")
    con.execute(table.ddl)
    existing = set(column_names(con, table.name))
    for column in table.columns:
        if column.name not in existing:
            # Added columns are nullable whatever the declaration: older rows have none.
            con.execute(
                f'alter table {table.name} add column "{column.name}" {table.sql_type(column)}'
            )


def record_changes(
    con: duckdb.DuckDBPyConnection,
    tables: Sequence[str],
    first_day: date | None = None,
    last_day: date | None = None,
) -> None:
    """Mark ``tables`` (``schema.table``) changed between the two days of their date
    column (the one the publish groups them by), or whole without days, in
    ``CHANGE_JOURNAL``: the publish re-reads only the marked days of a table
    (pipelines/warehouse/journal.py). Called inside the write's transaction, or before
    a write that has none: a write that then fails leaves a mark too many (a day read
    again for nothing), never one too few."""
    ensure_table(con, CHANGE_JOURNAL)
    for name in tables:
        con.execute(
            f"insert into {CHANGE_JOURNAL.name} "
            "select coalesce(max(seq), 0) + 1, ?, ?, ?, now() "
            f"from {CHANGE_JOURNAL.name}",
            [name, first_day, last_day],
        )


def conform(rows: pa.Table | pd.DataFrame, table: Table) -> pa.Table:
    """``rows`` cast to the table's fixed schema: its columns, in its order, its types."""
    if isinstance(rows, pd.DataFrame):
        missing = [name for name in table.columns.names if name not in rows.columns]
        if missing:
            raise ValueError(f"{table.name}: rows are missing columns {missing}")
        frame = rows.loc[:, table.columns.names]
        dates = [f.name for f in table.columns if f.type == pa.date32()]
        if len(frame) and dates:
            # Day columns arrive as dates or as timestamps (DuckDB's .df()); store days.
            frame = frame.assign(
                **{
                    name: [
                        None if pd.isna(value) else pd.Timestamp(value).date()
                        for value in frame[name]
                    ]
                    for name in dates
                }
            )
        return pa.Table.from_pandas(frame, schema=table.columns, preserve_index=False)
    missing = [name for name in table.columns.names if name not in rows.column_names]
    if missing:
        raise ValueError(f"{table.name}: rows are missing columns {missing}")
    return rows.select(table.columns.names).cast(table.columns)


class PartitionFile:
    """Rows for ``table`` written batch by batch to a Parquet file, each batch conformed to
    the table's schema, so :func:`replace_window` inserts them straight from the file: a
    window of any size is never held in memory."""

    def __init__(self, table: Table, path: Path) -> None:
        self.table = table
        self.path = path
        self.rows = 0
        self._writer = pq.ParquetWriter(path, table.columns, compression="zstd")

    def write(self, rows: pa.Table) -> None:
        if rows.num_rows:
            self._writer.write_table(conform(rows, self.table))
            self.rows += rows.num_rows

    def close(self) -> None:
        self._writer.close()


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def replace_partitions(
    con: duckdb.DuckDBPyConnection,
    table: Table | str,
    rows: pa.Table,
    days: Sequence[date],
    date_column: str = "partition_date",
) -> int:
    """Delete ``days`` from ``table`` and insert ``rows`` in one transaction.

    A :class:`Table` is created if needed and ``rows`` are cast to its schema; a plain
    name must exist (a table this package does not own). Rows outside ``days`` are
    rejected rather than written: they would survive the next re-run of their own
    partition twice.
    """
    replace_window(con, [(table, rows)], days, date_column=date_column)
    return rows.num_rows


def replace_window(
    con: duckdb.DuckDBPyConnection,
    writes: Sequence[tuple[Table | str, pa.Table | PartitionFile]],
    days: Sequence[date],
    *,
    date_column: str = "partition_date",
    pre_commit: Callable[[duckdb.DuckDBPyConnection], V] | None = None,
) -> V | None:
    """:func:`replace_partitions` for several tables in ONE transaction.

    ``pre_commit`` runs inside the transaction after every insert (it sees the new
    rows) and decides: its verdict's ``passed`` commits, anything else rolls the whole
    window back. Its verdict is returned (None without a check).
    """
    if not days:
        raise ValueError("a partition write needs at least one day")
    prepared: list[tuple[str, pa.Table | str, str]] = []
    for target, rows in writes:
        if isinstance(rows, PartitionFile):
            if target != rows.table:
                raise ValueError(f"{rows.path} holds rows for {rows.table.name}, not {target}")
            ensure_table(con, rows.table)
            column = rows.table.partition_column or date_column
            source = f"read_parquet({_sql_literal(str(rows.path))})"
            stray = sorted(
                day
                for (day,) in con.execute(f"select distinct {column} from {source}").fetchall()
                if day not in set(days)
            )
            if stray:
                raise ValueError(
                    f"{rows.table.name}: rows for {stray} outside the run window "
                    f"{min(days)}..{max(days)}"
                )
            prepared.append((rows.table.name, source, column))
            continue
        if isinstance(target, Table):
            ensure_table(con, target)
            rows = conform(rows, target)
            column = target.partition_column or date_column
            name = target.name
        else:
            column, name = date_column, target
        _refuse_stray_days(name, rows, column, days)
        prepared.append((name, rows, column))
    verdict = None
    # Not transaction(): the verdict, not only an exception, decides commit or rollback.
    con.execute("begin transaction")
    try:
        record_changes(con, [name for name, _, _ in prepared], min(days), max(days))
        for index, (name, rows, column) in enumerate(prepared):
            con.execute(
                f"delete from {name} where {column} between ? and ?", [min(days), max(days)]
            )
            if isinstance(rows, str):  # a PartitionFile's rows, read by DuckDB from the file
                con.execute(f"insert into {name} by name select * from {rows}")
                continue
            view = f"_incoming_{index}"
            con.register(view, rows)
            try:
                columns = ", ".join(f'"{c}"' for c in rows.column_names)
                con.execute(f"insert into {name} ({columns}) select {columns} from {view}")
            finally:
                con.unregister(view)
        verdict = pre_commit(con) if pre_commit is not None else None
        con.execute("rollback" if verdict is not None and not verdict.passed else "commit")
    except BaseException:
        con.execute("rollback")
        raise
    return verdict


def append_rows(con: duckdb.DuckDBPyConnection, table: Table, rows: pa.Table) -> None:
    """Insert ``rows`` into ``table`` (created if absent), replacing nothing: for logs
    whose every row is an event of its own (an LLM call's cost)."""
    ensure_table(con, table)
    record_changes(con, [table.name])
    con.register("_appended", conform(rows, table))
    try:
        con.execute(f"insert into {table.name} by name select * from _appended")
    finally:
        con.unregister("_appended")


def replace_table(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    rows: pa.Table | pd.DataFrame,
    *,
    pre_commit: Callable[[duckdb.DuckDBPyConnection], object] | None = None,
) -> int:
    """Replace every row of ``table`` (created if needed) in one transaction;
    ``pre_commit`` runs inside it, and raising there rolls everything back."""
    ensure_table(con, table)
    conformed = conform(rows, table)
    con.register("_incoming_table", conformed)
    try:
        with transaction(con):
            record_changes(con, [table.name])
            con.execute(f"delete from {table.name}")
            con.execute(f"insert into {table.name} select * from _incoming_table")
            if pre_commit is not None:
                pre_commit(con)
    finally:
        con.unregister("_incoming_table")
    return conformed.num_rows


def replace_tables(
    con: duckdb.DuckDBPyConnection, writes: Sequence[tuple[Table, pa.Table | pd.DataFrame]]
) -> None:
    """:func:`replace_table` for several whole tables in ONE transaction (readers never
    see one replaced without the others)."""
    prepared = []
    for table, rows in writes:
        ensure_table(con, table)
        prepared.append((table, conform(rows, table)))
    with transaction(con):
        record_changes(con, [table.name for table, _ in prepared])
        for index, (table, rows) in enumerate(prepared):
            view = f"_incoming_table_{index}"
            con.register(view, rows)
            try:
                con.execute(f"delete from {table.name}")
                con.execute(f"insert into {table.name} select * from {view}")
            finally:
                con.unregister(view)


def write_dbt_window(con: duckdb.DuckDBPyConnection, min_date: date, max_date: date) -> None:
    """Record the window the next dbt invocation rebuilds (``main.dbt_run_window``)."""
    replace_table(
        con,
        DBT_RUN_WINDOW,
        pa.table({"min_date": [min_date], "max_date": [max_date]}, schema=DBT_RUN_WINDOW.columns),
    )


def replace_tables_from_frames(
    con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame]
) -> None:
    """Replace small recomputed marts whose columns follow their frames (see
    ``tables.ANNOTATION_MARTS``), all in one transaction; an empty frame leaves no
    table, which readers take as "nothing yet"."""
    with transaction(con):
        record_changes(con, list(frames))
        for index, (name, frame) in enumerate(frames.items()):
            con.execute(f"drop table if exists {name}")
            if len(frame):
                view = f"_incoming_frame_{index}"
                con.register(view, frame)
                try:
                    con.execute(f"create table {name} as select * from {view}")
                finally:
                    con.unregister(view)


def _refuse_stray_days(name: str, rows: pa.Table, column: str, days: Sequence[date]) -> None:
    if not rows.num_rows:
        return
    stray = sorted(set(rows.column(column).to_pylist()) - set(days))
    if stray:
        raise ValueError(
            f"{name}: rows for {stray} outside the run window {min(days)}..{max(days)}"
        )


def drop_temp_tables(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    """Drop temporary tables of ``con`` (its own scratch; never a warehouse table, even
    one of the same name: the ``temp`` catalog is named)."""
    for name in names:
        con.execute(f"drop table if exists temp.main.{sql_identifier(name)}").fetchall()


def sql_literal(value: str) -> str:
    """``value`` as a SQL string literal (quotes doubled): for the file paths and values
    DuckDB's COPY and table functions accept only as literals, not as parameters."""
    return "'" + value.replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier (double quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'
