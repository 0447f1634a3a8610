"""mart_kb_uplift: before/after rates of an article's topic, difference and diff-in-diff."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from pipelines.knowledge.uplift import UPLIFT_COLUMNS, published_topic_articles, uplift_rows

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
