"""Rows for the knowledge marts: ``mart_kb_lint`` and ``mart_bot_answer_lint``.

Both are plain DataFrames with fixed columns so the asset that writes them is a
thin call; the grain of each is in its docstring.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from pipelines.knowledge.linter import Finding, Linter
from pipelines.knowledge.versions import article_from_row

KB_LINT_COLUMNS = [
    "article_id",
    "version",
    "rule",
    "category",
    "severity",
    "line",
    "column",
    "excerpt",
    "suggestion",
    "message",
]
BOT_ANSWER_LINT_COLUMNS = [
    "answer_hash",
    "answer_text",
    "times_sent",
    "rule",
    "category",
    "severity",
    "excerpt",
    "suggestion",
    "message",
]
EXCERPT_CHARS = 120


def kb_lint_rows(versions: pd.DataFrame, linter: Linter) -> pd.DataFrame:
    """One row per finding per article version in ``versions`` (the versions table or a slice).

    Versions never change, so linting every version (not only the current one) keeps
    the findings of old versions comparable with the metrics of their time.
    """
    rows = []
    for row in versions.to_dict("records"):
        article = article_from_row(row)
        for finding in linter.lint_article(article):
            rows.append(
                {
                    "article_id": article.article_id,
                    "version": int(row["version"]),
                    "rule": finding.rule,
                    "category": finding.category,
                    "severity": finding.severity,
                    "line": finding.line,
                    "column": finding.column,
                    "excerpt": excerpt(finding),
                    "suggestion": finding.suggestion,
                    "message": finding.message,
                }
            )
    return pd.DataFrame(rows, columns=KB_LINT_COLUMNS).astype(
        {"version": "int64", "line": "int64", "column": "int64"}
    )


def bot_answer_lint_rows(answers: pd.DataFrame, linter: Linter) -> pd.DataFrame:
    """One row per finding per distinct bot answer.

    ``answers`` has ``text`` (scrubbed bot message text, one row per distinct text),
    ``times_sent`` and optionally ``locale``: answers in a language other than
    English are skipped, since the rules are about US English. Answers are keyed by
    the SHA-256 of their text so a finding can be joined back to the events.
    """
    rows = []
    for answer in answers.to_dict("records"):
        locale = str(answer.get("locale") or "en-US")
        if not locale.lower().startswith("en"):
            continue
        text = str(answer["text"])
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        for finding in linter.lint(text, locale=locale):
            rows.append(
                {
                    "answer_hash": digest,
                    "answer_text": text,
                    "times_sent": int(answer["times_sent"]),
                    "rule": finding.rule,
                    "category": finding.category,
                    "severity": finding.severity,
                    "excerpt": excerpt(finding),
                    "suggestion": finding.suggestion,
                    "message": finding.message,
                }
            )
    return pd.DataFrame(rows, columns=BOT_ANSWER_LINT_COLUMNS).astype({"times_sent": "int64"})


def excerpt(finding: Finding) -> str:
    """The offending text on one line, cut to a readable length."""
    text = " ".join(finding.text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def lint_summary(kb_lint: pd.DataFrame) -> pd.DataFrame:
    """Findings and affected articles per category and severity (demo and daily report)."""
    if kb_lint.empty:
        return pd.DataFrame(columns=["category", "severity", "findings", "articles"])
    grouped = kb_lint.groupby(["category", "severity"], sort=True)
    return (
        grouped.agg(findings=("rule", "size"), articles=("article_id", "nunique"))
        .reset_index()
        .astype({"findings": "int64", "articles": "int64"})
    )
