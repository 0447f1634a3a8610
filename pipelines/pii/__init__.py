"""PII detection, scrubbing, pseudonymization and the independent leak scan.

Plain Python (no Dagster): ``detect`` finds entities, ``scrub`` replaces them with typed
placeholders, ``ConversationScrubber`` keeps placeholder numbers stable within one
conversation and scrubs answers to asked-for identifiers, ``pseudonymize`` turns ids into
keyed HMAC pseudonyms, ``scrub_events`` processes the canonical event table on all cores,
and ``leakscan`` double-checks output.

The table functions (``scrub_events`` ...) are imported on first use (PEP 562), so
``closedloop pii scrub`` starts without loading pyarrow.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pipelines.pii import native

# Before any engine module is imported: a current mypyc build replaces them
# (``pipelines.pii.native``).
native.activate(__path__)

from pipelines.pii.custom import CustomPattern, load_custom_patterns  # noqa: E402
from pipelines.pii.detector import ENTITY_TYPES, Detector, default_detector, detect  # noqa: E402
from pipelines.pii.pseudonym import key_from_env, load_or_create_key, pseudonymize  # noqa: E402
from pipelines.pii.scrub import ConversationScrubber, Scrubbed, scrub, scrub_conversation  # noqa: E402
from pipelines.pii.spans import Span  # noqa: E402

if TYPE_CHECKING:
    from pipelines.pii.batch import ScrubbedBatch, pseudonymize_conversations, scrub_events

_LAZY = frozenset({"ScrubbedBatch", "pseudonymize_conversations", "scrub_events"})

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


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'pipelines.pii' has no attribute {name!r}")
    value = getattr(importlib.import_module("pipelines.pii.batch"), name)
    globals()[name] = value
    return value
