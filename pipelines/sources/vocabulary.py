"""Value synonyms every adapter accepts, matched case-insensitively.

Exports name the same things differently (``visitor``, ``chatbot``, ``operator``);
these tables say which canonical value each synonym means. A team can add its own
with the ``values`` section of a column map.
"""

from __future__ import annotations

from schemas.canonical import ACTORS, CHANNELS, EVENT_TYPES

ACTOR_SYNONYMS: dict[str, str] = {
    **{actor: actor for actor in ACTORS},
    "user": "customer",
    "visitor": "customer",
    "end_user": "customer",
    "end-user": "customer",
    "enduser": "customer",
    "contact": "customer",
    "lead": "customer",
    "client": "customer",
    "requester": "customer",
    "caller": "customer",
    "assistant": "bot",
    "chatbot": "bot",
    "virtual_agent": "bot",
    "virtual-agent": "bot",
    "va": "bot",
    "automation": "bot",
    "ai": "bot",
    "wizard": "bot",
    "human_agent": "agent",
    "human": "agent",
    "admin": "agent",
    "operator": "agent",
    "rep": "agent",
    "representative": "agent",
    "teammate": "agent",
    "staff": "agent",
    "support": "agent",
    "sys": "system",
    "platform": "system",
}

EVENT_TYPE_SYNONYMS: dict[str, str] = {
    **{event_type: event_type for event_type in EVENT_TYPES},
    "msg": "message",
    "text": "message",
    "utterance": "message",
    "comment": "message",
    "handoff": "handoff_requested",
    "escalation": "handoff_requested",
    "escalate": "handoff_requested",
    "transfer": "handoff_requested",
    "transfer_requested": "handoff_requested",
    "agent_joined": "handoff_accepted",
    "transfer_accepted": "handoff_accepted",
    "assignment": "handoff_accepted",
    "rating": "feedback",
    "reaction": "feedback",
    "thumbs": "feedback",
    "survey": "csat",
    "csat_response": "csat",
    "close": "closed",
    "conversation_closed": "closed",
    "end": "closed",
    "resolved": "closed",
}

CHANNEL_SYNONYMS: dict[str, str] = {
    **{channel: channel for channel in CHANNELS},
    "website": "web",
    "webchat": "web",
    "web_chat": "web",
    "chat": "web",
    "widget": "web",
    "browser": "web",
    "iphone": "ios",
    "ipad": "ios",
    "ios_app": "ios",
    "android_app": "android",
    "mail": "email",
    "e-mail": "email",
    "phone": "voice",
    "call": "voice",
    "phone_call": "voice",
    "voice_call": "voice",
    "telephone": "voice",
    "telephony": "voice",
    "ivr": "voice",
}

FEEDBACK_SYNONYMS: dict[str, str] = {
    "positive": "positive",
    "negative": "negative",
    "thumbs_up": "positive",
    "thumbs_down": "negative",
    "up": "positive",
    "down": "negative",
    "helpful": "positive",
    "not_helpful": "negative",
    "\N{THUMBS UP SIGN}": "positive",
    "\N{THUMBS DOWN SIGN}": "negative",
}
