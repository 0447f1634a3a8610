"""Cheap tests that stand before a family's scan: each must pass wherever the scan can
find something, or a value would be missed (the output must not change)."""

from __future__ import annotations

import random

from pipelines.pii import numbers
from pipelines.pii.matching import DIGIT, lower_finditer
from pipelines.pii.name_model import _may_hold_candidates
from pipelines.pii.names import gazetteer
from pipelines.pii.spans import Span

_DATES = [
    "born 1990-05-01",
    "dob 1990-5-1 12:30",
    "on 5/1/90 I",
    "01.05.1990",
    "1-5-1990",
    "May 1, 1990",
    "MAY 1 1990",
    "Sept. 5, 1990",
    "september 5th, 1990",
    "1st of May 1990",
    "5 Dec 1990",
    "born on the 3rd of march, 1991",
    "Jan 02 2000",
]


def _dates(text: str) -> list[tuple[int, int]]:
    low = text.lower()
    low_or_none = low if len(low) == len(text) else None
    return [m.span() for m in lower_finditer(numbers._DATE, text, low_or_none)]


def _gate(text: str) -> bool:
    low = text.lower()
    first = DIGIT.search(text)
    assert first is not None
    return numbers._may_hold_date(low if len(low) == len(text) else None, first.start())


def test_date_gate_passes_every_date() -> None:
    for text in _DATES:
        assert _dates(text), text
        assert _gate(text), text


def test_date_gate_passes_wherever_the_date_scan_matches() -> None:
    """Random dates in every written form (and near misses: odd separators, blanks,
    cases, month fragments): wherever the date scan finds a date, the gate passes."""
    rng = random.Random(7)
    months = ["jan", "February", "MAR", "apr.", "May", "june", "Jul", "aug", "Sept", "oct"]
    months += ["NOV", "december", "ma", "ju", "se"]

    def pick(*options: str) -> str:
        return rng.choice(options)

    matched = 0
    for _ in range(20_000):
        d, m, y = str(rng.randint(0, 40)), str(rng.randint(0, 14)), str(rng.randint(0, 2099))
        month = rng.choice(months)
        form = rng.randrange(4)
        if form == 0:
            date = d + pick("/", ".", "-", " ", ":") + m + pick("/", ".", "-", " ") + y
        elif form == 1:
            date = y + pick("-", "/") + m + "-" + d + pick("", " 10:30", "t09:15:02")
        elif form == 2:
            date = month + pick("", ".") + pick(" ", "  ", "") + d + pick("", "st", "th")
            date += pick(",", "") + pick(" ", "") + y
        else:
            date = d + pick("", "nd", "rd") + pick(" ", "") + pick("", "of ", "OF ") + month
            date += pick("", ".", ",") + pick(" ", "") + y
        text = pick("", "born ", "x", "on the ") + date + pick("", " ok", "7", "/5")
        if _dates(text):
            matched += 1
            assert _gate(text), text
    assert matched > 1_000  # the strings did exercise the scan (about one in nine)


def test_date_gate_rejects_numbers_without_a_date_shape() -> None:
    for text in ("call 4155550132 now", "card 4111 1111 1111 1111", "ORD-12345678 please"):
        assert not _dates(text)
        assert not _gate(text), text


def test_name_model_pre_check_without_spans_reads_as_with_spans_elsewhere() -> None:
    """Without spans the pre-check reads the words alone; the offset-aware path, given a
    span that covers no word, must say the same for every message."""
    names = gazetteer()
    texts = [
        "Hi, my name is Anneliese Okonkwo and I need help",
        "The Booking Express was late",
        "ok thanks",
        "can you ask lena about it",
        "I",
        "",
        "Perfcet, Sennt from my iPhone",
        "we met Xochitl at the Marriott",
        "lisa said the refund is pending",
        "PLEASE CALL ME",
        "Émile and Zoë are coming",
    ]
    for text in texts:
        far = Span("PHONE", len(text) + 5, len(text) + 9, 1.0)
        assert _may_hold_candidates(text, [], names) == _may_hold_candidates(text, [far], names), (
            text
        )
    assert _may_hold_candidates("we met Xochitl", [], names)
    assert not _may_hold_candidates("The Booking was late", [], names)


def test_street_prefix_gate_passes_wherever_a_window_before_a_number_holds_one() -> None:
    """Street-prefix addresses among other numbers, at random places in a message: for
    every number start whose window holds a prefix match, the ranged gate passes."""
    from pipelines.pii import addresses

    rng = random.Random(11)
    streets = ["Via dei Fiorentini 17", "ul. Północna 73", "calle Mayor 5", "rue Brahier 262"]
    streets += ["Avenida Paulista 1578", "str. Lunga 8", "c/ Alcalá 12", "piazza Navona 3"]
    others = ["call 415-555-0132", "order 12345678", "at 5pm", "zip 75534", "", "thanks"]
    found = 0
    for _ in range(3_000):
        parts = [rng.choice(others), rng.choice(streets), rng.choice(others)]
        rng.shuffle(parts)
        text = rng.choice(["", "ship to ", "I moved to "]) + ", ".join(parts)
        low = text.lower()
        first = DIGIT.search(text)
        assert first is not None
        _, starts = numbers.find(text, low, first.start())
        windows = [addresses._STREET_PREFIX_BEFORE.search(low, max(0, s - 60), s) for s in starts]
        if any(windows):
            found += 1
            assert addresses._may_hold_street_prefix(low, starts), text
    assert found > 2_000
    assert not addresses._may_hold_street_prefix("via roma", [])
