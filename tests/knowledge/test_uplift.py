"""mart_kb_uplift: before/after rates of an article's topic, difference and diff-in-diff."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import duckdb
import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from pipelines.knowledge.gap_load import topic_day_outcomes, topic_outcomes
from pipelines.knowledge.uplift import (
    UPLIFT_COLUMNS,
    published_topic_articles,
    uplift_days,
    uplift_rows,
)

PUBLISHED = date(2026, 3, 15)


def _conversations(topic_after: float, others_shift: float, per_day: int = 40) -> pd.DataFrame:
    """Topic A resolves 30% before the publish day and ``topic_after`` from it; topic B
    resolves 60% before and 60% + ``others_shift`` after."""
    rng = np.random.default_rng(5)
    rows = []
    for offset in range(-28, 28):
        day = PUBLISHED + timedelta(days=offset)
        after = offset >= 0
        for topic, rate in (
            ("topic-a", topic_after if after else 0.3),
            ("topic-b", 0.6 + (others_shift if after else 0.0)),
        ):
            for _ in range(per_day):
                rows.append((day, topic, bool(rng.random() < rate)))
    return pd.DataFrame(rows, columns=["conversation_date", "topic_id", "resolved"])


ARTICLE = pd.DataFrame(
    {"article_id": ["faq-a"], "topic_id": ["topic-a"], "published_date": [PUBLISHED]}
)


def test_a_real_uplift_is_measured_with_intervals() -> None:
    rows = uplift_rows(ARTICLE, _conversations(0.6, 0.0), as_of=PUBLISHED + timedelta(days=27))
    assert list(rows.columns) == UPLIFT_COLUMNS
    row = rows.iloc[0]
    assert row["window_days"] == 28 and row["n_before"] == row["n_after"] == 28 * 40
    assert row["rate_before"] == pytest.approx(0.3, abs=0.04)
    assert row["rate_after"] == pytest.approx(0.6, abs=0.04)
    low, high = proportion_confint(
        round(row["rate_before"] * row["n_before"]), row["n_before"], method="wilson"
    )
    assert (row["rate_before_ci_low"], row["rate_before_ci_high"]) == pytest.approx((low, high))
    assert 0 < row["difference_ci_low"] < row["difference"] < row["difference_ci_high"]
    assert row["diff_in_diff_ci_low"] > 0 and not row["inconclusive"]


def test_a_platform_wide_change_is_not_credited_to_the_article() -> None:
    # Everything rises by 0.2 after the publish day: the difference is "significant",
    # the diff-in-diff is not.
    rows = uplift_rows(ARTICLE, _conversations(0.5, 0.2), as_of=PUBLISHED + timedelta(days=27))
    row = rows.iloc[0]
    assert row["difference_ci_low"] > 0
    assert row["diff_in_diff_ci_low"] < 0 < row["diff_in_diff_ci_high"]


def test_short_windows_are_equal_and_small_ones_inconclusive() -> None:
    rows = uplift_rows(
        ARTICLE, _conversations(0.6, 0.0, per_day=3), as_of=PUBLISHED + timedelta(days=4)
    )
    row = rows.iloc[0]
    assert row["window_days"] == 5 and row["n_before"] == row["n_after"] == 15
    assert row["inconclusive"]
    # Not yet published on as_of: no row.
    assert uplift_rows(ARTICLE, _conversations(0.6, 0.0), as_of=PUBLISHED - timedelta(1)).empty


def test_published_date_is_the_first_version_seen_published() -> None:
    seen = [datetime(2026, 3, day, 2, tzinfo=UTC) for day in (1, 15, 20)]
    versions = pd.DataFrame(
        {
            "article_id": ["faq-a", "faq-a", "faq-a", "kb-other"],
            "status": ["draft", "published", "published", "published"],
            "topic_id": ["topic-a", "topic-a", "topic-a", None],
            "first_seen": [*seen, seen[0]],
        }
    )
    found = published_topic_articles(versions)
    assert found.to_dict("records") == [
        {"article_id": "faq-a", "topic_id": "topic-a", "published_date": PUBLISHED}
    ]


def test_a_reviewer_dated_publish_edit_sets_the_published_date() -> None:
    """A version's updated_at earlier than the run that first saw it published is the
    publish day (the demo backdates it); a later or missing one does not count."""
    seen = datetime(2026, 3, 20, 2, tzinfo=UTC)
    versions = pd.DataFrame(
        {
            "article_id": ["faq-a", "faq-b", "faq-c"],
            "status": ["published"] * 3,
            "topic_id": ["topic-a", "topic-b", "topic-c"],
            "first_seen": [seen] * 3,
            "updated_at": [
                datetime(2026, 3, 15, 9, tzinfo=UTC),
                datetime(2026, 3, 25, 9, tzinfo=UTC),
                None,
            ],
        }
    )
    found = published_topic_articles(versions).set_index("article_id")["published_date"]
    assert found.to_dict() == {"faq-a": PUBLISHED, "faq-b": seen.date(), "faq-c": seen.date()}


@pytest.mark.parametrize("as_of_offset", [0, 4, 27, 200])
def test_counts_per_day_and_topic_give_the_rows_of_one_row_per_conversation(
    as_of_offset: int,
) -> None:
    """The warehouse hands uplift_rows counts per (day, topic), not conversations."""
    conversations = _conversations(0.6, 0.1, per_day=7)
    conversations.loc[::11, "topic_id"] = None  # unassigned conversations count nowhere
    grouped = (
        conversations.groupby(["conversation_date", "topic_id"], dropna=False)
        .agg(n=("resolved", "size"), resolved=("resolved", "sum"))
        .reset_index()
    )
    articles = pd.concat(
        [ARTICLE, ARTICLE.assign(article_id="faq-b", topic_id="topic-b")], ignore_index=True
    )
    as_of = PUBLISHED + timedelta(days=as_of_offset)
    per_conversation = uplift_rows(articles, conversations, as_of=as_of, min_n=20)
    per_group = uplift_rows(articles, grouped, as_of=as_of, min_n=20)
    assert len(per_conversation) == 2
    pd.testing.assert_frame_equal(per_group, per_conversation)


def test_the_days_read_are_the_articles_windows_only() -> None:
    old = PUBLISHED - timedelta(days=365)
    articles = pd.DataFrame(
        {
            "article_id": ["faq-old", "faq-new", "faq-later"],
            "topic_id": ["topic-a", "topic-b", "topic-c"],
            "published_date": [old, PUBLISHED, PUBLISHED + timedelta(days=1)],
        }
    )
    days = uplift_days(articles, as_of=PUBLISHED + timedelta(days=2), window_days=28)
    old_windows = [old + timedelta(days=offset) for offset in range(-28, 28)]
    # The new article has seen 3 days: 3 before and 3 from its publish day.
    new_windows = [PUBLISHED + timedelta(days=offset) for offset in range(-3, 3)]
    # Published a day later: 2 days each side, all inside the new article's days.
    assert days == sorted(set(old_windows) | set(new_windows))
    rows = uplift_rows(articles, _conversations(0.6, 0.0), PUBLISHED + timedelta(days=2))
    assert set(rows["window_days"]) == {28, 3, 2}
    assert uplift_days(articles.iloc[:0], PUBLISHED) == []


def test_an_assignment_left_on_another_day_does_not_count_its_conversation_twice() -> None:
    """A conversation re-delivered onto another day is assigned there; a row the old day
    kept must not join it a second time (assignments join on the id and the day)."""
    con = duckdb.connect()
    con.execute(
        "create table main.fct_conversations as select * from (values "
        "('c1', date '2026-03-15', true), ('c2', date '2026-03-16', false)) "
        "as t(conversation_id, conversation_date, durable_resolved)"
    )
    con.execute(
        "create table main.kb_topic_assignments as select * from (values "
        "(date '2026-03-15', 'c1', 'topic-a', 0.9), (date '2026-03-16', 'c2', 'topic-a', 0.8), "
        "(date '2026-03-14', 'c1', 'topic-a', 0.7)) "
        "as t(conversation_date, conversation_id, topic_id, similarity)"
    )
    days = [date(2026, 3, 14), date(2026, 3, 15), date(2026, 3, 16)]
    counted = topic_day_outcomes(con, days).sort_values("conversation_date")
    assert counted[["n", "resolved"]].sum().tolist() == [2, 1]
    listed = topic_outcomes(con, days[0], days[-1])
    assert sorted(listed["conversation_id"]) == ["c1", "c2"]
