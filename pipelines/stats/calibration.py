"""Human-calibrated resolution: how far the automated ``durable_resolved`` flag is from
what labelers say, and a design-based estimate of the true resolution rate.

The sample is stratified with unequal inclusion probabilities (failures are
over-sampled), so every rate here is weighted by 1 / inclusion probability: plain
sample shares would understate resolution. Gold items are outside the probability
sample and are excluded.

The point estimate is the Hajek ratio sum(w y) / sum(w); its variance is the
stratified Taylor-linearization estimator with a finite population correction. That
is written out here because none of the kept libraries has survey-design variance
(statsmodels' weighted statistics assume i.i.d. frequency weights).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.stats.agreement import majority_consensus

ALL = "(all)"
SAMPLE_COLUMNS = (
    "batch_id",
    "conversation_id",
    "conversation_date",
    "intent",
    "stratum",
    "stratum_population",
    "inclusion_prob",
    "is_gold",
)


def human_resolved(labels: pd.DataFrame) -> pd.DataFrame:
    """Consensus on ``resolved`` per item: True for "yes"; "partially" and "no" count
    as not resolved. Items without consensus (a tie awaiting adjudication) are absent."""
    consensus = majority_consensus(labels.loc[labels["field"] == "resolved"])
    return pd.DataFrame(
        {
            "conversation_id": consensus["item_id"],
            "human_resolved": consensus["value"] == "yes",
        }
    )


def hajek_estimate(
    y: np.ndarray,
    weights: np.ndarray,
    strata: np.ndarray,
    stratum_population: np.ndarray,
    confidence: float = 0.95,
) -> tuple[float, float, float]:
    """(estimate, ci_low, ci_high) of a weighted mean of 0/1 outcomes.

    Variance: sum_h (1 - f_h) n_h / (n_h - 1) sum_i (z_i - zbar_h)^2 with
    z_i = w_i (y_i - p) / sum(w). Strata with a single unit contribute nothing
    (their variance is not estimable), which understates the variance slightly.
    """
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from scipy.stats import norm

    y = np.asarray(y, dtype=float)
    weights = np.asarray(weights, dtype=float)
    if len(y) == 0:
        return (float("nan"), float("nan"), float("nan"))
    total = weights.sum()
    estimate = float((weights * y).sum() / total)
    z = weights * (y - estimate) / total
    frame = pd.DataFrame({"z": z, "stratum": strata, "N": stratum_population})
    variance = 0.0
    for _, group in frame.groupby("stratum", sort=False):
        n_h = len(group)
        if n_h < 2:
            continue
        fpc = max(0.0, 1 - n_h / float(group["N"].iloc[0]))
        variance += fpc * n_h / (n_h - 1) * float(((group["z"] - group["z"].mean()) ** 2).sum())
    half = float(norm.ppf(0.5 + confidence / 2) * np.sqrt(variance))
    return (estimate, max(0.0, estimate - half), min(1.0, estimate + half))


def _weighted_share(mask_num: pd.Series, mask_den: pd.Series, weights: pd.Series) -> float:
    denominator = float(weights[mask_den].sum())
    return float(weights[mask_num & mask_den].sum()) / denominator if denominator else float("nan")


def _slice_row(frame: pd.DataFrame, confidence: float) -> dict[str, object]:
    auto, human, w = frame["durable_resolved"], frame["human_resolved"], frame["weight"]
    estimate, low, high = hajek_estimate(
        human.to_numpy(),
        w.to_numpy(),
        (frame["batch_id"] + "|" + frame["stratum"]).to_numpy(),
        frame["stratum_population"].to_numpy(),
        confidence,
    )
    return {
        "n_labeled": len(frame),
        "true_positive": int((auto & human).sum()),
        "false_positive": int((auto & ~human).sum()),
        "false_negative": int((~auto & human).sum()),
        "true_negative": int((~auto & ~human).sum()),
        # Weighted by 1 / inclusion probability: population rates, not sample shares.
        "precision": _weighted_share(human, auto, w),
        "recall": _weighted_share(auto, human, w),
        "false_resolution_rate": _weighted_share(~human, auto, w),
        "automated_resolution_rate": _weighted_share(auto, pd.Series(True, index=frame.index), w),
        "resolution_rate_estimate": estimate,
        "resolution_rate_ci_low": low,
        "resolution_rate_ci_high": high,
    }


def calibrated_resolution(
    sample: pd.DataFrame,
    labels: pd.DataFrame,
    automated: pd.DataFrame,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Per ISO week (Monday) and per intent, plus an all-intents row per week.

    ``sample``: annotation sample rows (see SAMPLE_COLUMNS); ``labels``: the long
    label frame; ``automated``: conversation_id, durable_resolved. Sampled items
    without a human consensus yet are counted in ``n_awaiting_consensus``.
    """
    missing = [c for c in SAMPLE_COLUMNS if c not in sample.columns]
    if missing:
        raise ValueError(f"sample frame lacks columns {missing}")
    probability_sample = sample.loc[~sample["is_gold"].astype(bool)].copy()
    if probability_sample["inclusion_prob"].isna().any():
        raise ValueError("non-gold sample rows without inclusion_prob")
    dates = pd.to_datetime(probability_sample["conversation_date"])
    probability_sample["week"] = (dates - pd.to_timedelta(dates.dt.weekday, unit="D")).dt.date
    merged = probability_sample.merge(human_resolved(labels), on="conversation_id", how="left")
    merged = merged.merge(
        automated[["conversation_id", "durable_resolved"]], on="conversation_id", how="left"
    )
    if merged["durable_resolved"].isna().all() and len(merged):
        raise ValueError("no sampled conversation found in the automated frame")
    merged["durable_resolved"] = merged["durable_resolved"].fillna(False).astype(bool)
    merged["weight"] = 1.0 / merged["inclusion_prob"]
    labeled = merged.loc[merged["human_resolved"].notna()].copy()
    labeled["human_resolved"] = labeled["human_resolved"].astype(bool)
    awaiting = merged.loc[merged["human_resolved"].isna()]

    rows = []
    for week, week_rows in labeled.groupby("week", sort=True):
        slices = [(ALL, week_rows), *week_rows.groupby("intent", sort=True)]
        for intent, rows_in_slice in slices:
            waiting = awaiting.loc[awaiting["week"] == week]
            if intent != ALL:
                waiting = waiting.loc[waiting["intent"] == intent]
            rows.append(
                {
                    "week": week,
                    "intent": intent,
                    **_slice_row(rows_in_slice, confidence),
                    "n_awaiting_consensus": len(waiting),
                }
            )
    return pd.DataFrame(rows)
