"""PII detection, scrubbing, pseudonymization and the independent leak scan.

Plain Python (no Dagster): ``detect`` finds entities, ``scrub`` replaces them with typed
placeholders, ``ConversationScrubber`` keeps placeholder numbers stable within one
conversation, ``pseudonymize`` turns ids into keyed HMAC pseudonyms, ``scrub_events``
processes the canonical event table on all cores, and ``leakscan`` double-checks output.
"""

from pipelines.pii.batch import ScrubbedBatch, pseudonymize_conversations, scrub_events
from pipelines.pii.custom import CustomPattern, load_custom_patterns
from pipelines.pii.detector import ENTITY_TYPES, Detector, default_detector, detect
from pipelines.pii.pseudonym import key_from_env, load_or_create_key, pseudonymize
from pipelines.pii.scrub import ConversationScrubber, Scrubbed, scrub, scrub_conversation
from pipelines.pii.spans import Span

__all__ = [
    "ENTITY_TYPES",
    "ConversationScrubber",
    "CustomPattern",
    "Detector",
    "Scrubbed",
    "ScrubbedBatch",
    "Span",
    "default_detector",
    "detect",
    "key_from_env",
    "load_custom_patterns",
    "load_or_create_key",
    "pseudonymize",
    "pseudonymize_conversations",
    "scrub",
    "scrub_conversation",
    "scrub_events",
]
