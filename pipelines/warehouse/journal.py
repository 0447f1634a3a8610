"""The warehouse's record of what each write touched, so the publish re-reads only that.

Every write of the pipeline marks, in ``main._closedloop_changes``
(``tables.CHANGE_JOURNAL``), the tables it changes and, for a write of whole days, the
first and last day (of the table's date column that the publish groups rows by):
:func:`pipelines.warehouse.io.record_changes`, called by every writer in ``io``, by the
PII key's fingerprint and by the Spark engine's copy of the marts, and
:func:`record_dbt_writes`, called before each dbt invocation of the pipeline. The
publish of the analysts' snapshot (``publish.py``) then computes the fingerprints of
only the marked days (and of every day whose row count changed, and of a few days it
has not read for the longest time), and takes the others from the snapshot it updates.

Why: the fingerprints of every day of every table were the only cost of a night that
grew with the warehouse's history: 2.6 CPU-s on night 31 of a 100k/day warehouse, about
0.085 CPU-s more each night (docs/performance.md, *A journal of changes*).

What it does not see: a change typed into the warehouse by hand (or a ``dbt`` command
run outside the pipeline) that keeps a day's row count. The nightly publish also reads
``RECHECKED_DAYS`` more of each table's days, the next ones in turn each night, so such
a change reaches the snapshot within (days held / RECHECKED_DAYS) nights; a publish
with ``trust_journal=False`` (``closedloop publish``) reads every day at once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

import duckdb

from pipelines.warehouse.io import record_changes
from pipelines.warehouse.tables import CHANGE_JOURNAL, TABLES

# Days of each table whose fingerprint a nightly publish recomputes although nothing
# marked them, the next ones in turn each night. A change the journal missed (typed by
# hand) reaches the snapshot within (days held / RECHECKED_DAYS) nights.
RECHECKED_DAYS = 2


def group_column(columns: list[tuple[str, str]]) -> str | None:
    """The column a table's rows are grouped by in the publish and the journal: its
    ``partition_date`` column, else its first DATE column, else None (one group)."""
    dates = [name for name, data_type in columns if data_type == "DATE"]
    return "partition_date" if "partition_date" in dates else next(iter(dates), None)


def record_dbt_writes(
    con: duckdb.DuckDBPyConnection,
    first_day: date,
    windowed: Mapping[str, str],
    not_dbt: Collection[str],
) -> None:
    """Before a dbt invocation whose window starts on ``first_day``: mark every table
    of the warehouse dbt may write. A table in ``windowed`` (``schema.table`` -> the date
    column its model rewrites only from the window's first day on: ``meta.publish_window``)
    is marked from ``first_day`` on, open-ended, when that column is the one the publish
    groups it by, else whole; every other table but ``not_dbt`` (dbt's sources and the
    Python writers' tables, which dbt only reads) is marked whole: a table model is
    rebuilt whole, and a macro's helper table is dbt's too. A table dbt creates is new to
    the snapshot, which copies it whole.

    Open-ended, not up to the window's last day: int_customer_recontacts also rewrites a returning
    customer's rows after the window (macros/recontact_changes.sql, after_window_reach: a
    backfill, or yesterday's nightly after today's intraday run), with the same row
    counts (found by review). In a nightly, no day follows the window: same cost."""
    (database,) = con.execute("select current_database()").fetchone()
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where database_name = current_database() and not temporary"
    ).fetchall()
    whole: list[str] = []
    by_window: list[str] = []
    for schema, table in tables:
        name = f"{schema}.{table}"
        if name in not_dbt or name == CHANGE_JOURNAL.name:
            continue
        column = windowed.get(name)
        if column is not None and column == group_column(
            table_columns(con, database, schema, table)
        ):
            by_window.append(name)
        else:
            whole.append(name)
    record_changes(con, sorted(whole))
    record_changes(con, sorted(by_window), first_day, None)


def dbt_write_scope(manifest: Mapping[str, Any]) -> tuple[dict[str, str], set[str]]:
    """From a dbt manifest: the models that rewrite only the run's window
    (``schema.table`` -> ``meta.publish_window``, the window's date column), and the
    tables dbt never writes (its sources, and every table the Python writers own)."""
    windowed = {
        f"{node['schema']}.{node['alias']}": node["config"]["meta"]["publish_window"]
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") == "model"
        and (node.get("config", {}).get("meta") or {}).get("publish_window")
    }
    not_dbt = {
        f"{source['schema']}.{source.get('identifier') or source['name']}"
        for source in manifest.get("sources", {}).values()
    } | {table.name for table in TABLES}
    return windowed, not_dbt


def table_columns(
    con: duckdb.DuckDBPyConnection, database: str, schema: str, table: str
) -> list[tuple[str, str]]:
    """A table's columns in order, (name, DuckDB type), from ``database`` (an attached
    catalog's name, or ``current_database()``'s)."""
    return [
        (name, data_type)
        for name, data_type in con.execute(
            "select column_name, data_type from duckdb_columns() "
            "where database_name = ? and schema_name = ? and table_name = ? "
            "order by column_index",
            [database, schema, table],
        ).fetchall()
    ]
