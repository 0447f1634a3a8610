"""The learned judge: trained on simulated human labels, cross-validated, versioned."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pipelines.annotation.labelstudio import parse_export
from pipelines.annotation.simulate import simulate_export
from pipelines.judge.base import judge_partition
from pipelines.judge.learned import (
    CARD_FILE,
    LearnedJudge,
    LearnedJudgeUnavailable,
    current_card,
    should_retrain,
    train,
)
from tests.judge.judge_data import tables

OPENERS = ["where is my package", "I can't log in", "refund for my order", "cancel my plan"]
ANSWERS = [
    "Your order is on its way and arrives Friday.",
    "Tap 'Forgot password?' and follow the link we email you.",
    "Open Orders, pick the order and tap Request a refund.",
    "Go to Settings, then Subscriptions, then Cancel.",
]
GOOD_ENDINGS = ["thanks, that worked", "perfect thank you", "ok got it", "great, that's all"]
BAD_ENDINGS = ["that's not what I asked", "still not working", "useless", "this doesn't help"]


def corpus(n: int, seed: int = 0) -> tuple[dict[str, list], dict[str, bool]]:
    """Conversations whose outcome shows only in the customer's last words, and a few
    where the customer just leaves (unresolved half the time: humans cannot tell)."""
    rng = np.random.default_rng(seed)
    conversations, truth = {}, {}
    for i in range(n):
        topic = int(rng.integers(len(OPENERS)))
        resolved = bool(rng.random() < 0.55)
        turns = [("customer", OPENERS[topic]), ("bot", ANSWERS[topic])]
        if rng.random() < 0.85:
            endings = GOOD_ENDINGS if resolved else BAD_ENDINGS
            turns.append(("customer", endings[int(rng.integers(len(endings)))]))
        conversations[f"c{i:04d}"] = turns
        truth[f"c{i:04d}"] = resolved
    return conversations, truth


def human_labels(truth: dict[str, bool], seed: int = 0) -> pd.DataFrame:
    tasks = [
        {
            "data": {
                "conversation_id": cid,
                "batch_id": "b1",
                "guideline_version": "g1",
                "assigned_labelers": ["ana", "ben"],
            }
        }
        for cid in truth
    ]
    answers = pd.DataFrame(
        {
            "item_id": list(truth),
            "field": "resolved",
            "value": ["yes" if v else "no" for v in truth.values()],
        }
    )
    export = simulate_export(tasks, answers, {"ana": 0.03, "ben": 0.05}, seed=seed)
    return parse_export(export).labels


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    conversations, truth = corpus(400)
    header, events = tables(conversations)
    labels = human_labels(truth)
    model_dir = tmp_path_factory.mktemp("models")
    card = train(labels, header, events, model_dir, min_labels=100, folds=4)
    return card, model_dir, labels, header, events


def test_card_reports_cross_validated_agreement(trained):
    card, model_dir, *_ = trained
    assert card.n_labels >= 350  # items where the two simulated labelers agree
    assert card.cv["n"] == card.n_labels
    assert card.cv["cohen_kappa"] > 0.6
    assert card.cv["gwet_ac1_ci_low"] <= card.cv["gwet_ac1"] <= card.cv["gwet_ac1_ci_high"]
    stored = json.loads((model_dir / card.version / CARD_FILE).read_text())
    assert stored["version"] == card.version and stored["n_labels"] == card.n_labels
    assert current_card(model_dir) == card


def test_same_labels_give_the_same_model(trained):
    card, model_dir, labels, header, events = trained
    again = train(labels, header, events, model_dir, min_labels=100, folds=4)
    assert again == card  # found, not retrained (same trained_at)
    assert not should_retrain(model_dir, labels, min_labels=100, min_new_labels=20)


def test_learned_judge_generalizes_to_unlabeled_conversations(trained):
    card, model_dir, *_ = trained
    conversations, truth = corpus(300, seed=9)
    header, events = tables(conversations)
    judge = LearnedJudge(model_dir)
    assert judge.version == card.version
    rows = judge_partition(judge, header, events)
    said = np.array(rows["verdict"].to_pylist()) == "resolved"
    actual = np.array([truth[c] for c in rows["conversation_id"].to_pylist()])
    assert (said == actual).mean() > 0.8
    assert rows["judge"].to_pylist()[0] == "learned"


def test_too_few_labels_is_a_clear_unavailable(tmp_path):
    conversations, truth = corpus(40)
    header, events = tables(conversations)
    with pytest.raises(LearnedJudgeUnavailable, match=r"needs at least 200") as error:
        train(human_labels(truth), header, events, tmp_path)
    assert "judge=signals" in str(error.value)
    with pytest.raises(LearnedJudgeUnavailable, match="no trained model"):
        LearnedJudge(tmp_path)
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_labels_outside_the_loaded_conversations_are_ignored(trained, tmp_path):
    _, _, labels, header, events = trained
    extra = labels.assign(item_id="elsewhere-" + labels["item_id"])
    card = train(pd.concat([labels, extra]), header, events, tmp_path, min_labels=100, folds=4)
    assert card.n_labels == trained[0].n_labels


def test_retrain_when_enough_new_labels(trained, tmp_path):
    _, _, labels, *_ = trained
    assert should_retrain(tmp_path, labels, min_labels=100, min_new_labels=20)
    assert not should_retrain(tmp_path, labels.head(0), min_labels=100, min_new_labels=20)
