"""A found name's other parts: the rules and the model find a name's words, this module
joins them into the whole name as written.

Names are often found in pieces: "jean-pierre baptiste" as "pierre baptiste", "Juan
Carlos de la Cruz" as "Juan Carlos", "Siriporn Kim" as two names, "Bogdan Whitfield Sr."
without its suffix. Each piece is scrubbed, but what is left beside it ("jean-", "de la
Cruz", "Sr.") is part of the person's name and stays readable, and one person gets two
placeholders. Hand-written: no library completes a name found by other rules.
"""

from __future__ import annotations

import re

from pipelines.pii.names import STOPWORDS, Gazetteer
from pipelines.pii.spans import Span

# Words that join a surname's parts ("de la Cruz", "del Valle", "van der Berg", "Lo
# Bianco", "bin Laden"), any case; the longer alternatives first ("de la" before "de").
_PARTICLE = (
    r"(?:de[ \t]+la|de[ \t]+los|van[ \t]+de[nr]?|della|dela|del|de|das|da|dos|do|di|du|von"
    r"|van|der|den|ter|lo|le|la|bin|ibn)"
)
# Between two names of one person: spaces, a middle initial ("mariam j. vasquez"), or
# surname particles ("Maria del Carmen Lopez"), or a hyphen ("Jean-Pierre").
_JOIN = re.compile(rf"[ \t]+(?:(?:[A-Za-z]\.?|{_PARTICLE})[ \t]+)?|-", re.IGNORECASE)
# After a name: particles and the surname they introduce ("Juan Carlos| de la Cruz"), an
# Arabic article joined by a hyphen ("abdul rahman| al-farsi") or an elided particle
# ("declan| d'angelo").
_PARTICLE_SURNAME = re.compile(
    rf"[ \t]+(?:{_PARTICLE}[ \t]+([^\W\d_]{{2,}})|(?:al|el)-([^\W\d_]{{2,}})"
    rf"|(?:o|d|de|di|l)['’]([^\W\d_]{{2,}}))(?![\w'’-])",
    re.IGNORECASE,
)
# After a name: a generational suffix ("Ahmad N. Thomas Jr", "Bogdan Whitfield Sr.",
# "Youssef K. Petrov IV"). Roman numerals only in capitals ("iv" is an intravenous drip).
# Not before a capitalised word: "Sr." is then Senior ("Jane Doe, Sr. Account Manager")
# or the full stop ends a sentence ("John Smith Sr. Hunter Douglas blinds ...").
_SUFFIX = re.compile(r",?[ \t]+(?:(?i:jr|sr)\.?|II|III|IV)(?![\w'’-])(?![ \t]+[A-Z])")
# What can follow a name that has more parts: a hyphen, a space, a comma before a suffix,
# the full stop of "Sr."; a cheap test before the patterns below.
_GROWS_RIGHT = ("-", " ", "\t", ",", ".")
_CAPITAL_NEXT = re.compile(r"[ \t]+[A-Z]")
# After a capitalised name: the initial of a surname, as agents sign and customers name
# them ("Sarah K. was helpful", "per Tom B."): a capital and a full stop, or a capital
# closing the phrase ("thanks Devon R, ..."); "I" and "A" only with the stop.
_SURNAME_INITIAL = re.compile(
    r"[ \t]+(?:[A-Z]\.(?=[ \t\n,;:!?)]|\Z)|[B-HJ-Z](?=[ \t]*(?:[,;:!?)\n]|\Z)))"
)
_SUFFIX_END = re.compile(r"[ \t](?i:jr|sr)\Z")
_ENDS_WITH_INITIAL = re.compile(r"(?:\A|[ \t])[A-Za-z]\.?\Z")
# After a lower-case name: a lower-case initial with its stop ("sarah k. from support");
# not "a.", "i." or "u." ("you").
_LOWER_SURNAME_INITIAL = re.compile(r"[ \t]+[b-hj-tv-z]\.(?=[ \t\n,;:!?)]|\Z)")
# Before a name: the first part of a hyphenated given name or surname ("jean-|pierre",
# "Garcia-|Ruiz"), or an elided particle ("o'|brien", "d'|angelo").
_HYPHEN_PART = re.compile(r"(?<![\w'’-])[^\W\d_]{2,}-\Z")
_ELIDED_PARTICLE = re.compile(r"(?<![\w'’-])(?i:o|d|de|di|l)['’]\Z")
# After a name: the second part of a hyphenated name ("jenkins|-freeman").
_HYPHEN_TAIL = re.compile(r"-[^\W\d_]{2,}(?![\w'’-])")


