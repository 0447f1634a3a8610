"""Identifiers and labels that travel next to the text: ids, file names, dimension labels.

They are not free text, so they are not scrubbed with placeholders; but an export can
put personal data in them (an email as a thread id, a customer's name in a file name).
Whatever the leak gate would flag must not reach the warehouse, so such a value is
replaced by a keyed pseudonym (ids: stable, so joins and re-runs line up) or a digest
(file names), and every other value is kept as it is so operators can still look a
conversation or a file up in the source platform.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from pipelines.pii.detector import detect
from pipelines.pii.leakscan import scan
from pipelines.pii.pseudonym import pseudonymize

CONVERSATION_PREFIX = "cv_"
# Longest first, so ".jsonl.gz" wins over ".gz"-less ".jsonl" (pipelines.sources.files).
FORMAT_SUFFIXES = (".jsonl.gz", ".csv.gz", ".jsonl", ".csv", ".parquet", ".json")
FILE_DIGEST_CHARS = 16


# What the gate looks for in ids and labels. Not CREDIT_CARD: date-and-counter ids
# ("syn-7-20260301-000005", "release-20260301-00012") are 13-19 digits that pass Luhn
# one time in ten, and no platform keys a conversation or names a label by a card.
ID_ENTITY_TYPES = frozenset({"EMAIL", "PHONE", "US_SSN"})


def looks_personal(value: str | None) -> bool:
    """True when the leak gate's strict scan finds an email, phone or SSN in the value.

    Only the gate's high-precision patterns: ids are often long digit strings, and the
    detector's wider net would pseudonymize whole id formats for no reason.
    """
    return bool(value) and not ID_ENTITY_TYPES.isdisjoint(scan(value))


def safe_conversation_id(conversation_id: str, key: bytes) -> str:
    """The id itself, or ``cv_`` + its keyed pseudonym when it looks personal."""
    if not looks_personal(conversation_id):
        return conversation_id
    pseudonym = pseudonymize(conversation_id, key)
    assert pseudonym is not None
    return CONVERSATION_PREFIX + pseudonym.split("_", 1)[1]


def safe_file_label(source_file: str) -> str:
    """A landing file's path for the audit table, with a personal file name replaced by a
    digest (folder and extension kept): "dt=2026-11-20/file-1a2b....jsonl".

    File names are free text typed by people, so the detector's full net applies too.
    """
    path = PurePosixPath(source_file)
    if not looks_personal(path.name) and not detect(path.stem.replace("_", " ")):
        return source_file
    digest = hashlib.sha256(path.name.encode("utf-8")).hexdigest()[:FILE_DIGEST_CHARS]
    # Only a known format suffix is kept: "john.smith@x.com.csv" has ".com" in its suffixes.
    suffix = next((s for s in FORMAT_SUFFIXES if path.name.lower().endswith(s)), "")
    return str(path.with_name(f"file-{digest}{suffix}"))
