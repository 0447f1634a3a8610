"""The incremental snapshot (a copy of the previous one with only what differs
rewritten) must equal a full copy of the warehouse after any sequence of changes."""

import hashlib
import os
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse import SNAPSHOT_TABLE, publish, publish_snapshot
from pipelines.warehouse.publish import FINGERPRINT_TABLE

DAY0 = date(2026, 1, 1)


def _catalog(path: Path) -> dict:
    """Every schema, view, table (its columns with types in order) and every row."""
    with duckdb.connect(str(path), read_only=True) as con:
        schemas = con.execute(
            "select schema_name from duckdb_schemas() where database_name = current_database() "
            "order by 1"
        ).fetchall()
        views = con.execute(
            "select schema_name, view_name, sql from duckdb_views() "
            "where database_name = current_database() and not internal order by 1, 2"
        ).fetchall()
        tables = con.execute(
            "select schema_name, table_name, sql from duckdb_tables() "
            "where database_name = current_database() and table_name not in (?, ?) "
            "order by 1, 2",
            [SNAPSHOT_TABLE, FINGERPRINT_TABLE],
        ).fetchall()
        content = {}
        for schema, table, _ in tables:
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() "
                "where database_name = current_database() and schema_name = ? "
                "and table_name = ? order by column_index",
                [schema, table],
            ).fetchall()
            rows = con.execute(f'select * from "{schema}"."{table}"').fetchall()
            content[(schema, table)] = (columns, sorted(rows, key=repr))
        view_rows = {
            (schema, view): sorted(
                con.execute(f'select * from "{schema}"."{view}"').fetchall(), key=repr
            )
            for schema, view, _ in views
        }
    return {"schemas": schemas, "views": views, "tables": tables, "content": content,
            "view_rows": view_rows}  # fmt: skip


def _day(index: int) -> date:
    return DAY0 + timedelta(days=index)


