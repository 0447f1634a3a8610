"""Judging a file a batch at a time (the memory budget's unit) decides every record
exactly as judging it in one batch: same loaded conversations and events, same
quarantine reasons, same counts."""

from __future__ import annotations

from datetime import date

import pyarrow.parquet as pq
import pytest

from pipelines.config import Paths, Settings, paths
from pipelines.sources import ColumnMap, QuarantineThresholdExceeded, ingest_days, judge_file
from pipelines.sources.files import JudgedFile
from pipelines.sources.scratch import IngestBudget
from tests.sources.ingest_helpers import conversation, write_csv, write_jsonl

D1 = date(2025, 3, 1)
ONE_BATCH = IngestBudget(batch_bytes=1 << 30, batch_rows=1 << 30, duckdb_memory_mb=256)
# A batch per JSONL line and per conversation: the most cuts a file can have.
TINY = IngestBudget(batch_bytes=1, batch_rows=1, duckdb_memory_mb=64)


@pytest.fixture
def home(tmp_path) -> Paths:
    return paths(tmp_path / "home").ensure()


def _outcome(judged: JudgedFile) -> tuple[object, ...]:
    conversations = judged.conversations.sort_values("conversation_id", kind="stable")
    events = judged.events.sort_by([("conversation_id", "ascending"), ("seq", "ascending")])
    quarantine = judged.quarantine.sort_values(["record_number", "reason_code"], kind="stable")
    return (
        judged.records_read,
        conversations.drop(columns=["gid"]).to_dict("records"),
        events.drop_columns(["gid"]).to_pylist(),
        quarantine.to_dict("records"),
        sorted(judged.records["record_number"].to_pylist()),
    )


def _jsonl_lines() -> list[object]:
    bad_csat = conversation("c-csat", "2025-03-01T10:00:00+00:00", csat_score=9)
    no_events = {**conversation("c-empty", "2025-03-01T11:00:00+00:00"), "events": []}
    return [
        conversation("c-1", "2025-03-01T09:00:00+00:00", n_events=4),
        "{not json",
        bad_csat,
        conversation("c-2", "2025-03-01T09:30:00+00:00", n_events=1),
        no_events,
        [1, 2, 3],
        conversation("c-1", "2025-03-01T09:00:00+00:00", n_events=5),  # later delivery
        conversation("c-3", "2025-03-01T12:00:00+00:00", channel="carrier pigeon"),
    ]


def test_a_jsonl_file_judged_line_by_line_equals_one_batch(home: Paths) -> None:
    path = write_jsonl(home, D1, "mixed.jsonl", _jsonl_lines())
    one = judge_file(path, path.name, ColumnMap(), ONE_BATCH)
    tiny = judge_file(path, path.name, ColumnMap(), TINY)
    assert len(one.quarantine) >= 4 and len(one.conversations) >= 3
    assert _outcome(tiny) == _outcome(one)


def test_a_csv_file_judged_conversation_by_conversation_equals_one_batch(home: Paths) -> None:
    rows = []
    for n in range(6):
        for seq in range(3):
            rows.append(
                {
                    "conversation_id": f"f-{n}",
                    "source": "test",
                    "started_at": "2025-03-01T09:00:00Z",
                    "channel": "web",
                    "sent_at": f"2025-03-01T09:00:0{seq}Z",
                    "actor": "martian" if (n, seq) == (4, 1) else "customer",
                    "event_type": "message",
                    "text": f"row {n}.{seq}",
                }
            )
    rows.insert(7, {**rows[7], "sent_at": "yesterday-ish"})  # a bad row mid-file
    path = write_csv(home, D1, "flat.csv", rows)
    one = judge_file(path, path.name, ColumnMap(), ONE_BATCH)
    tiny = judge_file(path, path.name, ColumnMap(), TINY)
    assert len(one.quarantine) == 7 and len(one.conversations) == 4
    assert _outcome(tiny) == _outcome(one)


def test_ingest_leaves_no_scratch_behind_even_when_it_fails(home: Paths) -> None:
    """The spilled batches hold unscrubbed records: only while a run reads them."""
    write_jsonl(home, D1, "mixed.jsonl", _jsonl_lines())
    ingest_days(home, [D1], Settings(quarantine_threshold=1.0))
    with pytest.raises(QuarantineThresholdExceeded):
        ingest_days(home, [D1], Settings(quarantine_threshold=0.0))
    assert not list(home.home.glob(".ingest-scratch-*"))
    loaded = pq.read_table(home.raw_day(D1) / "conversations.parquet")
    assert sorted(loaded["conversation_id"].to_pylist()) == ["c-1", "c-2"]
