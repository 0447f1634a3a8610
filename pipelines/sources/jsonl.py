"""Canonical JSONL adapter: one conversation per line, events nested.

A record is one non-blank line. Blank lines are not records (editors and
``cat`` leave them) and are skipped. A UTF-8 byte-order mark at the start of the
file is not part of the first line (Windows tools write one, as they do for CSV).
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
from collections.abc import Iterator
from typing import BinaryIO

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.sources import reasons
from pipelines.sources.jsonl_fast import ParseMode, stage_lines
from pipelines.sources.landing import LandingFile
from pipelines.sources.staging import (
    STAGED_SCHEMA,
    Reject,
    StagedFile,
    append_staged,
    load_staged,
    staged_table,
)
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


class _NotAValue(ValueError):
    """An object or array where the canonical model has a single value."""


def _value(value: object, where: str) -> str | None:
    if isinstance(value, dict | list):
        raise _NotAValue(where)
    return as_text(value)


def _event_row(event: dict[str, object], index: int) -> dict[str, str | None]:
    # payload is the one field that holds an object; any other shape is judged later.
    return {
        name: as_text(event.get(name))
        if name == "payload"
        else _value(event.get(name), f"events[{index}].{name}")
        for name in _EVENT_FIELDS
    }


def _lines(file: LandingFile) -> Iterator[bytes]:
    """The file's lines as bytes (gunzipped for .gz, split on LF only, the LF kept), the
    first without a UTF-8 byte-order mark; one line in memory at a time."""
    with file.stream() as stream:
        if file.name.lower().endswith(".gz"):
            with gzip.GzipFile(fileobj=stream) as unzipped:
                yield from _without_bom(unzipped)
        else:
            yield from _without_bom(stream)


def _without_bom(lines: Iterator[bytes]) -> Iterator[bytes]:
    first = True
    for line in lines:
        yield line.removeprefix(codecs.BOM_UTF8) if first else line
        first = False


def parse_json(text: str) -> tuple[object, str | None]:
    """``(value, None)``, or ``(None, why)`` for text that is not JSON.

    Nesting beyond Python's recursion limit (``[[[[...``) is malformed JSON here,
    not a RecursionError that would stop the run.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        # The position only: the decoder's message never quotes the text, but keep it so.
        return None, f"not valid JSON ({error.msg} at character {error.pos})"
    except RecursionError:
        return None, "JSON nested too deeply"
    # JSON's grammar admits an escaped half of a surrogate pair ("\\ud800"), which is no
    # character: Python decodes it into a string that cannot be written as UTF-8, and
    # staging would fail the whole file. I-JSON (RFC 7493) forbids it; so does this.
    if _SURROGATE_ESCAPE.search(text) and not _encodable(value):
        return None, "not valid JSON (a \\u escape of an unpaired surrogate, which is no character)"
    return value, None


# Any escaped surrogate (paired ones too: emoji written as escapes); only then is the
# decoded value checked, so ordinary lines pay one regex scan.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _encodable(value: object) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def stage_conversations(
    con: duckdb.DuckDBPyConnection,
    source_file: str,
    items: list[tuple[int, object, str]],
    platform: str | None,
) -> StagedFile:
    """Stage parsed conversation objects ``(record_number, object, original)`` into ``con``.

    Objects use the canonical field names; platform adapters map onto them first.
    """
    table, rejects = conversation_rows(items)
    load_staged(con, table)
    return StagedFile(
        source_file=source_file,
        records_read=len(items),
        record_kind="conversation",
        rejects=rejects,
        platform=platform,
    )


def conversation_rows(items: list[tuple[int, object, str]]) -> tuple[pa.Table, list[Reject]]:
    """Staged rows of parsed conversation objects, and the objects that cannot be staged."""
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
        try:
            header = {name: _value(obj.get(name), name) for name in _HEADER_FIELDS}
            rows = [_event_row(event, index) for index, event in enumerate(events)]
        except _NotAValue as where:
            rejects.append(
                Reject(
                    record_number,
                    reasons.UNEXPECTED_SHAPE,
                    f"{where}: expected a single value, not an object or array",
                    original,
                )
            )
            continue
        except RecursionError:
            rejects.append(
                Reject(record_number, reasons.MALFORMED_JSON, "JSON nested too deeply", original)
            )
            continue
        # A conversation with no events still needs one row so it is counted and
        # quarantined as conversation_without_events. The header (but the id, which
        # groups the rows) and the original line go on the first row only, as
        # normalization reads conversation fields from any row: repeating them per
        # event would cost events x line size.
        for index, row in enumerate(rows or [None]):
            first = index == 0
            for name in _HEADER_FIELDS:
                keep = first or name == "conversation_id"
                columns[name].append(header[name] if keep else None)
            for name in _EVENT_FIELDS:
                columns[name].append(row[name] if row is not None else None)
            columns["record_number"].append(record_number)
            columns["event_index"].append(index)
            columns["delivery"].append(record_number)
            columns["has_event"].append(row is not None)
            columns["original"].append(original if first else None)
    return staged_table(columns), rejects


