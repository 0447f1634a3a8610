"""Every read of the dbt marts and every monitoring table write, in one place.

The statistics modules work on DataFrames with canonical column names; the SQL
here maps the marts' names onto them (e.g. ``mart_resolution_daily.rated`` is the
``csat_responses`` denominator, ``bot_handed_off`` the handoff-rate numerator),
so a renamed mart column is a one-line change here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import duckdb
import pandas as pd
import pyarrow as pa

from pipelines.warehouse import replace_partitions

# A NULL dimension value (e.g. no intent from the NLU) is a slice of its own.
MISSING_SLICE = "(none)"

_COUNTS = """
    conversations,
    bot_involved,
    contained,
    assumed_resolved,
    confirmed_resolved,
    durable_resolved,
    bot_handed_off as handed_off,
    abandoned,
    rated as csat_responses,
    csat_top2,
    is_final
"""


def daily_counts(con: duckdb.DuckDBPyConnection, first: date, last: date) -> pd.DataFrame:
    """``mart_resolution_daily`` counts from ``first`` to ``last``: one row per ``date``."""
    return con.execute(
        f"""
        select conversation_date as date, {_COUNTS}
        from main.mart_resolution_daily
        where conversation_date between ? and ?
        order by conversation_date
        """,
        [first, last],
    ).df()


def dimension_counts(con: duckdb.DuckDBPyConnection, first: date, last: date) -> pd.DataFrame:
    """``mart_resolution_by_dimension`` counts: one row per (``date, dimension, slice``)."""
    return con.execute(
        f"""
        select
            conversation_date as date,
            dimension,
            coalesce(cast(slice as varchar), '{MISSING_SLICE}') as slice,
            {_COUNTS}
        from main.mart_resolution_by_dimension
        where conversation_date between ? and ?
        order by conversation_date, dimension, slice
        """,
        [first, last],
    ).df()


# What stg_conversations puts in place of a missing bot_version.
UNKNOWN_VERSION = "unknown"


def version_counts(con: duckdb.DuckDBPyConnection, first: date, last: date) -> pd.DataFrame:
    """Bot-involved conversations per (intent, bot_version) from ``first`` to ``last``.

    Conversations without a bot_version cannot be attributed to a release; they are
    counted under ``bot_version = NULL`` so the caller can report them.
    """
    return con.execute(
        f"""
        select
            coalesce(intent, '{MISSING_SLICE}') as intent,
            -- staging labels a missing version 'unknown': not a release to compare
            nullif(bot_version, '{UNKNOWN_VERSION}') as bot_version,
            count(*) as n,
            count(*) filter (where durable_resolved) as durable_resolved,
            count(*) filter (where handed_off) as handed_off
        from main.fct_conversations
        where bot_involved and conversation_date between ? and ?
        group by all
        order by intent, bot_version
        """,
        [first, last],
    ).df()


def version_first_seen(con: duckdb.DuckDBPyConnection, last: date) -> pd.DataFrame:
    """The first day each bot version took traffic, up to ``last``."""
    return con.execute(
        """
        select bot_version, min(conversation_date) as first_seen
        from main.fct_conversations
        where bot_version is not null and bot_version <> ? and conversation_date <= ?
        group by bot_version
        """,
        [UNKNOWN_VERSION, last],
    ).df()


def handoff_reasons(con: duckdb.DuckDBPyConnection, day: date) -> pd.DataFrame:
    """Bot-involved handoffs on ``day`` by reason."""
    return con.execute(
        """
        select handoff_reason, count(*) as conversations
        from main.fct_conversations
        where conversation_date = ? and bot_involved and handed_off
        group by handoff_reason
        """,
        [day],
    ).df()


def csat_scores(con: duckdb.DuckDBPyConnection, day: date) -> pd.DataFrame:
    """Survey answers on ``day`` by score (all conversations, like ``csat_top2_rate``)."""
    return con.execute(
        """
        select csat_score, count(*) as conversations
        from main.fct_conversations
        where conversation_date = ? and csat_score is not null
        group by csat_score
        """,
        [day],
    ).df()


def intent_counts(con: duckdb.DuckDBPyConnection, day: date, days: int = 7) -> pd.DataFrame:
    """Bot-involved conversations and durable resolutions per intent, trailing ``days``."""
    return con.execute(
        f"""
        select
            coalesce(cast(slice as varchar), '{MISSING_SLICE}') as intent,
            sum(bot_involved) as n,
            sum(durable_resolved) as durable_resolved
        from main.mart_resolution_by_dimension
        where dimension = 'intent' and conversation_date between ? and ?
        group by all
        """,
        [day - timedelta(days=days - 1), day],
    ).df()


def read_window(
    con: duckdb.DuckDBPyConnection, table: str, first: date, last: date
) -> pd.DataFrame:
    """Rows of one of the monitoring tables below for ``first``..``last``."""
    if table not in MONITORING_TABLES:
        raise ValueError(f"unknown monitoring table {table!r}; known: {sorted(MONITORING_TABLES)}")
    if not _table_exists(con, table):
        return pd.DataFrame(columns=[name for name, _ in MONITORING_TABLES[table]])
    return con.execute(
        f"select * from main.{table} where date between ? and ? order by all", [first, last]
    ).df()


MONITORING_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "mart_metric_anomalies": (
        ("date", "date"),
        ("metric", "varchar"),
        ("dimension", "varchar"),
        ("slice", "varchar"),
        ("value", "double"),
        ("expected", "double"),
        ("expected_low", "double"),
        ("expected_high", "double"),
        ("n", "bigint"),
        ("z_score", "double"),
        ("direction", "varchar"),
        ("severity", "varchar"),
        ("is_final", "boolean"),
    ),
    "mart_metric_movers": (
        ("date", "date"),
        ("comparison", "varchar"),
        ("dimension", "varchar"),
        ("slice", "varchar"),
        ("share_before", "double"),
        ("share_after", "double"),
        ("rate_before", "double"),
        ("rate_after", "double"),
        ("mix_effect", "double"),
        ("rate_effect", "double"),
        ("contribution", "double"),
        ("rank", "integer"),
        ("total_change", "double"),
    ),
    "mart_bot_versions": (
        ("date", "date"),
        ("window_start", "date"),
        ("intent", "varchar"),
        ("metric", "varchar"),
        ("version_latest", "varchar"),
        ("version_previous", "varchar"),
        ("n_latest", "bigint"),
        ("n_previous", "bigint"),
        ("rate_latest", "double"),
        ("rate_latest_ci_low", "double"),
        ("rate_latest_ci_high", "double"),
        ("rate_previous", "double"),
        ("rate_previous_ci_low", "double"),
        ("rate_previous_ci_high", "double"),
        ("difference", "double"),
        ("z_stat", "double"),
        ("p_value", "double"),
        ("p_adjusted", "double"),
        ("tested", "boolean"),
        ("significant", "boolean"),
    ),
}


def write_window(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, days: Sequence[date]
) -> int:
    """Replace ``days`` of ``main.<table>`` with ``frame`` (delete + insert, one transaction)."""
    columns = MONITORING_TABLES[table]
    missing = [name for name, _ in columns if name not in frame.columns]
    if missing:
        raise ValueError(f"{table}: frame is missing columns {missing}")
    ddl = ", ".join(f'"{name}" {sql_type}' for name, sql_type in columns)
    con.execute(f"create table if not exists main.{table} ({ddl})")
    schema = pa.schema([(name, _ARROW_TYPES[sql_type]) for name, sql_type in columns])
    ordered = frame.loc[:, [name for name, _ in columns]].copy()
    ordered["date"] = pd.to_datetime(ordered["date"]).dt.date
    rows = pa.Table.from_pandas(ordered, schema=schema, preserve_index=False)
    return replace_partitions(con, f"main.{table}", rows, list(days), date_column="date")


_ARROW_TYPES = {
    "date": pa.date32(),
    "varchar": pa.string(),
    "double": pa.float64(),
    "bigint": pa.int64(),
    "integer": pa.int32(),
    "boolean": pa.bool_(),
}


def _table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = 'main' and table_name = ?",
            [table],
        ).fetchone()[0]
    )
