"""Article versions: every distinct content an article has had, with when it was seen.

``track_versions`` is a pure function the ``kb_articles`` asset calls each run with
the table it wrote last time: an unchanged article extends its latest version's
``last_seen``; a changed one (or one changed back) gets a new version. Nothing is
ever deleted, so later work can tie a metric change to the article change before
it. Running it twice with the same input and time gives the same table.

The content hash covers what customers and the bot see (title, body, locale,
status, intents) and not ``updated_at``, origin or lint switches: a re-export that
only touches timestamps is not a new version, and publishing a draft is one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from pipelines.knowledge.article import Article

VERSION_COLUMNS = [
    "article_id",
    "version",
    "content_hash",
    "first_seen",
    "last_seen",
    "is_current",
    "source",
    "origin",
    "title",
    "locale",
    "status",
    "updated_at",
    "intents",
    "lint_ignore",
    "body",
    "body_line",
    "topic_id",
]


def content_hash(article: Article) -> str:
    """SHA-256 of the article's visible content, line endings and trailing spaces ignored."""
    body = "\n".join(line.rstrip() for line in article.body.replace("\r\n", "\n").split("\n"))
    canonical = json.dumps(
        {
            "title": article.title,
            "locale": article.locale,
            "status": article.status,
            "intents": sorted(article.intents),
            "body": body.strip(),
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def track_versions(
    previous: pd.DataFrame, articles: Sequence[Article], seen_at: datetime
) -> pd.DataFrame:
    """The versions table after seeing ``articles`` at ``seen_at``.

    ``previous`` is the last table (empty, or with :data:`VERSION_COLUMNS`);
    ``is_current`` marks the version each article has now, so an article missing
    from ``articles`` (deleted, or failing to load) has no current version.
    """
    if seen_at.tzinfo is None:
        raise ValueError("seen_at must be timezone-aware")
    ids = [article.article_id for article in articles]
    if len(set(ids)) != len(ids):
        raise ValueError("articles must have unique ids (load_kb rejects duplicates)")
    # Tables written before a column existed lack it (the warehouse adds it as NULL).
    rows: list[dict[str, Any]] = (
        [] if previous.empty else previous.reindex(columns=VERSION_COLUMNS).to_dict("records")
    )
    for row in rows:
        row["is_current"] = False
    latest: dict[str, dict[str, Any]] = {}
    for row in rows:
        known = latest.get(str(row["article_id"]))
        if known is None or int(row["version"]) > int(known["version"]):
            latest[str(row["article_id"])] = row
    for article in articles:
        digest = content_hash(article)
        row = latest.get(article.article_id)
        if row is not None and row["content_hash"] == digest:
            row["last_seen"] = max(pd.Timestamp(row["last_seen"]), pd.Timestamp(seen_at))
            row["is_current"] = True
            continue
        version = int(row["version"]) + 1 if row is not None else 1
        new = _row(article, version, digest, seen_at)
        rows.append(new)
        latest[article.article_id] = new
    table = pd.DataFrame(rows, columns=VERSION_COLUMNS)
    for column in ("first_seen", "last_seen", "updated_at"):
        table[column] = pd.to_datetime(table[column], utc=True)
    table["version"] = table["version"].astype("int64")
    table["body_line"] = table["body_line"].astype("int64")
    table["is_current"] = table["is_current"].astype(bool)
    return table.sort_values(["article_id", "version"], ignore_index=True)


def current_articles(versions: pd.DataFrame) -> list[tuple[Article, int]]:
    """The current version of each article, rebuilt from the table, with its number."""
    current = versions[versions["is_current"]]
    return [(article_from_row(row), int(row["version"])) for row in current.to_dict("records")]


def article_from_row(row: Mapping[str, Any]) -> Article:
    updated = row["updated_at"]
    return Article(
        article_id=str(row["article_id"]),
        title=str(row["title"]),
        locale=str(row["locale"]),
        status=row["status"],
        updated_at=None if pd.isna(updated) else pd.Timestamp(updated).to_pydatetime(),
        intents=tuple(json.loads(str(row["intents"]))),
        body=str(row["body"]),
        source=row["source"],
        origin=str(row["origin"]),
        body_line=int(row["body_line"]),
        lint_ignore=tuple(json.loads(str(row["lint_ignore"]))),
        topic_id=None if pd.isna(row.get("topic_id")) else str(row["topic_id"]),
    )


def _row(article: Article, version: int, digest: str, seen_at: datetime) -> dict[str, Any]:
    return {
        "article_id": article.article_id,
        "version": version,
        "content_hash": digest,
        "first_seen": seen_at,
        "last_seen": seen_at,
        "is_current": True,
        "source": article.source,
        "origin": article.origin,
        "title": article.title,
        "locale": article.locale,
        "status": article.status,
        "updated_at": article.updated_at,
        "intents": json.dumps(list(article.intents)),
        "lint_ignore": json.dumps(list(article.lint_ignore)),
        "body": article.body,
        "body_line": article.body_line,
        "topic_id": article.topic_id,
    }
