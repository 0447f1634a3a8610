"""Rule-based PII detection tuned for short customer-service chat messages.

``Detector`` composes the entity families, each in its own module: shape-recognised
entities (``patterns``), digit-bearing ones (``numbers``), street addresses
(``addresses``), values named by the words before them (``cues``), person names
(``persons``) and site-specific patterns (``custom``). Speed comes from doing little per
message: each family runs only when a cheap prefilter says it can match (an ``@`` for
emails, a digit for numbers, a capital letter or a cue for names), all digit-bearing
entities share ONE candidate regex whose matches are classified by digit count and check
digits, and the phone validator (libphonenumber) only sees candidates with at least 7
digits that nothing cheaper has claimed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from pipelines.pii import addresses, numbers, patterns
from pipelines.pii.cues import (
    coordinates,
    cued_identifiers,
    health,
    spaced_values,
    stated_secrets,
    usernames,
)
from pipelines.pii.custom import DEFAULT_CONFIG, CustomPattern, load_custom_patterns
from pipelines.pii.fold import fold
from pipelines.pii.matching import DIGIT, PLACEHOLDER
from pipelines.pii.name_model import WEAK_RULE_SCORE, name_model
from pipelines.pii.name_parts import complete_names
from pipelines.pii.names import gazetteer, wordlists
from pipelines.pii.persons import PersonFinder
from pipelines.pii.places import places, regions
from pipelines.pii.spans import NOT_PII, Span, resolve_overlaps
from pipelines.pii.venues import (
    BUSINESS_OR_VENUE_WORDS,
    STRONG_CUE_SCORE,
    drop_places_and_venues,
)

ENTITY_TYPES = (
    "EMAIL",
    "PHONE",
    "CREDIT_CARD",
    "US_SSN",
    "IP_ADDRESS",
    "STREET_ADDRESS",
    "PERSON",
    "DATE_OF_BIRTH",
    "BANK_ACCOUNT",
    "ROUTING_NUMBER",
    "IBAN",
    "URL",
    "HANDLE",
    "CREDENTIAL",
    "MAC_ADDRESS",
    "ID_NUMBER",
    "DEVICE_ID",
    "USERNAME",
    "GEO_COORDINATES",
    "BIRTHPLACE",
    "CRYPTO_WALLET",
    "HEALTH",
)


# Texts remembered per detector (per process): at most CACHED_TEXTS * CACHED_MAX_CHARS
# characters, about 33 MB with their spans, well inside a worker's memory budget.
CACHED_TEXTS = 32_768
CACHED_MAX_CHARS = 1_000


class Detector:
    """Finds PII spans in text. Safe to share: its only state after construction is the
    cache of results per text, which depend on the text alone."""

    def __init__(
        self, custom_patterns: Sequence[CustomPattern] = (), use_name_model: bool = True
    ) -> None:
        """``use_name_model=False`` leaves names to the rules alone (to measure the
        model's share, see bench/train_name_model.py)."""
        self.custom_patterns = tuple(custom_patterns)
        self._names = gazetteer()
        self._places = places()
        self._persons = PersonFinder(self._names, self._places)
        self._name_model = name_model() if use_name_model else None
        self._regions = regions()
        self._remembered = lru_cache(maxsize=CACHED_TEXTS)(self._detect_tuple)

    def __reduce__(self) -> tuple[type[Detector], tuple[tuple[CustomPattern, ...], bool]]:
        # A copy is built anew in the receiving process (its lists and model are loaded
        # once per process there) and starts with an empty cache: the cache wraps a bound
        # method, and a compiled class (``pipelines.pii.native``) has no ``__dict__``.
        return (Detector, (self.custom_patterns, self._name_model is not None))

    def detect(self, text: str) -> list[Span]:
        """All entities in ``text``, non-overlapping, ordered by start offset.

        Detection runs on ``fold(text)`` so Unicode look-alike separators, invisible
        characters, fullwidth forms and "%40" cannot hide a value; the spans are mapped
        back and are always offsets into ``text`` itself.

        The result depends on the text alone, so the last ``CACHED_TEXTS`` distinct
        texts of up to ``CACHED_MAX_CHARS`` characters are remembered: a day repeats its
        bot and agent templates and payload keys thousands of times. Placeholder numbers
        are not part of it (``ConversationScrubber`` numbers per conversation).
        """
        if len(text) > CACHED_MAX_CHARS:
            return list(self._detect_tuple(text))
        return list(self._remembered(text))

    def _detect_tuple(self, text: str) -> tuple[Span, ...]:
        if not text:
            return ()
        folded, index_map = fold(text)
        spans = self._detect_folded(folded)
        if index_map is None:  # same length: offsets are the same in both
            return tuple(spans)
        return tuple(
            Span(span.type, index_map[span.start], index_map[span.end - 1] + 1, span.score)
            for span in spans
        )

    def _detect_folded(self, text: str) -> list[Span]:
        """All entities in the folded ``text``, non-overlapping, ordered by start.

        A message typed in capitals ("WHY IS VASYL STILL ON MY ACCOUNT") says as little
        of its names by case as one typed in lower case, so its names are also read as
        the lower-case rules read them: the names found in its lower-cased twin
        (placeholders kept as they are) join the spans where nothing else was found.
        """
        spans = self._detect_cased(text)
        if not text.isupper() or not _SHOUTED.search(text):
            return spans
        quiet = _lower_outside_placeholders(text)
        if len(quiet) != len(text):
            return spans
        names = [
            s
            for s in self._detect_cased(quiet)
            if s.type == "PERSON"
            and not any(_overlap(s, o) for o in spans)
            and not self._shouted_place(quiet, s)
        ]
        return sorted(spans + names, key=lambda s: s.start) if names else spans

    def _shouted_place(self, quiet: str, span: Span) -> bool:
        """A name read in a lower-cased message typed in capitals that is, with a word
        beside it, a place ("san francisco", "santa clara") or a street or venue ("craig
        and center", "allison road", "albert hall"): the capitals that would have told
        the place rules so are gone."""
        name = quiet[span.start : span.end]
        before = _WORD_BEFORE.search(quiet, 0, span.start)
        after = _WORD_AFTER.match(quiet, span.end)
        word_before = before.group(1) if before else ""
        word_after = after.group(1) if after else ""
        return (
            name in _MONTH_NAMES  # "APRIL STATEMENT IS WRONG"
            or name in self._places
            or f"{word_before} {name}" in self._places
            or f"{name} {word_after}" in self._places
            or word_after in _STREET_OR_VENUE_WORDS
        )

    def _detect_cased(self, text: str) -> list[Span]:
        """All entities in the folded ``text``, non-overlapping, ordered by start.

        Every family adds candidate spans; ``resolve_overlaps`` picks among them without
        depending on the order the families ran in.
        """
        if not text:
            return []  # the text was nothing but invisible characters
        lowered = text.lower()
        # A few Unicode capitals lower to two characters: offsets into ``low`` would
        # not be offsets into ``text``.
        low: str | None = lowered if len(lowered) == len(text) else None
        first_digit = DIGIT.search(text)
        has_digit = first_digit is not None
        spans = patterns.find(text, low, has_digit)
        if first_digit is not None:
            number_spans, number_starts = numbers.find(text, low, first_digit.start())
            spans += number_spans
            spans += addresses.find(text, low, number_starts)
            spans += cued_identifiers(text)
            if text.count(".") >= 2:  # two decimal numbers
                spans += coordinates(text)
        if "name" in text or "handle" in text or "tag" in text or "login" in text:
            spans += usernames(text)
        lowered = low if low is not None else text.lower()
        spans += stated_secrets(text, lowered)
        if _typed_apart(text):
            spans += spaced_values(text, self._names)
        if len(lowered) == len(text):  # same offsets
            spans += health(lowered)
        spans += self._persons.find(text, low)
        for pattern in self.custom_patterns:
            for m in pattern.finditer(text, lowered):
                spans.append(Span(pattern.name, m.start(), m.end(), pattern.score))
        spans = outside_placeholders(text, spans)
        resolved = resolve_overlaps(_trim_names(text, _streets_not_names(spans)))
        # Names no rule decided: the statistical model scores the words left over.
        reviewed = resolved
        if self._name_model is not None:
            reviewed = self._name_model.review(text, resolved, self._names)
        model_changed, resolved = reviewed is not resolved, reviewed
        # A name of the weaker rules the model kept was under review, not read as found:
        # scrubbed, it is a placeholder beside the words it judged ("born OmhhEEé REx": a
        # second scrub read "OmhhEEé <PERSON_1>"), so the model looks again.
        model_changed = model_changed or (
            self._name_model is not None
            and any(s.type == "PERSON" and s.score <= WEAK_RULE_SCORE for s in resolved)
        )
        if any(span.type == "PERSON" for span in resolved):
            resolved = drop_places_and_venues(
                text, resolved, self._places, self._regions, self._names.listed
            )
            resolved = _address_towns(text, resolved)
        if any(span.type == "PERSON" for span in resolved):
            found = resolved
            resolved = self._persons.repeated(text, resolved)
            if self._name_model is not None and (model_changed or resolved is not found):
                settled = self._settle_names(text, resolved)
                if settled is not resolved:
                    # what the model adds on a second look is read like its first
                    # finds: not a place or a venue ("near Halton Hills"); the spans
                    # found before stand as they are
                    found_before = set(resolved)
                    kept = set(
                        drop_places_and_venues(
                            text, settled, self._places, self._regions, self._names.listed
                        )
                    )
                    settled = [s for s in settled if s in found_before or s in kept]
                resolved = settled
        if "," in text and any(span.type == "PERSON" for span in resolved):
            resolved = self._persons.surnames_before_commas(text, resolved)
            resolved = self._persons.given_after_surname_commas(text, resolved)
        if any(span.type == "PERSON" for span in resolved):
            # the first and last names left beside a name found in part
            # lower-case names also in mixed text ("this is kristen <cruz hernandez>
            # calling about order #A248")
            resolved = self._persons.given_before_surnames(text, resolved)
            if low != text:
                resolved = self._persons.given_before_capitalised_surnames(text, resolved)
            resolved = self._persons.short_surnames_after(text, resolved)
            if " and " in text or "&" in text:
                resolved = self._persons.names_beside_names(text, resolved)
        if has_digit and len(resolved) > 0:
            resolved = _contact_phones(text, resolved)
        completed = complete_names(text, resolved, self._names)
        if completed is not resolved and self._name_model is not None:
            # A joined name is one placeholder once scrubbed: the model looks again at
            # the words beside it as a second scrub would see them ("Mark Davis AaB Mark
            # Davis": the middle "Mark" sits between two names, not three).
            completed = complete_names(text, self._settle_names(text, completed), self._names)
        resolved = completed
        if has_digit and len(resolved) > 0:
            # last: the reach is measured over the final spans, as a scrub will write them
            resolved = numbers.births_in_scrubbed_reach(text, low, resolved)
        return [span for span in resolved if span.type != NOT_PII]

    def _settle_names(self, text: str, spans: list[Span]) -> list[Span]:
        """The model judged each word beside the names found before it; names found
        since (by the model itself, or other mentions of a name) change what stands next
        to a word, as a scrub's placeholders would. It looks again, every span read as
        found, until it adds nothing (a few rounds at most): scrubbing the result again
        must find nothing new ("Mark Davis Mark Davis")."""
        assert self._name_model is not None
        for _ in range(_SETTLE_ROUNDS):
            settled = self._name_model.review(text, spans, self._names, veto=False)
            if settled is spans:
                break
            spans = settled
        return spans


# Rounds of a second look by the name model: each adds names only, so it ends quickly.
_SETTLE_ROUNDS = 4


def _trim_names(text: str, spans: list[Span]) -> list[Span]:
    """A name that runs into a surer entity ends where it starts: "my name is AA
    ORD-12345678" keeps "AA" as the person rather than losing it to the order id."""
    others = [o for o in spans if o.type != "PERSON"]
    if len(others) == len(spans):
        return spans
    trimmed = []
    for span in spans:
        if span.type == "PERSON":
            cut = span.end
            for o in others:
                if o.score > span.score and span.start < o.start < cut:
                    cut = o.start
            end = cut  # without the separators before the cut
            while end and text[end - 1] in " \t,;:-":
                end -= 1
            if end <= span.start:
                continue
            span = Span(span.type, span.start, end, span.score) if end != span.end else span
        trimmed.append(span)
    return trimmed


# Between a street line and the next part of the address: separators, or the house
# number the street rule left out ("Rue de Piétrain 371, Noorderwijk").
_ADDRESS_GAP = re.compile(r"[\s,/]{1,8}|[ \t]+\d{1,5}[a-zA-Z]?,?[ \t]+")
# After a town: the end of the line or the message (a full stop allowed), a comma, or a
# postal code.
_TOWN_END = re.compile(r"[ \t]*(?:\.?[ \t]*(?:$|\n)|[,/]|\d)")
# A line of capitalised words (and particles, list marks): a town's line in an address
# block ("West Brook", "??? Colle Di Tora").
# Possessive runs: with plain ones a long capitalised run ("AAAA…!") could be split into
# words every way before failing, exponential in its length (24 letters took 2 s).
_TOWN_LINE = re.compile(
    r"[^\w\n]*+(?:(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*+|de|del|della|di|da|do|dos|la|le|los|las|van|von)"
    r"[ \t]*+,?+[ \t]*+)+[.,]?[ \t]*"
)


def _address_towns(text: str, spans: list[Span]) -> list[Span]:
    """A guessed name right after a street line, on its own line or after a comma and
    ending there, is the address's town ("... Suite 762\nTorroella de Montgrí\nSpain").
    It stays scrubbed, as part of the address."""
    out = list(spans)
    for i in range(1, len(out)):
        span, previous = out[i], out[i - 1]
        if (
            span.type == "PERSON"
            and span.score < STRONG_CUE_SCORE
            and previous.type == "STREET_ADDRESS"
            and (
                (
                    _ADDRESS_GAP.fullmatch(text, previous.end, span.start)
                    and _TOWN_END.match(text, span.end)
                )
                or _town_line_below(text, span, previous)
            )
        ):
            out[i] = Span("STREET_ADDRESS", span.start, span.end, previous.score)
    return out


def _town_line_below(text: str, span: Span, previous: Span) -> bool:
    """``span`` stands on a line of capitalised words right below the line where the
    address ``previous`` ends ("Suite 240\n West Brook", "Apt. 322\n??? Colle Di Tora")."""
    line_start = text.rfind("\n", 0, span.start) + 1
    if not line_start or text.rfind("\n", 0, line_start - 1) >= previous.end:
        return False  # no line above, or the address is not on the line just above
    if text.find("\n", previous.end, line_start - 1) != -1:
        return False
    line_end = text.find("\n", span.end)
    return (
        _TOWN_LINE.fullmatch(text, line_start, len(text) if line_end < 0 else line_end) is not None
    )


# Three one- or two-character fragments in a row: a value may be typed apart.
_TYPED_APART_AT = r"(?:\S{1,2} \S{1,2} \S{1,2}(?!\S)|[A-Z][a-z]{0,2} [a-z]{2,4}\b)"
_TYPED_APART_START = re.compile(_TYPED_APART_AT)
# The same after a whitespace character. A pattern that opens with a lookbehind
# ("(?<!\S)") makes ``re`` try every position; one that opens with a character class
# lets it skip to the next whitespace character: half the time per message.
_TYPED_APART_AFTER_SPACE = re.compile(r"\s" + _TYPED_APART_AT)


def _typed_apart(text: str) -> bool:
    """Whether fragments typed apart start the text or follow a whitespace character."""
    return (
        _TYPED_APART_START.match(text) is not None
        or _TYPED_APART_AFTER_SPACE.search(text) is not None
    )


# A bare run of 10 digits (11 with a leading 1) right after a name, an address or an
# email, on the same line after a comma or on the next line, and ending its line or
# clause: the phone of a contact block ("contact: Dawn Allen, 3408 ... OH 86358,
# 1633766134", "Regards,\nRose Lee\n1361023662"), whatever its area code.
_CONTACT_PHONE = re.compile(
    r"(?:[ \t]*[,;|][ \t]*|[ \t]*\n[ \t]*)(1?\d{10})(?![\w-]|\.\w)(?=[ \t]*(?:$|[\n,;|.!)]))"
)
_CONTACT_ANCHORS = frozenset({"PERSON", "STREET_ADDRESS", "EMAIL"})


def _contact_phones(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` and the phones of contact blocks (see ``_CONTACT_PHONE``) not yet
    found. Hand-written: no library reads a contact block."""
    added = []
    for i, span in enumerate(spans):
        if span.type not in _CONTACT_ANCHORS:
            continue
        m = _CONTACT_PHONE.match(text, span.end)
        if m is None or (len(m.group(1)) == 11 and m.group(1)[0] != "1"):
            continue
        nxt = spans[i + 1].start if i + 1 < len(spans) else len(text)
        if m.end(1) <= nxt:
            added.append(Span("PHONE", m.start(1), m.end(1), 0.75))
    if not added:
        return spans
    return sorted([*spans, *added], key=lambda s: s.start)


def _streets_not_names(spans: list[Span]) -> list[Span]:
    """A name inside a street address is the street's name ("plaza de vicente lopez
    665", "12 Benjamin Lane"): only a name after a strong cue stands against it. Only
    an address that holds against the other values counts: one that loses to a card
    number inside it ("2 Mark Davis 4111 1111 1111 1111") is no street, and its name
    stays a name, unless it reaches into an address that holds ("4111 1111 1111 1111
    Anna Müllerstraße 12": "Anna Müllerstraße" would beat "Müllerstraße 12"). Losing to
    another reading of the address ("C/ Señores Curas 88" and "88 street in") does not
    count."""
    streets = [s for s in spans if s.type == "STREET_ADDRESS"]
    if not streets:
        return spans
    values = [
        s
        for s in resolve_overlaps([s for s in spans if s.type != "PERSON"])
        if s.type != "STREET_ADDRESS"
    ]
    holding = [s for s in streets if not any(_overlap(s, v) for v in values)]

    def street_name(span: Span) -> bool:
        inside = [s for s in streets if s.start <= span.start and span.end <= s.end]
        return any(s in holding for s in inside) or (
            bool(inside) and any(_overlap(span, s) for s in holding)
        )

    return [
        span
        for span in spans
        if span.type != "PERSON" or span.score >= STRONG_CUE_SCORE or not street_name(span)
    ]


# Three capitals in a row, outside a placeholder's name: a word typed in capitals, not
# an acronym alone ("OK", "ID") or a message that is only placeholders.
_SHOUTED = re.compile(r"(?<![<_A-Z])[A-Z]{3}(?![A-Z]*_\d+>)")


# Every month: in a message typed in capitals "APRIL" or "MAY" is read as a name.
_MONTH_NAMES = frozenset(
    (
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december",
    )
)  # fmt: skip
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+\Z")
_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_]+)")
# After a name, a word that makes it a street's or a venue's ("and": a corner).
_STREET_OR_VENUE_WORDS = (
    frozenset(wordlists()["usps_street_suffixes"])
    | frozenset(addresses.TYPED_SUFFIXES)
    | BUSINESS_OR_VENUE_WORDS
    | {"and", "&"}
)


def _lower_outside_placeholders(text: str) -> str:
    """``text`` in lower case but for our placeholders, which must stay as they are."""
    if "<" not in text:
        return text.lower()
    parts, last = [], 0
    for m in PLACEHOLDER.finditer(text):
        parts += [text[last : m.start()].lower(), m.group()]
        last = m.end()
    parts.append(text[last:].lower())
    return "".join(parts)


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


# Our own placeholders ("<PERSON_1>") are never a value: text scrubbed once stays as it is.


def outside_placeholders(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` that do not touch one of our placeholders (the detector's output, and
    the conversation's answers: "<DATE_OF_BIRTH_1>" given as a date of birth on a second
    scrub holds the digit 1)."""
    if "<" not in text or not spans:
        return spans
    placeholders = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
    if not placeholders:
        return spans
    return [s for s in spans if all(s.end <= a or s.start >= b for a, b in placeholders)]


@lru_cache(maxsize=8)
def default_detector(patterns: Path | None = None) -> Detector:
    """The detector with the custom patterns in ``patterns`` (a YAML file, see
    ``custom``), else the packaged ``patterns.yaml`` (ORDER_ID). Cached per path, so
    worker processes build each one once."""
    return Detector(load_custom_patterns(patterns or DEFAULT_CONFIG))


def detect(text: str) -> list[Span]:
    """Detect PII in ``text`` with the default detector."""
    return default_detector().detect(text)
