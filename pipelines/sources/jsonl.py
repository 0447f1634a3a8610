"""Canonical JSONL adapter: one conversation per line, events nested.

A record is one non-blank line. Blank lines are not records (editors and
``cat`` leave them) and are skipped.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb

from pipelines.sources import reasons
from pipelines.sources.staging import Reject, StagedFile, load_staged, staged_table
from schemas.canonical import CONVERSATION_COLUMNS, EVENT_COLUMNS

_HEADER_FIELDS = CONVERSATION_COLUMNS
_EVENT_FIELDS = tuple(c for c in EVENT_COLUMNS if c != "conversation_id")


def as_text(value: object) -> str | None:
    """Render a JSON value as the text a flat table would carry.

    Objects and arrays become compact JSON with sorted keys so the same payload
    always yields the same string (idempotent output).
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def read_lines(path: Path) -> bytes:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as handle:
        return handle.read()


def stage_conversations(
    con: duckdb.DuckDBPyConnection,
    source_file: str,
    items: list[tuple[int, object, str]],
    default_source: str,
) -> StagedFile:
    """Stage parsed conversation objects ``(record_number, object, original)`` into ``con``.

    Objects use the canonical field names; platform adapters map onto them first.
    """
    columns: dict[str, list[object]] = {
        name: [] for name in (*_HEADER_FIELDS, *_EVENT_FIELDS, "record_number", "event_index")
    }
    columns.update({"delivery": [], "has_event": [], "original": []})
    rejects: list[Reject] = []
    for record_number, obj, original in items:
        if not isinstance(obj, dict):
            rejects.append(
                Reject(record_number, reasons.MALFORMED_JSON, "not a JSON object", original)
            )
            continue
        events = obj.get("events", [])
        if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
            rejects.append(
                Reject(
                    record_number,
                    reasons.MALFORMED_JSON,
                    "'events' must be a list of JSON objects",
                    original,
                )
            )
            continue
        header = {name: as_text(obj.get(name)) for name in _HEADER_FIELDS}
        # A conversation with no events still needs one row so it is counted
        # and quarantined as conversation_without_events.
        for index, event in enumerate(events or [None]):
            for name in _HEADER_FIELDS:
                columns[name].append(header[name])
            for name in _EVENT_FIELDS:
                columns[name].append(as_text(event.get(name)) if event is not None else None)
            columns["record_number"].append(record_number)
            columns["event_index"].append(index)
            columns["delivery"].append(record_number)
            columns["has_event"].append(event is not None)
            columns["original"].append(original)
    load_staged(con, staged_table(columns))
    return StagedFile(
        source_file=source_file,
        records_read=len(items),
        record_kind="conversation",
        rejects=rejects,
        default_source=default_source,
    )


def read_jsonl(con: duckdb.DuckDBPyConnection, path: Path, source_file: str) -> StagedFile:
    """Split a canonical JSONL file into staged rows; bad lines become rejects."""
    items: list[tuple[int, object, str]] = []
    rejects: list[Reject] = []
    for line_number, raw in enumerate(read_lines(path).split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            # Never decode with replacement characters: the record is kept,
            # escaped, in quarantine instead.
            rejects.append(
                Reject(
                    line_number,
                    reasons.INVALID_UTF8,
                    f"byte {error.start}: {error.reason}",
                    raw.decode("utf-8", errors="backslashreplace"),
                )
            )
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as error:
            rejects.append(Reject(line_number, reasons.MALFORMED_JSON, str(error), text))
            continue
        items.append((line_number, obj, text))
    staged = stage_conversations(con, source_file, items, default_source="jsonl")
    staged.rejects.extend(rejects)
    staged.records_read += len(rejects)
    return staged