def _setup(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema scrubbed")
    con.execute("create schema staging")
    con.execute(
        "create table scrubbed.events (partition_date date not null, id varchar not null, "
        "seq integer, score double, note varchar)"
    )
    con.execute("create table fct (conversation_date date, id varchar, value bigint)")
    con.execute("create table settings_like (name varchar, value varchar)")
    con.execute("create view staging.stg_events as select * from scrubbed.events where seq >= 0")
    con.execute("create view staging.stg_both as select count(*) as n from staging.stg_events")


def _change(con: duckdb.DuckDBPyConnection, rng: random.Random, step: int) -> str:
    """One random change of the kinds a nightly makes, and the odd ones it might."""
    kind = rng.choice(
        [
            "new_day", "new_day", "rewrite_day_same_count", "retention", "update_one",
            "new_table", "drop_table", "add_column", "retype_column", "rebuild_table",
            "null_group", "new_view", "new_schema", "nothing", "duplicate_row",
            "recontact_like",
        ]
    )  # fmt: skip
    tables = [
        (s, t)
        for s, t in con.execute(
            "select schema_name, table_name from duckdb_tables() order by 1, 2"
        ).fetchall()
    ]
    if kind == "new_day":
        day = _day(step)
        con.execute(
            "insert into scrubbed.events select ?, 'c' || i, i, i / 7.0, "
            "case when i % 3 = 0 then null else 'n' || i end from range(?) as r(i)",
            [day, rng.randint(1, 40)],
        )
        con.execute(
            "insert into fct by name select ? as conversation_date, 'c' || i as id, i as value "
            "from range(?) as r(i)",
            [day, rng.randint(1, 9)],
        )
    elif kind == "rewrite_day_same_count":
        # Same rows per day, one value changed: only the hash tells the days apart.
        con.execute(
            "update scrubbed.events set note = coalesce(note, '') || 'x' "
            "where partition_date = (select min(partition_date) from scrubbed.events) "
            "and seq = (select min(seq) from scrubbed.events)"
        )
    elif kind == "retention":
        con.execute(
            "delete from scrubbed.events where partition_date = "
            "(select min(partition_date) from scrubbed.events)"
        )
    elif kind == "update_one":
        con.execute("update fct set value = value + 1 where id = 'c0'")
    elif kind == "new_table":
        con.execute(
            f"create or replace table t_{step} as select {step} as step, ?::date as d", [_day(step)]
        )
    elif kind == "drop_table":
        droppable = [key for key in tables if key[1].startswith("t_")]
        if droppable:
            con.execute('drop table "{}"."{}"'.format(*rng.choice(droppable)))
    elif kind == "add_column":
        con.execute(f"alter table fct add column if not exists extra_{step} integer default {step}")
    elif kind == "retype_column":
        con.execute("create or replace table settings_like as select name, value || '!' as value, "
                    "1::tinyint as flag from settings_like")  # fmt: skip
    elif kind == "rebuild_table":
        con.execute(
            "insert into settings_like by name select ? as name, ? as value",
            [f"k{step}", str(rng.random())],
        )
    elif kind == "null_group":
        con.execute("insert into fct (conversation_date, id, value) values (null, ?, ?)",
                    [f"n{step}", step])  # fmt: skip
    elif kind == "duplicate_row":
        # A row twice in its group: matching rows by hash alone would not count copies.
        con.execute("insert into fct select * from fct order by all limit 1")
    elif kind == "recontact_like":
        # A few rows of several days change (what a nightly's window does): row by row.
        con.execute(
            "update scrubbed.events set seq = seq + 1000 where seq % 7 = 3 "
            "and partition_date >= (select max(partition_date) - 2 from scrubbed.events)"
        )
    elif kind == "new_view":
        con.execute(f"create or replace view staging.v_{step} as select count(*) as n from fct")
    elif kind == "new_schema":
        con.execute(f"create schema if not exists extra_{step % 3}")
        con.execute(f"create or replace table extra_{step % 3}.t as select {step} as v")
    return kind


@pytest.mark.parametrize("seed", range(3))
def test_incremental_snapshot_equals_a_full_copy_after_any_changes(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files this small are soon mostly free blocks: never compact, so every publish after
    # the first is incremental.
    monkeypatch.setattr(publish, "_MAX_FREE_SHARE", 1.0)
    rng = random.Random(seed)
    warehouse = tmp_path / "warehouse.duckdb"
    incremental, full = tmp_path / "analytics.duckdb", tmp_path / "full.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        _setup(con)
    modes, kinds, from_spare = [], set(), []
    for step in range(20):
        with duckdb.connect(str(warehouse)) as con:
            for _ in range(rng.randint(1, 3)):
                kinds.add(_change(con, rng, step))
        snapshot = publish_snapshot(warehouse, incremental, run_id=f"run-{step}")
        publish_snapshot(warehouse, full, run_id=f"run-{step}", incremental=False)
        modes.append(snapshot.mode)
        from_spare.append(snapshot.from_spare)
        assert _catalog(incremental) == _catalog(full), (seed, step, kinds)
        with duckdb.connect(str(incremental), read_only=True) as con:
            assert con.execute(f"select run_id from {SNAPSHOT_TABLE}").fetchall() == [
                (f"run-{step}",)
            ]
    assert modes[0] == "full" and set(modes[1:]) == {"incremental"}
    # from the third publish on, each one updates the snapshot before the last in place
    assert from_spare[2:] == [True] * 18 or not _leases_work(tmp_path)


def _stored_and_live(analytics: Path, table: str) -> tuple[int, int]:
    with duckdb.connect(str(analytics), read_only=True) as con:
        stored = con.execute(
            "select estimated_size from duckdb_tables() where table_name = ?", [table]
        ).fetchone()[0]
        return stored, con.execute(f"select count(*) from {table}").fetchone()[0]


def test_only_the_changed_days_are_copied_again(tmp_path: Path) -> None:
    """And in a changed day only the changed rows: the snapshot's checkpoint does not
    vacuum, so a deleted row stays in the file (one here, not the day's hundred)."""
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "create table events as select ('2026-01-01'::date + (i % 10)::integer) as "
            "partition_date, i from range(1000) as r(i)"
        )
    publish_snapshot(warehouse, analytics)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update events set i = -i where partition_date = '2026-01-03' and i = 2")
    snapshot = publish_snapshot(warehouse, analytics)
    assert (snapshot.mode, snapshot.tables_copied, snapshot.groups_copied) == ("incremental", 0, 1)
    with duckdb.connect(str(analytics), read_only=True) as con:
        assert con.execute("select count(*), sum(i) from events").fetchone() == (1000, 499500 - 4)
    assert _stored_and_live(analytics, "events") == (1001, 1000)


def test_deleted_rows_never_exceed_the_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Night after night a window of days changes a tenth of its rows: the deleted rows
    a table keeps stay within _MAX_DEAD_SHARE of the rows it stores (the table is copied
    whole when they would not), and the snapshot equals the warehouse."""
    monkeypatch.setattr(publish, "_MAX_FREE_SHARE", 1.0)  # small files: never compact
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table fct (conversation_date date, id bigint, outcome varchar)")
    shares, copied_whole = [], 0
    for night in range(12):
        with duckdb.connect(str(warehouse)) as con:
            con.execute(
                "insert into fct select ?::date, ? * 10000 + i, 'open' from range(10000) as r(i)",
                [_day(night), night],
            )
            con.execute(
                "update fct set outcome = outcome || '+' where conversation_date > ?::date "
                "and id % 10 = ?",
                [_day(night - 4), night % 10],
            )
        snapshot = publish_snapshot(warehouse, analytics)
        copied_whole += snapshot.tables_copied
        stored, live = _stored_and_live(analytics, "fct")
        shares.append((stored - live) / stored)
        assert live == 10000 * (night + 1)
    assert max(shares) <= publish._MAX_DEAD_SHARE
    assert max(shares) > 0.05  # rows were deleted and kept, not vacuumed at once
    assert copied_whole >= 1  # the first nights change most of the table: copied whole
    assert _catalog(analytics)["content"] == _catalog(warehouse)["content"]


def test_the_dead_share_rule_alone_copies_a_table_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each night 30% of two of 20 days' rows change: a tenth of the days, far below
    the share that copies a table whole, so only the deleted rows' bound does."""
    monkeypatch.setattr(publish, "_MAX_FREE_SHARE", 1.0)  # small files: never compact
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "create table fct as select date '2026-01-01' + (i % 20)::int as d, i, 0 as v "
            "from range(20000) as r(i)"
        )
    publish_snapshot(warehouse, analytics)
    copied = []
    for night in range(1, 16):
        with duckdb.connect(str(warehouse)) as con:
            con.execute(
                "update fct set v = ? where i % 10 < 3 and d in "
                "(date '2026-01-01' + (? % 20)::int, date '2026-01-02' + (? % 20)::int)",
                [night, night, night],
            )
        copied.append(publish_snapshot(warehouse, analytics).tables_copied)
        stored, live = _stored_and_live(analytics, "fct")
        assert stored - live <= publish._MAX_DEAD_SHARE * stored, (night, stored, live)
        assert _catalog(analytics)["content"] == _catalog(warehouse)["content"]
    assert 1 in copied and 0 in copied, copied