def complete_names(text: str, spans: list[Span], names: Gazetteer) -> list[Span]:
    """``spans`` with each PERSON span grown over the parts of the same name beside it
    (see the module's docstring), and PERSON spans that are parts of one name joined.
    A part never reaches into another span. ``spans`` itself when nothing changed."""
    if not any(span.type == "PERSON" for span in spans):
        return spans
    out: list[Span] = []
    for i, span in enumerate(spans):
        if span.type != "PERSON":
            out.append(span)
            continue
        floor = out[-1].end if out else 0
        ceiling = spans[i + 1].start if i + 1 < len(spans) else len(text)
        start = _grow_left(text, span, floor, names)
        end = _grow_right(text, span, ceiling, names)
        if out and out[-1].type == "PERSON" and _one_name(text, out[-1].end, start):
            previous = out.pop()
            out.append(Span("PERSON", previous.start, end, max(previous.score, span.score)))
        elif start != span.start or end != span.end:
            out.append(Span("PERSON", start, end, span.score))
        else:
            out.append(span)
    return out if out != spans else spans


def _one_name(text: str, end: int, start: int) -> bool:
    """Whether the text between two names joins them into one ("Siriporn Kim")."""
    return _JOIN.fullmatch(text, end, start) is not None


def _name_part(word: str, names: Gazetteer) -> bool:
    """A listed name, or a word in no English list ("jean", "garcia"; not "non", "re")."""
    low = word.lower()
    return low in names.listed or low in names.given_names or low not in names.english_rank


# Before a one-word name: a capitalised US first name (SSA or Census) and one space ("Ruby| Okafor",
# "Hope| Nguyen"). The rules leave a first name that is also an English word to its
# context, and the model may judge it a word; beside a surname found on its own it is
# the same person's first name.
_FIRST_NAME_BEFORE = re.compile(r"(?<![\w'’-])([A-Z][a-z]{1,15}) \Z")
# Capitalised words that are US first names but, before a name, mostly are not one:
# months and days ("May Nguyen called"), firms ("Chase Nguyen" is a bank's branch).
_NOT_A_FIRST_NAME_BEFORE = frozenset(
    {"april", "june", "may", "august", "chase", "sunday", "monday", "wells", "dear"}
)


def _grow_left(text: str, span: Span, floor: int, names: Gazetteer) -> int:
    first_name = _first_name_before(text, span, floor, names)
    if first_name is not None:
        return first_name
    start = span.start
    while start > floor and text[start - 1] in "-'’":
        head = text[max(floor, start - 40) : start]
        m = _HYPHEN_PART.search(head)
        if m is not None and not _name_part(m.group()[:-1], names):
            m = None  # "non-John Smith", "re-Mark Davis"
        if m is None:
            m = _ELIDED_PARTICLE.search(head)
        if m is None:
            break
        start -= len(head) - m.start()
    return start


def _first_name_before(text: str, span: Span, floor: int, names: Gazetteer) -> int | None:
    """Where a US first name starts before a one-word capitalised name
    (``_FIRST_NAME_BEFORE``); None when none stands there."""
    start = span.start
    if start - floor < 3 or text[start - 1] != " " or not text[start].isupper():
        return None
    if not text[start : span.end].isalpha():
        return None  # one word only: "Ruby Okafor", not "Ruby <two names>"
    m = _FIRST_NAME_BEFORE.search(text, max(floor, start - 20), start)
    if m is None:
        return None
    low = m.group(1).lower()
    listed = low in names.us_first_names or low in names.given_names
    if not listed or low in STOPWORDS or low in _NOT_A_FIRST_NAME_BEFORE:
        return None
    return m.start(1)


def _grow_right(text: str, span: Span, ceiling: int, names: Gazetteer) -> int:
    end = span.end
    if not text.startswith(_GROWS_RIGHT, end):
        return end  # the name ends the text or a punctuation mark follows it
    lower = text[span.start : span.end].islower()
    while True:
        m = _HYPHEN_TAIL.match(text, end)
        if m is not None and m.end() <= ceiling:
            end = m.end()
            continue
        m = _PARTICLE_SURNAME.match(text, end)
        if (
            m is not None
            and m.end() <= ceiling
            and (m.group(1) is None or _surname_word(m.group(1), lower, names))
        ):
            end = m.end()
            continue
        break
    m = _SUFFIX.match(text, end)
    if m is not None and m.end() <= ceiling:
        end = m.end()
    elif (
        _SUFFIX_END.search(text, span.start, end)
        and text.startswith(".", end)
        and end < ceiling
        and not _CAPITAL_NEXT.match(text, end + 1)
    ):
        end += 1  # a rule found "Bogdan Whitfield Sr" without its full stop
    elif not _ENDS_WITH_INITIAL.search(text, span.start, end):
        capitalised = not lower and text[span.start].isupper()
        m = (_SURNAME_INITIAL if capitalised else _LOWER_SURNAME_INITIAL).match(text, end)
        if m is not None and m.end() <= ceiling:
            end = m.end()
    return end


def _surname_word(word: str, lower: bool, names: Gazetteer) -> bool:
    """A word after a particle is a surname if written like the name before it and a
    listed surname, or capitalised after a capitalised name ("de la Cruz"): "thanks
    maria lo siento", "my name is ana de acuerdo", "I TALKED TO JOHN DO YOU" are not."""
    listed = names.is_surname(word.lower())
    if word.isupper() and len(word) > 1:
        return listed
    if word[0].isupper():
        return not lower or word[1:].islower()
    return lower and listed
