"""Property tests: random and corrupted records never crash an adapter or get lost."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.sources import ColumnMap, judge_file
from pipelines.sources.files import _BINARY_SIGNATURES

FAST = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])

conversation_ids = st.sampled_from(["c1", "c2", "c3", "", " ", "c-ü"])
timestamps = st.one_of(
    st.sampled_from(
        ["2025-03-01T08:00:00Z", "2025-03-01 08:00:05", "1740816010", "", "soon", "2025-02-30"]
    ),
    st.datetimes().map(lambda d: d.isoformat()),
    st.integers(min_value=-(10**12), max_value=10**13).map(str),
)
actors = st.sampled_from(["customer", "User", "chatbot", "agent", "system", "", "martian"])
event_types = st.sampled_from(["", "message", "feedback", "csat", "handoff", "closed", "dance"])
texts = st.one_of(st.text(max_size=40), st.sampled_from(["positive", "negative", "4", "9"]))
optional = st.one_of(st.just(""), st.text(max_size=8))

flat_rows = st.lists(
    st.fixed_dictionaries(
        {
            "conversation_id": conversation_ids,
            "sent_at": timestamps,
            "actor": actors,
            "event_type": event_types,
            "text": texts,
            "channel": st.sampled_from(["", "web", "Web", "fax"]),
            "csat_score": st.sampled_from(["", "1", "5", "0", "x"]),
            "seq": st.sampled_from(["", "0", "1", "-1", "a"]),
            "payload": st.sampled_from(["", "{}", '{"value": "positive"}', "[1]", "{bad"]),
            "locale": optional,
        }
    ),
    max_size=25,
)


def judge_bytes(name: str, data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return judge_file(path, name, ColumnMap())


def assert_reconciles(judged) -> None:
    loaded = int(judged.conversations["n_records"].sum())
    assert loaded + len(judged.quarantine) == judged.records_read
    assert judged.quarantine["record_number"].is_unique
    assert judged.quarantine["reason_code"].notna().all()


@FAST
@given(rows=flat_rows)
def test_flat_csv_rows_are_loaded_or_quarantined(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, list(rows[0]) if rows else ["conversation_id", "sent_at", "actor"]
    )
    writer.writeheader()
    writer.writerows(rows)
    judged = judge_bytes("e.csv", buffer.getvalue().encode("utf-8", errors="surrogatepass"))
    assert judged.records_read == len(rows)
    assert_reconciles(judged)


@FAST
@given(rows=flat_rows, junk=st.lists(st.binary(max_size=30), max_size=4))
def test_flat_csv_with_corrupted_lines_reconciles(rows, junk):
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer,
        [
            "conversation_id",
            "sent_at",
            "actor",
            "event_type",
            "text",
            "channel",
            "csat_score",
            "seq",
            "payload",
            "locale",
        ],
    )
    writer.writeheader()
    writer.writerows(rows)
    lines = buffer.getvalue().encode("utf-8", errors="surrogatepass").split(b"\r\n")
    for i, chunk in enumerate(junk):
        lines.insert(1 + (i * 7) % max(len(lines) - 1, 1), chunk)
    assert_reconciles(judge_bytes("e.csv", b"\n".join(lines)))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
events = st.lists(
    st.fixed_dictionaries(
        {"sent_at": timestamps, "actor": actors, "event_type": event_types, "text": texts},
        optional={"seq": st.integers(-1, 3), "payload": json_values},
    ),
    max_size=5,
)
conversations = st.fixed_dictionaries(
    {"conversation_id": conversation_ids, "events": events},
    optional={
        "started_at": timestamps,
        "csat_score": st.integers(-1, 7),
        "channel": st.text(max_size=5),
    },
)
jsonl_lines = st.lists(
    st.one_of(
        conversations.map(lambda c: json.dumps(c).encode()),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=20).filter(lambda b: b"\n" not in b),
    ),
    max_size=12,
).filter(
    # A file whose first bytes are a binary format's signature (xz, zip, ...) is one
    # unreadable record, on purpose (test_ingest_unreadable.py), not lines.
    lambda lines: not (lines and lines[0].startswith(tuple(_BINARY_SIGNATURES)))
)


@FAST
@given(lines=jsonl_lines)
def test_jsonl_lines_are_loaded_or_quarantined(lines):
    judged = judge_bytes("c.jsonl", b"\n".join(lines))
    assert judged.records_read == sum(1 for line in lines if line.strip())
    assert_reconciles(judged)


intercom_parts = st.lists(
    st.fixed_dictionaries(
        {
            "part_type": st.sampled_from(["comment", "assignment", "close", "note", "weird"]),
            "created_at": st.one_of(st.integers(1_600_000_000, 1_700_000_000), st.text(max_size=5)),
            "author": st.fixed_dictionaries(
                {"type": st.sampled_from(["user", "bot", "admin", "alien"])}
            ),
            "body": st.one_of(st.none(), st.text(max_size=20)),
        }
    ),
    max_size=5,
)


@FAST
@given(
    parts=st.lists(intercom_parts, max_size=4),
    junk=st.lists(json_values, max_size=2),
)
def test_intercom_exports_are_loaded_or_quarantined(parts, junk):
    conversations_list = [
        {
            "type": "conversation",
            "id": str(i),
            "created_at": 1_650_000_000 + i,
            "conversation_parts": {"conversation_parts": p},
        }
        for i, p in enumerate(parts)
    ]
    document = {"type": "conversation.list", "conversations": conversations_list + junk}
    judged = judge_bytes("i.json", json.dumps(document).encode())
    assert judged.records_read == len(conversations_list) + len(junk)
    assert_reconciles(judged)
