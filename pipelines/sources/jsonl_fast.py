"""The vectorized path of the canonical JSONL adapter: lines parsed by DuckDB, not Python.

``stage_lines`` takes a batch of decoded, non-blank lines and stages, straight into the
``staged`` table, exactly the rows the Python path (``jsonl.conversation_rows``) would
stage for every line it can *prove* it handles the same way; it returns the other lines,
which the caller sends through the Python path, so their rejects, reasons and messages
are the Python path's own. ``tests/sources/test_ingest_jsonl_fast.py`` checks that both
paths give identical staged tables and rejects on the test fixtures, generated days and
hostile variants.

What the proof rests on. DuckDB parses with yyjson: RFC 8259 plus two extensions DuckDB
turns on (trailing commas, ``nan``/``inf`` literals in any case). Python's ``json``
accepts RFC 8259 plus ``NaN``/``Infinity``/``-Infinity``, and keeps the *last* of
duplicate keys where DuckDB's struct transform keeps the first. A line takes the fast
path only when:

* DuckDB parses it, its first non-blank character is ``{`` and it has no ``,]``/``,}``
  (searched in the raw text, strings included: a false hit only costs speed);
* its keys, and each event's keys, are canonical field names, none repeated (an unknown
  key could hide a ``nan`` literal or a nesting deeper than Python's json takes);
* every event is an object with at least one key (``[1]``, ``[[1]]``, ``null`` and
  ``{}`` events go to Python, which rejects or stages them itself);
* every header and event value but the payload, as DuckDB renders it as text, is provably
  what Python's ``as_text`` gives: strings, integers of at most 18 digits, booleans and
  nulls render the same; a value that could be a float (``2.5``, ``1e3``, ``nan``, also
  a string such as ``"4.5"``) or an object or array (also a string starting with ``{``
  or ``[``) is not taken;
* the payload, as DuckDB's compact JSON text, is read back by Python's json, written back
  to exactly that text (so duplicate keys, big numbers and anything DuckDB renders
  differently are caught), holds no NaN or infinity and nests at most ``MAX_DEPTH``
  levels; it is then rendered by Python's own ``as_text``, once per distinct payload.

Everything else (malformed JSON, odd shapes, anything above) takes the Python path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.sources.staging import STAGED_SCHEMA, TEXT_COLUMNS, append_staged
from pipelines.warehouse.io import sql_literal
from schemas.canonical import CONVERSATION_COLUMNS, EVENT_COLUMNS

HEADER_FIELDS = CONVERSATION_COLUMNS
EVENT_FIELDS = tuple(c for c in EVENT_COLUMNS if c != "conversation_id")
_TOP_KEYS = pa.array([*HEADER_FIELDS, "events"], pa.string())
_EVENT_KEYS = pa.array(EVENT_FIELDS, pa.string())
# Nesting of a payload the fast path takes: far below the ~1,000 levels where Python's
# json gives up ("JSON nested too deeply").
MAX_DEPTH = 200
# Lines per Arrow chunk handed to DuckDB's parse (its unit of parallel work).
_SLICE_ROWS = 8_192

_STRUCTURE = json.dumps(
    {
        **dict.fromkeys(HEADER_FIELDS, "VARCHAR"),
        "events": [{name: "JSON" if name == "payload" else "VARCHAR" for name in EVENT_FIELDS}],
    }
)


# A JSON object (Python's json skips only these blanks before it), and trailing commas.
_OBJECT_START = r"^[ \t\r]*\{"
_TRAILING_COMMA = r",[ \t\r]*[\]}]"


# One parse per function (yyjson is fast; what costs is building values): the fields,
# the keys of the object and of each event, and two searches of the raw text. `guard`
# wraps each parsing function (see _parse).
def _parse_sql(guard: Callable[[str], str]) -> str:
    return f"""
select
    line_number,
    {guard(f"from_json(text, {sql_literal(_STRUCTURE)})")} as j,
    {guard("json_keys(text)")} as top_keys,
    {guard("json_keys(text, '$.events[*]')")} as event_keys,
    coalesce(regexp_matches(text, {sql_literal(_OBJECT_START)})
        and not regexp_matches(text, {sql_literal(_TRAILING_COMMA)}), false) as syntax_ok
