import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from pipelines.stats.wilson import wilson_interval


def test_matches_statsmodels_on_a_grid() -> None:
    rng = np.random.default_rng(7)
    n = rng.integers(1, 5000, size=500)
    successes = rng.binomial(n, rng.uniform(0, 1, size=500))
    successes[:3] = 0
    successes[3:6] = n[3:6]
    for confidence in (0.9, 0.95, 0.99):
        low, high = wilson_interval(successes, n, confidence=confidence)
        expected_low, expected_high = proportion_confint(
            successes, n, alpha=1 - confidence, method="wilson"
        )
        np.testing.assert_allclose(low, expected_low, atol=1e-12)
        np.testing.assert_allclose(high, expected_high, atol=1e-12)


def test_empty_cells_have_no_interval() -> None:
    low, high = wilson_interval([0, 5], [0, 10])
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert 0 < low[1] < 0.5 < high[1] < 1


@pytest.mark.parametrize(
    ("successes", "n", "message"),
    [([5], [3], "exceed"), ([-1], [3], "non-negative"), ([1], [-3], "non-negative")],
)
def test_rejects_impossible_counts(successes: list[int], n: list[int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        wilson_interval(successes, n)
