"""scrub_events / pseudonymize_conversations on the canonical tables."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from pipelines.pii import pseudonymize, pseudonymize_conversations, scrub_events

KEY = b"k" * 32


def test_scrub_events_per_conversation(tables: tuple[pa.Table, pa.Table]) -> None:
    _, events = tables
    batch = scrub_events(events, KEY, workers=1, chunk_events=5)
    out = batch.events
    assert out.column_names == [
        "partition_date", "conversation_id", "seq", "sent_at", "actor",
        "event_type", "text", "agent_key", "payload",
    ]  # fmt: skip
    assert out.num_rows == events.num_rows
    rows = {(r["conversation_id"], r["seq"]): r for r in out.to_pylist()}
    first = "2025-03-04-c0"
    assert rows[(first, 0)]["text"] == "Hi, my name is <PERSON_1>, call me at <PHONE_1>"
    assert rows[(first, 1)]["text"] == "Sure <PERSON_1>, what is your email?"
    assert rows[(first, 2)]["text"] == "<EMAIL_1>, card <CREDIT_CARD_1>"
    assert rows[(first, 3)]["text"] is None
    assert rows[(first, 3)]["payload"] == '{"note":"mail <EMAIL_2>"}'
    assert rows[(first, 1)]["agent_key"] == pseudonymize("agent-0", KEY)
    assert batch.detections == {"CREDIT_CARD": 6, "EMAIL": 12, "PERSON": 12, "PHONE": 6}


def test_workers_two_equals_one(tables: tuple[pa.Table, pa.Table]) -> None:
    _, events = tables
    one = scrub_events(events, KEY, workers=1, chunk_events=5)
    two = scrub_events(events, KEY, workers=2, chunk_events=5)
    assert two.events.equals(one.events)
    assert two.detections == one.detections


def test_pseudonymize_conversations(tables: tuple[pa.Table, pa.Table]) -> None:
    conversations, _ = tables
    out = pseudonymize_conversations(conversations, KEY)
    assert "customer_id" not in out.column_names
    assert out.column_names.index("customer_key") == conversations.column_names.index("customer_id")
    assert out.column("customer_key")[0].as_py() == pseudonymize("cust-0", KEY)


def test_scrub_events_applies_the_given_patterns_file(
    tables: tuple[pa.Table, pa.Table], tmp_path: Path
) -> None:
    _, events = tables
    config = tmp_path / "patterns.yaml"
    config.write_text("custom_patterns:\n  - name: TICKET\n    regex: '\\bcard\\b'\n")
    batch = scrub_events(events, KEY, workers=1, patterns=config)
    rows = {(r["conversation_id"], r["seq"]): r["text"] for r in batch.events.to_pylist()}
    assert rows[("2025-03-04-c0", 2)] == "<EMAIL_1>, <TICKET_1> <CREDIT_CARD_1>"
    assert batch.detections["TICKET"] == 6
    default = scrub_events(events, KEY, workers=1)
    assert "TICKET" not in default.detections
