"""The nightly publish reads again only what the warehouse's journal of changes marks
(pipelines/warehouse/journal.py): every write through the warehouse package marks its
tables and days, the dbt step marks what dbt may write, and the snapshot must still
equal the warehouse after any sequence of such writes. A change typed by hand that the
journal misses is published at once when it changes a day's row count, else by the
rotation of checked days or by a publish that reads every day."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipelines.warehouse import publish_snapshot
from pipelines.warehouse.io import append_rows, record_changes, replace_partitions, replace_table
from pipelines.warehouse.journal import RECHECKED_DAYS, dbt_write_scope, record_dbt_writes
from pipelines.warehouse.publish import FINGERPRINT_TABLE
from pipelines.warehouse.tables import (
    CHANGE_JOURNAL,
    CONVERSATION_JUDGEMENTS,
    SCRUBBED_EVENTS,
    TABLES,
    Table,
    _fields,
)
from tests.core.test_publish_incremental import _catalog

ROOT = Path(__file__).resolve().parents[2]
DAY0 = date(2026, 1, 1)
DAYS = [DAY0 + timedelta(days=n) for n in range(10)]
EVENTS = Table(
    "main.events",
    _fields(("partition_date", pa.date32(), False), ("i", pa.int64()), ("s", pa.string())),
)
SETTINGS = Table(
    "main.settings_log",
    _fields(("name", pa.string(), False), ("value", pa.int64())),
    partition_column=None,
)


def _day_rows(day: date, n: int, salt: int = 0) -> pa.Table:
    return pa.table(
        {
            "partition_date": [day] * n,
            "i": [salt * 1000 + k for k in range(n)],
            "s": [f"{day}-{k}-{salt}" for k in range(n)],
        },
        schema=EVENTS.columns,
    )


def _write_days(warehouse: Path, days: list[date], n: int = 5, salt: int = 0) -> None:
    with duckdb.connect(str(warehouse)) as con:
        for day in days:
            replace_partitions(con, EVENTS, _day_rows(day, n, salt), [day])


def _checked(analytics: Path) -> dict[date, datetime]:
    """day -> when the publish last computed its fingerprint from the warehouse."""
    with duckdb.connect(str(analytics), read_only=True) as con:
        return dict(
            con.execute(
                f"select k, checked_at from {FINGERPRINT_TABLE} "
                "where schema_name = 'main' and table_name = 'events'"
            ).fetchall()
        )


def _same(warehouse: Path, analytics: Path) -> bool:
    return _catalog(analytics)["content"] == _catalog(warehouse)["content"]


def test_a_journaled_write_is_published_and_only_its_days_are_read(tmp_path: Path) -> None:
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    _write_days(warehouse, DAYS)
    assert publish_snapshot(warehouse, analytics, trust_journal=True).mode == "full"
    before = _checked(analytics)

    _write_days(warehouse, [DAYS[5]], salt=1)  # same row count, other rows
    snapshot = publish_snapshot(warehouse, analytics, trust_journal=True)
    # the day, and the journal's rows marking that day (grouped by first_day)
    assert snapshot.mode == "incremental" and snapshot.groups_copied == 2
    assert _same(warehouse, analytics)
    after = _checked(analytics)
    read = {day for day in DAYS if after[day] != before[day]}
    # the marked day, and the RECHECKED_DAYS whose turn it is (the file's first: the
    # first days)
    assert read == {DAYS[5], *DAYS[:RECHECKED_DAYS]}


def test_a_hand_edit_that_keeps_the_count_waits_for_its_check(tmp_path: Path) -> None:
    """The limit of the journal, stated as a test: an UPDATE typed by hand on the last
    day reaches the snapshot at once with a publish that reads every day (`closedloop
    publish`), else when the turn of days checked reaches that day."""
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    _write_days(warehouse, DAYS)
    publish_snapshot(warehouse, analytics, trust_journal=True)

    def edit_the_last_day(sql: str) -> None:
        with duckdb.connect(str(warehouse)) as con:
            con.execute(f"{sql} where partition_date = '{DAYS[-1]}'")

    edit_the_last_day("update main.events set i = -i")
    publish_snapshot(warehouse, analytics, trust_journal=True)  # its turn: the first days
    assert not _same(warehouse, analytics)
    publish_snapshot(warehouse, analytics)  # trust_journal=False: every day is read
    assert _same(warehouse, analytics)

    # each file (the snapshot and the spare it alternates with) takes its own turns
    edit_the_last_day("update main.events set s = 'edited'")
    published = 0
    while not _same(warehouse, analytics):
        publish_snapshot(warehouse, analytics, trust_journal=True)
        published += 1
        assert published <= 2 * len(DAYS) // RECHECKED_DAYS, "the turn never reached the day"


def test_a_hand_insert_or_delete_is_published_at_once(tmp_path: Path) -> None:
    """A day whose row count changed is read again whatever the journal says, and a
    day that is new or emptied by hand too."""
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    _write_days(warehouse, DAYS)
    publish_snapshot(warehouse, analytics, trust_journal=True)
    edits = [
        f"insert into main.events values ('{DAYS[7]}', 99, 'by hand')",
        f"delete from main.events where partition_date = '{DAYS[8]}' and i = 0",
        "insert into main.events values ('2026-03-01', 1, 'a new day by hand')",
        f"delete from main.events where partition_date = '{DAYS[9]}'",
    ]
    for edit in edits:
        with duckdb.connect(str(warehouse)) as con:
            con.execute(edit)
        publish_snapshot(warehouse, analytics, trust_journal=True)
        assert _same(warehouse, analytics), edit


@pytest.mark.parametrize("seed", range(4))
def test_journaled_nights_equal_the_warehouse(tmp_path: Path, seed: int) -> None:
    """Random nights of the writers the pipeline uses (day windows, whole tables,
    appended rows, a whole-table mark), each followed by the nightly publish."""
    rng = random.Random(seed)
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    _write_days(warehouse, DAYS[:3])
    for night in range(12):
        with duckdb.connect(str(warehouse)) as con:
            for _ in range(rng.randint(1, 3)):
                choice = rng.random()
                if choice < 0.5:
                    first = rng.choice(DAYS)
                    window = [d for d in DAYS if first <= d <= first + timedelta(days=2)]
                    # mostly five rows a day (as _write_days): a rewrite that keeps
                    # the count is one only the journal tells
                    rows = pa.concat_tables(
                        [
                            _day_rows(
                                d, rng.choice([5, 5, 5, rng.randint(0, 6)]), rng.randint(0, 3)
                            )
                            for d in window
                        ]
                    )
                    replace_partitions(con, EVENTS, rows, window)
                elif choice < 0.7:
                    replace_table(
                        con,
                        SETTINGS,
                        pa.table(
                            {"name": ["a", "b"], "value": [night, rng.randint(0, 9)]},
                            schema=SETTINGS.columns,
                        ),
                    )
                elif choice < 0.85:
                    append_rows(
                        con,
                        SETTINGS,
                        pa.table({"name": ["c"], "value": [night]}, schema=SETTINGS.columns),
                    )
                else:
                    # a write outside the package, marked whole as the dbt step does
                    record_changes(con, ["main.events"])
                    con.execute("update main.events set s = s || '!' where i % 2 = 0")
        publish_snapshot(warehouse, analytics, trust_journal=True)
        assert _same(warehouse, analytics), f"seed {seed} night {night}"


def test_a_snapshot_from_before_the_journal_reads_every_day(tmp_path: Path) -> None:
    """A previous snapshot without the journal's position (written by older code), or a
    journal behind it (a warehouse restored from a copy): every day is read."""
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    _write_days(warehouse, DAYS)
    publish_snapshot(warehouse, analytics, trust_journal=True)
    with duckdb.connect(str(analytics)) as con:
        con.execute(f"alter table {FINGERPRINT_TABLE} drop column journal_seq")
        con.execute(f"alter table {FINGERPRINT_TABLE} drop column checked_at")
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"update main.events set i = -i where partition_date = '{DAYS[-1]}'")
    publish_snapshot(warehouse, analytics, trust_journal=True)
    assert _same(warehouse, analytics)

    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"update main.events set i = -i where partition_date = '{DAYS[-2]}'")
        con.execute(f"delete from {CHANGE_JOURNAL.name} where seq > 1")
    publish_snapshot(warehouse, analytics, trust_journal=True)
    assert _same(warehouse, analytics)


def test_the_dbt_step_marks_every_table_dbt_may_write(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create schema scrubbed")
        con.execute("create table scrubbed.source (partition_date date, x int)")
        con.execute("create table main.fct (id varchar, conversation_date date)")
        con.execute("create table main.odd (started date, conversation_date date)")
        con.execute("create table main.mart (conversation_date date, n int)")
        record_dbt_writes(
            con,
            DAYS[0],
            windowed={"main.fct": "conversation_date", "main.odd": "conversation_date"},
            not_dbt={"scrubbed.source"},
        )
        marks = con.execute(
            f"select table_name, first_day, last_day from {CHANGE_JOURNAL.name} order by seq"
        ).fetchall()
    # from the window's first day on, open-ended (int_customer_recontacts rewrites
    # returning customers' later days); main.odd groups by its first DATE column, not
    # the window's: marked whole
    assert sorted(marks) == [
        ("main.fct", DAYS[0], None),
        ("main.mart", None, None),
        ("main.odd", None, None),
    ]


def test_the_manifest_names_the_windowed_models_and_what_dbt_never_writes() -> None:
    manifest = json.loads((ROOT / "dbt_project" / "target" / "manifest.json").read_text())
    windowed, not_dbt = dbt_write_scope(manifest)
    assert windowed == {
        "main.fct_conversations": "conversation_date",
        "intermediate.int_customer_recontacts": "conversation_date",
        "intermediate.int_conversation_event_facts": "conversation_date",
    }
    assert {SCRUBBED_EVENTS.name, CONVERSATION_JUDGEMENTS.name} <= not_dbt
    assert {table.name for table in TABLES} <= not_dbt
    assert not set(windowed) & not_dbt


def test_a_windowed_table_marked_from_the_window_on_is_published_after_it(
    tmp_path: Path,
) -> None:
    """int_customer_recontacts rewrites a returning customer's rows after the run's window
    with the same row count (a backfill, or yesterday's nightly after today's intraday
    run): the dbt step's mark runs from the window's first day on, open-ended (found by
    review)."""
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    windowed = {"main.recontacts": "conversation_date"}
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "create table main.recontacts (id varchar, conversation_date date, kind varchar)"
        )
        for n, day in enumerate(DAYS):
            con.execute("insert into main.recontacts values (?, ?, 'new')", [f"c{n}", day])
        record_dbt_writes(con, DAYS[0], windowed, set())
    publish_snapshot(warehouse, analytics, trust_journal=True)
    with duckdb.connect(str(warehouse)) as con:
        record_dbt_writes(con, DAYS[3], windowed, set())  # a window DAYS[3]..DAYS[6]
        con.execute("update main.recontacts set kind = 'returning' where id = 'c8'")
    publish_snapshot(warehouse, analytics, trust_journal=True)
    assert _same(warehouse, analytics)


def test_a_rebuilt_warehouse_whose_journal_started_again_is_read_whole(tmp_path: Path) -> None:
    """A warehouse rebuilt (or restored from a copy) under a surviving snapshot: its new
    journal can hold more entries than the snapshot's position, but another entry at
    that position tells it apart, and every day is read (found by review)."""
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"

    def build(value: str, extra_marks: int) -> None:
        warehouse.unlink(missing_ok=True)
        with duckdb.connect(str(warehouse)) as con:
            con.execute("create table main.t (partition_date date, v varchar)")
            for day in DAYS:
                con.execute("insert into main.t values (?, ?)", [day, value])
                record_changes(con, ["main.t"], day, day)
            for _ in range(extra_marks):
                record_changes(con, ["main.other"])

    build("old", 0)
    publish_snapshot(warehouse, analytics, trust_journal=True)
    build("new", 5)
    publish_snapshot(warehouse, analytics, trust_journal=True)
    assert _same(warehouse, analytics)
