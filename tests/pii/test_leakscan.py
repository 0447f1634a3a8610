"""The independent leak gate."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.pii import scrub
from pipelines.pii.identifiers import ID_ENTITY_TYPES
from pipelines.pii.leakscan import Leak, scan, scan_rows


def test_finds_planted_leaks() -> None:
    assert scan("mail john@example.com") == ["EMAIL"]
    assert scan("card 4111 1111 1111 1111") == ["CREDIT_CARD"]
    assert scan("ssn 123-45-6789") == ["US_SSN"]
    assert scan("call (415) 555-0132") == ["PHONE"]
    assert scan("call +44 20 7946 0958") == ["PHONE"]


def test_passes_placeholders_and_clean_text() -> None:
    assert scan("call <PHONE_1> or mail <EMAIL_2>, card <CREDIT_CARD_1>, <US_SSN_1>") == []
    assert scan("order #123456 cost $1,299.99 at 14:30 on 2024-03-05") == []
    assert scan(None) == []


def test_scrubbed_output_passes_the_gate() -> None:
    raw = [
        ("c1", "I'm John, call 415-555-0132 or john.smith@gmail.com"),
        ("c2", "card 4111-1111-1111-1111 and SSN 123-45-6789"),
        ("c3", "obfuscated: 4 1 5 -5 5 5 -0 1 3 2"),
    ]
    assert {leak.conversation_id for leak in scan_rows(raw)} == {"c1", "c2", "c3"}
    scrubbed = [(cid, scrub(text).text) for cid, text in raw]
    assert scan_rows(scrubbed) == []


def test_scan_rows_reports_ids_and_types_only() -> None:
    leaks = scan_rows([("c1", "a@b.com and a@b.com"), ("c2", "fine"), ("c1", "123-45-6789")])
    assert leaks == [Leak("c1", "EMAIL"), Leak("c1", "US_SSN")]


@pytest.mark.parametrize(
    "text",
    [
        "can i just give u my sssn 478684751 to prove my age",
        "payout still missing, my sssn 066973055 is on the tax form",
        "do you need my sssn for payouts? it's 375123566",
        "my SSN: 478684751",
        "ssn 478684751",
        "my social security number is 478684751",
    ],
)
def test_what_the_gate_reads_as_a_cued_ssn_the_scrubber_scrubs(text: str) -> None:
    # Found by a 1M-conversation day of the generator: four customer turns with the
    # typo "sssn" passed the detector and stopped the run at the leak gate.
    assert scan(text) == ["US_SSN"]
    assert scan(scrub(text).text) == []


@pytest.mark.parametrize(
    "text",
    [
        "syn-7-20260108-000370",
        "4111 1111 1111 1111 or a@b.com",
        "ssn 123-45-6789, call (415) 555-0132",
        "no digits at all",
        "jane\uff20example.com 415\u00a0555\u00a00132",
    ],
)
def test_scanning_for_some_types_finds_those_of_the_full_scan(text: str) -> None:
    for types in (ID_ENTITY_TYPES, frozenset({"CREDIT_CARD"}), frozenset({"EMAIL", "PHONE"})):
        assert scan(text, types) == [t for t in scan(text) if t in types]


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789 -()+@.%4abcSsn\uff14\uff20\u00a0")), max_size=40
    )
)
def test_scanning_for_the_id_types_agrees_with_the_full_scan(text: str) -> None:
    assert scan(text, ID_ENTITY_TYPES) == [t for t in scan(text) if t in ID_ENTITY_TYPES]
