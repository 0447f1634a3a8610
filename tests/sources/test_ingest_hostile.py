"""Hostile input: one record never fails the run, leaks a value into a message, or drags
in data from outside the landing folder. Each test goes through ``ingest_days`` and looks
only at what was loaded, what was quarantined with which reason, and the audit."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.config import Paths, Settings, paths
from pipelines.sources import ingest_days
from tests.sources.ingest_helpers import conversation, write_csv, write_jsonl

D1 = date(2025, 3, 1)
LENIENT = Settings(quarantine_threshold=1.0)
ROOT = Path(__file__).resolve().parents[2]
CANARY = "zq7canary"


@pytest.fixture
def home(tmp_path) -> Paths:
    return paths(tmp_path / "home").ensure()


def loaded_ids(home: Paths, day: date = D1) -> list[str]:
    table = pq.read_table(home.raw_day(day) / "conversations.parquet")
    return sorted(table["conversation_id"].to_pylist())


def quarantined(home: Paths, day: date = D1) -> list[dict]:
    return pq.read_table(home.quarantine_day(day) / "quarantine.parquet").to_pylist()


def reasons_of(home: Paths, day: date = D1) -> dict[str, set[str]]:
    """reason codes per source file name (last path part)."""
    found: dict[str, set[str]] = {}
    for row in quarantined(home, day):
        found.setdefault(Path(row["source_file"]).name, set()).add(row["reason_code"])
    return found


def assert_reconciles(report) -> None:
    for row in report.audit:
        assert row.records_read == row.records_loaded + row.records_quarantined


# --- out-of-range numbers (issue 12 #2) ------------------------------------------------


@pytest.mark.parametrize("csat", [4155550143, "4155550143", "nan", "inf", "-inf", 1e300, "1e300"])
def test_an_out_of_range_csat_quarantines_its_conversation(home, csat):
    write_jsonl(
        home,
        D1,
        "csat.jsonl",
        [
            conversation("good", "2025-03-01T09:00:00+00:00", csat_score=4),
            conversation("bad", "2025-03-01T09:00:00+00:00", csat_score=csat),
        ],
    )
    report = ingest_days(home, [D1], LENIENT)
    assert loaded_ids(home) == ["good"]
    assert report.reason_counts() == {"invalid_csat": 1}
    assert str(csat) not in quarantined(home)[0]["message"]


def test_out_of_range_numbers_in_events_and_flat_files_are_quarantined(home):
    huge_seq = conversation("huge-seq", "2025-03-01T09:00:00+00:00")
    huge_seq["events"][1]["seq"] = 2**31 + 5
    csat_event = conversation("csat-event", "2025-03-01T09:00:00+00:00")
    csat_event["events"].append(
        {
            "seq": 2,
            "sent_at": "2025-03-01T09:00:20+00:00",
            "actor": "customer",
            "event_type": "csat",
            "payload": {"score": 1e300},
        }
    )
    write_jsonl(
        home,
        D1,
        "numbers.jsonl",
        [huge_seq, csat_event, conversation("good", "2025-03-01T09:00:00+00:00")],
    )
    row = {"sent_at": "2025-03-01T10:00:00Z", "actor": "customer", "text": "hi"}
    write_csv(
        home,
        D1,
        "numbers.csv",
        [
            {**row, "conversation_id": "flat-seq", "seq": "0"},
            {**row, "conversation_id": "flat-seq", "seq": "3000000000", "actor": "bot"},
            {**row, "conversation_id": "flat-csat", "csat_score": "4155550143"},
            {**row, "conversation_id": "flat-nan", "csat_score": "NaN"},
            {**row, "conversation_id": "flat-good"},
        ],
        columns=["conversation_id", "seq", "sent_at", "actor", "text", "csat_score"],
    )
    report = ingest_days(home, [D1], LENIENT)
    assert_reconciles(report)
    assert loaded_ids(home) == ["flat-good", "good"]
    assert report.reason_counts() == {
        "invalid_sequence": 2,
        "sibling_rejected": 1,
        "invalid_csat": 3,
    }


# --- shapes an adapter does not expect (issue 12 #3) --------------------------------------


def test_deeply_nested_json_is_quarantined_not_a_recursion_error(home):
    deep = "[" * 100_000 + "]" * 100_000
    write_jsonl(home, D1, "deep.jsonl", [conversation("good", "2025-03-01T09:00:00+00:00"), deep])
    folder = home.landing_day(D1)
    (folder / "deep.json").write_text(deep)
    report = ingest_days(home, [D1], LENIENT)
    assert_reconciles(report)
    assert loaded_ids(home) == ["good"]
    assert reasons_of(home) == {"deep.jsonl": {"malformed_json"}, "deep.json": {"malformed_json"}}


def _intercom(conversation_id: str, **fields: object) -> dict[str, object]:
    return {
        "type": "conversation",
        "id": conversation_id,
        "created_at": 1740819600,
        "source": {"type": "conversation", "body": "<p>hi</p>", "author": {"type": "user"}},
        "contacts": {"contacts": [{"id": "u1"}]},
        **fields,
    }


def test_platform_records_of_an_unexpected_shape_are_quarantined_one_by_one(home):
    folder = home.landing_day(D1)
    folder.mkdir(parents=True, exist_ok=True)
    intercom = {
        "type": "conversation.list",
        "conversations": [
            _intercom("ok", conversation_rating={"rating": 5, "created_at": 1740819700}),
            _intercom("source-is-text", source="chat"),
            _intercom("contacts-are-ids", contacts={"contacts": ["u1"]}),
            _intercom("rating-is-a-number", conversation_rating=5),
            _intercom("parts-are-text", conversation_parts="none"),
        ],
    }
    (folder / "intercom.json").write_text(json.dumps(intercom))
    ticket = {
        "id": 1,
        "created_at": "2025-03-01T09:00:00Z",
        "requester_id": 7,
        "comments": [
            {"author_id": 7, "public": True, "body": "help", "created_at": "2025-03-01T09:00:00Z"}
        ],
    }
    zendesk = {"tickets": [ticket, {**ticket, "id": 2, "comments": 7}, "not a ticket"]}
    (folder / "zendesk.json").write_text(json.dumps(zendesk))
    report = ingest_days(home, [D1], LENIENT)
    assert_reconciles(report)
    assert loaded_ids(home) == ["1", "ok"]
    by_record = {
        (Path(q["source_file"]).name, q["record_number"]): q["reason_code"]
        for q in quarantined(home)
    }
    assert by_record == {
        ("intercom.json", 2): "unexpected_shape",
        ("intercom.json", 3): "unexpected_shape",
        ("intercom.json", 4): "unexpected_shape",
        ("intercom.json", 5): "unexpected_shape",
        ("zendesk.json", 2): "unexpected_shape",
        ("zendesk.json", 3): "unexpected_shape",
    }


def test_canonical_jsonl_with_an_object_where_a_value_belongs_is_quarantined(home):
    header = conversation("header", "2025-03-01T09:00:00+00:00", channel={"name": "web"})
    event = conversation("event", "2025-03-01T09:00:00+00:00")
    event["events"][1]["sent_at"] = [2025, 3, 1]
    payload = conversation("payload-object", "2025-03-01T09:00:00+00:00")
    payload["events"][1]["payload"] = {"reason": "bot_fallback"}
    write_jsonl(home, D1, "shapes.jsonl", [header, event, payload])
    report = ingest_days(home, [D1], LENIENT)
    assert loaded_ids(home) == ["payload-object"]
    assert report.reason_counts() == {"unexpected_shape": 2}
    assert sorted(q["message"].split(":")[0] for q in quarantined(home)) == [
        "channel",
        "events[1].sent_at",
    ]


# --- values never reach messages (issue 12 #6) ---------------------------------------


def test_quarantine_messages_never_carry_record_values(home):
    """Every reason's message names the field and the problem, never the value: messages
    are printed by ``ingest check`` and summarised in logs; the value stays in
    ``original_record`` inside the restricted area."""
    start = "2025-03-01T09:00:00+00:00"

    def with_event(cid: str, **event: object) -> dict[str, object]:
        record = conversation(cid, start)
        record["events"][1].update(event)
        return record

    records = [
        conversation(f"{CANARY}-ok", start),  # a loaded one, as the reference
        with_event("actor", actor=f"{CANARY}"),
        with_event("type", event_type=f"{CANARY}"),
        with_event("time", sent_at=f"{CANARY}"),
        with_event("payload", payload=f"{CANARY}"),
        with_event("feedback", event_type="feedback", text=f"{CANARY}"),
        with_event("seq", seq=f"{CANARY}"),
        with_event("long", text=f"{CANARY} " + "x" * 20_001),
        conversation("channel", start, channel=f"{CANARY}"),
        conversation("csat", start, csat_score=f"{CANARY}"),
        conversation("locale", start, locale=f"{CANARY}"),
        conversation("market", start, market=f"{CANARY}"),
        conversation("label", start, intent=f"{CANARY} 4111 1111 1111 1111"),
        conversation("ended", start, ended_at=f"{CANARY}"),
        f'{{"conversation_id": "{CANARY}", ',
    ]
    write_jsonl(home, D1, "values.jsonl", records)
    write_csv(
        home,
        D1,
        "values.csv",
        [{"conversation_id": "row", "sent_at": start, "actor": "customer", "text": "a"}],
    )
    with (home.landing_day(D1) / "values.csv").open("a") as handle:
        # csv.DictWriter ends lines with CRLF; so does this malformed row.
        handle.write(f"row,{start},customer,{CANARY},extra,fields\r\n")
    report = ingest_days(home, [D1], LENIENT)
    assert_reconciles(report)
    rows = quarantined(home)
    assert len(rows) == report.records_quarantined == len(records) - 1 + 2
    assert {r["reason_code"] for r in rows} >= {
        "unknown_actor",
        "unknown_event_type",
        "unparseable_timestamp",
        "invalid_payload",
        "invalid_feedback",
        "invalid_sequence",
        "oversize_text",
        "unknown_channel",
        "invalid_csat",
        "invalid_locale",
        "invalid_market",
        "personal_data_in_label",
        "malformed_json",
        "malformed_row",
    }
    for row in rows:
        assert CANARY not in row["message"], row["reason_code"]
        assert CANARY in row["original_record"] or row["reason_code"] == "sibling_rejected"


# --- files that are not what they seem (issue 12 #9, #10) ---------------------------------


def test_symlinks_and_special_files_in_landing_are_refused_never_followed(home, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.csv"
    secret.write_text(
        "conversation_id,sent_at,actor,text\n"
        f"{CANARY},2025-03-01T09:00:00Z,customer,from outside the landing zone\n"
    )
    folder = home.landing_day(D1)
    folder.mkdir(parents=True)
    (folder / "passwd.csv").symlink_to(secret)
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    os.mkfifo(folder / "pipe.jsonl")
    write_jsonl(home, D1, "good.jsonl", [conversation("good", "2025-03-01T09:00:00+00:00")])
    report = ingest_days(home, [D1], LENIENT)
    assert_reconciles(report)
    assert loaded_ids(home) == ["good"]
    rows = quarantined(home)
    assert sorted((Path(r["source_file"]).name, r["reason_code"]) for r in rows) == [
        ("elsewhere", "not_a_regular_file"),
        ("passwd.csv", "not_a_regular_file"),
        ("pipe.jsonl", "not_a_regular_file"),
    ]
    assert all(CANARY not in (r["original_record"] or "") for r in rows)


def test_a_landing_day_folder_that_is_a_link_is_refused(home, tmp_path):
    other_home = paths(tmp_path / "other").ensure()
    write_jsonl(other_home, D1, "theirs.jsonl", [conversation(CANARY, "2025-03-01T09:00:00+00:00")])
    home.landing_day(D1).symlink_to(other_home.landing_day(D1), target_is_directory=True)
    report = ingest_days(home, [D1], LENIENT)
    assert loaded_ids(home) == []
    (row,) = quarantined(home)
    assert (row["source_file"], row["reason_code"]) == ("dt=2025-03-01", "not_a_regular_file")
    assert report.records_read == 1


def test_glob_characters_in_file_names_are_read_literally(home):
    row = {"sent_at": "2025-03-01T10:00:00Z", "actor": "customer", "text": "hi"}
    for name, cid in [("a.csv", "from-a"), ("[ab].csv", "from-brackets"), ("*.csv", "from-star")]:
        write_csv(home, D1, name, [{**row, "conversation_id": cid}])
    pq.write_table(
        pa.table({"conversation_id": ["from-parquet"], **{k: [v] for k, v in row.items()}}),
        home.landing_day(D1) / "?.parquet",
    )
    report = ingest_days(home, [D1], Settings())
    assert loaded_ids(home) == ["from-a", "from-brackets", "from-parquet", "from-star"]
    assert {(r.source_file, r.records_read) for r in report.audit} == {
        ("dt=2025-03-01/a.csv", 1),
        ("dt=2025-03-01/[ab].csv", 1),
        ("dt=2025-03-01/*.csv", 1),
        ("dt=2025-03-01/?.parquet", 1),
    }


# --- a field over DuckDB's line limit (issue 12 #11) -------------------------------------


@pytest.mark.parametrize("big_at", [3, 2_000, 30_000], ids=["in-sniff-sample", "mid", "late"])
def test_one_oversize_csv_field_quarantines_only_its_conversation(home, big_at):
    n = max(400, big_at // 3 + 10)
    lines = ["conversation_id,sent_at,actor,text"]
    for c in range(n):
        lines += [
            f"c{c},2025-03-01T10:00:0{i}Z,{('customer', 'bot')[i % 2]},hi {i}" for i in range(3)
        ]
    huge = "x" * (3 * 1024 * 1024)
    lines.insert(big_at, f'c{(big_at - 1) // 3},2025-03-01T10:00:05Z,customer,"{huge}"')
    folder = home.landing_day(D1)
    folder.mkdir(parents=True)
    (folder / "big.csv").write_text("\n".join(lines) + "\n")
    report = ingest_days(home, [D1], LENIENT)
    assert_reconciles(report)
    (row,) = report.audit
    assert row.records_read == 3 * n + 1
    assert row.reason_counts == {"oversize_text": 1, "sibling_rejected": 3}
    assert len(loaded_ids(home)) == n - 1


# --- the original record is kept once, not once per event (issue 12 #12) -------------------


def test_a_long_jsonl_conversation_does_not_copy_its_line_per_event(home):
    """Peak memory of ingesting one 2,000-event conversation stays near the size of the data
    (it was events x line size: 2,000 x 200 KB = 1.9 GB)."""
    record = conversation("long", "2025-03-01T09:00:00+00:00", n_events=2_000)
    for event in record["events"]:
        event["text"] = "y" * 90
    record["ended_at"] = "2025-03-01T12:00:00+00:00"
    path = write_jsonl(home, D1, "long.jsonl", [record])
    assert path.stat().st_size > 200_000
    script = textwrap.dedent(
        f"""
        import resource
        from datetime import date
        from pipelines.config import Settings, paths
        from pipelines.sources import ingest_days
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        report = ingest_days(paths({str(home.home)!r}), [date(2025, 3, 1)], Settings())
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(report.records_loaded, (after - before) // 1024)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded, grown_mb = map(int, out.stdout.split())
    assert loaded == 1
    assert grown_mb < 250, f"peak RSS grew by {grown_mb} MB for a {path.stat().st_size} B file"


# --- timestamps, BOMs, Parquet structs (issue 12 #13) -------------------------------------


@pytest.mark.parametrize(
    ("sent_at", "loads"),
    [
        ("2025-03-01T10:00:00+14:00", True),
        ("2025-03-01T10:00:00-14:00", True),
        ("2025-03-01T10:00:00+0530", True),
        ("2025-03-01T10:00:00+99:00", False),
        ("2025-03-01T10:00:00-14:01", False),
        ("2025-03-01T10:00:00+1500", False),
        ("2025-03-01 10:00:00+23", False),
    ],
)
def test_utc_offsets_beyond_14_hours_are_unparseable(home, sent_at, loads):
    rows = [
        {"conversation_id": "c", "sent_at": sent_at, "actor": "customer", "text": "a"},
        {"conversation_id": "ok", "sent_at": "2025-03-01T10:00:00Z", "actor": "bot", "text": "b"},
    ]
    write_csv(home, D1, "t.csv", rows)
    record = conversation("j", "2025-03-01T09:00:00+00:00")
    record["started_at"] = sent_at
    record["events"][0]["sent_at"] = sent_at
    record["events"][1]["sent_at"] = sent_at
    write_jsonl(home, D1, "t.jsonl", [record])
    days = [date(2025, 2, 28), D1, date(2025, 3, 2)]
    report = ingest_days(home, days, LENIENT)
    expected = {} if loads else {"unparseable_timestamp": 2}
    assert report.reason_counts() == expected


def test_a_utf8_bom_is_stripped_from_jsonl_and_platform_json(home):
    folder = home.landing_day(D1)
    folder.mkdir(parents=True)
    line = json.dumps(conversation("bom-line", "2025-03-01T09:00:00+00:00"))
    (folder / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + line.encode() + b"\n")
    with gzip.open(folder / "bom.jsonl.gz", "wb") as handle:
        handle.write(b"\xef\xbb\xbf" + line.replace("bom-line", "bom-gz").encode() + b"\n")
    export = (ROOT / "tests/fixtures/ingest/intercom_conversation.json").read_bytes()
    intercom_day = date(2014, 5, 23)  # the fixture conversation's day
    home.landing_day(intercom_day).mkdir(parents=True)
    (home.landing_day(intercom_day) / "bom.json").write_bytes(b"\xef\xbb\xbf" + export)
    report = ingest_days(home, [intercom_day, D1], LENIENT)
    assert report.records_quarantined == 0
    assert loaded_ids(home) == ["bom-gz", "bom-line"]
    assert loaded_ids(home, intercom_day) == ["147"]


def test_a_parquet_struct_payload_is_a_json_object(home):
    folder = home.landing_day(D1)
    folder.mkdir(parents=True)
    table = pa.table(
        {
            "conversation_id": ["c", "c"],
            "sent_at": ["2025-03-01T10:00:00Z", "2025-03-01T10:00:05Z"],
            "actor": ["bot", "customer"],
            "event_type": ["handoff_requested", "feedback"],
            "payload": [{"reason": "bot_fallback", "value": None}, {"reason": None, "value": "up"}],
        }
    )
    pq.write_table(table, folder / "structs.parquet")
    report = ingest_days(home, [D1], Settings())
    assert report.records_quarantined == 0
    events = pq.read_table(home.raw_day(D1) / "events.parquet").to_pylist()
    payloads = [json.loads(e["payload"]) for e in events]
    assert payloads[0]["reason"] == "bot_fallback"
    assert payloads[1]["value"] == "positive"
