"""Properties of scrubbing on generated chat text: it is idempotent, and it never changes
a character outside the spans it reports."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.pii import scrub

# Chat fragments and PII values, so generated messages hit the entity families often;
# arbitrary text in between covers what no fragment anticipates.
_FRAGMENTS = [
    "my name is", "this is", "Thanks,", "call me at", "my PIN is", "born", "account number",
    "Mark Davis", "jane doe", "Crystal", "the Hilton", "turn left on Murray", "3 or 4",
    "415-555-0132", "(004) 555-4942", "4111 1111 1111 1111", "123-45-6789", "john@gmail.com",
    "12 Elm Street, Springfield, IL 62704", "31/06/1996", "192.168.0.1", "ORD-12345678",
    "Order ID: 3348917502", "<PERSON_1>", "sure", "?", ",", ".", "\n", "  ",
]  # fmt: skip
# Two numbers written back to back with only a space between them are read as ONE run
# (a known limit, docs/pii.md), so generated numbers are followed by a word.
_MESSAGES = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=12)), max_size=8).map(
    lambda parts: " ".join(p + " ok" if p[-1:].isdigit() else p for p in parts)
)
_PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_]*_\d+>")


def _scrubbed_stably(text: str) -> str:
    """``text`` scrubbed once, checked to scrub to the same text a second time."""
    once = scrub(text).text
    assert scrub(once).text == once
    return once


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MESSAGES)
def test_scrubbing_is_idempotent(text: str) -> None:
    _scrubbed_stably(text)


@pytest.mark.parametrize(
    "text",
    [
        # a name repeated back to back: the model's verdict on the inner words changes
        # once the other mentions are found, so it looks again before the scrub
        "3 or 4 ok Mark Davis Mark Davis",
        "call me at Mark Davis Mark Davis Mark Davis my name is",
        # a third name after "first name that is a word + known name" is the same person
        "Mark Davis IKa",
    ],
)
def test_repeated_names_scrub_idempotently(text: str) -> None:
    assert "Mark" not in _scrubbed_stably(text)


@pytest.mark.parametrize(
    "text",
    [
        # found by a 30,000-message hunt with this module's fragments: a name before "@"
        # left "<PERSON_1>@JO", which a second scrub read as a handle
        "my PIN is Thanks, Suqs@JO Crystal",
        "Crystal LYfd@99NJ9 ok",
        "account number yAj_UacZGL@w 192.168.0.1 ok",
    ],
)
def test_a_name_before_an_at_sign_leaves_no_handle_behind(text: str) -> None:
    assert "<PERSON_1>@" in _scrubbed_stably(text)


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        # found by bench/pii_idempotence_hunt.py: the words of a capitalised run beside
        # the name found in it were read as part of the run, and as a run of their own
        # (two words no English list holds: a name) only once the name was a placeholder
        ("5m3>CqH TtX Mark Davis  q8LséZv", "5m3><PERSON_1>  q8LséZv"),
        ("Thanks, VLp: Mark Davis QAIVfi DSg@ONL898u", "Thanks, <PERSON_1>: <PERSON_2>@ONL898u"),
        # words of the run that are English stay as they were
        ("Mark Davis Thank You", "<PERSON_1> Thank You"),
    ],
)
def test_the_rest_of_a_capitalised_run_is_read_as_its_own_run(text: str, scrubbed: str) -> None:
    assert _scrubbed_stably(text) == scrubbed


@pytest.mark.parametrize("words", [("Okonkwo", "Xqzt"), ("Mark", "Davis"), ("Ruby", "Wilson")])
def test_a_run_of_a_thousand_capitalised_words_scrubs(words: tuple[str, str]) -> None:
    # found by review: re-reading the rest of a run once per name in it went one call
    # deeper per name, and about a thousand words exhausted Python's stack
    text = " ".join(words * 1000)
    scrubbed = scrub(text).text
    assert "<PERSON_1>" in scrubbed


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # found by review of a change not kept: a second look by the name model after a
        # weak rule's name ("Jane") read the words of a place dropped before it as a name
        ("Delivery to Willow Grove failed, Jane", "Willow Grove"),
        ("Is Pedro still coming? He is near Halton Hills.", "Halton Hills"),
    ],
)
def test_a_place_beside_a_name_stays(text: str, place: str) -> None:
    assert place in scrub(text).text


def test_a_handle_after_a_space_is_still_a_handle() -> None:
    assert scrub("thanks <PERSON_1> @bob_smith").text == "thanks <PERSON_1> <HANDLE_1>"


@pytest.mark.parametrize(
    ("text", "dates_of_birth"),
    [
        # found by the property above in CI: "born" is 58 characters before the date, 47
        # once the name is a placeholder; the first scrub must find what the second would
        ("born turn left on Murray my name is Mark Davis Mark Davis 31/06/1996 ok", 1),
        ("born Mark Davis Mark Davis Mark Davis Mark Davis Mark Davis 12/03/2024 ok", 1),
        # out of reach either way: 75 characters once scrubbed
        ("born in the spring, and since then many things happened, say on 12/03/2024 ok", 0),
        # the cue inside a span is gone once scrubbed
        ("email bornholm@gmail.com Mark Davis Mark Davis Mark Davis on 12/03/2024 ok", 0),
    ],
)
def test_a_birth_cue_reaches_as_far_as_in_the_scrubbed_text(text: str, dates_of_birth: int) -> None:
    once = scrub(text)
    assert sum(span.type == "DATE_OF_BIRTH" for span in once.spans) == dates_of_birth
    assert scrub(once.text).text == once.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MESSAGES)
def test_only_detected_spans_change(text: str) -> None:
    result = scrub(text)
    cursor = 0
    pieces = []
    for span in result.spans:
        assert cursor <= span.start < span.end <= len(text)
        pieces.append(re.escape(text[cursor : span.start]))
        pieces.append(f"<{span.type}_\\d+>")
        cursor = span.end
    pieces.append(re.escape(text[cursor:]))
    assert re.fullmatch("".join(pieces), result.text, flags=re.DOTALL)
    assert len(_PLACEHOLDER.findall(result.text)) >= len(result.spans)


def test_str_methods_split_and_keep_digits_as_the_regexes_did() -> None:
    """``normalize_value`` joins ``str.split`` where it substituted ``\\s+``, and
    ``digits_only`` translates ASCII where it substituted ``\\D``: the same characters
    count as blanks and as digits in every code point."""
    from pipelines.pii.matching import NON_DIGIT, digits_only
    from pipelines.pii.scrub import normalize_value

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert set(re.findall(r"\s", every)) == {c for c in every if c.isspace()}
    assert set(re.findall(r"\d", every)) == {c for c in every if c.isdecimal()}
    for value in ("(415) 555-0132", "4111 1111 1111 1111", "+1 212 555 0199", "", "abc", every):
        assert digits_only(value) == NON_DIGIT.sub("", value)
    spaced = " \t Ana\u00a0 \n Maria\u2003Lopez \r"
    assert normalize_value("PERSON", spaced) == re.sub(r"\s+", " ", spaced).strip().casefold()


@pytest.mark.parametrize(
    "text",
    [
        # found by the property test above: the ">" closing a placeholder made the next
        # word a sentence's opening for the name model; a joined name is one placeholder
        "{ AaB Crystal { Mark Davis",
        "Mark Davis <PERSON_1> Crystal Crystal",
        "Mark Davis AaB Mark Davis",
        "Mark Davis Mark Davis Crystal",
        # found by bench/pii_idempotence_hunt.py. A value ending inside a word: the handle
        # is "@F", and the name model read "F'DvtscHO" as part of it; once scrubbed,
        # "<HANDLE_1>'DvtscHO" holds the word "DvtscHO", which it read as a name
        "@F'DvtscHO account number",
        # typed in capitals: the placeholder stays as it is in the lower-cased reading
        "WHY IS VASYL STILL ON MY ACCOUNT, SARAH JONES",
        # found by the hunt in round 38: a credential's digit was looked for past the
        # comma that ends its value, and found in the placeholder a first scrub wrote
        "my PIN is XuA,@kc",
        "my PIN is é:QY,GJIBkH",
        # "::" (or "7::") is left between placeholders: no address of anyone's machine
        "my name is kll::Wbt<bG",
        "jane doe 7::FPrvyx#",
        # found by the hunt in rounds 40-41: a name of the weaker rules the model kept
        # was read as under review, not as found; scrubbed, it is a placeholder beside
        # the word the model judged
        "born OmhhEEé REx 7_NqC/ my PIN is",
        "call me at :W-Péa GayL sure sure sure ",
        # a place word after a comma is a region only when no name was found there
        "Crystal , Crystal",
        # found by the hunt (seed 6) in round 42: "V8TR" read as a typo of "voter"
        # named "04h17R" an ID only once the SSN after it, which the value had run
        # into, was a placeholder; a digit in a cue word now stands for a letter
        "my name is 31/06/1996 ok V8TR l>04h17R 123-45-6789 ok Crystal 415-555-0132 ok",
    ],
)
def test_scrubbing_found_examples_twice_changes_nothing(text: str) -> None:
    _scrubbed_stably(text)


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        # found by the hunt in round 38: "2 Mark Davis 4111" read as a street address
        # took the name as the street's, then lost to the card number; the name leaked
        (" 2   Mark Davis 4111 1111 1111 1111 ok", " 2   <PERSON_1> <CREDIT_CARD_1> ok"),
        # a street that holds keeps its name ("12 Benjamin Lane")
        ("ship it to 12 Benjamin Lane please", "ship it to <STREET_ADDRESS_1> please"),
        # a stray "v" before an IP address is not a version's ("v1.2.0.4" is)
        ("@v 192.168.0.1 ok", "<HANDLE_1> <IP_ADDRESS_1> ok"),
        ("update to v1.2.0.4 or version 10.0.0.1", "update to v1.2.0.4 or version 10.0.0.1"),
        ("running app v. 7.16.10.4", "running app v. 7.16.10.4"),
        # found by review: a credential runs on through a comma or semicolon inside it
        # (the value once stopped there and, after the first fix, was not taken at all)
        ("password=qwerty;123", "password=<CREDENTIAL_1>"),
        ("my password is Summer,2024", "my password is <CREDENTIAL_1>"),
        ("my PIN is 1234, thanks", "my PIN is <CREDENTIAL_1>, thanks"),
    ],
)
def test_a_value_that_loses_its_reading_leaves_nothing_behind(text: str, scrubbed: str) -> None:
    assert _scrubbed_stably(text) == scrubbed


def test_a_name_reaching_into_a_street_that_holds_stays_the_streets() -> None:
    # found by review: once the address "1111 Anna Müllerstraße 12" lost to the card, the
    # name "Anna Müllerstraße" beat the street "Müllerstraße 12" and left the house number
    scrubbed = scrub("Payment 4111 1111 1111 1111 Anna Müllerstraße 12 thanks").text
    assert "Müllerstraße" not in scrubbed
    assert " 12 " not in scrubbed
