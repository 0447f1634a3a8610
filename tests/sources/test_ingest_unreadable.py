"""Rows and files that cannot be read: their conversations, corrupt files, column maps, locales."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipelines.cli.ingest import ingest_app
from pipelines.config import Settings, paths
from pipelines.sources import ColumnMap, ColumnMapError, ingest_days, judge_file, load_column_map
from tests.sources.ingest_helpers import conversation, write_jsonl

HEADER = "conversation_id,sent_at,actor,event_type,text\n"
C1 = "c1,2025-03-01T08:00:00Z,customer,message,hi\nc1,2025-03-01T08:00:01Z,bot,message,hello\n"
C2 = "c2,2025-03-01T08:00:03Z,customer,message,fine\n"


def judge(tmp_path: Path, name: str, data: bytes | str, column_map: ColumnMap | None = None):
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return judge_file(path, name, column_map or ColumnMap())


def outcome(judged) -> tuple[dict[int, str], set[str]]:
    quarantine = dict(
        zip(judged.quarantine["record_number"], judged.quarantine["reason_code"], strict=True)
    )
    assert int(judged.conversations["n_records"].sum()) + len(quarantine) == judged.records_read
    return quarantine, set(judged.conversations["conversation_id"])


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (b"c1,2025-03-01T08:00:02Z,customer,feedback,negative,extra\n", "malformed_row"),
        (b"c1,2025-03-01T08:00:02Z,customer,feedback\n", "malformed_row"),
        (b"c1,2025-03-01T08:00:02Z,customer,feedback,n\xe9gative\n", "invalid_utf8"),
        # The extra field sits before the id: found counting from the row's end.
        (b"x,c1,2025-03-01T08:00:02Z,customer,feedback,negative\n", "malformed_row"),
    ],
)
def test_an_unsplittable_row_rejects_the_rest_of_its_conversation(tmp_path, bad_row, reason):
    # c1's thumbs-down is the bad row: loading c1 without it would count it as resolved.
    data = HEADER.encode() + C1.encode() + bad_row + C2.encode()
    quarantine, loaded = outcome(judge(tmp_path, "sib.csv", data))
    assert quarantine == {2: "sibling_rejected", 3: "sibling_rejected", 4: reason}
    assert loaded == {"c2"}


def test_the_column_map_locates_the_conversation_id_of_a_bad_row(tmp_path):
    column_map = tmp_path / "map.yaml"
    column_map.write_text("columns: {ticket: conversation_id}\n")
    data = (
        "text,ticket,sent_at,actor\n"
        "hi,t1,2025-03-01T08:00:00Z,customer\n"
        "oops,t1,2025-03-01T08:00:01Z\n"
        "fine,t2,2025-03-01T08:00:03Z,customer\n"
    )
    judged = judge(tmp_path, "m.csv", data, load_column_map(column_map))
    quarantine, loaded = outcome(judged)
    assert quarantine == {2: "sibling_rejected", 3: "malformed_row"}
    assert loaded == {"t2"}


def test_a_bad_row_whose_conversation_cannot_be_recovered_rejects_the_whole_file(tmp_path):
    data = HEADER + C1 + ",2025-03-01T08:00:02Z,customer,feedback,negative,extra\n" + C2
    judged = judge(tmp_path, "lost.csv", data)
    quarantine, loaded = outcome(judged)
    assert quarantine == {
        2: "sibling_rejected",
        3: "sibling_rejected",
        4: "malformed_row",
        5: "sibling_rejected",
    }
    assert loaded == set()
    message = judged.quarantine.set_index("record_number").loc[4, "message"]
    assert "cannot be recovered" in message and "every conversation" in message


def test_a_bad_row_of_a_single_row_conversation_takes_nothing_else(tmp_path):
    data = HEADER + C1 + "c3,2025-03-01T08:00:02Z,customer,message,hi,extra\n" + C2
    quarantine, loaded = outcome(judge(tmp_path, "alone.csv", data))
    assert quarantine == {4: "malformed_row"}
    assert loaded == {"c1", "c2"}


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def _truncated_gzip() -> bytes:
    lines = "\n".join(
        json.dumps(conversation(f"c{i}", "2025-03-01T09:00:00+00:00")) for i in range(50)
    )
    data = gzip.compress(lines.encode())
    return data[: len(data) // 2]


CORRUPT_FILES = {
    "notgzip.jsonl.gz": b"plain text, not gzip",
    "truncated.jsonl.gz": _truncated_gzip(),
    "notgzip.csv.gz": b"conversation_id,sent_at,actor\n",
    "corrupt.parquet": b"PAR1 this is not a parquet file",
    "gzipped.csv": gzip.compress((HEADER + C1).encode()),
    "workbook.csv": _xlsx_bytes(),
    "workbook.jsonl": _xlsx_bytes(),
}


@pytest.mark.parametrize("name", sorted(CORRUPT_FILES))
def test_an_unreadable_file_is_one_quarantined_record_numbered_0(tmp_path, name):
    judged = judge(tmp_path, name, CORRUPT_FILES[name])
    quarantine, loaded = outcome(judged)
    assert (judged.records_read, quarantine, loaded) == (1, {0: "unreadable_file"}, set())
    assert judged.quarantine["message"].iloc[0]


def test_a_run_quarantines_corrupt_files_and_loads_the_others(tmp_path):
    home = paths(tmp_path / "home").ensure()
    day = date(2025, 3, 1)
    write_jsonl(home, day, "good.jsonl", [conversation("ok", "2025-03-01T09:00:00+00:00")])
    for name, data in CORRUPT_FILES.items():
        (home.landing_day(day) / name).write_bytes(data)
    report = ingest_days(home, [day], Settings(quarantine_threshold=1.0))
    assert report.reason_counts() == {"unreadable_file": len(CORRUPT_FILES)}
    assert (report.records_read, report.records_loaded) == (len(CORRUPT_FILES) + 1, 1)
    quarantined = pq.read_table(home.quarantine_day(day) / "quarantine.parquet").to_pylist()
    assert {q["record_number"] for q in quarantined} == {0}
    loaded = pq.read_table(home.raw_day(day) / "conversations.parquet")
    assert loaded["conversation_id"].to_pylist() == ["ok"]


def test_ingest_check_reports_an_unreadable_file_and_fails(tmp_path):
    path = tmp_path / "x.jsonl.gz"
    path.write_bytes(b"not gzip")
    result = CliRunner().invoke(ingest_app, ["check", str(path)])
    assert result.exit_code == 1, result.output
    assert "1 quarantined" in result.output and "unreadable_file" in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns: {ticket: conversation_idd}\n", "conversation_idd"),
        ("columns: [ticket\n", "not valid YAML"),
        ("- a list\n", "must be a mapping"),
        ("columns: {ticket: conversation_id}\nvalues: {locale: {x: y}}\n", "locale"),
    ],
)
def test_an_unusable_column_map_is_a_clear_error(tmp_path, text, message):
    column_map = tmp_path / "map.yaml"
    column_map.write_text(text)
    with pytest.raises(ColumnMapError, match=message):
        load_column_map(column_map)
    export = tmp_path / "e.csv"
    export.write_text(HEADER + C1)
    result = CliRunner().invoke(ingest_app, ["check", str(export), "--column-map", str(column_map)])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_ingest_check_uses_the_column_map_setting(tmp_path, monkeypatch):
    column_map = tmp_path / "map.yaml"
    column_map.write_text("columns: {ticket: conversation_id}\n")
    export = tmp_path / "e.csv"
    export.write_text("ticket,sent_at,actor\nt1,2025-03-01T08:00:00Z,customer\n")
    monkeypatch.setenv("CLOSEDLOOP_COLUMN_MAP", str(column_map))
    result = CliRunner().invoke(ingest_app, ["check", str(export)])
    assert result.exit_code == 0, result.output


def test_a_missing_required_column_is_named_as_missing(tmp_path):
    judged = judge(tmp_path, "e.csv", "ticket,sent_at,actor\nt1,2025-03-01T08:00:00Z,customer\n")
    [message] = judged.quarantine["message"]
    assert judged.quarantine["reason_code"].tolist() == ["missing_required_field"]
    assert "the file has no conversation_id column" in message and "ticket" in message


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("en_us", "en-US"),
        ("EN-US", "en-US"),
        ("en-US", "en-US"),
        ("zh_hant_tw", "zh-Hant-TW"),
        ("ES-419", "es-419"),
    ],
)
def test_locale_is_put_in_bcp47_canonical_case(tmp_path, raw, canonical):
    data = f"conversation_id,sent_at,actor,locale\nc,2025-03-01T08:00:00Z,customer,{raw}\n"
    judged = judge(tmp_path, "e.csv", data)
    assert judged.conversations["locale"].tolist() == [canonical]


def _synthetic_export(n_conversations: int) -> list[list[str]]:
    rows = []
    for c in range(n_conversations):
        for i, actor in enumerate(("customer", "bot", "customer")):
            rows.append([f"conv-{c:04d}", f"2025-03-01T10:{c % 60:02d}:0{i}Z", actor, f"text {i}"])
    return rows


@pytest.mark.parametrize("line_end", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_rows_with_bytes_that_are_not_utf8_quarantine_only_their_conversations(tmp_path, line_end):
    """400 good conversations and 8 rows with Latin-1 bytes (in 8 other conversations):
    the 8 conversations are quarantined as invalid_utf8 with their bytes kept escaped,
    the 400 load, and the audit counts rows. Python's csv module writes CRLF, which
    once made every row's conversation unrecoverable."""
    home = paths(tmp_path / "home").ensure()
    day = date(2025, 3, 1)
    good = _synthetic_export(400)
    broken = _synthetic_export(408)[1200:]
    body = io.BytesIO()
    body.write(f"conversation_id,sent_at,actor,text{line_end}".encode())
    for index, row in enumerate(good + broken):
        line = ",".join(row).encode()
        if index >= 1200 and index % 3 == 1:  # the bot's row of each broken conversation
            line = line.replace(b"text 1", b"caf\xe9 \xff\xfe broken")
        body.write(line + line_end.encode())
    home.landing_day(day).mkdir(parents=True)
    (home.landing_day(day) / "export.csv").write_bytes(body.getvalue())
    report = ingest_days(home, [day], Settings(quarantine_threshold=1.0))
    (row,) = report.audit
    assert (row.records_read, row.records_loaded) == (408 * 3, 400 * 3)
    assert row.reason_counts == {"invalid_utf8": 8, "sibling_rejected": 16}
    quarantined = pq.read_table(home.quarantine_day(day) / "quarantine.parquet").to_pylist()
    bad = [q for q in quarantined if q["reason_code"] == "invalid_utf8"]
    assert {q["original_record"].split(",")[0] for q in bad} == {
        f"conv-{c:04d}" for c in range(400, 408)
    }
    assert all("caf\\xe9 \\xff\\xfe broken" in q["original_record"] for q in bad)
    loaded = pq.read_table(home.raw_day(day) / "conversations.parquet")
    assert loaded.num_rows == 400


