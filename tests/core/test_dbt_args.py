import json
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.config import DEFAULT_MEMORY_BUDGET_MB, duckdb_limits
from pipelines.dbt_args import (
    NIGHTLY_EXCLUDES,
    PARTIAL_PARSE,
    dbt_build_args,
    dbt_window,
    oldest_provisional_day,
    run_target_dir,
    save_parse_state,
)
from pipelines.warehouse.io import write_dbt_window
from pipelines.warehouse.tables import DBT_RUN_WINDOW
from schemas.metrics import finality_lag_days


def test_window_reaches_back_over_the_recontact_days_and_one_dst_day() -> None:
    days = [date(2026, 1, 10), date(2026, 1, 11), date(2026, 1, 12)]
    assert dbt_window(days, recontact_days=7) == (date(2026, 1, 2), date(2026, 1, 12))


def test_window_covers_a_recontact_stretched_by_spring_forward() -> None:
    # 23:30 on Mar 1 in New York + 7 x 24 h = 00:30 on Mar 9 local (DST began Mar 8):
    # a recontact then lands on a day 8 local days later, so loading Mar 9 must rebuild
    # Mar 1's conversation.
    started = datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    window_end = (started.astimezone(ZoneInfo("UTC")) + timedelta(hours=24 * 7)).astimezone(
        started.tzinfo
    )
    last_recontact_day = (window_end - timedelta(minutes=1)).date()
    assert last_recontact_day == date(2026, 3, 9)
    min_date, _ = dbt_window([last_recontact_day], recontact_days=7)
    assert min_date <= started.date()
    # ... and the day is not final before that stretched day's late files are loaded
    assert started.date() + timedelta(days=finality_lag_days(7, 0)) > last_recontact_day


def test_window_widens_back_to_the_oldest_provisional_day() -> None:
    # single-day runs for 03-01, then 03-13: 03-01 is outside 03-13's trailing window
    # but turns final in that run, so the run must rebuild it
    assert dbt_window([date(2026, 3, 13)], 7, date(2026, 3, 1)) == (
        date(2026, 3, 1),
        date(2026, 3, 13),
    )
    # a provisional day inside the trailing window changes nothing
    assert dbt_window([date(2026, 3, 13)], 7, date(2026, 3, 10))[0] == date(2026, 3, 5)


def test_finality_lag_adds_the_dst_day_the_landing_lookback_and_a_partial_today() -> None:
    assert finality_lag_days(recontact_days=7, landing_lookback_days=3) == 12
    assert finality_lag_days(recontact_days=7, landing_lookback_days=0) == 9


def test_build_args_pass_the_window_and_settings_as_vars() -> None:
    args = dbt_build_args(
        [date(2026, 3, 1)], recontact_days=7, min_n=50, landing_lookback_days=2, judge="learned"
    )
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {
        "min_date": "2026-02-21",
        "max_date": "2026-03-01",
        "recontact_days": 7,
        "min_n": 50,
        "landing_lookback_days": 2,
        "judge": "learned",
        "duckdb_settings": duckdb_limits(DEFAULT_MEMORY_BUDGET_MB).settings,
    }
    widened = dbt_build_args([date(2026, 3, 1)], 7, 50, 2, oldest_provisional_day=date(2026, 2, 1))
    assert json.loads(widened[2])["min_date"] == "2026-02-01"


def test_with_the_window_in_the_warehouse_every_runs_vars_are_the_same() -> None:
    """dbt re-parses the whole project when --vars change: with the window read from
    main.dbt_run_window, nightly runs of one home pass identical arguments."""
    nights = [
        dbt_build_args(
            [date(2026, 3, day)], 7, 50, 2, oldest, Path("/h/w.duckdb"), window_in_warehouse=True
        )
        for day, oldest in [(1, None), (2, date(2026, 2, 20)), (9, None)]
    ]
    assert nights[0] == nights[1] == nights[2]
    variables = json.loads(nights[0][2])
    assert variables["window_from_warehouse"] is True
    assert "min_date" not in variables and "max_date" not in variables


def test_the_window_table_holds_the_window_the_vars_would_carry() -> None:
    days = [date(2026, 3, 1), date(2026, 3, 2)]
    window = dbt_window(days, 7, date(2026, 2, 10))
    with duckdb.connect() as con:
        write_dbt_window(con, *window)
        write_dbt_window(con, *window)  # replaced, never appended
        assert con.execute(f"select * from {DBT_RUN_WINDOW.name}").fetchall() == [window]
    variables = json.loads(dbt_build_args(days, 7, 50, 2, date(2026, 2, 10))[2])
    assert (variables["min_date"], variables["max_date"]) == tuple(d.isoformat() for d in window)


def test_a_runs_parse_state_seeds_the_next_run_of_the_home(tmp_path: Path) -> None:
    runs = tmp_path / "dbt"
    first = run_target_dir(runs, "run-1")
    (first / PARTIAL_PARSE).write_bytes(b"state of run 1")
    save_parse_state(runs, first)
    second = run_target_dir(runs, "run-2")
    assert (second / PARTIAL_PARSE).read_bytes() == b"state of run 1"
    assert os.stat(runs / PARTIAL_PARSE).st_mode & 0o077 == 0
    for n in range(3, 7):  # pruning old run folders keeps the saved state
        run_target_dir(runs, f"run-{n}")
    assert (runs / PARTIAL_PARSE).exists()


def test_the_spark_engine_builds_on_the_spark_target_with_its_folder() -> None:
    args = dbt_build_args([date(2026, 3, 1)], 7, 50, 2, spark_dir=Path("/home/x/spark"))
    assert args[0] == "build"
    assert args[3:5] == ["--target", "spark"]
    assert tuple(args[5:]) == NIGHTLY_EXCLUDES  # unit tests: not in the nightly build
    assert json.loads(args[2])["spark_dir"] == "/home/x/spark"
    assert "--target" not in dbt_build_args([date(2026, 3, 1)], 7, 50, 2)