# The vectorized path (``jsonl_fast``) for every line it provably handles as the Python
# path does; off, every line is parsed by Python (the reference the tests compare with).
FAST_PATH = True


def read_jsonl(
    con: duckdb.DuckDBPyConnection, file: LandingFile, source_file: str, batch_bytes: int
) -> StagedFile:
    """Split a canonical JSONL file into staged rows; bad lines become rejects.

    The file is read ``batch_bytes`` of text at a time. Each batch's lines are parsed by
    DuckDB (``jsonl_fast``), which stages every line it can prove it handles exactly as
    Python's json would; the rest (and with ``FAST_PATH`` off, every line) are parsed
    with Python's json, so a bad line becomes its own quarantined record with its reason
    and its exact original text (DuckDB's read_json cannot report a bad line: it fails
    the file or, with ignore_errors, drops the line silently). Only one batch is held
    in memory however large the file; the staged rows live in DuckDB, which spills to
    disk beyond its memory limit.
    """
    load_staged(con, STAGED_SCHEMA.empty_table())
    if not FAST_PATH:
        return _read_jsonl_python(con, file, source_file, batch_bytes)
    read_rejects: list[Reject] = []
    stage_rejects: list[Reject] = []
    records_read = 0
    # One parse mode per file: strict until a batch holds a line that is not JSON, so at
    # most one batch of a file is parsed twice (jsonl_fast._parse).
    mode = ParseMode()
    for kept, rejects in _line_batches(file, batch_bytes):
        records_read += kept.num_rows + len(rejects)
        read_rejects.extend(rejects)
        try:
            slow = stage_lines(con, kept, as_text, mode)
        except duckdb.Error:
            # Whatever DuckDB cannot do is done by Python, never a file-level reject.
            slow = list(zip(kept["line_number"].to_pylist(), kept["text"].to_pylist(), strict=True))
        items: list[tuple[int, object, str]] = []
        for line_number, text in slow:
            obj, problem = parse_json(text)
            if problem is not None:
                read_rejects.append(Reject(line_number, reasons.MALFORMED_JSON, problem, text))
            else:
                items.append((line_number, obj, text))
        table, rejects = conversation_rows(items)
        append_staged(con, table)
        stage_rejects.extend(rejects)
    # The Python path's order: staging rejects, then read rejects, each by line.
    return StagedFile(
        source_file=source_file,
        records_read=records_read,
        record_kind="conversation",
        rejects=sorted(stage_rejects, key=_by_record) + sorted(read_rejects, key=_by_record),
    )


def _by_record(reject: Reject) -> int:
    return reject.record_number


def _line_batches(file: LandingFile, batch_bytes: int) -> Iterator[tuple[pa.Table, list[Reject]]]:
    """The file's lines as :func:`_lines` gives them, about ``batch_bytes`` at a time, as
    :func:`_decoded` gives them.

    The text is read into one buffer, reused batch after batch (a line longer than it
    grows it), and Arrow splits the batch's complete lines out of it into an array of its
    own: no Python object per line and no fresh memory per batch. (Reading a fresh block,
    joining it to the last one's tail, splitting it into ``bytes`` and building the Arrow
    array from those took 0.45 CPU s and ~100k page faults of a 100k day; this 0.15 s and
    ~10k, docs/performance.md.)"""
    number = 1
    buffer = bytearray(max(batch_bytes, 1))
    filled = 0  # bytes at the buffer's start holding text not handed on yet
    with file.stream() as stream:
        source: BinaryIO = (
            gzip.GzipFile(fileobj=stream) if file.name.lower().endswith(".gz") else stream
        )
        with source:
            while read := source.readinto(memoryview(buffer)[filled:]):
                start, filled = filled, filled + read
                cut = buffer.rfind(b"\n", start, filled)
                if cut < 0:
                    if filled == len(buffer):
                        buffer.extend(bytes(len(buffer)))  # a line longer than the buffer
                    continue
                # A byte-order mark is never part of a line; it cannot hold the LF at `cut`.
                skip = (
                    len(codecs.BOM_UTF8)
                    if number == 1 and buffer.startswith(codecs.BOM_UTF8)
                    else 0
                )
                raw = _split_lines(memoryview(buffer)[skip:cut])
                decoded = _decoded(number, raw)
                number += len(raw)
                del raw
                rest = filled - cut - 1  # the start of a line that has no LF yet
                buffer[:rest] = buffer[cut + 1 : filled]
                filled = rest
                yield decoded
            last = bytes(buffer[:filled])  # the last line, without a final LF
            if last:
                if number == 1:
                    last = last.removeprefix(codecs.BOM_UTF8)
                yield _decoded(number, pa.array([last], pa.binary()))


