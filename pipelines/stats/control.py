"""Daily control limits for binomial rates: is today out of line with the last 28 days?

Method: Laney p' chart (Laney 2002). A plain p-chart assumes every day is a draw
from one fixed rate, so with thousands of conversations a day its limits become
razor thin and it fires on ordinary day-to-day variation (weekday mix, campaigns).
Laney's p' chart keeps the p-chart's dependence on the day's n but widens the
limits by ``sigma_z``, the day-to-day spread of the baseline's standardized rates
measured with the moving range. A beta-binomial fit would model the same
over-dispersion but needs an iterative fit per series and is unstable with 7-28
points; the moving-range estimate is closed-form and robust to a slow drift.

Limits for day t with n_t conversations, against a baseline of the previous
``baseline_days`` calendar days (pooled rate p, N conversations):

    sigma_t = sigma_z * sqrt(p (1 - p) (1 / n_t + 1 / N))

The ``1 / N`` term makes it a prediction interval: the baseline rate is itself
estimated. ``sigma_z`` is floored at 1 (never tighter than binomial) because a
moving-range estimate from a short baseline can come out below 1 by chance and
would then cause false alarms. See docs/monitoring.md for the thresholds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

# d2 constant for moving ranges of two consecutive points: E|X1 - X2| = 1.128 sigma.
_D2_MOVING_RANGE = 1.128

SERIES_COLUMNS = ("date", "metric", "dimension", "slice", "successes", "n", "is_final")
ANOMALY_COLUMNS = (
    "date",
    "metric",
    "dimension",
    "slice",
    "value",
    "expected",
    "expected_low",
    "expected_high",
    "n",
    "z_score",
    "direction",
    "severity",
    "is_final",
)
OVERALL = "overall"


@dataclass(frozen=True)
class Metric:
    """A headline rate: ``numerator / denominator`` of two count columns of the marts."""

    name: str
    numerator: str
    denominator: str


HEADLINE_METRICS = (
    Metric("resolution_rate", "durable_resolved", "bot_involved"),
    Metric("containment_rate", "contained", "bot_involved"),
    Metric("handoff_rate", "handed_off", "bot_involved"),
    Metric("abandonment_rate", "abandoned", "bot_involved"),
    Metric("csat_top2_rate", "csat_top2", "csat_responses"),
)


@dataclass(frozen=True)
class ControlSettings:
    """Thresholds of the detector; the defaults are argued in docs/monitoring.md."""

    baseline_days: int = 28
    min_history_days: int = 7  # days with data in the baseline before a day is judged
    min_n: int = 30  # a day (or slice-day) with fewer trials is not judged
    warn_sigma: float = 3.0
    critical_sigma: float = 4.0

    def __post_init__(self) -> None:
        if not 2 <= self.min_history_days <= self.baseline_days:
            raise ValueError("need 2 <= min_history_days <= baseline_days")
        if not 0 < self.warn_sigma <= self.critical_sigma:
            raise ValueError("need 0 < warn_sigma <= critical_sigma")


def stack_metrics(
    daily: pd.DataFrame,
    by_dimension: pd.DataFrame,
    metrics: Iterable[Metric] = HEADLINE_METRICS,
) -> pd.DataFrame:
    """Long series frame (``SERIES_COLUMNS``) from the daily and per-slice count marts.

    ``daily`` has one row per date; ``by_dimension`` one per (date, dimension, slice).
    Both need ``date``, ``is_final`` and the metrics' count columns. The daily rows
    become ``dimension = slice = 'overall'``.
    """
    overall = daily.assign(dimension=OVERALL, slice=OVERALL)
    frames = []
    for source in (overall, by_dimension):
        for metric in metrics:
            _require_columns(
                source,
                ("date", "dimension", "slice", "is_final", metric.numerator, metric.denominator),
                "metric marts",
            )
            frames.append(
                pd.DataFrame(
                    {
                        "date": source["date"].to_numpy(),
                        "metric": metric.name,
                        "dimension": source["dimension"].to_numpy(),
                        "slice": source["slice"].to_numpy(),
                        "successes": source[metric.numerator].to_numpy(),
                        "n": source[metric.denominator].to_numpy(),
                        "is_final": source["is_final"].to_numpy(),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def detect_anomalies(
    series: pd.DataFrame,
    days: Iterable[date] | None = None,
    settings: ControlSettings = ControlSettings(),
) -> pd.DataFrame:
    """Points of ``series`` outside their control limits on ``days`` (default: all days).

    ``series`` has ``SERIES_COLUMNS``, one row per (date, metric, dimension, slice),
    and must include the ``baseline_days`` before the first day judged. Returns
    ``ANOMALY_COLUMNS``: ``expected`` is the baseline rate, ``expected_low/high``
    the warn limits; severity is ``critical`` beyond ``critical_sigma`` else ``warn``.
    """
    judged = judge_days(series, days, settings)
    outside = judged["z_score"].abs() >= settings.warn_sigma
    anomalies = judged.loc[outside].copy()
    anomalies["direction"] = np.where(anomalies["z_score"] > 0, "up", "down")
    anomalies["severity"] = np.where(
        anomalies["z_score"].abs() >= settings.critical_sigma, "critical", "warn"
    )
    return anomalies.loc[:, list(ANOMALY_COLUMNS)].reset_index(drop=True)


def judge_days(
    series: pd.DataFrame,
    days: Iterable[date] | None = None,
    settings: ControlSettings = ControlSettings(),
) -> pd.DataFrame:
    """Every judgeable point on ``days`` with its baseline rate, warn limits and z-score.

    A point is judgeable when its n reaches ``min_n`` and its baseline has at least
    ``min_history_days`` days with data; other points are left out (not judged).
    """
    _require_columns(series, SERIES_COLUMNS, "series")
    frame = series.loc[:, list(SERIES_COLUMNS)].copy()
    frame["date"] = pd.to_datetime(frame["date"]).dt.normalize()
    keys = ["metric", "dimension", "slice"]
    duplicated = frame.duplicated([*keys, "date"])
    if duplicated.any():
        first = frame.loc[duplicated].iloc[0]
        raise ValueError(
            f"series has {int(duplicated.sum())} duplicate rows, e.g. "
            f"{first['metric']}/{first['dimension']}={first['slice']} on {first['date'].date()}"
        )
    frame["n"] = frame["n"].fillna(0).astype(float)
    frame["successes"] = frame["successes"].fillna(0).astype(float)
    if (frame["successes"] > frame["n"]).any() or (frame["n"] < 0).any():
        raise ValueError("series has rows with successes > n or negative n")

    wanted = None if days is None else {pd.Timestamp(day) for day in days}
    rows: list[dict[str, object]] = []
    for key, group in frame.groupby(keys, sort=False):
        group = group.sort_values("date")
        rows.extend(_judge_series(dict(zip(keys, key, strict=True)), group, wanted, settings))
    columns = [*keys, "date", "value", "expected", "expected_low", "expected_high"]
    judged = pd.DataFrame(rows, columns=[*columns, "n", "z_score", "is_final"])
    judged["date"] = pd.to_datetime(judged["date"]).dt.date
    return judged


def _judge_series(
    key: dict[str, object],
    group: pd.DataFrame,
    wanted: set[pd.Timestamp] | None,
    settings: ControlSettings,
) -> list[dict[str, object]]:
    dates = group["date"].to_numpy()
    successes = group["successes"].to_numpy()
    trials = group["n"].to_numpy()
    window = np.timedelta64(timedelta(days=settings.baseline_days))
    rows = []
    for position, day in enumerate(dates):
        if (wanted is not None and pd.Timestamp(day) not in wanted) or trials[
            position
        ] < settings.min_n:
            continue
        in_baseline = (dates >= day - window) & (dates < day) & (trials > 0)
        if in_baseline.sum() < settings.min_history_days:
            continue
        limits = _laney_limits(successes[in_baseline], trials[in_baseline], trials[position])
        expected, sigma = limits
        value = successes[position] / trials[position]
        rows.append(
            {
                **key,
                "date": pd.Timestamp(day),
                "value": value,
                "expected": expected,
                "expected_low": max(0.0, expected - settings.warn_sigma * sigma),
                "expected_high": min(1.0, expected + settings.warn_sigma * sigma),
                "n": int(trials[position]),
                "z_score": (value - expected) / sigma,
                "is_final": bool(group["is_final"].iloc[position]),
            }
        )
    return rows


def _laney_limits(
    baseline_successes: np.ndarray, baseline_trials: np.ndarray, trials_today: float
) -> tuple[float, float]:
    """Baseline rate and the Laney p' standard deviation of a day with ``trials_today``."""
    total = baseline_trials.sum()
    expected = baseline_successes.sum() / total
    # A baseline rate of exactly 0 or 1 would give zero-width limits that fire on
    # the first single event; half an event of slack keeps the limits finite.
    p = float(np.clip(expected, 0.5 / total, 1.0 - 0.5 / total))
    binomial_sd = np.sqrt(p * (1.0 - p) / baseline_trials)
    z = (baseline_successes / baseline_trials - p) / binomial_sd
    sigma_z = max(1.0, float(np.mean(np.abs(np.diff(z)))) / _D2_MOVING_RANGE)
    sigma = sigma_z * np.sqrt(p * (1.0 - p) * (1.0 / trials_today + 1.0 / total))
    return float(expected), float(sigma)


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{what} is missing columns {missing}; has {list(frame.columns)}")
