"""Platform exports (``.json``) mapped onto the canonical model: Intercom and Zendesk.

A record is one conversation (Intercom) or one ticket (Zendesk), numbered from 1
in file order. Shapes accepted, as returned by the vendors' REST APIs:

* Intercom (``GET /conversations/{id}``): a conversation object
  (``"type": "conversation"``), a ``conversation.list`` with ``conversations``, or
  a JSON array of conversation objects. ``source`` (API 2.x) or
  ``conversation_message`` (1.0) is the opening message; ``conversation_parts``
  follow. ``comment`` parts are messages, ``assignment`` parts by a bot are
  handoff requests and by a teammate handoff acceptances, ``close`` parts close;
  notes and other bookkeeping parts are not customer-facing and are skipped.
  Author types: user/lead/contact -> customer, bot -> bot, admin/team -> agent.
  ``conversation_rating.rating`` (1..5) is the CSAT.
* Zendesk (``GET /tickets/{id}`` + ``GET /tickets/{id}/comments``): an object with
  ``ticket`` and ``comments``, or ``tickets`` whose items carry their own
  ``comments``. Public comments are messages (private ones are internal notes and
  skipped); the requester is the customer, comments via an ``answer_bot``/AI agent
  channel are the bot, everyone else is an agent. ``satisfaction_rating`` good/bad
  becomes a feedback event and a solved/closed status a closed event, both at the
  ticket's ``updated_at``.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import duckdb

from pipelines.sources import reasons
from pipelines.sources.jsonl import stage_conversations
from pipelines.sources.staging import STAGED_SCHEMA, Reject, StagedFile, load_staged

_KEEP_CHARS = 10_000

INTERCOM_ACTORS = {
    "user": "customer",
    "lead": "customer",
    "contact": "customer",
    "bot": "bot",
    "admin": "agent",
    "team": "agent",
}
INTERCOM_CHANNELS = {"email": "email"}
ZENDESK_CHANNELS = {"web": "web", "email": "email", "mail": "email"}
ZENDESK_BOT_CHANNEL_PREFIXES = ("answer_bot", "ai_agent")
ZENDESK_FEEDBACK = {"good": "positive", "bad": "negative"}


class _TextExtractor(HTMLParser):
    """Message bodies are HTML; keep the text and turn block breaks into newlines."""

    BREAKS = frozenset({"br", "p", "div", "li"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BREAKS and self.parts:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(body: object) -> str | None:
    if not isinstance(body, str):
        return None
    parser = _TextExtractor()
    parser.feed(body)
    parser.close()
    return "".join(parser.parts).strip() or None


def _get(obj: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _intercom_event(part: dict[str, Any]) -> dict[str, Any] | None:
    author_type = _get(part, "author", "type")
    actor = INTERCOM_ACTORS.get(str(author_type), author_type)
    part_type = part.get("part_type")
    event: dict[str, Any] = {"sent_at": part.get("created_at"), "actor": actor}
    if actor == "agent":
        event["agent_id"] = _get(part, "author", "id")
    if part_type == "comment":
        return {**event, "event_type": "message", "text": html_text(part.get("body"))}
    if part_type == "assignment":
        if actor == "bot":
            return {
                **event,
                "event_type": "handoff_requested",
                "payload": {"reason": "unspecified"},
            }
        return {
            **event,
            "event_type": "handoff_accepted",
            "agent_id": _get(part, "assigned_to", "id") or event.get("agent_id"),
        }
    if part_type == "close":
        return {**event, "event_type": "closed", "actor": actor or "system"}
    return None


def intercom_conversation(conversation: dict[str, Any]) -> dict[str, Any]:
    """One Intercom conversation object -> a canonical conversation dict."""
    opening = conversation.get("source") or conversation.get("conversation_message") or {}
    contacts = _get(conversation, "contacts", "contacts") or []
    customer = (contacts[0] if contacts else None) or conversation.get("user") or {}
    events = []
    if opening.get("body") is not None:
        events.append(
            _intercom_event(
                {
                    "part_type": "comment",
                    "created_at": conversation.get("created_at"),
                    "author": opening.get("author"),
                    "body": opening.get("body"),
                }
            )
        )
    parts = _get(conversation, "conversation_parts", "conversation_parts") or []
    events.extend(_intercom_event(p) for p in parts if isinstance(p, dict))
    rating = conversation.get("conversation_rating") or {}
    return {
        "conversation_id": conversation.get("id"),
        "started_at": conversation.get("created_at"),
        "channel": INTERCOM_CHANNELS.get(str(opening.get("type"))),
        "customer_id": customer.get("id"),
        "csat_score": rating.get("rating"),
        "csat_submitted_at": rating.get("created_at") if rating.get("rating") else None,
        "events": [e for e in events if e is not None],
    }


def zendesk_ticket(ticket: dict[str, Any], comments: list[Any]) -> dict[str, Any]:
    """One Zendesk ticket and its comments -> a canonical conversation dict."""
    requester = ticket.get("requester_id")
    events: list[dict[str, Any]] = []
    for comment in comments:
        if not isinstance(comment, dict) or comment.get("public") is False:
            continue
        channel = str(_get(comment, "via", "channel") or "")
        if comment.get("author_id") == requester:
            actor, agent_id = "customer", None
        elif channel.startswith(ZENDESK_BOT_CHANNEL_PREFIXES):
            actor, agent_id = "bot", None
        else:
            actor, agent_id = "agent", comment.get("author_id")
        events.append(
            {
                "sent_at": comment.get("created_at"),
                "actor": actor,
                "event_type": "message",
                "text": comment.get("plain_body") or comment.get("body"),
                "agent_id": agent_id,
            }
        )
    feedback = ZENDESK_FEEDBACK.get(str(_get(ticket, "satisfaction_rating", "score")))
    if feedback:
        comment = _get(ticket, "satisfaction_rating", "comment")
        events.append(
            {
                "sent_at": ticket.get("updated_at"),
                "actor": "customer",
                "event_type": "feedback",
                "payload": {"value": feedback, **({"comment": comment} if comment else {})},
            }
        )
    if ticket.get("status") in ("solved", "closed"):
        events.append(
            {"sent_at": ticket.get("updated_at"), "actor": "system", "event_type": "closed"}
        )
    return {
        "conversation_id": ticket.get("id"),
        "started_at": ticket.get("created_at"),
        "channel": ZENDESK_CHANNELS.get(str(_get(ticket, "via", "channel"))),
        "customer_id": requester,
        "events": events,
    }


def _records(document: Any) -> tuple[str, list[tuple[object, object]]] | None:
    """Recognise the export: (source, [(raw record, canonical or None)])."""
    if isinstance(document, list) and all(
        isinstance(d, dict) and d.get("type") == "conversation" for d in document
    ):
        return "intercom", [(d, intercom_conversation(d)) for d in document]
    if not isinstance(document, dict):
        return None
    if document.get("type") == "conversation":
        return "intercom", [(document, intercom_conversation(document))]
    if document.get("type") == "conversation.list" and isinstance(
        document.get("conversations"), list
    ):
        return "intercom", [
            (d, intercom_conversation(d) if isinstance(d, dict) else None)
            for d in document["conversations"]
        ]
    if isinstance(document.get("ticket"), dict) and isinstance(document.get("comments"), list):
        return "zendesk", [(document, zendesk_ticket(document["ticket"], document["comments"]))]
    if isinstance(document.get("tickets"), list):
        return "zendesk", [
            (t, zendesk_ticket(t, t.get("comments") or []) if isinstance(t, dict) else None)
            for t in document["tickets"]
        ]
    return None


def _whole_file(
    con: duckdb.DuckDBPyConnection, source_file: str, reason: str, message: str, text: str
) -> StagedFile:
    load_staged(con, STAGED_SCHEMA.empty_table())
    return StagedFile(
        source_file, 1, "conversation", [Reject(0, reason, message, text[:_KEEP_CHARS])]
    )


def read_platform_json(con: duckdb.DuckDBPyConnection, path: Path, source_file: str) -> StagedFile:
    """Stage a platform export; an unreadable or unknown file is one quarantined record."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        escaped = raw.decode("utf-8", errors="backslashreplace")
        return _whole_file(
            con, source_file, reasons.INVALID_UTF8, f"byte {error.start}: {error.reason}", escaped
        )
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return _whole_file(con, source_file, reasons.MALFORMED_JSON, str(error), text)
    recognised = _records(document)
    if recognised is None:
        return _whole_file(
            con,
            source_file,
            reasons.UNSUPPORTED_FORMAT,
            "not an Intercom conversation export or a Zendesk ticket export",
            text,
        )
    source, records = recognised
    items = [
        (
            number,
            canonical if canonical is not None else raw_record,
            json.dumps(raw_record, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        )
        for number, (raw_record, canonical) in enumerate(records, start=1)
    ]
    return stage_conversations(con, source_file, items, default_source=source)
