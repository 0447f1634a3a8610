"""Estimated final durable rates of the provisional days a report shows."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.monitoring import queries
from pipelines.stats.provisional import estimate_final_rate

# How many of the most recent final days the shrink ratio is learned from.
REFERENCE_DAYS = 14
ESTIMATE_COLUMNS = ("date", "estimate", "low", "high", "reference_days")


def final_rate_estimates(con: duckdb.DuckDBPyConnection, daily: pd.DataFrame) -> pd.DataFrame:
    """One row per provisional day of ``daily`` (``queries.daily_counts`` rows) that
    has enough recent final days before it: ``ESTIMATE_COLUMNS``."""
    frame = daily.assign(date=pd.to_datetime(daily["date"]).dt.date)
    final_days = frame.loc[frame["is_final"].astype(bool), "date"].tolist()
    provisional = frame.loc[~frame["is_final"].astype(bool)]
    observed_until = queries.observation_end(con)
    if provisional.empty or not final_days or observed_until is None:
        return pd.DataFrame(columns=list(ESTIMATE_COLUMNS))
    references = {
        row.date: [f for f in final_days if f < row.date][-REFERENCE_DAYS:]
        for row in provisional.itertuples(index=False)
    }
    requests = pd.DataFrame(
        [(f, (d - f).days) for d, fs in references.items() for f in fs],
        columns=["date", "lag_days"],
    )
    if requests.empty:
        return pd.DataFrame(columns=list(ESTIMATE_COLUMNS))
    counts = queries.durable_at_horizon(con, requests, observed_until)
    counts["date"] = pd.to_datetime(counts["date"]).dt.date
    rows = []
    for row in provisional.itertuples(index=False):
        lags = {(f, (row.date - f).days) for f in references[row.date]}
        reference = counts.loc[
            [
                (d, int(lag)) in lags
                for d, lag in zip(counts["date"], counts["lag_days"], strict=True)
            ]
        ]
        found = estimate_final_rate(
            int(row.durable_resolved),
            int(row.bot_involved),
            reference["durable_at_horizon"].to_numpy(),
            reference["durable_final"].to_numpy(),
        )
        if found is not None:
            rows.append((row.date, found.estimate, found.low, found.high, found.reference_days))
    return pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))
