"""What labelers typed and who they are, made safe for the warehouse.

The annotation store keeps labels as imported (restricted, owner-only); the warehouse
and the published snapshot get them only through :func:`warehouse_labels`:

* every free-text field (a field of the labeling schema without a closed list of
  choices) is PII-scrubbed like transcript text, because a labeler may paste what the
  customer said; choice fields need no scrubbing because the label contract
  (``schemas.annotations``) rejects any value that is not one of the allowed choices;
* annotator ids (Label Studio emails) become keyed HMAC pseudonyms ``a_<hex>`` made
  with the pipeline's PII key, so per-labeler statistics still group by labeler.

Who a pseudonym is stays recoverable for people who can read the restricted area:
:func:`write_annotator_directory` keeps ``pseudonym -> real id`` in an owner-only
file under ``paths.raw``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from pipelines.config import Paths, restricted_dir
from pipelines.pii import key_from_env, load_or_create_key, pseudonymize, scrub
from pipelines.pii.pseudonym import PSEUDONYM_PREFIX
from schemas.annotations import InvalidLabels, validate_labels
from schemas.labels import ALLOWED_VALUES, FIELDS

FREE_TEXT_FIELDS: tuple[str, ...] = tuple(spec.name for spec in FIELDS if not spec.is_categorical)
ANNOTATOR_PREFIX = "a_"
# HMAC input is namespaced so an annotator pseudonym never equals the customer
# pseudonym of the same string (pseudonymize() itself is shared and not ours to change).
ANNOTATOR_NAMESPACE = "annotator:"
DIRECTORY_FILE = "annotator_ids.json"


def existing_pii_key(paths: Paths) -> bytes | None:
    """The PII key if one exists (environment or key file), never creating one: the
    CLI must not mint a key the pipeline did not make."""
    key = key_from_env()
    if key is None and paths.pii_key_file.exists():
        key, _ = load_or_create_key(paths.pii_key_file)  # reads, as the file exists
    return key


def annotator_pseudonym(annotator_id: str, key: bytes) -> str:
    """``a_`` + 20 hex chars of HMAC-SHA256(key, "annotator:" + id): stable per key,
    not reversible or brute-forceable over known emails without the key."""
    customer_style = pseudonymize(ANNOTATOR_NAMESPACE + annotator_id, key)
    assert customer_style is not None  # a str in gives a str out
    return ANNOTATOR_PREFIX + customer_style.removeprefix(PSEUDONYM_PREFIX)


def scrub_free_text(labels: pd.DataFrame) -> pd.DataFrame:
    """Scrub PII from the value of every free-text field; choice values are untouched."""
    free_text = labels["field"].isin(FREE_TEXT_FIELDS)
    if not free_text.any():
        return labels
    labels = labels.copy()
    labels.loc[free_text, "value"] = [
        scrub(value).text if isinstance(value, str) else value
        for value in labels.loc[free_text, "value"]
    ]
    return labels


def pseudonymize_annotators(labels: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """Replace ``annotator_id`` by its pseudonym (one HMAC per distinct labeler)."""
    pseudonyms = annotator_directory(labels["annotator_id"], key)
    by_real = {real: pseudonym for pseudonym, real in pseudonyms.items()}
    return labels.assign(annotator_id=labels["annotator_id"].map(by_real))


def warehouse_labels(labels: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """Store labels -> the rows the warehouse may hold: validated against the label
    contract (an off-list choice raises ``InvalidLabels``), free text scrubbed,
    annotators pseudonymized. Row count and order are unchanged."""
    if labels.empty:
        return labels
    try:
        validate_labels(labels.drop(columns=["imported_at"], errors="ignore"))
    except InvalidLabels:
        # The contract's message quotes values, i.e. unscrubbed labeler input, and this
        # one ends up in the orchestrator's event log: name the rows, not their values.
        raise InvalidLabels(_redacted_violations(labels)) from None
    return pseudonymize_annotators(scrub_free_text(labels), key)


def _redacted_violations(labels: pd.DataFrame) -> str:
    off_list = [
        f"{item}/{name}"
        for item, name, value in zip(
            labels["item_id"], labels["field"], labels["value"], strict=True
        )
        if name in ALLOWED_VALUES and value not in ALLOWED_VALUES[name]
    ]
    detail = (
        f"{len(off_list)} choice values not among the allowed choices, e.g. {off_list[:5]}"
        if off_list
        else "see `closedloop annotate import` of the source export for the rows"
    )
    return f"the annotation store breaks the label contract ({detail}); values withheld: unscrubbed labeler input"


def annotator_directory(annotator_ids: Iterable[str], key: bytes) -> dict[str, str]:
    """``{pseudonym: real id}`` for the distinct ids given."""
    return {annotator_pseudonym(real, key): real for real in sorted(set(annotator_ids))}


def directory_file(paths: Paths) -> Path:
    return paths.raw / DIRECTORY_FILE


def write_annotator_directory(annotator_ids: Iterable[str], key: bytes, paths: Paths) -> Path:
    """Write ``{pseudonym: real id}`` for the given (all stored) annotators to an
    owner-only file in the restricted area, replacing it atomically."""
    restricted_dir(paths.raw)
    target = directory_file(paths)
    # mkstemp creates the file 0600 with a unique name, so the CLI and the pipeline
    # writing at the same time never clobber each other's half-written file.
    fd, partial = tempfile.mkstemp(dir=paths.raw, prefix=f".{DIRECTORY_FILE}.", suffix=".tmp")
    with os.fdopen(fd, "w") as handle:
        json.dump(annotator_directory(annotator_ids, key), handle, indent=1, sort_keys=True)
    os.replace(partial, target)  # atomic: a reader sees the old or the new map
    return target


def read_annotator_directory(paths: Paths) -> dict[str, str] | None:
    """``{pseudonym: real id}``, or ``None`` when the caller may not read the
    restricted area (or no import has written it yet)."""
    try:
        return json.loads(directory_file(paths).read_text())
    except (FileNotFoundError, PermissionError):
        return None
