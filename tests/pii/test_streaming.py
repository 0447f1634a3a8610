"""The streaming scrub stage: batch cuts keep conversations whole, and the leak gate's
SQL prefilter never drops a row the scan would flag."""

from __future__ import annotations

import duckdb
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.pii import scrub_events
from pipelines.pii.leakscan import scan
from pipelines.pii.load import LEAK_CANDIDATE, _whole_conversations

from .conftest import make_tables

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
