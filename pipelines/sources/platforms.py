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

import codecs
import json
from html.parser import HTMLParser
from typing import Annotated, Any

import duckdb
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from pipelines.sources import reasons
from pipelines.sources.jsonl import parse_json, stage_conversations
from pipelines.sources.landing import LandingFile
from pipelines.sources.staging import (
    STAGED_SCHEMA,
    UNREADABLE_PREFIX_CHARS,
    Reject,
    StagedFile,
    load_staged,
)

INTERCOM_ACTORS = {
    "user": "customer",
    "lead": "customer",
    "contact": "customer",
    "bot": "bot",
    "admin": "agent",
    "team": "agent",
}
INTERCOM_CHANNELS = {"email": "email"}
ZENDESK_CHANNELS = {"web": "web", "email": "email", "mail": "email", "voice": "voice"}
ZENDESK_BOT_CHANNEL_PREFIXES = ("answer_bot", "ai_agent")
ZENDESK_FEEDBACK = {"good": "positive", "bad": "negative"}


def _single_value(value: object) -> object:
    if isinstance(value, dict | list):
        raise ValueError("expected a single value, not an object or array")
    return value


# A leaf value: any JSON scalar; normalization judges it (timestamps, ids, scores).
Scalar = Annotated[Any, AfterValidator(_single_value)]


