"""is_final on the reviewer's sequences, through the arguments the pipeline passes to dbt.

A day marked final must never change again, even when a recontact arrives in a late
file; and a day must turn final even when no run's trailing window reaches it any more.
Only fct_conversations (and the views under it) is built: is_final is decided there,
and the marts' cells are bool_and of it (tests/dbt/test_dbt_marts.py).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from tests.dbt.helpers import (
    ANSWER,
    ASK,
    Conversation,
    DbtProject,
    at,
    build_nightly,
    create_warehouse,
    load_days,
)

RECONTACT_DAYS, LOOKBACK = 7, 3
MAR = [date(2026, 3, day) for day in range(1, 32)]


def day(n: int) -> date:
    return MAR[n - 1]


def resolved(conversation_id: str, customer: str, started: date, hour: int) -> Conversation:
    return Conversation(conversation_id, customer, at(started, hour), [ASK, ANSWER])


# L1 on 03-01; L2, the same customer's comeback on 03-08, lands late (folder 03-09)
L1 = resolved("L1", "k_L", day(1), 20)
M1 = resolved("M1", "k_M", day(8), 9)
L2 = resolved("L2", "k_L", day(8), 19)
FILLERS = [resolved(f"F{n}", f"k_F{n}", day(n), 12) for n in (10, 11, 12, 13, 25)]


def nightly(
    project: DbtProject, first: date, last: date, visible: list[Conversation]
) -> pd.DataFrame:
    """Load days first..last with the conversations landed so far, then build as the
    dbt asset does; returns fct_conversations by conversation_id."""
    load_days(project.warehouse, visible, first, last)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    build_nightly(project, days, RECONTACT_DAYS, LOOKBACK)
    return project.query("select * from fct_conversations").set_index("conversation_id")


@pytest.fixture(scope="module")
def runs(dbt_project: DbtProject) -> list[pd.DataFrame]:
    create_warehouse(dbt_project.warehouse)
    landed: list[Conversation] = []
    snapshots = []
    for first, last, arriving in [
        (date(2026, 2, 26), day(1), [L1]),
        (day(5), day(8), [M1]),  # M1 landed; L2 not yet
        (day(6), day(9), [L2]),  # the late file with L2, in landing/dt=2026-03-09
        (day(10), day(13), FILLERS[:4]),
        # a single-day run 12 days later: its trailing window (03-17..) misses
        # 03-08..03-13, which turn final only because the build reaches back to them
        (day(25), day(25), FILLERS[4:]),
    ]:
        landed += arriving
        snapshots.append(nightly(dbt_project, first, last, landed))
    return snapshots


def test_a_day_is_not_final_while_a_late_recontact_can_still_land(runs: list[pd.DataFrame]) -> None:
    after_m1, after_late_l2 = runs[1], runs[2]
    # 03-08 is loaded, but files for it can land until 03-11: 03-01 stays provisional
    assert bool(after_m1.loc["L1", "durable_resolved"])
    assert not bool(after_m1.loc["L1", "is_final"])
    assert not bool(after_late_l2.loc["L1", "durable_resolved"])
    assert not bool(after_late_l2.loc["L1", "is_final"])


def test_final_days_never_change_afterwards(runs: list[pd.DataFrame]) -> None:
    settled: dict[str, tuple] = {}
    for snapshot in runs:
        for conversation_id, row in snapshot.iterrows():
            flags = (bool(row["recontacted"]), bool(row["durable_resolved"]))
            if conversation_id in settled:
                assert bool(row["is_final"]) and flags == settled[conversation_id]
            elif row["is_final"]:
                settled[conversation_id] = flags
    assert settled["L1"] == (True, False)


def test_finality_comes_exactly_twelve_days_later(runs: list[pd.DataFrame]) -> None:
    after_fillers = runs[3]  # last loaded day 03-13 = 03-01 + 7 + 1 + 3 + 1
    assert bool(after_fillers.loc["L1", "is_final"])
    assert not bool(after_fillers.loc["M1", "is_final"])


def test_a_day_outside_the_trailing_window_still_turns_final(runs: list[pd.DataFrame]) -> None:
    last = runs[4]
    assert last.drop(index="F25")["is_final"].all()
    assert not bool(last.loc["F25", "is_final"])


def test_the_nightly_sequence_equals_a_full_refresh(
    dbt_project: DbtProject, runs: list[pd.DataFrame]
) -> None:
    """The windows above skip days and leave others untouched; rebuilding everything
    from the same loaded data gives the same rows, intermediates included (they are
    incremental by window too, the event facts by changed day; int_conversation_outcomes
    is a view of the window, stored as fct_conversations)."""
    tables = (
        "main.fct_conversations",
        "intermediate.int_customer_recontacts",
        "intermediate.int_conversation_event_facts",
    )

    def snapshot() -> dict[str, pd.DataFrame]:
        return {
            table: dbt_project.query(f"select * from {table} order by conversation_id")
            for table in tables
        }

    nightly = snapshot()
    assert len(nightly["main.fct_conversations"]) == len(runs[-1]) == 8
    dbt_project.run("run", "--select", "+fct_conversations", "--full-refresh")
    rebuilt = snapshot()
    for table in tables:
        pd.testing.assert_frame_equal(nightly[table], rebuilt[table], obj=table)