def test_empty_window_is_refused() -> None:
    with pytest.raises(ValueError):
        dbt_window([], recontact_days=7)


def test_oldest_provisional_day_reads_the_fact_table() -> None:
    with duckdb.connect() as con:
        assert oldest_provisional_day(con) is None  # first run: nothing built yet
        con.execute(
            "create table fct_conversations as select * from (values "
            "(date '2026-03-01', true), (date '2026-03-02', false), (date '2026-03-03', false)"
            ") as t(conversation_date, is_final)"
        )
        assert oldest_provisional_day(con) == date(2026, 3, 2)
        con.execute("update fct_conversations set is_final = true")
        assert oldest_provisional_day(con) is None


# --- The rebuild window and is_final, proved on a day-level model of the pipeline ---
#
# Conversations land in the landing folder of their own day or up to
# landing_lookback_days later (later ones are quarantined by ingest). Every day T may
# have an intraday refresh, which loads day T from what has landed so far, and has a
# nightly run at the start of T + 1, which loads T - lookback .. T from everything
# landed (pipelines/defs/schedules.py). Each run rebuilds only dbt_window's days, as
# the incremental marts do. A day's recontact flags depend on the conversations of
# the days D .. D + recontact_days + 1 (the +1: a spring-forward night).


HORIZON = 20  # days simulated


@dataclass(frozen=True)
class Arrival:
    day: int  # conversation_date, as a day number
    delay: int  # landing folder day - conversation day
    before_refresh: bool  # landed before that folder day's intraday refresh


def _signature(loaded: dict[int, frozenset], day: int, recontact_days: int) -> tuple:
    """Everything a day's recontact flags can depend on."""
    return tuple(loaded.get(d, frozenset()) for d in range(day, day + recontact_days + 2))


def _truth(loaded: dict[int, frozenset], recontact_days: int, lag: int) -> dict[int, tuple]:
    """A full refresh: (recontact signature, is_final) of every day with conversations."""
    last_loaded = max((d for d, rows in loaded.items() if rows), default=None)
    return {
        day: (_signature(loaded, day, recontact_days), last_loaded >= day + lag)
        for day, rows in loaded.items()
        if rows
    }


@settings(max_examples=300, deadline=None)
@given(
    # small ranges, so the few-step sequences that break finality are found quickly
    recontact_days=st.integers(1, 4),
    lookback=st.integers(0, 2),
    arrivals=st.lists(
        st.builds(
            Arrival, day=st.integers(0, 12), delay=st.integers(0, 2), before_refresh=st.booleans()
        ),
        max_size=20,
    ),
    refresh_days=st.sets(st.integers(0, HORIZON)),
    skipped_nightlies=st.sets(st.integers(0, HORIZON), max_size=3),
)
def test_rebuild_window_matches_a_full_refresh_and_final_days_never_change(
    recontact_days: int,
    lookback: int,
    arrivals: list[Arrival],
    refresh_days: set[int],
    skipped_nightlies: set[int],
) -> None:
    base = date(2026, 1, 1)
    lag = finality_lag_days(recontact_days, lookback)
    landed = [
        (index, a) for index, a in enumerate(arrivals) if a.delay <= lookback
    ]  # later ones are quarantined, never loaded
    loaded: dict[int, frozenset] = {}
    marts: dict[int, tuple] = {}  # what the incremental marts hold
    settled: dict[int, tuple] = {}  # signature of each day when it was first marked final

    def run(days: list[int], visible: list[tuple[int, Arrival]]) -> None:
        for day in days:
            loaded[day] = frozenset(i for i, a in visible if a.day == day)
        provisional = [d for d, (_, final) in marts.items() if not final]
        first, last = dbt_window(
            [base + timedelta(days=d) for d in days],
            recontact_days,
            base + timedelta(days=min(provisional)) if provisional else None,
        )
        truth = _truth(loaded, recontact_days, lag)
        for day in range((first - base).days, (last - base).days + 1):
            marts.pop(day, None)
            if day in truth:
                marts[day] = truth[day]
        # the incremental marts equal a full refresh (nothing left stale outside the window)
        assert marts == truth
        for day, (signature, final) in marts.items():
            if day in settled:
                assert final and signature == settled[day], f"final day {day} changed"
            elif final:
                settled[day] = signature

    for today in range(HORIZON + 1):
        if today in refresh_days:
            run(
                [today],
                [
                    (i, a)
                    for i, a in landed
                    if a.day + a.delay < today or (a.day + a.delay == today and a.before_refresh)
                ],
            )
        if today not in skipped_nightlies:
            run(
                [d for d in range(today - lookback, today + 1) if d >= 0],
                [(i, a) for i, a in landed if a.day + a.delay <= today],
            )


def test_the_spark_engine_reads_the_window_from_the_warehouse_as_duckdb_does() -> None:
    days = [date(2026, 3, 1)]
    spark, duck = (
        json.loads(dbt_build_args(days, 7, 50, 2, spark_dir=folder, window_in_warehouse=True)[2])
        for folder in (Path("/home/x/spark"), None)
    )
    assert spark.pop("spark_dir") == "/home/x/spark"
    # DuckDB's memory_limit and threads are the DuckDB target's only (tests/core/
    # test_duckdb_budget.py); the window's vars are the same
    assert duck.pop("duckdb_settings")
    assert spark == duck
    assert spark["window_from_warehouse"] is True
    assert not {"min_date", "max_date"} & spark.keys()
