"""Great Expectations suites for the resolution marts, run in a blocking Dagster check.

dbt's data tests already guard the marts inside the build; these suites are the
independent gate on the frames that leave the warehouse (the published snapshot):
every rate is a proportion, sits inside its own Wilson interval, has its n, and the
ladder never widens. GX Core 1.x with an ephemeral context, so nothing is written to
disk and a check run leaves no state behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

from schemas.metrics import DIMENSIONS, RATES

COUNTS = (
    "conversations",
    "bot_involved",
    "contained",
    "abandoned",
    "assumed_resolved",
    "confirmed_resolved",
    "durable_resolved",
    "verified_resolved",
    "bot_handed_off",
    "bot_recontacted",
    "handed_off",
    "bot_handoffs_answered",
    "bot_handoffs_answered_not_recontacted",
    "rated",
    "csat_top2",
)
# (wider rung, narrower rung): the second can never exceed the first.
LADDER = (
    ("conversations", "bot_involved"),
    ("bot_involved", "contained"),
    ("contained", "assumed_resolved"),
    ("contained", "abandoned"),
    ("assumed_resolved", "confirmed_resolved"),
    ("assumed_resolved", "durable_resolved"),
    ("durable_resolved", "verified_resolved"),
    ("handed_off", "bot_handed_off"),
    ("bot_handed_off", "bot_handoffs_answered"),
    ("bot_handoffs_answered", "bot_handoffs_answered_not_recontacted"),
    ("rated", "csat_top2"),
    ("conversations", "rated"),
)
# Relations the pairwise ladder cannot state, checked on columns derived from the counts:
# (derived column, the count columns it needs, how it is computed, what it must equal).
# Bot-involved conversations split exactly into contained and handed off, and an
# abandoned conversation is contained but never assumed resolved.
_SPLIT = "contained_plus_bot_handed_off"
_CONTAINED_ROOM = "contained_minus_assumed_and_abandoned"
DERIVED_COUNTS = {
    _SPLIT: (("contained", "bot_handed_off"), lambda f: f["contained"] + f["bot_handed_off"]),
    _CONTAINED_ROOM: (
        ("contained", "assumed_resolved", "abandoned"),
        lambda f: f["contained"] - f["assumed_resolved"] - f["abandoned"],
    ),
}
# One small-sample flag per rate denominator (see resolution_rates() in the macro).
SMALL_SAMPLE_FLAGS = ("below_min_n", "human_fcr_below_min_n", "csat_below_min_n")


@dataclass(frozen=True)
class MartValidation:
    """Outcome of validating the marts; ``failures`` says what failed, one line each."""

    success: bool
    failures: list[str] = field(default_factory=list)


def _metric_expectations() -> Iterable[gxe.Expectation]:
    """Counts present and non-negative, rates in [0, 1] inside their intervals, ladder narrows.

    The only check of these invariants on the two marts: dbt builds them, this gates them."""
    for count in COUNTS:
        yield gxe.ExpectColumnValuesToNotBeNull(column=count)
        yield gxe.ExpectColumnValuesToBeBetween(column=count, min_value=0)
    for rate in RATES:
        for column in (rate, f"{rate}_ci_low", f"{rate}_ci_high"):
            yield gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=1)
        yield gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=rate,
            column_B=f"{rate}_ci_low",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        )
        yield gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=f"{rate}_ci_high",
            column_B=rate,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        )
        # An interval exactly when there is a rate (null both when the denominator is 0).
        yield gxe.ExpectColumnValuesToBeInSet(column=_interval_matches(rate), value_set=[True])
    for wider, narrower in LADDER:
        yield gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=wider, column_B=narrower, or_equal=True
        )
    yield gxe.ExpectColumnPairValuesToBeEqual(
        column_A=_SPLIT, column_B="bot_involved", ignore_row_if="either_value_is_missing"
    )
    yield gxe.ExpectColumnValuesToBeBetween(column=_CONTAINED_ROOM, min_value=0)
    yield gxe.ExpectColumnValuesToNotBeNull(column="is_final")
    for flag in SMALL_SAMPLE_FLAGS:
        yield gxe.ExpectColumnValuesToNotBeNull(column=flag)


def resolution_daily_suite() -> gx.ExpectationSuite:
    """mart_resolution_daily: one row per conversation_date."""
    # Built in one go: ExpectationSuite.add_expectation compares each new expectation
    # with all earlier ones, which is quadratic and costs seconds for ~100 of them.
    return gx.ExpectationSuite(
        name="mart_resolution_daily",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(column="conversation_date"),
            gxe.ExpectColumnValuesToBeUnique(column="conversation_date"),
            *_metric_expectations(),
            *(
                gxe.ExpectColumnPairValuesToBeEqual(
                    column_A=alias, column_B=column, ignore_row_if="both_values_are_missing"
                )
                for alias, column in (
                    ("resolved", "durable_resolved"),
                    ("ci_low", "resolution_rate_ci_low"),
                    ("ci_high", "resolution_rate_ci_high"),
                )
            ),
        ],
    )


def resolution_by_dimension_suite() -> gx.ExpectationSuite:
    """mart_resolution_by_dimension: one row per (conversation_date, dimension, slice)."""
    keys = ["conversation_date", "dimension", "slice"]
    return gx.ExpectationSuite(
        name="mart_resolution_by_dimension",
        expectations=[
            *(gxe.ExpectColumnValuesToNotBeNull(column=column) for column in keys),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=keys),
            gxe.ExpectColumnValuesToBeInSet(column="dimension", value_set=list(DIMENSIONS)),
            *_metric_expectations(),
        ],
    )


def _describe_failure(suite_name: str, result: object) -> str:
    config = result.expectation_config  # type: ignore[attr-defined]
    arguments = {
        key: value
        for key, value in config.kwargs.items()
        if key not in {"batch_id", "result_format"}
    }
    where = ", ".join(f"{key}={value}" for key, value in arguments.items())
    details = result.result or {}  # type: ignore[attr-defined]
    exception = (result.exception_info or {}).get("exception_message")  # type: ignore[attr-defined]
    if exception:
        return f"{suite_name}: {config.type}({where}) could not run: {exception}"
    count = details.get("unexpected_count")
    if count is None:
        return f"{suite_name}: {config.type}({where}) failed"
    examples = details.get("partial_unexpected_list", [])[:3]
    return f"{suite_name}: {config.type}({where}) failed on {count} rows, e.g. {examples}"


def _validate(
    context: gx.data_context.AbstractDataContext,
    suite: gx.ExpectationSuite,
    frame: pd.DataFrame,
) -> list[str]:
    frame = _with_derived(frame)
    missing = _missing_columns(suite, frame)
    if missing:
        # GX would report each expectation on a missing column as an exception;
        # one clear line is more useful to whoever reads the failed check.
        return [f"{suite.name}: missing columns {missing}"]
    batch = (
        context.data_sources.add_pandas(f"{suite.name}_source")
        .add_dataframe_asset(suite.name)
        .add_batch_definition_whole_dataframe("whole_frame")
    )
    definition = gx.ValidationDefinition(
        name=suite.name, data=batch, suite=context.suites.add(suite)
    )
    definition = context.validation_definitions.add(definition)
    # Pass or fail first (BOOLEAN_ONLY: the same metrics decide success, without the
    # unexpected-value lists; about half of GX's CPU, docs/performance.md), and only on
    # a failure again with the counts and examples that _describe_failure reports.
    if definition.run(batch_parameters={"dataframe": frame}, result_format="BOOLEAN_ONLY").success:
        return []
    result = definition.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
    return [
        _describe_failure(suite.name, outcome) for outcome in result.results if not outcome.success
    ]


def _interval_matches(rate: str) -> str:
    return f"{rate}_interval_matches_rate"


def _with_derived(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` plus the derived columns whose inputs it has (the rest are reported
    missing through their inputs)."""
    derived = {
        name: compute(frame)
        for name, (inputs, compute) in DERIVED_COUNTS.items()
        if set(inputs) <= set(frame.columns)
    }
    for rate in RATES:
        columns = [rate, f"{rate}_ci_low", f"{rate}_ci_high"]
        if set(columns) <= set(frame.columns):
            nulls = frame[columns].isna()
            derived[_interval_matches(rate)] = nulls.all(axis=1) | ~nulls.any(axis=1)
    return frame.assign(**derived)


def _missing_columns(suite: gx.ExpectationSuite, frame: pd.DataFrame) -> list[str]:
    needed: set[str] = set()
    for expectation in suite.expectations:
        kwargs = expectation.configuration.kwargs
        needed.update(
            value
            for key in ("column", "column_A", "column_B")
            if isinstance(value := kwargs.get(key), str)
        )
        needed.update(kwargs.get("column_list") or [])
    derived = set(DERIVED_COUNTS) | {_interval_matches(rate) for rate in RATES}
    return sorted(needed - set(frame.columns) - derived)


def validate_resolution_marts(daily: pd.DataFrame, by_dimension: pd.DataFrame) -> MartValidation:
    """Validate mart_resolution_daily and mart_resolution_by_dimension frames."""
    # GX logs and draws a progress bar for every metric; a check run needs neither.
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    failures = _validate(context, resolution_daily_suite(), daily)
    failures += _validate(context, resolution_by_dimension_suite(), by_dimension)
    return MartValidation(success=not failures, failures=failures)
