"""Topic discovery: capped outliers, readable labels, ids that survive refits, planted topics found."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from pipelines.knowledge.topics import TopicParams, clean, fit_topics

from .topic_data import planted_openings, synthetic_openings

START = date(2026, 3, 1)


@pytest.fixture(scope="module")
def openings(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    root: Path = tmp_path_factory.mktemp("topics")
    generated = synthetic_openings(root, START, days=10, per_day=200, seed=11)
    planted = [
        planted_openings(topic, 80, START, 10, seed=3) for topic in ("family_pairing", "duet")
    ]
    return pd.concat([generated, *planted], ignore_index=True)


def test_outliers_are_capped_and_topics_are_labelled(openings: pd.DataFrame) -> None:
    fit = fit_topics(openings)
    assert 0 < fit.outlier_share <= 0.10
    assert len(fit.assignments) == len(openings)
    texts = set(openings["text"])
    for topic in fit.topics:
        assert 1 <= len(topic.top_terms) <= 4 and topic.label
        assert topic.representative in texts  # a real (scrubbed) utterance
        members = fit.assignments[fit.assignments["topic_id"] == topic.topic_id]
        assert len(members) == topic.conversations
    # Even with a tight similarity bar, the cap holds.
    strict = fit_topics(openings, params=TopicParams(min_similarity=0.9))
    assert strict.outlier_share <= 0.10


@pytest.mark.parametrize("sampled", [False, True], ids=["all texts", "k-means on a sample"])
def test_planted_topics_are_found_pure(openings: pd.DataFrame, sampled: bool) -> None:
    """Also when the fit sees a sample of the distinct texts (large windows) and every
    text is then assigned by the fitted model. On this small set (2,266 conversations)
    the sample's vocabulary is small: with half of them a planted topic stays together
    for some seeds and not others (as it did before the vocabulary was the sample's:
    docs/knowledge-base.md, "Nightly cost"), so this checks three quarters, and the
    examples bar on the full fit; the bench checks the sampled fit at full size."""
    distinct = openings["text"].map(clean).nunique()
    params = TopicParams(fit_sample=distinct * 3 // 4) if sampled else TopicParams()
    fit = fit_topics(openings, params=params)
    assert len(fit.assignments) == len(openings) and fit.outlier_share <= 0.10
    assigned = openings.merge(fit.assignments, on="conversation_id")
    for topic in ("family_pairing", "duet"):
        planted = assigned[assigned["conversation_id"].str.startswith(topic)]
        main_topic = planted["topic_id"].value_counts().index[0]
        # Most planted conversations land in one topic, and the members closest to its
        # centroid (the ones a gap shows as examples) are planted ones.
        assert (planted["topic_id"] == main_topic).mean() >= 0.7
        members = assigned[assigned["topic_id"] == main_topic]
        closest = members.nlargest(20, "similarity")
        if not sampled:
            assert closest["conversation_id"].str.startswith(topic).mean() >= 0.8
        label = next(t for t in fit.topics if t.topic_id == main_topic).label
        assert topic.split("_")[0] in label


def test_refits_on_overlapping_windows_keep_topics_and_ids(openings: pd.DataFrame) -> None:
    days = pd.to_datetime(openings["conversation_date"]).dt.day
    first = fit_topics(openings[days <= 7])
    second = fit_topics(openings[days >= 4], previous=first.topics)
    common = first.assignments.merge(second.assignments, on="conversation_id")
    # ARI over the conversations both fits put in a topic; outliers are capped apart.
    both = common.dropna(subset=["topic_id_x", "topic_id_y"])
    assert len(both) >= 0.8 * len(common)
    assert adjusted_rand_score(both["topic_id_x"], both["topic_id_y"]) >= 0.8
    # Ids, not only the partition, carry over: most conversations keep their topic id.
    same = common["topic_id_x"].fillna("outlier") == common["topic_id_y"].fillna("outlier")
    assert same.mean() >= 0.85
    assert second.outlier_share <= 0.10


def test_a_new_topic_gets_a_new_id(openings: pd.DataFrame) -> None:
    without = openings[~openings["conversation_id"].str.startswith("duet")]
    before = fit_topics(without)
    after = fit_topics(openings, previous=before.topics)
    assigned = openings.merge(after.assignments, on="conversation_id")
    duet = assigned[assigned["conversation_id"].str.startswith("duet")]
    duet_topic = duet["topic_id"].value_counts().index[0]
    assert duet_topic not in {topic.topic_id for topic in before.topics}


def test_placeholders_and_numbers_do_not_make_topics() -> None:
    assert clean("Hi <PERSON_1>, order 12345 on 3/4 ") == "hi , order on"
    tiny = pd.DataFrame({"conversation_id": ["a", "b"], "text": ["hello", None]})
    fit = fit_topics(tiny)
    assert fit.topics == [] and fit.assignments["topic_id"].isna().all()
