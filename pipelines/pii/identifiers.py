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
    return bool(value) and bool(scan(value, ID_ENTITY_TYPES))


def safe_conversation_id(conversation_id: str, key: bytes) -> str:
    """The id itself, or ``cv_`` + its keyed pseudonym when it looks personal."""
    if not looks_personal(conversation_id):
        return conversation_id
    pseudonym = pseudonymize(conversation_id, key)
    assert pseudonym is not None
    return CONVERSATION_PREFIX + pseudonym.split("_", 1)[1]


def _personal_part(part: str) -> bool:
    return looks_personal(part) or bool(detect(part.replace("_", " ")))


def safe_file_label(source_file: str) -> str:
    """A landing file's path for the audit table, with a personal path replaced by a
    digest (delivery folder and extension kept): "dt=2026-11-20/file-1a2b....jsonl".

    File and folder names are free text typed by people, so the detector's full net
    applies to every part; a personal part digests the whole path below the delivery
    folder, since a sub-folder named after a customer is as telling as a file name.
    """
    path = PurePosixPath(source_file)
    parts = path.parts
    day_folder = parts[0] if len(parts) > 1 and parts[0].startswith("dt=") else None
    named = parts[1:] if day_folder else parts
    stems = [*named[:-1], PurePosixPath(named[-1]).stem] if named else []
    if not any(_personal_part(part) for part in stems):
        return source_file
    below = "/".join(named)
    digest = hashlib.sha256(below.encode("utf-8")).hexdigest()[:FILE_DIGEST_CHARS]
    # Only a known format suffix is kept: "john.smith@x.com.csv" has ".com" in its suffixes.
    suffix = next((s for s in FORMAT_SUFFIXES if path.name.lower().endswith(s)), "")
    label = f"file-{digest}{suffix}"
    return f"{day_folder}/{label}" if day_folder else label
