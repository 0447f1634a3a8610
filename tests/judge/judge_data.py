"""Builders for scrubbed conversations as the judges read them (warehouse columns)."""

from __future__ import annotations

import json
from datetime import date

import pyarrow as pa

DAY = date(2026, 1, 5)

Turn = tuple[str, str] | tuple[str, str, dict]  # (actor, text) or (actor, event_type, payload)


def tables(conversations: dict[str, list[Turn]], day: date = DAY) -> tuple[pa.Table, pa.Table]:
    """(conversations, events) tables: ``{id: [("customer", "hi"), ("bot", "hello"),
    ("bot", "handoff_requested", {"reason": "bot_fallback"})]}``; seq in list order."""
    events = []
    for cid, turns in conversations.items():
        for seq, turn in enumerate(turns):
            if len(turn) == 2:
                actor, text = turn
                kind, payload = "message", None
            else:
                actor, kind, body = turn
                text, payload = None, json.dumps(body)
            events.append(
                {
                    "partition_date": day,
                    "conversation_id": cid,
                    "seq": seq,
                    "actor": actor,
                    "event_type": kind,
                    "text": text,
                    "payload": payload,
                }
            )
    header = pa.table(
        {
            "partition_date": pa.array([day] * len(conversations), pa.date32()),
            "conversation_id": pa.array(list(conversations), pa.string()),
        }
    )
    schema = pa.schema(
        [
            ("partition_date", pa.date32()),
            ("conversation_id", pa.string()),
            ("seq", pa.int32()),
            ("actor", pa.string()),
            ("event_type", pa.string()),
            ("text", pa.string()),
            ("payload", pa.string()),
        ]
    )
    return header, pa.Table.from_pylist(events, schema=schema)
