"""Build the dbt project on a hand-made warehouse and check the marts by hand.

Three dbt invocations, shared by every test in the module (dbt takes seconds each):
1. data through 2025-03-10 loaded, plain `dbt build` (all data and unit tests run);
2. days 03-11..03-16 loaded and day 03-06 re-delivered empty, `dbt build` with the
   arguments the pipeline passes (pipelines.dbt_args: incremental delete+insert back
   to the oldest provisional day);
3. `dbt run --full-refresh`, which must reproduce step 2 exactly.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from pipelines.dbt_args import dbt_build_args, oldest_provisional_day
from schemas.marts import validate_resolution_marts
from tests.dbt.helpers import (
    DAY2,
    DbtProject,
    all_conversations,
    create_warehouse,
    load_days,
    load_judgements,
)

MARTS = (
    "fct_conversations",
    "mart_resolution_daily",
    "mart_resolution_by_dimension",
    "mart_resolution_weekly",
    "mart_resolution_monthly",
    "mart_handoffs",
    "mart_csat",
)
SORT_KEYS = {
    "fct_conversations": ["conversation_id"],
    "mart_resolution_daily": ["conversation_date"],
    "mart_resolution_by_dimension": ["conversation_date", "dimension", "slice"],
    "mart_resolution_weekly": ["period_start"],
    "mart_resolution_monthly": ["period_start"],
    "mart_handoffs": ["conversation_date", "intent", "handoff_reason"],
    "mart_csat": ["conversation_date", "intent", "handling"],
}
# rate -> (numerator, denominator), as in macros/resolution_metrics.sql
RATES = {
    "resolution_rate": ("durable_resolved", "bot_involved"),
    "verified_resolution_rate": ("verified_resolved", "bot_involved"),
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
COUNTS = sorted(
    {column for pair in RATES.values() for column in pair} | {"abandoned", "handed_off"}
)
# re-delivered empty in the second run: its rows must disappear from every mart
EMPTIED_DAY = date(2025, 3, 6)
# Verdicts of the judge in force (signals) and of another judge, on DAY2's durable
# resolutions d2_confirmed and f005 and on d2_negative, which is not durable.
JUDGEMENTS = [
    ("d2_confirmed", "signals", "resolved"),
    ("f005", "signals", "unresolved"),
    ("f005", "learned", "resolved"),
    ("d2_negative", "signals", "resolved"),
]
ANALYST_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "analyst-guide.md"


@dataclass
class Runs:
    project: DbtProject
    first_daily: pd.DataFrame
    incremental: dict[str, pd.DataFrame]
    full_refresh: dict[str, pd.DataFrame]
    # the plain build's unit-test results (unique_id -> status) and the build's manifest
    plain_unit_tests: dict[str, str]
    manifest_unit_tests: set[str]
    nightly_unit_tests: int


def snapshot(project: DbtProject) -> dict[str, pd.DataFrame]:
    return {
        mart: project.query(f"select * from {mart}")
        .sort_values(SORT_KEYS[mart])
        .reset_index(drop=True)
        for mart in MARTS
    }


@pytest.fixture(scope="module")
def runs(dbt_project: DbtProject) -> Runs:
    conversations = all_conversations()
    create_warehouse(dbt_project.warehouse)
    load_days(dbt_project.warehouse, conversations, date(2025, 3, 3), date(2025, 3, 10))
    load_judgements(dbt_project.warehouse, JUDGEMENTS)
    dbt_project.run("build")
    first_daily = dbt_project.query("select * from mart_resolution_daily")
    target = dbt_project.tmp / "target"
    plain_unit_tests = _unit_test_results(target)
    manifest = json.loads((target / "manifest.json").read_text())

    new_days = [date(2025, 3, day) for day in range(11, 17)]
    load_days(dbt_project.warehouse, conversations, new_days[0], new_days[-1])
    load_days(dbt_project.warehouse, [], EMPTIED_DAY, EMPTIED_DAY)
    with duckdb.connect(str(dbt_project.warehouse)) as con:
        provisional_since = oldest_provisional_day(con)
    assert provisional_since == date(2025, 3, 3)  # nothing was final after step 1
    dbt_project.run(
        *dbt_build_args(
            new_days, 7, 30, landing_lookback_days=3, oldest_provisional_day=provisional_since
        )
    )
    incremental = snapshot(dbt_project)
    nightly_unit_tests = len(_unit_test_results(target))

    dbt_project.run("run", "--full-refresh")
    return Runs(
        dbt_project,
        first_daily,
        incremental,
        snapshot(dbt_project),
        plain_unit_tests,
        set(manifest.get("unit_tests", {})),
        nightly_unit_tests,
    )


def _unit_test_results(target: Path) -> dict[str, str]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")}


def test_a_plain_build_runs_every_unit_test_and_the_nightly_build_none(runs: Runs) -> None:
    # The nightly build leaves dbt's unit tests out (pipelines.dbt_args.NIGHTLY_EXCLUDES):
    # they test the SQL on fixtures, so this plain build is where they must all run.
    assert runs.manifest_unit_tests
    assert set(runs.plain_unit_tests) == runs.manifest_unit_tests
    assert set(runs.plain_unit_tests.values()) == {"pass"}
    assert runs.nightly_unit_tests == 0


def day_row(frame: pd.DataFrame, day: date) -> pd.Series:
    rows = frame[pd.to_datetime(frame["conversation_date"]).dt.date == day]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_day2_ladder_counts(runs: Runs) -> None:
    row = day_row(runs.full_refresh["mart_resolution_daily"], DAY2)
    counts = {column: int(row[column]) for column in [*COUNTS, "confirmed_resolved"]}
    # designed conversations + filler f003 (negative feedback), f004 (bot greeting
    # only: abandoned), f005 (positive feedback)
    assert counts == {
        "conversations": 7 + 3,
        "bot_involved": 5 + 3,
        "contained": 4 + 3,
        "abandoned": 1 + 1,
        "assumed_resolved": 2 + 1,
        "confirmed_resolved": 1 + 1,
        "durable_resolved": 1 + 1,
        # durable and judged resolved by the judge in force: d2_confirmed only
        "verified_resolved": 1 + 0,
        "bot_handed_off": 1 + 0,
        "bot_recontacted": 2 + 0,
        "handed_off": 2 + 0,
        # d2_handoff only: d2_human (no bot) is handed off but not in human_fcr
        "bot_handoffs_answered": 1 + 0,
        "bot_handoffs_answered_not_recontacted": 0 + 0,
        "rated": 2 + 1,
        "csat_top2": 1 + 0,
    }


def test_day2_statistics_and_headline_aliases(runs: Runs) -> None:
    row = day_row(runs.full_refresh["mart_resolution_daily"], DAY2)
    # one bot handoff (d2_handoff) at seq 2, events 10 s apart, after one bot message
    assert row["median_seconds_to_handoff"] == 20
    assert row["avg_bot_turns_before_handoff"] == 1
    # messages: designed 2+2+2+3+2+0+2, filler 2+1+2
    assert row["messages_per_conversation"] == pytest.approx((13 + 5) / 10)
    # rated: d2_handoff 2, d2_human 5, f003 1
    assert row["csat_mean"] == pytest.approx((2 + 5 + 1) / 3)
    assert row["resolution_rate"] == pytest.approx(2 / 8)
    assert row["resolved"] == row["durable_resolved"]
    assert (row["ci_low"], row["ci_high"]) == (
        row["resolution_rate_ci_low"],
        row["resolution_rate_ci_high"],
    )
    assert bool(row["is_final"]) and bool(row["below_min_n"])


def test_recontact_was_provisional_before_the_comeback_was_loaded(runs: Runs) -> None:
    before = day_row(runs.first_daily, DAY2)
    after = day_row(runs.full_refresh["mart_resolution_daily"], DAY2)
    assert not bool(before["is_final"])
    assert int(before["durable_resolved"]) == int(after["durable_resolved"]) + 1


def test_rates_and_wilson_intervals_match_statsmodels(runs: Runs) -> None:
    daily = runs.full_refresh["mart_resolution_daily"]
    for rate, (numerator, denominator) in RATES.items():
        for _, row in daily.iterrows():
            n, successes = int(row[denominator]), int(row[numerator])
            if n == 0:
                assert pd.isna(row[rate]) and pd.isna(row[f"{rate}_ci_low"])
                continue
            low, high = proportion_confint(successes, n, alpha=0.05, method="wilson")
            assert row[rate] == pytest.approx(successes / n)
            assert row[f"{rate}_ci_low"] == pytest.approx(low, abs=1e-12)
            assert row[f"{rate}_ci_high"] == pytest.approx(high, abs=1e-12)


def test_conversation_level_flags(runs: Runs) -> None:
    fct = runs.full_refresh["fct_conversations"].set_index("conversation_id")
    handoff = fct.loc["d2_handoff"]
    assert handoff["handoff_reason"] == "bot_fallback"
    assert handoff["seconds_to_handoff"] == 20
    assert bool(handoff["recontacted"]) and handoff["next_channel"] == "email"
    assert fct.loc["d2_recontacted", "next_conversation_id"] == "back_late"
    assert fct.loc["back_late", "customer_type"] == "returning"
    assert fct.loc["d2_confirmed", "customer_type"] == "new"
    assert fct.loc["d2_human", "handoff_reason"] == "unspecified"
    assert not bool(fct.loc["d2_system", "bot_involved"])
    # last loaded day is 03-16, 12 days (finality_lag_days) after 03-04: final through
    # 03-04, provisional after; 03-06 is empty
    final_by_day = fct.groupby(pd.to_datetime(fct["conversation_date"]).dt.day)["is_final"].all()
    assert final_by_day.to_dict() == {day: day <= 4 for day in range(3, 17) if day != 6}


def test_verified_rung_reads_the_judge_in_force(runs: Runs) -> None:
    fct = runs.full_refresh["fct_conversations"].set_index("conversation_id")
    assert fct["verified_resolved"].sum() == 1 and bool(
        fct.loc["d2_confirmed", "verified_resolved"]
    )
    # f005: durable, but the judge in force said unresolved (another judge's yes is ignored)
    assert bool(fct.loc["f005", "durable_resolved"]) and not bool(
        fct.loc["f005", "verified_resolved"]
    )
    assert fct.loc["f005", "judge_verdict"] == "unresolved"
    assert pd.isna(fct.loc["f003", "judge_verdict"])  # not judged: no verdict, not verified
    assert (fct["verified_resolved"] <= fct["durable_resolved"]).all()
    for period in ("weekly", "monthly"):
        assert runs.full_refresh[f"mart_resolution_{period}"]["verified_resolved"].sum() == 1


def test_incremental_window_equals_full_refresh(runs: Runs) -> None:
    for mart in MARTS:
        pd.testing.assert_frame_equal(runs.incremental[mart], runs.full_refresh[mart], obj=mart)
    # the emptied day was in the first build and is gone after the incremental one
    assert EMPTIED_DAY in set(pd.to_datetime(runs.first_daily["conversation_date"]).dt.date)
    daily_days = pd.to_datetime(runs.incremental["mart_resolution_daily"]["conversation_date"])
    assert EMPTIED_DAY not in set(daily_days.dt.date)


def test_dimension_slices_add_up_to_the_day(runs: Runs) -> None:
    daily = runs.full_refresh["mart_resolution_daily"].set_index("conversation_date")
    by_dimension = runs.full_refresh["mart_resolution_by_dimension"]
    totals = by_dimension.groupby(["conversation_date", "dimension"])[COUNTS].sum()
    assert set(totals.index.get_level_values("dimension")) == {
        "channel",
        "locale",
        "market",
        "intent",
        "bot_version",
        "customer_type",
        "intent_x_bot_version",
    }
    for (day, _dimension), sums in totals.iterrows():
        assert sums.astype(int).to_dict() == daily.loc[day, COUNTS].astype(int).to_dict()
    assert "refund / v1" in set(by_dimension["slice"])
    assert by_dimension["below_min_n"].all()  # every test slice is far below 30


def period_start(day: date, period: str) -> date:
    return day - timedelta(days=day.weekday()) if period == "weekly" else day.replace(day=1)


@pytest.mark.parametrize("period", ["weekly", "monthly"])
def test_rollups_are_recomputed_from_counts(runs: Runs, period: str) -> None:
    daily = runs.full_refresh["mart_resolution_daily"]
    days = pd.to_datetime(daily["conversation_date"]).dt.date
    expected = daily.groupby(days.map(lambda day: period_start(day, period)))[COUNTS].sum()
    rollup = runs.full_refresh[f"mart_resolution_{period}"]
    rollup = rollup.set_index(pd.to_datetime(rollup["period_start"]).dt.date)
    assert sorted(rollup.index) == sorted(expected.index)
    for start, sums in expected.iterrows():
        row = rollup.loc[start]
        assert row[COUNTS].astype(int).to_dict() == sums.astype(int).to_dict()
        # the rate of the summed counts, not the mean of the daily rates
        assert row["resolution_rate"] == pytest.approx(
            sums["durable_resolved"] / sums["bot_involved"]
        )


def test_handoff_and_csat_marts(runs: Runs) -> None:
    handoffs = runs.full_refresh["mart_handoffs"]
    day2 = handoffs[pd.to_datetime(handoffs["conversation_date"]).dt.date == DAY2]
    refund = day2[(day2["intent"] == "refund")].set_index("handoff_reason")
    # d2_handoff: refund, bot_fallback, customer came back the next day
    assert refund.loc["bot_fallback", "handoffs"] == 1
    assert refund.loc["bot_fallback", "human_fcr"] == 0
    csat = runs.full_refresh["mart_csat"]
    cells = csat[pd.to_datetime(csat["conversation_date"]).dt.date == DAY2]
    human = cells[cells["handling"] == "human"].iloc[0]
    assert (int(human["rated"]), int(human["score_5"]), human["csat_top2_rate"]) == (1, 1, 1.0)
    assert set(cells["handling"]) == {"bot", "bot_then_human", "human", "none"}


def test_human_fcr_means_the_same_in_the_handoff_and_resolution_marts(runs: Runs) -> None:
    handoffs = runs.full_refresh["mart_handoffs"]
    per_day = handoffs.groupby("conversation_date")[
        ["handoffs", "handoffs_answered", "handoffs_answered_not_recontacted"]
    ].sum()
    daily = runs.full_refresh["mart_resolution_daily"].set_index("conversation_date")
    daily = daily[daily["bot_handed_off"] > 0]
    assert per_day["handoffs"].to_dict() == daily["bot_handed_off"].to_dict()
    assert per_day["handoffs_answered"].to_dict() == daily["bot_handoffs_answered"].to_dict()
    assert (
        per_day["handoffs_answered_not_recontacted"].to_dict()
        == daily["bot_handoffs_answered_not_recontacted"].to_dict()
    )


def test_each_small_sample_flag_follows_its_own_denominator(
    dbt_project: DbtProject, runs: Runs
) -> None:
    # min_n 2 splits the test cells; the default 30 flags every one of them
    dbt_project.run("run", "--select", "mart_resolution_by_dimension", "--vars", "{min_n: 2}")
    cells = dbt_project.query("select * from mart_resolution_by_dimension")
    for flag, denominator in [
        ("below_min_n", "bot_involved"),
        ("csat_below_min_n", "rated"),
        ("human_fcr_below_min_n", "bot_handoffs_answered"),
    ]:
        assert cells[flag].tolist() == (cells[denominator] < 2).tolist(), flag
    # large enough for the ladder, too small for CSAT: the reviewer's case
    assert (~cells["below_min_n"] & cells["csat_below_min_n"]).any()


def analyst_queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", ANALYST_GUIDE.read_text(), flags=re.DOTALL)


def test_analyst_guide_queries_run(runs: Runs) -> None:
    queries = analyst_queries()
    assert len(queries) >= 10
    with duckdb.connect(str(runs.project.warehouse)) as con:
        for query in queries:
            con.execute(query).fetchall()


def test_gx_suites_pass_on_built_marts(runs: Runs) -> None:
    result = validate_resolution_marts(
        runs.full_refresh["mart_resolution_daily"],
        runs.full_refresh["mart_resolution_by_dimension"],
    )
    assert result.success, result.failures


def analyst_python_snippets() -> list[str]:
    return re.findall(r"```python\n(.*?)```", ANALYST_GUIDE.read_text(), flags=re.DOTALL)


def run_analyst_python_snippets(warehouse: Path) -> None:
    """Execute the guide's Python blocks with the guide's path replaced by ``warehouse``."""
    snippets = analyst_python_snippets()
    assert snippets, "the analyst guide shows how to query from Python"
    for snippet in snippets:
        assert "data/warehouse/analytics.duckdb" in snippet
        exec(snippet.replace("data/warehouse/analytics.duckdb", str(warehouse)), {})


def test_analyst_guide_python_runs(runs: Runs, tmp_path: Path) -> None:
    # The guide opens the file read-only, which DuckDB refuses next to this process's
    # read-write handle: run it on a checkpointed copy, as analysts get the snapshot.
    with duckdb.connect(str(runs.project.warehouse)) as con:
        con.execute("checkpoint")
    snapshot_copy = tmp_path / "analytics.duckdb"
    shutil.copyfile(runs.project.warehouse, snapshot_copy)
    run_analyst_python_snippets(snapshot_copy)


def test_counts_are_bigint_and_periods_are_dates(runs: Runs) -> None:
    with duckdb.connect(str(runs.project.warehouse)) as con:
        columns = con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'main' and (table_name like 'mart_%' or table_name like 'fct_%')"
        ).fetchall()
    assert {table for table, _, _ in columns} >= set(MARTS)
    integers = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT", "UHUGEINT"}
    for table, column, data_type in columns:
        if column.endswith("_date") or column in ("period_start", "date"):
            assert data_type == "DATE", (table, column, data_type)
        if data_type in integers and (table, column) != ("fct_conversations", "csat_score"):
            assert data_type == "BIGINT", (table, column, data_type)  # a count