def test_nested_values_that_hash_alike_are_told_apart(tmp_path: Path) -> None:
    """DuckDB's hash gives NULL, [] and [NULL] one hash, [[1], [2]] and [[1, 2]] another,
    and moves elements between neighbouring lists unseen: the fingerprints and the
    row matching hash nested values as JSON text, with another change in the day and
    as the day's only change."""
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "create table nested as select date '2026-01-01' + (i % 2)::int as d, i, "
            "null::int[] as maybe, [i] as a, [i + 1] as b, [[i], [i + 1]] as deep, "
            "{'x': [i], 'y': [i + 1]} as s, map(['k'], [i]) as m from range(40) as r(i)"
        )
    publish_snapshot(warehouse, analytics)
    steps = [
        # a real change beside two that hash alike
        "update nested set i = -i where i = 2; "
        "update nested set maybe = [] where i = 4; "
        "update nested set a = a || b, b = [] where i = 6",
        # only changes that hash alike, in one day
        "update nested set maybe = [null] where i = 8; "
        "update nested set deep = [flatten(deep)] where i = 10; "
        "update nested set s = {'x': s.x || s.y, 'y': []} where i = 12; "
        "update nested set m = map([], []) where i = 14",
    ]
    for step in steps:
        with duckdb.connect(str(warehouse)) as con:
            con.execute(step)
        assert publish_snapshot(warehouse, analytics).mode == "incremental"
        assert _catalog(analytics)["content"] == _catalog(warehouse)["content"], step


