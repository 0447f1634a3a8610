"""The vectorized JSONL path stages exactly what the Python path stages.

Every file is read twice by ``read_jsonl``, with ``FAST_PATH`` on and off: the staged rows
(every column, nulls included), the records read and the rejects (record, reason, message,
original text) must be identical, with one batch for the file and with a batch per line.
Inputs: the JSONL fixtures of tests/sources, a day of the project's generator, a file of
hostile lines (every rule of docs/ingestion.md and every DuckDB/Python JSON difference the
fast path must send to Python), and seeded random mutations of valid lines.
"""

from __future__ import annotations

import gzip
import json
import random
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipelines.sources import ColumnMap, jsonl, jsonl_fast, judge_file
from pipelines.sources.landing import open_landing_file
from pipelines.sources.scratch import scratch_connection
from pipelines.sources.staging import StagedFile
from pipelines.synth.generator import generate
from tests.sources.ingest_helpers import conversation
from tests.sources.test_ingest_batches import _jsonl_lines, _outcome

ONE_BATCH = 1 << 30
PER_LINE = 1  # a batch per line: the most cuts a file can have
SOME_LINES = 8_192


def _line(obj: object) -> str:
    return json.dumps(obj)


def _ok(conversation_id: str, **header: object) -> dict[str, object]:
    return conversation(conversation_id, "2025-03-01T09:00:00+00:00", n_events=3, **header)


def _with_event(conversation_id: str, **fields: object) -> dict[str, object]:
    record = _ok(conversation_id)
    record["events"][1].update(fields)  # type: ignore[index]
    return record


