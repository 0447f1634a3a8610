"""Daily control limits for binomial rates: is today out of line with the last 28 days?

Method: Laney p' chart (Laney 2002) on the arcsine scale. A plain p-chart assumes
every day is a draw from one fixed rate, so with thousands of conversations a day
its limits become razor thin and it fires on ordinary day-to-day variation
(weekday mix, campaigns). Laney's p' chart keeps the p-chart's dependence on the
day's n but widens the limits by ``sigma_z``, the day-to-day spread of the
baseline's standardized rates measured with the moving range. A beta-binomial
fit would model the same over-dispersion but needs an iterative fit per series
and is unstable with 7-28 points; the moving range is closed-form and robust to
a slow drift.

Rates are compared on Anscombe's arcsine scale, y = asin(sqrt((x + 3/8) / (n + 3/4))),
whose variance is 1 / (4 n) whatever the rate. On the raw scale the normal
approximation is badly skewed for rare events in small slices (4 abandonments
where 1.3 were expected reads as "4 sigma" but happens 1 day in 20); on the
arcsine scale the same day is under 2 sigma. For large n the two agree. Day t
with n_t conversations, against the previous ``baseline_days`` days (pooled
rate p = X / N, centre c_t = the transform of the expected count p n_t):

    sigma_t = sigma_z * sqrt(1 / (4 n_t) + 1 / (4 N))      z_t = (y_t - c_t) / sigma_t

The ``1 / N`` term makes it a prediction interval: the baseline rate is itself
estimated. ``sigma_z`` is floored at 1 (never tighter than binomial) because a
moving-range estimate from a short baseline can come out below 1 by chance and
would then cause false alarms. The limits are mapped back to the rate scale, so
they are asymmetric near 0 and 1. See docs/monitoring.md for the thresholds.
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
    higher_is_better: bool = True


HEADLINE_METRICS = (
    Metric("resolution_rate", "durable_resolved", "bot_involved"),
    Metric("containment_rate", "contained", "bot_involved"),
    Metric("handoff_rate", "handed_off", "bot_involved", higher_is_better=False),
    Metric("abandonment_rate", "abandoned", "bot_involved", higher_is_better=False),
    Metric("csat_top2_rate", "csat_top2", "csat_responses"),
)
# Metrics for which a rise is bad news; anything else counts a fall as bad news.
ADVERSE_WHEN_UP = frozenset(m.name for m in HEADLINE_METRICS if not m.higher_is_better)


@dataclass(frozen=True)
class ControlSettings:
    """Thresholds of the detector; the defaults are argued in docs/monitoring.md."""

    baseline_days: int = 28
    min_history_days: int = 7  # days with data in the baseline before a day is judged
    min_n: int = 30  # a day (or slice-day) with fewer trials is not judged
    warn_sigma: float = 3.0
    critical_sigma: float = 4.0
    # Recontact-based rates read high until the recontact window closes (recontacts
    # not yet seen count as durable), so on provisional days only drops are flagged,
    # and their baselines hold final days only (a provisional baseline would be
    # inflated, and a run of provisional days would read as a climb).
    optimistic_while_provisional: tuple[str, ...] = ("resolution_rate",)

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
    the warn limits; severity is ``critical`` beyond ``critical_sigma`` in the metric's
    adverse direction, else ``warn``.
    Rises of ``optimistic_while_provisional`` metrics on provisional days are not
    anomalies: they are the open recontact window.
    """
    judged = judge_days(series, days, settings)
    outside = judged["z_score"].abs() >= settings.warn_sigma
    expected_optimism = (
        judged["metric"].isin(settings.optimistic_while_provisional)
        & ~judged["is_final"].astype(bool)
        & (judged["z_score"] > 0)
    )
    outside &= ~expected_optimism
    anomalies = judged.loc[outside].copy()
    anomalies["direction"] = np.where(anomalies["z_score"] > 0, "up", "down")
    # Critical pages someone, so it is kept for moves in the bad direction (resolution
    # down, handoffs up, ...); an unusually good day is still reported, as a warning.
    adverse = np.where(
        anomalies["metric"].isin(ADVERSE_WHEN_UP),
        anomalies["z_score"] > 0,
        anomalies["z_score"] < 0,
    )
    anomalies["severity"] = np.where(
        adverse & (anomalies["z_score"].abs() >= settings.critical_sigma), "critical", "warn"
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
    # Unknown finality is treated as provisional, never as final.
    frame["is_final"] = frame["is_final"].astype("boolean").fillna(False).astype(bool)
    if (frame["successes"] > frame["n"]).any() or (frame["n"] < 0).any():
        raise ValueError("series has rows with successes > n or negative n")

    wanted = None if days is None else pd.to_datetime(list(days)).normalize().to_numpy()
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
    wanted: np.ndarray | None,
    settings: ControlSettings,
) -> list[dict[str, object]]:
    dates = group["date"].to_numpy()
    successes = group["successes"].to_numpy()
    trials = group["n"].to_numpy()
    is_final = group["is_final"].to_numpy()
    window = np.timedelta64(timedelta(days=settings.baseline_days))
    usable = trials > 0
    if key.get("metric") in settings.optimistic_while_provisional:
        usable &= is_final.astype(bool)
    judgeable = trials >= settings.min_n
    if wanted is not None:
        judgeable &= np.isin(dates, wanted)
    rows = []
    for position in np.flatnonzero(judgeable):
        day = dates[position]
        in_baseline = (dates >= day - window) & (dates < day) & usable
        if in_baseline.sum() < settings.min_history_days:
            continue
        judgement = _laney_judgement(
            successes[in_baseline],
            trials[in_baseline],
            successes[position],
            trials[position],
            settings.warn_sigma,
        )
        rows.append(
            {
                **key,
                "date": pd.Timestamp(day),
                "value": successes[position] / trials[position],
                **judgement,
                "n": int(trials[position]),
                "is_final": bool(is_final[position]),
            }
        )
    return rows