@pytest.mark.parametrize("element", ["integer", "varchar"])
def test_every_small_list_hashes_apart_alone_and_in_pairs(element: str) -> None:
    """A list of plain values is hashed with its length, not as JSON (2.5x cheaper):
    every list of up to four elements drawn from NULL and three values, and the NULL
    list, must hash apart, alone and as two list columns side by side, where DuckDB's
    hash alone gives NULL, [] and [NULL] one value and moves elements between columns
    unseen."""
    values = {"integer": ["0", "1", "2"], "varchar": ["''", "'a'", "'ab'"]}[element]
    con = duckdb.connect()
    con.execute(f"create table e (v {element})")
    con.execute(f"insert into e values (null), {', '.join(f'({v})' for v in values)}")
    con.execute(
        f"""create table l as
        with recursive r(x) as (
            select []::{element}[]
            union all
            select list_append(x, e.v) from r, e where len(x) < 4
        )
        select x from r union all select null::{element}[]"""
    )
    data_type = f"{element.upper()}[]"
    lists = con.execute("select count(*) from l").fetchone()[0]
    assert lists == sum(4**n for n in range(5)) + 1
    alone = publish._row_hash([("x", data_type)], alias="l")
    assert con.execute(f"select count(distinct {alone}) from l").fetchone()[0] == lists
    con.execute("create table pairs as select a.x, b.x as y from l as a, l as b")
    pair = publish._row_hash([("x", data_type), ("y", data_type)], alias=None)
    assert con.execute(f"select count(distinct {pair}) from pairs").fetchone()[0] == lists**2
    # the shortcut is for flat lists only; deeper nesting stays JSON
    assert "len(" not in publish._row_hash([("x", "INTEGER[][]")])
    assert "to_json" in publish._row_hash([("x", "INTEGER[3]")])


def test_an_unreadable_previous_snapshot_falls_back_to_a_full_copy(tmp_path: Path) -> None:
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table t as select 1 as value")
    analytics.write_bytes(b"not a database at all")
    snapshot = publish_snapshot(warehouse, analytics, run_id="after")
    assert snapshot.mode == "full"
    with duckdb.connect(str(analytics), read_only=True) as con:
        assert con.execute("select value from t").fetchall() == [(1,)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.duckdb", "w.duckdb"]


def test_a_warehouse_with_a_sequence_is_copied_whole(tmp_path: Path) -> None:
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table t as select 1 as value")
    publish_snapshot(warehouse, analytics)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create sequence ids")
        con.execute("insert into t values (2)")
    snapshot = publish_snapshot(warehouse, analytics)
    assert snapshot.mode == "full"
    with duckdb.connect(str(analytics), read_only=True) as con:
        assert con.execute("select value from t order by 1").fetchall() == [(1,), (2,)]
        assert con.execute("select count(*) from duckdb_sequences()").fetchone() == (1,)


def test_a_previous_snapshot_without_fingerprints_is_replaced_by_a_full_copy(
    tmp_path: Path,
) -> None:
    """A snapshot published before the fingerprints existed (or by another DuckDB
    version) cannot be compared: the next publish copies the whole warehouse."""
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table t as select 1 as value")
    publish_snapshot(warehouse, analytics)
    with duckdb.connect(str(analytics)) as con:
        con.execute(f"drop table {FINGERPRINT_TABLE}")
    assert publish_snapshot(warehouse, analytics).mode == "full"
    assert publish_snapshot(warehouse, analytics).mode == "incremental"
    # a DuckDB upgrade: the spare (the snapshot before) has the old version's too
    for snapshot in (analytics, publish.spare_path(analytics)):
        with duckdb.connect(str(snapshot)) as con:
            con.execute(f"update {FINGERPRINT_TABLE} set duckdb_version = '0.0.1'")
    assert publish_snapshot(warehouse, analytics).mode == "full"


def test_a_snapshot_mostly_free_space_is_compacted_by_a_full_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table big as select i, 'row ' || i as text from range(300000) as r(i)")
        con.execute("create table small as select 1 as value")
    publish_snapshot(warehouse, analytics)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop table big")
    assert publish_snapshot(warehouse, analytics).mode == "incremental"
    with duckdb.connect(str(analytics), read_only=True) as con:
        free = con.execute("select free_blocks from pragma_database_size()").fetchone()[0]
    assert free > 0  # the dropped table's blocks
    monkeypatch.setattr(publish, "_MAX_FREE_SHARE", 0.0)
    # the spare is the first snapshot, a full copy without free blocks: updated in place
    assert publish_snapshot(warehouse, analytics).from_spare is True
    # now the spare is the one above, with the dropped table's free blocks: compacted
    assert publish_snapshot(warehouse, analytics).mode == "full"
    with duckdb.connect(str(analytics), read_only=True) as con:
        assert con.execute("select free_blocks from pragma_database_size()").fetchone()[0] == 0


def _hold_open(path: Path) -> subprocess.Popen:
    """A DuckDB reader in another process (as an analyst's session) with ``path`` open.
    It prints the SHA-256 of the file's bytes (read through a descriptor it keeps
    open, so through the same inode whatever its name becomes), and again when its
    stdin is closed, then exits."""
    code = (
        "import duckdb, hashlib, os, sys\n"
        f"con = duckdb.connect({str(path)!r}, read_only=True)\n"
        "con.execute('select count(*), sum(i) from t').fetchone()\n"
        f"fd = os.open({str(path)!r}, os.O_RDONLY)\n"
        "def digest():\n"
        "    os.lseek(fd, 0, os.SEEK_SET)\n"
        "    h = hashlib.sha256()\n"
        "    while chunk := os.read(fd, 1 << 20):\n"
        "        h.update(chunk)\n"
        "    return h.hexdigest()\n"
        "print(digest(), flush=True)\n"
        "sys.stdin.read()\n"
        "print(digest(), flush=True)\n"
    )
    reader = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert reader.stdout is not None
    reader.first_read = reader.stdout.readline().strip()  # type: ignore[attr-defined]
    return reader


def _leases_work(directory: Path) -> bool:
    """Whether this file system grants write leases (the spare is only reused then)."""
    probe = directory / ".lease-probe"
    probe.write_bytes(b"")
    fd = os.open(probe, os.O_RDONLY)
    try:
        return publish._nobody_has_open(fd)
    finally:
        os.close(fd)
        probe.unlink()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(warehouse: Path, count: int) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "create or replace table t as select ('2026-01-01'::date + (i % 5)::integer) "
            f"as partition_date, i from range({count}) as r(i)"
        )