def _hostile_lines() -> list[str | bytes]:
    """One line per rule or parser difference; str lines are written as UTF-8."""
    deep = "[" * 5_000 + "]" * 5_000
    ok = _line(_ok("plain"))
    return [
        ok,
        "",
        "   ",
        "\x0b\x0c",
        "\r",
        ok[:-1] + " }\r",  # CRLF: the CR stays in the original line
        "  \t" + _line(_ok("leading-blanks")) + "  ",
        _line(_ok("header-\u00e9-\U0001f600", intent='caf\u00e9 \u2028 \\ " / \t')),
        json.dumps(_ok("ascii-escaped", intent="caf\u00e9 \U0001f600")),  # \\u escapes
        json.dumps(_ok("not-escaped", intent="caf\u00e9"), ensure_ascii=False),
        '{"conversation_id": "nul", "intent": "a\\u0000b", "events": []}',
        '{"conversation_id": "lone-surrogate-free", "intent": "\\ud83d\\ude00", "events": []}',
        # An escaped half of a surrogate pair is no character: quarantined, never staged.
        '{"conversation_id": "lone-high", "intent": "a\\ud800b", "events": []}',
        '{"conversation_id": "lone-low", "events": [{"text": "\\udfff"}]}',
        '{"conversation_id": "lone-in-key", "\\udc00": 1, "events": []}',
        b'{"conversation_id": "caf\xe9"}',
        "{not json",
        '{"conversation_id": "x", "events": [1, 2,]}',
        '{"conversation_id": "x", "events": [],}',
        '{"conversation_id": "x", "csat_score": nan, "events": []}',
        '{"conversation_id": "x", "csat_score": NaN, "events": []}',
        '{"conversation_id": "x", "csat_score": -Infinity, "events": []}',
        '{"conversation_id": "x", "csat_score": inf, "events": []}',
        '{"conversation_id": "x", "csat_score": 1e999, "events": []}',
        '{"conversation_id": "x", "extra": [nan], "events": []}',
        '{"conversation_id": "x", "events": []} {"b": 2}',
        '{"conversation_id": "x", "events": []} x',
        '{"conversation_id": "x", "events": [], "x": 01}',
        '\ufeff{"conversation_id": "bom-in-line", "events": []}',
        "[1, 2, 3]",
        '"a string"',
        "42",
        "null",
        "{}",
        '{"conversation_id": "no-events-key"}',
        '{"conversation_id": "null-events", "events": null}',
        '{"conversation_id": "events-object", "events": {"a": {"seq": 0}}}',
        '{"conversation_id": "events-string", "events": "nope"}',
        _line({**_ok("empty-events"), "events": []}),
        _line({**_ok("number-event"), "events": [1]}),
        _line({**_ok("list-event"), "events": [[1]]}),
        _line({**_ok("null-event"), "events": [None]}),
        _line({**_ok("empty-event"), "events": [{}]}),
        '{"conversation_id": "a", "conversation_id": "b", "events": []}',
        '{"conversation_id": "dup-event", "events": [{"actor": "bot", "actor": "customer"}]}',
        '{"conversation_\\u0069d": "escaped-key", "events": []}',
        '{"conversation_id": "escaped-event-key", "events": [{"act\\u006fr": "bot"}]}',
        '{"conversation_id" : "spaced", "events" : [ { "actor" : "bot" } ] }',
        '{"conversation_id": "Case", "Actor": "bot", "events": [{"Actor": "bot"}]}',
        _line({**_ok("unknown-key"), "extra": 1}),
        _line({**_ok("unknown-object"), "extra": {"a": [1, 2.5]}}),
        _line({**_ok("unknown-event-key"), "events": [{"seq": 0, "color": "red"}]}),
        '{"conversation_id": "deep-unknown", "extra": ' + deep + ', "events": []}',
        deep,
        _line(_ok("header-object", channel={"name": "web"})),
        _line(_ok("header-list", channel=["web"])),
        _line(_with_event("event-list", sent_at=[2025, 3, 1])),
        _line(_with_event("event-object", text={"a": 1})),
        _line(_ok("csat-int", csat_score=4)),
        _line(_ok("csat-big", csat_score=4155550143)),
        _line(_ok("csat-huge", csat_score=99999999999999999999)),
        _line(_ok("csat-float", csat_score=4.0)),
        _line(_ok("csat-float-str", csat_score="4.5")),
        _line(_ok("csat-exp", csat_score=1e16)),
        _line(_ok("csat-neg-zero", csat_score=-0.0)),
        '{"conversation_id": "neg-zero-int", "csat_score": -0, "events": []}',
        _line(_ok("csat-bool", csat_score=True)),
        _line(_ok("csat-str-nan", csat_score="nan")),
        _line(_ok("text-brace", intent="{not json}")),
        _line(_ok("text-bracket", intent="[image]")),
        _line(_with_event("seq-big", seq=3_000_000_000)),
        _line(_with_event("seq-float", seq=1.5)),
        _line(_with_event("seq-str", seq="1")),
        _line(_with_event("payload-object", payload={"z": 1, "a": [1, "x", None, True]})),
        _line(_with_event("payload-list", payload=[3, 2, 1])),
        _line(_with_event("payload-str", payload='{"b": 1, "a": 2}')),
        _line(_with_event("payload-escaped-str", payload="line\nbreak \u00e9")),
        _line(_with_event("payload-int", payload=7)),
        _line(_with_event("payload-bool", payload=False)),
        _line(_with_event("payload-float", payload={"score": 4.5})),
        _line(_with_event("payload-exp", payload={"score": 1e16})),
        _line(_with_event("payload-bigint", payload={"n": 123456789012345678901234567890})),
        _line(_with_event("payload-nan", payload={"n": float("nan")})),
        _line(_with_event("payload-unicode", payload={"t": "caf\u00e9\u2028\x7f"})),
        '{"conversation_id": "payload-dup", "events": [{"payload": {"a": 1, "a": 2}}]}',
        '{"conversation_id": "payload-trailing", "events": [{"payload": {"a": 1,}}]}',
        '{"conversation_id": "payload-deep", "events": [{"payload": '
        + "[" * 300
        + "]" * 300
        + "}]}",
        _line(_with_event("feedback", event_type="feedback", payload={"value": "positive"})),
        _line(_with_event("text-null", text=None)),
        _line(_with_event("text-empty", text="")),
        _line(_with_event("text-long", text="y" * 30_000)),
        ok,  # a repeated line: a later delivery
    ]


