"""Agreement of a judge with a reference (human labels or real outcomes), and the trust gate.

Both sides are binary: *resolved* or not. A judge's ``unsure`` counts as not
resolved, because the ``verified`` rung needs a ``resolved`` verdict; a human's
``partially`` counts as not resolved, as in ``pipelines.stats.calibration``.

Point estimates come from the kept implementations: scikit-learn's
``cohen_kappa_score`` and ``balanced_accuracy_score``, and ``gwet_ac1`` /
``percent_agreement`` of ``pipelines.stats.agreement``. Confidence intervals are a
percentile bootstrap over conversations. With two raters and two categories every
statistic is a function of the 2x2 confusion table, so resampling conversations is
drawing that table from a multinomial; the statistics are then evaluated for all
draws at once (hand-written, vectorized: calling the library functions per draw
costs ~1 ms each). ``tests/judge/test_agreement.py`` pins the vectorized formulas
to the libraries.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pipelines.stats.agreement import gwet_ac1, percent_agreement
from pipelines.stats.wilson import wilson_interval

DEFAULT_TRUST_THRESHOLD = 0.6
N_BOOT = 2000


def _cells(rater: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """[both resolved, rater only, reference only, neither] counts."""
    return np.array(
        [
            np.sum(rater & reference),
            np.sum(rater & ~reference),
            np.sum(~rater & reference),
            np.sum(~rater & ~reference),
        ]
    )


def _statistics(cells: np.ndarray) -> dict[str, np.ndarray]:
    """Accuracy, balanced accuracy, Cohen's kappa and Gwet's AC1 of 2x2 tables
    (rows of ``cells``: both, rater only, reference only, neither). NaN where undefined."""
    both, rater_only, reference_only, neither = (cells[..., i].astype(float) for i in range(4))
    n = both + rater_only + reference_only + neither
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = (both + neither) / n
        rater_yes = (both + rater_only) / n
        reference_yes = (both + reference_only) / n
        chance = rater_yes * reference_yes + (1 - rater_yes) * (1 - reference_yes)
        kappa = np.where(chance < 1, (observed - chance) / (1 - chance), np.nan)
        prevalence = (rater_yes + reference_yes) / 2
        chance_ac1 = 2 * prevalence * (1 - prevalence)
        ac1 = (observed - chance_ac1) / (1 - chance_ac1)
        sensitivity = both / (both + reference_only)
        specificity = neither / (neither + rater_only)
        balanced = (sensitivity + specificity) / 2
    return {
        "accuracy": observed,
        "balanced_accuracy": balanced,
        "cohen_kappa": kappa,
        "gwet_ac1": ac1,
    }


def _library_point(rater: np.ndarray, reference: np.ndarray) -> dict[str, float]:
    """The statistics from the kept implementations (what the marts report)."""
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from sklearn.metrics import balanced_accuracy_score, cohen_kappa_score

    counts = np.column_stack(
        [rater.astype(int) + reference.astype(int), 2 - rater.astype(int) - reference.astype(int)]
    )
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")  # one class only: sklearn warns and returns nan/0
        kappa = cohen_kappa_score(reference, rater, labels=[False, True])
        balanced = (
            balanced_accuracy_score(reference, rater) if len(set(reference)) == 2 else float("nan")
        )
    return {
        "accuracy": percent_agreement(counts),
        "balanced_accuracy": float(balanced),
        "cohen_kappa": float(kappa),
        "gwet_ac1": gwet_ac1(counts),
    }


@dataclass(frozen=True)
class Agreement:
    """One comparison: confusion counts, statistics and their 95% CIs."""

    n: int
    both_resolved: int
    rater_only: int  # rater says resolved, reference does not: a false "verified"
    reference_only: int
    neither: int
    statistics: dict[str, float]
    ci_low: dict[str, float]
    ci_high: dict[str, float]
    false_verified_rate: float  # of rater-resolved, the share the reference calls unresolved
    false_verified_ci: tuple[float, float]

    def as_row(self) -> dict[str, object]:
        row: dict[str, object] = {
            "n": self.n,
            "both_resolved": self.both_resolved,
            "judge_only_resolved": self.rater_only,
            "reference_only_resolved": self.reference_only,
            "neither_resolved": self.neither,
        }
        for name, value in self.statistics.items():
            row[name] = value
            row[f"{name}_ci_low"] = self.ci_low[name]
            row[f"{name}_ci_high"] = self.ci_high[name]
        row["false_verified_rate"] = self.false_verified_rate
        row["false_verified_rate_ci_low"], row["false_verified_rate_ci_high"] = (
            self.false_verified_ci
        )
        return row


def binary_agreement(
    rater: npt.ArrayLike,
    reference: npt.ArrayLike,
    *,
    n_boot: int = N_BOOT,
    seed: int = 0,
    confidence: float = 0.95,
) -> Agreement:
    """Agreement of boolean ``rater`` (True = resolved) with boolean ``reference``."""
    rater = np.asarray(rater, dtype=bool)
    reference = np.asarray(reference, dtype=bool)
    if rater.shape != reference.shape or rater.ndim != 1:
        raise ValueError("rater and reference must be 1-d arrays of the same length")
    cells = _cells(rater, reference)
    n = int(cells.sum())
    point = _library_point(rater, reference) if n else dict.fromkeys(_statistics(cells), np.nan)
    tail = (1 - confidence) / 2 * 100
    if n >= 2:
        draws = np.random.default_rng(seed).multinomial(n, cells / n, size=n_boot)
        drawn = _statistics(draws)
        low = {
            k: float(np.nanpercentile(v, tail)) if np.isfinite(v).any() else np.nan
            for k, v in drawn.items()
        }
        high = {
            k: float(np.nanpercentile(v, 100 - tail)) if np.isfinite(v).any() else np.nan
            for k, v in drawn.items()
        }
    else:
        low = dict.fromkeys(point, np.nan)
        high = dict.fromkeys(point, np.nan)
    rater_yes = int(cells[0] + cells[1])
    fv_low, fv_high = wilson_interval(int(cells[1]), rater_yes, confidence=confidence)
    return Agreement(
        n=n,
        both_resolved=int(cells[0]),
        rater_only=int(cells[1]),
        reference_only=int(cells[2]),
        neither=int(cells[3]),
        statistics={k: float(v) for k, v in point.items()},
        ci_low=low,
        ci_high=high,
        false_verified_rate=float(cells[1] / rater_yes) if rater_yes else float("nan"),
        false_verified_ci=(float(fv_low), float(fv_high)),
    )
