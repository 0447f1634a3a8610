"""Binary agreement statistics: the vectorized bootstrap matches the libraries."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score, cohen_kappa_score

from pipelines.judge.agreement import _cells, _statistics, binary_agreement
from pipelines.stats.agreement import gwet_ac1


@pytest.mark.parametrize("seed", range(5))
def test_vectorized_formulas_equal_the_libraries(seed):
    rng = np.random.default_rng(seed)
    reference = rng.random(300) < 0.8
    rater = np.where(rng.random(300) < 0.85, reference, ~reference)
    ours = _statistics(_cells(rater, reference))
    counts = np.column_stack([rater.astype(int) + reference, 2 - rater.astype(int) - reference])
    assert ours["cohen_kappa"] == pytest.approx(cohen_kappa_score(reference, rater))
    assert ours["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(reference, rater))
    assert ours["gwet_ac1"] == pytest.approx(gwet_ac1(counts))
    assert ours["accuracy"] == pytest.approx(np.mean(rater == reference))


def test_intervals_bracket_the_estimate_and_shrink_with_n():
    rng = np.random.default_rng(1)

    def width(n):
        reference = rng.random(n) < 0.7
        rater = np.where(rng.random(n) < 0.9, reference, ~reference)
        result = binary_agreement(rater, reference, n_boot=1000, seed=2)
        for name, value in result.statistics.items():
            assert result.ci_low[name] <= value <= result.ci_high[name], name
        return result.ci_high["gwet_ac1"] - result.ci_low["gwet_ac1"]

    assert width(2000) < width(100)


def test_a_judge_that_always_says_resolved_scores_zero_kappa_but_high_accuracy():
    reference = np.array([True] * 90 + [False] * 10)
    result = binary_agreement(np.ones(100, dtype=bool), reference, n_boot=200)
    assert result.statistics["accuracy"] == pytest.approx(0.9)
    assert result.statistics["balanced_accuracy"] == pytest.approx(0.5)
    assert result.statistics["cohen_kappa"] == pytest.approx(0.0)
    assert result.false_verified_rate == pytest.approx(0.1)
    assert result.rater_only == 10 and result.neither == 0


def test_counts_and_false_verified_rate():
    rater = np.array([True, True, True, False, False])
    reference = np.array([True, False, True, True, False])
    result = binary_agreement(rater, reference, n_boot=100)
    assert (result.both_resolved, result.rater_only, result.reference_only, result.neither) == (
        2,
        1,
        1,
        1,
    )
    assert result.false_verified_rate == pytest.approx(1 / 3)
    low, high = result.false_verified_ci
    assert low < 1 / 3 < high


def test_mismatched_inputs_are_an_error():
    with pytest.raises(ValueError, match="same length"):
        binary_agreement([True, False], [True])
