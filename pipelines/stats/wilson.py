"""Wilson score intervals for binomial rates, vectorized.

statsmodels' ``proportion_confint(method="wilson")`` computes the same interval
(the tests pin the two together); it is re-implemented here only because the
marts contain empty cells (n = 0), for which statsmodels divides by zero and
warns, while a metric cell with no conversations simply has no interval (NaN).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike


def wilson_interval(
    successes: ArrayLike, n: ArrayLike, *, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided Wilson score interval for ``successes`` out of ``n`` (element-wise).

    Returns ``(low, high)`` float arrays broadcast from the inputs; cells with
    ``n == 0`` get NaN. Raises ``ValueError`` for negative counts, successes above
    ``n`` or a confidence outside (0, 1).
    """
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from scipy.stats import norm

    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    x = np.asarray(successes, dtype=float)
    total = np.asarray(n, dtype=float)
    x, total = np.broadcast_arrays(x, total)
    if np.any(total < 0) or np.any(x < 0):
        raise ValueError("successes and n must be non-negative")
    if np.any(x > total):
        raise ValueError("successes must not exceed n")

    z = norm.isf((1.0 - confidence) / 2.0)
    z2 = z * z
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / total
        denominator = 1.0 + z2 / total
        center = (p + z2 / (2.0 * total)) / denominator
        half_width = z * np.sqrt(p * (1.0 - p) / total + z2 / (4.0 * total * total)) / denominator
    empty = total == 0
    low = np.where(empty, np.nan, np.clip(center - half_width, 0.0, 1.0))
    high = np.where(empty, np.nan, np.clip(center + half_width, 0.0, 1.0))
    return low, high
