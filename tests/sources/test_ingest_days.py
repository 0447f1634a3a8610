"""ingest_days: partitions, late data, dedupe, quarantine, threshold, idempotence."""

from __future__ import annotations

import os
import stat
from datetime import date, timedelta

import pyarrow.parquet as pq
import pytest

from pipelines.config import Paths, Settings, paths
from pipelines.sources import QuarantineThresholdExceeded, ingest_days
from tests.sources.ingest_helpers import conversation, write_csv, write_jsonl

D1 = date(2025, 3, 1)
D2 = date(2025, 3, 2)
LENIENT = Settings(quarantine_threshold=1.0)


@pytest.fixture
def home(tmp_path) -> Paths:
    return paths(tmp_path / "home").ensure()


def read(path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def audit_by_file(report) -> dict[tuple[date, str], object]:
    return {(row.partition_date, row.source_file): row for row in report.audit}


def test_corrupt_lines_quarantine_while_good_rows_of_the_same_file_load(home):
    write_jsonl(
        home,
        D1,
        "mixed.jsonl",
        [
            conversation("good-1", "2025-03-01T09:00:00+00:00"),
            "{not json",
            conversation("good-2", "2025-03-01T10:00:00+00:00"),
            {"conversation_id": "empty", "events": []},
        ],
    )
    report = ingest_days(home, [D1], LENIENT)
    row = audit_by_file(report)[(D1, "dt=2025-03-01/mixed.jsonl")]
    assert (row.records_read, row.records_loaded, row.records_quarantined) == (4, 2, 2)
    assert row.reason_counts == {"malformed_json": 1, "conversation_without_events": 1}
    loaded = {r["conversation_id"] for r in read(home.raw_day(D1) / "conversations.parquet")}
    assert loaded == {"good-1", "good-2"}
    quarantined = read(home.quarantine_day(D1) / "quarantine.parquet")
    assert [(q["record_number"], q["reason_code"]) for q in quarantined] == [
        (2, "malformed_json"),
        (4, "conversation_without_events"),
    ]
    assert quarantined[0]["original_record"] == "{not json"


def test_one_bad_row_quarantines_its_whole_conversation_and_every_row_is_counted(home):
    good = {
        "conversation_id": "a",
        "sent_at": "2025-03-01T10:00:00Z",
        "actor": "user",
        "text": "hi",
    }
    rows = [
        good,
        {**good, "sent_at": "2025-03-01T10:00:05Z", "actor": "chatbot", "text": "hello"},
        {
            "conversation_id": "b",
            "sent_at": "2025-03-01T11:00:00Z",
            "actor": "visitor",
            "text": "x",
        },
        {"conversation_id": "b", "sent_at": "not a time", "actor": "bot", "text": "y"},
        {"conversation_id": "b", "sent_at": "2025-03-01T11:00:09Z", "actor": "bot", "text": "z"},
    ]
    write_csv(home, D1, "events.csv", rows)
    report = ingest_days(home, [D1], LENIENT)
    row = audit_by_file(report)[(D1, "dt=2025-03-01/events.csv")]
    assert (row.records_read, row.records_loaded, row.records_quarantined) == (5, 2, 3)
    assert row.reason_counts == {"unparseable_timestamp": 1, "sibling_rejected": 2}
    events = read(home.raw_day(D1) / "events.parquet")
    assert [(e["conversation_id"], e["seq"], e["actor"]) for e in events] == [
        ("a", 0, "customer"),
        ("a", 1, "bot"),
    ]


def test_late_data_in_a_later_landing_folder_goes_to_its_own_partition(home):
    write_jsonl(
        home,
        D2,
        "delivery.jsonl",
        [
            conversation("late", "2025-03-01T23:00:00+00:00"),
            conversation("on-time", "2025-03-02T08:00:00+00:00"),
        ],
    )
    report = ingest_days(home, [D1], Settings())
    assert report.conversations_loaded == {D1: 1}
    assert [r["conversation_id"] for r in read(home.raw_day(D1) / "conversations.parquet")] == [
        "late"
    ]
    assert not home.raw_day(D2).exists()


def test_data_landing_beyond_the_lookback_is_quarantined_not_lost(home):
    landed = D1 + timedelta(days=10)
    write_jsonl(
        home,
        landed,
        "very-late.jsonl",
        [
            conversation("ten-days-late", "2025-03-01T12:00:00+00:00"),
            conversation("on-time", f"{landed.isoformat()}T08:00:00+00:00"),
        ],
    )
    # Counted as bad data for the threshold on purpose: a stranded delivery should be loud.
    report = ingest_days(
        home, [landed], Settings(landing_lookback_days=3, quarantine_threshold=0.9)
    )
    assert report.conversations_loaded == {landed: 1}
    assert report.reason_counts(landed) == {"outside_landing_window": 1}
    assert report.records_read == report.records_loaded + report.records_quarantined == 2
    (row,) = read(home.quarantine_day(landed) / "quarantine.parquet")
    assert row["reason_code"] == "outside_landing_window"
    assert "landing_lookback_days=3" in row["message"]
    assert "ten-days-late" in row["original_record"]


def test_partition_day_is_taken_in_the_business_timezone(home):
    # 2025-03-02 05:00 UTC is 2025-03-01 21:00 in Los Angeles.
    write_jsonl(home, D2, "la.jsonl", [conversation("evening", "2025-03-02T05:00:00+00:00")])
    settings = Settings(business_timezone="America/Los_Angeles")
    report = ingest_days(home, [D1, D2], settings)
    assert report.conversations_loaded == {D1: 1, D2: 0}
    conversations = read(home.raw_day(D1) / "conversations.parquet")
    assert conversations[0]["partition_date"] == D1


def test_a_later_delivery_supersedes_an_earlier_one(home):
    first = conversation("c", "2025-03-01T09:00:00+00:00", n_events=2)
    second = conversation("c", "2025-03-01T09:00:00+00:00", n_events=3)
    write_jsonl(home, D1, "a.jsonl", [first], mtime=1_700_000_000)
    write_jsonl(home, D2, "b.jsonl", [second], mtime=1_700_000_100)
    report = ingest_days(home, [D1], Settings())
    rows = audit_by_file(report)
    assert rows[(D1, "dt=2025-03-01/a.jsonl")].reason_counts == {"duplicate_superseded": 1}
    assert rows[(D1, "dt=2025-03-02/b.jsonl")].records_loaded == 1
    assert report.quarantined_share == {D1: 0.0}  # superseded is not bad data
    assert len(read(home.raw_day(D1) / "events.parquet")) == 3


def test_threshold_raises_with_top_reasons_after_writing_quarantine(home):
    write_jsonl(
        home, D1, "bad.jsonl", [conversation("ok", "2025-03-01T09:00:00+00:00"), "[1]", "oops"]
    )
    with pytest.raises(QuarantineThresholdExceeded, match=r"malformed_json=2") as raised:
        ingest_days(home, [D1], Settings(quarantine_threshold=0.05))
    assert raised.value.report.records_quarantined == 2
    assert len(read(home.quarantine_day(D1) / "quarantine.parquet")) == 2


def test_raw_dirs_are_owner_only_and_empty_days_get_empty_files(home):
    ingest_days(home, [D1], Settings())
    for folder in (home.raw, home.raw_day(D1), home.quarantine, home.quarantine_day(D1)):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert pq.read_table(home.raw_day(D1) / "events.parquet").num_rows == 0


def test_rerun_is_idempotent_and_replaces_stale_rows(home):
    path = write_jsonl(home, D1, "a.jsonl", [conversation("x", "2025-03-01T09:00:00+00:00"), "bad"])
    ingest_days(home, [D1], LENIENT)
    files = ["conversations.parquet", "events.parquet"]
    first = [(home.raw_day(D1) / f).read_bytes() for f in files]
    first_q = (home.quarantine_day(D1) / "quarantine.parquet").read_bytes()
    ingest_days(home, [D1], LENIENT)
    assert [(home.raw_day(D1) / f).read_bytes() for f in files] == first
    assert (home.quarantine_day(D1) / "quarantine.parquet").read_bytes() == first_q
    path.unlink()
    ingest_days(home, [D1], LENIENT)
    assert pq.read_table(home.raw_day(D1) / "conversations.parquet").num_rows == 0


def test_a_conversation_repeated_within_one_file_keeps_the_later_line(home):
    first = conversation("same", "2025-03-01T09:00:00+00:00", n_events=2)
    second = conversation("same", "2025-03-01T09:00:00+00:00", n_events=4)
    write_jsonl(home, D1, "a.jsonl", [first, second])
    report = ingest_days(home, [D1], Settings())
    assert audit_by_file(report)[(D1, "dt=2025-03-01/a.jsonl")].reason_counts == {
        "duplicate_superseded": 1
    }
    quarantined = read(home.quarantine_day(D1) / "quarantine.parquet")
    assert [q["record_number"] for q in quarantined] == [1]
    assert len(read(home.raw_day(D1) / "events.parquet")) == 4


def test_the_same_conversation_as_csv_then_jsonl_without_a_source_is_one_delivery(home):
    """Delivery identity does not depend on the file format: the later copy wins."""
    rows = [
        {"conversation_id": "same", "sent_at": "2025-03-01T09:00:00Z", "actor": "customer"},
        {"conversation_id": "same", "sent_at": "2025-03-01T09:00:05Z", "actor": "bot"},
    ]
    path = write_csv(home, D1, "first.csv", rows, columns=["conversation_id", "sent_at", "actor"])
    os.utime(path, (1_700_000_000, 1_700_000_000))
    later = conversation("same", "2025-03-01T09:00:00+00:00", n_events=3)
    del later["source"]
    write_jsonl(home, D2, "second.jsonl", [later], mtime=1_700_000_100)
    report = ingest_days(home, [D1], Settings())
    rows_by_file = audit_by_file(report)
    assert rows_by_file[(D1, "dt=2025-03-01/first.csv")].reason_counts == {
        "duplicate_superseded": 2
    }
    assert rows_by_file[(D1, "dt=2025-03-02/second.jsonl")].records_loaded == 1
    (loaded,) = read(home.raw_day(D1) / "conversations.parquet")
    assert (loaded["conversation_id"], loaded["source"]) == ("same", "default")
    assert len(read(home.raw_day(D1) / "events.parquet")) == 3


def _one_bad_file_among_good(home: Paths) -> None:
    """A small file whose every conversation is rejected next to a large good one: 3 bad
    of 403 records is under 1% of the day."""
    good = [conversation(f"good-{i}", "2025-03-01T09:00:00+00:00") for i in range(400)]
    write_jsonl(home, D1, "big.jsonl", good)
    bad = [conversation(f"fax-{i}", "2025-03-01T09:00:00+00:00", channel="fax") for i in range(3)]
    write_jsonl(home, D1, "small.jsonl", bad)


def test_a_file_whose_records_are_all_rejected_fails_the_run_though_the_day_is_fine(home):
    _one_bad_file_among_good(home)
    with pytest.raises(QuarantineThresholdExceeded) as raised:
        ingest_days(home, [D1], Settings(quarantine_threshold=0.05))
    assert raised.value.report.quarantined_share[D1] < 0.01
    message = str(raised.value)
    assert "dt=2025-03-01/small.jsonl: 3 of 3 records quarantined" in message
    assert "unknown_channel=3" in message and "big.jsonl" not in message
    # Written first, like a day over the threshold, so the failure can be inspected.
    assert len(read(home.quarantine_day(D1) / "quarantine.parquet")) == 3


def test_the_file_threshold_can_warn_instead_and_the_report_lists_top_reasons(home):
    _one_bad_file_among_good(home)
    report = ingest_days(home, [D1], Settings(quarantine_threshold=0.05), file_threshold="warn")
    (flagged,) = report.files_over_threshold
    assert flagged.source_file == "dt=2025-03-01/small.jsonl"
    assert flagged.top_reasons() == [("unknown_channel", 3)]
    outcomes = {o.source_file: o for o in report.file_outcomes()}
    assert outcomes["dt=2025-03-01/big.jsonl"].records_loaded == 400
    assert outcomes["dt=2025-03-01/big.jsonl"].bad_share == 0.0


def test_file_names_in_threshold_messages_are_digested_when_personal(home):
    folder = home.landing_day(D1) / "jane.doe@example.com"
    folder.mkdir(parents=True)
    (folder / "export.jsonl").write_text("not json\n")
    with pytest.raises(QuarantineThresholdExceeded) as raised:
        ingest_days(home, [D1], Settings(quarantine_threshold=0.05))
    assert "example.com" not in str(raised.value)
    assert "dt=2025-03-01/file-" in str(raised.value)


def test_an_ingest_bug_is_reported_without_the_record_value(home, monkeypatch):
    """Whatever fails inside ingest, the message names the file and the error type only:
    DuckDB's conversion errors quote the value, and messages reach logs and the terminal."""
    write_jsonl(home, D1, "a.jsonl", [conversation("x", "2025-03-01T09:00:00+00:00")])

    def crash(*args, **kwargs):
        raise ValueError("Could not convert string 'jane.doe@example.com' to INT8")

    monkeypatch.setattr("pipelines.sources.files.normalize", crash)
    with pytest.raises(Exception) as raised:
        ingest_days(home, [D1], Settings())
    assert "dt=2025-03-01/a.jsonl" in str(raised.value) and "ValueError" in str(raised.value)
    assert "jane.doe" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__context__ is None


@pytest.mark.parametrize(
    ("field", "value", "loads"),
    [
        ("intent", "refund 4111 1111 1111 1111", False),
        ("bot_version", "John Smith", False),
        ("source", "jane.doe@example.com", False),
        ("bot_version", "release-20260301-00012", True),
        ("bot_version", "2025.03.01-hotfix", True),
        ("bot_version", "2025.03.1", True),
        ("bot_version", "2015550133", False),
        ("intent", "order_status", True),
    ],
)
def test_labels_go_through_the_full_pii_detector(home, field, value, loads):
    write_jsonl(
        home, D1, "labels.jsonl", [conversation("c", "2025-03-01T09:00:00+00:00", **{field: value})]
    )
    report = ingest_days(home, [D1], LENIENT)
    assert report.reason_counts() == ({} if loads else {"personal_data_in_label": 1})
