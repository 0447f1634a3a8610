"""The streaming scrub stage: batch cuts keep conversations whole, and the leak gate's
SQL prefilter never drops a row the scan would flag."""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipelines.pii import pseudonymize_conversations, scrub_events
from pipelines.pii.batch import pseudonymize_stream, scrub_pool, scrub_stream
from pipelines.pii.identifiers import ID_ENTITY_TYPES
from pipelines.pii.leakscan import _scanned, scan, scan_rows
from pipelines.pii.load import LEAK_CANDIDATE, _scan_columns, _whole_conversations, leak_verdict
from pipelines.warehouse.io import replace_partitions
from pipelines.warehouse.tables import SCRUBBED_CONVERSATIONS, SCRUBBED_EVENTS, Table

from .conftest import DAY, make_tables

KEY = b"k" * 32


def _candidates(texts: list[str]) -> list[bool]:
    con = duckdb.connect()
    rows = con.execute(
        "select regexp_matches(t, ?) from unnest(?::varchar[]) with ordinality u(t, i) order by i",
        [LEAK_CANDIDATE, texts],
    ).fetchall()
    return [bool(flag) for (flag,) in rows]


def test_scrubbing_in_cut_batches_equals_scrubbing_the_whole_day() -> None:
    _, events = make_tables(conversations=12)
    ordered = events.sort_by([("conversation_id", "ascending"), ("seq", "ascending")])
    whole = scrub_events(ordered, KEY, workers=1)
    # Raw batches of 3 rows split most conversations; the re-cut keeps them whole, so
    # placeholder numbering (<PERSON_1> ...) is the same as in one pass.
    pieces = list(_whole_conversations(iter(ordered.to_batches(max_chunksize=3))))
    assert len(pieces) > 1
    for piece in pieces:
        ids = piece["conversation_id"].to_pylist()
        rest = [t["conversation_id"].to_pylist() for t in pieces if t is not piece]
        assert not set(ids) & {cid for other in rest for cid in other}
    batched = [scrub_events(piece, KEY, workers=1) for piece in pieces]
    assert pa.concat_tables([b.events for b in batched]).equals(whole.events)
    totals: dict[str, int] = {}
    for b in batched:
        for entity, n in b.detections.items():
            totals[entity] = totals.get(entity, 0) + n
    assert totals == whole.detections


def test_the_pool_scrubs_across_batch_boundaries_as_one_pass() -> None:
    conversations, events = make_tables(conversations=12)
    ordered = events.sort_by([("conversation_id", "ascending"), ("seq", "ascending")])
    whole = scrub_events(ordered, KEY, workers=1)
    pieces = _whole_conversations(iter(ordered.to_batches(max_chunksize=3)))
    headers = [pa.Table.from_batches([b]) for b in conversations.to_batches(max_chunksize=5)]
    with scrub_pool(2) as pool:
        # Chunks of ~2 rows: several per batch, more in flight than the pool has workers.
        streamed = list(scrub_stream(pieces, KEY, pool, workers=2, chunk_events=2))
        pseudonymized = list(pseudonymize_stream(headers, KEY, pool, workers=2, chunk_rows=2))
    assert len(pseudonymized) > len(headers)
    assert pa.concat_tables(pseudonymized).equals(pseudonymize_conversations(conversations, KEY))
    assert len(streamed) > 2
    assert pa.concat_tables([b.events for b in streamed]).equals(whole.events)
    totals: dict[str, int] = {}
    for b in streamed:
        for entity, n in b.detections.items():
            totals[entity] = totals.get(entity, 0) + n
    assert totals == whole.detections


LEAKS = [
    "mail john@example.com",
    "card 4111 1111 1111 1111",
    "ssn 123-45-6789",
    "call (415) 555-0132",
    "reach me at jane.doe%40example.com",
    "mail jane\uff20example.com",  # fullwidth at sign
    "call \uff14\uff11\uff15-555-0132",  # fullwidth digits
    "call 415\u00a0555\u00a00132",  # no-break spaces
    "mail jo\u200bhn@exa\u200bmple.com",  # zero-width spaces
]


