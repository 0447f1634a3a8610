"""int_customer_recontacts rebuilds changed customers, not whole windows.

On DuckDB a run rebuilds, inside its window, the conversations whose inputs changed and
every conversation of their customers, before and after the change
(macros/recontact_changes.sql). These tests check that what it keeps is what a full
rebuild makes: random nights with late, removed, moved and re-keyed conversations
against a full refresh, and two planted rows that show what is rebuilt and what is not.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest

from tests.dbt.helpers import (
    ANSWER,
    ASK,
    Conversation,
    DbtProject,
    assert_equal_to_full_refresh,
    at,
    build_nightly,
    create_warehouse,
    load_days,
)

START = date(2026, 4, 1)


def day(n: int) -> date:
    return START + timedelta(days=n)


def random_day(rng: random.Random, n: int, customers: list[str | None]) -> list[Conversation]:
    return [
        Conversation(
            f"c{n:02d}-{i}",
            rng.choice(customers),
            at(day(n), rng.randint(0, 23), rng.choice((0, 30))),
            [ASK, ANSWER],
            channel=rng.choice(("web", "ios")),
            intent=rng.choice(("billing", "refund")),
        )
        for i in range(rng.randint(1, 4))
    ]


def redeliver(
    rng: random.Random,
    landed: dict[str, Conversation],
    first: date,
    last: date,
    customers: list[str | None],
) -> str:
    """Change one landed conversation of days first..last as a re-delivered file would:
    removed, re-keyed to another customer, moved in time (across days too) or to
    another channel. Returns what was done, for the failure message."""
    ids = sorted(cid for cid, c in landed.items() if first <= c.started_at.date() <= last)
    if not ids:
        return "nothing to change"
    cid = rng.choice(ids)
    kind = rng.choice(("remove", "rekey", "move", "channel"))
    if kind == "remove":
        del landed[cid]
    elif kind == "rekey":
        landed[cid] = replace(landed[cid], customer_key=rng.choice(customers))
    elif kind == "move":
        moved = landed[cid].started_at + timedelta(hours=rng.choice((-30, -5, 7, 20)))
        if first <= moved.date() <= last:
            landed[cid] = replace(landed[cid], started_at=moved)
    else:
        landed[cid] = replace(landed[cid], channel="email")
    return f"{kind} {cid}"


@pytest.mark.parametrize("seed", [7, 2026])
def test_random_nights_equal_a_full_refresh(
    tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    """Nights over [n-3, n] (the landing lookback), each bringing a new day and late
    changes to the three before it; a gap of three nights on the way. After the
    eighth night and after the last, the nightly warehouse equals a full refresh."""
    rng = random.Random(seed)
    tmp = tmp_path_factory.mktemp(f"recontacts-{seed}")
    project = DbtProject(warehouse=tmp / "nightly.duckdb", tmp=tmp / "nightly")
    copy = DbtProject(warehouse=tmp / "rebuilt.duckdb", tmp=tmp / "rebuilt")
    create_warehouse(project.warehouse)
    # few customers, so most conversations have neighbours
    customers: list[str | None] = ["k0", "k1", "k2", "k3", "k4", None]
    landed: dict[str, Conversation] = {}
    done = []
    for n in [*range(3, 11), *range(14, 18)]:
        for conversation in random_day(rng, n, customers):
            landed[conversation.conversation_id] = conversation
        if n > 3:
            for _ in range(rng.randint(1, 3)):
                done.append(redeliver(rng, landed, day(n - 3), day(n - 1), customers))
        load_days(project.warehouse, list(landed.values()), day(n - 3), day(n))
        build_nightly(project, [day(n - 3 + k) for k in range(4)])
        if n in (10, 17):
            try:
                assert_equal_to_full_refresh(project, copy)
            except AssertionError as error:
                raise AssertionError(f"after night {day(n)}, changes {done}: {error}") from None


def test_only_changed_customers_are_rebuilt(dbt_project: DbtProject) -> None:
    """Two rows are altered by hand: one whose inputs still match its source row (kept
    as it is: proof that the run did not rebuild it) and one whose input_hash no
    longer matches (rebuilt). Then a re-delivered day moves a conversation to another
    customer: the old customer's other conversation loses its recontact."""
    create_warehouse(dbt_project.warehouse)
    conversations = [
        Conversation("a1", "ka", at(day(1), 9), [ASK, ANSWER]),
        Conversation("a2", "ka", at(day(2), 9), [ASK, ANSWER]),
        Conversation("b1", "kb", at(day(1), 10), [ASK, ANSWER]),
        Conversation("b2", "kb", at(day(3), 10), [ASK, ANSWER]),
    ]
    load_days(dbt_project.warehouse, conversations, day(0), day(3))
    nights = [day(k) for k in range(4)]
    build_nightly(dbt_project, nights)
    table = "intermediate.int_customer_recontacts"

    def rows() -> pd.DataFrame:
        return dbt_project.query(f"select * from {table} order by conversation_id")

    def recontacts(built: pd.DataFrame) -> dict[str, int]:
        return built.set_index("conversation_id")["recontacts"].to_dict()

    built = rows()
    assert recontacts(built) == {"a1": 1, "a2": 0, "b1": 1, "b2": 0}

    with duckdb.connect(str(dbt_project.warehouse)) as con:
        con.execute(f"update {table} set recontacts = 99 where conversation_id = 'b1'")
        con.execute(f"update {table} set input_hash = 12345 where conversation_id = 'a2'")
    build_nightly(dbt_project, nights)
    again = rows()
    assert recontacts(again) == {"a1": 1, "a2": 0, "b1": 99, "b2": 0}
    pd.testing.assert_frame_equal(
        again[again.conversation_id == "a2"].reset_index(drop=True),
        built[built.conversation_id == "a2"].reset_index(drop=True),
    )

    # a2 was ka's; re-delivered as kb's: a1 is no longer recontacted, b1 now is twice
    moved = [
        replace(c, customer_key="kb") if c.conversation_id == "a2" else c for c in conversations
    ]
    load_days(dbt_project.warehouse, moved, day(2), day(2))
    build_nightly(dbt_project, nights)
    assert recontacts(rows()) == {"a1": 0, "a2": 1, "b1": 2, "b2": 0}


