"""An estimate of a provisional day's final durable resolution rate.

A provisional day's durable rate reads high: recontacts that have not happened yet
count as durable. Recent final days show how much durable resolution shrinks
between the same observation horizon and the end of the window: day F counted
with only the time the provisional day has had so far (``durable_at_horizon``)
against its final count (``durable_final``). The estimate is the provisional
rate times that shrink ratio.

The interval (hand-written: no kept library estimates this) is a parametric
bootstrap over both sources of uncertainty: the provisional day's own rate (a
Jeffreys Beta posterior of its counts) and which recent days the ratio comes from
(resampled with replacement), so a week whose returning-customer pattern varies
widens it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Fewer reference days than this and the ratio's spread is not estimable.
MIN_REFERENCE_DAYS = 3
DRAWS = 4000


@dataclass(frozen=True)
class FinalRateEstimate:
    estimate: float
    low: float
    high: float
    reference_days: int


def estimate_final_rate(
    durable: int,
    bot_involved: int,
    durable_at_horizon: np.ndarray,
    durable_final: np.ndarray,
    *,
    level: float = 0.95,
    seed: int = 0,
) -> FinalRateEstimate | None:
    """The final durable rate of a provisional day with ``durable`` of ``bot_involved``
    durable so far, from reference final days' counts at the same horizon and final.

    None when there are fewer than ``MIN_REFERENCE_DAYS`` usable reference days (a
    day with nothing durable at the horizon has no ratio) or no conversations.
    """
    at_horizon = np.asarray(durable_at_horizon, dtype=float)
    final = np.asarray(durable_final, dtype=float)
    usable = at_horizon > 0
    if bot_involved <= 0 or usable.sum() < MIN_REFERENCE_DAYS:
        return None
    at_horizon, final = at_horizon[usable], final[usable]
    ratio = final.sum() / at_horizon.sum()  # a ratio estimator: big days weigh more
    rng = np.random.default_rng(seed)
    rates = rng.beta(durable + 0.5, bot_involved - durable + 0.5, size=DRAWS)
    days = rng.integers(0, len(final), size=(DRAWS, len(final)))
    ratios = final[days].sum(axis=1) / at_horizon[days].sum(axis=1)
    draws = np.clip(rates * ratios, 0.0, 1.0)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(draws, [tail, 1.0 - tail])
    return FinalRateEstimate(
        estimate=min(1.0, durable / bot_involved * ratio),
        low=float(low),
        high=float(high),
        reference_days=len(final),
    )