class _Shape(BaseModel):
    """The part of a vendor's export closedloop reads, with the JSON structure the vendor
    documents; any other field is ignored. A record of another structure (text where an
    object belongs, a number where a list belongs) is quarantined as unexpected_shape
    instead of failing the run. pydantic checks it; hand-written isinstance checks would
    miss a path sooner or later."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class IntercomAuthor(_Shape):
    type: Scalar = None
    id: Scalar = None


class IntercomMessage(_Shape):
    """The opening message (``source`` / ``conversation_message``) or a part."""

    type: Scalar = None
    body: str | None = None
    author: IntercomAuthor | None = None


class IntercomPart(IntercomMessage):
    part_type: Scalar = None
    created_at: Scalar = None
    assigned_to: IntercomAuthor | None = None


class IntercomParts(_Shape):
    conversation_parts: list[IntercomPart] = []


class IntercomContacts(_Shape):
    contacts: list[IntercomAuthor] = []


class IntercomRating(_Shape):
    rating: Scalar = None
    created_at: Scalar = None


class IntercomConversation(_Shape):
    id: Scalar = None
    created_at: Scalar = None
    source: IntercomMessage | None = None
    conversation_message: IntercomMessage | None = None
    contacts: IntercomContacts | None = None
    user: IntercomAuthor | None = None
    conversation_parts: IntercomParts | None = None
    conversation_rating: IntercomRating | None = None


class ZendeskVia(_Shape):
    channel: Scalar = None


class ZendeskComment(_Shape):
    author_id: Scalar = None
    public: Scalar = None
    body: str | None = None
    plain_body: str | None = None
    created_at: Scalar = None
    via: ZendeskVia | None = None


class ZendeskRating(_Shape):
    score: Scalar = None
    comment: str | None = None


class ZendeskTicket(_Shape):
    id: Scalar = None
    created_at: Scalar = None
    updated_at: Scalar = None
    requester_id: Scalar = None
    status: Scalar = None
    via: ZendeskVia | None = None
    satisfaction_rating: ZendeskRating | None = None


class ZendeskTicketWithComments(ZendeskTicket):
    """An item of ``{"tickets": [...]}``, carrying its own comments."""

    comments: list[ZendeskComment] = []


class ZendeskTicketExport(_Shape):
    """``{"ticket": ..., "comments": [...]}`` (ticket + its comments endpoint)."""

    ticket: ZendeskTicket
    comments: list[ZendeskComment]


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


def html_text(body: str | None) -> str | None:
    if body is None:
        return None
    parser = _TextExtractor()
    parser.feed(body)
    parser.close()
    return "".join(parser.parts).strip() or None


def _intercom_event(part: IntercomPart) -> dict[str, Any] | None:
    author = part.author or IntercomAuthor()
    actor = INTERCOM_ACTORS.get(str(author.type), author.type)
    event: dict[str, Any] = {"sent_at": part.created_at, "actor": actor}
    if actor == "agent":
        event["agent_id"] = author.id
    if part.part_type == "comment":
        return {**event, "event_type": "message", "text": html_text(part.body)}
    if part.part_type == "assignment":
        if actor == "bot":
            return {
                **event,
                "event_type": "handoff_requested",
                "payload": {"reason": "unspecified"},
            }
        assignee = part.assigned_to.id if part.assigned_to else None
        return {
            **event,
            "event_type": "handoff_accepted",
            "agent_id": assignee or event.get("agent_id"),
        }
    if part.part_type == "close":
        return {**event, "event_type": "closed", "actor": actor or "system"}
    return None


def intercom_conversation(conversation: IntercomConversation) -> dict[str, Any]:
    """One Intercom conversation object -> a canonical conversation dict."""
    opening = conversation.source or conversation.conversation_message or IntercomMessage()
    contacts = conversation.contacts.contacts if conversation.contacts else []
    customer = (contacts[0] if contacts else None) or conversation.user or IntercomAuthor()
    parts = (
        conversation.conversation_parts.conversation_parts
        if conversation.conversation_parts
        else []
    )
    if opening.body is not None:
        parts = [
            IntercomPart(
                part_type="comment",
                created_at=conversation.created_at,
                author=opening.author,
                body=opening.body,
            ),
            *parts,
        ]
    events = [_intercom_event(part) for part in parts]
    rating = conversation.conversation_rating or IntercomRating()
    return {
        "conversation_id": conversation.id,
        "started_at": conversation.created_at,
        "channel": INTERCOM_CHANNELS.get(str(opening.type)),
        "customer_id": customer.id,
        "csat_score": rating.rating,
        "csat_submitted_at": rating.created_at if rating.rating else None,
        "events": [e for e in events if e is not None],
    }


def zendesk_ticket(ticket: ZendeskTicket, comments: list[ZendeskComment]) -> dict[str, Any]:
    """One Zendesk ticket and its comments -> a canonical conversation dict."""
    requester = ticket.requester_id
    events: list[dict[str, Any]] = []
    for comment in comments:
        if comment.public is False:
            continue
        channel = str((comment.via.channel if comment.via else None) or "")
        if comment.author_id == requester:
            actor, agent_id = "customer", None
        elif channel.startswith(ZENDESK_BOT_CHANNEL_PREFIXES):
            actor, agent_id = "bot", None
        else:
            actor, agent_id = "agent", comment.author_id
        events.append(
            {
                "sent_at": comment.created_at,
                "actor": actor,
                "event_type": "message",
                "text": comment.plain_body or comment.body,
                "agent_id": agent_id,
            }
        )
    rating = ticket.satisfaction_rating or ZendeskRating()
    feedback = ZENDESK_FEEDBACK.get(str(rating.score))
    if feedback:
        events.append(
            {
                "sent_at": ticket.updated_at,
                "actor": "customer",
                "event_type": "feedback",
                "payload": {
                    "value": feedback,
                    **({"comment": rating.comment} if rating.comment else {}),
                },
            }
        )
    if ticket.status in ("solved", "closed"):
        events.append({"sent_at": ticket.updated_at, "actor": "system", "event_type": "closed"})
    return {
        "conversation_id": ticket.id,
        "started_at": ticket.created_at,
        "channel": ZENDESK_CHANNELS.get(str(ticket.via.channel if ticket.via else None)),
        "customer_id": requester,
        "events": events,
    }


def _from_intercom(record: object) -> dict[str, Any]:
    return intercom_conversation(IntercomConversation.model_validate(record))


def _from_zendesk_export(record: object) -> dict[str, Any]:
    export = ZendeskTicketExport.model_validate(record)
    return zendesk_ticket(export.ticket, export.comments)


def _from_zendesk_item(record: object) -> dict[str, Any]:
    ticket = ZendeskTicketWithComments.model_validate(record)
    return zendesk_ticket(ticket, ticket.comments)


def _records(document: Any) -> tuple[str, list[object], Any] | None:
    """Recognise the export: (platform, raw records, record converter), else None."""
    if isinstance(document, list) and all(
        isinstance(d, dict) and d.get("type") == "conversation" for d in document
    ):
        return "intercom", document, _from_intercom
    if not isinstance(document, dict):
        return None
    if document.get("type") == "conversation":
        return "intercom", [document], _from_intercom
    if document.get("type") == "conversation.list" and isinstance(
        document.get("conversations"), list
    ):
        return "intercom", document["conversations"], _from_intercom
    if isinstance(document.get("ticket"), dict) and "comments" in document:
        return "zendesk", [document], _from_zendesk_export
    if isinstance(document.get("tickets"), list):
        return "zendesk", document["tickets"], _from_zendesk_item
    return None


_EXPECTED = {
    "model_type": "expected a JSON object",
    "model_attributes_type": "expected a JSON object",
    "dict_type": "expected a JSON object",
    "list_type": "expected a JSON array",
    "string_type": "expected a string",
    "missing": "missing",
}


def shape_problem(error: ValidationError) -> str:
    """Where and how a record departs from the documented structure, never its values."""
    first = error.errors(include_input=False, include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "the record"
    what = _EXPECTED.get(first["type"], first["msg"].removeprefix("Value error, "))
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{where}: {what}{more}"


def _whole_file(
    con: duckdb.DuckDBPyConnection, source_file: str, reason: str, message: str, text: str
) -> StagedFile:
    load_staged(con, STAGED_SCHEMA.empty_table())
    return StagedFile(
        source_file, 1, "conversation", [Reject(0, reason, message, text[:UNREADABLE_PREFIX_CHARS])]
    )


def read_platform_json(
    con: duckdb.DuckDBPyConnection, file: LandingFile, source_file: str
) -> StagedFile:
    """Stage a platform export; an unreadable or unknown file is one quarantined record,
    a record of an unexpected structure one quarantined record of its own."""
    with file.stream() as stream:
        raw = stream.read().removeprefix(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        escaped = raw.decode("utf-8", errors="backslashreplace")
        return _whole_file(
            con, source_file, reasons.INVALID_UTF8, f"byte {error.start}: {error.reason}", escaped
        )
    document, problem = parse_json(text)
    if problem is not None:
        return _whole_file(con, source_file, reasons.MALFORMED_JSON, problem, text)
    recognised = _records(document)
    if recognised is None:
        return _whole_file(
            con,
            source_file,
            reasons.UNSUPPORTED_FORMAT,
            "not an Intercom conversation export or a Zendesk ticket export",
            text,
        )
    platform, records, convert = recognised
    items: list[tuple[int, object, str]] = []
    rejects: list[Reject] = []
    for number, record in enumerate(records, start=1):
        original = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        try:
            items.append((number, convert(record), original))
        except ValidationError as error:
            rejects.append(Reject(number, reasons.UNEXPECTED_SHAPE, shape_problem(error), original))
    staged = stage_conversations(con, source_file, items, platform=platform)
    staged.rejects.extend(rejects)
    staged.records_read += len(rejects)
    return staged
