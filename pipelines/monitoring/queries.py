"""Every read of the dbt marts and every monitoring table write, in one place.

The statistics modules work on DataFrames with canonical column names; the SQL
here maps the marts' names onto them (e.g. ``mart_resolution_daily.rated`` is the
``csat_responses`` denominator, ``bot_handed_off`` the handoff-rate numerator),
so a renamed mart column is a one-line change here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

from pipelines.warehouse.io import column_names, conform, replace_partitions, table_exists
from pipelines.warehouse.tables import JUDGE_TRUST, MONITORING_TABLES, Table
from schemas.metrics import DIMENSIONS as METRIC_DIMENSIONS

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


# The slices of mart_resolution_by_dimension, cut here per conversation for equal-horizon
# counts: the same vocabulary the dbt model reads (schemas.metrics).
DIMENSIONS = METRIC_DIMENSIONS

SECONDS_PER_DAY = 86_400


def observation_end(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """The newest ``started_at`` loaded: recontacts are observed up to this instant.

    Recontact flags are computed against every loaded conversation, so a flag can
    only have been seen if the comeback started by then. The newest conversation
    rather than the end of the newest day, so an intraday (partial) load is not
    credited with hours nobody has observed yet. None when nothing is loaded.
    """
    return con.execute("select max(started_at) from main.fct_conversations").fetchall()[0][0]


def dimension_counts_at_horizon(
    con: duckdb.DuckDBPyConnection,
    requests: pd.DataFrame,
    observed_until: datetime,
) -> pd.DataFrame:
    """Bot-involved counts per (``date, lag_days, dimension, slice``) as observed earlier.

    ``requests`` has columns ``date`` and ``lag_days``: for each pair, the day's
    conversations are counted as they looked ``lag_days`` x 24 hours before
    ``observed_until``, i.e. a recontact counts only if the comeback started by then.
    A baseline day counted at lag L has thus been observed exactly as long after each
    conversation as the day L days later has now (24-hour days, like the recontact
    window). ``durable_resolved`` is the cut-back durable count; ``assumed_resolved``
    and ``bot_involved`` do not depend on time. ``is_final`` is the day's own flag.
    """
    missing = {"date", "lag_days"} - set(requests.columns)
    if missing:
        raise ValueError(f"requests is missing columns {sorted(missing)}")
    wanted = requests.loc[:, ["date", "lag_days"]].drop_duplicates()
    wanted = wanted.assign(
        date=pd.to_datetime(wanted["date"]).dt.date, lag_days=wanted["lag_days"].astype(int)
    )
    # The day's conversations are first counted per combination of every dimension's
    # value and the flags (a few thousand rows a day), and each dimension's slices are
    # summed from those: one pass over the conversations instead of one per dimension.
    values = ",\n                    ".join(
        f"{expression} as value_{number}" for number, expression in enumerate(DIMENSIONS.values())
    )
    sliced = "\n        union all\n".join(
        f"""
        select conversation_date, lag_days, '{dimension}' as dimension,
               cast(value_{number} as varchar) as slice,
               assumed_resolved, recontact_seen, is_final, conversations
        from combinations"""
        for number, dimension in enumerate(DIMENSIONS)
    )
    con.register("_horizon_requests", wanted)
    try:
        return con.execute(
            f"""
            with cut as (
                select
                    conversations.*,
                    requests.lag_days,
                    coalesce(
                        conversations.recontacted
                        and epoch(conversations.started_at) + conversations.seconds_to_recontact
                        <= ? - {SECONDS_PER_DAY} * requests.lag_days,
                        false
                    ) as recontact_seen
                from main.fct_conversations as conversations
                inner join _horizon_requests as requests
                    on conversations.conversation_date = requests.date
                where conversations.bot_involved
            ),
            combinations as (
                select
                    conversation_date, lag_days,
                    {values},
                    assumed_resolved, recontact_seen, is_final,
                    count(*) as conversations
                from cut
                group by all
            ),
            sliced as ({sliced}
            )
            select
                conversation_date as date,
                lag_days,
                dimension,
                coalesce(slice, '{MISSING_SLICE}') as slice,
                cast(sum(conversations) as bigint) as bot_involved,
                cast(coalesce(sum(conversations) filter (where assumed_resolved), 0) as bigint)
                    as assumed_resolved,
                cast(
                    coalesce(
                        sum(conversations) filter (where assumed_resolved and not recontact_seen),
                        0
                    ) as bigint
                ) as durable_resolved,
                bool_and(is_final) as is_final
            from sliced
            group by all
            order by all
            """,
            [observed_until.timestamp()],
        ).df()
    finally:
        con.unregister("_horizon_requests")


def durable_at_horizon(
    con: duckdb.DuckDBPyConnection, requests: pd.DataFrame, observed_until: datetime
) -> pd.DataFrame:
    """Overall durable counts of days as observed earlier, and as they are now.

    ``requests`` has columns ``date`` and ``lag_days`` (as for
    :func:`dimension_counts_at_horizon`); one row per pair with ``bot_involved``,
    ``durable_at_horizon`` (a recontact counts only if it started ``lag_days`` x 24
    hours before ``observed_until``) and ``durable_final`` (every recontact seen).
    """
    wanted = requests.loc[:, ["date", "lag_days"]].drop_duplicates()
    wanted = wanted.assign(
        date=pd.to_datetime(wanted["date"]).dt.date, lag_days=wanted["lag_days"].astype(int)
    )
    con.register("_horizon_requests", wanted)
    try:
        return con.execute(
            f"""
            select
                conversations.conversation_date as date,
                requests.lag_days,
                count(*) as bot_involved,
                count(*) filter (
                    where conversations.assumed_resolved and not coalesce(
                        conversations.recontacted
                        and epoch(conversations.started_at) + conversations.seconds_to_recontact
                        <= ? - {SECONDS_PER_DAY} * requests.lag_days,
                        false
                    )
                ) as durable_at_horizon,
                count(*) filter (
                    where conversations.assumed_resolved and not conversations.recontacted
                ) as durable_final
            from main.fct_conversations as conversations
            inner join _horizon_requests as requests
                on conversations.conversation_date = requests.date
            where conversations.bot_involved
            group by all
            order by all
            """,
            [observed_until.timestamp()],
        ).df()
    finally:
        con.unregister("_horizon_requests")


def ingest_audit(con: duckdb.DuckDBPyConnection, day: date) -> pd.DataFrame:
    """``main.ingest_audit`` rows of ``day``: one per source file, most quarantined first."""
    if not table_exists(con, "main.ingest_audit"):
        return pd.DataFrame(
            columns=[
                "source_file",
                "records_read",
                "records_loaded",
                "records_quarantined",
                "reason_counts",
            ]
        )
    return con.execute(
        """
        select source_file, records_read, records_loaded, records_quarantined,
               cast(reason_counts as varchar) as reason_counts
        from main.ingest_audit
        where partition_date = ?
        order by records_quarantined desc, source_file
        """,
        [day],
    ).df()


def pii_detections(con: duckdb.DuckDBPyConnection, day: date) -> pd.DataFrame:
    """PII detections of ``day`` by entity type (``entity_type, count``), most first."""
    if not table_exists(con, "main.pii_detections_daily"):
        return pd.DataFrame(columns=["entity_type", "count"])
    return con.execute(
        """
        select entity_type, "count" from main.pii_detections_daily
        where partition_date = ? order by "count" desc, entity_type
        """,
        [day],
    ).df()


# What stg_conversations puts in place of a missing bot_version.
UNKNOWN_VERSION = "unknown"


def version_counts(
    con: duckdb.DuckDBPyConnection, first: date, last: date, observed_until: datetime
) -> pd.DataFrame:
    """Bot-involved conversations per (intent, bot_version) from ``first`` to ``last``.

    ``durable_resolved`` is counted at one observation horizon for the whole window:
    day D counts a recontact only if it came within the time ``last`` has had by
    ``observed_until``, i.e. D as it looked ``last - D`` days earlier (24-hour days).
    Otherwise older days (mostly the previous version's traffic) would have had more
    time to reveal recontacts than the newest ones (mostly the latest version's). Once
    ``last`` is final every day has had its full window and this is the plain durable
    count. ``is_final`` (same on every row): every day of the window is final.
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
            count(*) filter (
                where assumed_resolved and not coalesce(
                    recontacted
                    and epoch(started_at) + seconds_to_recontact
                    <= $observed - {SECONDS_PER_DAY} * date_diff('day', conversation_date, $last),
                    false
                )
            ) as durable_resolved,
            count(*) filter (where handed_off) as handed_off,
            coalesce(
                (
                    select bool_and(is_final) from main.fct_conversations
                    where conversation_date between $first and $last
                ),
                false
            ) as is_final
        from main.fct_conversations
        where bot_involved and conversation_date between $first and $last
        group by all
        order by all
        """,
        {"first": first, "last": last, "observed": observed_until.timestamp()},
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


def judge_in_force(con: duckdb.DuckDBPyConnection) -> dict[str, object] | None:
    """The trust decision of the judge in force (``main.judge_trust``), None before
    judge_marts first ran."""
    if not table_exists(con, JUDGE_TRUST.name):
        return None
    rows = con.execute(f"select * from {JUDGE_TRUST.name} where in_force").df()
    return rows.iloc[0].to_dict() if len(rows) else None


def intent_routing(con: duckdb.DuckDBPyConnection, day: date, days: int = 28) -> pd.DataFrame:
    """Per bot intent, over the labeled conversations of the weeks overlapping the
    trailing ``days``: ``intent, n`` (labeled conversations the bot routed there),
    ``n_correct`` (humans agreed), and the costliest confusion of that intent in
    ``mart_intent_confusions`` (``confused_with``, ``confused_n``; null when none).
    Empty before judge_marts wrote the marts (no labels yet)."""
    columns = ["intent", "n", "n_correct", "confused_with", "confused_n"]
    if not table_exists(con, "main.mart_intent_accuracy"):
        return pd.DataFrame(columns=columns)
    first = day - timedelta(days=days - 1)
    weeks = [first - timedelta(days=first.weekday()), day]
    pairs, params = (
        "select null::varchar as bot_intent, null::varchar as human_intent, "
        "null::bigint as n where false",
        weeks,
    )
    if table_exists(con, "main.mart_intent_confusions"):
        pairs = """
        select bot_intent, human_intent, sum(n)::bigint as n
        from main.mart_intent_confusions where week between ? and ?
        group by bot_intent, human_intent
        qualify row_number() over (
            partition by bot_intent
            order by sum(est_conversations) desc, sum(n) desc, human_intent
        ) = 1
        """
        params = [*weeks, *weeks]
    # '(all)' is the mart's pooled row (pipelines.judge.marts.ALL), not an intent.
    return con.execute(
        f"""
        with routed as (
            select intent, sum(n_routed)::bigint as n, sum(n_correct)::bigint as n_correct
            from main.mart_intent_accuracy
            where week between ? and ? and intent <> '(all)'
            group by intent
        ), pairs as ({pairs})
        select routed.intent, routed.n, routed.n_correct,
            pairs.human_intent as confused_with, pairs.n as confused_n
        from routed left join pairs on pairs.bot_intent = routed.intent
        where routed.n > 0
        order by routed.intent
        """,
        params,
    ).df()[columns]


def judge_trust(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every judge version's trust decision (``main.judge_trust``), the judge in force
    first; empty (with the table's columns) before judge_marts first ran."""
    if not table_exists(con, JUDGE_TRUST.name):
        return pd.DataFrame(columns=JUDGE_TRUST.columns.names)
    return con.execute(
        f"select * from {JUDGE_TRUST.name} order by in_force desc, judge, judge_version"
    ).df()


def verified_counts(con: duckdb.DuckDBPyConnection, day: date) -> tuple[int, int] | None:
    """(verified_resolved, bot_involved) of ``day`` in ``mart_resolution_daily``."""
    rows = con.execute(
        "select verified_resolved, bot_involved from main.mart_resolution_daily "
        "where conversation_date = ?",
        [day],
    ).fetchall()
    return (int(rows[0][0]), int(rows[0][1])) if rows else None


def read_window(
    con: duckdb.DuckDBPyConnection, table: str, first: date, last: date
) -> pd.DataFrame:
    """Rows of one of the monitoring tables for ``first``..``last``."""
    spec = _monitoring_table(table)
    if not table_exists(con, spec.name):
        return pd.DataFrame(columns=spec.columns.names)
    return con.execute(
        f"select * from {spec.name} where date between ? and ? order by all", [first, last]
    ).df()


def write_window(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, days: Sequence[date]
) -> int:
    """Replace ``days`` of ``main.<table>`` with ``frame`` (delete + insert, one transaction)."""
    spec = _monitoring_table(table)
    return replace_partitions(con, spec, conform(frame, spec), list(days))


def oldest_provisional_date(con: duckdb.DuckDBPyConnection, table: str) -> date | None:
    """The oldest ``date`` of ``main.<table>`` whose rows say ``is_final = false``.

    None when there is none, or the table (or its ``is_final`` column) does not exist
    yet. Rows written before ``is_final`` existed read NULL and are not counted: they
    are recomputed only by re-running their range.
    """
    spec = _monitoring_table(table)
    if "is_final" not in column_names(con, spec.name):
        return None
    return con.execute(f"select min(date) from {spec.name} where not is_final").fetchall()[0][0]


def _monitoring_table(table: str) -> Table:
    try:
        return MONITORING_TABLES[table]
    except KeyError:
        raise ValueError(
            f"unknown monitoring table {table!r}; known: {sorted(MONITORING_TABLES)}"
        ) from None
