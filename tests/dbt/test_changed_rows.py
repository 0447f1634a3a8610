"""fct_conversations writes only the rows that differ (macros/changed_rows.sql).

A night rebuilds every day of its window, but on DuckDB only the rows whose
(conversation_id, row hash) the stored rows lack are inserted, and only the stored rows
the new ones lack are deleted. DuckDB keeps a row's rowid until it is deleted, so the
rowids show what a night wrote; the table must still equal a full refresh. The random
nights of test_recontact_changes compare fct_conversations with a full refresh too.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb

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

START = date(2026, 5, 4)


def day(n: int) -> date:
    return START + timedelta(days=n)


def stored(project: DbtProject) -> dict[str, int]:
    """conversation_id -> rowid of fct_conversations."""
    rows = project.query("select conversation_id, rowid as row_id from main.fct_conversations")
    return dict(zip(rows.conversation_id, rows.row_id, strict=True))


def rebuilt(tmp: Path) -> DbtProject:
    """A project beside ``tmp``'s for the full-refresh copy."""
    return DbtProject(warehouse=tmp / "rebuilt.duckdb", tmp=tmp / "rebuilt")


def rows_of(project: DbtProject, conversation_id: str) -> int:
    return int(
        project.query(
            "select count(*) as n from main.fct_conversations "
            f"where conversation_id = '{conversation_id}'"
        ).n[0]
    )


def test_a_night_writes_only_the_rows_that_differ(dbt_project: DbtProject, tmp_path: Path) -> None:
    create_warehouse(dbt_project.warehouse)
    landed = [
        Conversation("a1", "ka", at(day(0), 9), [ASK, ANSWER]),
        Conversation("a2", "ka", at(day(2), 9), [ASK, ANSWER]),
        Conversation("b1", "kb", at(day(1), 10), [ASK, ANSWER]),
        Conversation("c1", "kc", at(day(2), 11), [ASK]),
        Conversation("d1", "kd", at(day(3), 12), [ASK, ANSWER]),
    ]
    nights = [day(k) for k in range(4)]
    load_days(dbt_project.warehouse, landed, day(0), day(3))
    build_nightly(dbt_project, nights)
    first = stored(dbt_project)
    assert sorted(first) == ["a1", "a2", "b1", "c1", "d1"]

    # The same night again writes nothing.
    build_nightly(dbt_project, nights)
    assert stored(dbt_project) == first

    # A row edited by hand differs from what its inputs give: it is replaced. A new
    # conversation of a new customer is inserted. Every other row stays where it was.
    with duckdb.connect(str(dbt_project.warehouse)) as con:
        con.execute("update main.fct_conversations set messages = 99 where conversation_id = 'b1'")
    landed.append(Conversation("e1", "ke", at(day(3), 15), [ASK, ANSWER]))
    load_days(dbt_project.warehouse, landed, day(3), day(3))
    build_nightly(dbt_project, nights)
    second = stored(dbt_project)
    rewritten = {cid for cid, row_id in second.items() if first.get(cid) != row_id}
    assert rewritten == {"b1", "e1"}
    assert dbt_project.query(
        "select messages from main.fct_conversations where conversation_id = 'b1'"
    ).messages.tolist() == [2]
    assert_equal_to_full_refresh(dbt_project, rebuilt(tmp_path))

    # A customer's comeback changes its earlier conversations (a2 is now recontacted,
    # a1 twice): their rows are rewritten with the new one. A day re-delivered empty
    # loses its rows.
    landed.append(Conversation("a3", "ka", at(day(3), 8), [ASK, ANSWER]))
    load_days(dbt_project.warehouse, landed, day(3), day(3))
    load_days(dbt_project.warehouse, [], day(1), day(1))
    build_nightly(dbt_project, nights)
    third = stored(dbt_project)
    assert "b1" not in third
    rewritten = {cid for cid, row_id in third.items() if second.get(cid) != row_id}
    assert rewritten == {"a1", "a2", "a3"}
    assert_equal_to_full_refresh(dbt_project, rebuilt(tmp_path))


def test_a_repeated_key_is_replaced_whole(tmp_path: Path) -> None:
    """Matching (conversation_id, hash) pairs alone would keep a stored copy of a row
    and would never drop the copies a duplicate delivery left once it is re-delivered
    without it (found by review); a key held twice is replaced whole, as delete+insert
    does, in fct_conversations and in int_customer_recontacts' list of changes."""
    dbt_project = DbtProject(warehouse=tmp_path / "nightly.duckdb", tmp=tmp_path / "nightly")
    create_warehouse(dbt_project.warehouse)
    landed = [
        Conversation("a1", "ka", at(day(0), 9), [ASK, ANSWER]),
        Conversation("b1", "kb", at(day(1), 10), [ASK, ANSWER]),
        Conversation("d1", "kd", at(day(3), 12), [ASK, ANSWER]),
    ]
    nights = [day(k) for k in range(4)]
    load_days(dbt_project.warehouse, landed, day(0), day(3))
    build_nightly(dbt_project, nights)

    # a stored copy of a row, left by hand: the night keeps one
    with duckdb.connect(str(dbt_project.warehouse)) as con:
        con.execute(
            "insert into main.fct_conversations "
            "select * from main.fct_conversations where conversation_id = 'b1'"
        )
    assert rows_of(dbt_project, "b1") == 2
    build_nightly(dbt_project, nights)
    assert rows_of(dbt_project, "b1") == 1
    assert_equal_to_full_refresh(dbt_project, rebuilt(tmp_path))

    # a new day delivered with a conversation twice, then re-delivered without the copy
    twice = Conversation("e1", "ke", at(day(4), 12), [ASK, ANSWER])
    later = [day(k) for k in range(1, 5)]
    load_days(dbt_project.warehouse, [*landed, twice, twice], day(4), day(4))
    build_nightly(dbt_project, later)
    assert rows_of(dbt_project, "e1") > 1
    load_days(dbt_project.warehouse, [*landed, twice], day(4), day(4))
    build_nightly(dbt_project, later)
    assert rows_of(dbt_project, "e1") == 1
    assert_equal_to_full_refresh(dbt_project, rebuilt(tmp_path))