def _anscombe(successes: np.ndarray | float, trials: np.ndarray | float) -> np.ndarray:
    """Variance-stabilized rate: Var = 1 / (4 n) for any true rate."""
    return np.arcsin(np.sqrt((np.asarray(successes) + 0.375) / (np.asarray(trials) + 0.75)))


def _rate_at(y: float, trials: float) -> float:
    """The raw rate x / n whose Anscombe value is ``y`` (inverse of :func:`_anscombe`)."""
    y = float(np.clip(y, 0.0, np.pi / 2))
    return float(np.clip((np.sin(y) ** 2 * (trials + 0.75) - 0.375) / trials, 0.0, 1.0))


def _laney_judgement(
    baseline_successes: np.ndarray,
    baseline_trials: np.ndarray,
    successes_today: float,
    trials_today: float,
    limit_sigma: float,
) -> dict[str, float]:
    """Baseline rate, the day's limits at ``limit_sigma`` and its z-score (Laney p', arcsine)."""
    total = float(baseline_trials.sum())
    expected = float(baseline_successes.sum()) / total
    # Each day is centred on the transform of its own expected count, so the 3/8
    # offsets cancel and a day exactly at the baseline rate scores z = 0.
    centres = _anscombe(expected * baseline_trials, baseline_trials)
    z = (_anscombe(baseline_successes, baseline_trials) - centres) * np.sqrt(4.0 * baseline_trials)
    sigma_z = max(1.0, float(np.mean(np.abs(np.diff(z)))) / _D2_MOVING_RANGE)
    sigma = sigma_z * np.sqrt(1.0 / (4.0 * trials_today) + 1.0 / (4.0 * total))
    centre = float(_anscombe(expected * trials_today, trials_today))
    return {
        "expected": expected,
        "expected_low": _rate_at(centre - limit_sigma * sigma, trials_today),
        "expected_high": _rate_at(centre + limit_sigma * sigma, trials_today),
        "z_score": float((_anscombe(successes_today, trials_today) - centre) / sigma),
    }


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{what} is missing columns {missing}; has {list(frame.columns)}")
