"""The canonical transcript model every adapter maps to and everything downstream reads.

One conversation = a header row + ordered events. Arrow schemas are the source of
truth for column names and types; the pandera contracts beside it add the rules. It
lives in ``schemas`` (which imports nothing from ``pipelines``) because they need it.
"""

from __future__ import annotations

import pyarrow as pa

ACTORS = ("customer", "bot", "agent", "system")
EVENT_TYPES = (
    "message",
    "handoff_requested",
    "handoff_accepted",
    "feedback",
    "csat",
    "closed",
)
# voice: calls (an IVR or voicebot in front of phone agents), as transcripts.
CHANNELS = ("web", "ios", "android", "email", "voice")
FEEDBACK_VALUES = ("positive", "negative")
HANDOFF_REASONS = ("customer_request", "bot_fallback", "policy_required", "unspecified")

TS = pa.timestamp("us", tz="UTC")

CONVERSATION_SCHEMA = pa.schema(
    [
        pa.field("conversation_id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("started_at", TS, nullable=False),
        pa.field("ended_at", TS),
        pa.field("channel", pa.string()),
        pa.field("locale", pa.string()),
        pa.field("market", pa.string()),
        pa.field("customer_id", pa.string()),
        pa.field("bot_version", pa.string()),
        pa.field("intent", pa.string()),
        pa.field("csat_score", pa.int8()),
        pa.field("csat_submitted_at", TS),
    ]
)

EVENT_SCHEMA = pa.schema(
    [
        pa.field("conversation_id", pa.string(), nullable=False),
        pa.field("seq", pa.int32(), nullable=False),
        pa.field("sent_at", TS, nullable=False),
        pa.field("actor", pa.string(), nullable=False),
        pa.field("event_type", pa.string(), nullable=False),
        pa.field("text", pa.string()),
        pa.field("agent_id", pa.string()),
        # Extra fields as a JSON object string, e.g. {"reason": "bot_fallback"}
        # on handoff_requested, {"value": "positive"} on feedback, {"score": 4} on csat.
        pa.field("payload", pa.string()),
    ]
)

CONVERSATION_COLUMNS = tuple(CONVERSATION_SCHEMA.names)
EVENT_COLUMNS = tuple(EVENT_SCHEMA.names)
