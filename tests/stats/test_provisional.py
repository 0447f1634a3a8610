"""The estimate of a provisional day's final durable rate recovers the truth."""

from __future__ import annotations

import numpy as np

from pipelines.stats.provisional import MIN_REFERENCE_DAYS, estimate_final_rate


def _simulated_days(rng: np.random.Generator, days: int, n: int, final_rate: float, seen: float):
    """Days with ``n`` conversations whose durable count at a horizon is the final count
    plus the not-yet-seen recontacts (a share ``1 - seen`` of all recontacts)."""
    assumed = rng.binomial(n, 0.6, size=days)
    final = rng.binomial(assumed, final_rate / 0.6)
    recontacts = assumed - final
    at_horizon = final + rng.binomial(recontacts, 1 - seen)
    return assumed, final, at_horizon


def test_the_interval_covers_the_final_rate_at_about_its_level() -> None:
    rng = np.random.default_rng(0)
    covered, trials = 0, 200
    for trial in range(trials):
        _, final, at_horizon = _simulated_days(rng, 14, 2000, 0.38, seen=0.4)
        _, true_final, provisional = _simulated_days(rng, 1, 2000, 0.38, seen=0.4)
        found = estimate_final_rate(int(provisional[0]), 2000, at_horizon, final, seed=trial)
        assert found is not None
        covered += found.low <= true_final[0] / 2000 <= found.high
    assert 0.90 <= covered / trials <= 0.995


def test_the_estimate_moves_a_high_provisional_rate_down_to_the_final_level() -> None:
    rng = np.random.default_rng(1)
    _, final, at_horizon = _simulated_days(rng, 14, 2000, 0.38, seen=0.1)
    _, true_final, provisional = _simulated_days(rng, 1, 2000, 0.38, seen=0.1)
    found = estimate_final_rate(int(provisional[0]), 2000, at_horizon, final)
    assert found is not None
    assert provisional[0] / 2000 > 0.5  # reads high
    assert abs(found.estimate - true_final[0] / 2000) < 0.03
    assert found.reference_days == 14


def test_too_few_reference_days_give_no_estimate() -> None:
    few = MIN_REFERENCE_DAYS - 1
    assert estimate_final_rate(500, 1000, np.full(few, 800), np.full(few, 700)) is None
    assert estimate_final_rate(0, 0, np.full(5, 800), np.full(5, 700)) is None
