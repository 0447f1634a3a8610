"""Intercom and Zendesk exports (fixtures built from the vendors' API reference examples)."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.sources import ColumnMap, judge_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def judge(name: str):
    return judge_file(FIXTURES / name, name, ColumnMap())


def test_intercom_single_conversation_from_the_api_example():
    judged = judge("intercom_conversation.json")
    assert judged.quarantine.empty
    header = judged.conversations.iloc[0]
    assert (header["conversation_id"], header["source"], header["customer_id"]) == (
        "147",
        "intercom",
        "536e564f316c83104c000020",
    )
    events = judged.events.to_pylist()
    assert [(e["actor"], e["agent_id"]) for e in events] == [("agent", "25"), ("customer", None)]
    assert events[1]["text"] == "Hi Jane, it's all great thanks!"  # HTML stripped


def test_intercom_list_maps_bot_handoff_rating_and_quarantines_a_bad_record():
    judged = judge("intercom_conversation_list.json")
    assert judged.records_read == 2
    events = judged.events.to_pylist()
    assert [(e["actor"], e["event_type"]) for e in events] == [
        ("customer", "message"),
        ("bot", "message"),
        ("customer", "message"),
        ("bot", "handoff_requested"),
        ("agent", "handoff_accepted"),
        ("agent", "message"),
        ("agent", "closed"),
    ]
    assert "note" not in {e["event_type"] for e in events}  # internal notes are skipped
    assert events[5]["text"] == "I've sent a new link & whitelisted our domain."
    assert judged.conversations.iloc[0]["csat_score"] == 5
    bad = judged.quarantine.iloc[0]
    assert (bad["record_number"], bad["reason_code"]) == (2, "unparseable_timestamp")
    assert json.loads(bad["original_record"])["id"] == "1296"


def test_zendesk_ticket_with_comments():
    judged = judge("zendesk_ticket_comments.json")
    assert judged.quarantine.empty
    events = judged.events.to_pylist()
    assert [(e["actor"], e["event_type"]) for e in events] == [
        ("customer", "message"),
        ("bot", "message"),
        ("agent", "message"),
        ("customer", "feedback"),
        ("system", "closed"),
    ]
    assert json.loads(events[3]["payload"])["value"] == "positive"
    assert judged.conversations.iloc[0][["conversation_id", "channel"]].tolist() == ["35436", "web"]


def test_unknown_or_broken_json_is_one_quarantined_record(tmp_path):
    for name, text, reason in [
        ("other.json", '{"hello": "world"}', "unsupported_format"),
        ("broken.json", '{"ticket": ', "malformed_json"),
    ]:
        path = tmp_path / name
        path.write_text(text)
        judged = judge_file(path, name, ColumnMap())
        assert judged.records_read == 1
        assert judged.quarantine["reason_code"].tolist() == [reason]
