"""Quarantine reason codes: why a record was not loaded.

Every record an adapter reads ends either loaded or quarantined with exactly one
of these codes, so ``records_read = records_loaded + records_quarantined`` holds
per file and per partition. ``docs/ingestion.md`` explains each code.
"""

from __future__ import annotations

# File-level: the reader could not even split the record into fields.
MALFORMED_JSON = "malformed_json"
MALFORMED_ROW = "malformed_row"
INVALID_UTF8 = "invalid_utf8"
UNSUPPORTED_FORMAT = "unsupported_format"
# A JSON record whose structure is not the format's: text where a platform export
# has an object, an object where the canonical model has a single value.
UNEXPECTED_SHAPE = "unexpected_shape"
# The whole file: not gzip though named .gz, truncated, binary, a corrupt Parquet file.
UNREADABLE_FILE = "unreadable_file"
# A landing entry that is a symlink, FIFO, socket or device: never opened or followed.
NOT_A_REGULAR_FILE = "not_a_regular_file"

# Field-level: a value is missing or cannot be mapped onto the canonical model.
MISSING_REQUIRED_FIELD = "missing_required_field"
UNPARSEABLE_TIMESTAMP = "unparseable_timestamp"
UNKNOWN_ACTOR = "unknown_actor"
UNKNOWN_EVENT_TYPE = "unknown_event_type"
UNKNOWN_CHANNEL = "unknown_channel"
INVALID_CSAT = "invalid_csat"
INVALID_FEEDBACK = "invalid_feedback"
INVALID_PAYLOAD = "invalid_payload"
INVALID_LOCALE = "invalid_locale"
INVALID_MARKET = "invalid_market"
PERSONAL_DATA_IN_LABEL = "personal_data_in_label"
OVERSIZE_TEXT = "oversize_text"

# Conversation-level: the events do not form a consistent conversation.
CONVERSATION_WITHOUT_EVENTS = "conversation_without_events"
CONFLICTING_CONVERSATION_FIELD = "conflicting_conversation_field"
INVALID_SEQUENCE = "invalid_sequence"
DUPLICATE_EVENT = "duplicate_event"
EVENT_OUTSIDE_CONVERSATION = "event_outside_conversation"

# Delivery-level: the record is fine but a later delivery of the same
# conversation replaced it. Not bad data, so it does not count towards the
# quarantine threshold.
DUPLICATE_SUPERSEDED = "duplicate_superseded"

# Delivery-level: a valid conversation whose day is further from its landing folder's
# day than the landing lookback, so no partition run scans it. Quarantined under the
# folder's day instead of being dropped; raise landing_lookback_days (or move the file)
# and re-run that day to load it.
OUTSIDE_LANDING_WINDOW = "outside_landing_window"

# Not a data problem: a record that belongs to a conversation rejected because of
# another record (flat tables, where one conversation spans many rows).
SIBLING_REJECTED = "sibling_rejected"

DESCRIPTIONS: dict[str, str] = {
    MALFORMED_JSON: "the line (or file) is not valid JSON, or not a JSON object",
    MALFORMED_ROW: "the CSV row has too few/many columns or broken quoting",
    INVALID_UTF8: "the bytes are not valid UTF-8 (never decoded with replacement characters)",
    UNSUPPORTED_FORMAT: "a .json file that is neither an Intercom nor a Zendesk export",
    UNEXPECTED_SHAPE: "a JSON record whose structure is not its format's: not the vendor's documented one (platform exports), an object or array where a single value belongs (JSONL)",
    UNREADABLE_FILE: "the whole file cannot be read: corrupt or truncated gzip/Parquet, binary content (xlsx, zip, gzip, UTF-16) under a text name, or a CSV header that is not UTF-8",
    NOT_A_REGULAR_FILE: "a landing entry that is a symlink, FIFO, socket or device: never followed or read",
    MISSING_REQUIRED_FIELD: "conversation_id, sent_at or actor is empty, or the file has no such column",
    UNPARSEABLE_TIMESTAMP: "a timestamp is neither ISO-8601 (UTC offset within +/-14:00) nor epoch seconds, or outside 2000..2100",
    UNKNOWN_ACTOR: "actor is not customer/bot/agent/system or one of their synonyms",
    UNKNOWN_EVENT_TYPE: "event_type is not a canonical type or one of its synonyms",
    UNKNOWN_CHANNEL: "channel is not web/ios/android/email/voice or one of their synonyms",
    INVALID_CSAT: "csat score is not an integer 1..5",
    INVALID_FEEDBACK: "a feedback event carries no positive/negative value",
    INVALID_PAYLOAD: "payload is not a JSON object",
    INVALID_LOCALE: "locale is not a BCP-47 language[-script][-region] tag such as en-US",
    INVALID_MARKET: "market is not a two-letter ISO country code",
    PERSONAL_DATA_IN_LABEL: "source, bot_version or intent holds personal data the PII detector finds in text (a mis-mapped column?)",
    OVERSIZE_TEXT: "an event text is longer than the contract's limit, or a CSV row is longer than 2 MB",
    CONVERSATION_WITHOUT_EVENTS: "a JSONL conversation with an empty events list",
    CONFLICTING_CONVERSATION_FIELD: "rows of one conversation disagree on a conversation-level column",
    INVALID_SEQUENCE: "given seq values are not 0..n-1, or only some events have one",
    DUPLICATE_EVENT: "two events of one conversation share a seq, or are identical exported rows",
    EVENT_OUTSIDE_CONVERSATION: "an event is sent before started_at or after ended_at",
    DUPLICATE_SUPERSEDED: "a later delivery of the same conversation replaced this one",
    OUTSIDE_LANDING_WINDOW: "the conversation's day is outside its landing folder's lookback, so no run would load it",
    SIBLING_REJECTED: "another row of the same conversation was rejected",
}

# Reasons that are not bad data and are excluded from the quarantine threshold.
NOT_BAD_DATA = frozenset({DUPLICATE_SUPERSEDED})
