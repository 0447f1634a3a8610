"""Did the latest bot version change resolution or handoff, intent by intent?

Per intent, the latest bot version is compared with the version before it by a
two-proportion z-test (statsmodels ``proportions_ztest``). Testing every intent
is a family of tests, so p-values are adjusted with Benjamini-Hochberg
(``multipletests(method="fdr_bh")``) per metric across intents: among the
intents flagged significant, at most ``alpha`` are expected to be false leads,
which keeps a 40-intent table from always showing a couple of noise "regressions".

The counts must be observed at one horizon: a new version's traffic sits in the
newest days of the window, whose durable rate reads high while their recontact
window is open, so window counts as loaded would flatter it and hide exactly the
regressions this table is for. ``pipelines.monitoring.queries.version_counts``
counts every day of the window as it looked when it was the newest day.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pipelines.stats.wilson import wilson_interval

VERSION_METRICS = {"resolution_rate": "durable_resolved", "handoff_rate": "handed_off"}
VERSION_TEST_COLUMNS = (
    "intent",
    "metric",
    "version_latest",
    "version_previous",
    "n_latest",
    "n_previous",
    "rate_latest",
    "rate_latest_ci_low",
    "rate_latest_ci_high",
    "rate_previous",
    "rate_previous_ci_low",
    "rate_previous_ci_high",
    "difference",
    "z_stat",
    "p_value",
    "p_adjusted",
    "tested",
    "significant",
)


def release_order(first_seen: pd.DataFrame) -> list[str]:
    """Bot versions oldest to newest by the day each was first seen (``bot_version, first_seen``).

    Version strings follow no common scheme across platforms, so first appearance
    in traffic is the release order; ties are broken by name for determinism.
    """
    missing = {"bot_version", "first_seen"} - set(first_seen.columns)
    if missing:
        raise ValueError(f"first_seen is missing columns {sorted(missing)}")
    ordered = first_seen.dropna(subset=["bot_version"]).sort_values(["first_seen", "bot_version"])
    return ordered["bot_version"].astype(str).tolist()


def compare_versions(
    counts: pd.DataFrame,
    version_order: Sequence[str],
    *,
    min_n: int = 30,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Latest vs previous bot version per intent and metric (``VERSION_TEST_COLUMNS``).

    ``counts`` has one row per (intent, bot_version) with ``n`` (bot-involved
    conversations) and the count columns of ``VERSION_METRICS``. Intents seen with a
    single version, or with an arm below ``min_n``, are kept with ``tested = False``
    and no p-value, so nothing disappears from the table.
    """
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from statsmodels.stats.multitest import multipletests

    required = {"intent", "bot_version", "n", *VERSION_METRICS.values()}
    missing = required - set(counts.columns)
    if missing:
        raise ValueError(f"counts is missing columns {sorted(missing)}")
    position = {version: index for index, version in enumerate(version_order)}
    unknown = sorted(set(counts["bot_version"].dropna().astype(str)) - set(position))
    if unknown:
        raise ValueError(f"bot versions missing from version_order: {unknown}")

    present = counts.loc[counts["n"] > 0].copy()
    present["release"] = present["bot_version"].astype(str).map(position)
    rows = []
    for intent, group in present.groupby("intent", sort=True):
        newest_first = group.sort_values("release", ascending=False)
        latest = newest_first.iloc[0]
        previous = newest_first.iloc[1] if len(newest_first) > 1 else None
        for metric, column in VERSION_METRICS.items():
            rows.append(_compare(intent, metric, column, latest, previous, min_n))
    result = pd.DataFrame(rows, columns=list(VERSION_TEST_COLUMNS))
    result["p_adjusted"] = np.nan
    result["significant"] = False
    for metric in VERSION_METRICS:
        tested = (result["metric"] == metric) & result["tested"]
        if tested.any():
            reject, adjusted, _, _ = multipletests(
                result.loc[tested, "p_value"], alpha=alpha, method="fdr_bh"
            )
            result.loc[tested, "p_adjusted"] = adjusted
            result.loc[tested, "significant"] = reject
    return result


def _compare(
    intent: str,
    metric: str,
    column: str,
    latest: pd.Series,
    previous: pd.Series | None,
    min_n: int,
) -> dict[str, object]:
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from statsmodels.stats.proportion import proportions_ztest

    row: dict[str, object] = {"intent": intent, "metric": metric}
    arms = {"latest": latest, "previous": previous}
    for arm, counts in arms.items():
        if counts is None:
            row.update({f"version_{arm}": None, f"n_{arm}": 0, f"rate_{arm}": np.nan})
            row.update({f"rate_{arm}_ci_low": np.nan, f"rate_{arm}_ci_high": np.nan})
            continue
        low, high = wilson_interval(counts[column], counts["n"])
        row.update(
            {
                f"version_{arm}": str(counts["bot_version"]),
                f"n_{arm}": int(counts["n"]),
                f"rate_{arm}": counts[column] / counts["n"],
                f"rate_{arm}_ci_low": float(low),
                f"rate_{arm}_ci_high": float(high),
            }
        )
    row["difference"] = row["rate_latest"] - row["rate_previous"]
    row["tested"] = previous is not None and min(latest["n"], previous["n"]) >= min_n
    row["z_stat"], row["p_value"] = np.nan, np.nan
    if row["tested"]:
        successes = np.array([latest[column], previous[column]], dtype=float)
        trials = np.array([latest["n"], previous["n"]], dtype=float)
        pooled = successes.sum() / trials.sum()
        if 0.0 < pooled < 1.0:
            row["z_stat"], row["p_value"] = (float(v) for v in proportions_ztest(successes, trials))
        else:
            # Both arms all-or-nothing: identical rates, the test statistic is 0/0.
            row["z_stat"], row["p_value"] = 0.0, 1.0
    return row
