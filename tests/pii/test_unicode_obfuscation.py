"""Unicode and percent-encoded obfuscation: scrubbed, flagged by the leak gate, and
reported with offsets into the original text."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.pii import detect, scrub
from pipelines.pii.fold import fold
from pipelines.pii.leakscan import scan

# (raw message, the obfuscated values exactly as written, leak types the gate must see)
OBFUSCATED = [
    (
        "my card is 4111\u00a01111\u00a01111\u00a01111 and call me 415\u2010555\u20100155",
        ["4111\u00a01111\u00a01111\u00a01111", "415\u2010555\u20100155"],
        {"CREDIT_CARD", "PHONE"},
    ),
    (
        "ssn 123\u201345\u20136789 and my mail john.planted@gm\u200bail.com",
        ["123\u201345\u20136789", "john.planted@gm\u200bail.com"],
        {"US_SSN", "EMAIL"},
    ),
    ("Call me back at 415\u2013555\u20130144", ["415\u2013555\u20130144"], {"PHONE"}),
    ("q.planted%40example.org", ["q.planted%40example.org"], {"EMAIL"}),
    (
        "https://help.example.com/reset?email=gina.planted%40example.org",
        ["gina.planted%40example.org"],
        {"EMAIL"},
    ),
    ("call 415\u2212555\u22120199 tonight", ["415\u2212555\u22120199"], {"PHONE"}),
    ("ssn 123\u221245\u22126789", ["123\u221245\u22126789"], {"US_SSN"}),
    ("mail john.planted\uff20example.com", ["john.planted\uff20example.com"], {"EMAIL"}),
    (
        "phone \uff14\uff11\uff15-\uff15\uff15\uff15-\uff10\uff11\uff12\uff13",
        ["\uff14\uff11\uff15-\uff15\uff15\uff15-\uff10\uff11\uff12\uff13"],
        {"PHONE"},
    ),
    (
        "mail jo\u00adhn.planted@exam\u00adple.com and card 4111 11\u00ad11 1111 1111",
        ["jo\u00adhn.planted@exam\u00adple.com", "4111 11\u00ad11 1111 1111"],
        {"EMAIL", "CREDIT_CARD"},
    ),
    *(
        (
            f"mail john.planted@gm{zw}ail.com or card 4111{zw}1111{zw}1111{zw}1111",
            [f"john.planted@gm{zw}ail.com", f"4111{zw}1111{zw}1111{zw}1111"],
            {"EMAIL", "CREDIT_CARD"},
        )
        for zw in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
    ),
]
_PLACEHOLDER = re.compile(r"<[A-Z_]+_\d+>")


@pytest.mark.parametrize(("text", "values", "leak_types"), OBFUSCATED)
def test_obfuscated_values_are_scrubbed(text: str, values: list[str], leak_types: set) -> None:
    scrubbed = scrub(text).text
    outside_placeholders = _PLACEHOLDER.sub("", scrubbed)
    folded_rest, _ = fold(outside_placeholders)
    assert not re.search(r"\d", folded_rest), scrubbed
    assert "@" not in folded_rest and "planted" not in folded_rest, scrubbed


@pytest.mark.parametrize(("text", "values", "leak_types"), OBFUSCATED)
def test_spans_are_offsets_into_the_original(text: str, values: list[str], leak_types: set) -> None:
    found = [text[span.start : span.end] for span in detect(text)]
    for value in values:
        assert value in found


@pytest.mark.parametrize(("text", "values", "leak_types"), OBFUSCATED)
def test_leak_gate_flags_the_raw_text(text: str, values: list[str], leak_types: set) -> None:
    assert leak_types <= set(scan(text))
    assert scan(scrub(text).text) == []


def test_accented_names_are_kept_and_found_whole() -> None:
    text = "Thanks, Łukasz Wróbel here, my friend Zoë Straße paid for José Müller"
    assert fold(text) == (text, None)
    names = [text[s.start : s.end] for s in detect(text) if s.type == "PERSON"]
    assert names == ["Łukasz Wróbel", "Zoë Straße", "José Müller"]


def test_ascii_takes_the_fast_path_unchanged() -> None:
    text = "call 415-555-0132 or mail john@example.com, 50% off"
    folded, index_map = fold(text)
    assert folded is text and index_map is None


def test_fold_examples() -> None:
    assert fold("a\u00a0b\u2003c\td") == ("a b c\td", None)
    assert fold("1\u20102\u20143\u22124\ufe635") == ("1-2-3-4-5", None)
    assert fold("x\uff20y\uff11") == ("x@y1", None)
    assert fold("a%40B%40c") == ("a@B@c", [0, 1, 4, 5, 8])
    assert fold("a\u200bb") == ("ab", [0, 2])
    # fullwidth "％４０" folds to "%40", which then folds to "@"
    assert fold("a\uff05\uff14\uff10b") == ("a@b", [0, 1, 4])


def test_only_invisible_characters() -> None:
    assert detect("\u200b\u200d\ufeff") == []
    assert scrub("\u200b\u200d").text == "\u200b\u200d"


def test_a_span_does_not_swallow_invisible_characters_around_it() -> None:
    text = "call\u200b 415\u2010555\u20100155\u200b now"
    [span] = detect(text)
    assert text[span.start : span.end] == "415\u2010555\u20100155"


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_fold_map_points_at_the_character_each_folded_one_came_from(text: str) -> None:
    folded, index_map = fold(text)
    if index_map is None:
        assert len(folded) == len(text)
        index_map = list(range(len(text)))
    assert len(index_map) == len(folded)
    assert index_map == sorted(set(index_map))  # strictly increasing
    for position, original in zip(index_map, folded, strict=True):
        source = text[position]
        assert unicodedata.category(source) != "Cf"
        compatible = unicodedata.normalize("NFKC", source)
        if original == "@" and source != "@":  # the "%" (or fullwidth "％") of a "%40"
            assert compatible in ("%", "@")
        else:
            assert original in (source, compatible, " ", "-")


def test_an_obfuscated_value_keeps_the_number_of_its_plain_form_in_a_conversation() -> None:
    from pipelines.pii import scrub_conversation

    first, second = scrub_conversation(
        ["mail john@gmail.com please", "again: john@gm\u200bail.com"]
    )
    assert first is not None and second is not None
    assert "<EMAIL_1>" in first.text and "<EMAIL_1>" in second.text
