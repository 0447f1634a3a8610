"""Which slice moved the overall rate? An exact mix/rate (shift-share) decomposition.

The overall rate is the traffic-weighted mean of the slice rates, R = sum_i s_i r_i
(s_i = share of conversations, r_i = rate in slice i). Its change between two days
splits per slice into a *mix* effect (the slice's share moved) and a *rate*
effect (the slice's own rate moved). The symmetric (midpoint) form

    mix_i  = (s1_i - s0_i) * (r0_i + r1_i) / 2
    rate_i = (r1_i - r0_i) * (s0_i + s1_i) / 2

sums exactly to R1 - R0 with no interaction residue and does not depend on which
day is called "before". A slice present on one side only has share 0 on the
other; its missing rate is taken equal to its observed rate, so its whole
contribution s * r is mix (traffic appeared or vanished), not rate.

Both days must be observed at the same horizon. A rate whose numerator can still
change after the day (durable resolution: a recontact within ``recontact_days``
flips it) reads high on a recent day, so comparing a 2-day-old day with a 9-day-old
one shows a rise that is only the open window. ``movers`` therefore takes the
baseline's counts *as observed ``lag`` days earlier* when the input says so (column
``lag_days``, see ``movers``); the SQL that cuts the observation back lives in
``pipelines.monitoring.queries``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np
import pandas as pd

COMPARISONS = {"prev_day": 1, "prev_week": 7}
MOVER_COLUMNS = (
    "date",
    "comparison",
    "metric",
    "is_final",
    "dimension",
    "slice",
    "share_before",
    "share_after",
    "rate_before",
    "rate_after",
    "mix_effect",
    "rate_effect",
    "contribution",
    "rank",
    "total_change",
)


def shift_share(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Decompose the change of sum(successes) / sum(n) from ``before`` to ``after`` by slice.

    Both frames have columns ``slice, n, successes`` (one row per slice). Returns one
    row per slice seen on either side with shares, rates, ``mix_effect``,
    ``rate_effect`` and ``contribution`` (their sum), ranked by absolute
    contribution (1 = biggest mover), plus ``total_change`` = after rate - before rate.
    """
    for name, frame in (("before", before), ("after", after)):
        missing = {"slice", "n", "successes"} - set(frame.columns)
        if missing:
            raise ValueError(f"{name} is missing columns {sorted(missing)}")
        if frame["slice"].duplicated().any():
            raise ValueError(f"{name} has duplicate slices")
        if frame["n"].sum() <= 0:
            raise ValueError(f"{name} has no conversations to decompose")
    merged = pd.merge(
        before.loc[:, ["slice", "n", "successes"]],
        after.loc[:, ["slice", "n", "successes"]],
        on="slice",
        how="outer",
        suffixes=("_before", "_after"),
    ).fillna({"n_before": 0, "n_after": 0, "successes_before": 0, "successes_after": 0})

    effects = _effects(merged, merged["n_before"].sum(), merged["n_after"].sum())

    total_change = (merged["successes_after"].sum() / merged["n_after"].sum()) - (
        merged["successes_before"].sum() / merged["n_before"].sum()
    )
    result = pd.DataFrame(
        {
            "slice": merged["slice"],
            **effects,
        }
    )
    result = result.sort_values(
        "contribution", key=np.abs, ascending=False, kind="stable"
    ).reset_index(drop=True)
    result["rank"] = np.arange(1, len(result) + 1)
    result["total_change"] = total_change
    return result


def _effects(
    merged: pd.DataFrame, total_before: pd.Series | float, total_after: pd.Series | float
) -> dict[str, pd.Series]:
    """The output columns ``share_before`` .. ``contribution`` of slices (``merged``:
    ``n_before, n_after, successes_before, successes_after``) against their group's
    totals: shares, rates (none on a side without conversations) and the midpoint mix
    and rate effects."""
    share0 = merged["n_before"] / total_before
    share1 = merged["n_after"] / total_after
    with np.errstate(divide="ignore", invalid="ignore"):
        rate0 = merged["successes_before"] / merged["n_before"]
        rate1 = merged["successes_after"] / merged["n_after"]
    # One-sided slices: borrow the observed rate so the rate effect is zero.
    rate0_filled = rate0.where(merged["n_before"] > 0, rate1)
    rate1_filled = rate1.where(merged["n_after"] > 0, rate0)
    mix = (share1 - share0) * (rate0_filled + rate1_filled) / 2.0
    rate = (rate1_filled - rate0_filled) * (share0 + share1) / 2.0
    return {
        "share_before": share0,
        "share_after": share1,
        "rate_before": rate0.where(merged["n_before"] > 0),
        "rate_after": rate1.where(merged["n_after"] > 0),
        "mix_effect": mix,
        "rate_effect": rate,
        "contribution": mix + rate,
    }


