"""mart_judge_agreement, the trust gate and mart_intent_accuracy on frames with known answers."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from pipelines.judge.marts import intent_accuracy, judge_agreement, trust_gate

MONDAY = date(2026, 1, 5)


def population(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "conversation_id": [f"c{i:04d}" for i in range(n)],
            "conversation_date": [MONDAY + timedelta(days=int(d)) for d in rng.integers(0, 14, n)],
            "intent": rng.choice(["refund", "login"], n),
            "locale": rng.choice(["en-US", "es-US"], n, p=[0.8, 0.2]),
            "bot_version": "v1",
            "true_resolved": rng.random(n) < 0.7,
        }
    )


def labels_for(frame: pd.DataFrame, field: str, values: list[str]) -> pd.DataFrame:
    """Two labelers who agree, so the consensus is the given value."""
    return pd.concat(
        pd.DataFrame(
            {
                "batch_id": "b1",
                "item_id": frame["conversation_id"],
                "annotator_id": who,
                "field": field,
                "value": values,
                "is_adjudication": False,
            }
        )
        for who in ("ana", "ben")
    )


def judgements(frame: pd.DataFrame, accuracy: float, judge: str, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    right = rng.random(len(frame)) < accuracy
    said = np.where(right, frame["true_resolved"], ~frame["true_resolved"])
    return pd.DataFrame(
        {
            "conversation_id": frame["conversation_id"],
            "judge": judge,
            "judge_version": f"{judge}-1",
            "verdict": np.where(said, "resolved", "unresolved"),
        }
    )


@pytest.fixture(scope="module")
def setup():
    frame = population(600)
    labels = labels_for(frame, "resolved", list(np.where(frame["true_resolved"], "yes", "no")))
    judged = pd.concat(
        [judgements(frame, 0.97, "good", 1), judgements(frame, 0.6, "coin", 2)],
        ignore_index=True,
    )
    return frame, labels, judged


def test_agreement_rows_per_judge_week_and_slice(setup):
    frame, labels, judged = setup
    rows = judge_agreement(judged, labels, frame, n_boot=200)
    pooled = rows.loc[rows["week"].isna() & (rows["slice"] == "all")].set_index("judge")
    assert pooled.loc["good", "n"] == pooled.loc["coin", "n"] == 600
    assert pooled.loc["good", "gwet_ac1"] > 0.85 > 0.3 > pooled.loc["coin", "gwet_ac1"]
    good = pooled.loc["good"]
    assert (
        good[
            ["both_resolved", "judge_only_resolved", "reference_only_resolved", "neither_resolved"]
        ].sum()
        == 600
    )
    assert good["false_verified_rate"] == pytest.approx(
        good["judge_only_resolved"] / (good["both_resolved"] + good["judge_only_resolved"])
    )
    weeks = rows.loc[rows["week"].notna() & (rows["slice"] == "all") & (rows["judge"] == "good")]
    assert sorted(weeks["week"]) == [MONDAY, MONDAY + timedelta(days=7)]
    assert weeks["n"].sum() == 600
    locales = rows.loc[
        rows["week"].isna() & (rows["slice"] == "locale") & (rows["judge"] == "good")
    ]
    assert set(locales["slice_value"]) == {"en-US", "es-US"}
    assert locales["n"].sum() == 600
    assert rows.loc[rows["n"] < 30, "below_min_n"].all()


def test_trust_gate_uses_the_lower_ac1_bound(setup):
    frame, labels, judged = setup
    good = trust_gate(judged, labels, frame, judge="good", judge_version="good-1", n_boot=300)
    coin = trust_gate(judged, labels, frame, judge="coin", judge_version="coin-1", n_boot=300)
    assert good.trusted and good.gwet_ac1_ci_low > 0.6 and "is trusted" in good.message
    assert not coin.trusted and "is not trusted" in coin.message
    strict = trust_gate(
        judged, labels, frame, judge="good", judge_version="good-1", threshold=0.99, n_boot=300
    )
    assert not strict.trusted
    none = trust_gate(judged, labels, frame, judge="good", judge_version="good-2")
    assert not none.trusted and none.n == 0


def test_intent_accuracy_precision_recall_and_weights():
    # 10 conversations routed to refund: 8 right, 2 really "login"; 5 routed to login, all right.
    conversations = pd.DataFrame(
        {
            "conversation_id": [f"c{i}" for i in range(15)],
            "conversation_date": MONDAY,
            "intent": ["refund"] * 10 + ["login"] * 5,
        }
    )
    correct = ["yes"] * 8 + ["no"] * 2 + ["yes"] * 5
    labels = pd.concat(
        [
            labels_for(conversations, "intent_correct", correct),
            labels_for(conversations.iloc[8:10], "corrected_intent", ["login", "login"]),
        ]
    )
    # The two misrouted ones were sampled with probability 0.5, the others with 1.0.
    sample = pd.DataFrame(
        {
            "conversation_id": conversations["conversation_id"],
            "inclusion_prob": [1.0] * 8 + [0.5] * 2 + [1.0] * 5,
            "is_gold": False,
        }
    )
    accuracy, pairs = intent_accuracy(sample, labels, conversations)
    refund = accuracy.set_index("intent").loc["refund"]
    login = accuracy.set_index("intent").loc["login"]
    assert (refund["n_routed"], refund["n_correct"], refund["precision"]) == (10, 8, 0.8)
    assert refund["precision_ci_low"] < 0.8 < refund["precision_ci_high"]
    assert refund["est_precision"] == pytest.approx(8 / 12)  # misrouted weigh double
    assert refund["est_misrouted"] == pytest.approx(4.0)
    assert refund["top_confusion"] == "login"
    assert (login["n_human"], login["n_found"], login["recall"]) == (7, 5, pytest.approx(5 / 7))
    assert login["est_recall"] == pytest.approx(5 / 9)
    assert accuracy.set_index("intent").loc["(all)", "n_routed"] == 15
    assert pairs.to_dict("records") == [
        {
            "week": MONDAY,
            "bot_intent": "refund",
            "human_intent": "login",
            "n": 2,
            "est_conversations": 4.0,
        }
    ]


def test_a_learned_judge_is_measured_on_its_out_of_fold_verdicts(tmp_path):
    import json

    from pipelines.judge.learned import CV_VERDICTS_FILE
    from pipelines.judge.load import held_out_verdicts

    version = "learned-abc"
    (tmp_path / version).mkdir()
    # c1 was a training label; c2 was labeled after training; signals is not learned.
    (tmp_path / version / CV_VERDICTS_FILE).write_text(json.dumps({"c1": "unresolved"}))
    labeled = pd.DataFrame(
        {
            "conversation_id": ["c1", "c2", "c1"],
            "judge": ["learned", "learned", "signals"],
            "judge_version": [version, version, "signals-1"],
            "verdict": ["resolved", "resolved", "resolved"],
        }
    )
    measured = held_out_verdicts(labeled, tmp_path)
    assert measured[["verdict", "cross_validated"]].values.tolist() == [
        ["unresolved", True],
        ["resolved", False],
        ["resolved", False],
    ]
