"""Part 2's use cases against the warehouse: topics, gaps, FAQ drafts, uplift.

Shared by the assets (``pipelines/defs/knowledge.py``) and the CLI. Each reads what
it needs from the warehouse (scrubbed events, ``fct_conversations``, the KB tables)
and writes its own table; none imports Dagster.

Conversations are the bot-involved ones (the headline rate's denominator) with a
customer message; "resolved" is ``durable_resolved``, the headline numerator.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from pipelines.knowledge.drafts import Drafter, DraftParams, ExtractiveDrafter, write_draft
from pipelines.knowledge.gaps import GAP_COLUMNS, GapParams, coverage, gap_rows
from pipelines.knowledge.linter import Linter
from pipelines.knowledge.llm_drafts import DraftUsage, LLMDrafter
from pipelines.knowledge.load import read_versions
from pipelines.knowledge.topics import TextFit, Topic, TopicParams, fit_texts, opening_texts
from pipelines.knowledge.uplift import published_topic_articles, uplift_rows
from pipelines.knowledge.versions import current_articles
from pipelines.warehouse.io import (
    PartitionFile,
    append_rows,
    conform,
    drop_temp_tables,
    replace_partitions,
    replace_table,
    replace_window,
    table_exists,
)
from pipelines.warehouse.tables import (
    FCT_CONVERSATIONS,
    KB_DRAFT_LLM_USAGE,
    KB_GAPS,
    KB_TOPIC_ASSIGNMENTS,
    KB_TOPICS,
    KB_UPLIFT,
    SCRUBBED_EVENTS,
)

FIT_DAYS = 28  # topics are fitted on the longest gap window


@dataclass(frozen=True)
class TopicsRefresh:
    fit: TextFit
    days: list[date]
    new_topics: int
    conversations: int  # assigned (to a topic or as an outlier)
    outlier_share: float  # of those conversations


# Temporary tables of refresh_topics' connection.
_OPENINGS, _BY_TEXT = "kb_topic_openings", "kb_topic_by_text"


def _openings_sql(first: date, last: date) -> tuple[str, list[date]]:
    return (
        f"""
        with openings as (
            select conversation_id, arg_min(text, seq) as text
            from {SCRUBBED_EVENTS.name}
            where partition_date between ? and ?
              and actor = 'customer' and event_type = 'message' and text is not null
            group by conversation_id
        )
        select conversations.conversation_id, conversations.conversation_date,
               conversations.durable_resolved as resolved, openings.text
        from {FCT_CONVERSATIONS} as conversations
        join openings using (conversation_id)
        where conversations.conversation_date between ? and ? and conversations.bot_involved
        """,
        [first, last, first, last],
    )


def conversations_with_openings(
    con: duckdb.DuckDBPyConnection, first: date, last: date
) -> pd.DataFrame:
    """``conversation_id, conversation_date, resolved, text`` (the first customer
    message, scrubbed) of bot-involved conversations from ``first`` to ``last``."""
    sql, params = _openings_sql(first, last)
    return con.execute(f"{sql} order by conversations.conversation_id", params).df()


def read_topics(con: duckdb.DuckDBPyConnection) -> tuple[list[Topic], dict[str, date]]:
    """The registry, most recently seen and largest first (the order refits seed from),
    and each topic's first day."""
    if not table_exists(con, KB_TOPICS.name):
        return [], {}
    rows = con.execute(
        f"select * from {KB_TOPICS.name} order by last_seen desc, conversations desc, topic_id"
    ).df()
    topics = [
        Topic(
            topic_id=str(row.topic_id),
            top_terms=tuple(json.loads(str(row.top_terms))),
            representative=str(row.representative_utterance),
            centroid=json.loads(str(row.centroid)),
            conversations=int(row.conversations),
        )
        for row in rows.itertuples(index=False)
    ]
    first_seen = {
        str(row.topic_id): pd.Timestamp(row.first_seen).date()
        for row in rows.itertuples(index=False)
    }
    return topics, first_seen


