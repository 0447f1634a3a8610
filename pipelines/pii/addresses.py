"""Street addresses, found from the numbers in a message: US "house number, street,
suffix, unit, city, state, ZIP" lines, PO boxes, military mail, unit lines, European
"street + number" and "Via ... 17" forms, "building, street, house number" lines, a
country and its postal code, and "the corner of X and Y"."""

from __future__ import annotations

import re

from pipelines.pii.matching import (
    by_first_letter,
    lower_finditer,
    placeholder_digits,
)
from pipelines.pii.names import wordlists
from pipelines.pii.spans import Span

# USPS street suffixes (Faker's en_US list is the USPS Publication 28 table) plus the
# common abbreviations people type. Word alternations here are grouped by first letter
# (matching.by_first_letter): ``re`` tries an alternation's words one by one, and with
# IGNORECASE each try is slow; grouped, one letter test rejects a whole group. Words of
# different first letters never match at the same place, so the matches are the same.
TYPED_SUFFIXES = (
    "st", "ave", "av", "rd", "blvd", "ln", "dr", "ct", "pl", "ter", "cir", "pkwy", "hwy", "sq",
    "trl", "aly", "plz", "cres", "xing", "hts", "expy", "fwy", "tpke", "rte", "route", "close",
    "crescent", "mews",
)  # fmt: skip
_SUFFIX = (
    "(?:"
    + by_first_letter(
        "|".join(
            sorted(
                set(wordlists()["usps_street_suffixes"]) | set(TYPED_SUFFIXES),
                key=len,
                reverse=True,
            )
        )
    )
    + ")"
)
_STATES = (
    r"(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI"
    r"|S[CD]|T[NX]|UT|V[TA]|W[AVIY]|PR)"
)
# Words that cannot be part of a street name: they turn "waited 2 hours on the way"
# into a non-match without needing capitalised input.
_NOT_STREET_WORDS = (
    r"the|a|an|on|in|to|for|of|my|your|our|and|or|at|is|are|was|it|this|that|with"
    r"|by|from|per|more|less|than|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?"
    r"|times?|items?|people|orders?|tickets?|pm|am|x|stars?|flights?|nights?|rooms?|guests?"
    r"|seats?|adults?|kids|blocks?|miles?|matching|results?|events?"
)
_NOT_STREET_WORD = rf"(?!(?:{by_first_letter(_NOT_STREET_WORDS)})\b)"
# The house number and the street name share a line ([ \t], not \s): a number at the
# end of one line and "Benjamin Lane" signing off the next are a phone and a name.
_ADDRESS = re.compile(
    # a building number may precede the house number ("17151 2450 Crown St")
    rf"(?<![\w.-])\d{{1,6}}[A-Za-z]?[ \t]+(?:\d{{1,6}}[ \t]+)?(?:[NSEW]\.?[ \t]+)?"
    # Street-name words hold a number only as an ordinal ("5th Avenue"): "1111 ok 12 Elm
    # Street" is a number, then an address. Without any name word only "street", "avenue"
    # and "road" make an address ("50 street"): "57 square", "2 court dates" are not.
    # A house number may close the name ("Magasinsgatan 7 St.").
    rf"(?:(?:{_NOT_STREET_WORD}(?:[A-Za-z][\w'.-]*|\d+(?:st|nd|rd|th)\b)[ \t]+){{1,4}}"
    rf"(?:\d{{1,5}}[ \t]+)?{_SUFFIX}"
    r"|(?:street|st|avenue|ave|road|rd)"
    # The street type first, then a capitalised name ("986 pl. Broniewskiego", "7 Av de
    # Figueiredo", "262 rue Brahier"): the name, not a quantity ("57 square meters").
    rf"|{_SUFFIX}\.?[ \t]+(?:(?:de|da|do|dos|das|del|della|di|du|des|la|le|van|von)[ \t]+)?"
    r"(?-i:[A-ZÀ-ÖØ-ÞĀ-Ž])[^\W\d_]+(?:-[^\W\d_]+)*)\b\.?"
    # The blanks and commas between the parts are possessive ("\s*+,?+\s*+"): what
    # follows each never starts with a blank or a comma, so giving some back could not
    # make a match, but with plain "\s*,?\s*" a failing part tried every split of a
    # long blank run between the two "\s*" (8,000 blanks after a street line: 4 s).
    r"(?:\s*+,?+\s*+[NSEW]{1,2}\b\.?)?"
    r"(?:\s*+,?+\s*+(?:apt|apartment|suite|ste|unit|fl|floor|room|rm|bldg|#)\.?\s*+#?+\s*+"
    r"[A-Za-z0-9-]+)?"
    # city, then possibly a region/country line ("Albany\n New Zealand 79879")
    r"(?:[ \t]*+[,\n]\s*+(?-i:[A-Z][^\W\d_]*\.?(?:[ \t]+[A-Z][^\W\d_]*){0,3})){0,2}"
    rf"(?:\s*+,?+\s*+{_STATES}\b)?"
    r"(?:\s*+,?+\s*+\d{5}(?:-\d{4})?\b)?",
    re.IGNORECASE,
)
# Lower-case literals: IGNORECASE patterns run as case-sensitive twins on lowered text.
_PO_BOX = re.compile(
    r"\b(?:p\.?\s?o\.?\s*box|post\s?box|post\s+office\s+box)\s+\d+\b", re.IGNORECASE
)
# US military mail (PSC/Unit/CMR ..., APO/FPO/DPO AA|AE|AP ZIP).
_MILITARY = re.compile(
    r"\b(?:(?:psc|cmr|unit)\s+\d{3,5},?\s+box\s+\d{1,5}|(?:usn[sv]|uss|uscgc)\s+\w+),?\s+"
    r"(?:apo|fpo|dpo)\s+a[aep]\s+\d{5}\b",
    re.IGNORECASE,
)
# Outside the US the number often follows the street ("Koskikatu 25",
# "Bahnhofstraße 12"): a word with a common European street suffix, then a number.
# Found from each number backwards and the suffix checked with str.endswith: one regex
# with the suffixes inside backtracks through every word and is several times slower.
_HOUSE_NUMBER = re.compile(r"\d{1,5}[^\W\d_]?\b")
_INTL_STREET_SUFFIXES = (
    "strasse", "straße", "str.", "straat", "gasse", "weg", "platz", "allee", "vej", "gade",
    "katu", "kuja", "tie", "gatan", "vägen", "veien", "laan", "utca", "ulica", "gata",
    "stræti", "stig", "tee", "tänav", "iela", "gatve", "cesta", "ulice", "útja", "körút",
    "sokak", "caddesi", "plein", "dreef", "steeg", "kade", "vei", "brekka", "ring", "damm",
    "ufer", "chaussee", "pfad",
)  # fmt: skip
# "Via dei Fiorentini 17", "ul. Północna 73": a street-type word, the name, then the
# number. Searched in the text just before a number (on lowered text), ending there.
_STREET_PREFIXES = (
    r"ul\.|ulica|calle|c/|avda\.|avenida|av\.|rue|via|viale|vicolo|corso|largo|piazza"
    r"|piazzetta|contrada|rotonda|rua|r\.|praça|travessa|alameda|estrada|rodovia|plaza|paseo"
    r"|camino|carrer|rambla|retorno|corredor|trg|boulevard|bd\.|chemin|impasse|allée|quai"
    r"|aleja|plac|strada|drumul|intrarea|str\."
)
_STREET_PREFIX_BEFORE = re.compile(
    rf"\b(?:{_STREET_PREFIXES})\s+(?P<name>[^\W\d_]+\.?(?:\s+[^\W\d_]+\.?){{0,4}}),?\s+$"
)
# Words a street's name may hold in lower case between its capitalised words.
_NAME_PARTICLES = frozenset(
    """
    de del della delle dei degli di da das do dos du des la le les los las van von der
    den y e i
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
# After "Street 12" (the number): a postal code and a town, on the same line after a
# comma or on the next ("Parktorget 35, 65314 Jönköping", "Lešovská 45\n458 36 Lázně",
# "Esmeepad 87, 3473NM, Jislum", "Rua Diogo Matos, 844\n7789-945 Abrantes").
_POSTCODE_TOWN_AFTER = re.compile(
    r"(?:[a-zA-Z]|/\d{1,4})?\.?,?[ \t]*(?:\n[ \t]*|,[ \t]*|[ \t]+)"
    r"(?:\d{4,5}|\d{2}-\d{3}|\d{3}[ \t]\d{2}|\d{4}[ \t]?[A-Z]{2}|\d{4}-\d{3})"
    r",?[ \t]+[^\W\d_]{2,}"
)
# The common international line "building number, street name, house number"
# ("5638 Aasa 43", "808 Kálmán Imre u. 12."): two numbers around one to four words. The
# street's first word is capitalised (or the whole message is lower case), and no time
# or quantity word may follow the second number ("2 Large Pizzas 3 days").
_QUANTITY_WORDS = (
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|times?|items?|pieces?|pcs"
    r"|people|persons|guests|adults|kids|children|tickets?|rooms?|nights?|seats?|pm|am|x|of"
    r"|or|and|to|percent|stars?"
)
_NUMBER_STREET_NUMBER = re.compile(
    # the street is not a function word: "3 or 4", "2 to 5" are choices and ranges
    r"(?<![\w.,/-])\d{1,6}[ \t]+(?!(?:or|and|to|of|the|a|an|in|on|at|by|for|x|out)\b)"
    r"(?P<first>[^\W\d_])[^\W\d_'’-]*\.?(?:[ \t-]+[^\W\d_]+\.?){0,4}"
    r"[ \t]+\d{1,5}[^\W\d_]?\.?"
    rf"(?!\w|[.,:/-]\d|[ \t]*(?:%|(?:{by_first_letter(_QUANTITY_WORDS)})\b))",
    re.IGNORECASE,
)
# Inside such a line, an English function word ("5 Musicians Of The 70s", "10 Albums
# Of 2019": a title) or a decade as the second number ("the 80s") says it is no address:
# street names in this form are foreign words and particles ("Via delle Coste 41").
_TITLE_OR_DECADE = re.compile(
    r"[ \t](?:of|the|for|with|from|you|your|my|our|is|are)[ \t]|\d0s\.?$", re.IGNORECASE
)
# "Estonia 62488", "Cyprus (Greek) 78891": a country name and a postal code. Found
# from the digits backwards: scanning every capitalised word first is several times
# slower on messages that hold no postal code at all.
_POSTCODE = re.compile(r"(?<![\w.,/-])\d{4,6}(?![\w/-]|[.,]\d)")
# (One to three capitalised words, written to open with the capital's class: ``re`` skips
# in C to the next capital instead of trying the pattern at every position.)
_COUNTRY_BEFORE = re.compile(
    r"([A-Z][^\W\d_]+(?:[ \t]+[A-Z][^\W\d_]+){0,2})(?:[ \t]*\([^)\n]{1,20}\))?[ \t]+$"
)
_COUNTRIES = frozenset(wordlists()["countries"]) | {
    "usa", "uk", "united states", "greenland", "greenlander", "czech republic", "czechia",
}  # fmt: skip
# "the corner of Dalbraut 99 and Frederikke Coves": an intersection names a place.
_CORNER = re.compile(
    r"\b(?:the\s+)?corner\s+of\s+[^,.;!?\n]{2,60}?\s+(?:and|&)\s+[^,;!?\n]{2,50}?"
    r"(?=[,;!?\n]|\.(?:\s|$)|\s+(?:in|for|at|on)\b|$)",
    re.IGNORECASE,
)
# A unit designator before a number ("Apt. 231", "Suite 041") is part of an address even
# on a line of its own. Searched in the lowered text just before a number, ending there.
_UNIT_BEFORE = re.compile(r"\b(?:apt|apartment|suite|ste)\.?\s*#?\s*$")
# Every match of _UNIT_BEFORE holds one of these.
_UNIT_NEEDLES = ("apt", "apartment", "suite", "ste")
# Every match of _STREET_PREFIX_BEFORE holds a street-type word and a blank after it: the
# message is searched for that pair once, and the window before each number only when it
# holds one (a gate of the words alone passed on "have", "would", "rural": a quarter of
# PII-dense messages; this one on under 1%).
_STREET_PREFIX_GATE = re.compile(rf"(?:{by_first_letter(_STREET_PREFIXES)})\s")


def find(text: str, low: str | None, number_starts: list[int]) -> list[Span]:
    """Addresses in ``text`` whose digit runs start at ``number_starts``."""
    spans: list[Span] = []
    covered = 0
    for start in number_starts:
        # Tried only where a number starts: a scan of the whole message costs
        # several times more. Above PHONE: digits in an address are house numbers.
        m = _ADDRESS.match(text, start) if start >= covered else None
        if m is not None and not placeholder_digits(text[start : start + 6].split()[0]):
            spans.append(Span("STREET_ADDRESS", m.start(), m.end(), 0.9))
            covered = m.end()
    _fragments(text, low, spans, number_starts)
    return spans


def _fragments(text: str, low: str | None, spans: list[Span], number_starts: list[int]) -> None:
    """PO boxes, military mail, unit lines and international street forms.

    Forms that end in a number (units, "Via ... 17", "Bahnhofstraße 12", postal
    codes) are looked for backwards from the message's number starts; the others are
    gated by a substring test. Scanning every message with each regex costs a
    microsecond or two apiece, and most messages contain none of these forms."""
    lowered = low if low is not None else text.lower()
    # All case-insensitive, so they run on the lowered text (see _lower_finditer).
    regexes = []
    if "box" in lowered:
        regexes.append((_PO_BOX, 0.8))
    if "po " in lowered:
        regexes.append((_MILITARY, 0.95))  # so specific that it outranks name cues
    if "corner" in lowered:
        regexes.append((_CORNER, 0.8))
    for regex, score in regexes:
        for m in lower_finditer(regex, text, low):
            spans.append(Span("STREET_ADDRESS", m.start(), m.end(), score))
    all_lower = lowered == text
    # Substring gates on the whole message: most messages hold no unit or street-type
    # word, and then no window before a number needs searching.
    # (_UNIT_NEEDLES written out: a generator over the tuple costs more than the tests.)
    units = "apt" in lowered or "apartment" in lowered or "suite" in lowered or "ste" in lowered
    prefixes = _may_hold_street_prefix(lowered, number_starts)
    for start in number_starts:
        window = max(0, start - 60)
        unit = _UNIT_BEFORE.search(lowered, max(0, start - 16), start) if units else None
        if unit is not None:
            number = _HOUSE_NUMBER.match(text, start)
            if number is not None:
                spans.append(Span("STREET_ADDRESS", unit.start(), number.end(), 0.7))
        prefix = _STREET_PREFIX_BEFORE.search(lowered, window, start) if prefixes else None
        if prefix is not None and (all_lower or _proper_name(text, *prefix.span("name"))):
            number = _HOUSE_NUMBER.match(text, start)
            if number is not None:
                spans.append(Span("STREET_ADDRESS", prefix.start(), number.end(), 0.7))
        # "Bahnhofstraße 12": the word before a number ends like a street.
        word_start = _word_before(text, start)
        if word_start is not None and (
            text[word_start:start].rstrip(" \t").lower().endswith(_INTL_STREET_SUFFIXES)
        ):
            number = _HOUSE_NUMBER.match(text, start)
            if number is not None:
                spans.append(Span("STREET_ADDRESS", word_start, number.end(), 0.7))
        if word_start is not None and (text[word_start].isupper() or all_lower):
            number = _HOUSE_NUMBER.match(text, start)
            town = _POSTCODE_TOWN_AFTER.match(text, number.end()) if number else None
            if town is not None:
                spans.append(Span("STREET_ADDRESS", word_start, town.end(), 0.75))
        street_number = _NUMBER_STREET_NUMBER.match(text, start)
        if (
            street_number is not None
            and (street_number.group("first").isupper() or all_lower)
            and not _TITLE_OR_DECADE.search(street_number.group())
        ):
            spans.append(Span("STREET_ADDRESS", street_number.start(), street_number.end(), 0.75))
        postcode = _POSTCODE.match(text, start)
        if postcode is not None and (word_start is not None or text[:start].rstrip()[-1:] == ")"):
            country = _COUNTRY_BEFORE.search(text, max(0, start - 45), start)
            if country is not None:
                words = country.group(1).lower().split()
                if any(" ".join(words[i:]) in _COUNTRIES for i in range(len(words))):
                    spans.append(Span("STREET_ADDRESS", country.start(), postcode.end(), 0.75))


def _may_hold_street_prefix(lowered: str, number_starts: list[int]) -> bool:
    """Whether a window before a number start may hold a street prefix ("via", "ul.",
    "calle"), searched only where one can stand: from 60 characters before the first
    start to the last (a prefix is followed by a blank, the street's name and a blank
    before its number). About 40% of a message's characters in the bench mixes."""
    return (
        bool(number_starts)
        and _STREET_PREFIX_GATE.search(lowered, max(0, min(number_starts) - 60), max(number_starts))
        is not None
    )


def _proper_name(text: str, start: int, end: int) -> bool:
    """Every word of ``text[start:end]`` is capitalised or a particle ("dei Fiorentini"):
    "via Southwest Airlines that leaves at 3" is a flight, not "Via Roma 3"."""
    return all(w[0].isupper() or w in _NAME_PARTICLES for w in text[start:end].split())


def _word_before(text: str, pos: int) -> int | None:
    """Start of the word (letters, optionally ending in ".") that precedes ``pos`` across
    spaces or tabs, or None. A backwards walk: a regex search over the window before
    ``pos`` would try every position in it."""
    end = pos
    while end and text[end - 1] in " \t":
        end -= 1
    if end == pos:
        return None
    start = end - 1 if end and text[end - 1] == "." else end
    while start and text[start - 1].isalpha():
        start -= 1
    if start == end or (start and text[start - 1].isdigit()):
        return None
    return start
