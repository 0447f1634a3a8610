"""Capitalised names that are places or venues by their context, not people.

Many place and business names are also personal names ("from London", "in Campbell",
"a restaurant called Alice's", "book a table at Rosie's"). The name rules and the model
look at a few words around a token; these checks read the clause the name stands in:

- a known place (``places``) after a locative word ("from", "to", "in", "city is") or
  before ", <state or country>"; any name before ", <country or US state>" (the city
  of an address line); a run of capitalised words that is a known place of two or more
  words ("Palo Alto", "Morgan Hill", "St. Helena") wherever it stands;
- a venue named as such: "<restaurant/hotel/place ...> called|named|known as X",
  "the restaurant is X", "X is a nice restaurant", "X's cafe", a name running into a
  business word ("X Indian Cuisine", "X, Y and Z Orchestra") or standing in a run of
  capitalised words after one ("Ac Hotel By Marriott Paris Porte Maillot", "Clh Suites
  Copacabana Domingos Ferreira"), "at X" in a clause about
  booking, eating or staying ("a table for 2 at X"), and "X in <known place>" in a
  message about restaurants or hotels.

A name after a strong cue ("my name is London") is kept unless the venue test says so
("a hotel named Aloft").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from pipelines.pii.person_cues import BUSINESS_WORDS, KIN_AFTER, KIN_BEFORE
from pipelines.pii.spans import Span

# Words that end a venue's or business's name besides the business words of
# ``person_cues`` ("Chaat Corner", "Aria Dining & Banquets").
VENUE_NAME_WORDS = frozenset(
    [
        "cuisine",
        "dining",
        "banquets",
        "catering",
        "eatery",
        "corner",
        "kitchen",
        "cafe",
        "express",
        "suites",
    ]
)

# Rule scores at or above this are strong cues ("my name is", "Mr."): places in
# context do not override them (a venue named as such does).
STRONG_CUE_SCORE = 0.85

_VENUE_NOUN = (
    r"(?:restaurants?|hotels?|motels?|hostels?|inns?|resorts?|places?|spots?|cafes?|cafés?"
    r"|coffee\s+shops?|diners?|bars?|pubs?|bistros?|eatery|eateries|bakery|bakeries"
    r"|salons?|shops?|stores?|venues?|theaters?|theatres?|cinemas?|clubs?|gyms?|spas?"
    r"|museums?|galleries|gallery|parks?|one)"
)
_NAMING = r"(?:called|named|known\s+as|by\s+the\s+name\s+of|(?:name\s+)?is)"
# Up to two capitalised words or a number before the name the span holds ("the
# restaurant is Blue Gingko", "a hotel called 11 Howard", "at P.f. Chang's").
_LEAD = r"(?:the\s+)?(?:(?:[A-Z][\w'’.&-]*|\d+)\s+){0,2}"
# Before the name: "a restaurant called", "the hotel named", "a restaurant in San Mateo
# called", "the restaurant name is".
_NAMED_BEFORE = re.compile(
    rf"\b{_VENUE_NOUN}\s+(?:[\w'’.,-]+\s+){{0,5}}?{_NAMING}\s*:?\s+{_LEAD}$", re.IGNORECASE
)
# After the name: "is another nice restaurant", "is a great choice", "'s cafe".
_VENUE_AFTER = re.compile(
    rf"^(?:['’]s)?[ \t]+(?:is|was|has|seems)\s+(?:also\s+)?(?:a|an|another|one\s+of|the)\b"
    rf"[^.!?]{{0,30}}?\b{_VENUE_NOUN}\b"
    rf"|^['’]s\s+{_VENUE_NOUN}\b"
    r"|^(?:['’]s)?\s+(?:is|was)\s+(?:also\s+)?(?:a|an|another)\s+(?:\w+\s+){0,2}choice\b",
    re.IGNORECASE,
)
# Earlier in the clause: booking, eating or staying somewhere.
_BOOKING = re.compile(
    r"\b(?:table|reservations?|booking|book|booked|reserve|eat|dine|dinner|lunch|breakfast"
    r"|brunch|stay|staying|rooms?|meal|drinks|check(?:ing)?\s+in)\b",
    re.IGNORECASE,
)
_AT_BEFORE = re.compile(rf"\bat\s+{_LEAD}$")
# Before a place: "from London", "flying to", "located in", "the city is".
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|from|to|at|near|around|into|via|towards?|outside|visit(?:ing)?|leaving"
    r"|heading|located|city\s+of|(?:city|location|destination|town|area)\b[^.!?]{0,30}?"
    r"\b(?:is|was|will\s+be|would\s+be))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "to" after a verb of speaking or giving takes a person ("I spoke to Scott", "send it to
# Milton", "according to Austin"), not a destination.
_PERSON_TO_BEFORE = re.compile(
    r"\b(?:speak|spoke|spoken|speaking|talk|talked|talking|said|say|says|reach\s+out|reached"
    r"\s+out|write|wrote|written|reply|replied|listen|listened|report|reported|reports"
    r"|belongs?|belonged|married|engaged|according|thanks|apologi[sz]e|introduced?"
    r"|transfer(?:red)?\s+me(?:\s+back)?|connect(?:ed)?\s+me|put\s+me\s+through"
    r"|(?:send|sent|give|gave|hand|handed|forward|forwarded|pass|passed|mail|mailed|email"
    r"|emailed|text|texted)(?:\s+(?:it|this|that|them|the\s+\w+))?)\s+to\s+$",
    re.IGNORECASE,
)
_VENUE_WORD = re.compile(rf"\b{_VENUE_NOUN}\b", re.IGNORECASE)
_IN_PLACE_AFTER = re.compile(r"(?:['’]s)?[ \t]+in[ \t]+([A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)")
# After the name, within its capitalised run: a word that makes it a business
# ("Marhaba Indian & Pakistani Halal Cuisine", "Chaat Corner", "Aria Dining & Banquets").
# A capitalised preposition or verb ends the run: in a sentence typed in title case ("Please
# Welcome Our New Hire Satsita Umkhayev To The Engineering Group") the name is no part
# of the business after it.
_RUN_BREAK = r"(?!(?:To|For|With|At|In|On|From|Into|Is|Are|Was|Were|Will|Has|Have)\b)"
_BUSINESS_AFTER = re.compile(
    rf"(?:['’]s)?(?:,?[ \t]+(?:&|and|{_RUN_BREAK}[A-Z][\w'’.-]*)){{0,5}}?[ \t]+(?:"
    + "|".join(sorted(w.capitalize() for w in BUSINESS_WORDS | VENUE_NAME_WORDS))
    + r")\b"
)
# After a city: ", CA", ", Oregon", " / Spain" (an address line's next part).
_REGION_AFTER = re.compile(
    r"^[ \t]*[,/]?[ \t]*(?:[A-Z]{2}\b|(?P<region>[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?))"
)
_CAPITALISED = re.compile(r"[A-Z][\w'’.-]*")
# Words before a name in the same run of a venue's or business's name: capitalised
# words (not acronyms, not possessives) and the particles such names hold.
# Not "and" or "&": they join two names ("Acme Bank and Jan Novak").
_RUN_WORD = re.compile(r"[A-Z][a-zà-ÿ][\w.-]*|by|de|del|da|di|do|of|the|y")
_RUN_PARTICLES = frozenset(["by", "de", "del", "da", "di", "do", "of", "the", "y"])
# How many words before a name may belong to the same venue's name.
_RUN_BEFORE = 6
# Built once: the union was rebuilt for every word of every run checked.
BUSINESS_OR_VENUE_WORDS = BUSINESS_WORDS | VENUE_NAME_WORDS
_CLAUSE_END = re.compile(r"[.!?;\n]")


def _clause_before(text: str, start: int) -> str:
    """The text from the last sentence or clause end before ``start`` to ``start``."""
    window = text[max(0, start - 120) : start]
    ends = [m for m in _CLAUSE_END.finditer(window) if not _abbreviation(window, m.start())]
    return window[ends[-1].end() :] if ends else window


def _abbreviation(text: str, dot: int) -> bool:
    """A full stop after a word of one or two letters ends an abbreviation ("St.",
    "P.f.", "Mr."), not a sentence."""
    if text[dot] != ".":
        return False
    word = 0
    while dot - word > 0 and text[dot - word - 1].isalpha():
        word += 1
    return 0 < word <= 2


@lru_cache(maxsize=4)
def _place_tokens(places: frozenset[str]) -> frozenset[str]:
    """Every word of every place name of 2+ words."""
    return frozenset(word for place in places if " " in place for word in place.split(" "))


def _place_run(text: str, span: Span, places: frozenset[str]) -> bool:
    """The capitalised words around ``span`` make a known place of 2+ words."""
    # Every word of such a place is a place word: most names are in none, and then
    # none of the nine runs around them needs building.
    first = text[span.start : span.end].lower().split(" ", 1)[0]
    tokens = _place_tokens(places)
    if first not in tokens and first.removesuffix("'s") not in tokens:
        return False
    before = text[max(0, span.start - 30) : span.start].split()
    after = text[span.end : span.end + 30].split()
    core = text[span.start : span.end]
    for left in range(min(2, len(before)), -1, -1):
        lead = before[len(before) - left :] if left else []
        if not all(_CAPITALISED.fullmatch(w) for w in lead):
            continue
        for right in range(min(2, len(after)), -1, -1):
            tail = [w.rstrip(",.?!;:") for w in after[:right]]
            if not all(_CAPITALISED.fullmatch(w) for w in tail):
                continue
            words = [*lead, core, *tail]
            candidate = " ".join(words).lower().removesuffix("'s")
            if " " in candidate and candidate in places:
                return True
    return False


def _start(span: Span) -> int:
    return span.start


def _place_in_context(
    text: str,
    span: Span,
    places: frozenset[str],
    regions: frozenset[str],
    persons: tuple[Span, ...] = (),
) -> bool:
    """A known place after a locative word or before a state or country; any name
    before ", <country or US state>" (an address line's city). A place word after the
    comma that is a found name is no region: scrubbed, it is a placeholder ("Crystal ,
    Crystal" reads "Crystal , <PERSON_1>" the second time)."""
    region = _REGION_AFTER.match(text[span.end : span.end + 40])
    if region is not None and region.group("region") is not None:
        region_start = span.end + region.start("region")
        # the found name starting last at or before the region (spans are ordered): one
        # search, not a scan of every name per name ("Lee, " x 16,000 went quadratic)
        at = bisect_right(persons, region_start, key=_start) - 1
        if (
            at >= 0
            and region_start < persons[at].end
            and region.group("region").lower() not in regions
        ):
            region = None
    named_region = region.group("region") if region is not None else None
    if named_region is not None and named_region.lower() in regions:
        return True
    name = text[span.start : span.end].lower().removesuffix("'s").removesuffix("’s")
    if name not in places:
        return False
    clause = _clause_before(text, span.start)
    if _LOCATIVE_BEFORE.search(clause) and not _PERSON_TO_BEFORE.search(clause):
        return True
    return region is not None and (named_region is None or named_region.lower() in places)


def _named_venue(
    text: str, span: Span, places: frozenset[str], others: tuple[Span, ...] = ()
) -> bool:
    clause = _clause_before(text, span.start)
    if _NAMED_BEFORE.search(clause):
        return True
    after = text[span.end : span.end + 60]
    if _VENUE_AFTER.search(after):
        return True
    business = _BUSINESS_AFTER.match(after)
    if business is not None and not any(
        # "Mark Davis and Sarah Hall": the business word is another person's surname
        o.start < span.end + business.end() <= o.end
        for o in others
    ):
        return True
    if _AT_BEFORE.search(clause) and _BOOKING.search(clause):
        return True
    # "It's Lovina in Calistoga." in a message about restaurants or hotels
    place = _IN_PLACE_AFTER.match(after)
    return (
        place is not None
        and place.group(1).lower() in places
        and (_VENUE_WORD.search(text) is not None or _BOOKING.search(text) is not None)
    )


def _business_run_before(text: str, span: Span, listed: frozenset[str]) -> bool:
    """The words right before ``span``, separated by single blanks, are capitalised words
    or particles of one run, and one of them is a business word that is no personal name
    ("Hotel", "Suites"; not "Hilton", "Marriott": "Thanks, Hilton Anderson")."""
    words = text[max(0, span.start - 80) : span.start].split(" ")
    if not words or words[-1] != "":
        return False  # the span must follow a blank
    for word in reversed(words[-_RUN_BEFORE - 1 : -1]):
        if not _RUN_WORD.fullmatch(word):
            return False
        low = word.lower()
        if low not in _RUN_PARTICLES and low in BUSINESS_OR_VENUE_WORDS and low not in listed:
            return True
    return False


def drop_places_and_venues(
    text: str,
    spans: list[Span],
    places: frozenset[str],
    regions: frozenset[str],
    listed: frozenset[str] = frozenset(),
) -> list[Span]:
    """``spans`` without the PERSON spans that their context makes a place or a venue
    (``listed``: every listed personal name, which a business word must not be)."""
    kept = []
    persons = tuple(sorted((s for s in spans if s.type == "PERSON"), key=_start))
    for span in spans:
        if (
            span.type == "PERSON"
            # "sent it to takeshi my neighbor": whose relation a name is, a person (not a
            # known place: "we moved from Brooklyn, my wife got a new job")
            and not (
                KIN_AFTER.match(text, span.end)
                and text[span.start : span.end].lower() not in places
            )
            and (
                (
                    _named_venue(text, span, places, persons)
                    # "my roommate mariam is the one who set up the wifi": after a relative
                    # or an acquaintance, a person
                    and not KIN_BEFORE.search(text, max(0, span.start - 40), span.start)
                )
                or (
                    span.score < STRONG_CUE_SCORE
                    and (
                        _place_run(text, span, places)
                        or _place_in_context(text, span, places, regions, persons)
                        or _business_run_before(text, span, listed)
                    )
                )
            )
        ):
            continue
        kept.append(span)
    return kept
