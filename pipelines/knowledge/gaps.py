"""Which topics cost the most resolutions, and whether the KB covers them (``mart_kb_gaps``).

Coverage is lexical: the TF-IDF cosine (scikit-learn) between a topic's centroid words
and each published article (:func:`coverage_scores`, 0..1). A topic is a gap when no
published article reaches ``coverage_threshold`` (the setting
``kb_coverage_threshold``), unless an article is tagged with the intent most of the
topic's conversations carry (the NLU and the KB team agree it is answered, in
whatever words).

The scorer and the threshold were chosen on labelled topic-article pairs
(``tests/knowledge/fixtures/coverage_topics.json``, ``bench/calibrate_kb_coverage.py``):
on held-out topics the cosine found gaps with F1 0.83-0.85, against 0.76-0.78 for the
share of centroid weight found in the article (the scorer before) and 0.78-0.79 for
BM25 (``bm25s``); docs/knowledge-base.md has the figures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from pipelines.knowledge.article import Article
from pipelines.knowledge.topics import Topic, clean

GAP_COLUMNS = [
    "as_of_date",
    "window_days",
    "rank",
    "topic_id",
    "label",
    "representative_utterance",
    "conversations",
    "unresolved",
    "resolution_rate",
    "resolution_points_lost",
    "best_article_id",
    "best_article_score",
    "is_gap",
    "matched_by",
    "example_conversation_ids",
    "first_seen",
    "trend",
]
EXAMPLES = 5
_MARKDOWN = re.compile(r"[#*_`>\[\]()|-]+")


@dataclass(frozen=True)
class GapParams:
    # The setting kb_coverage_threshold; calibrated on labelled topic-article pairs
    # (tests/knowledge/fixtures/coverage_topics.json, bench/calibrate_kb_coverage.py).
    coverage_threshold: float = 0.21
    windows: tuple[int, ...] = (7, 28)


def article_text(article: Article) -> str:
    """What retrieval reads: the title twice (it names the question) and the body."""
    return clean(_MARKDOWN.sub(" ", f"{article.title}\n{article.title}\n{article.body}"))


def coverage_scores(topics: Sequence[Topic], articles: Sequence[Article]) -> np.ndarray:
    """topics x articles: TF-IDF cosine between each topic's centroid and each article.

    The article side is scikit-learn's TF-IDF of words (English stop words) over
    ``articles``, title counted twice; the topic side is its centroid's words (a
    bigram's weight goes to both its words) times the same IDF. Centroid words no
    article uses count in the topic's norm at the highest IDF, so a topic in words the
    KB never uses (another language) scores near 0.
    """
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english")
    documents = vectorizer.fit_transform([article_text(a) for a in articles])
    index = {term: position for position, term in enumerate(vectorizer.get_feature_names_out())}
    idf = vectorizer.idf_
    queries = np.zeros((len(topics), len(index)))
    unseen = np.zeros(len(topics))
    for row, topic in enumerate(topics):
        for term, weight in topic.centroid.items():
            for word in term.split():
                column = index.get(word)
                if column is None:
                    unseen[row] += (weight * idf.max()) ** 2
                else:
                    queries[row, column] += weight * idf[column]
    norms = np.sqrt((queries**2).sum(axis=1) + unseen)
    scores = np.asarray((documents @ queries.T).T)
    return scores / np.where(norms > 0, norms, 1.0)[:, None]


def coverage(
    topics: Sequence[Topic],
    articles: Sequence[Article],
    topic_intents: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Per topic the best published article, its score and how it was matched:
    ``topic_id, best_article_id, best_article_score, matched_by`` (None, 0.0 without
    articles).

    ``topic_intents`` maps a topic to the NLU intent most of its conversations carry;
    a published article tagged with that intent (front matter ``intents``) covers the
    topic whatever its wording (``matched_by`` "intent"): the team said so. Otherwise
    the article with the best lexical score (``matched_by`` "terms").
    """
    published = [article for article in articles if article.status == "published"]
    ids = [topic.topic_id for topic in topics]
    if not published or not topics:
        return pd.DataFrame(
            {
                "topic_id": ids,
                "best_article_id": None,
                "best_article_score": 0.0,
                "matched_by": None,
            }
        )
    scores = coverage_scores(topics, published)
    best = list(scores.argmax(axis=1))
    matched_by = ["terms"] * len(topics)
    tagged = {intent: i for i, article in enumerate(published) for intent in article.intents}
    for row, topic in enumerate(topics):
        intent = (topic_intents or {}).get(topic.topic_id)
        if intent in tagged:
            best[row], matched_by[row] = tagged[intent], "intent"
    return pd.DataFrame(
        {
            "topic_id": ids,
            "best_article_id": [published[i].article_id for i in best],
            "best_article_score": [round(float(scores[r, i]), 4) for r, i in enumerate(best)],
            "matched_by": matched_by,
        }
    )