def _write(folder: Path, name: str, lines: list[str | bytes]) -> Path:
    data = b"\n".join(line if isinstance(line, bytes) else line.encode() for line in lines)
    path = folder / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def _stage(path: Path, fast: bool, batch_bytes: int) -> tuple[pa.Table, StagedFile]:
    previous = jsonl.FAST_PATH
    jsonl.FAST_PATH = fast
    con = scratch_connection(path.parent, 256)
    try:
        with open_landing_file(path) as file:
            staged = jsonl.read_jsonl(con, file, path.name, batch_bytes)
        table = con.sql("select * from staged order by record_number, event_index").to_arrow_table()
    finally:
        con.close()
        jsonl.FAST_PATH = previous
    return table, staged


def _assert_same(path: Path, batches: tuple[int, ...] = (ONE_BATCH, PER_LINE)) -> None:
    reference_rows, reference = _stage(path, fast=False, batch_bytes=ONE_BATCH)
    for batch_bytes in batches:
        rows, staged = _stage(path, fast=True, batch_bytes=batch_bytes)
        assert rows.schema == reference_rows.schema
        assert rows.to_pylist() == reference_rows.to_pylist()
        assert staged == reference


@pytest.mark.parametrize("name", ["hostile.jsonl", "hostile.jsonl.gz"])
def test_hostile_lines_are_staged_as_the_python_path_stages_them(tmp_path, name):
    path = _write(tmp_path, name, _hostile_lines())
    rows, staged = _stage(path, fast=True, batch_bytes=ONE_BATCH)
    assert staged.rejects, "the hostile file has lines that cannot be staged"
    assert rows.num_rows
    _assert_same(path)


def test_a_bom_and_a_missing_final_newline_are_read_as_the_python_path_reads_them(tmp_path):
    lines = [_line(_ok("first")), "", _line(_ok("last"))]
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())
    _assert_same(path)


def test_the_jsonl_fixtures_of_the_ingest_tests_are_staged_alike(tmp_path):
    lines = [line if isinstance(line, str) else _line(line) for line in _jsonl_lines()]
    _assert_same(_write(tmp_path, "batches.jsonl", lines))


def test_a_generated_day_takes_the_fast_path_and_is_staged_alike(tmp_path):
    day = date(2026, 1, 5)
    generate(day, day, 200, 11, tmp_path / "landing", tmp_path / "truth")
    path = next((tmp_path / "landing").rglob("*.jsonl"))
    _assert_same(path, (ONE_BATCH, SOME_LINES))
    # Every generated line is one the fast path proves: none falls back to Python.
    texts = [t for t in path.read_text().splitlines() if t.strip()]
    lines = pa.table({"line_number": pa.array(range(1, len(texts) + 1), pa.int64()), "text": texts})
    con = scratch_connection(tmp_path, 256)
    try:
        jsonl.load_staged(con, jsonl.STAGED_SCHEMA.empty_table())
        assert jsonl.stage_lines(con, lines, jsonl.as_text) == []
    finally:
        con.close()


_MUTATIONS = ['"', "\\", "{", "}", "[", "]", ",", ":", " ", "0", "1", "-", ".", "e", "n", "\t"]
_INSERTS = [*_MUTATIONS, "nan", "NaN", "Infinity", "true", "null", "\\u0000", "\\ud800", "\u00e9"]