def refresh_topics(
    con: duckdb.DuckDBPyConnection, as_of: date, params: TopicParams | None = None
) -> TopicsRefresh:
    """Refit topics on the ``FIT_DAYS`` ending ``as_of``; update the registry and the
    window's assignments.

    No row per conversation is held in Python: the window's openings stay in a DuckDB
    temporary table, DuckDB counts the distinct texts the fit clusters (the same fit as
    :func:`fit_topics` on the rows, ``tests/knowledge/test_gap_load.py``), and joins
    each conversation to its text's topic, streamed in batches to a Parquet file in an
    owner-only temporary folder that the write inserts from."""
    scratch = Path(tempfile.mkdtemp(prefix="closedloop-topics-"))  # mode 0700
    try:
        return _refresh_topics(con, as_of, params, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _refresh_topics(
    con: duckdb.DuckDBPyConnection, as_of: date, params: TopicParams | None, scratch: Path
) -> TopicsRefresh:
    days = [as_of - timedelta(days=offset) for offset in range(FIT_DAYS - 1, -1, -1)]
    sql, sql_params = _openings_sql(days[0], as_of)
    con.execute(f"create or replace temp table {_OPENINGS} as {sql}", sql_params).fetchall()
    try:
        distinct = con.execute(
            f"select text, count(*) as n, min(conversation_id) as first from {_OPENINGS} "
            "group by text"
        ).df()
        texts = opening_texts(distinct)
        del distinct
        previous, first_seen = read_topics(con)
        fitted = fit_texts(texts, previous, params)
        # DuckDB reads by_raw by its name (a replacement scan) in the statement below.
        by_raw = pd.DataFrame({"text": texts.raw.index, "clean": texts.raw.to_numpy()})
        by_raw = by_raw.merge(fitted.by_text, on="clean")[["text", "topic_id", "similarity"]]
        assert len(by_raw) <= len(texts.raw)  # read by DuckDB by its name below
        # A temporary table (not a registered view): callers may leave a result open.
        con.execute(f"create or replace temp table {_BY_TEXT} as select * from by_raw").fetchall()
        # One row per conversation of the window: streamed to a Parquet file, never
        # held whole (28 days of a 1M-conversation day are 28M rows).
        assignments = PartitionFile(KB_TOPIC_ASSIGNMENTS, scratch / "assignments.parquet")
        outliers = 0
        for batch in con.sql(
            f"""
            select openings.conversation_date, openings.conversation_id,
                   by_text.topic_id, coalesce(by_text.similarity, 0.0) as similarity
            from {_OPENINGS} as openings left join {_BY_TEXT} as by_text using (text)
            order by openings.conversation_id
            """
        ).to_arrow_reader(100_000):
            assignments.write(pa.Table.from_batches([batch]))
            outliers += batch.column("topic_id").null_count
        assignments.close()
    finally:
        drop_temp_tables(con, _OPENINGS, _BY_TEXT)
    registry = {topic.topic_id: topic for topic in previous}
    seen = {topic.topic_id: topic for topic in fitted.topics}
    rows = []
    for topic_id in sorted(set(registry) | set(seen)):
        topic = seen.get(topic_id) or registry[topic_id]
        rows.append(
            {
                "topic_id": topic_id,
                "label": topic.label,
                "top_terms": json.dumps(list(topic.top_terms)),
                "representative_utterance": topic.representative,
                "centroid": json.dumps(dict(topic.centroid)),
                "conversations": topic.conversations if topic_id in seen else 0,
                "first_seen": first_seen.get(topic_id, as_of),
                "last_seen": as_of if topic_id in seen else _last_seen(con, topic_id),
            }
        )
    replace_table(con, KB_TOPICS, pd.DataFrame(rows, columns=KB_TOPICS.columns.names))
    replace_window(con, [(KB_TOPIC_ASSIGNMENTS, assignments)], days)
    return TopicsRefresh(
        fitted,
        days,
        len(set(seen) - set(registry)),
        conversations=assignments.rows,
        outlier_share=outliers / assignments.rows if assignments.rows else 0.0,
    )


def topic_outcomes(con: duckdb.DuckDBPyConnection, first: date, last: date) -> pd.DataFrame:
    """``conversation_id, conversation_date, topic_id, similarity, resolved`` as of now."""
    return con.execute(
        f"""
        select assignments.conversation_id, assignments.conversation_date,
               assignments.topic_id, assignments.similarity,
               conversations.durable_resolved as resolved
        from {KB_TOPIC_ASSIGNMENTS.name} as assignments
        join {FCT_CONVERSATIONS} as conversations using (conversation_id)
        where assignments.conversation_date between ? and ?
        """,
        [first, last],
    ).df()


def topic_intents(con: duckdb.DuckDBPyConnection, first: date, last: date) -> dict[str, str]:
    """Per topic the NLU intent of most of its conversations, when at least half carry it."""
    return _topic_majority(con, "intent", first, last)


def topic_locales(con: duckdb.DuckDBPyConnection, first: date, last: date) -> dict[str, str]:
    """Per topic the locale of most of its conversations, when at least half have it."""
    return _topic_majority(con, "locale", first, last)


def _topic_majority(
    con: duckdb.DuckDBPyConnection, column: str, first: date, last: date
) -> dict[str, str]:
    rows = con.execute(
        f"""
        with grouped as (
            select assignments.topic_id, conversations.{column} as value, count(*) as n
            from {KB_TOPIC_ASSIGNMENTS.name} as assignments
            join {FCT_CONVERSATIONS} as conversations using (conversation_id)
            where assignments.conversation_date between ? and ?
              and assignments.topic_id is not null
            group by assignments.topic_id, conversations.{column}
        ),
        counted as (
            select *, sum(n) over (partition by topic_id) as total from grouped
        )
        select topic_id, value from counted
        where value is not null and n * 2 >= total
        qualify row_number() over (partition by topic_id order by n desc, value) = 1
        """,
        [first, last],
    ).fetchall()
    return {str(topic_id): str(intent) for topic_id, intent in rows}


def rewrite_gaps(
    con: duckdb.DuckDBPyConnection, as_of: date, params: GapParams | None = None
) -> pd.DataFrame:
    """``main.mart_kb_gaps`` for ``as_of`` (the 7- and 28-day windows ending it)."""
    params = params or GapParams()
    topics, first_seen = read_topics(con)
    live = [topic for topic in topics if topic.conversations]
    articles = [article for article, _ in current_articles(read_versions(con))]
    first = as_of - timedelta(days=max(params.windows) - 1)
    outcomes = topic_outcomes(con, first, as_of)
    covered = coverage(live, articles, topic_intents(con, first, as_of))
    rows = gap_rows(outcomes, live, covered, first_seen, as_of, params)
    replace_partitions(con, KB_GAPS, conform(rows[GAP_COLUMNS], KB_GAPS), [as_of])
    return rows


def resolved_agent_replies(con: duckdb.DuckDBPyConnection, first: date, last: date) -> pd.DataFrame:
    """Agent messages of handed-off conversations that ended resolved by the person
    (answered, no recontact, no negative feedback), with the conversation's topic."""
    return con.execute(
        f"""
        select events.conversation_id, assignments.topic_id, events.text
        from {SCRUBBED_EVENTS.name} as events
        join {FCT_CONVERSATIONS} as conversations using (conversation_id)
        join {KB_TOPIC_ASSIGNMENTS.name} as assignments using (conversation_id)
        where events.partition_date between ? and ?
          and events.actor = 'agent' and events.event_type = 'message'
          and events.text is not null and assignments.topic_id is not null
          and conversations.handed_off and conversations.human_answered
          and not conversations.recontacted
          and coalesce(conversations.last_feedback, '') <> 'negative'
        order by events.conversation_id, events.seq
        """,
        [first, last],
    ).df()


def draft_top_gaps(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    folder: Path,
    linter: Linter,
    drafted_at: datetime,
    top: int = 3,
    params: DraftParams | None = None,
    drafter: Drafter | None = None,
) -> list[Path]:
    """Drafts for the ``top`` gaps of the 28-day window that no article or draft
    already answers (by ``topic_id``); returns the files written. ``drafter``: the
    extractive one by default; an :class:`LLMDrafter`'s calls are recorded in
    ``main.kb_draft_llm_usage`` under ``as_of``."""
    params = params or DraftParams()
    drafter = drafter or ExtractiveDrafter()
    if not table_exists(con, KB_GAPS.name):
        return []
    gaps = con.execute(
        f"""
        select topic_id from {KB_GAPS.name}
        where as_of_date = ? and window_days = ? and is_gap and resolution_points_lost > 0
        order by rank
        """,
        [as_of, FIT_DAYS],
    ).df()
    versions = read_versions(con)
    answered = set(versions["topic_id"].dropna()) if "topic_id" in versions else set()
    # A draft already on disk (not yet loaded by kb_articles) counts as answered too.
    answered |= {path.stem.removeprefix("faq-") for path in (folder / "drafts").glob("faq-*.md")}
    topics = {topic.topic_id: topic for topic in read_topics(con)[0]}
    articles = [article for article, _ in current_articles(versions)]
    first = as_of - timedelta(days=FIT_DAYS - 1)
    replies = resolved_agent_replies(con, first, as_of)
    # Drafts are en-US articles checked by an English linter: a topic whose
    # conversations are mostly in another language is a gap of its own (no KB in
    # that language), not one to answer in English.
    english = {
        t for t, locale in topic_locales(con, first, as_of).items() if locale.startswith("en")
    }
    written = []
    for topic_id in gaps["topic_id"]:
        if len(written) == top:
            break
        if topic_id in answered or topic_id not in topics or topic_id not in english:
            continue
        draft = drafter.draft(topics[topic_id], replies, articles, linter, params)
        if draft is not None:
            written.append(write_draft(folder, draft, drafted_at))
    if isinstance(drafter, LLMDrafter):
        record_draft_usage(con, as_of, drafter.take_usage())
    return written


def record_draft_usage(con: duckdb.DuckDBPyConnection, day: date, usage: list[DraftUsage]) -> None:
    """Append the drafting calls to ``main.kb_draft_llm_usage`` (``main.llm_usage``'s
    columns; the judge replaces that table's days whole): the row's ``conversation_id``
    holds the draft's article id, its ``prompt_version`` names the drafting prompt."""
    if not usage:
        return
    rows = [
        {
            "partition_date": day,
            "conversation_id": call.article_id,
            **{k: v for k, v in vars(call).items() if k != "article_id"},
        }
        for call in usage
    ]
    append_rows(
        con,
        KB_DRAFT_LLM_USAGE,
        pa.Table.from_pylist(rows, schema=KB_DRAFT_LLM_USAGE.columns),
    )


def rewrite_uplift(
    con: duckdb.DuckDBPyConnection, as_of: date, window_days: int, min_n: int
) -> pd.DataFrame:
    """``main.mart_kb_uplift`` for ``as_of``: every published article with a topic."""
    articles = published_topic_articles(read_versions(con))
    first = min(articles["published_date"], default=as_of) - timedelta(days=window_days)
    outcomes = (
        topic_outcomes(con, first, as_of)
        if table_exists(con, KB_TOPIC_ASSIGNMENTS.name)
        else pd.DataFrame(columns=["conversation_date", "topic_id", "resolved"])
    )
    rows = uplift_rows(articles, outcomes, as_of, window_days, min_n)
    replace_partitions(con, KB_UPLIFT, conform(rows, KB_UPLIFT), [as_of])
    return rows


def latest_gaps(
    con: duckdb.DuckDBPyConnection, as_of: date, window_days: int, limit: int | None = None
) -> pd.DataFrame:
    """``mart_kb_gaps`` rows of the newest run on or before ``as_of``, ranked."""
    if not table_exists(con, KB_GAPS.name):
        return pd.DataFrame(columns=GAP_COLUMNS)
    return con.execute(
        f"""
        select * from {KB_GAPS.name}
        where window_days = ? and as_of_date = (
            select max(as_of_date) from {KB_GAPS.name} where as_of_date <= ?
        )
        order by rank
        limit ?
        """,
        [window_days, as_of, limit if limit is not None else 2**31 - 1],
    ).df()


def latest_uplift(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """``mart_kb_uplift`` rows of the newest run on or before ``as_of``, newest article first."""
    if not table_exists(con, KB_UPLIFT.name):
        return pd.DataFrame(columns=KB_UPLIFT.columns.names)
    return con.execute(
        f"""
        select * from {KB_UPLIFT.name}
        where as_of_date = (select max(as_of_date) from {KB_UPLIFT.name} where as_of_date <= ?)
        order by published_date desc, article_id
        """,
        [as_of],
    ).df()


def _last_seen(con: duckdb.DuckDBPyConnection, topic_id: str) -> date:
    (value,) = con.execute(
        f"select last_seen from {KB_TOPICS.name} where topic_id = ?", [topic_id]
    ).fetchone() or (None,)
    return pd.Timestamp(value).date()
