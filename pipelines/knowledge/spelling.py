"""The British -> US spelling list behind the rule ``spelling.british``.

Three layers, so the source of every entry is known:

1. **breame** (PyPI, Apache-2.0): 1,730 British -> American spelling pairs (colour,
   organise, centre, licence, programme, travelling, catalogue, ageing, enrol...).
   It is the list UK government tooling (i.AI's ``uwotm8``) builds on.
2. **Derived -ise forms** breame lacks (authorisation, pixelised...): a token ending in
   -ise/-ised/-ises/-ising/-isation(s)/-iser(s) is British when the -ize verb of its
   stem is a common English word (wordfreq Zipf >= 2.5). The frequency test keeps
   advertise, exercise, surprise, compromise... (their -ize forms are not words).
3. **Additions and exclusions** below, each with the reason: forms breame misses
   (cheque, enquiry, e-mail, per cent...) and breame entries that are standard US
   English or wrong as US advice (dialogue, disc, cancellation -> "cancelation"...).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

ADDITIONS: dict[str, str] = {
    "cheque": "check",
    "cheques": "checks",
    "enquiry": "inquiry",
    "enquiries": "inquiries",
    "enquire": "inquire",
    "enquired": "inquired",
    "enquiring": "inquiring",
    "enrolment": "enrollment",
    "enrolments": "enrollments",
    "storey": "story",
    "storeys": "stories",
    "kerb": "curb",
    "kerbs": "curbs",
    "acknowledgement": "acknowledgment",
    "acknowledgements": "acknowledgments",
    "learnt": "learned",
    "spelt": "spelled",
    "dreamt": "dreamed",
    "fuelled": "fueled",
    "fuelling": "fueling",
    "pummelled": "pummeled",  # breame maps it to "pummel"
    "pummelling": "pummeling",
    "per cent": "percent",
    "e-mail": "email",
    "e-mails": "emails",
    "e-mailed": "emailed",
    "dialogue box": "dialog box",
    "hard disc": "hard disk",
}

EXCLUSIONS: dict[str, str] = {
    # Standard US spellings too (Merriam-Webster main entry or AP usage).
    "dialogue": "US English writes dialogue (dialog only for a dialog box)",
    "dialogues": "as dialogue",
    "prologue": "standard US spelling",
    "prologues": "standard US spelling",
    "epilogue": "standard US spelling",
    "epilogues": "standard US spelling",
    "monologue": "standard US spelling",
    "monologues": "standard US spelling",
    "travelogue": "standard US spelling",
    "travelogues": "standard US spelling",
    "aesthetic": "standard US spelling",
    "aesthetics": "standard US spelling",
    "aesthetically": "standard US spelling",
    "aesthete": "standard US spelling",
    "aesthetes": "standard US spelling",
    "archaeology": "standard US spelling",
    "archaeological": "standard US spelling",
    "archaeologically": "standard US spelling",
    "archaeologist": "standard US spelling",
    "archaeologists": "standard US spelling",
    "glamour": "standard US spelling",
    "disc": "US English writes disc for optical discs and disc golf",
    "discs": "as disc",
    "videodisc": "as disc",
    "videodiscs": "as disc",
    "axe": "Merriam-Webster: ax or axe",
    "battleaxe": "as axe",
    "likeable": "Merriam-Webster: likable or likeable",
    "bingeing": "Merriam-Webster: bingeing or binging",
    "worshipped": "worshipped is the common US form",
    "worshipping": "as worshipped",
    "worshipper": "as worshipped",
    "woolly": "woolly is the common US form",
    "exorcise": "exorcise is the US form",
    "sheikh": "a transliteration, not a spelling variant",
    "coloureds": "an offensive term, not a spelling variant",
    # Wrong as US advice: breame maps these to forms US style guides reject.
    "cancellation": "US English writes cancellation",
    "cancellations": "US English writes cancellations",
    "buses": "US English writes buses",
    "busing": "US English writes busing",
    "minibuses": "US English writes minibuses",
    "gases": "US English writes gases",
    "gauge": "US English writes gauge",
    "gauged": "as gauge",
    "gauges": "as gauge",
    "gauging": "as gauge",
    "fillet": "US English writes fillet (filet only in cooking names)",
    "filleted": "as fillet",
    "filleting": "as fillet",
    "fillets": "as fillet",
    "tranquilly": "breame maps it to a noun",
    "philtre": "breame maps it to filter, another word",
    "philtres": "as philtre",
    "prise": "British 'prise open' is US 'pry', not 'prize'",
}

DERIVED_SUFFIXES = re.compile(
    r"^(?P<stem>[a-z]{3,})is(?P<suffix>e|ed|es|ing|ation|ations|er|ers|able)$"
)
DERIVED_MIN_ZIPF = 2.5


@cache
def british_spellings() -> dict[str, str]:
    """Every listed British form (lowercase) -> its US form; phrases contain spaces."""
    words = {**BRITISH_ENGLISH_SPELLINGS, **ADDITIONS}
    for word in EXCLUSIONS:
        words.pop(word, None)
    return words


@lru_cache(maxsize=65536)
def derived_us_spelling(word: str) -> str | None:
    """The -ize form of a British -ise word breame does not list, or None."""
    # Deferred: wordfreq's import walks its caller's stack (pipelines/defs/preload.py).
    from wordfreq import zipf_frequency

    match = DERIVED_SUFFIXES.match(word)
    if match is None or word in EXCLUSIONS:
        return None
    stem = match["stem"]
    if zipf_frequency(f"{stem}ize", "en") < DERIVED_MIN_ZIPF:
        return None
    return f"{stem}iz{match['suffix']}"
