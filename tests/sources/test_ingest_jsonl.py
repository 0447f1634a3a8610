"""Canonical JSONL: one conversation per line, judged by the same rules as flat tables."""

from __future__ import annotations

import gzip
import json

from pipelines.sources import ColumnMap, judge_file
from tests.sources.ingest_helpers import conversation


def judge_lines(tmp_path, lines: list[bytes], name: str = "c.jsonl"):
    path = tmp_path / name
    data = b"\n".join(lines)
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return judge_file(path, name, ColumnMap())


def line(obj: object) -> bytes:
    return json.dumps(obj).encode()


def test_every_non_blank_line_is_one_record_with_its_own_reason(tmp_path):
    early = conversation("early", "2025-03-01T09:00:00+00:00")
    early["started_at"] = "2025-03-01T10:00:00+00:00"  # events start an hour before
    twice = conversation("twice", "2025-03-01T09:00:00+00:00")
    twice["events"][1]["seq"] = 0
    lines = [
        line(conversation("ok", "2025-03-01T09:00:00+00:00")),
        b"",
        line(early),
        line(twice),
        line(conversation("loc", "2025-03-01T09:00:00+00:00", locale="english!")),
        line(["not", "an", "object"]),
        line({"conversation_id": "x", "events": "nope"}),
        b'{"conversation_id": "caf\xe9"}',
    ]
    judged = judge_lines(tmp_path, lines, name="c.jsonl.gz")
    assert judged.records_read == 7  # the blank line is not a record
    assert dict(
        zip(judged.quarantine["record_number"], judged.quarantine["reason_code"], strict=True)
    ) == {
        3: "event_outside_conversation",
        4: "duplicate_event",
        5: "invalid_locale",
        6: "malformed_json",
        7: "malformed_json",
        8: "invalid_utf8",
    }
    assert judged.conversations["conversation_id"].tolist() == ["ok"]
    assert judged.quarantine.set_index("record_number").loc[8, "original_record"] == (
        '{"conversation_id": "caf\\xe9"}'
    )


def test_a_repeated_line_keeps_the_later_delivery(tmp_path):
    first = conversation("same", "2025-03-01T09:00:00+00:00", n_events=2)
    second = conversation("same", "2025-03-01T09:00:00+00:00", n_events=4)
    judged = judge_lines(tmp_path, [line(first), line(second)])
    # Both lines are valid deliveries; ingest_days keeps the later one (see test_ingest_days).
    assert judged.conversations["n_records"].tolist() == [1, 1]
    assert judged.events.num_rows == 6


def test_labels_holding_personal_data_are_quarantined_not_published(tmp_path):
    # A mis-mapped column puts a customer's email or phone into a dimension label, which
    # would otherwise become a slice of every mart.
    lines = [
        line(conversation("ok", "2025-03-01T09:00:00+00:00", intent="billing.refund")),
        line(conversation("a", "2025-03-01T09:00:00+00:00", intent="refund jo@example.org")),
        line(conversation("b", "2025-03-01T09:00:00+00:00", bot_version="v2-415-555-0177")),
        line(conversation("c", "2025-03-01T09:00:00+00:00", source="zd 123-45-6789")),
        line(conversation("d", "2025-03-01T09:00:00+00:00", locale="en-415-555-0177")),
        line(
            conversation("e", "2025-03-01T09:00:00+00:00", locale="es-419", intent="Order Status")
        ),
    ]
    judged = judge_lines(tmp_path, lines)
    reasons = dict(
        zip(judged.quarantine["record_number"], judged.quarantine["reason_code"], strict=True)
    )
    assert reasons == {
        2: "personal_data_in_label",
        3: "personal_data_in_label",
        4: "personal_data_in_label",
        5: "invalid_locale",
    }
    assert sorted(judged.conversations["conversation_id"]) == ["e", "ok"]


def test_a_survey_answered_twice_counts_the_last_answer(tmp_path):
    twice = conversation("csat2", "2025-03-01T09:00:00+00:00", n_events=2)
    for seq, (minute, score) in enumerate([(5, 2), (9, 5)], start=2):
        twice["events"].append(
            {
                "seq": seq,
                "sent_at": f"2025-03-01T09:{minute:02d}:00+00:00",
                "actor": "customer",
                "event_type": "csat",
                "payload": {"score": score},
            }
        )
    judged = judge_lines(tmp_path, [line(twice)])
    assert judged.quarantine.empty
    assert judged.conversations["csat_score"].tolist() == [5]
    submitted = judged.conversations["csat_submitted_at"].iloc[0]
    assert str(submitted).startswith("2025-03-01 09:09")