def test_a_late_conversation_reaches_rows_after_the_window(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Today's intraday run builds x (customer kK, day 6) first; yesterday's nightly
    (window ending day 5) then brings a late y for kK at day 5 23:50. x's look-back now
    finds y, so the nightly rebuilds kK's rows after its window too: x is returning,
    as a full refresh says (found by review: a later window covering x listed nothing,
    since x's own inputs never changed)."""
    tmp = tmp_path_factory.mktemp("after-window")
    project = DbtProject(warehouse=tmp / "nightly.duckdb", tmp=tmp / "nightly")
    copy = DbtProject(warehouse=tmp / "rebuilt.duckdb", tmp=tmp / "rebuilt")
    create_warehouse(project.warehouse)
    landed = [
        Conversation("a", "kA", at(day(1), 9), [ASK, ANSWER]),
        Conversation("x", "kK", at(day(6), 0, 10), [ASK, ANSWER]),
    ]
    load_days(project.warehouse, landed, day(0), day(5))
    build_nightly(project, [day(k) for k in range(6)])
    load_days(project.warehouse, landed, day(6), day(6))
    build_nightly(project, [day(6)])  # the intraday run for day 6
    landed.append(Conversation("y", "kK", at(day(5), 23, 50), [ASK, ANSWER]))
    load_days(project.warehouse, landed, day(2), day(5))
    build_nightly(project, [day(k) for k in range(2, 6)])  # day 5's nightly, late file
    recontacts = project.query(
        "select customer_type, previous_started_at from intermediate.int_customer_recontacts "
        "where conversation_id = 'x'"
    )
    assert recontacts.customer_type.tolist() == ["returning"]
    landed.append(Conversation("z", "kZ", at(day(6), 1), [ASK, ANSWER]))
    load_days(project.warehouse, landed, day(6), day(6))
    build_nightly(project, [day(6)])  # the next intraday run
    assert_equal_to_full_refresh(project, copy)
