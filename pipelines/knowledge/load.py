"""The knowledge base's use cases against the warehouse, shared by the assets and the CLI.

- :func:`refresh_articles`: read the KB folder, extend ``main.kb_article_versions``;
- :func:`rewrite_kb_lint`: lint every version into ``main.mart_kb_lint``;
- :func:`rewrite_bot_answer_lint`: lint the bot's distinct answers of a window of days
  (scrubbed events) into ``main.mart_bot_answer_lint``;
- :func:`current_lint_problems` and :func:`kb_lint_summary`: what the asset check, the
  demo and the report show.

Plain functions over a DuckDB connection (no Dagster), so a test or a command can run
them on a small warehouse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.knowledge.linter import Linter
from pipelines.knowledge.marts import bot_answer_lint_rows, kb_lint_rows, lint_summary
from pipelines.knowledge.sources import LoadResult, load_kb
from pipelines.knowledge.versions import VERSION_COLUMNS, track_versions
from pipelines.warehouse.io import conform, replace_partitions, replace_table, table_exists
from pipelines.warehouse.tables import (
    BOT_ANSWER_LINT,
    KB_ARTICLE_VERSIONS,
    KB_LINT,
    SCRUBBED_CONVERSATIONS,
    SCRUBBED_EVENTS,
)


@dataclass(frozen=True)
class ArticlesRefresh:
    """What one read of the KB folder found and did to the versions table."""

    loaded: LoadResult
    versions: pd.DataFrame
    new_versions: int
    folder_exists: bool


def read_versions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``main.kb_article_versions`` (empty, with its columns, before the first run)."""
    if not table_exists(con, KB_ARTICLE_VERSIONS.name):
        return pd.DataFrame(columns=VERSION_COLUMNS)
    return con.execute(
        f"select * from {KB_ARTICLE_VERSIONS.name} order by article_id, version"
    ).df()


def refresh_articles(
    con: duckdb.DuckDBPyConnection, folder: Path, seen_at: datetime
) -> ArticlesRefresh:
    """Load ``folder`` and record every article's version as seen at ``seen_at``.

    A missing folder leaves the table as it is: it means "no knowledge base
    configured" (or a mount that is down), not "every article was deleted".
    """
    previous = read_versions(con)
    if not folder.is_dir():
        return ArticlesRefresh(LoadResult([], [], 0), previous, 0, folder_exists=False)
    loaded = load_kb([folder])
    versions = track_versions(previous, loaded.articles, seen_at)
    replace_table(con, KB_ARTICLE_VERSIONS, versions)
    return ArticlesRefresh(loaded, versions, len(versions) - len(previous), folder_exists=True)


def rewrite_kb_lint(con: duckdb.DuckDBPyConnection, linter: Linter) -> pd.DataFrame:
    """Lint every article version into ``main.mart_kb_lint`` (replaced whole)."""
    rows = kb_lint_rows(read_versions(con), linter)
    replace_table(con, KB_LINT, rows)
    return rows


def bot_answers(con: duckdb.DuckDBPyConnection, first: date, last: date) -> pd.DataFrame:
    """Distinct scrubbed bot message texts per day with how often each was sent and the
    locale most of its conversations had: ``partition_date, text, times_sent, locale``."""
    if not table_exists(con, SCRUBBED_EVENTS.name):
        return pd.DataFrame(columns=["partition_date", "text", "times_sent", "locale"])
    return con.execute(
        f"""
        select events.partition_date, events.text, count(*) as times_sent,
               mode(conversations.locale) as locale
        from {SCRUBBED_EVENTS.name} as events
        left join {SCRUBBED_CONVERSATIONS.name} as conversations
            on conversations.conversation_id = events.conversation_id
        where events.partition_date between ? and ?
          and events.actor = 'bot' and events.event_type = 'message'
          and events.text is not null and trim(events.text) <> ''
        group by events.partition_date, events.text
        order by all
        """,
        [first, last],
    ).df()