def movers(
    by_dimension: pd.DataFrame,
    days: Iterable[date],
    successes: str = "durable_resolved",
    n: str = "bot_involved",
    comparisons: dict[str, int] = COMPARISONS,
    metric: str = "resolution_rate",
) -> pd.DataFrame:
    """``MOVER_COLUMNS`` for each day, comparison and dimension of ``by_dimension``.

    ``by_dimension`` has one row per (date, dimension, slice) with the count columns
    ``successes`` and ``n``; it must include the comparison days (a day with no
    comparison day, or no conversations on either side, yields no rows for it).

    Optional columns:

    - ``lag_days``: the counts of that row were observed this many days before the
      newest observation (0 = as observed now). For a comparison with lag L the
      newer day's ``lag_days = 0`` rows are compared with the baseline's
      ``lag_days = L`` rows, i.e. both days observed for the same time after their
      conversations. Without the column every row counts as ``lag_days = 0``
      (right for rates that are settled the day after, e.g. containment).
    - ``is_final``: whether the day's numbers are settled; the output's ``is_final``
      is that of the newer day (NA without the column).

    ``metric`` names the decomposed rate in the output's ``metric`` column.
    """
    missing = {"date", "dimension", "slice", successes, n} - set(by_dimension.columns)
    if missing:
        raise ValueError(f"by_dimension is missing columns {sorted(missing)}")
    counts = by_dimension.rename(columns={successes: "successes", n: "n"})
    counts = counts.assign(
        date=pd.to_datetime(counts["date"]).dt.date,
        lag_days=counts["lag_days"].astype(int) if "lag_days" in counts else 0,
    )
    if counts.duplicated(["date", "lag_days", "dimension", "slice"]).any():
        raise ValueError("by_dimension has duplicate (date, lag_days, dimension, slice) rows")
    # Every (day, comparison, dimension) at once: one merge and a few grouped sums, the
    # same arithmetic as shift_share (which a test checks it against, group by group);
    # one shift_share call per group cost ~15 ms of pandas each, 168 per nightly window.
    has_lag = "lag_days" in by_dimension.columns
    day_order = {day: position for position, day in enumerate(dict.fromkeys(days))}
    dimension_order = {d: i for i, d in enumerate(counts["dimension"].drop_duplicates())}
    columns = ["date", "dimension", "slice", "n", "successes"]
    after = counts.loc[(counts["lag_days"] == 0) & counts["date"].isin(day_order)]
    pairs = []
    for position, (comparison, lag) in enumerate(comparisons.items()):
        # Without lag_days every row is "as observed now" (lag 0) on both sides.
        before = counts.loc[counts["lag_days"] == (lag if has_lag else 0), columns]
        before = before.assign(date=before["date"] + timedelta(days=lag))
        before = before.loc[before["date"].isin(day_order)]
        merged = pd.merge(
            before,
            after.loc[:, columns],
            on=["date", "dimension", "slice"],
            how="outer",
            suffixes=("_before", "_after"),
        )
        pairs.append(merged.assign(comparison=comparison, comparison_order=position))
    merged = pd.concat(pairs, ignore_index=True)
    merged = merged.fillna(
        {"n_before": 0, "n_after": 0, "successes_before": 0, "successes_after": 0}
    )
    group = ["date", "comparison", "dimension"]
    totals = merged.groupby(group, sort=False)[
        ["n_before", "n_after", "successes_before", "successes_after"]
    ].transform("sum")
    # A group is decomposed when both sides have conversations (a day without its
    # comparison day, or with none on one side, yields no rows).
    merged = merged.loc[(totals["n_before"] > 0) & (totals["n_after"] > 0)]
    totals = totals.loc[merged.index]
    if merged.empty:
        return pd.DataFrame(columns=list(MOVER_COLUMNS))
    effects = _effects(merged, totals["n_before"], totals["n_after"])
    if "is_final" in after:
        final = after.groupby(["date", "dimension"], sort=False)["is_final"].agg(
            lambda values: bool(values.all())
        )
        is_final = pd.Series(
            list(zip(merged["date"], merged["dimension"], strict=True)), index=merged.index
        ).map(final)
    else:
        is_final = pd.Series(pd.NA, index=merged.index, dtype=object)
    result = pd.DataFrame(
        {
            "date": merged["date"],
            "comparison": merged["comparison"],
            "metric": metric,
            "is_final": is_final,
            "dimension": merged["dimension"],
            "slice": merged["slice"],
            **effects,
            "total_change": totals["successes_after"] / totals["n_after"]
            - totals["successes_before"] / totals["n_before"],
            # Rows in shift_share's order: by day as given, comparison, dimension as
            # first seen, then biggest |contribution| first, ties by slice.
            "_day": merged["date"].map(day_order),
            "_comparison": merged["comparison_order"],
            "_dimension": merged["dimension"].map(dimension_order),
            "_size": effects["contribution"].abs(),
        }
    )
    result = result.sort_values(
        ["_day", "_comparison", "_dimension", "_size", "slice"],
        ascending=[True, True, True, False, True],
        kind="stable",
    )
    result["rank"] = result.groupby(["_day", "_comparison", "_dimension"]).cumcount() + 1
    return result.loc[:, list(MOVER_COLUMNS)].reset_index(drop=True)
