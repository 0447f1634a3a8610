"""The GX suites on the resolution marts pass good frames and name each planted fault."""

from __future__ import annotations

from datetime import date

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from schemas.marts import validate_resolution_marts

# rate -> (numerator, denominator), as in dbt_project/macros/resolution_metrics.sql
RATES = {
    "resolution_rate": ("durable_resolved", "bot_involved"),
    "containment_rate": ("contained", "bot_involved"),
    "assumed_resolution_rate": ("assumed_resolved", "bot_involved"),
    "confirmed_resolution_rate": ("confirmed_resolved", "bot_involved"),
    "handoff_rate": ("bot_handed_off", "bot_involved"),
    "abandonment_rate": ("abandoned", "bot_involved"),
    "recontact_rate": ("bot_recontacted", "bot_involved"),
    "human_fcr": ("bot_handoffs_answered_not_recontacted", "bot_handoffs_answered"),
    "csat_top2_rate": ("csat_top2", "rated"),
    "csat_response_rate": ("rated", "conversations"),
}


def mart_row(**keys: object) -> dict:
    """A consistent mart row: 120 conversations, 100 bot-involved, down the ladder."""
    counts = {
        "conversations": 120,
        "bot_involved": 100,
        "contained": 70,
        "abandoned": 10,
        "assumed_resolved": 55,
        "confirmed_resolved": 20,
        "durable_resolved": 45,
        "bot_handed_off": 30,
        "bot_recontacted": 15,
        "handed_off": 35,
        "bot_handoffs_answered": 27,
        "bot_handoffs_answered_not_recontacted": 21,
        "rated": 0,  # no survey answers: the CSAT rates are null, which is valid
        "csat_top2": 0,
    }
    row: dict = {**keys, **counts}
    for rate, (numerator, denominator) in RATES.items():
        n = counts[denominator]
        if n == 0:
            row[rate] = row[f"{rate}_ci_low"] = row[f"{rate}_ci_high"] = None
            continue
        low, high = proportion_confint(counts[numerator], n, method="wilson")
        row[rate] = counts[numerator] / n
        row[f"{rate}_ci_low"], row[f"{rate}_ci_high"] = low, high
    row.update(
        csat_mean=None,
        is_final=True,
        below_min_n=False,
        human_fcr_below_min_n=True,
        csat_below_min_n=True,
        resolved=counts["durable_resolved"],
        ci_low=row["resolution_rate_ci_low"],
        ci_high=row["resolution_rate_ci_high"],
    )
    return row


def good_marts() -> tuple[pd.DataFrame, pd.DataFrame]:
    days = [date(2025, 3, 3), date(2025, 3, 4)]
    daily = pd.DataFrame([mart_row(conversation_date=day) for day in days])
    by_dimension = pd.DataFrame(
        [
            mart_row(conversation_date=day, dimension=dimension, slice=name)
            for day in days
            for dimension, name in [("channel", "web"), ("intent_x_bot_version", "billing / v1")]
        ]
    )
    return daily, by_dimension


def test_good_marts_pass() -> None:
    result = validate_resolution_marts(*good_marts())
    assert result.success, result.failures
    assert result.failures == []


# (frame, row, column, planted value, text the failure message must contain)
PLANTED_FAULTS = [
    ("daily", 0, "containment_rate", 1.2, "column=containment_rate, min_value=0"),
    ("daily", 1, "handoff_rate_ci_low", 0.9, "column_B=handoff_rate_ci_low"),
    ("daily", 1, "bot_involved", None, "not_be_null(column=bot_involved)"),
    ("daily", 0, "confirmed_resolved", 60, "column_B=confirmed_resolved"),
    ("by_dimension", 0, "resolution_rate", 1.5, "column=resolution_rate, min_value=0"),
    ("by_dimension", 1, "recontact_rate_ci_high", 0.01, "column_A=recontact_rate_ci_high"),
    ("by_dimension", 2, "conversations", None, "not_be_null(column=conversations)"),
    ("by_dimension", 3, "dimension", "weekday", "expect_column_values_to_be_in_set"),
    ("daily", 0, "csat_below_min_n", None, "not_be_null(column=csat_below_min_n)"),
    ("by_dimension", 1, "human_fcr_below_min_n", None, "not_be_null(column=human_fcr_below_min_n)"),
]


def test_every_planted_fault_is_named() -> None:
    # One validation for all faults (GX takes ~1 s a run): each sits in its own column.
    frames = dict(zip(["daily", "by_dimension"], good_marts(), strict=True))
    for frame, row, column, value, _ in PLANTED_FAULTS:
        frames[frame][column] = frames[frame][column].astype(object)
        frames[frame].loc[row, column] = value
    result = validate_resolution_marts(frames["daily"], frames["by_dimension"])
    assert not result.success
    for *_, expected in PLANTED_FAULTS:
        assert any(expected in failure for failure in result.failures), (expected, result.failures)


def test_empty_marts_pass() -> None:
    # a window with no conversations yet: nothing to violate
    daily, by_dimension = good_marts()
    assert validate_resolution_marts(daily.iloc[0:0], by_dimension.iloc[0:0]).success


def test_duplicate_slice_fails() -> None:
    daily, by_dimension = good_marts()
    by_dimension = pd.concat([by_dimension, by_dimension.iloc[[0]]], ignore_index=True)
    result = validate_resolution_marts(daily, by_dimension)
    assert [f for f in result.failures if "compound_columns_to_be_unique" in f]


def test_missing_column_is_reported_once() -> None:
    daily, by_dimension = good_marts()
    result = validate_resolution_marts(daily.drop(columns=["human_fcr_ci_high"]), by_dimension)
    assert result.failures == ["mart_resolution_daily: missing columns ['human_fcr_ci_high']"]


def test_the_split_of_bot_conversations_and_the_interval_nulls_are_checked() -> None:
    daily, by_dimension = good_marts()
    daily.loc[0, "bot_handed_off"] = 31  # contained + handed off no longer bot_involved
    by_dimension["handoff_rate_ci_low"] = by_dimension["handoff_rate_ci_low"].astype(object)
    by_dimension.loc[1, "handoff_rate_ci_low"] = None  # a rate without its interval
    result = validate_resolution_marts(daily, by_dimension)
    assert any("column_A=contained_plus_bot_handed_off" in f for f in result.failures), (
        result.failures
    )
    assert any("handoff_rate_interval_matches_rate" in f for f in result.failures), result.failures
