"""Flat event tables (CSV, CSV.gz, Parquet): parsing rules, column map, quarantine reasons."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.sources import ColumnMap, judge_file, load_column_map
from tests.sources.ingest_helpers import FLAT_COLUMNS

ROOT = Path(__file__).resolve().parents[2]


def judge_csv(tmp_path: Path, text: str, column_map: ColumnMap | None = None, name: str = "e.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return judge_file(path, name, column_map or ColumnMap())


def reasons_by_record(judged) -> dict[int, str]:
    return dict(
        zip(judged.quarantine["record_number"], judged.quarantine["reason_code"], strict=True)
    )


def test_actor_synonyms_timestamp_forms_and_defaults(tmp_path):
    judged = judge_csv(
        tmp_path,
        "conversation_id,sent_at,actor,text\n"
        "c1,2025-03-01T10:00:00+02:00,Visitor,hi\n"  # offset -> 08:00 UTC
        "c1,2025-03-01 08:00:05,VIRTUAL_AGENT,hello\n"  # naive = UTC
        "c1,1740816010,operator,taking over\n",  # epoch seconds = 08:00:10 UTC
    )
    assert judged.quarantine.empty
    events = judged.events.to_pylist()
    assert [(e["seq"], e["actor"], e["event_type"]) for e in events] == [
        (0, "customer", "message"),
        (1, "bot", "message"),
        (2, "agent", "message"),
    ]
    assert [e["sent_at"].isoformat() for e in events] == [
        "2025-03-01T08:00:00+00:00",
        "2025-03-01T08:00:05+00:00",
        "2025-03-01T08:00:10+00:00",
    ]
    header = judged.conversations.iloc[0]
    assert header["source"] == "default"
    assert str(header["started_at"]) == "2025-03-01 08:00:00+00:00"
    assert str(header["ended_at"]) == "2025-03-01 08:00:10+00:00"


def test_seq_follows_sent_at_then_row_order_when_absent(tmp_path):
    judged = judge_csv(
        tmp_path,
        "conversation_id,sent_at,actor,text\n"
        "c,2025-03-01T08:00:09Z,bot,third\n"
        "c,2025-03-01T08:00:01Z,customer,first\n"
        "c,2025-03-01T08:00:01Z,bot,second in the same second\n",
    )
    assert [e["text"] for e in sorted(judged.events.to_pylist(), key=lambda e: e["seq"])] == [
        "first",
        "second in the same second",
        "third",
    ]


def test_conversation_columns_may_appear_on_one_row_but_must_not_conflict(tmp_path):
    judged = judge_csv(
        tmp_path,
        "conversation_id,sent_at,actor,channel,locale,market,csat_score\n"
        "ok,2025-03-01T08:00:00Z,customer,,,,\n"
        "ok,2025-03-01T08:00:01Z,bot,Web,en_US,us,4\n"
        "bad,2025-03-01T08:00:00Z,customer,web,,,\n"
        "bad,2025-03-01T08:00:01Z,bot,email,,,\n",
    )
    header = judged.conversations.set_index("conversation_id").loc["ok"]
    assert (header["channel"], header["locale"], header["market"], header["csat_score"]) == (
        "web",
        "en-US",
        "US",
        4,
    )
    assert reasons_by_record(judged) == {
        4: "conflicting_conversation_field",
        5: "conflicting_conversation_field",
    }


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("c,,customer,message,x,,", "missing_required_field"),
        ("c,2025-03-01T08:00:00Z,,message,x,,", "missing_required_field"),
        (",2025-03-01T08:00:00Z,customer,message,x,,", "missing_required_field"),
        ("c,yesterday,customer,message,x,,", "unparseable_timestamp"),
        ("c,1740816010000,customer,message,x,,", "unparseable_timestamp"),  # epoch millis
        ("c,2025-03-01T08:00:00Z,martian,message,x,,", "unknown_actor"),
        ("c,2025-03-01T08:00:00Z,customer,teleport,x,,", "unknown_event_type"),
        ("c,2025-03-01T08:00:00Z,customer,message,x,fax,", "unknown_channel"),
        ("c,2025-03-01T08:00:00Z,customer,message,x,,7", "invalid_csat"),
        ("c,2025-03-01T08:00:00Z,customer,message,x,,4.5", "invalid_csat"),
        ("c,2025-03-01T08:00:00Z,customer,feedback,meh,,", "invalid_feedback"),
    ],
)
def test_bad_values_get_their_reason(tmp_path, row, reason):
    judged = judge_csv(
        tmp_path, "conversation_id,sent_at,actor,event_type,text,channel,csat_score\n" + row + "\n"
    )
    assert reasons_by_record(judged) == {2: reason}
    assert judged.records_read == 1


def test_feedback_and_csat_values_land_in_payload(tmp_path):
    judged = judge_csv(
        tmp_path,
        "conversation_id,sent_at,actor,event_type,text,payload\n"
        "c,2025-03-01T08:00:00Z,customer,message,hi,\n"
        "c,2025-03-01T08:00:01Z,customer,feedback,Thumbs_Up,\n"
        'c,2025-03-01T08:00:02Z,customer,rating,,"{""value"": ""negative""}"\n'
        "c,2025-03-01T08:00:03Z,customer,survey,5,\n"
        "c,2025-03-01T08:00:04Z,bot,handoff,,\n",
    )
    assert judged.quarantine.empty
    payloads = [
        json.loads(e["payload"]) if e["payload"] else None for e in judged.events.to_pylist()
    ]
    assert payloads == [
        None,
        {"value": "positive"},
        {"value": "negative"},
        {"score": 5},
        {"reason": "unspecified"},
    ]
    assert judged.conversations.iloc[0]["csat_score"] == 5


def test_identical_rows_are_a_duplicated_export_and_explicit_seq_must_be_contiguous(tmp_path):
    judged = judge_csv(
        tmp_path,
        "conversation_id,sent_at,actor,text,seq\n"
        "dup,2025-03-01T08:00:00Z,customer,hi,\n"
        "dup,2025-03-01T08:00:00Z,customer,hi,\n"
        "gap,2025-03-01T08:00:00Z,customer,hi,0\n"
        "gap,2025-03-01T08:00:01Z,bot,yo,2\n"
        "rep,2025-03-01T08:00:00Z,customer,hi,0\n"
        "rep,2025-03-01T08:00:01Z,bot,yo,0\n",
    )
    assert reasons_by_record(judged) == {
        2: "duplicate_event",
        3: "duplicate_event",
        4: "invalid_sequence",
        5: "invalid_sequence",
        6: "duplicate_event",
        7: "duplicate_event",
    }


def test_oversize_text_is_rejected_by_the_contract(tmp_path):
    judged = judge_csv(
        tmp_path,
        "conversation_id,sent_at,actor,text\nc,2025-03-01T08:00:00Z,bot," + "x" * 20_001 + "\n",
    )
    assert reasons_by_record(judged) == {2: "oversize_text"}


def test_malformed_and_non_utf8_rows_are_quarantined_with_row_numbers(tmp_path):
    text = (
        b"conversation_id,sent_at,actor,text\n"
        b'a,2025-03-01T08:00:00Z,customer,"spans\ntwo lines"\n'
        b"a,2025-03-01T08:00:01Z,bot\n"
        b"b,2025-03-01T08:00:02Z,customer,caf\xe9\n"
        b"c,2025-03-01T08:00:03Z,customer,fine\n"
    )
    judged = judge_csv(tmp_path, text)
    assert judged.records_read == 4
    # Conversation a lost row 3, so its row 2 goes too rather than load it incomplete.
    assert reasons_by_record(judged) == {
        2: "sibling_rejected",
        3: "malformed_row",
        4: "invalid_utf8",
    }
    assert set(judged.conversations["conversation_id"]) == {"c"}
    assert sorted(judged.records["record_number"].to_pylist()) == [5]
    original = judged.quarantine.set_index("record_number").loc[3, "original_record"]
    assert original == "a,2025-03-01T08:00:01Z,bot"


def test_column_map_renames_columns_values_and_sets_source(tmp_path):
    mapping = load_column_map(ROOT / "config" / "column_map.example.yaml")
    judged = judge_csv(
        tmp_path,
        "Ticket ID,Timestamp,Author Role,Message,Channel\n"
        "t1,2025-03-01T08:00:00Z,Member,hi,LiveChat\n"
        "t1,2025-03-01T08:00:01Z,Concierge Bot,hello,LiveChat\n",
        mapping,
    )
    assert judged.quarantine.empty
    assert [e["actor"] for e in judged.events.to_pylist()] == ["customer", "bot"]
    assert judged.conversations.iloc[0][["source", "channel"]].tolist() == ["acme_chat", "web"]


def test_column_map_rejects_unknown_targets(tmp_path):
    path = tmp_path / "map.yaml"
    path.write_text("columns:\n  ticket: conversation_number\n")
    with pytest.raises(ValueError, match="conversation_number"):
        load_column_map(path)


def test_gzip_and_parquet_exports_read_like_csv(tmp_path):
    rows = "conversation_id,sent_at,actor,text\nz,2025-03-01T08:00:00Z,user,hi\n"
    gz = tmp_path / "e.csv.gz"
    gz.write_bytes(gzip.compress(rows.encode()))
    assert judge_file(gz, gz.name, ColumnMap()).events.num_rows == 1
    table = pa.table(
        {
            "conversation_id": ["p", "p"],
            "sent_at": pa.array([1740816000, 1740816001], pa.int64()).cast(pa.timestamp("s")),
            "actor": ["customer", "bot"],
            "text": ["hi", "hello"],
            "csat_score": pa.array([None, 3], pa.int64()),
        }
    )
    parquet = tmp_path / "e.parquet"
    pq.write_table(table, parquet)
    judged = judge_file(parquet, parquet.name, ColumnMap())
    assert judged.quarantine.empty and judged.records_read == 2
    assert judged.conversations.iloc[0]["csat_score"] == 3
    assert str(judged.conversations.iloc[0]["started_at"]) == "2025-03-01 08:00:00+00:00"


def test_flat_columns_helper_matches_the_documented_layout():
    # The documented flat layout (docs/ingestion.md) is what the helpers write.
    assert FLAT_COLUMNS[:3] == ["conversation_id", "sent_at", "actor"]


@pytest.mark.parametrize("raw", ["voice", "Phone", "call", "IVR", "phone_call", "telephone"])
def test_calls_are_the_voice_channel(tmp_path, raw):
    judged = judge_csv(
        tmp_path,
        "conversation_id,sent_at,actor,text,channel\n"
        f"c,2025-03-01T08:00:00Z,caller,hi,{raw}\n"
        f"c,2025-03-01T08:00:03Z,ivr_bot,how can I help,{raw}\n",
        load_column_map(_write(tmp_path, "values: {actor: {ivr_bot: bot}}\n")),
    )
    assert judged.quarantine.empty
    assert judged.conversations["channel"].tolist() == ["voice"]
    assert [e["actor"] for e in judged.events.to_pylist()] == ["customer", "bot"]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(text)
    return path