def test_a_csv_whose_header_is_not_utf8_is_unreadable_not_read_with_a_row_as_header(tmp_path):
    data = "conversation_id,sent_at,actor,t\xe9xt\n".encode("latin-1") + C1.encode()
    judged = judge(tmp_path, "latin1.csv", data)
    quarantine, loaded = outcome(judged)
    assert (quarantine, loaded) == ({0: "unreadable_file"}, set())
    assert "header row is not UTF-8" in judged.quarantine["message"].iloc[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("values: {channel: {livechat: chat_widget}}\n", "chat_widget"),
        ("values: {actor: {member: patron}}\n", "patron"),
        ("values: {event_type: {transfer: escalated}}\n", "escalated"),
    ],
)
def test_a_column_map_value_for_a_canonical_value_that_does_not_exist_is_refused(
    tmp_path, text, message
):
    column_map = tmp_path / "map.yaml"
    column_map.write_text(text)
    with pytest.raises(ColumnMapError, match=message):
        load_column_map(column_map)
    export = tmp_path / "e.csv"
    export.write_text(HEADER + C1)
    result = CliRunner().invoke(ingest_app, ["check", str(export), "--column-map", str(column_map)])
    assert result.exit_code == 2, result.output


@pytest.mark.parametrize("fast", [True, False])
def test_an_escaped_unpaired_surrogate_quarantines_its_line_not_the_file(
    tmp_path, monkeypatch, fast
):
    # "\ud800" is valid JSON grammar but no character: staging it used to raise while
    # writing UTF-8 and fail the whole file as an IngestBug.
    from pipelines.sources import jsonl

    monkeypatch.setattr(jsonl, "FAST_PATH", fast)
    good = json.dumps(conversation("c1", "2025-03-01T08:00:00Z"))
    emoji = json.dumps(conversation("c3", "2025-03-01T10:00:00Z", intent="\U0001f600"))
    lone = json.dumps(conversation("c2", "2025-03-01T09:00:00Z", intent="@")).replace(
        '"@"', '"hi \\ud800 there"'
    )
    quarantine, loaded = outcome(judge(tmp_path, "x.jsonl", f"{good}\n{lone}\n{emoji}\n"))
    assert quarantine == {2: "malformed_json"}
    assert loaded == {"c1", "c3"}