def test_the_replaced_snapshot_is_updated_in_place_by_the_next_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publish, "_MAX_FREE_SHARE", 1.0)  # small files: never compact
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    spare = publish.spare_path(analytics)
    _rows(warehouse, 100)
    assert publish_snapshot(warehouse, analytics).mode == "full"
    assert not spare.exists()  # a full copy leaves no spare
    with duckdb.connect(str(warehouse)) as con:
        con.execute("insert into t values ('2026-01-09', 1000)")
    second = publish_snapshot(warehouse, analytics)
    assert (second.mode, second.from_spare) == ("incremental", False)  # a byte copy
    assert spare.exists() and spare.stat().st_nlink == 1
    spare_inode = spare.stat().st_ino
    with duckdb.connect(str(warehouse)) as con:
        con.execute("insert into t values ('2026-01-10', 2000)")
    third = publish_snapshot(warehouse, analytics)
    assert (third.mode, third.from_spare) == ("incremental", True)
    assert analytics.stat().st_ino == spare_inode  # the spare became the snapshot
    with duckdb.connect(str(analytics), read_only=True) as con:
        assert con.execute("select count(*), sum(i) from t").fetchone() == (102, 4950 + 3000)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".a.duckdb.spare", "a.duckdb", "w.duckdb"]


def test_a_spare_an_analyst_still_reads_is_left_to_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snapshot an analyst opened is the spare after the next publish; the one after
    must not write into it while their session is open."""
    monkeypatch.setattr(publish, "_MAX_FREE_SHARE", 1.0)  # small files: never compact
    if not _leases_work(tmp_path):
        pytest.skip("this file system grants no write leases: the spare is never reused")
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    _rows(warehouse, 100)
    publish_snapshot(warehouse, analytics)
    _rows(warehouse, 200)
    publish_snapshot(warehouse, analytics)  # a byte copy; the first snapshot is the spare
    reader = _hold_open(analytics)  # opens the second, the spare after the next publish
    try:
        _rows(warehouse, 300)
        # the spare is the first snapshot, which nobody reads: updated in place
        assert publish_snapshot(warehouse, analytics).from_spare is True
        _rows(warehouse, 400)
        # the reader's file is the spare now, and still open: copied around, not written
        snapshot = publish_snapshot(warehouse, analytics)
        assert (snapshot.mode, snapshot.from_spare) == ("incremental", False)
        with duckdb.connect(str(analytics), read_only=True) as con:
            assert con.execute("select count(*), sum(i) from t").fetchone() == (400, 79800)
    finally:
        out, _ = reader.communicate("", timeout=60)
    assert out.strip() == reader.first_read  # not one byte of the analyst's file changed
    _rows(warehouse, 500)
    assert publish_snapshot(warehouse, analytics).from_spare is True  # closed: reused
    with duckdb.connect(str(analytics), read_only=True) as con:
        assert con.execute("select count(*), sum(i) from t").fetchone() == (500, 124750)


def _two_snapshots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A warehouse published twice (the first snapshot is then the spare); small files
    are never compacted."""
    monkeypatch.setattr(publish, "_MAX_FREE_SHARE", 1.0)
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    _rows(warehouse, 100)
    publish_snapshot(warehouse, analytics)
    _rows(warehouse, 200)
    publish_snapshot(warehouse, analytics)
    return warehouse, analytics


