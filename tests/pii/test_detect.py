"""Per-entity positives, obfuscated positives and hard negatives for the detector."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise

import pytest

from pipelines.pii import detect, scrub


def found(text: str) -> list[tuple[str, str]]:
    return [(s.type, text[s.start : s.end]) for s in detect(text)]


@pytest.mark.parametrize(
    ("text", "entity_type", "value"),
    [
        ("mail me at john.smith@gmail.com please", "EMAIL", "john.smith@gmail.com"),
        ("it's john dot smith at gmail dot com", "EMAIL", "john dot smith at gmail dot com"),
        # broken up by stray spaces so a plain pattern misses it
        ("email is john @ gmail.com", "EMAIL", "john @ gmail.com"),
        ("send to emly.jns@pot ter inc .com pls", "EMAIL", "emly.jns@pot ter inc .com"),
        ("my eml j hn.d oe@em ail.c om", "EMAIL", "j hn.d oe@em ail.c om"),
        ("write to jane(at)mail(dot)com", "EMAIL", "jane(at)mail(dot)com"),
        ("call me at (415) 555-0132 tomorrow", "PHONE", "(415) 555-0132"),
        ("my cell is 415.555.0132", "PHONE", "415.555.0132"),
        ("UK office +44 20 7946 0958", "PHONE", "+44 20 7946 0958"),
        ("reach me on 4 1 5 -5 5 5 -0 1 3 2", "PHONE", "4 1 5 -5 5 5 -0 1 3 2"),
        ("card 4111 1111 1111 1111 exp 12/27", "CREDIT_CARD", "4111 1111 1111 1111"),
        ("card 4111-1111-1111-1111", "CREDIT_CARD", "4111-1111-1111-1111"),
        ("my SSN is 123-45-6789", "US_SSN", "123-45-6789"),
        ("social security 123456789", "US_SSN", "123456789"),
        ("blocked from 192.168.10.23 again", "IP_ADDRESS", "192.168.10.23"),
        ("my v6 is 2001:db8::ff00:42:8329", "IP_ADDRESS", "2001:db8::ff00:42:8329"),
        (
            "ship to 123 Main St, Apt 4B, Springfield, IL 62704 asap",
            "STREET_ADDRESS",
            "123 Main St, Apt 4B, Springfield, IL 62704",
        ),
        ("I live at 77 oak avenue", "STREET_ADDRESS", "77 oak avenue"),
        ("Hi, my name is John Smith.", "PERSON", "John Smith"),
        ("my name is maria garcia", "PERSON", "maria garcia"),
        ("Thanks, Sarah", "PERSON", "Sarah"),
        ("Hi Xochitl, where is my parcel?", "PERSON", "Xochitl"),
        ("the account is under Jane Doe", "PERSON", "Jane Doe"),
        ("please ask Dr. Okonkwo", "PERSON", "Dr. Okonkwo"),
        # typed all in lower case: a known first name in a name slot
        ("ross, can i speak to your boss?", "PERSON", "ross"),
        ("i'm lisa's daughter", "PERSON", "lisa"),
        ("we invited natalina, thomas, omar and brandy", "PERSON", "natalina"),
        ("we invited natalina, thomas, omar and brandy", "PERSON", "brandy"),
        ("this is emily from billing", "PERSON", "emily"),
        ("I was born on March 3, 1985", "DATE_OF_BIRTH", "March 3, 1985"),
        ("DOB 03/14/1985", "DATE_OF_BIRTH", "03/14/1985"),
        ("my dob is 1985/06/08", "DATE_OF_BIRTH", "1985/06/08"),
        ("born 1985.6.8", "DATE_OF_BIRTH", "1985.6.8"),
        ("routing number 021000021", "ROUTING_NUMBER", "021000021"),
        ("account number 123456789", "BANK_ACCOUNT", "123456789"),
        ("My IBAN is GB82 WEST 1234 5698 7654 32", "IBAN", "GB82 WEST 1234 5698 7654 32"),
        ("see https://twitter.com/jsmith99 for proof", "URL", "https://twitter.com/jsmith99"),
        ("DM me @jsmith99", "HANDLE", "@jsmith99"),
        ("where is ORD-12345678?", "ORDER_ID", "ORD-12345678"),
        ("my PIN is 7402.", "CREDENTIAL", "7402"),
        ("password: 'Secret'", "CREDENTIAL", "'Secret'"),
        ("router MAC 00:1A:2B:3C:4D:5E", "MAC_ADDRESS", "00:1A:2B:3C:4D:5E"),
        ("I'm Jaroslava P. Sedláčková, from Brno", "PERSON", "Jaroslava P. Sedláčková"),
        ("Mobile: 03.93.92.16.85", "PHONE", "03.93.92.16.85"),
    ],
)
def test_positive(text: str, entity_type: str, value: str) -> None:
    assert (entity_type, value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "order #123456 arrived late",
        "tracking number 1Z999AA10123456784",
        "it cost $1,299.99 plus $15.00 shipping",
        "the chat started at 14:30:05 on 2024-03-05",
        "we have been customers since 2019",
        "product code SKU-4471-XL and model AB12345678",
        "my name is not important",
        "this is great, thanks a lot",
        "I waited 2 hours on the way home",
        "version 1.2.3.4 fixed it",
        "test card 0000 0000 0000 0000",
        "Is 000-00-0000 a valid format?",
        "I'm flying to San Francisco on Friday",
        "see https://help.example.com/articles/123 for steps",
        "someone withdrew $300 from my account",
        "the password is required",
        "Date: 1978-04-13 12:20:39",
        # year-first dates with slashes or dots are dates, not 8-digit phone numbers
        "I ordered on 2024/06/08 and it never came",
        "delivered 2024.06.08, still broken",
        "fly with Delta Airlines today",
        "Can I change from AUD to GBP?",
        "meet @ 5pm at the cafe. com on",
        "I paid 3 @ 4.99 each. com",
        "Will you deal with SWIFT transfers?",
        "we sell apples, pears, plums and cherries",
        "i need help, can you call me back",
    ],
)
def test_hard_negative(text: str) -> None:
    assert found(text) == []


def test_spans_are_offsets_into_original_and_non_overlapping() -> None:
    text = "I'm John Smith, card 4111 1111 1111 1111, mail john@x.org"
    spans = detect(text)
    assert [s.type for s in spans] == ["PERSON", "CREDIT_CARD", "EMAIL"]
    assert all(a.end <= b.start for a, b in pairwise(spans))
    assert all(0 < s.score <= 1 for s in spans)


def test_scrub_replaces_with_typed_placeholders() -> None:
    result = scrub("Call 415-555-0132 or mail a@b.com, again 415 555 0132")
    assert result.text == "Call <PHONE_1> or mail <EMAIL_1>, again <PHONE_1>"
    assert [s.type for s in result.spans] == ["PHONE", "EMAIL", "PHONE"]


def test_empty_text() -> None:
    assert detect("") == []
    assert scrub("").text == ""


def test_spaced_email_scan_stays_linear_on_hostile_input() -> None:
    # Bounded fragments: a long run of candidate pieces must not backtrack quadratically.
    # (No timing assertion; a quadratic pattern would not finish this in test time.)
    hostile = "a." * 20_000 + "@" + "b " * 20_000 + ".com"
    assert all(span.end <= len(hostile) for span in detect(hostile))


@contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    """Fail (not hang) when the body runs longer than ``seconds``: SIGALRM interrupts a
    regex match. The bound is ~100x what a linear scan takes, even on a loaded machine."""

    def expire(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: a pattern backtracks")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("blank", [" ", "\t"])
def test_a_greeting_then_a_long_run_of_blanks_stays_linear(blank: str) -> None:
    # "hi, Anna here" has a cue; with plain (non-possessive) blank runs the pattern tried
    # every split of 50,000 blanks (about 70 s) before failing.
    hostile = "Hi" + blank * 50_000 + "here, hi, Anna here"
    with _alarm(10):
        spans = detect(hostile)
    assert [hostile[s.start : s.end] for s in spans if s.type == "PERSON"] == ["Anna"]


@pytest.mark.parametrize("cue", ["account holder", "it is under", "name on card"])
def test_a_strong_cue_then_a_long_run_of_blanks_stays_linear(cue: str) -> None:
    # The cue's own text (with its trailing blanks) is read for "it's under": a search
    # for "\s+is" from each blank of the run took quadratic time (4.7 s for 20,000).
    hostile = cue + " " * 50_000 + "Anna Smith"
    with _alarm(10):
        spans = detect(hostile)
    assert [hostile[s.start : s.end] for s in spans if s.type == "PERSON"] == ["Anna Smith"]


@pytest.mark.parametrize("blanks", [" " * 20_000, "\t" * 20_000, " \n" * 10_000, " ," * 10_000])
def test_a_long_blank_run_after_street_lines_stays_linear(blanks: str) -> None:
    # Between a street line and its direction, unit, state or ZIP the address pattern
    # allowed "\s*,?\s*": when the part after it failed, every split of the blank run
    # between the two "\s*" was tried, quadratic in its length (500 street lines, then
    # 8,000 blanks and a town: 4 s; 20,000 blanks: about 25 s). Possessive now: linear.
    lines = "".join(f"{100 + i} Main Street\n" for i in range(500))
    hostile = "Address:\n" + lines + blanks + "Springfield"
    with _alarm(10):
        spans = detect(hostile)
    streets = [s for s in spans if s.type == "STREET_ADDRESS"]
    assert len(streets) == 500
    assert hostile[streets[0].start : streets[0].end].startswith("100 Main Street")


def test_the_town_line_pattern_stays_linear_on_a_long_capitalised_run() -> None:
    # Plain runs let "AAAA…!" be split into words every way before failing: 24 letters
    # took 2 s, each one more doubling it. (Same language: checked on 150k random lines.)
    from pipelines.pii.detector import _TOWN_LINE

    with _alarm(10):
        assert _TOWN_LINE.fullmatch("A" * 5_000 + "!") is None
    assert _TOWN_LINE.fullmatch("??? Colle Di Tora") is not None


def test_street_prefix_gate_holds_every_prefixed_street() -> None:
    """The message-level gate (a street-type word and a blank) passes wherever the
    window search before a number can match, and rejects a mere "have" or "would"."""
    from pipelines.pii import addresses

    for text in ("via dei fiorentini 17", "ul.\tpółnocna 73", "rue brahier 262", "c/ mayor 5"):
        assert addresses._STREET_PREFIX_BEFORE.search(text, 0, text.rindex(" ") + 1)
        assert addresses._STREET_PREFIX_GATE.search(text)
    assert addresses._STREET_PREFIX_GATE.search("i have 3, would be 4") is None


def test_coordinates_gate_needs_a_decimal_point_between_digits() -> None:
    """Every number of a coordinate pair holds digit, point, digit (blanks allowed), so
    messages without one skip the pair scan; pairs typed apart still pass."""
    from pipelines.pii import cues

    for text in ("51.5074 N, 0.1278 W", "lat 40.7128, long -74.0060", "5 1 . 5 0 7 4 N, 0 . 1 2 W"):
        assert cues._DECIMAL_POINT.search(text) is not None
    assert [s.type for s in cues.coordinates("we met at 51.5074 N, 0.1278 W")] == [
        "GEO_COORDINATES"
    ]
    assert cues.coordinates("mail john.smith.jr@mail.example.com") == []


def test_a_long_token_of_many_digit_runs_stays_linear() -> None:
    # Every digit run walked back over its whole token to find where the token starts:
    # quadratic in a token of many runs ("aB1-aB1-...": 24,000 characters took 2.6 s,
    # 200,000 would take minutes). Runs of one token now share its start.
    hostile = "aB1-" * 50_000
    with _alarm(10):
        spans = detect(hostile)
    assert all(span.end <= len(hostile) for span in spans)
