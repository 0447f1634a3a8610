"""Did a published article raise its topic's resolution rate? (``mart_kb_uplift``)

For each article that names its topic (front matter ``topic_id``, which FAQ drafts
carry) and has been published, the topic's resolution rate in the L days before the
publish day is compared with the L days from it (same-length windows, L = the
window setting, shortened to the days observed since publishing):

- each rate with its Wilson 95% interval;
- the difference after - before with Newcombe's hybrid score interval
  (statsmodels ``confint_proportions_2indep(method="newcomb")``);
- a difference-in-differences against every other topic over the same windows, so
  a platform-wide change (a new bot version, a holiday) is not credited to the
  article; its interval is the normal approximation (the four rates independent);
- ``inconclusive`` when either window of the topic has fewer than ``min_n``
  conversations.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import numpy as np
import pandas as pd

from pipelines.stats.wilson import wilson_interval

UPLIFT_COLUMNS = [
    "as_of_date",
    "article_id",
    "topic_id",
    "published_date",
    "window_days",
    "n_before",
    "rate_before",
    "rate_before_ci_low",
    "rate_before_ci_high",
    "n_after",
    "rate_after",
    "rate_after_ci_low",
    "rate_after_ci_high",
    "difference",
    "difference_ci_low",
    "difference_ci_high",
    "others_rate_before",
    "others_rate_after",
    "diff_in_diff",
    "diff_in_diff_ci_low",
    "diff_in_diff_ci_high",
    "inconclusive",
]


@functools.cache
def _z() -> float:
    """The two-sided 95% normal quantile."""
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from scipy.stats import norm

    return float(norm.isf(0.025))


def published_topic_articles(versions: pd.DataFrame) -> pd.DataFrame:
    """``article_id, topic_id, published_date`` of each article with a topic: the day
    its first published version was seen, or that version's ``updated_at`` when earlier
    (the reviewer dates the edit that publishes it; a run may see it days later).
    Versions table of ``pipelines.knowledge.versions``."""
    if versions.empty or "topic_id" not in versions:
        return pd.DataFrame(columns=["article_id", "topic_id", "published_date"])
    published = versions[(versions["status"] == "published") & versions["topic_id"].notna()]
    first = published.sort_values("first_seen").drop_duplicates("article_id")
    seen = pd.to_datetime(first["first_seen"], utc=True)
    if "updated_at" in first:
        updated = pd.to_datetime(first["updated_at"], utc=True)
        seen = seen.where(updated.isna() | (updated >= seen), updated)
    return pd.DataFrame(
        {
            "article_id": first["article_id"],
            "topic_id": first["topic_id"],
            "published_date": seen.dt.date,
        }
    ).reset_index(drop=True)


def uplift_days(articles: pd.DataFrame, as_of: date, window_days: int = 28) -> list[date]:
    """Every day an article's before or after window reads on ``as_of`` (sorted): what
    :func:`uplift_rows` needs of the outcomes, so an article published a year ago costs
    its two windows, not the year since."""
    days: set[date] = set()
    for published in articles["published_date"]:
        length = _window_length(published, as_of, window_days)
        days.update(published + timedelta(days=offset) for offset in range(-length, length))
    return sorted(days)


def _window_length(published: date, as_of: date, window_days: int) -> int:
    """Days in each of the two windows: ``window_days``, shortened to the days observed
    since publishing; below 1 when the article is not published yet on ``as_of``."""
    return max(0, min(window_days, (as_of - published).days + 1))


def uplift_rows(
    articles: pd.DataFrame,
    conversations: pd.DataFrame,
    as_of: date,
    window_days: int = 28,
    min_n: int = 30,
) -> pd.DataFrame:
    """One row per article of ``published_topic_articles`` published on or before
    ``as_of``. ``conversations`` has ``conversation_date, topic_id, resolved``: one row
    per conversation (``resolved`` a bool), or, with a column ``n``, one row per group
    of ``n`` conversations of which ``resolved`` (a count) were resolved; both give the
    same rows (``pipelines.knowledge.gap_load.topic_day_outcomes`` groups per day and
    topic in the warehouse)."""
    dates = pd.to_datetime(conversations["conversation_date"]).dt.date
    weights = conversations["n"].astype("int64") if "n" in conversations else 1
    # A bool per conversation counts 0 or 1; a group's count is already a number.
    resolved = conversations["resolved"].fillna(0).astype("int64")
    rows = []
    for article in articles.itertuples(index=False):
        published = article.published_date
        length = _window_length(published, as_of, window_days)
        if length < 1:
            continue
        before = (dates >= published - timedelta(days=length)) & (dates < published)
        after = (dates >= published) & (dates < published + timedelta(days=length))
        topic = conversations["topic_id"] == article.topic_id
        others = conversations["topic_id"].notna() & ~topic
        n_b, x_b = _counted(topic & before, weights, resolved)
        n_a, x_a = _counted(topic & after, weights, resolved)
        o_nb, o_xb = _counted(others & before, weights, resolved)
        o_na, o_xa = _counted(others & after, weights, resolved)
        rate_b, rate_a = _rate(x_b, n_b), _rate(x_a, n_a)
        other_b, other_a = _rate(o_xb, o_nb), _rate(o_xa, o_na)
        low_b, high_b = (float(v) for v in wilson_interval(x_b, n_b))
        low_a, high_a = (float(v) for v in wilson_interval(x_a, n_a))
        diff_low, diff_high = _newcombe(x_a, n_a, x_b, n_b)
        did = (rate_a - rate_b) - (other_a - other_b)
        spread = _z() * np.sqrt(
            sum(_variance(x, n) for x, n in ((x_a, n_a), (x_b, n_b), (o_xa, o_na), (o_xb, o_nb)))
        )
        rows.append(
            {
                "as_of_date": as_of,
                "article_id": article.article_id,
                "topic_id": article.topic_id,
                "published_date": published,
                "window_days": length,
                "n_before": n_b,
                "rate_before": rate_b,
                "rate_before_ci_low": low_b,
                "rate_before_ci_high": high_b,
                "n_after": n_a,
                "rate_after": rate_a,
                "rate_after_ci_low": low_a,
                "rate_after_ci_high": high_a,
                "difference": rate_a - rate_b,
                "difference_ci_low": diff_low,
                "difference_ci_high": diff_high,
                "others_rate_before": other_b,
                "others_rate_after": other_a,
                "diff_in_diff": did,
                "diff_in_diff_ci_low": did - spread,
                "diff_in_diff_ci_high": did + spread,
                "inconclusive": n_b < min_n or n_a < min_n,
            }
        )
    return pd.DataFrame(rows, columns=UPLIFT_COLUMNS)


def _counted(mask: pd.Series, weights: pd.Series | int, resolved: pd.Series) -> tuple[int, int]:
    """Conversations and resolved conversations among the rows of ``mask``."""
    return int((mask * weights).sum()), int((mask * resolved).sum())


def _rate(successes: int, n: int) -> float:
    return successes / n if n else float("nan")


def _variance(successes: int, n: int) -> float:
    return successes / n * (1 - successes / n) / n if n else float("nan")


def _newcombe(x_after: int, n_after: int, x_before: int, n_before: int) -> tuple[float, float]:
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from statsmodels.stats.proportion import confint_proportions_2indep

    if not (n_after and n_before):
        return float("nan"), float("nan")
    low, high = confint_proportions_2indep(
        x_after, n_after, x_before, n_before, method="newcomb", compare="diff"
    )
    return float(low), float(high)