def test_a_spare_open_in_the_publishing_process_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Locks never conflict within one process; `closedloop run` publishes in its own."""
    warehouse, analytics = _two_snapshots(tmp_path, monkeypatch)
    session = duckdb.connect(str(analytics), read_only=True)
    held = os.open(analytics, os.O_RDONLY)
    try:
        before = hashlib.sha256(os.pread(held, os.fstat(held).st_size, 0)).hexdigest()
        for count in (300, 400, 500):
            _rows(warehouse, count)
            publish_snapshot(warehouse, analytics)
        after = hashlib.sha256(os.pread(held, os.fstat(held).st_size, 0)).hexdigest()
        assert after == before
        assert session.execute("select count(*), sum(i) from t").fetchone() == (200, 19900)
    finally:
        os.close(held)
        session.close()


def test_a_publish_killed_at_the_swap_leaves_no_spare_that_is_the_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse, analytics = _two_snapshots(tmp_path, monkeypatch)
    replace = os.replace

    def killed_at_the_swap(source: object, target: object) -> None:
        if Path(str(target)) == analytics:
            raise KeyboardInterrupt
        replace(source, target)

    monkeypatch.setattr(publish.os, "replace", killed_at_the_swap)
    _rows(warehouse, 300)
    with pytest.raises(KeyboardInterrupt):
        publish_snapshot(warehouse, analytics)
    monkeypatch.setattr(publish.os, "replace", replace)
    live = analytics.stat().st_ino
    names = {p.name: p.stat().st_ino for p in tmp_path.iterdir()}
    assert [name for name, inode in names.items() if inode == live] == ["a.duckdb"]
    digest = _sha256(analytics)
    _rows(warehouse, 400)
    publish_snapshot(warehouse, analytics)  # must not have written the live file in place
    assert analytics.stat().st_ino != live or _sha256(analytics) != digest
    with duckdb.connect(str(analytics), read_only=True) as con:
        assert con.execute("select count(*), sum(i) from t").fetchone() == (400, 79800)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_unreadable_spare_is_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish, "_MAX_FREE_SHARE", 1.0)  # small files: never compact
    warehouse, analytics = tmp_path / "w.duckdb", tmp_path / "a.duckdb"
    _rows(warehouse, 10)
    publish_snapshot(warehouse, analytics)
    publish_snapshot(warehouse, analytics)
    spare = publish.spare_path(analytics)
    spare.unlink()
    spare.write_bytes(b"not a database")
    _rows(warehouse, 20)
    snapshot = publish_snapshot(warehouse, analytics)
    assert (snapshot.mode, snapshot.from_spare) == ("incremental", False)
    with duckdb.connect(str(analytics), read_only=True) as con:
        assert con.execute("select count(*) from t").fetchone() == (20,)
    with duckdb.connect(str(spare), read_only=True) as con:  # the replaced snapshot now
        assert con.execute("select count(*) from t").fetchone() == (10,)