def test_random_mutations_of_valid_lines_are_staged_alike(tmp_path):
    rng = random.Random(16)
    base = [
        _line(_with_event("m", payload={"value": "positive", "n": [1, 2]})),
        _line(_ok("m2", csat_score=3, intent="refund")),
    ]
    lines: list[str | bytes] = []
    for _ in range(400):
        text = rng.choice(base)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text))
            action = rng.random()
            if action < 0.4:
                text = text[:at] + text[at + 1 :]
            elif action < 0.7:
                text = text[:at] + rng.choice(_INSERTS) + text[at:]
            else:
                text = text[:at] + rng.choice(_MUTATIONS) + text[at + 1 :]
        lines.append(text.replace("\n", " "))
    path = _write(tmp_path, "mutated.jsonl", lines)
    try:
        _assert_same(path, (ONE_BATCH, SOME_LINES))
    except (UnicodeEncodeError, pa.ArrowInvalid):
        pytest.fail("a mutated line broke the Python path itself")


def test_a_batch_parsed_in_many_slices_on_two_threads_is_staged_alike(tmp_path, monkeypatch):
    # DuckDB parses each Arrow slice on its own thread; the rows must still come back per
    # line, in line order, whichever slice finishes first.
    monkeypatch.setattr(jsonl_fast, "_SLICE_ROWS", 3)
    day = date(2026, 1, 5)
    generate(day, day, 60, 12, tmp_path / "landing", tmp_path / "truth")
    generated = [t for t in next((tmp_path / "landing").rglob("*.jsonl")).read_text().splitlines()]
    lines: list[str | bytes] = [*generated[:40], *_hostile_lines(), *generated[40:]]
    _assert_same(_write(tmp_path, "sliced.jsonl", lines), (ONE_BATCH, SOME_LINES))


def test_judging_a_file_gives_the_same_outcome_on_either_path(tmp_path, monkeypatch):
    lines = [line if isinstance(line, str) else _line(line) for line in _jsonl_lines()]
    lines += [line for line in _hostile_lines() if not isinstance(line, bytes)]
    path = _write(tmp_path, "judged.jsonl", lines)
    outcomes = []
    for fast in (True, False):
        monkeypatch.setattr(jsonl, "FAST_PATH", fast)
        outcomes.append(_outcome(judge_file(path, path.name, ColumnMap())))
    assert outcomes[0] == outcomes[1]


def test_the_parse_without_try_gives_the_rows_of_the_parse_with_it(tmp_path):
    # The strict parse (no TRY) is taken only when it does not fail; then every row equals
    # the TRY parse's. A malformed line makes it fail, and the parse of the lines that are
    # JSON is used (here, too, every row equals the TRY parse's).
    day = date(2026, 1, 5)
    generate(day, day, 60, 13, tmp_path / "landing", tmp_path / "truth")
    generated = [t for t in next((tmp_path / "landing").rglob("*.jsonl")).read_text().splitlines()]
    hostile = [
        line for line in _hostile_lines() if isinstance(line, str) and line.strip()
    ]  # valid UTF-8, non-blank: what the reader hands the fast path
    con = scratch_connection(tmp_path, 256)
    try:
        for texts, strict_fails in ((generated, False), (generated + hostile, True)):
            lines = pa.table(
                {"line_number": pa.array(range(1, len(texts) + 1), pa.int64()), "text": texts}
            )
            con.register("fj_input", lines)
            tolerant = con.sql(jsonl_fast._PARSE_SQL).to_arrow_table().sort_by("line_number")
            try:
                strict = con.sql(jsonl_fast._STRICT_PARSE_SQL).to_arrow_table()
            except duckdb.Error:
                assert strict_fails
            else:
                assert not strict_fails
                assert strict.sort_by("line_number").equals(tolerant)
            valid = con.sql(jsonl_fast._VALID_PARSE_SQL).to_arrow_table().sort_by("line_number")
            assert valid.equals(tolerant)
            mode = jsonl_fast.ParseMode()
            parsed = jsonl_fast._parse(con, mode).sort_by("line_number")
            assert mode.strict is not strict_fails
            con.unregister("fj_input")
            assert parsed.equals(tolerant)
    finally:
        con.close()