def gap_rows(
    conversations: pd.DataFrame,
    topics: Sequence[Topic],
    covered: pd.DataFrame,
    first_seen: dict[str, date],
    as_of: date,
    params: GapParams | None = None,
) -> pd.DataFrame:
    """``mart_kb_gaps`` rows for the windows ending ``as_of``, ranked by points lost.

    ``conversations`` has one row per bot-involved conversation: ``conversation_id,
    conversation_date, resolved`` (durable resolution), ``topic_id`` (None: outlier)
    and ``similarity`` to its topic. ``resolution_points_lost`` = conversations x
    (overall rate - topic rate): the resolutions the topic costs against the average
    of the window (negative for topics better than average). ``trend`` is the
    relative change in conversations from the first half of the window to the second.
    The same rows as :func:`gap_rows_from_counts` on their counts and examples.
    """
    params = params or GapParams()
    frame = conversations.assign(
        conversation_date=pd.to_datetime(conversations["conversation_date"]).dt.date
    )
    counts = (
        frame.groupby(["conversation_date", "topic_id", "resolved"], dropna=False)
        .size()
        .rename("n")
        .reset_index()
    )
    examples = {}
    for window in params.windows:
        start = as_of - timedelta(days=window - 1)
        inside = frame.loc[frame["conversation_date"].between(start, as_of)]
        examples[window] = (
            inside.loc[~inside["resolved"].astype(bool)]
            .sort_values(["similarity", "conversation_id"], ascending=[False, True])
            .groupby("topic_id")["conversation_id"]
            .agg(lambda ids: list(ids)[:EXAMPLES])
            .to_dict()
        )
    return gap_rows_from_counts(counts, examples, topics, covered, first_seen, as_of, params)


def gap_rows_from_counts(
    counts: pd.DataFrame,
    examples: Mapping[int, Mapping[str, Sequence[str]]],
    topics: Sequence[Topic],
    covered: pd.DataFrame,
    first_seen: dict[str, date],
    as_of: date,
    params: GapParams | None = None,
) -> pd.DataFrame:
    """:func:`gap_rows` from the window's conversations counted per ``conversation_date,
    topic_id`` (None: outlier) ``, resolved`` (``n``) and, per window length, each
    topic's unresolved conversations closest to its centroid (ids, most similar first,
    ties by id; at least ``EXAMPLES``): what the warehouse aggregates, so no row per
    conversation reaches Python."""
    params = params or GapParams()
    labels = {topic.topic_id: topic for topic in topics}
    frames = []
    dates = pd.to_datetime(counts["conversation_date"]).dt.date
    for window in params.windows:
        start = as_of - timedelta(days=window - 1)
        inside = counts.loc[dates.between(start, as_of)].copy()
        if inside.empty:
            continue
        n = inside["n"].astype(np.int64)
        inside["resolved"] = inside["resolved"].astype(bool).astype(np.int64) * n
        overall = float(inside["resolved"].sum() / n.sum())
        middle = start + timedelta(days=window // 2)
        inside["late"] = (dates.loc[inside.index] >= middle).astype(np.int64) * n
        stats = (
            inside.dropna(subset=["topic_id"])
            .groupby("topic_id")
            .agg(conversations=("n", "sum"), resolved=("resolved", "sum"), late=("late", "sum"))
            .reset_index()
        )
        stats = stats[stats["topic_id"].isin(labels)]
        stats["unresolved"] = stats["conversations"] - stats["resolved"]
        stats["resolution_rate"] = stats["resolved"] / stats["conversations"]
        stats["resolution_points_lost"] = stats["conversations"] * (
            overall - stats["resolution_rate"]
        )
        early = stats["conversations"] - stats["late"]
        # Halves of unequal length (odd windows) are compared per day.
        early_rate = early / (window // 2)
        late_rate = stats["late"] / (window - window // 2)
        stats["trend"] = late_rate / early_rate.where(early_rate > 0) - 1.0
        closest = {
            t: json.dumps(list(ids)[:EXAMPLES]) for t, ids in examples.get(window, {}).items()
        }
        stats = stats.merge(covered, on="topic_id", how="left")
        stats["best_article_score"] = stats["best_article_score"].fillna(0.0)
        stats = stats.assign(
            as_of_date=as_of,
            window_days=window,
            label=stats["topic_id"].map(lambda t: labels[t].label),
            representative_utterance=stats["topic_id"].map(lambda t: labels[t].representative),
            is_gap=(stats["best_article_score"] < params.coverage_threshold)
            & (stats["matched_by"] != "intent"),
            example_conversation_ids=stats["topic_id"].map(closest).fillna("[]"),
            first_seen=stats["topic_id"].map(first_seen),
        )
        stats = stats.sort_values(
            ["resolution_points_lost", "topic_id"], ascending=[False, True], ignore_index=True
        )
        stats["rank"] = np.arange(1, len(stats) + 1)
        frames.append(stats[GAP_COLUMNS])
    if not frames:
        return pd.DataFrame(columns=GAP_COLUMNS)
    return pd.concat(frames, ignore_index=True)