from fj_input
"""


# Under TRY: NULL where a function fails on a line.
_PARSE_SQL = _parse_sql(lambda call: f"try({call})")
# Strict: the query fails if a function fails on any line.
_STRICT_PARSE_SQL = _parse_sql(lambda call: call)
# Only lines that are JSON (json_valid reads with the functions' own reader) are parsed;
# NULL for the others.
_VALID_PARSE_SQL = _parse_sql(lambda call: f"case when json_valid(text) then {call} end")
# A value Python's as_text might render differently from DuckDB's text of it: an object or
# array (or a string starting like one), or anything a float could have been rendered as
# ([-+]?(digits[.digits]|.digits)(e[-+]?digits)?, nan, inf, infinity) but an integer of at
# most 18 digits (-?[0-9]{1,18}). One regex, its alternatives spelling out that set.
_SUSPECT = (
    r"^[{\[]"
    r"|^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"  # a decimal point
    r"|^[-+]?[0-9]+[eE][-+]?[0-9]+$"  # an exponent
    r"|^\+[0-9]+$"  # an integer with a plus sign
    r"|^-?[0-9]{19,}$"  # an integer of 19 digits or more
    r"|^[-+]?(?i:nan|inf|infinity)$"
)


# The first bytes a value matching _SUSPECT can start with: every alternative needs one of
# them. A one-byte value matches only as `{` or `[` (a lone digit is an integer; a lone
# sign, point, `n` or `i` is no number).
_SUSPECT_FIRST = np.zeros(256, dtype=bool)
_SUSPECT_FIRST[list(b"{[-+.0123456789nNiI")] = True
_SUSPECT_ALONE = np.zeros(256, dtype=bool)
_SUSPECT_ALONE[list(b"{[")] = True


def _plain(values: pa.Array) -> np.ndarray:
    """True where DuckDB's text of a value is provably Python's ``as_text`` of it.

    The regex runs only on values whose first byte lets it match (and that are longer
    than one byte): a regex call costs ~40 ns a value however short the value, and most
    values (texts, actors, ids) start with a letter, so the first bytes, read from the
    array's buffers, decide them (``tests/sources/test_ingest_jsonl_plain.py``)."""
    n = len(values)
    if values.type != pa.string() or values.null_count == n:
        suspect = pc.match_substring_regex(values, _SUSPECT)
        return ~pc.fill_null(suspect, False).to_numpy(zero_copy_only=False)
    _, offsets_buffer, data_buffer = values.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int32, count=n + 1, offset=values.offset * 4)
    data = (
        np.frombuffer(data_buffer, np.uint8) if data_buffer is not None else np.empty(0, np.uint8)
    )
    lengths = np.diff(offsets)
    filled = lengths > 0
    if values.null_count:
        filled &= values.is_valid().to_numpy(zero_copy_only=False)
    if not len(data) or not filled.any():
        return np.ones(n, dtype=bool)
    first = data[np.where(filled, offsets[:-1], 0)]
    suspect = filled & (lengths == 1) & _SUSPECT_ALONE[first]
    candidates = np.flatnonzero(filled & (lengths > 1) & _SUSPECT_FIRST[first])
    if len(candidates) > n // 2:  # (timestamps, seq numbers: the copy would cost more)
        matched = pc.match_substring_regex(values, _SUSPECT)
        return ~pc.fill_null(matched, False).to_numpy(zero_copy_only=False)
    if len(candidates):
        matched = pc.match_substring_regex(values.take(candidates), _SUSPECT)
        suspect[candidates] = pc.fill_null(matched, False).to_numpy(zero_copy_only=False)
    return ~suspect


