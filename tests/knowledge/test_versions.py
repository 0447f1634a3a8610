"""Article versions: unchanged content extends the version, changed content adds one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pandas as pd
import pytest

from pipelines.knowledge.article import Article
from pipelines.knowledge.versions import VERSION_COLUMNS, current_articles, track_versions

DAY1 = datetime(2026, 3, 1, tzinfo=UTC)
DAY2 = datetime(2026, 3, 2, tzinfo=UTC)
DAY3 = datetime(2026, 3, 3, tzinfo=UTC)


def article(
    article_id: str = "a1", body: str = "# Refunds\n\nText.\n", **changes: object
) -> Article:
    base = Article(
        article_id, "Refunds", "en-US", "published", None, ("refund",), body, "markdown", "kb/a1.md"
    )
    return replace(base, **changes)


def test_first_run_creates_version_one():
    table = track_versions(pd.DataFrame(), [article(), article("a2")], DAY1)
    assert list(table.columns) == VERSION_COLUMNS
    assert table[["article_id", "version", "is_current"]].values.tolist() == [
        ["a1", 1, True],
        ["a2", 1, True],
    ]
    assert (table["first_seen"] == pd.Timestamp(DAY1)).all()


def test_unchanged_article_extends_last_seen_and_is_idempotent():
    first = track_versions(pd.DataFrame(), [article()], DAY1)
    second = track_versions(first, [article(updated_at=DAY2, origin="kb/moved.md")], DAY2)
    assert len(second) == 1
    assert second.loc[0, "last_seen"] == pd.Timestamp(DAY2) and second.loc[
        0, "first_seen"
    ] == pd.Timestamp(DAY1)
    pd.testing.assert_frame_equal(track_versions(second, [article()], DAY2), second)


def test_changed_article_gets_a_new_version_and_old_versions_stay():
    first = track_versions(pd.DataFrame(), [article()], DAY1)
    second = track_versions(first, [article(body="# Refunds\n\nNew text.\n")], DAY2)
    third = track_versions(second, [article()], DAY3)  # changed back: a new period, a new version
    assert third["version"].tolist() == [1, 2, 3]
    assert third["is_current"].tolist() == [False, False, True]
    assert (
        third.loc[0, "content_hash"] == third.loc[2, "content_hash"] != third.loc[1, "content_hash"]
    )
    assert third.loc[1, "last_seen"] == pd.Timestamp(DAY2)


def test_publishing_is_a_change_but_whitespace_is_not():
    first = track_versions(pd.DataFrame(), [article(status="draft")], DAY1)
    published = track_versions(first, [article()], DAY2)
    assert published["version"].tolist() == [1, 2]
    same = track_versions(published, [article(body="# Refunds  \r\n\r\nText.\r\n")], DAY3)
    assert same["version"].tolist() == [1, 2]


def test_missing_article_has_no_current_version():
    first = track_versions(pd.DataFrame(), [article(), article("a2")], DAY1)
    second = track_versions(first, [article()], DAY2)
    assert second.set_index("article_id")["is_current"].to_dict() == {"a1": True, "a2": False}
    assert [(a.article_id, v) for a, v in current_articles(second)] == [("a1", 1)]


def test_rejects_duplicate_ids_and_naive_times():
    with pytest.raises(ValueError, match="unique"):
        track_versions(pd.DataFrame(), [article(), article()], DAY1)
    with pytest.raises(ValueError, match="timezone"):
        track_versions(pd.DataFrame(), [article()], datetime(2026, 3, 1))
