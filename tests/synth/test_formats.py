"""The written files: canonical JSONL shape, flat CSV equivalence, determinism."""

from __future__ import annotations

import csv
import itertools
import json
from datetime import UTC, date, datetime
from pathlib import Path

from pipelines.synth import GenerationSummary, generate
from pipelines.synth.writers import CSV_COLUMNS
from schemas.canonical import ACTORS, CHANNELS, EVENT_TYPES, FEEDBACK_VALUES, HANDOFF_REASONS


def _records(summary: GenerationSummary) -> list[dict]:
    return [
        json.loads(line)
        for path in summary.landing_files
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def _small(root: Path, seed: int, fmt: str = "jsonl") -> GenerationSummary:
    return generate(
        date(2026, 3, 6),
        date(2026, 3, 9),
        40,
        seed=seed,
        landing=root / "landing",
        truth_dir=root / "truth",
        fmt=fmt,  # type: ignore[arg-type]
    )


def _files(summary: GenerationSummary) -> list[bytes]:
    return [path.read_bytes() for path in (*summary.landing_files, *summary.truth_files)]


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    first, again, other = (
        _small(tmp_path / "a", 3),
        _small(tmp_path / "b", 3),
        _small(tmp_path / "c", 4),
    )
    assert _files(first) == _files(again)
    assert _files(first) != _files(other)


def test_canonical_jsonl_records_are_well_formed(generated: tuple[Path, GenerationSummary]) -> None:
    _root, summary = generated
    records = _records(summary)
    assert len(records) == summary.conversations
    assert len({r["conversation_id"] for r in records}) == len(records)
    for path in summary.landing_files:
        day = path.parent.name.removeprefix("dt=")
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            started = datetime.fromisoformat(record["started_at"])
            assert started.utcoffset() is not None, "timestamps carry an offset"
            assert started.astimezone(UTC).date().isoformat() == day
    for record in records:
        events = record["events"]
        assert [e["seq"] for e in events] == list(range(len(events)))
        times = [datetime.fromisoformat(e["sent_at"]) for e in events]
        assert all(a < b for a, b in itertools.pairwise(times)), "sent_at strictly increases"
        assert record["started_at"] == events[0]["sent_at"]
        assert record["ended_at"] == events[-1]["sent_at"]
        assert record["channel"] in CHANNELS and record["market"] == "US"
        assert record["locale"] in ("en-US", "es-US")
        csat_events = [e for e in events if e["event_type"] == "csat"]
        assert record["csat_score"] == (
            csat_events[-1]["payload"]["score"] if csat_events else None
        )
        assert record["csat_submitted_at"] == (csat_events[-1]["sent_at"] if csat_events else None)
        for event in events:
            assert event["actor"] in ACTORS and event["event_type"] in EVENT_TYPES
            if event["event_type"] == "feedback":
                assert event["payload"]["value"] in FEEDBACK_VALUES
            if event["event_type"] == "handoff_requested":
                assert event["payload"]["reason"] in HANDOFF_REASONS
            if event["actor"] == "agent":
                assert event["agent_id"]


def test_csv_and_jsonl_carry_the_same_events(tmp_path: Path) -> None:
    as_jsonl, as_csv = _small(tmp_path / "j", 5), _small(tmp_path / "c", 5, "csv")
    assert [p.read_bytes() for p in as_jsonl.truth_files] == [
        p.read_bytes() for p in as_csv.truth_files
    ]
    expected = []
    for record in _records(as_jsonl):
        for event in record["events"]:
            payload = event["payload"]
            expected.append(
                {
                    "conversation_id": record["conversation_id"],
                    "sent_at": event["sent_at"],
                    "actor": event["actor"],
                    "event_type": event["event_type"],
                    "text": event["text"] or "",
                    "channel": record["channel"],
                    "locale": record["locale"],
                    "market": record["market"],
                    "customer_id": record["customer_id"],
                    "bot_version": record["bot_version"],
                    "intent": record["intent"] or "",
                    "csat_score": "" if record["csat_score"] is None else str(record["csat_score"]),
                    "agent_id": event["agent_id"] or "",
                    "payload": ""
                    if payload is None
                    else json.dumps(payload, separators=(",", ":"), sort_keys=True),
                }
            )
    rows = []
    for path in as_csv.landing_files:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
            rows.extend(reader)
    assert rows == expected


def test_spanish_locale_conversations_are_in_spanish(
    generated: tuple[Path, GenerationSummary],
) -> None:
    _, summary = generated
    spanish_bot_lines = [
        e["text"]
        for r in _records(summary)
        if r["locale"] == "es-US"
        for e in r["events"]
        if e["actor"] == "bot" and e["event_type"] == "message"
    ]
    assert spanish_bot_lines
    markers = ("¿", "á", "é", "í", "ó", "ú", "ñ", " tu ", " te ", "Hola")
    share = sum(any(m in line for m in markers) for line in spanish_bot_lines) / len(
        spanish_bot_lines
    )
    assert share > 0.8