def _split_lines(text: memoryview) -> pa.Array:
    """The LF-separated lines of ``text`` (which ends before an LF), LFs dropped, as a
    binary array in Arrow's own memory: the buffer ``text`` views is reused after."""
    whole = pa.Array.from_buffers(
        pa.large_binary(),
        1,
        [None, pa.py_buffer(np.array([0, len(text)], np.int64)), pa.py_buffer(text)],
    )
    return pc.split_pattern(whole, b"\n").flatten()  # a copy: split_pattern builds anew


_BLANK = r"^[ \t\n\r\x0b\x0c]*$"  # what bytes.strip() removes


def _decoded(first_number: int, raw: pa.Array) -> tuple[pa.Table, list[Reject]]:
    """The batch's non-blank lines that are UTF-8, as ``line_number``, ``text``; the others
    rejected as ``invalid_utf8`` (blank lines are not records)."""
    numbers = pa.array(np.arange(first_number, first_number + len(raw), dtype=np.int64))
    try:
        text = raw.cast(pa.string())  # validates UTF-8
    except pa.ArrowInvalid:
        return _decoded_line_by_line(first_number, raw.to_pylist())
    table = pa.table({"line_number": numbers, "text": text})
    blank = pc.match_substring_regex(text, _BLANK)
    return (table.filter(pc.invert(blank)) if pc.any(blank).as_py() else table), []


def _decoded_line_by_line(first_number: int, lines: list[bytes]) -> tuple[pa.Table, list[Reject]]:
    numbers: list[int] = []
    texts: list[str] = []
    rejects: list[Reject] = []
    for line_number, raw in enumerate(lines, start=first_number):
        if not raw.strip():
            continue
        try:
            texts.append(raw.decode("utf-8"))
            numbers.append(line_number)
        except UnicodeDecodeError as error:
            rejects.append(_invalid_utf8(line_number, raw, error))
    table = pa.table(
        {"line_number": pa.array(numbers, pa.int64()), "text": pa.array(texts, pa.string())}
    )
    return table, rejects


def _invalid_utf8(line_number: int, raw: bytes, error: UnicodeDecodeError) -> Reject:
    # Never decode with replacement characters: the record is kept, escaped, in
    # quarantine instead.
    return Reject(
        line_number,
        reasons.INVALID_UTF8,
        f"byte {error.start}: {error.reason}",
        raw.decode("utf-8", errors="backslashreplace"),
    )


def _read_jsonl_python(
    con: duckdb.DuckDBPyConnection, file: LandingFile, source_file: str, batch_bytes: int
) -> StagedFile:
    """Every line parsed by Python's json (``FAST_PATH`` off): the reference behaviour."""
    items: list[tuple[int, object, str]] = []
    read_rejects: list[Reject] = []
    stage_rejects: list[Reject] = []
    records_read = 0
    pending_bytes = 0

    def flush() -> None:
        nonlocal items, pending_bytes
        table, rejects = conversation_rows(items)
        append_staged(con, table)
        stage_rejects.extend(rejects)
        items, pending_bytes = [], 0

    for line_number, raw in enumerate(_lines(file), start=1):
        raw = raw.removesuffix(b"\n")
        if not raw.strip():
            continue
        records_read += 1
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            read_rejects.append(_invalid_utf8(line_number, raw, error))
            continue
        obj, problem = parse_json(text)
        if problem is not None:
            read_rejects.append(Reject(line_number, reasons.MALFORMED_JSON, problem, text))
            continue
        items.append((line_number, obj, text))
        pending_bytes += len(raw)
        if pending_bytes >= batch_bytes:
            flush()
    flush()
    return StagedFile(
        source_file=source_file,
        records_read=records_read,
        record_kind="conversation",
        rejects=stage_rejects + read_rejects,
    )
