"""Small canonical tables in the ingestion contract (model schemas + partition_date)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pyarrow as pa
import pytest

from schemas.canonical import CONVERSATION_SCHEMA, EVENT_SCHEMA

DAY = date(2025, 3, 4)


def make_tables(day: date = DAY, conversations: int = 6) -> tuple[pa.Table, pa.Table]:
    """Conversations with planted PII; events deliberately out of (id, seq) order."""
    start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    people = ["John Smith", "Maria Garcia", "Wei Chen", "Aisha Khan", "Olga Petrova", "Liam Brown"]
    headers, events = [], []
    for n in range(conversations):
        person = people[n % len(people)]
        cid = f"{day.isoformat()}-c{n}"
        headers.append(
            {
                "partition_date": day,
                "conversation_id": cid,
                "source": "test",
                "started_at": start,
                "ended_at": start + timedelta(minutes=5),
                "channel": "web",
                "locale": "en-US",
                "market": "US",
                "customer_id": f"cust-{n}",
                "bot_version": "v1",
                "intent": "billing",
                "csat_score": 4,
                "csat_submitted_at": None,
            }
        )
        texts = [
            f"Hi, my name is {person}, call me at 415-555-01{n:02d}",
            f"Sure {person.split()[0]}, what is your email?",
            f"john.smith{n}@gmail.com, card 4111 1111 1111 1111",
            None,
        ]
        for seq in reversed(range(len(texts))):
            events.append(
                {
                    "partition_date": day,
                    "conversation_id": cid,
                    "seq": seq,
                    "sent_at": start + timedelta(seconds=seq),
                    "actor": "customer" if seq % 2 == 0 else "agent",
                    "event_type": "message" if texts[seq] else "closed",
                    "text": texts[seq],
                    "agent_id": None if seq % 2 == 0 else f"agent-{n % 2}",
                    "payload": '{"note": "mail a@b.com"}' if seq == 3 else None,
                }
            )
    date_field = pa.field("partition_date", pa.date32())
    conversation_table = pa.Table.from_pylist(
        headers, schema=pa.schema([date_field, *CONVERSATION_SCHEMA])
    )
    event_table = pa.Table.from_pylist(events, schema=pa.schema([date_field, *EVENT_SCHEMA]))
    return conversation_table, event_table


@pytest.fixture
def tables() -> tuple[pa.Table, pa.Table]:
    return make_tables()


@pytest.fixture
def day() -> date:
    return DAY
