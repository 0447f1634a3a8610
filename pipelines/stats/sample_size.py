"""How many conversations to label for a target confidence-interval half-width."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd


def sample_size(
    margin: float,
    confidence: float = 0.95,
    p: float = 0.5,
    population: int | None = None,
) -> int:
    """Items needed so a proportion's normal-approximation CI has half-width ``margin``.

    ``p=0.5`` is the worst case (largest variance); pass a prior estimate to need
    fewer. With ``population`` (N) the finite population correction
    n = n0 / (1 + (n0 - 1) / N) applies (statsmodels has the infinite-population
    formula only, so the one-line correction is written here).
    """
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from statsmodels.stats.proportion import samplesize_confint_proportion

    if not 0 < margin < 1:
        raise ValueError(f"margin must be in (0, 1), got {margin}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    if not 0 < p < 1:
        raise ValueError(f"p must be in (0, 1), got {p}")
    n0 = float(samplesize_confint_proportion(p, margin, alpha=1 - confidence))
    if population is None:
        return math.ceil(n0)
    if population < 0:
        raise ValueError(f"population must be >= 0, got {population}")
    if population == 0:
        return 0
    return min(population, math.ceil(n0 / (1 + (n0 - 1) / population)))


def sample_size_by_slice(
    slice_sizes: Mapping[str, int],
    margin: float,
    confidence: float = 0.95,
    p: float = 0.5,
) -> pd.DataFrame:
    """Per slice (e.g. per intent): population N, items needed n, and n / N.

    Each slice gets its own margin, so the total is much larger than an overall
    sample: that is the price of a per-intent rate with the same precision.
    """
    rows = [
        {
            "slice": name,
            "population": int(size),
            "sample_size": sample_size(margin, confidence, p, int(size)),
        }
        for name, size in sorted(slice_sizes.items())
    ]
    frame = pd.DataFrame(rows, columns=["slice", "population", "sample_size"])
    frame["sampling_fraction"] = (frame["sample_size"] / frame["population"]).where(
        frame["population"] > 0
    )
    return frame
