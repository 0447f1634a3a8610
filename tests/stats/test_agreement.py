"""Agreement statistics against published values and against the libraries."""

from __future__ import annotations

import itertools

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from pipelines.stats import agreement as ag
from pipelines.stats.agreement import (
    AgreementReport,
    FieldSpec,
    agreement_gate,
    agreement_report,
    count_table,
    disagreements,
    field_agreement,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    labeler_quality,
    majority_consensus,
    mean_cohen_kappa,
    percent_agreement,
    rating_matrix,
)

# Fleiss (1971) as tabulated in Wikipedia's "Fleiss' kappa": 10 subjects, 14 raters,
# 5 categories; kappa = 0.210.
FLEISS_1971 = np.array(
    [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 observers x
# 12 units example with missing values: nominal alpha = 0.743. The same data are
# cac.raw4raters in Gwet's Handbook of Inter-Rater Reliability (2014) / irrCAC,
# where Gwet's AC1 = 0.7754 and percent agreement = 0.8182.
N = None
KRIPPENDORFF_2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    "C": [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
}
CATEGORIES = ("1", "2", "3", "4", "5")


def long_frame(ratings: dict[str, list], field: str = "f") -> pd.DataFrame:
    rows = [
        (f"u{unit:02d}", rater, field, str(value))
        for rater, values in ratings.items()
        for unit, value in enumerate(values)
        if value is not None
    ]
    return pd.DataFrame(rows, columns=["item_id", "annotator_id", "field", "value"])


def random_ratings(
    seed: int, n_items: int = 60, n_raters: int = 4, missing: float = 0.0
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    truth = rng.choice(3, n_items, p=[0.5, 0.3, 0.2])
    ratings = {}
    for rater in range(n_raters):
        noisy = np.where(rng.random(n_items) < 0.3, rng.integers(0, 3, n_items), truth)
        ratings[f"r{rater}"] = [None if rng.random() < missing else str(v) for v in noisy]
    return long_frame(ratings)


def test_fleiss_kappa_reproduces_fleiss_1971():
    assert fleiss_kappa(FLEISS_1971) == pytest.approx(0.210, abs=5e-4)


def test_krippendorff_example_with_missing_values():
    counts = count_table(rating_matrix(long_frame(KRIPPENDORFF_2011), "f"), CATEGORIES)
    assert krippendorff_alpha(counts, "nominal") == pytest.approx(0.743, abs=5e-4)


def test_gwet_ac1_reproduces_gwet_handbook_example():
    counts = count_table(rating_matrix(long_frame(KRIPPENDORFF_2011), "f"), CATEGORIES)
    assert gwet_ac1(counts) == pytest.approx(0.77544, abs=5e-5)
    assert percent_agreement(counts) == pytest.approx(0.81818, abs=5e-5)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fleiss_matches_statsmodels_on_complete_random_data(seed):
    labels = random_ratings(seed)
    matrix = rating_matrix(labels, "f")
    table, _ = aggregate_raters(matrix.to_numpy().astype(int), n_cat=3)
    row = field_agreement(labels, FieldSpec("f", ("0", "1", "2")), n_boot=0)
    assert row["fleiss_kappa"] == pytest.approx(sm_fleiss_kappa(table))


@pytest.mark.parametrize("level", ["nominal", "ordinal"])
def test_alpha_from_counts_matches_krippendorff_on_raw_data_with_missing(level):
    labels = random_ratings(4, missing=0.25)
    matrix = rating_matrix(labels, "f")
    raw = matrix.T.astype(float).to_numpy()  # raters x units, NaN missing
    counts = count_table(matrix, ("0", "1", "2"))
    expected = krippendorff.alpha(reliability_data=raw, level_of_measurement=level)
    assert krippendorff_alpha(counts, level) == pytest.approx(expected)


def test_mean_cohen_kappa_is_sklearn_for_two_raters_and_light_for_more():
    labels = random_ratings(5, n_raters=3)
    matrix = rating_matrix(labels, "f")
    codes = matrix.astype(int).to_numpy()
    pairs = [(0, 1), (0, 2), (1, 2)]
    expected = np.mean([cohen_kappa_score(codes[:, a], codes[:, b]) for a, b in pairs])
    assert mean_cohen_kappa(codes, 3) == pytest.approx(expected)
    assert mean_cohen_kappa(codes[:, :2], 3) == pytest.approx(
        cohen_kappa_score(codes[:, 0], codes[:, 1])
    )


def test_vectorized_bootstrap_kappa_equals_sklearn_with_weights():
    labels = random_ratings(6, n_raters=3, missing=0.2)
    codes = rating_matrix(labels, "f").apply(pd.to_numeric).fillna(-1).astype(int).to_numpy()
    weights = np.random.default_rng(0).integers(0, 3, (5, len(codes))).astype(float)
    fast = ag._bootstrap_mean_cohen_kappa(codes, 3, weights)
    for draw, w in zip(fast, weights, strict=True):
        kappas = []
        for a, b in [(0, 1), (0, 2), (1, 2)]:
            both = (codes[:, a] >= 0) & (codes[:, b] >= 0)
            kappas.append(cohen_kappa_score(codes[both, a], codes[both, b], sample_weight=w[both]))
        assert draw == pytest.approx(np.mean(kappas))


def test_field_agreement_cis_bracket_the_estimate_and_are_seeded():
    labels = random_ratings(7, n_items=80, missing=0.1)
    spec = FieldSpec("f", ("0", "1", "2"), ordered=True)
    first = field_agreement(labels, spec, n_boot=300, seed=3)
    assert first == field_agreement(labels, spec, n_boot=300, seed=3)
    assert first["krippendorff_level"] == "ordinal"
    for name in ag.STATISTICS:
        assert first[f"{name}_ci_low"] <= first[name] <= first[f"{name}_ci_high"], name


def test_skewed_labels_high_percent_agreement_low_kappa():
    # 100 items, two labelers: 90 both "no", 5 + 5 split, 0 both "yes".
    a = ["no"] * 95 + ["yes"] * 5
    b = ["no"] * 90 + ["yes"] * 5 + ["no"] * 5
    labels = long_frame({"a": a, "b": b})
    row = field_agreement(labels, FieldSpec("f", ("yes", "no")), n_boot=0)
    assert row["percent_agreement"] == pytest.approx(0.90)
    assert row["cohen_kappa"] == pytest.approx(cohen_kappa_score(a, b))
    assert row["cohen_kappa"] < 0
    report = AgreementReport("b1", pd.DataFrame([row]), labeler_quality(labels, ["f"]))
    gate = agreement_gate(report)
    assert not gate.passed
    assert "field f" in gate.message and "alpha" in gate.message


def test_consensus_majority_ties_and_adjudication_override():
    labels = pd.DataFrame(
        [
            ("i1", "a", "f", "yes", False), ("i1", "b", "f", "yes", False), ("i1", "c", "f", "no", False),
            ("i2", "a", "f", "yes", False), ("i2", "b", "f", "no", False),
            ("i3", "a", "f", "yes", False), ("i3", "b", "f", "no", False), ("i3", "lead", "f", "no", True),
        ],
        columns=["item_id", "annotator_id", "field", "value", "is_adjudication"],
    )  # fmt: skip
    consensus = majority_consensus(labels).set_index("item_id")
    assert consensus.loc["i1", "value"] == "yes" and consensus.loc["i1", "source"] == "majority"
    assert "i2" not in consensus.index  # tie: waits for adjudication
    assert consensus.loc["i3", "value"] == "no" and consensus.loc["i3", "source"] == "adjudicated"
    assert disagreements(labels, ["f"]).to_dict("records") == [
        {"item_id": "i1", "field": "f"},
        {"item_id": "i2", "field": "f"},
    ]


def test_labeler_below_bar_is_flagged_by_consensus_and_gold():
    rng = np.random.default_rng(0)
    truth = rng.choice(["yes", "no"], 40)
    careless = np.where(rng.random(40) < 0.4, np.where(truth == "yes", "no", "yes"), truth)
    labels = long_frame({"good1": list(truth), "good2": list(truth), "careless": list(careless)})
    gold = pd.DataFrame({"item_id": [f"u{i:02d}" for i in range(40)], "field": "f", "value": truth})
    report = agreement_report(
        labels, [FieldSpec("f", ("yes", "no"))], batch_id="b7", gold=gold, n_boot=50
    )
    quality = report.labelers.set_index("annotator_id")
    assert quality.loc["careless", "below_bar"]
    assert quality.loc["careless", "n_gold"] == 40
    assert quality.loc["careless", "gold_accuracy"] < 0.8
    assert not quality.loc["good1", "below_bar"]
    gate = agreement_gate(report)
    assert not gate.passed
    assert "labeler careless" in gate.message and "batch b7" in gate.message


def test_gate_passes_on_consistent_labels():
    labels = random_ratings(8, n_raters=2)
    same = labels.loc[labels["annotator_id"] == "r0"].assign(annotator_id="r1")
    labels = pd.concat([labels.loc[labels["annotator_id"] == "r0"], same])
    report = agreement_report(labels, [FieldSpec("f", ("0", "1", "2"))], n_boot=20)
    gate = agreement_gate(report)
    assert gate.passed, gate.message


def test_unknown_value_and_duplicate_rating_are_errors():
    with pytest.raises(ValueError, match="not among categories"):
        field_agreement(long_frame({"a": ["maybe"], "b": ["yes"]}), FieldSpec("f", ("yes", "no")))
    twice = pd.concat([long_frame({"a": ["yes"]})] * 2)
    with pytest.raises(ValueError, match="more than one rating"):
        rating_matrix(twice, "f")


def test_gate_reports_fields_without_overlap_and_skips_absent_fields():
    labels = long_frame({"a": ["yes", "no"]})  # one labeler: nothing to compare
    report = agreement_report(
        labels, [FieldSpec("f", ("yes", "no")), FieldSpec("g", ("yes", "no"))], n_boot=10
    )
    assert list(report.fields["field"]) == ["f"]
    gate = agreement_gate(report)
    assert not gate.passed and "field f: no item has two ratings" in gate.message


def test_careless_partner_does_not_drag_down_the_others():
    # Four labelers, two per item, every pair shares 20 items; "d" is careless.
    rng = np.random.default_rng(1)
    rows = []
    for index, (first, second) in enumerate(
        [pair for pair in itertools.combinations("abcd", 2) for _ in range(20)]
    ):
        truth = rng.choice(["yes", "no"])
        for labeler in (first, second):
            wrong = labeler == "d" and rng.random() < 0.4
            rows.append(
                (
                    f"i{index:03d}",
                    labeler,
                    "f",
                    ("no" if truth == "yes" else "yes") if wrong else truth,
                )
            )
    labels = pd.DataFrame(rows, columns=["item_id", "annotator_id", "field", "value"])
    quality = labeler_quality(labels, ["f"]).set_index("annotator_id")
    assert quality.loc["a", "consensus_agreement"] < 0.9  # a third of a's items are paired with d
    assert quality.loc["a", "peer_agreement"] == 1.0
    assert quality["below_bar"].to_dict() == {"a": False, "b": False, "c": False, "d": True}
