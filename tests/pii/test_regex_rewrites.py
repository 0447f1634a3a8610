"""Scans rewritten for speed match exactly what their plain forms match.

Python's ``re`` skips in C to the next possible first character only when a pattern opens
with a character class or a literal; a pattern that opens with a look-behind, ``\\b``, a
repeat or ``(?:^|(?<=\\n))`` is tried at every position of the text. Each pattern below
was rewritten to open with its first character's class (the look-behind moved after that
character), or is matched at line starts alone, or has its alternatives grouped by first
letter. The plain form is kept here as the specification; both must give the same
matches (spans and groups) everywhere, on random strings of each pattern's edge cases.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator

import pytest

from pipelines.pii import addresses, cues, numbers, patterns, person_cues, persons
from pipelines.pii.matching import line_starts
from pipelines.pii.person_cues import PERSON_NOUN

Found = list[tuple[tuple[int, int], tuple[str | None, ...]]]

# (name, plain form, the shipped pattern, pieces the random strings are made of, examples)
_REWRITTEN: list[tuple[str, str, Callable[[], re.Pattern[str]], list[str], list[str]]] = [
    (
        "digit run",
        r"\d+(?:[ \t-]{1,2}\d+)*",
        lambda: cues._DIGIT_RUN,
        list("12 \t-a.٣"),
        ["4 1 5 -5 5 5", "12-34", "٣٣"],
    ),
    (
        "number candidate",
        r"(?<![\w.])(?:\+\s?|\(\s?)?\d(?:[ \t.\-/()]{0,3}\d)*",
        lambda: numbers._NUMBER,
        list("+(1 2)\t.-/a\n ٣"),
        ["(415) 555 0132", "+1 415.555.0132", "a1 2", "x.12"],
    ),
    (
        "given name and initial",
        r"(?<![\w'’.-])([A-Z][a-z]{1,15}) [B-HJ-Z]\.(?=[ \t\n,;:!?)]|\Z)",
        lambda: persons._GIVEN_INITIAL,
        ["Hope", " ", "R.", "K", ".", "'", "’", "-", "x", ",", ")", "\n", "I."],
        ["Hope R. told", "Grant K.", "I. M. Pei", "Ann-B. x"],
    ),
    (
        "lower-case name with an initial",
        r"(?<![\w'’-])([a-z]{2,}(?:-[a-z]+)?) ([a-z])\. ([a-z]{2,}(?:['’-][a-z]+)?)(?![\w'’-])",
        lambda: person_cues.LOWER_INITIAL_NAME,
        ["rajesh", " ", "g.", "p", ". ", "-", "'", "’", "abernathy", "A", "\n"],
        ["rajesh g. abernathy", "vy r. patel-o'neil", "mary-jo k. lee"],
    ),
    (
        "name declared a name",
        r"(?<![\w'’-])([A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+(?:-[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+)?)[ \t]+(?:is|was)[ \t]+"
        r"(?:my|the|his|her|their|our|your)[ \t]+(?:last|first|family|middle|maiden|sur|given)"
        r"[ \t]*name\b",
        lambda: person_cues.NAMED_AS,
        ["White", "Élan", "x", "-", "'", " is ", " was ", "my ", "the ", "last ", "name", "s"],
        ["White is the last name", "Élan-Noir was her maiden name"],
    ),
    (
        "email",
        r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
        r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b",
        lambda: patterns._EMAIL,
        ["ab", "Z9", ".", "_", "%", "+", "-", "@", " ", "com", "\n", "é"],
        ["a.b+c@ex-ample.com", "x@y.co", "_a@b.cc"],
    ),
    (
        "name in parentheses",
        rf"(?i:\b(?:{PERSON_NOUN}|guy|guys|lady|man|woman|girl|boy))[ \t]*\([ \t]*"
        r"([A-Za-z][a-z'’-]+)[ \t]*\)",
        lambda: persons._NAME_IN_PARENTHESES,
        ["guy", "guys", "step", "son", "-in-law", "Best  friend", "ex", "-wife", "MAN", " ", "(",
         ")", "tony", "TONY", "o'neil", "x", "\t"],
        ["the delivery guy (tony)", "my Best  friend ( Jo )", "ex-wife(mary)", "son-in-law (O'neil)"],
    ),
]  # fmt: skip


def _random_strings(
    pieces: list[str], seed: int, examples: tuple[str, ...] = (), count: int = 3000
) -> Iterator[str]:
    """Random pieces around an example (or none), then up to three character edits
    (inserted, deleted or replaced by a character of the pieces): matches, near misses
    and every boundary occur."""
    rng = random.Random(seed)
    chars = sorted(set("".join(pieces) + "".join(examples)))
    for _ in range(count):
        around = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))) for _ in "ab"]
        middle = rng.choice(examples) if examples and rng.random() < 0.7 else ""
        text = around[0] + middle + around[1]
        for _ in range(rng.randint(0, 3)):
            at = rng.randint(0, len(text))
            edit = rng.choice("idr")
            if edit == "i":
                text = text[:at] + rng.choice(chars) + text[at:]
            elif edit == "d":
                text = text[:at] + text[at + 1 :]
            else:
                text = text[:at] + rng.choice(chars) + text[at + 1 :]
        yield text


def _found(matches: Iterator[re.Match[str] | None]) -> Found:
    return [(m.span(), m.groups()) for m in matches if m is not None]


@pytest.mark.parametrize(
    ("name", "plain", "shipped", "pieces", "examples"), _REWRITTEN, ids=[r[0] for r in _REWRITTEN]
)
def test_rewritten_scan_matches_its_plain_form(
    name: str,
    plain: str,
    shipped: Callable[[], re.Pattern[str]],
    pieces: list[str],
    examples: list[str],
) -> None:
    reference, pattern = re.compile(plain), shipped()
    assert pattern.pattern != plain, "the shipped pattern is the rewrite"
    matched = 0
    for text in _random_strings(pieces, len(name), tuple(examples)):
        expected = _found(reference.finditer(text))
        assert _found(pattern.finditer(text)) == expected, (name, text)
        matched += bool(expected)
        for pos in range(len(text) + 1):  # also where a caller matches or searches from
            assert _found(iter([pattern.match(text, pos)])) == _found(
                iter([reference.match(text, pos)])
            ), (name, text, pos)
    assert matched > 20, f"{name}: the random strings must exercise the pattern"


def test_country_scan_ending_at_a_postcode_matches_its_plain_form() -> None:
    """Searched in the 45 characters before a postcode, ending there (``$`` at endpos)."""
    reference = re.compile(
        r"((?:[A-Z][^\W\d_]+[ \t]+){0,2}[A-Z][^\W\d_]+)(?:[ \t]*\([^)\n]{1,20}\))?[ \t]+$"
    )
    matched = 0
    pieces = ["Cyprus", "Greek", "Czech", "Republic", " ", "\t", "(", ")", "x", "1", "\n", "É"]
    examples = ("Cyprus (Greek) ", "Czech Republic\t", "Ab Cd Ef  ")
    for text in _random_strings(pieces, 3, examples):
        for end in range(len(text) + 1):
            start = max(0, end - 45)
            expected = reference.search(text, start, end)
            got = addresses._COUNTRY_BEFORE.search(text, start, end)
            assert (got and (got.span(), got.groups())) == (
                expected and (expected.span(), expected.groups())
            ), (text, end)
            matched += expected is not None
    assert matched > 20


@pytest.mark.parametrize(
    ("plain", "shipped"),
    [
        (
            r"(?:^|(?<=\n))[ \t]*([A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?),[ \t]+([A-Z][a-z]+)"
            r"(?=[ \t]*(?:[-–—,;:(|/]|\n|\Z)|[ \t]+[a-z])",
            lambda: persons._LINE_START_INVERTED,
        ),
        (
            r"(?:^|(?<=\n))[ \t]*+([a-z]{2,}+)[ \t]++([a-z][a-z'’-]++)[ \t]++here\b",
            lambda: person_cues.HERE_START,
        ),
    ],
)
def test_line_start_patterns_match_at_line_starts_as_their_plain_form(
    plain: str, shipped: Callable[[], re.Pattern[str]]
) -> None:
    reference, pattern = re.compile(plain), shipped()
    pieces = ["Okafor", "Chidi", "chidi", "nowak", ", ", "\n", " ", "\t", "-", "x", "here", "O'B"]
    matched = 0
    examples = ("Okafor, Chidi - acct", "\n Hargrove, Ellen (mom)", "chidi nowak here")
    for text in _random_strings(pieces, 11, examples):
        expected = _found(reference.finditer(text))
        assert _found(pattern.match(text, start) for start in line_starts(text)) == expected, text
        matched += bool(expected)
    assert matched > 20


def test_line_starts() -> None:
    assert line_starts("") == [0]
    assert line_starts("one\ntwo\n\nthree") == [0, 4, 8, 9]
    assert line_starts("\n") == [0, 1]