def _finite_depth(value: object) -> int | None:
    """The nesting depth of a parsed JSON value, or None if it holds NaN or an infinity
    (a ``nan``/``inf`` literal Python would have refused, or a number it reads otherwise)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return None
        if isinstance(item, dict | list):
            deepest = max(deepest, depth + 1)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def payload_text(leaf: str, as_text: Callable[[object], str | None]) -> tuple[bool, str | None]:
    """``(True, text)``: Python's staged text of a payload, from DuckDB's compact JSON of
    it; ``(False, None)`` when that JSON is not provably the value Python reads."""
    try:
        value = json.loads(leaf)
        # Python writes back exactly DuckDB's text: the same keys (no duplicate dropped),
        # numbers and strings.
        if json.dumps(value, separators=(",", ":"), ensure_ascii=False) != leaf:
            return False, None
    except (ValueError, RecursionError):
        return False, None
    depth = _finite_depth(value)
    if depth is None or depth > MAX_DEPTH:
        return False, None
    return True, as_text(value)


def _keys_ok(keys: pa.ListArray, known: pa.Array) -> np.ndarray:
    """Per list of keys: at least one key, every key in ``known``, none repeated.

    A list's keys are set as bits (one per known key) and OR-ed: no key is repeated when
    the OR holds as many bits as the list has keys (cheaper than counting every
    (list, key) pair)."""
    n = len(keys)
    assert len(known) < 63, "one bit per known key"
    lengths = pc.fill_null(pc.list_value_length(keys), 0).to_numpy()
    codes = pc.index_in(keys.flatten(), value_set=known)
    parents = pc.list_parent_indices(keys).to_numpy()
    unknown = np.zeros(n, dtype=bool)
    if codes.null_count:
        unknown[parents[pc.is_null(codes).to_numpy(zero_copy_only=False)]] = True
    bits = np.left_shift(1, pc.fill_null(codes, 0).to_numpy().astype(np.int64))
    distinct = np.zeros(n, dtype=np.int64)
    if len(parents):
        # `parents` is sorted: each list's keys are one run of it.
        starts = np.flatnonzero(np.concatenate([[True], parents[1:] != parents[:-1]]))
        distinct[parents[starts]] = np.bitwise_count(np.bitwise_or.reduceat(bits, starts))
    return (
        keys.is_valid().to_numpy(zero_copy_only=False)
        & (lengths > 0)
        & ~unknown
        & (distinct == lengths)
    )


def _sum_by(parents: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(parents, weights=values, minlength=n).astype(np.int64)


def _field(array: pa.Array, name: str) -> pa.Array:
    return pc.struct_field(array, name)


def _rows(
    header: dict[str, pa.Array],
    events: pa.Array,
    payload: pa.Array,
    line_numbers: pa.Array,
    texts: pa.Array | None,
    event_lines: np.ndarray,
    event_index: np.ndarray,
    selected: np.ndarray,
    empty: np.ndarray | None,
) -> pa.Table:
    """Staged rows of the ``selected`` events (their line: ``event_lines``) and, with
    ``texts`` (first rows), the header, the original line and a placeholder row for each
    line of ``empty`` (lines without events); without ``texts`` only the id of the header."""
    no_events = empty if empty is not None else np.zeros(0, np.int64)
    lines = pa.array(np.concatenate([event_lines[selected], no_events]), pa.int64())
    n_events = int(selected.sum())
    n = len(lines)
    mask = pa.array(selected)

    def event_values(values: pa.Array) -> pa.Array:
        return pa.concat_arrays([values.filter(mask), pa.nulls(n - n_events, pa.string())])

    columns: dict[str, pa.Array] = {
        name: values.take(lines)
        if texts is not None or name == "conversation_id"
        else pa.nulls(n, pa.string())
        for name, values in header.items()
    }
    for name in EVENT_FIELDS:
        columns[name] = event_values(payload if name == "payload" else _field(events, name))
    numbers = line_numbers.take(lines)
    return pa.Table.from_arrays(
        [
            *(columns[name] for name in TEXT_COLUMNS),
            numbers,
            pa.array(np.concatenate([event_index[selected], np.zeros(len(no_events))]), pa.int32()),
            numbers,
            pa.array(np.arange(n) < n_events),
            texts.take(lines) if texts is not None else pa.nulls(n, pa.string()),
        ],
        schema=STAGED_SCHEMA,
    )


@dataclass
class ParseMode:
    """How a file's batches are parsed: ``strict`` until a batch has a line that is not
    JSON (see :func:`_parse`)."""

    strict: bool = True


def _parse(con: duckdb.DuckDBPyConnection, mode: ParseMode) -> pa.Table:
    """The parse of ``fj_input``: the rows of :data:`_PARSE_SQL`, but for lines that are
    not JSON, which may be NULL where TRY's are not (such a line goes to the Python path).

    TRY costs ~10% of a clean batch's parse, and a batch with a few malformed lines in it
    parsed under TRY took ~5x the CPU of a clean one (docs/performance.md). So the strict
    query comes first: when no function fails on any line, every TRY would have returned
    its function's value, so the rows are the same. If it fails, the query that parses
    only the lines json_valid accepts comes next (2-3x less CPU than TRY there), for this
    batch and the file's later ones: a line it leaves NULL is one TRY leaves NULL, or at
    most one more line for the Python path (a NULL parse takes no line into the fast
    path, which only takes lines it proves the Python path stages alike). TRY is the last
    resort, if a function fails on a line json_valid accepts.
    """
    if mode.strict:
        try:
            return con.sql(_STRICT_PARSE_SQL).to_arrow_table()
        except duckdb.Error:
            mode.strict = False  # a line that is not JSON
    try:
        return con.sql(_VALID_PARSE_SQL).to_arrow_table()
    except duckdb.Error:
        pass
    return con.sql(_PARSE_SQL).to_arrow_table()


def stage_lines(
    con: duckdb.DuckDBPyConnection,
    lines: pa.Table,
    as_text: Callable[[object], str | None],
    mode: ParseMode | None = None,
) -> list[tuple[int, str]]:
    """Append to ``staged`` the rows of every line of ``lines`` (``line_number``, ``text``,
    in line order) that the fast path provably handles as the Python path does; return
    the other lines as ``(line_number, text)``, in line order, for the Python path.

    ``mode``: how to parse (:func:`_parse`; one per file, so that its batches after one
    with a malformed line skip the strict try); the rows are the same either way.
    """
    if not lines.num_rows:
        return []
    # In slices, so that DuckDB parses on every thread (one Arrow chunk is one thread's
    # work: a 180,000-line batch parsed in 1.9 s on one, 1.2 s in 8,192-line slices on two).
    con.register("fj_input", pa.Table.from_batches(lines.to_batches(max_chunksize=_SLICE_ROWS)))
    try:
        parsed = _parse(con, mode or ParseMode())
    finally:
        con.unregister("fj_input")
    line_numbers = lines["line_number"].combine_chunks()
    if not parsed["line_number"].equals(lines["line_number"]):
        parsed = parsed.sort_by("line_number")  # only if DuckDB changed the order
    texts = lines["text"].combine_chunks()
    j = parsed["j"].combine_chunks()
    top_keys = parsed["top_keys"].combine_chunks()
    ok = (
        j.is_valid().to_numpy(zero_copy_only=False)
        & parsed["syntax_ok"].to_numpy()
        & _keys_ok(top_keys, _TOP_KEYS)
    )
    header = {name: _field(j, name) for name in HEADER_FIELDS}
    for values in header.values():
        ok &= _plain(values)
    # An `events` key must hold a list; without one the line has no events (Python: []).
    events = _field(j, "events")
    is_events = pc.equal(top_keys.flatten(), "events").to_numpy(zero_copy_only=False)
    events_key = np.bincount(
        pc.list_parent_indices(top_keys).to_numpy(), weights=is_events, minlength=len(ok)
    )
    ok &= events.is_valid().to_numpy(zero_copy_only=False) | (events_key == 0)
    n_events = pc.fill_null(pc.list_value_length(events), 0).to_numpy()
    event_keys = parsed["event_keys"].combine_chunks()
    ok &= n_events == pc.fill_null(pc.list_value_length(event_keys), 0).to_numpy()

    # The events of the lines still in: each checked, then a line with a bad one is out.
    candidates = np.flatnonzero(ok)
    if len(candidates) < len(ok):  # (a copy of the batch's events; usually none needed)
        take = pa.array(candidates, pa.int64())
        events, event_keys = events.take(take), event_keys.take(take)
    candidate_events = events
    flat = candidate_events.flatten()
    parents = pc.list_parent_indices(candidate_events).to_numpy()
    counts = n_events[candidates]
    event_index = np.arange(len(flat), dtype=np.int64) - np.repeat(
        np.cumsum(counts) - counts, counts
    )
    event_ok = flat.is_valid().to_numpy(zero_copy_only=False) & _keys_ok(
        event_keys.flatten(), _EVENT_KEYS
    )
    for name in EVENT_FIELDS:
        if name != "payload":
            event_ok &= _plain(_field(flat, name))
    payload_leaf = _field(flat, "payload")
    distinct = pc.unique(payload_leaf.drop_null())
    rendered = [payload_text(leaf, as_text) for leaf in distinct.to_pylist()]
    where = pc.index_in(payload_leaf, value_set=distinct)
    payload_ok = pc.take(pa.array([r[0] for r in rendered], pa.bool_()), where)
    payload = pc.take(pa.array([r[1] for r in rendered], pa.string()), where)
    event_ok &= pc.fill_null(payload_ok, True).to_numpy(zero_copy_only=False)
    bad = np.bincount(parents, weights=~event_ok, minlength=len(candidates))
    ok[candidates[bad > 0]] = False

    # Staged rows: one per event of a good line, one placeholder per good line without
    # events. The header (but the id) and the original line go on a line's first row
    # only, so first rows and the others are built apart (no per-row copy of the line).
    keep = ok[candidates][parents]
    event_lines = candidates[parents]
    first = keep & (event_index == 0)
    later = keep & (event_index > 0)
    empty = np.flatnonzero(ok & (n_events == 0))
    append_staged(
        con,
        pa.concat_tables(
            [
                _rows(
                    header,
                    flat,
                    payload,
                    line_numbers,
                    texts,
                    event_lines,
                    event_index,
                    first,
                    empty,
                ),
                _rows(
                    header, flat, payload, line_numbers, None, event_lines, event_index, later, None
                ),
            ]
        ),
    )
    slow = np.flatnonzero(~ok)
    if not len(slow):
        return []
    index = pa.array(slow, pa.int64())
    return list(
        zip(line_numbers.take(index).to_pylist(), texts.take(index).to_pylist(), strict=True)
    )