def rewrite_bot_answer_lint(
    con: duckdb.DuckDBPyConnection, days: Sequence[date], linter: Linter
) -> pd.DataFrame:
    """Lint the bot's answers of ``days`` into ``main.mart_bot_answer_lint`` (those days
    replaced). Each distinct text is linted once however many days sent it."""
    answers = bot_answers(con, min(days), max(days))
    distinct = answers.drop_duplicates("text")[["text", "locale"]].assign(times_sent=0)
    findings = bot_answer_lint_rows(distinct, linter).drop(columns="times_sent")
    rows = findings.merge(
        answers[["partition_date", "text", "times_sent"]],
        left_on="answer_text",
        right_on="text",
    ).drop(columns="text")
    replace_partitions(con, BOT_ANSWER_LINT, conform(rows, BOT_ANSWER_LINT), days)
    return rows


def current_lint_problems(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Error-severity findings in the current version of published articles:
    ``article_id, version, rule, line, excerpt, suggestion``."""
    if not (table_exists(con, KB_LINT.name) and table_exists(con, KB_ARTICLE_VERSIONS.name)):
        return pd.DataFrame(
            columns=["article_id", "version", "rule", "line", "excerpt", "suggestion"]
        )
    return con.execute(
        f"""
        select lint.article_id, lint.version, lint.rule, lint.line, lint.excerpt,
               lint.suggestion
        from {KB_LINT.name} as lint
        join {KB_ARTICLE_VERSIONS.name} as versions using (article_id, version)
        where versions.is_current and versions.status = 'published'
          and lint.severity = 'error'
        order by all
        """
    ).df()


@dataclass(frozen=True)
class AnswerLintTotals:
    answers: int  # distinct bot answers with at least one finding
    times_sent: int  # how often those answers were sent


def bot_answer_lint_totals(con: duckdb.DuckDBPyConnection) -> AnswerLintTotals:
    """Distinct bot answers with findings and how often they were sent, all days."""
    if not table_exists(con, BOT_ANSWER_LINT.name):
        return AnswerLintTotals(0, 0)
    answers, times_sent = con.execute(
        f"""
        with sent as (
            select distinct partition_date, answer_hash, times_sent from {BOT_ANSWER_LINT.name}
        )
        select count(distinct answer_hash), coalesce(sum(times_sent), 0) from sent
        """
    ).fetchone() or (0, 0)
    return AnswerLintTotals(int(answers), int(times_sent))


def top_bot_answer_findings(
    con: duckdb.DuckDBPyConnection, first: date, last: date, limit: int = 10
) -> pd.DataFrame:
    """The most-sent bot answers with findings from ``first`` to ``last``:
    ``answer_text, times_sent, categories, suggestions`` (report)."""
    if not table_exists(con, BOT_ANSWER_LINT.name):
        return pd.DataFrame(columns=["answer_text", "times_sent", "categories", "suggestions"])
    return con.execute(
        f"""
        with window_rows as (
            select * from {BOT_ANSWER_LINT.name} where partition_date between ? and ?
        ),
        sent as (
            select answer_hash, any_value(answer_text) as answer_text, sum(times_sent) as times_sent
            from (select distinct partition_date, answer_hash, answer_text, times_sent from window_rows)
            group by answer_hash
        ),
        found as (
            select answer_hash,
                   string_agg(distinct category, ', ' order by category) as categories,
                   string_agg(distinct excerpt || ' -> ' || suggestion, '; ') as suggestions
            from window_rows group by answer_hash
        )
        select answer_text, times_sent, categories, suggestions
        from sent join found using (answer_hash)
        order by times_sent desc, answer_text
        limit ?
        """,
        [first, last, limit],
    ).df()


def kb_lint_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """:func:`lint_summary` of the current article versions (demo and report)."""
    if not (table_exists(con, KB_LINT.name) and table_exists(con, KB_ARTICLE_VERSIONS.name)):
        return lint_summary(pd.DataFrame())
    current = con.execute(
        f"""
        select lint.* from {KB_LINT.name} as lint
        join {KB_ARTICLE_VERSIONS.name} as versions using (article_id, version)
        where versions.is_current
        """
    ).df()
    return lint_summary(current)
