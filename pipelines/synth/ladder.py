"""The resolution ladder, implemented independently of dbt, to check the marts against.

Per conversation (from its events and csat_score):

- bot_involved: at least one bot ``message``.
- handed_off: any ``handoff_requested``/``handoff_accepted`` event, or any agent ``message``.
- handoff_reason: the ``reason`` of the first ``handoff_requested`` (None if there is none).
- bot_answered: a bot ``message`` after the customer's first ``message``.
- abandoned: bot_involved and not handed_off and not bot_answered.
- contained: bot_involved and not handed_off.
- last_feedback: the ``value`` of the last ``feedback`` event (by seq), or None.
- assumed_resolved: contained and bot_answered and last_feedback != "negative".
- confirmed_resolved: assumed_resolved and (last_feedback == "positive" or csat_score >= 4).

Across conversations (``expected_outcomes``), with N = recontact_days:

- recontacted: the same customer_id starts another conversation (any channel) with
  ``this.started_at < next.started_at < this.started_at + N days``.
- durable_resolved: assumed_resolved and not recontacted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Outcome:
    """The per-conversation ladder columns."""

    bot_involved: bool
    handed_off: bool
    handoff_reason: str | None
    bot_answered: bool
    abandoned: bool
    contained: bool
    assumed_resolved: bool
    confirmed_resolved: bool
    last_feedback: str | None
    csat_score: int | None


def _payload(event: Mapping[str, Any]) -> dict[str, Any]:
    payload = event.get("payload")
    if payload is None or payload == "":
        return {}
    return json.loads(payload) if isinstance(payload, str) else dict(payload)


def ladder(events: Iterable[Mapping[str, Any]], csat_score: int | None) -> Outcome:
    """Ladder columns from events (dicts with actor, event_type, payload; in seq order)."""
    bot_involved = handed_off = bot_answered = False
    handoff_reason: str | None = None
    requested = False
    customer_spoke = False
    last_feedback: str | None = None
    for event in events:
        actor, kind = event["actor"], event["event_type"]
        if kind == "message":
            if actor == "bot":
                bot_involved = True
                bot_answered = bot_answered or customer_spoke
            elif actor == "customer":
                customer_spoke = True
            elif actor == "agent":
                handed_off = True
        elif kind in ("handoff_requested", "handoff_accepted"):
            if kind == "handoff_requested" and not requested:
                requested = True
                handoff_reason = _payload(event).get("reason")
            handed_off = True
        elif kind == "feedback":
            last_feedback = _payload(event).get("value")
    contained = bot_involved and not handed_off
    assumed = contained and bot_answered and last_feedback != "negative"
    confirmed = assumed and (last_feedback == "positive" or (csat_score or 0) >= 4)
    return Outcome(
        bot_involved=bot_involved,
        handed_off=handed_off,
        handoff_reason=handoff_reason,
        bot_answered=bot_answered,
        abandoned=bot_involved and not handed_off and not bot_answered,
        contained=contained,
        assumed_resolved=assumed,
        confirmed_resolved=confirmed,
        last_feedback=last_feedback,
        csat_score=csat_score,
    )


@dataclass(frozen=True)
class Derived:
    """The cross-conversation ladder columns of one conversation."""

    recontacted: bool
    durable_resolved: bool


def expected_outcomes(
    truth_rows: Iterable[Mapping[str, Any]], recontact_days: int = 7
) -> dict[str, Derived]:
    """conversation_id -> recontacted / durable_resolved, from truth rows.

    Rows need conversation_id, customer_id, started_at (ISO-8601 with offset, or a
    datetime) and assumed_resolved. Only the given rows are seen: a conversation
    near the end of the generated range cannot see recontacts beyond it, exactly
    like the warehouse.
    """
    window = timedelta(days=recontact_days)
    by_customer: dict[str, list[tuple[datetime, str, bool]]] = defaultdict(list)
    for row in truth_rows:
        started = row["started_at"]
        started_at = started if isinstance(started, datetime) else datetime.fromisoformat(started)
        by_customer[row["customer_id"]].append(
            (started_at, row["conversation_id"], bool(row["assumed_resolved"]))
        )
    result: dict[str, Derived] = {}
    for visits in by_customer.values():
        visits.sort()
        for index, (started_at, conversation_id, assumed) in enumerate(visits):
            # Visits are sorted, so the first strictly later start decides.
            later = next((other for other, _, _ in visits[index + 1 :] if other > started_at), None)
            recontacted = later is not None and later < started_at + window
            result[conversation_id] = Derived(recontacted, assumed and not recontacted)
    return result
