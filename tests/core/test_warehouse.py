import multiprocessing
import os
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipelines.warehouse import SNAPSHOT_TABLE, publish_snapshot, replace_partitions

D1, D2, D3 = date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)


def _rows(day_values: list[tuple[date, int]]) -> pa.Table:
    return pa.table(
        {"partition_date": [d for d, _ in day_values], "value": [v for _, v in day_values]},
        schema=pa.schema([("partition_date", pa.date32()), ("value", pa.int64())]),
    )


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    connection.execute("create table t (partition_date date, value bigint)")
    yield connection
    connection.close()


def test_rerunning_a_window_replaces_its_rows_and_keeps_others(
    con: duckdb.DuckDBPyConnection,
) -> None:
    replace_partitions(con, "t", _rows([(D1, 1), (D2, 2), (D3, 3)]), [D1, D2, D3])
    replace_partitions(con, "t", _rows([(D2, 20)]), [D2])
    replace_partitions(con, "t", _rows([(D2, 20)]), [D2])
    assert con.execute("select partition_date, value from t order by 1").fetchall() == [
        (D1, 1),
        (D2, 20),
        (D3, 3),
    ]


def test_rows_outside_the_window_are_refused(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="outside the run window"):
        replace_partitions(con, "t", _rows([(D3, 3)]), [D1, D2])


def test_a_failed_insert_rolls_back_the_delete(con: duckdb.DuckDBPyConnection) -> None:
    replace_partitions(con, "t", _rows([(D1, 1)]), [D1])
    bad = pa.table({"partition_date": pa.array([D1], pa.date32()), "value": ["not a number"]})
    with pytest.raises(duckdb.Error):
        replace_partitions(con, "t", bad, [D1])
    assert con.execute("select value from t").fetchall() == [(1,)]


def _warehouse(path: Path, value: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create or replace table mart as select ? as value", [value])
    con.close()


def test_publish_copies_everything_and_stamps_the_run(tmp_path: Path) -> None:
    _warehouse(tmp_path / "w.duckdb", 1)
    snap = publish_snapshot(tmp_path / "w.duckdb", tmp_path / "a.duckdb", run_id="run-1")
    con = duckdb.connect(str(snap.path), read_only=True)
    assert con.execute("select value from mart").fetchall() == [(1,)]
    assert con.execute(f"select run_id from {SNAPSHOT_TABLE}").fetchall() == [("run-1",)]
    con.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_failed_publish_leaves_the_previous_snapshot(tmp_path: Path) -> None:
    _warehouse(tmp_path / "w.duckdb", 1)
    publish_snapshot(tmp_path / "w.duckdb", tmp_path / "a.duckdb", run_id="good")
    with pytest.raises(duckdb.Error):
        publish_snapshot(tmp_path / "missing.duckdb", tmp_path / "a.duckdb", run_id="bad")
    con = duckdb.connect(str(tmp_path / "a.duckdb"), read_only=True)
    assert con.execute(f"select run_id from {SNAPSHOT_TABLE}").fetchall() == [("good",)]
    con.close()


def _hold_and_read(
    path: str, ready: multiprocessing.Event, done: multiprocessing.Event, out: multiprocessing.Queue
) -> None:
    con = duckdb.connect(path, read_only=True)
    ready.set()
    done.wait(30)
    out.put(con.execute(f"select run_id from {SNAPSHOT_TABLE}").fetchone()[0])
    con.close()


def test_an_open_reader_is_not_blocked_and_keeps_its_snapshot(tmp_path: Path) -> None:
    _warehouse(tmp_path / "w.duckdb", 1)
    publish_snapshot(tmp_path / "w.duckdb", tmp_path / "a.duckdb", run_id="old")
    ctx = multiprocessing.get_context("spawn")
    ready, done, out = ctx.Event(), ctx.Event(), ctx.Queue()
    reader = ctx.Process(target=_hold_and_read, args=(str(tmp_path / "a.duckdb"), ready, done, out))
    reader.start()
    assert ready.wait(30)
    publish_snapshot(tmp_path / "w.duckdb", tmp_path / "a.duckdb", run_id="new")
    done.set()
    assert out.get(timeout=30) == "old"
    reader.join(30)
    con = duckdb.connect(str(tmp_path / "a.duckdb"), read_only=True)
    assert con.execute(f"select run_id from {SNAPSHOT_TABLE}").fetchone()[0] == "new"
    con.close()
    assert os.stat(tmp_path / "a.duckdb").st_mode & 0o777 == 0o644


def test_publish_works_under_a_path_with_a_quote_and_clears_killed_publishes(
    tmp_path: Path,
) -> None:
    """issue 12 #16: a home path with ' made publish fail after every other step; a
    publish killed mid-copy left .tmp and .tmp.wal files forever."""
    folder = tmp_path / "o'brien's home"
    folder.mkdir()
    warehouse, analytics = folder / "w.duckdb", folder / "analytics.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table t as select 1 as value")
    killed = [
        folder / ".analytics.duckdb.0123abcd.tmp",
        folder / ".analytics.duckdb.0123abcd.tmp.wal",
    ]
    for leftover in killed:
        leftover.write_bytes(b"half a copy")
    unrelated = folder / "notes.tmp"
    unrelated.write_text("not ours")
    snapshot = publish_snapshot(warehouse, analytics, run_id="quoted")
    assert snapshot.tables == 2  # t and the snapshot record
    with duckdb.connect(str(analytics), read_only=True) as con:
        assert con.execute("select value from t").fetchall() == [(1,)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["analytics.duckdb", "w.duckdb", "notes.tmp"]
    )
