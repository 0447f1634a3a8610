"""Normalization's shortcuts give exactly what the general SQL gives.

``normalize.FAST_SQL`` groups the staged rows of a file whose records are whole
conversations (JSONL lines, platform conversations) per record, and skips the seq
numbering window when every conversation gives seq. A hostile day (every JSONL rule and
parser difference of test_ingest_jsonl_fast, the batch fixtures, platform exports, flat
files, deliveries that supersede each other, conversations with and without seq) is
ingested with the shortcuts on and off: the raw store, the quarantine (record by record,
reasons and messages) and the audit must be identical, byte for byte.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from pipelines.config import Paths, Settings, paths
from pipelines.sources import ColumnMap, ingest_days, judge_file, normalize
from pipelines.sources.scratch import fits_in_memory, scratch_connection
from pipelines.sources.staging import STAGED_SCHEMA, load_staged
from pipelines.synth.generator import generate
from tests.sources.ingest_helpers import FLAT_COLUMNS, conversation, write_csv, write_jsonl
from tests.sources.test_ingest_batches import _jsonl_lines, _outcome
from tests.sources.test_ingest_jsonl_fast import _hostile_lines

D1 = date(2025, 3, 1)
LENIENT = Settings(quarantine_threshold=1.0)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def _unnumbered(conversation_id: str, started: str, n_events: int = 3) -> dict[str, object]:
    record = conversation(conversation_id, started, n_events=n_events)
    for event in record["events"]:  # type: ignore[union-attr]
        event.pop("seq")  # type: ignore[union-attr]
    return record


def _odd_conversations() -> list[object]:
    """Conversation-level cases of the group-by: seq on some events only, doubled events
    without seq, two survey answers, bad and missing timestamps, blank and missing ids."""
    some_seq = conversation("some-seq", "2025-03-01T09:00:00+00:00", n_events=3)
    some_seq["events"][2].pop("seq")  # type: ignore[index]
    doubled = _unnumbered("doubled", "2025-03-01T09:05:00+00:00")
    doubled["events"].append(dict(doubled["events"][0]))  # type: ignore[union-attr,index]
    surveys = conversation("surveys", "2025-03-01T09:10:00+00:00", n_events=2)
    surveys["events"] += [  # type: ignore[operator]
        {"seq": 2, "sent_at": "2025-03-01T09:11:00+00:00", "actor": "customer",
         "event_type": "csat", "payload": {"score": 2}},
        {"seq": 3, "sent_at": "2025-03-01T09:11:00+00:00", "actor": "customer",
         "event_type": "csat", "text": "5"},
    ]  # fmt: skip
    bad_time = conversation("bad-time", "2025-03-01T09:20:00+00:00", n_events=3)
    bad_time["events"][1]["sent_at"] = "yesterday"  # type: ignore[index]
    two_bad = conversation("two-bad", "2025-03-01T09:25:00+00:00", n_events=3)
    two_bad["events"][2]["actor"] = "martian"  # type: ignore[index]
    two_bad["events"][1]["event_type"] = "telepathy"  # type: ignore[index]
    no_start = conversation("no-start", "2025-03-01T09:30:00+00:00")
    no_start.pop("started_at")
    bad_header = conversation("bad-header", "2025-03-01T09:35:00+00:00", ended_at="soon")
    return [
        some_seq,
        doubled,
        surveys,
        bad_time,
        two_bad,
        no_start,
        bad_header,
        conversation("", "2025-03-01T09:40:00+00:00"),
        conversation("   ", "2025-03-01T09:45:00+00:00"),
        {**conversation("x", "2025-03-01T09:50:00+00:00"), "conversation_id": None},
        {**conversation("no-id-key", "2025-03-01T09:55:00+00:00")} | {"conversation_id": None},
        conversation("late", "2025-02-20T09:00:00+00:00"),  # outside the landing window
        conversation("csat-header", "2025-03-01T10:00:00+00:00", csat_score=4),
        conversation("csat-header-bad", "2025-03-01T10:05:00+00:00", csat_score="4.5"),
        conversation("tz", "2025-03-01T23:30:00-08:00"),
    ]


def _hostile_day(home: Paths) -> None:
    day_after = D1 + timedelta(days=1)
    folder = home.landing_day(D1)
    folder.mkdir(parents=True, exist_ok=True)
    hostile = b"\n".join(
        line if isinstance(line, bytes) else line.encode() for line in _hostile_lines()
    )
    (folder / "hostile.jsonl").write_bytes(hostile)
    write_jsonl(home, D1, "batches.jsonl", _jsonl_lines(), mtime=1_700_000_000)
    write_jsonl(home, D1, "odd.jsonl", _odd_conversations(), mtime=1_700_000_100)
    numbered = [conversation(f"n-{n}", "2025-03-01T11:00:00+00:00", n_events=n) for n in range(5)]
    write_jsonl(home, D1, "all-seq.jsonl", numbered, mtime=1_700_000_200)
    unnumbered = [_unnumbered(f"u-{n}", "2025-03-01T12:00:00+00:00", n) for n in range(1, 4)]
    write_jsonl(home, D1, "no-seq.jsonl", unnumbered, mtime=1_700_000_300)
    # Later deliveries: a JSONL line and a flat file supersede earlier ones.
    write_jsonl(
        home,
        day_after,
        "again.jsonl",
        [conversation("n-2", "2025-03-01T11:00:00+00:00", n_events=6)],
        mtime=1_700_000_400,
    )
    rows = [
        {**{k: v for k, v in event.items()}, "conversation_id": record["conversation_id"]}
        | {k: record[k] for k in ("source", "channel", "locale", "market")}
        for record in [conversation("n-3", "2025-03-01T11:00:00+00:00", n_events=2)]
        for event in record["events"]  # type: ignore[union-attr]
    ]
    write_csv(home, day_after, "flat.csv", rows, FLAT_COLUMNS)
    for fixture in FIXTURES.glob("*.json"):
        shutil.copy(fixture, folder / fixture.name)


def _ingest(home: Paths, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    monkeypatch.setattr(normalize, "FAST_SQL", fast)
    report = ingest_days(home, [D1, D1 + timedelta(days=1)], LENIENT)
    files = {
        str(path.relative_to(home.raw)): path.read_bytes()
        for path in sorted(home.raw.rglob("*.parquet"))
        if "synth_truth" not in path.parts and "ingest_cache" not in path.parts
    }
    return report.audit, report.conversations_loaded, report.events_loaded, files


def test_a_hostile_day_is_ingested_identically_with_and_without_the_shortcuts(
    tmp_path, monkeypatch
):
    taken: list[bool] = []
    check = normalize._one_record_per_delivery

    def spy(con):  # type: ignore[no-untyped-def]
        taken.append(check(con))
        return taken[-1]

    monkeypatch.setattr(normalize, "_one_record_per_delivery", spy)
    outcomes = []
    for fast in (False, True):
        home = paths(tmp_path / f"home-{fast}").ensure()
        _hostile_day(home)
        outcomes.append(_ingest(home, fast, monkeypatch))
    general, fast = outcomes
    assert fast[2] and sum(fast[2].values()) > 0, "the day loads events"
    assert any(row.records_quarantined for row in fast[0]), "and quarantines records"
    assert fast == general
    # The JSONL and platform files took the per-record grouping (the flat file cannot).
    assert taken and all(taken)


def test_each_hostile_file_is_judged_identically_with_and_without_the_shortcuts(
    tmp_path, monkeypatch
):
    home = paths(tmp_path / "home").ensure()
    _hostile_day(home)
    for path in sorted(home.landing.rglob("*.*")):
        outcomes = []
        for fast in (False, True):
            monkeypatch.setattr(normalize, "FAST_SQL", fast)
            outcomes.append(_outcome(judge_file(path, path.name, ColumnMap())))
        assert outcomes[0] == outcomes[1], path.name


def test_a_generated_day_is_ingested_identically_with_and_without_the_shortcuts(
    tmp_path, monkeypatch
):
    day = date(2026, 1, 5)
    outcomes = []
    for fast in (False, True):
        home = paths(tmp_path / f"home-{fast}").ensure()
        generate(day, day, 300, 11, home.landing, tmp_path / f"truth-{fast}")
        monkeypatch.setattr(normalize, "FAST_SQL", fast)
        report = ingest_days(home, [day], Settings())
        files = [p.read_bytes() for p in sorted(home.raw.rglob("dt=*/*.parquet"))]
        outcomes.append((report.audit, report.events_loaded, files))
    assert sum(outcomes[1][1].values()) > 0
    assert outcomes[0] == outcomes[1]


def test_staged_rows_of_another_layout_take_the_general_group_by(tmp_path):
    """A record whose later row holds a conversation field, or rows of two records sharing
    a delivery (a flat table's layout), are not grouped per record."""
    base = {name: None for name in STAGED_SCHEMA.names}
    first = base | {"conversation_id": "c", "record_number": 1, "event_index": 0,
                    "delivery": 1, "has_event": True, "channel": "web"}  # fmt: skip
    later = first | {"event_index": 1, "channel": None}
    cases = {
        "records of their own": ([first, later], True),
        "a field on a later row": ([first, later | {"channel": "web"}], False),
        "a flat table's delivery": ([first | {"delivery": 0}, later | {"delivery": 0}], False),
        "a record without a first row": ([later], False),
        "two first rows, and a record with none": (
            [first, first | {"event_index": 0}, later | {"record_number": 2, "delivery": 2}],
            False,
        ),
    }
    for name, (rows, expected) in cases.items():
        con = scratch_connection(tmp_path, 256)
        try:
            load_staged(con, pa.Table.from_pylist(rows, schema=STAGED_SCHEMA))
            assert normalize._one_record_per_delivery(con) is expected, name
        finally:
            con.close()


def test_a_file_that_fits_in_duckdbs_memory_is_staged_without_checkpoints(tmp_path):
    small = tmp_path / "small.jsonl"
    small.write_text("{}\n")
    assert fits_in_memory(small, 1)
    compressed = tmp_path / "small.jsonl.gz"
    compressed.write_bytes(b"\x1f\x8b")
    assert not fits_in_memory(compressed, 1)  # its text size is unknown
    assert not fits_in_memory(tmp_path / "missing.jsonl", 1)
    settings = []
    for checkpoints in (True, False):
        con = scratch_connection(tmp_path, 256, checkpoints=checkpoints)
        try:
            settings.append(
                con.execute("select current_setting('checkpoint_threshold')").fetchall()
            )
        finally:
            con.close()
    assert settings[0] != settings[1]
