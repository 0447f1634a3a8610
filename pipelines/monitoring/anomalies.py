"""Headline rates outside their control limits, overall and per slice, and the alert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from pipelines.monitoring import queries
from pipelines.monitoring.notify import Alert
from pipelines.stats.control import ControlSettings, detect_anomalies, stack_metrics
from pipelines.warehouse.tables import METRIC_ANOMALIES


@dataclass(frozen=True)
class Anomalies:
    rows: pd.DataFrame
    series_rows: int

    @property
    def overall(self) -> pd.DataFrame:
        return self.rows.loc[self.rows["dimension"] == "overall"]

    @property
    def critical_slices(self) -> pd.DataFrame:
        return self.rows.loc[
            (self.rows["dimension"] != "overall") & (self.rows["severity"] == "critical")
        ]


def metric_anomalies(
    con: duckdb.DuckDBPyConnection, days: list[date], min_n: int, provisional: bool
) -> Anomalies:
    """Laney p' anomalies of ``days`` against their baseline, written to
    ``mart_metric_anomalies``; a provisional (intraday) run's rows are never final."""
    control = ControlSettings(min_n=min_n)
    first_needed = days[0] - timedelta(days=control.baseline_days)
    series = stack_metrics(
        queries.daily_counts(con, first_needed, days[-1]),
        queries.dimension_counts(con, first_needed, days[-1]),
    )
    anomalies = detect_anomalies(series, days=days, settings=control)
    if provisional:
        anomalies["is_final"] = False
    queries.write_window(con, METRIC_ANOMALIES.table_name, anomalies, days)
    return Anomalies(anomalies, len(series))


def describe(anomaly: pd.Series) -> str:
    """One line that names metric, slice, value and expected range."""
    where = (
        "overall"
        if anomaly["dimension"] == "overall"
        else f"{anomaly['dimension']}={anomaly['slice']}"
    )
    return (
        f"{anomaly['date']} {anomaly['severity']}: {anomaly['metric']} {where} = "
        f"{anomaly['value']:.1%} ({anomaly['direction']}), expected "
        f"{anomaly['expected_low']:.1%}-{anomaly['expected_high']:.1%} (n={int(anomaly['n'])})"
    )


def alert_for(found: Anomalies, day: date) -> Alert | None:
    """The alert for the newest day only: the nightly run judges one day, and a backfill
    of old days must not page anyone about last spring. Overall anomalies and critical
    slices alert; None when there is nothing to say."""
    alerting = pd.concat([found.overall, found.critical_slices])
    alerting = alerting.loc[pd.to_datetime(alerting["date"]).dt.date == day]
    if alerting.empty:
        return None
    severity = "critical" if (alerting["severity"] == "critical").any() else "warn"
    return Alert(
        f"closedloop: {len(alerting)} metric anomalies on {day.isoformat()}",
        [describe(row) for _, row in alerting.iterrows()],
        severity=severity,
    )
