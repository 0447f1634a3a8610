"""Serialize played conversations: canonical JSONL, the flat CSV event table, and truth rows.

All three are built from the same event dicts, and the truth ladder is computed
from exactly those dicts, so the truth describes the bytes on disk.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import IO, Any
from zoneinfo import ZoneInfo

from pipelines.synth.conversation import Played, Setup
from pipelines.synth.ladder import ladder

SOURCE = "synthetic"
MARKET = "US"
CSV_COLUMNS = (
    "conversation_id",
    "sent_at",
    "actor",
    "event_type",
    "text",
    "channel",
    "locale",
    "market",
    "customer_id",
    "bot_version",
    "intent",
    "csat_score",
    "agent_id",
    "payload",
)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@cache
def _fixed(offset: timedelta) -> timezone:
    return timezone(offset)


def _local_zone(zone_name: str, at: int) -> timezone:
    """The customer's UTC offset at the conversation start, used for all its events.

    Exports usually stamp a whole conversation in one offset; a fixed offset also
    keeps every rendered timestamp a valid instant even across a DST switch.
    """
    offset = datetime.fromtimestamp(at, _zone(zone_name)).utcoffset()
    return _fixed(offset or timedelta(0))


def _iso(at: int, tz: timezone) -> str:
    return datetime.fromtimestamp(at, tz).isoformat()


def conversation_record(conversation_id: str, setup: Setup, played: Played) -> dict[str, Any]:
    """The canonical JSONL object of one conversation (payloads as JSON objects)."""
    tz = _local_zone(setup.customer.timezone, setup.started_at)
    events = [
        {
            "seq": seq,
            "sent_at": _iso(at, tz),
            "actor": actor,
            "event_type": kind,
            "text": text,
            "agent_id": agent_id,
            "payload": payload,
        }
        for seq, (at, actor, kind, text, agent_id, payload) in enumerate(played.events)
    ]
    return {
        "conversation_id": conversation_id,
        "source": SOURCE,
        "started_at": events[0]["sent_at"],
        "ended_at": events[-1]["sent_at"],
        "channel": setup.channel,
        "locale": setup.customer.locale,
        "market": MARKET,
        "customer_id": setup.customer.customer_id,
        "bot_version": setup.bot_version,
        # The NLU labels an intent only once the customer has said something.
        "intent": setup.intent.name if played.customer_spoke else None,
        "csat_score": played.csat_score,
        "csat_submitted_at": _iso(played.csat_at, tz) if played.csat_at is not None else None,
        "events": events,
    }


def truth_row(
    record: dict[str, Any], setup: Setup, played: Played, incident: bool
) -> dict[str, Any]:
    """The ground-truth line for one written conversation."""
    outcome = ladder(record["events"], record["csat_score"])
    started = datetime.fromtimestamp(setup.started_at, UTC)
    return {
        "conversation_id": record["conversation_id"],
        "customer_id": record["customer_id"],
        "partition_date": started.date().isoformat(),
        "started_at": started.isoformat(),
        "channel": record["channel"],
        "locale": record["locale"],
        "intent": record["intent"],
        "bot_version": record["bot_version"],
        "incident": incident,
        "bot_involved": outcome.bot_involved,
        "handed_off": outcome.handed_off,
        "handoff_reason": outcome.handoff_reason,
        "bot_answered": outcome.bot_answered,
        "abandoned": outcome.abandoned,
        "contained": outcome.contained,
        "assumed_resolved": outcome.assumed_resolved,
        "confirmed_resolved": outcome.confirmed_resolved,
        "last_feedback": outcome.last_feedback,
        "csat_score": outcome.csat_score,
        "truly_resolved": played.truly_resolved,
        "pii": [
            {
                "seq": seq,
                "type": span.type,
                "start": span.start,
                "end": span.end,
                "value": span.value,
            }
            for seq, span in played.spans
        ],
    }


def dumps(obj: dict[str, Any]) -> str:
    """One JSON line; UTF-8 text kept as is (Spanish, emojis), compact and stable."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def payload_text(payload: dict[str, Any] | None) -> str:
    """Payload as the compact, key-sorted JSON string the flat form carries."""
    return "" if payload is None else json.dumps(payload, separators=(",", ":"), sort_keys=True)


def csv_writer(handle: IO[str]) -> Any:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    return writer


def csv_rows(record: dict[str, Any]) -> list[list[Any]]:
    """Flat rows of one conversation: header columns repeated on every event; nulls empty."""
    shared = [
        record["channel"],
        record["locale"],
        record["market"],
        record["customer_id"],
        record["bot_version"],
        record["intent"] or "",
        "" if record["csat_score"] is None else record["csat_score"],
    ]
    return [
        [
            record["conversation_id"],
            event["sent_at"],
            event["actor"],
            event["event_type"],
            event["text"] or "",
            *shared,
            event["agent_id"] or "",
            payload_text(event["payload"]),
        ]
        for event in record["events"]
    ]