def test_the_gate_prefilter_keeps_every_planted_leak() -> None:
    assert all(scan(text) for text in LEAKS)
    assert all(_candidates(LEAKS))
    assert _candidates(["Hi, welcome to Support. How can I help?", "Thanks, bye!"]) == [
        False,
        False,
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.sampled_from(
                list("0123456789 -.()+@%abcSsn\uff10\uff14\uff20\u00a0\u200b")
            ),
            max_size=40,
        ),
        min_size=1,
        max_size=20,
    )
)
def test_no_text_the_scan_flags_is_left_out_by_the_prefilter(texts: list[str]) -> None:
    flagged = [bool(scan(text)) for text in texts]
    candidates = _candidates(texts)
    assert all(c for f, c in zip(flagged, candidates, strict=True) if f)


LABEL_TABLE = Table(
    "labels.rows",
    pa.schema(
        [
            ("partition_date", pa.date32()),
            ("conversation_id", pa.string()),
            ("label", pa.string()),
            ("actor", pa.string()),
            ("event_type", pa.string()),
        ]
    ),
)
LABEL_PIECES = st.sampled_from(
    [
        "415",
        "555",
        "0132",
        "123-45",
        "-6789",
        "123456789",
        "ssn",
        "SSN ",
        "social security",
        "a@b.com",
        "jo",
        "%40",
        " ",
        "-",
        "(",
        "+1",
        "\uff14",
        "\u00a0",
        "\u200b",
        "x",
    ]
)
LABEL_VALUE = st.one_of(st.none(), st.lists(LABEL_PIECES, max_size=5).map("".join))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["c1", "c2", "c3"]), LABEL_VALUE, LABEL_VALUE, LABEL_VALUE),
        min_size=1,
        max_size=12,
    )
)
# A cue in one column and the number in the next; a phone in one column of two rows.
@example([("c1", "ssn", "123456789", None), ("c2", "x", "415 555 0132", "x")])
@example([("c1", "415-555-0132", None, "x"), ("c2", "415-555-0132", "x", "ssn")])
def test_label_columns_scanned_per_value_find_what_joined_rows_find(
    rows: list[tuple[str, str | None, str | None, str | None]],
) -> None:
    # The gate scans each label column's distinct values once, and joined only the rows
    # a match could span; that finds exactly what scanning every joined row finds.
    day = date(2026, 1, 5)
    con = duckdb.connect()
    con.execute("create schema labels")
    con.execute(
        "create table labels.rows (partition_date date, conversation_id varchar, "
        "label varchar, actor varchar, event_type varchar)"
    )
    con.executemany(
        "insert into labels.rows values (?, ?, ?, ?, ?)",
        [(day, cid, a, b, c) for cid, a, b, c in rows],
    )
    columns = ["label", "actor", "event_type"]
    joined = [(cid, " | ".join(v for v in (a, b, c) if v is not None)) for cid, a, b, c in rows]
    expected = [leak for leak in scan_rows(joined) if leak.entity_type in ID_ENTITY_TYPES]
    if rows[0][1:3] == ("ssn", "123456789"):  # the first example: a cue across " | "
        assert expected
    assert _scan_columns(con, LABEL_TABLE, columns, [day], ID_ENTITY_TYPES) == expected


def test_the_gate_finds_the_same_leaks_in_the_pool() -> None:
    # Unscrubbed rows written as if scrubbed: leaks in text, payloads, ids and labels.
    conversations, events = make_tables(conversations=8)
    personal = pa.array([f"mail-{n}@example.com" for n in range(events.num_rows)])
    events = events.set_column(events.column_names.index("event_type"), "event_type", personal)
    con = duckdb.connect()
    renamed = {"agent_id": "agent_key", "customer_id": "customer_key"}
    for table, rows in ((SCRUBBED_EVENTS, events), (SCRUBBED_CONVERSATIONS, conversations)):
        rows = rows.rename_columns([renamed.get(name, name) for name in rows.column_names])
        replace_partitions(con, table, rows, [DAY])
    alone = leak_verdict(con, [DAY])
    assert {"EMAIL", "PHONE", "CREDIT_CARD"} <= set(alone.by_type)
    # the texts scanned in this process (some of them personal) are not kept after it
    assert _scanned.cache_info().currsize == 0
    with scrub_pool(2) as pool:
        assert leak_verdict(con, [DAY], pool, workers=2) == alone
