"""Person names: after cues, in the slots names fill, as capitalised runs holding known
or non-English names, in lists and pairs, and typed in lower case; once found, a name's
other mentions in the message. The cue vocabulary is in ``person_cues``, the name lists
in ``names``."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from pipelines.pii.matching import PLACEHOLDER, before, by_first_letter, line_starts, lower_finditer
from pipelines.pii.name_contexts import FIELD_LABELS, SHORTHAND, context_names
from pipelines.pii.names import GIVEN_PLACE_WORDS, RARE_WORD_RANK, STOPWORDS, Gazetteer
from pipelines.pii.person_cues import (
    ACKNOWLEDGEMENTS,
    ADDRESSING,
    BUSINESS_WORDS,
    CAP_RUN,
    EMPLOYER_BEFORE,
    FAMILY_NAME,
    GIVEN_TO_PERSON,
    HELD_UNDER,
    HERE_INTRO,
    HERE_START,
    INITIAL,
    INTRODUCTIONS,
    KIN_CUE,
    KIN_POSSESSIVE,
    LINE_START_FOLLOW,
    LOCATION_BEFORE,
    LOWER_INITIAL_NAME,
    LOWER_NAME_LIST,
    LOWER_SURNAME,
    NAME_BEFORE_ADDRESS,
    NAME_LIST,
    NAME_TOKEN,
    NAMED_AS,
    NAMED_PEOPLE,
    ORGANISATION_AFTER,
    ORGANISATION_BEFORE,
    PAIRED_FULL_NAME,
    PAIRED_NAME,
    PEOPLE_NOUNS,
    PERSON_CUE,
    PERSON_NOUN,
    PERSONAL_POSSESSIVE,
    PLACE_WORDS,
    POSSESSED_THING,
    QUESTION_AFTER,
    QUESTION_BEFORE,
    RELATIVE_OF_NAME,
    SUBJECT_FOLLOW,
    SURNAME_FIRST_GIVEN,
    SURNAME_FIRST_PLACE_WORDS,
    SURNAME_PLACE_WORDS,
    TITLE,
    TITLE_WORD,
    VOCATIVE_END,
    WORD,
    WORKPLACE_SAID,
    cue_kind,
    lower_case_person_noun,
)
from pipelines.pii.spans import NOT_PII, Span, SpanCover, resolve_overlaps

# Words that join a surname's parts ("DE LA GARZA", "VAN DER BERG"): frequent words
# that are not the name's end (name_parts._PARTICLE spells the same set as a regex).
_SURNAME_PARTICLES = frozenset(
    """de la los van della dela del das da dos do di du von der den ter lo le bin ibn
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)

_AUXILIARIES = frozenset(
    ["is", "was", "does", "did", "has", "had", "will", "would", "can", "could"]
)
# A list of surnames in a firm's slot: surer than a weak cue's guess at one of them.
FIRM_SCORE = 0.8


# A capital letter and the rest of its word, when the rest holds no digit.
_CAPITAL_TO_WORD_END = re.compile(r"[A-Z][^\s\d]*(?!\S)")
# "I", "I'm", "I'll": capitalised by a typist who types everything else in lower case.
_PRONOUN_I = re.compile(r"I(?:['’][a-z]+)?[,.!?]?")


def _typed_in_lower_case(text: str) -> bool:
    """No word of ``text`` has a capital letter but codes (a word with a digit: a plate,
    an order number) and "I". Most messages are decided at their first capital. Our
    placeholders count as capitalised words: the name they replaced was one, and a
    second scrub must read the message as the first did ("jane doe Mark Davis")."""
    if "<" in text and PLACEHOLDER.search(text) is not None:
        return False
    for m in _CAPITAL_TO_WORD_END.finditer(text):
        start = m.start()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        head = text[start : m.start()]
        if any(c.isdigit() for c in head):
            continue  # a code: "6BYT", "W780..." end in digits, "48MB" starts with them
        if head or not _PRONOUN_I.fullmatch(m.group()):
            return False
    return True


# A surname after a first name no list holds ranks at least this far down the English
# words: "gupta" (18,326), "maldonado" (38,953); not "holder" (5,049) or "burger".
_RARE_FIRST_SURNAME_RANK = 10_000

# Longest run of capitalised words whose words beside a name found in it are read again
# as runs of their own (``PersonFinder._rest_of_run``): enough for a name and the words
# typed around it, short enough that the re-reading stays a few calls deep.
_REREAD_WORDS = 8


class PersonFinder:
    """Finds PERSON spans with one gazetteer. Stateless after construction."""

    def __init__(self, names: Gazetteer, places: frozenset[str] = frozenset()) -> None:
        self._names = names
        # Place names (GeoNames): a first name that is a word and a town ("Hope",
        # "Denver") is not taken alone from a slot ("how is Denver doing?").
        self._places = places

    def find(self, text: str, low: str | None) -> list[Span]:
        """PERSON spans in ``text`` (``low``: its lower-cased twin or None), overlapping."""
        spans: list[Span] = []
        self._persons(text, low, spans)
        return spans

    def repeated(self, text: str, spans: list[Span]) -> list[Span]:
        """Once a name is found, its other mentions in the message are the same person
        ("... sung by Bonifacy Kaczmarek ... Kaczmarek's song"), even where no cue or
        list would find them alone."""
        names = self._names
        parts = {
            word
            for span in spans
            if span.type == "PERSON"
            for word in WORD.findall(text[span.start : span.end])
            if len(word) > 2
            and word.lower() not in names.common_words
            and word.lower() not in STOPWORDS
        }
        # A surname that is also a word ("Brad L Key ... starring Key") counts too, but
        # only where it stands capitalised inside a sentence.
        word_surnames = set()
        for span in spans:
            if span.type == "PERSON":
                words = WORD.findall(text[span.start : span.end])
                if (
                    len(words) > 1
                    and len(words[-1]) > 2
                    and words[-1][0].isupper()
                    and not words[-1].isupper()
                    and words[-1] not in parts
                    and words[-1].lower() not in STOPWORDS
                ):
                    word_surnames.add(words[-1])
        extra = []
        for span in spans:
            if span.type != "PERSON":
                continue
            # "Gladys and Logan", "said Gladys to Logan": the other side of a pair.
            after = PAIRED_NAME.match(text, span.end)
            if after is not None and names.is_name_like(after.group(1)):
                extra.append(Span("PERSON", after.start(1), after.end(1), 0.6))
            # "Daniela Quintero and Ji-hoon Park": a full name beside a full name
            pair = PAIRED_FULL_NAME.match(text, span.end)
            if (
                pair is not None
                and " " in text[span.start : span.end].strip()
                and _paired_full_name(pair.group(1), pair.group(2), names)
            ):
                extra.append(Span("PERSON", pair.start(1), pair.end(2), 0.6))
            # "Mark Davis's wife Ruby": a relative's name, as after "my wife"
            relative = RELATIVE_OF_NAME.match(text, span.end)
            if relative is not None:
                word = relative.group(1)
                if word.lower() not in STOPWORDS and (
                    names.is_name_like(word) or word.lower() in names.given_names
                ):
                    extra.append(Span("PERSON", relative.start(1), relative.end(1), 0.6))
        # A part found once in the text is only its own occurrence: no other mention.
        parts = {part for part in parts if text.count(part) > 1}
        word_surnames = {part for part in word_surnames if text.count(part) > 1}
        if not parts and not extra and not word_surnames:
            return spans
        found = SpanCover(spans)
        # Every other mention must stand inside a sentence: one left out would be read
        # differently once the others are scrubbed (scrubbing twice must change nothing).
        word_surnames = {
            part
            for part in word_surnames
            if all(
                _inside_sentence(text, m.start()) or found.covers(m.start())
                for m in WORD.finditer(text)
                if m.group() == part
            )
        }
        if word_surnames:
            extra += [
                Span("PERSON", m.start(), m.end(), 0.6)
                for m in WORD.finditer(text)
                if m.group() in word_surnames
                and _inside_sentence(text, m.start())
                and not found.overlaps(m.start(), m.end())
            ]
        if parts:
            extra += [
                Span("PERSON", m.start(), m.end(), 0.6)
                for m in WORD.finditer(text)
                if m.group() in parts
                and (not m.start() or text[m.start() - 1] not in "'’")
                and not found.overlaps(m.start(), m.end())
            ]
        return resolve_overlaps(spans + extra) if extra else spans

    def surnames_before_commas(self, text: str, spans: list[Span]) -> list[Span]:
        """ "O'Neil, Joanna", "Sanchez-Brown, Jonathan": a listed or compound surname
        opening a line before a comma and the first name found after it."""
        names = self._names
        added = []
        for span in spans:
            if span.type != "PERSON":
                continue
            m = _SURNAME_COMMA.search(text, max(0, span.start - 40), span.start)
            lower = m is None
            if lower:
                m = self._lower_surname_comma(text, span)
            if m is None:
                continue
            low = m.group(1).lower()
            # in lower case after "name", "insured", a colon: a place's name too
            slot = lower and _INVERTED_LOWER_SLOT.search(text, max(0, m.start(1) - 30), m.start(1))
            if not (
                _compound_surname(low, names)
                or (
                    (
                        low in names.common_surnames
                        or low in names.last_names
                        or (lower and names.is_surname(low))
                    )
                    and low not in names.common_words
                    and (slot or low not in self._places)  # "Washington, Maria ..."
                )
            ):
                continue
            if not any(o.start < m.end(1) and m.start(1) < o.end for o in spans):
                added.append(Span("PERSON", m.start(1), m.end(1), span.score))
        return resolve_overlaps(spans + added) if added else spans

    def _lower_surname_comma(self, text: str, span: Span) -> re.Match[str] | None:
        """In lower case, "patient name nelson, <ethan>", "reynolds, <robert>": a listed
        surname right before a comma and a first name found after it (a frequent word
        only where a name is written last name first: a line's start, a colon, "name",
        "insured", "as", "says")."""
        given = text[span.start : span.end]
        if not given.islower() or given.split()[0] not in self._names.first_names:
            return None
        m = _LOWER_SURNAME_COMMA.search(text, max(0, span.start - 40), span.start)
        if m is None or m.group(1) in STOPWORDS:
            return None
        if m.group(1) in self._names.frequent_words and not _INVERTED_LOWER_SLOT.search(
            text, max(0, m.start(1) - 30), m.start(1)
        ):
            return None
        return m

    def given_after_surname_commas(self, text: str, spans: list[Span]) -> list[Span]:
        """ "the name on the lease is Kim, Jia", "the order is under hoang, duc": a name
        written last name first, its surname found after a cue that states a name (or
        "as", a colon), takes the given name after the comma that no rule found: one word
        that is a listed name or no common English word, closing the phrase."""
        names = self._names
        added = []
        for span in spans:
            if span.type != "PERSON" or not text.startswith(",", span.end):
                continue
            surname = text[span.start : span.end].lower()
            if not _NAME_WORD.fullmatch(surname) or not (
                names.is_surname(surname)
                or _compound_surname(surname, names)
                or surname not in names.english_words
            ):
                continue
            before = text[max(0, span.start - 60) : span.start]
            if NAME_IS_CUE.search(before) is None and _INVERTED_SLOT.search(before) is None:
                continue
            m = _GIVEN_AFTER_COMMA.match(text, span.end)
            if m is None or any(o.start < m.end(1) and m.start(1) < o.end for o in spans):
                continue
            low = m.group(1).lower()
            listed = low in names.first_names or low in names.named_words
            if low in self._places or (surname in self._places and not listed):
                continue  # "Paris, Texas"; a place before a first name is a surname ("Kim, Jia")
            if low in names.common_words or not (
                listed or low in names.last_names or low not in names.english_words
            ):
                continue
            rest = text[m.end(1) : m.end(1) + 2].lstrip(" \t")
            if rest[:1] not in _GIVEN_CLOSERS and not (
                # a word in no list only where punctuation closes it ("under Garcia,
                # Venmo also charged me" is a firm)
                listed and _next_word_common(text, m.end(1), names)
            ):
                continue
            added.append(Span("PERSON", m.start(1), m.end(1), span.score))
        return resolve_overlaps(spans + added) if added else spans

    def names_beside_names(self, text: str, spans: list[Span]) -> list[Span]:
        """A capitalised name of the US lists joined by "and" or "&" to a name found:
        "06/08/1985 Sanders and <Poppy>" (security answers: a mother's maiden name and
        a pet's), "<Tom> and Jones will both sign". Not a common English word ("Hope
        and ..."), a place or firm word, a month, nor a sentence's opening word; not
        before "'s" ("Ben and Jerry's"); not after a location word."""
        added: list[Span] = []
        found = SpanCover(spans)
        for span in spans:
            if span.type != "PERSON":
                continue
            m = _NAME_AND.search(text, max(0, span.start - 30), span.start)
            if (
                m is not None
                and m.end() == span.start
                and self._joined_name(text, m.start(1), m.start(1), m.group(1))
                and not found.covers(m.start(1))
            ):
                added.append(Span("PERSON", m.start(1), m.end(1), 0.6))
            m = _AND_NAME.match(text, span.end)
            if (
                m is not None
                and not _POSSESSIVE_AT.match(text, m.end(1))
                and self._joined_name(text, span.start, m.start(1), m.group(1))
                and not found.covers(m.start(1))
            ):
                added.append(Span("PERSON", m.start(1), m.end(1), 0.6))
        return resolve_overlaps(spans + added) if added else spans

    def _joined_name(self, text: str, pair_start: int, start: int, word: str) -> bool:
        """``word`` at ``start``, joined to a found name in a pair that opens at
        ``pair_start``, is a name too (``names_beside_names``). Not after a location
        word: "at Forbes and Murray" is a crossing of two streets."""
        names = self._names
        low = word.lower()
        # (``common_surnames`` holds the US surnames, ``given_names`` the US first names)
        listed = low in names.common_surnames or low in names.given_names
        opening = text[max(0, start - 20) : start].rstrip(" \t")
        return (
            listed
            and low not in names.common_words
            and low not in STOPWORDS
            and low not in PLACE_WORDS
            and low not in _FIRM_GIVEN
            and low not in _MONTHS
            and bool(opening)
            and opening[-1] not in '.!?:;\n"“(-'
            and not LOCATION_BEFORE.search(text, max(0, pair_start - 20), pair_start)
        )

    def given_before_surnames(self, text: str, spans: list[Span]) -> list[Span]:
        """A lower-case name found from its surname alone takes the first name typed
        before it ("booked by sky <gonzalez>", "ship to hope <flores>"): a lower-case word
        the first-name lists hold, right before, not after a pronoun ("i hope smith ...")."""
        return self._first_names_before(text, spans, lower=True)

    def given_before_capitalised_surnames(self, text: str, spans: list[Span]) -> list[Span]:
        """A surname found alone takes the capitalised first name right before it that
        the rules left because it is also a word ("Will <Johnson> will pick it up",
        "Honey <Baker> left a voicemail"): a US given name, not a month."""
        return self._first_names_before(text, spans, lower=False)

    def short_surnames_after(self, text: str, spans: list[Span]) -> list[Span]:
        """A first name found alone takes the surname right after it, in its case, closing
        the phrase: a two-letter Census surname ("this is hao <wu>", "trang <vo> here",
        "Minh Ho"; "kevin do it" has no such surname) or, in lower case, a listed surname
        that is no frequent word after a listed first name ("my father bryan <hong> who
        is")."""
        names = self._names
        out = spans
        for i, span in enumerate(spans):
            if span.type != "PERSON":
                continue
            value = text[span.start : span.end]
            if " " in value or not value.isalpha():
                continue
            m = _WORD_AFTER_NAME.match(text, span.end)
            if m is None or (i + 1 < len(spans) and spans[i + 1].start < m.end(1)):
                continue
            word = m.group(1)
            low = word.lower()
            cased = word.islower() if value.islower() else word[0].isupper()
            closes = _name_phrase_ends(text, m.end(1)) or (
                _next_word(text, m.end(1)).lower() in _SURNAME_CLOSERS
            )
            if not cased or not closes:
                continue
            if len(low) == 2:
                if low not in names.short_surnames:
                    continue
            elif not (
                # "my father bryan <hong> who is", in lower case: a listed surname that
                # is no frequent English word, after a listed first name
                value.islower()
                and value.lower() in names.first_names
                and names.is_surname(low)
                and low not in names.frequent_words
                and low not in names.common_words
            ):
                continue
            if out is spans:
                out = list(spans)
            out[i] = Span("PERSON", span.start, m.end(1), span.score)
        return out

    def _first_names_before(self, text: str, spans: list[Span], lower: bool) -> list[Span]:
        out = spans
        for i, span in enumerate(spans):
            if span.type != "PERSON" or span.start < 3 or text[span.start - 1] != " ":
                continue
            value = text[span.start : span.end]
            previous_end = spans[i - 1].end if i else 0
            if lower:
                start = self._lower_first_name(text, span.start, value, previous_end)
            else:
                start = self._capitalised_first_name(text, span, value, previous_end)
            if start is None:
                continue
            if out is spans:
                out = list(spans)
            out[i] = Span("PERSON", start, span.end, span.score)
        return out

    def _lower_first_name(self, text: str, pos: int, value: str, previous_end: int) -> int | None:
        if not value.islower():
            return None
        m = _WORD_BEFORE.search(text, max(0, pos - 40), pos)
        if m is None or previous_end > m.start(2):
            return None
        names = self._names
        word = m.group(2)
        if (
            (word not in names.given_names and word not in names.first_names)
            or word in STOPWORDS
            or word in _MONTHS
            or (m.group(1) or "").lower() in _PRONOUNS
            # "the dog walker fritznel": the person's noun, which the name follows
            or _PERSON_NOUN_WORD.fullmatch(word) is not None
            # "hope", "bill", "mark": a word, unless a preposition puts it in a slot
            or (word in names.common_words and (m.group(1) or "").lower() not in _NAME_SLOT_BEFORE)
        ):
            return None
        return m.start(2)

    def _capitalised_first_name(
        self, text: str, span: Span, value: str, previous_end: int
    ) -> int | None:
        if not value[:1].isupper() or " " in value:
            return None
        if _next_word(text, span.end)[:1].isupper():
            return None  # inside a longer capitalised run, which other rules join whole
        m = _CAPITALISED_BEFORE.search(text, max(0, span.start - 20), span.start)
        if m is None or previous_end > m.start(1):
            return None
        names = self._names
        word = m.group(1).lower()
        if (
            word in _MONTHS
            or word in _FIRM_GIVEN
            or not (word in names.given_names or word in names.word_given_names)
        ):
            return None
        if word in STOPWORDS and not _subject_follows(text, span.end):
            return None  # "Will Okafor call me back?": the auxiliary of a question
        return m.start(1)

    def _persons(self, text: str, low: str | None, spans: list[Span]) -> None:
        relations: list[int] = []  # where "my son", "her neighbor" start
        # whether the message is all lower case: read once, not at every cue (a message of
        # thousands of cues read it thousands of times)
        lower_text = text.islower()
        for m in lower_finditer(PERSON_CUE, text, low):
            cue = _cue_reading(m.group())
            if cue.acknowledges and not _VOCATIVE.match(text, m.end()):
                continue  # "ok", "sure" are frequent; only "ok Crystal," is read further
            if cue.kin:
                relations.append(m.start())
            if cue.kind == "strong":
                if (
                    (cue.spelled_title or cue.form)
                    and not self._name_like_at(text, m.end())
                    and not (cue.held_under and self._lower_us_surname_at(text, m.end()))
                ) or (cue.under_cue and self._common_word_at(text, m.end())):
                    # "Coach Class", "the officer said"; "name on card Required"; "the
                    # order might be under Archived"
                    continue
                span = self._name_after(
                    text,
                    m.end(),
                    strong=True,
                    title=cue.title,
                    name_cue=cue.name_cue,
                    under_cue=cue.under_cue,
                )
                if span is not None and cue.title:
                    # "Dr. Taylor Andersen": the title goes with the name it qualifies.
                    span = Span("PERSON", m.start(), span.end, span.score)
            elif cue.kind == "object":
                span = self._name_after(
                    text,
                    m.end(),
                    strong=False,
                    object_slot=True,
                    kin=cue.kin,
                    kin_the=cue.kin_the,
                    person_verb=cue.person_verb,
                    lower_text=lower_text,
                )
            else:
                span = self._name_after(
                    text,
                    m.end(),
                    strong=False,
                    sign_off=cue.sign_off,
                    introduces=cue.introduces,
                    first_person=cue.first_person,
                    acknowledges=cue.acknowledges,
                    person_verb=cue.person_verb,
                )
            if span is not None:
                spans.append(span)
        if "(" in text:
            for m in _NAME_IN_PARENTHESES.finditer(text):
                # "the delivery guy (tony) left it", "my neighbor (Linda) has a key": a
                # listed first name, alone in parentheses after a person's noun (one that
                # is a word too: "the cashier (mark)"; not a month's or a function word)
                low_name = m.group(1).lower()
                if low_name in self._names.first_names or (
                    low_name in self._names.given_names
                    and low_name not in STOPWORDS
                    and low_name not in _MONTHS
                ):
                    spans.append(Span("PERSON", m.start(1), m.end(1), 0.7))
        if " here" in text or "\there" in text:  # not "there", "where"
            self._here_intros(text, spans)
        if " his " in text or " her " in text:
            for m in GIVEN_TO_PERSON.finditer(text):
                # "David had given Angel his address": a name before a possessive pronoun
                word = m.group(1)
                if word.lower() not in STOPWORDS and word.lower() not in PLACE_WORDS:
                    spans.append(Span("PERSON", m.start(1), m.end(1), 0.7))
        if "@" in text and "<" in text:
            for m in NAME_BEFORE_ADDRESS.finditer(text):
                # "On Friday, Jun Huang <rocketlucky30@hotmail.com> wrote:": the words
                # from the first listed name on ("3:12 PM Jun Huang", "Dear Jun Huang");
                # a team's or a firm's name ("Support", "PayPal", "Billing Team") stays
                sender = self._sender(text, m.start(1), m.end(1))
                if sender is not None:
                    spans.append(sender)
        if (
            low is not None
            and (" said" in low or " told" in low)
            and (low == text or text.isupper())
        ):
            for m in _SAYER.finditer(low):
                # "denise said she would call me back", "HELLO?? REBECCA SAID SOMEONE
                # WOULD CALL": in lower-case or all-caps text, a listed first name opening
                # a sentence as the subject of "said" (capitals say nothing there); not
                # "usps said", "venmo said", "installer said"
                if self._subject_name(m.group(1)):
                    spans.append(Span("PERSON", m.start(1), m.end(1), 0.75))
        if ", " in text:
            for start in line_starts(text):
                inverted = _LINE_START_INVERTED.match(text, start)
                if inverted is None:
                    continue
                # "Okafor, Chidi - acct 4432", "Hargrove, Ellen (mom)": a surname opening
                # a line, a comma, then a first name the lists hold; the surname is added
                # by ``surnames_before_commas`` once the first name is found
                surname, given = inverted.group(1).lower(), inverted.group(2).lower()
                names = self._names
                if (
                    (names.is_surname(surname) or _compound_surname(surname, names))
                    and surname not in names.common_words
                    and surname not in self._places
                    and (
                        given in names.first_names
                        or given in names.given_names
                        or given not in names.english_rank  # "Chidi": no English word
                    )
                    and given not in _MONTHS
                    and given not in self._places
                    and given not in STOPWORDS
                ):
                    spans.append(Span("PERSON", inverted.start(2), inverted.end(2), 0.6))
        if " is my " in text or " is our " in text or "s my " in text or "s our " in text:
            for m in _NAME_IS_RELATIVE.finditer(text):
                # "Pearl is my daughter", "kofi is our landlord": a name that a sentence
                # says is someone's relative or acquaintance (a first name that is a
                # word too; not a month's, not a firm's: "Chase is my bank" has no person)
                word = m.group(1).lower()
                names = self._names
                if (
                    word not in STOPWORDS
                    and word not in _MONTHS
                    and word not in _FIRM_GIVEN
                    and (
                        word in names.given_names
                        or word in names.word_given_names
                        or word in names.first_names
                        or (m.group(1)[0].isupper() and names.is_name_like(m.group(1)))
                    )
                ):
                    spans.append(Span("PERSON", m.start(1), m.end(1), 0.7))
        if " said" in text or " told" in text or " promised" in text or " called" in text:
            for m in _LOWER_NAME_VERB.finditer(text):
                # "Yesterday deshawn said the tech would come", "and kevin promised a
                # credit": a listed first name in lower case that English has rarely
                # ("the guy said", "max said" stay), before a verb of the person's
                word = m.group(1)
                if (
                    word in self._names.first_names
                    and word not in self._names.common_words
                    and word not in self._names.frequent_words
                    and word not in STOPWORDS
                ):
                    spans.append(Span("PERSON", m.start(1), m.end(1), 0.7))
        if low is not None and (" still " in low or " already " in low or " ever " in low):
            for m in _QUESTION_SUBJECT.finditer(low):
                # "did abdi already pay the rent", "is lupe still the pharmacist": a listed
                # first name as the subject of a question (not "is it still", "did amazon
                # already ship")
                if m.group(1) in self._names.first_names and self._subject_name(m.group(1)):
                    # not a first name that is a word: "is ruby still in stock"
                    spans.append(Span("PERSON", m.start(1), m.end(1), 0.7))
        if "." in text:
            for m in _GIVEN_INITIAL.finditer(text):
                # "Hope R. told me", "Grant K. was great": a given name that is also a
                # word, then a surname's initial, as agents are named (not a month's:
                # "May B.")
                low_given = m.group(1).lower()
                if (
                    (low_given in self._names.given_names or low_given in self._names.first_names)
                    and low_given not in STOPWORDS
                    and low_given not in _MONTHS
                    # "Ward B.", "Lane B.": a building's or a street's part
                    and low_given not in PLACE_WORDS
                    and low_given not in _LETTERED_PLACES
                ):
                    spans.append(Span("PERSON", m.start(1), m.end(), 0.7))
        if ". " in text:
            for m in LOWER_INITIAL_NAME.finditer(text):
                # "rajesh g. abernathy", "vy r. patel": a middle initial between a first
                # name and a surname, in lower case
                if _lower_first(m.group(1), self._names) and _lower_last(m.group(3), self._names):
                    spans.append(Span("PERSON", m.start(1), m.end(3), 0.75))
        if low is not None and ("authori" in low or "additional" in low):
            for m in _ADDED_AS_USER.finditer(low):
                # "add Moose as an authorized user", "added CJ to my card as an additional
                # cardholder": whom a card or an account is opened to is a person, the
                # word a name however English it is ("Moose"); in lower case a listed
                # first name (a word too: "add ally as an authorized user") or no English
                # word
                added, word = m.group(1), text[m.start(1) : m.end(1)]
                names = self._names
                if (
                    added not in STOPWORDS
                    and added not in _NOT_ADDED
                    # "add Mom", "add Spouse", "add Guest": a person's noun or role
                    and not _PERSON_NOUN_WORD.fullmatch(added)
                    and (
                        # capitalised: not among the 5,000 most frequent English words
                        # ("Business", "Employee"), nor an acronym of three capitals or
                        # more ("AAA")
                        (
                            word[0].isupper()
                            and not (word.isupper() and len(word) > 2)
                            and added not in names.frequent_words
                        )
                        or added in names.first_names
                        or added in names.given_names
                        or added in names.word_given_names
                        or added not in names.english_rank
                    )
                ):
                    spans.append(Span("PERSON", m.start(1), m.end(1), 0.7))
        if "famil" in text or "household" in text or " kids" in text or "residence" in text:
            for m in FAMILY_NAME.finditer(text):
                # "the Wilson family", "The Okafor household", "the gomez kids"
                if self._family_name(m.group(1)):
                    spans.append(Span("PERSON", m.start(1), m.end(1), 0.7))
        if (" said" in text or " told" in text or " promised" in text) and (
            " at " in text or " from " in text or " in " in text
        ):
            for m in WORKPLACE_SAID.finditer(text):
                if self._workplace_name(m.group("name")):
                    spans.append(Span("PERSON", m.start("name"), m.end("name"), 0.6))
        if " name" in text:
            for m in NAMED_AS.finditer(text):
                # "White is the last name": not "That is my last name"
                if m.group(1).lower() not in STOPWORDS and m.group(1).lower() not in _NOT_NAMED:
                    spans.append(Span("PERSON", m.start(1), m.end(1), 0.7))
        if ("," in text and " and " in text) or "&" in text:
            self._name_lists(text, spans, LOWER_NAME_LIST if low == text else NAME_LIST)
        names = self._names
        for m in CAP_RUN.finditer(text):
            run = m.group()
            if " " not in run and "\t" not in run and "'" not in run and "’" not in run:
                # Most runs are one sentence-initial English word: skipped here without
                # a call (the same test opens _capitalised_run), a few percent of the
                # engine's time.
                low = run.lower()
                if (
                    low not in names.first_names
                    and low not in names.last_names
                    and low not in names.given_names
                    and (low in names.english_words or low in names.common_words)
                ):
                    continue
            self._capitalised_run(text, m.start(), m.end(), spans)
        if low == text and not names.first_names.isdisjoint(WORD.findall(text)):
            # Typed all in lower case: names are too. Both rules start from a word the
            # first-name list holds; most such messages have none (one set test, no
            # match object per word).
            self._lowercase_full_names(text, spans)
            self._lowercase_single_names(text, spans)
        elif low is not None and (low == text or _typed_in_lower_case(text)):
            # Typed in lower case but for codes and "I" ("driver was efren gallagher,
            # plate 6BYT496"), or with no listed first name ("sunita gupta here"): full
            # names only, a known or rare first name before a surname.
            self._lowercase_full_names(text, spans)
        spans.extend(context_names(text, names, relations))

    def _workplace_name(self, name: str) -> bool:
        """The words before "at the store said": a name when none is a function word and
        the first is a known name, or a capitalised word outside the frequent English
        words, or a lower-case word in no English list ("Liz", "Jin", "mccray"; not
        "Someone", "Staff", "support")."""
        names = self._names
        words = name.split()
        if any(w.lower() in STOPWORDS for w in words):
            return False
        first = words[0].lower()
        listed = first in names.given_names or first in names.first_names or names.is_surname(first)
        if words[0][0].isupper():
            return listed or first not in names.frequent_words
        return listed or first not in names.english_rank

    def _capitalised_run(self, text: str, start: int, end: int, spans: list[Span]) -> None:
        """A run of capitalised words (``text[start:end]``) that holds a known first name,
        a known first + last name pair, a ``First X. Last`` name, or two words that are
        not English."""
        names = self._names
        run = text[start:end]
        run_end = end
        if run.endswith(("'s", "’s")):  # "Matej's address": the name is before the 's
            run, run_end = run[:-2], run_end - 2
        if " " not in run and "\t" not in run:  # most runs: one sentence-initial word
            low = run.lower()
            if (
                low not in names.first_names
                and low not in names.last_names
                and low not in names.given_names
                and (low in names.english_words or low in names.common_words)
            ):
                return
        tokens = run.split()
        offset = start
        positions = []
        for token in tokens:
            at = text.index(token, offset)
            positions.append((at, at + len(token), token))
            offset = at + len(token)
        lowered = [p[2].lower().rstrip(".") for p in positions]
        if (
            len(positions) == 2
            and lowered[0] in _AUXILIARIES
            and "?" in text
            and names.is_name_like(positions[1][2])
            and QUESTION_AFTER.match(text, run_end)
            and QUESTION_BEFORE.search(before(text, positions[1][0], 24))
        ):
            # "Is Ulol still coming?": the auxiliary opens the sentence and the run
            spans.append(Span("PERSON", positions[1][0], run_end, 0.6))
            return
        if (
            len(lowered) in (2, 3)
            and PLACE_WORDS.isdisjoint(lowered[1:])
            and (
                # "Le Van Hung", "Park Ji-hoon": the surname first, a place word too
                (
                    lowered[0] in SURNAME_FIRST_PLACE_WORDS
                    and self._given_name_after_surname(text, start, positions[0][1])
                )
                # "Lane Johnson": a given name that is a place word, then a surname
                or (
                    lowered[0] in GIVEN_PLACE_WORDS
                    and self._surname_after_given_place_word(text, start, positions[0][1])
                )
            )
        ):
            spans.append(Span("PERSON", start, run_end, 0.6))
            return
        if (
            not PLACE_WORDS.isdisjoint(lowered)
            and not self._first_and_place_surname(text, start, lowered)
            # "Lane said ...": a given name alone, read below like "Ruby said ..."
            and not (len(lowered) == 1 and lowered[0] in GIVEN_PLACE_WORDS)
        ):
            return
        if _capitals_full_name(text, positions, lowered, names):
            # "the card says MICHAEL BROWN on it": a name printed in capitals (a card,
            # a label) inside mixed-case text; the rules below skip capitals as acronyms
            spans.append(Span("PERSON", start, run_end, 0.7))
            return
        # A first name that is also a word ("Ruby said ...", "Pearl here, ..."): in the
        # slots below, as a name no English list holds would be (not a month's name).
        given = (
            run.lower() in names.given_names
            and run.lower() not in _MONTHS
            and run.lower() not in self._places
            and run.lower() not in _FIRM_GIVEN  # "is Chase there?", "Chase promised ..."
        )
        name_like = names.is_name_like(run)
        if len(positions) == 1 and not run.isupper() and (given or name_like) and len(run) > 2:
            preceding = text[:start].rstrip(" \t")
            line_start = not preceding or preceding.endswith("\n")
            if line_start and HERE_AFTER.match(text, run_end):
                # "Pearl here, quick question": the writer's name opening the message
                spans.append(Span("PERSON", start, run_end, 0.7))
                return
            listed = given or run.lower() in names.first_names
            if (
                listed
                and _PRESENCE_AFTER.match(text, run_end)
                and QUESTION_BEFORE.search(before(text, start, 24))
            ):
                # "is Ruby there?"
                spans.append(Span("PERSON", start, run_end, 0.6))
                return
            if given and not name_like:
                # the other slots below hold words too ("Summer is so hot", "Chase's
                # routing number", "cards from Citi, Chase."): only "said"
                if _SAID_AFTER.match(text, run_end) or KIN_POSSESSIVE.match(text, run_end):
                    spans.append(Span("PERSON", start, run_end, 0.6))
                return
            if PERSONAL_POSSESSIVE.match(text, run_end):
                # "Matej's address": only people have one, stronger than a slot guess
                spans.append(Span("PERSON", start, run_end, 0.7))
                return
            if (
                QUESTION_AFTER.match(text, run_end)
                and "?" in text
                and QUESTION_BEFORE.search(before(text, start, 24))
            ):
                # "Why is Glyceria so impulsive?", "Is Pedro still coming?"
                spans.append(Span("PERSON", start, run_end, 0.6))
                return
            if run_end < end and POSSESSED_THING.match(text, end):
                low = run.lower()
                if (
                    low in names.first_names
                    or low in names.last_names
                    or low in names.us_last_names
                    or (low not in names.english_words and low not in names.common_words)
                ):
                    # "Oprea's report", "Meza's song": a listed or rare name's thing
                    spans.append(Span("PERSON", start, run_end, 0.6))
                    return
            if (
                (line_start and LINE_START_FOLLOW.match(text, run_end))
                or SUBJECT_FOLLOW.match(text, run_end)
                or (preceding.endswith(",") and VOCATIVE_END.match(text, run_end))
            ):
                spans.append(Span("PERSON", start, run_end, 0.6))
                return
        if (
            len(positions) > 2
            and any(t[2][0].islower() for t in positions)
            and names.is_name_like(positions[0][2])
            and names.is_name_like(positions[-1][2])
        ):  # "Maika van de Noort": particles only ever join a surname
            spans.append(Span("PERSON", positions[0][0], positions[-1][1], 0.7))
            return
        initial = _initial_name(positions, lowered, names)
        if initial is not None:
            spans.append(Span("PERSON", initial[0], initial[1], 0.75))
            return
        for i, (t_start, _, token) in enumerate(positions):
            low = lowered[i]
            if token.isupper():
                continue  # "MAC", "WARREN": acronyms and address lines, not names
            if (
                low in names.given_names
                # "Will Ford cover it?", "May Day": the auxiliary opening a sentence
                and (
                    low not in STOPWORDS
                    or (
                        _inside_sentence(text, t_start)
                        and i + 1 < len(positions)
                        and lowered[i + 1] not in names.common_words
                    )
                )
                and i + 1 < len(positions)
                and not positions[i + 1][2].isupper()
                and (
                    (
                        low in names.us_first_names
                        and (
                            lowered[i + 1] in names.us_last_names
                            or lowered[i + 1] in names.first_names
                        )
                    )
                    # a Census-only first name ("Ruby", "Hope") or surname ("Le"): only
                    # with a listed surname that is no common word ("Ruby Wilson"), or a
                    # Census surname that is no frequent word ("Rose Gold", "Candy Land",
                    # "Denver Post" are things)
                    or (
                        lowered[i + 1] in names.us_last_names
                        and lowered[i + 1] not in names.common_words
                    )
                    or (
                        lowered[i + 1] in names.common_surnames
                        and lowered[i + 1] not in names.frequent_words
                    )
                    or _compound_surname(lowered[i + 1], names)
                )
            ):
                # "Crystal Minh", "Hunter Jordan": a first name that is also a word, then
                # a known name, is a person; with a third name-like word ("Mark Davis
                # Ika"), which would otherwise be found alone once the two are scrubbed.
                name_end, last = positions[i + 1][1], i + 1
                if (
                    i + 2 < len(positions)
                    and not positions[i + 1][2].endswith(("'s", "’s"))
                    and _is_name_like(positions[i + 2][2])
                    and not positions[i + 2][2].isupper()
                    and lowered[i + 2] in names.listed
                ):
                    third = positions[i + 2]
                    name_end = third[1] - (2 if third[2].endswith(("'s", "’s")) else 0)
                    last = i + 2
                spans.append(Span("PERSON", t_start, name_end, 0.7))
                self._rest_of_run(text, positions, i, last, end, spans)
                return
            if low in names.first_names:
                j = i
                while (
                    j + 1 < min(len(positions), i + 3)
                    and not positions[j][2].endswith(("'s", "’s"))
                    and _is_name_like(positions[j + 1][2])
                    and not positions[j + 1][2].isupper()
                ):
                    j += 1
                name_end = positions[j][1] - (2 if positions[j][2].endswith(("'s", "’s")) else 0)
                if j == i:
                    if LOCATION_BEFORE.search(before(text, t_start, 12)):
                        return
                    # "Jane doe": a surname typed in lower case closing the phrase.
                    surname = LOWER_SURNAME.match(text, name_end)
                    if surname is not None and _lower_surname(surname.group(1), names):
                        name_end = surname.end(1)
                    spans.append(Span("PERSON", t_start, name_end, 0.5))
                else:
                    spans.append(Span("PERSON", t_start, name_end, 0.7))
                self._rest_of_run(text, positions, i, j, end, spans)
                return
            if (
                low in names.last_names
                and i > 0
                and lowered[i - 1] not in names.common_words
                # "Honestly Okonkwo", "Secretly Love": an English word is not a first name
                and (
                    lowered[i - 1] not in names.english_words
                    or lowered[i - 1] in names.first_names
                    or lowered[i - 1] in names.us_first_names
                )
            ):
                spans.append(Span("PERSON", positions[i - 1][0], positions[i][1], 0.65))
                self._rest_of_run(text, positions, i - 1, i, end, spans)
                return
            if (
                i > 0
                and low in names.census_surnames
                and low not in names.english_rank
                and not positions[i - 1][2].isupper()
                and lowered[i - 1] not in names.common_words
                and lowered[i - 1] not in STOPWORDS
                and names.english_rank.get(lowered[i - 1], RARE_WORD_RANK) >= RARE_WORD_RANK
                # "the Kroger Ankeny location", "Walgreens Murrieta": a store and its
                # town (875 of these surnames are places too); "joined Berkery Noyes"
                and low not in self._places
                and lowered[i - 1] not in self._places
                and low not in BUSINESS_WORDS
                and not EMPLOYER_BEFORE.search(before(text, positions[i - 1][0], 24))
            ):
                # "Sanjay Bhattacharya": a surname only the Census lists, no English
                # word, after a capitalised word English has rarely if at all ("sanjay"
                # is the 25,195th word of the frequency list)
                spans.append(Span("PERSON", positions[i - 1][0], positions[i][1], 0.65))
                self._rest_of_run(text, positions, i - 1, i, end, spans)
                return
        # Two or three words that are neither English words nor all capitals
        # ("Satsita Umkhayev"): foreign names that no list holds.
        rare = [
            i
            for i, word in enumerate(lowered)
            if len(word) > 2
            and not positions[i][2].isupper()
            and word not in names.english_words
            and word not in names.common_words
        ]
        if (
            len(rare) >= 2
            and rare[-1] - rare[0] == len(rare) - 1
            and len(rare) <= 3
            and not EMPLOYER_BEFORE.search(before(text, positions[rare[0]][0], 24))
        ):
            spans.append(Span("PERSON", positions[rare[0]][0], positions[rare[-1]][1], 0.55))

    def _rest_of_run(
        self,
        text: str,
        positions: list[tuple[int, int, str]],
        first: int,
        last: int,
        end: int,
        spans: list[Span],
    ) -> None:
        """The words of a run before and after the name found at ``positions[first..last]``,
        each read as a run of its own: once the name is scrubbed they are ("CqH TtX Mark
        Davis" becomes "CqH TtX <PERSON_1>", whose "CqH TtX" the rare-words rule finds),
        so reading them so now keeps a second scrub from finding more. Only in runs of up
        to ``_REREAD_WORDS`` words: each part is read again from its text, so a run of a
        thousand names would be read a thousand times, one call deeper each time (a
        review's "Mark Davis" x 989 exhausted Python's stack); longer runs are headings
        and lists, whose other names the ``repeated`` and model passes find."""
        if len(positions) > _REREAD_WORDS:
            return
        if first > 0:
            self._capitalised_run(text, positions[0][0], positions[first - 1][1], spans)
        if last + 1 < len(positions):
            self._capitalised_run(text, positions[last + 1][0], end, spans)

    def _given_name_after_surname(self, text: str, start: int, end: int) -> bool:
        """ "Le Van Hung", "Park Ji-hoon", "Le Minh": the place word at ``text[start:end]``
        is a surname written before the given name, which follows it: Van or Thi (the
        Vietnamese middle names), a given name written with a hyphen, or a listed first
        name. Not after a location word or a house number ("at Le Bernardin", "12 Park
        Grace"), where the address and venue rules own the words."""
        gap = _gap(text, end)
        if gap is None:
            return False
        given = NAME_TOKEN.match(text, gap)
        if given is None:
            return False
        word = given.group()
        low = word.lower()
        preceding = _line_before(text, start)
        if _house_number_ends(preceding):
            return False
        if SURNAME_FIRST_GIVEN.match(text, gap):
            # Van and Thi only before the given name ("Le Van Hung", not "Le Van is ...")
            return word not in ("Van", "Thi") or _capitalised_follows(text, given.end())
        return (
            word[0].isupper()
            and (low in self._names.first_names or low in self._names.given_names)
            and low not in PLACE_WORDS
            and not LOCATION_BEFORE.search(preceding)
        )

    def _surname_after_given_place_word(self, text: str, start: int, end: int) -> bool:
        """ "Lane Johnson": the given name at ``text[start:end]`` is a place word
        (``GIVEN_PLACE_WORDS``), and a capitalised listed surname that is no place word
        follows it. Not after a house number ("12 Lane Carter"), where the address
        rules own the words, nor after "the"; after a location word it is still a person
        ("send it to Lane Carter"): a street's "Lane" comes after its name."""
        gap = _gap(text, end)
        surname = NAME_TOKEN.match(text, gap) if gap is not None else None
        if surname is None or not surname.group()[0].isupper():
            return False
        low = surname.group().rstrip(".").lower()
        if low in PLACE_WORDS or low in STOPWORDS or not self._names.is_surname(low):
            return False
        preceding = _line_before(text, start)
        # "the Lane Bryant store": after "the", a firm or a place named after someone
        return not (_house_number_ends(preceding) or _THE_BEFORE.search(preceding))

    def _first_and_place_surname(self, text: str, start: int, lowered: list[str]) -> bool:
        """ "Benjamin Lane", "Grace Park": a known first name and a surname that is also a
        place word. With a house number or a preposition before it ("12 Benjamin Lane",
        "on Grace Park") it is a street, which the address rules own."""
        if len(lowered) != 2 or lowered[1] not in SURNAME_PLACE_WORDS:
            return False
        if lowered[1] in _SURNAME_BUILDINGS:
            # "John Hall", "April Hill" (a US first name that is a word), not "Carnegie
            # Hall": a building is named after a surname
            first_name = lowered[0] in self._names.first_names or (
                lowered[0] in self._names.us_first_names
            )
        else:
            # "Benjamin Lane", not "Hope Street", "Autumn Lane", "Jackson Park"; "Ji-hoon
            # Park": a given name written with a hyphen
            first_name = lowered[0] in self._names.first_names or bool(
                SURNAME_FIRST_GIVEN.fullmatch(text, start, start + len(lowered[0]))
            )
        if not first_name:
            return False
        # Only the same line counts: a sign-off under a phone number is not a street.
        preceding = _line_before(text, start)
        return not (LOCATION_BEFORE.search(preceding) or _house_number_ends(preceding))

    def _here_intros(self, text: str, spans: list[Span]) -> None:
        """ "hi, Anna here", "hello its marek nowak here": the words before "here" are
        the writer's name when each is a listed name or no English word."""
        names = self._names
        for m in HERE_INTRO.finditer(text):
            words = m.group(1).split()
            if all(
                w.lower() not in STOPWORDS
                and w.lower() not in names.common_words
                and (
                    w.lower() in names.first_names
                    or w.lower() in names.last_names
                    or w.lower() not in names.english_words
                )
                for w in words
            ):
                spans.append(Span("PERSON", m.start(1), m.end(1), 0.75))
        for start in line_starts(text):
            intro = HERE_START.match(text, start)
            if intro is None:
                continue
            first = intro.group(1)
            if (first in names.given_names or first in names.first_names) and _lower_surname_closes(
                text, intro.end(1), names
            ):
                spans.append(Span("PERSON", intro.start(1), intro.end(2), 0.75))

    def _sender(self, text: str, start: int, end: int) -> Span | None:
        """The sender's name in the capitalised words ``text[start:end]`` before an
        address: from the first word that is not a frequent English one ("3:12 PM Jun
        Huang", "Dear Jun Huang"), holding a listed name ("PayPal", "DoorDash" hold
        none) and no team's or firm's word ("Support", "Billing Team")."""
        names = self._names
        words = [(w.start(), w.group().lower()) for w in WORD.finditer(text, start, end)]
        while (
            words
            and words[0][1] not in names.listed
            and (words[0][1] in names.common_words or words[0][1] in names.frequent_words)
        ):
            words.pop(0)
        if (
            not words
            or any(w in BUSINESS_WORDS or w in _SENDER_ROLE_WORDS for _, w in words)
            or not any(
                w in names.listed or w in names.given_names or names.is_surname(w) for _, w in words
            )
        ):
            return None
        return Span("PERSON", words[0][0], end, 0.8)

    def _subject_name(self, low: str) -> bool:
        """A lower-cased word that a sentence's subject slot makes a name: a listed first
        name that is no frequent English word ("denise", "abdi"; not "will", "may"), or a
        surname English has rarely ("hargrove said")."""
        names = self._names
        return (
            (low in names.first_names or low in names.given_names)
            and low not in names.frequent_words
        ) or _lower_rare_surname(low, names)

    def _family_name(self, word: str) -> bool:
        """A family's name: capitalised and name-like or a US surname; in lower case a
        listed surname that is no common word, or a word in no English list ("the
        chavez family", "the fedorov family"; not "the new family", "the young kids")."""
        low = word.lower()
        if low in STOPWORDS:
            return False
        if word[0].isupper():
            return self._names.is_name_like(word) or low in self._names.us_last_names
        return (
            low not in self._names.common_words
            and (
                self._names.is_surname(low)
                or _compound_surname(low, self._names)
                or _rare(low, self._names)
            )
            and low not in self._names.frequent_words
        )

    def _lower_us_surname_at(self, text: str, pos: int) -> bool:
        """The token at ``pos`` (after spaces) is a US surname in lower case, English word
        or not, closing its phrase or before a word of a booking (``_AFTER_HELD_NAME``:
        "reservation under anderson for 4", "ordered under washington not my first
        name"); ``_name_like_at`` turns frequent words down after other cues ("coach
        park", "the officer rose"). After "order under", "review", "construction" are no
        surname."""
        gap = _gap(text, pos)
        token = NAME_TOKEN.match(text, gap if gap is not None else pos)
        if token is None:
            return False
        word = token.group()
        return (
            word.islower()
            and len(word) > 2
            and word not in STOPWORDS
            and word in self._names.us_last_names
            and not word.endswith(_DERIVED_ENDINGS)
            and (
                _phrase_ends(text, token.end())
                or _next_word(text, token.end()).lower() in _AFTER_HELD_NAME
            )
        )

    def _common_word_at(self, text: str, pos: int) -> bool:
        """The token at ``pos`` (after spaces) is an English word of four letters or more
        that no name list holds and that is either among the most frequent ones or shaped
        like a derived word ("Review", "Archived", "renegotiation", "construction"; not
        "Mehta", "Vu", "Garcia", and not "Hong", "Shin", "Chow", which are English words
        too)."""
        gap = _gap(text, pos)
        token = NAME_TOKEN.match(text, gap if gap is not None else pos)
        if token is None:
            return False
        low = token.group().rstrip(".").lower()
        names = self._names
        if (
            len(low) <= 3  # particles and short surnames ("DE LA GARZA", "Li")
            or low in names.listed
            or low in names.given_names
            or low in names.short_surnames
            or names.is_surname(low)
        ):
            return False
        return low.endswith(_DERIVED_ENDINGS) or names.english_rank.get(low, 10**6) < (
            _COMMON_UNDER_RANK
        )

    def _name_like_at(self, text: str, pos: int) -> bool:
        """The token at ``pos`` (after spaces) is capitalised and name-like: a listed
        name or not an English word."""
        gap = _gap(text, pos)
        token = NAME_TOKEN.match(text, gap if gap is not None else pos)
        if token is None:
            return False
        word = token.group().rstrip(".")
        if word.islower():
            # "officer siddiqui", "sgt smith-okafor": in lower case, a listed surname or a
            # word in no English list ("the officer said" stays)
            return (
                len(word) > 2
                and word not in STOPWORDS
                and word not in self._names.frequent_words  # "the officer rose", "coach park"
                and (
                    word in self._names.last_names
                    or word in self._names.us_last_names
                    or _compound_surname(word, self._names)
                    or (word not in self._names.english_rank and _rare(word, self._names))
                )
            )
        return (
            len(word) > 1
            and word[0].isupper()
            and word.lower() not in STOPWORDS
            and (
                self._names.is_name_like(word)
                or word.lower() in self._names.us_last_names
                or word.lower() in self._names.given_names
                # "Sgt. Mayfield": a Census surname that English also has as a word
                or self._names.is_surname(word.lower())
            )
        )

    def _name_lists(self, text: str, spans: list[Span], pattern: re.Pattern[str]) -> None:
        names = self._names
        for m in pattern.finditer(text):
            words = [w for w in WORD.finditer(m.group()) if w.group() != "and"]
            known = sum(
                w.group().lower() in names.first_names or w.group().lower() in names.last_names
                for w in words
            )
            name_like = sum(names.is_name_like(w.group()) for w in words)
            # a word that only the first-name lists hold ("Anna") makes it people
            surnames_only = not any(
                ((low := w.group().lower()) in names.first_names or low in names.us_first_names)
                and low not in names.last_names
                and low not in names.us_last_names
                for w in words
            )
            if surnames_only and (
                ORGANISATION_BEFORE.search(before(text, m.start(), 20))
                or ORGANISATION_AFTER.match(text, m.end())
                or _own_line(text, m.start(), m.end())
            ):
                # "a year at Jones, Mitchell and Williams": a firm named after partners
                # above a weak cue's guess ("is from Hawkins, ..."), below a strong cue
                spans.append(Span(NOT_PII, m.start(), m.end(), FIRM_SCORE))
                continue
            if known >= 1 and name_like >= 2 and name_like >= len(words) - 1:
                spans.extend(
                    Span("PERSON", m.start() + w.start(), m.start() + w.end(), 0.6) for w in words
                )

    def _lowercase_full_names(self, text: str, spans: list[Span]) -> None:
        """People who type in lower case write names that way too: a known first name,
        an optional middle initial, then a known last name or a word that is not English
        ("olga krylova", "benjamin a seiler"); not two common English words."""
        names = self._names
        english_rank = names.english_rank
        words = list(WORD.finditer(text))
        for i, first in enumerate(words[:-1]):
            f = first.group()
            if f not in names.first_names:
                # most words are frequent English ones: one lookup, before a call
                if len(f) > 2 and english_rank.get(f, RARE_WORD_RANK) >= RARE_WORD_RANK:
                    self._rare_first_name(text, first, words[i + 1], spans)
                continue
            j = i + 1
            if len(words[j].group()) == 1 and j + 1 < len(words):
                j += 1  # middle initial
            last = words[j]
            la = last.group()
            if (
                len(la) > 2
                and la not in _BARE_CONTRACTIONS  # "tyler isnt home"
                and text[first.end() : last.start()].strip(" .") in ("", words[i + 1].group())
                and (
                    la in names.last_names
                    or la in names.us_last_names
                    or names.is_name_like(la)
                    # "jane doe": a surname that is a rare English word
                    or la not in names.frequent_words
                )
                and not (
                    f in names.frequent_words
                    and la in names.frequent_words
                    and la not in names.us_last_names
                )
            ):
                # Above a cue's one-word name ("with benjamin"): the full name is longer.
                spans.append(Span("PERSON", first.start(), last.end(), 0.8))

    def _rare_first_name(
        self, text: str, first: re.Match[str], last: re.Match[str], spans: list[Span]
    ) -> None:
        """A first name no list holds, in lower case before a listed surname ("sunita
        gupta", "vinh huynh"): ``first`` is a word of three letters or more that is rare
        in English (``RARE_WORD_RANK``; the caller checks both), one space before a
        listed surname outside the 10,000 most frequent English words. In 38,000 real
        turns (STAR, SGD, banking77) lower-cased, 28 pairs matched with any surname, most
        of them places and venues ("corte madera", "umami burger")."""
        names = self._names
        f, la = first.group(), last.group()
        if (
            len(la) > 2
            and text[first.end() : last.start()] == " "
            and f not in STOPWORDS
            and f not in names.common_words
            # nor a frequent Spanish word: "está bien", "muchas gracias"
            and f not in names.spanish_rank
            and la not in names.spanish_rank
            and la not in STOPWORDS
            # not among the most frequent English words: "acct holder", "umami burger"
            and names.english_rank.get(la, _RARE_FIRST_SURNAME_RANK) >= _RARE_FIRST_SURNAME_RANK
            and names.is_surname(la)
        ):
            spans.append(Span("PERSON", first.start(), last.end(), 0.75))

    def _lowercase_single_names(self, text: str, spans: list[Span]) -> None:
        """A known first name typed in lower case, in the same slots a capitalised
        unknown word must fill to count ("ross, can i ...", "michael is from ...",
        "..., omar!", "lisa's daughter"). Only known first names: in lower case
        nothing else tells a name from a word."""
        first_names = self._names.first_names
        for m in WORD.finditer(text):
            word = m.group()
            if len(word) < 3 or word not in first_names:
                continue
            preceding = text[: m.start()].rstrip(" \t")
            line_start = not preceding or preceding.endswith(("\n", '"', ":"))
            if (
                (line_start and LINE_START_FOLLOW.match(text, m.end()))
                or SUBJECT_FOLLOW.match(text, m.end())
                or PERSONAL_POSSESSIVE.match(text, m.end())
                or (preceding.endswith(",") and VOCATIVE_END.match(text, m.end()))
            ):
                spans.append(Span("PERSON", m.start(), m.end(), 0.55))

    def _name_after(
        self,
        text: str,
        pos: int,
        strong: bool,
        sign_off: bool = False,
        introduces: bool = False,
        object_slot: bool = False,
        title: bool = False,
        name_cue: bool = False,
        kin: bool = False,
        kin_the: bool = False,
        under_cue: bool = False,
        first_person: bool = False,
        acknowledges: bool = False,
        person_verb: bool = False,
        lower_text: bool = False,
    ) -> Span | None:
        """The name (1-3 tokens, middle initials allowed) starting at ``pos``, if any.

        After a weak cue the first token must be a known name, or a capitalised word
        that closes a greeting/sign-off (``sign_off``), or - after a self-introduction
        such as "I'm" (``introduces``) - a capitalised first + last name.
        After a cue that states a name (``name_cue``: "my name is", "name's") a US first
        name that is also a word counts in lower case too ("My name is mark, I need ..."),
        and so does a lower-case surname after it ("my name is jane doe").
        """
        names = self._names
        first = NAME_TOKEN.match(text, pos)
        if first is None:
            return None
        word = first.group().rstrip(".")
        low = word.lower()
        capitalised = word[0].isupper()
        if not capitalised and not name_cue and lower_case_person_noun(text, pos, low):
            return None  # "the tech guy said it was fine"
        if (
            low in STOPWORDS
            and low in names.given_names  # "Will": a name before a surname
            and (capitalised or name_cue)
            and _surname_follows(text, first.end(), names, lower=not capitalised)
            and not _next_word_common(text, first.end(), names)
            # "Will Smith", not "Will Call", "May Day": a surname of the US lists
            and _next_word(text, first.end()).lower() in names.us_last_names
        ):
            pass
        elif kin and capitalised and _kin_word_name(text, first, low, names):
            pass  # "my dad Will had a stroke", "my son Lane is 17"
        elif low in STOPWORDS or (
            # "Professor Hill", "Mrs. Lane": after a title a place word is a surname
            low in PLACE_WORDS
            and not (title and (low in SURNAME_PLACE_WORDS or names.is_surname(low)))
            and not (
                capitalised
                and low in SURNAME_FIRST_PLACE_WORDS
                and self._given_name_after_surname(text, pos, first.end())
            )
            and not (
                # "this is Lane Johnson", "thanks Lane": a given name after the cue
                capitalised and low in GIVEN_PLACE_WORDS
            )
            # "Mrs. St. Clair": after a title, "St." opens a surname (not after "Dr.",
            # which is also a street's: "Lakeview Dr. St. Charles is the town")
            and not (
                title
                and low == "st"
                and _capitalised_follows(text, first.end())
                and _PERSONAL_TITLE_BEFORE.search(text, max(0, pos - 8), pos) is not None
            )
        ):
            return None
        if (
            not strong
            and len(word) > 1
            and word.isupper()
            and not text.isupper()
            # "spoke to JENNIFER yesterday": a listed first name of four letters or more
            # that is no common word nor a place is written in capitals for emphasis;
            # after other cues than a verb that takes a person or a relative's noun only
            # a US first name ("a letter from FEMA", "my claim with SOFI": firms and
            # agencies spell their names so too, and other locales' lists hold them)
            and not (
                (person_verb or kin or low in names.us_first_names)
                and len(word) >= _CAPITALS_NAME_MIN
                and low in names.first_names
                and low not in names.common_words
                and low not in SHORTHAND
                and low not in self._places
            )
        ):
            return None  # "transfer from AUD", "with SWIFT": acronyms, unless all caps
        if (
            strong
            and len(word) > 1
            and word.isupper()
            and (
                low in SHORTHAND
                or (
                    low in names.frequent_words
                    and low not in names.given_names
                    and not names.is_surname(low)
                    and low not in _SURNAME_PARTICLES  # "UNDER DE LA GARZA"
                )
            )
        ):
            return None  # "CALL ME ASAP", "CALL ME TOMORROW": capitals hide no name there
        # "can I talk to Hope", "ask for Frank": a first name that is a word, after a verb
        # that takes a person (not a month: "by June"; not a firm: "talk to Chase")
        person_object = (
            person_verb
            and capitalised
            and low not in _MONTHS
            and low not in _FIRM_GIVEN  # "talk to Chase about this charge"
            and (
                (
                    low in names.given_names
                    and not _PRONOUN_AFTER.match(text, first.end())
                    and _not_a_noun_after(text, first.end(), names)
                )
                # "Ask for Major, he knows my account": an SSA first name that is a
                # word, whom the next clause calls he or she
                or (
                    low in names.word_given_names
                    and _REFERRED_TO_AFTER.match(text, first.end()) is not None
                )
            )
        )
        if object_slot:
            # Lower case only where everything is ("follow up with monika zilkova").
            # Or two words no English list holds ("have you heard nijito asano speak").
            lower_name = not capitalised and (
                (
                    lower_text
                    and (
                        low in names.first_names
                        or (_rare(low, names) and _rare_follows(text, first.end(), names))
                        # "tell hargrove to call me", "i spoke with garcia": a surname
                        # English has rarely or never
                        or _lower_rare_surname(low, names)
                        or _accented_name(low, names)
                    )
                )
                # "package for rachel bradshaw was left at Grand Ave": in text not all lower
                # case, a listed first name that is no frequent English word before a
                # listed surname (lower case too)
                or (
                    low in names.first_names
                    and low not in names.common_words
                    and low not in names.frequent_words
                    and _lower_listed_surname_follows(text, first.end(), names)
                )
                # "I talked to sarah yesterday", "Can I speak to jennifer again?": after a
                # verb that takes a person, a listed first name that is no common word
                # ("talk to someone", "ask for help" stay), or a surname English has
                # rarely ("I spoke with garcia")
                or (
                    person_verb
                    and (
                        (
                            low in names.first_names
                            and low not in names.common_words
                            # "ask for max speed": a frequent word before a noun
                            and (
                                low not in names.frequent_words
                                or not _content_word_after(text, first.end())
                            )
                        )
                        or _lower_rare_surname(low, names)
                    )
                )
            )
            # "ship it to ruby garcia": a US first name that is a word, before a surname
            # English does not use often, closing the phrase
            # (in text with capitals too: "Please cancel the order for grace kim, Order 55")
            lower_word_name = (
                not capitalised
                and low in names.given_names
                and low not in _MONTHS
                and (
                    _lower_surname_closes(text, first.end(), names)
                    # "can you tell mark davis I called": a listed surname that is no
                    # common word ("ruby red", "april white" stay)
                    or _lower_listed_surname_follows(text, first.end(), names)
                    # "can i speak to hunter again? he knew what he was doing": a person
                    # the next clause calls he or she (not a firm: "talk to chase, she")
                    or (
                        low not in _FIRM_GIVEN
                        and _REFERRED_TO_AFTER.match(text, first.end()) is not None
                    )
                )
            )
            # "my son Will", "my neighbor Sky Turner": after a relative or acquaintance, a
            # first name that is also a word, or any capitalised word before a surname
            kin_name = (
                kin
                and capitalised
                and (
                    not _PRONOUN_AFTER.match(text, first.end())
                    # "the last rep, June i think, said": a hedge, not a subject
                    or _HEDGE_AFTER.match(text, first.end()) is not None
                )
                and (
                    low in names.given_names
                    or _kin_word_name(text, first, low, names)
                    or (
                        _next_word(text, first.end())[:1].isupper()
                        and _surname_follows(text, first.end(), names, lower=False)
                    )
                    # "Our neighbor Bao has": capitalised in the middle of a sentence,
                    # before a verb of the person's; a name-like word ("my son Never got
                    # it", "my advisor Fidelity said" stay)
                    or (
                        not first.group().endswith(".")
                        and low not in names.common_words
                        and (low in names.listed or names.is_rare_word(low))
                        and (
                            _next_word(text, first.end()).lower() in _KIN_NAME_FOLLOWERS
                            # "the tech, McAllister, was great": set off by commas
                            or (
                                text.startswith(",", first.end())
                                and text[:pos].rstrip(" \t").endswith(",")
                            )
                        )
                    )
                )
            )
            kin_lower = (
                kin
                and not capitalised
                and (
                    _lower_kin_name(text, first, low, names, unlisted_only=kin_the)
                    # "my wife summer jones", "my mom, joy ibarra,": a US first name that
                    # is a word, before a listed surname that is no common word
                    or (
                        low in names.given_names
                        and low not in _MONTHS
                        and _lower_listed_surname_follows(text, first.end(), names)
                    )
                )
            )
            if (
                not kin_name
                and not kin_lower
                and not person_object
                and not lower_word_name
                and not ((capitalised or lower_name) and len(word) > 1 and names.is_name_like(word))
            ):
                return None
        elif not strong:
            known = (
                low in names.first_names
                or low in names.last_names
                # "mary-kate", "jean-luc": every part a listed first name
                or ("-" in low and all(part in names.first_names for part in low.split("-")))
                # "thx małgorzata": a lower-case word with letters English does not use
                or (
                    (sign_off or introduces)
                    and _accented_name(low, names)
                    and _phrase_ends(text, first.end())  # not "thx déjà vu"
                )
            )
            ends_phrase = _phrase_ends(text, first.end())
            # "this is Mark Davis", "Thanks, Daisy Smith": a first name that is also a
            # word ("Mark", "Crystal", "Hunter") is a name when a surname follows.
            word_name = (
                (introduces or sign_off)
                and low in names.given_names
                and (
                    _surname_follows(text, first.end(), names, lower=not capitalised)
                    # "Take care Sue", "Thanks, April!": capitalised, closing the
                    # greeting or sign-off, a US first name is the name even when it is
                    # also a word
                    or (sign_off and capitalised and ends_phrase)
                    # "thx Chip u were super helpful": thanked, then addressed
                    or (sign_off and capitalised and _ADDRESSED_AFTER.match(text, first.end()))
                    # "Hello, I am Mark.": a first name of the US lists closing "I'm"
                    # (not the Census-only ones: "I'm Sunny, side up", "I'm Junior,")
                    or (
                        first_person and capitalised and ends_phrase and low in names.us_first_names
                    )
                    # "... I'm mark": in lower case, a US first name that is a word closing
                    # "I'm" and its phrase, unless the word says how one is ("i'm frank")
                    or (
                        first_person
                        and not capitalised
                        and ends_phrase
                        and low not in _STATE_GIVEN
                        and low not in _MONTHS
                        and low not in _FIRM_GIVEN
                    )
                )
            ) or person_object
            # "ask for ray, he handled my claim": a US first name that is a word, whom the
            # next clause calls he or she ("ask for grace period extension" stays)
            word_name = word_name or (
                person_verb
                and low in names.given_names
                and low not in _MONTHS
                and low not in _FIRM_GIVEN
                and _REFERRED_TO_AFTER.match(text, first.end()) is not None
            )
            # "hey it's Rose", "hi, this is Hope": a US first name closing an introduction
            # that a greeting opens (not a bank: "hi, this is Chase")
            word_name = word_name or (
                introduces
                and capitalised
                and ends_phrase
                and low in names.given_names
                and low not in _FIRM_GIVEN
                and low not in _MONTHS
                and _GREETED_INTRODUCTION.search(text, max(0, pos - 40), pos) is not None
            )
            # "ok Crystal, I'll try that": a vocative after an acknowledgement
            word_name = word_name or (
                acknowledges
                and capitalised
                and low in names.given_names
                and low not in _MONTHS
                and low not in _FIRM_GIVEN
                and text.startswith(",", first.end())
            )
            if not known and low in names.common_words and not word_name:
                return None
            if not (
                known
                or word_name
                or (capitalised and sign_off and ends_phrase)
                or (introduces and capitalised and _full_name_follows(text, first.end(), names))
                # "this is Siriporn on behalf of my mom": a capitalised word in no English
                # list, closing the introduction's phrase (in lower case such words are
                # mostly typos: "im exhasuted", "its vaialble")
                or (
                    introduces
                    and capitalised
                    and low not in names.english_rank
                    and _rare(low, names)
                    and _name_phrase_ends(text, first.end())
                )
                # "its enzu gbosha", "thanks maenro duzuya": two words no English list holds
                or (
                    (introduces or sign_off)
                    and _rare(low, names)
                    and _rare_follows(text, first.end(), names)
                )
            ):
                return None
        elif (
            not capitalised
            and not names.is_name_like(word)
            # "mrs whitfield", "dr. anderson's office": after a title, a lower-case
            # surname, or a word not among the most frequent English ones ("my dr
            # appointment" stays)
            and not (
                title
                and _title_surname(
                    _possessor(low), names, text[max(0, pos - 6) : pos].lower().rstrip(" \t")
                )
            )
            and not (
                name_cue
                and low in names.given_names
                # "it's under chase", "it's under june": a word, unless a surname follows
                and not (
                    under_cue
                    and low in names.common_words
                    and not _surname_follows(text, first.end(), names, lower=True)
                )
            )
            # "my name is vikram": an SSA first name that English has as a rare word,
            # after a cue that states a name, closing the phrase or before a surname
            and not (
                name_cue
                and not under_cue
                and low in names.named_words
                and names.is_rare_word(low)
                and (
                    _name_phrase_ends(text, first.end())
                    or _surname_follows(text, first.end(), names, lower=True)
                )
            )
        ):
            return None
        end = first.end() - (1 if first.group().endswith(".") and len(word) > 1 else 0)
        cursor = first.end()
        previous = first.group()
        for _ in range(2):
            if previous.endswith(".") and len(previous) > 2 and previous != "St.":
                break  # "named Charlie. Oh ...": a full stop after a word ends the name
            if previous.endswith(("'s", "’s")):
                end -= 2  # "Emmie Ström's Cautionary Tales": the possessive ends the name
                break
            gap = _gap(text, cursor)
            if gap is None:
                break
            nxt = NAME_TOKEN.match(text, gap)
            if nxt is None:
                break
            token = nxt.group().rstrip(".")
            t_low = token.lower()
            if t_low in BUSINESS_WORDS and not (
                # "ask for Sarah Hall": a surname that is also a venue's word, after a
                # first name no business is named after
                t_low in SURNAME_PLACE_WORDS
                and (low in names.first_names or low in names.given_names)
            ):
                return None  # "with Delta Airlines": a business or place, not a person
            lower_surname = (
                name_cue
                and token.islower()
                and previous.islower()
                and (
                    t_low in names.us_last_names
                    or _rare(t_low, names)
                    # "jane doe": a rare English word, where the name's phrase ends
                    or (_lower_surname(t_low, names) and _name_phrase_ends(text, nxt.end()))
                )
            )
            # "yes this is Scott lane": a surname in lower case that is also a word, closing
            # the message or the sentence after a capitalised first name
            lower_word_surname = (
                (introduces or sign_off)
                and capitalised
                and previous == first.group()
                and token.islower()
                and t_low in names.common_surnames
                # "it's Rose gold.", "this is Summer camp.": a frequent word is no surname
                and t_low not in names.frequent_words
                and _phrase_ends(text, nxt.end())
            )
            if (
                t_low in STOPWORDS
                or t_low in FIELD_LABELS
                or (
                    t_low in names.common_words
                    and not token[0].isupper()
                    and not lower_surname
                    and not lower_word_surname
                )
            ):
                break
            if (
                token.isupper()
                and len(token) > 1
                and t_low in names.frequent_words
                and not names.is_surname(t_low)
                and text.isupper()  # not a suffix in mixed case ("Sir Pouncealot III")
            ):
                break  # all capitals: "I TALKED TO JESSICA YESTERDAY" ends at the name
            # "my father bryan hong": after a relative's name in lower case, a listed
            # surname in lower case that is no common word (a frequent one, "hong", only
            # where the name's phrase ends)
            kin_surname = (
                kin
                and not capitalised
                and previous == first.group()
                and token.islower()
                and t_low not in names.common_words
                and names.is_surname(t_low)
                and (t_low not in names.frequent_words or _name_phrase_ends(text, nxt.end()))
            )
            # "TELL MARIA GARCIA I CALLED": "I" and "A" are words unless a stop or a
            # surname after them makes them an initial
            pronoun = nxt.group() in _PRONOUN_INITIALS and not _surname_follows(
                text, nxt.end(), names, lower=False
            )
            if (
                # "name: dulce p. brennan": a lower-case initial between lower-case
                # names, before a surname
                (
                    not capitalised
                    and _LOWER_INITIAL.fullmatch(nxt.group()) is not None
                    and _surname_follows(text, nxt.end(), names, lower=True)
                )
                or (INITIAL.fullmatch(nxt.group()) and not pronoun)
                or (capitalised and token[0].isupper() and not pronoun)
                or t_low in names.last_names
                or _compound_surname(t_low, names)
                or lower_surname
                or lower_word_surname
                or kin_surname
                # "my name is borna jerkovic": typed in lower case, not an English word
                or (strong and not capitalised and names.is_name_like(token))
                # "its enzu gbosha": after an introduction, a word no English list holds
                or (
                    (introduces or sign_off or object_slot)
                    and not capitalised
                    and _rare(t_low, names)
                )
            ):
                end = nxt.end() - (1 if nxt.group().endswith(".") and len(token) > 1 else 0)
                cursor = nxt.end()
                previous = nxt.group()
                continue
            break
        return Span("PERSON", first.start(), end, 0.85 if strong else 0.75)


# What follows a relative's name in lower case: an auxiliary, a conjunction, a verb of
# what people do about an account ("my son dallas is 17", "my husband sanjay set up").
_KIN_NAME_FOLLOWERS = frozenset(
    """
    is was has had and just said says added adds set sets paid pays got gets wants wanted
    needs needed called calls told tells uses used bought opened signed lost forgot
    can cant will wont would could should does did doesnt didnt isnt wasnt hasnt already
    also still never always usually moved passed changed tried tries lives lived works
    handles handled manages managed keeps kept took takes left quit retired helped fixed
    promised texted emailed messaged sent charged cancelled canceled mentioned approved
    booked
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
# Words of a team's or a service's sender name ("Billing Team <billing@...>").
_SENDER_ROLE_WORDS = frozenset(
    """
    team support billing service services notifications alerts noreply help desk admin
    sales info customer care account accounts
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
# Endings of verb forms, which rare words in a name's slot often are ("raves", "raved",
# "underpaying"); names with them are in the name lists ("James", "Charles").
_VERB_ENDINGS = ("s", "ed", "ing", "in")


def _lower_kin_name(
    text: str, first: re.Match[str], low: str, names: Gazetteer, unlisted_only: bool = False
) -> bool:
    """The lower-case token ``first`` (``low``) after a relative or acquaintance is a
    name: "my son dallas is 17", "my husband sanjay set up" (a given or listed first
    name, or a word outside the ``names.RARE_WORD_RANK`` most frequent English ones that is no
    verb form: "my girlfriend raves", "my boss underpaying"), not after a hyphen ("my
    mother-in-law"). A listed name that is no English word may stand before any word ("my
    roommate mariam is", "my neighbor okafor pays"); a name that is also a word, or a rare
    word, only before a verb of the person's ("my son chase card", "my dad roku stopped",
    "your rep hung up" stay), or before a parenthesis, comma or dash ("my uncle armando
    (713-555-0183) is picking it up").

    ``unlisted_only`` (after "the driver", "the supervisor": no possessive says a person
    is meant): a rare word must be in no English list at all ("the driver gurpreet was";
    not "the driver prolly kept it", "the supervisor callback never happened")."""
    if len(low) <= 2 or low in STOPWORDS or text[first.start() - 1] not in " \t":
        return False
    following = _next_word(text, first.end())
    if low in names.word_given_names and not unlisted_only and low not in names.given_names:
        # "my son buck is 17", "my daughter paris is on my plan": an SSA first name that
        # is a word only before a verb of the person's ("my son chase card" stays)
        return following in _KIN_NAME_FOLLOWERS and low not in _MONTHS
    if (
        low not in names.english_rank
        and not unlisted_only
        and _lower_listed_surname_follows(text, first.end(), names)
    ):
        return True  # "my sister hyejin han": a word no English list holds, then a surname
    if not (
        low in names.given_names
        or low in names.first_names
        or (
            names.is_rare_word(low)
            and low not in names.common_words
            and not low.endswith(_VERB_ENDINGS)
            and not (unlisted_only and low in names.english_rank)
        )
    ):
        return False
    return (
        (low in names.listed and names.is_rare_word(low) and following.islower())
        or following in _KIN_NAME_FOLLOWERS
        or text.startswith((" (", ",", " -"), first.end())
    )


def _lower_rare_surname(low: str, names: Gazetteer) -> bool:
    """A lower-case word that is a surname of any list and that English uses rarely or
    never ("hargrove", "garcia", "okafor"; not "long", "cash", "smith", "anderson"):
    a name in a slot that takes a person, alone."""
    return (
        len(low) > 2
        and names.is_surname(low)
        and low not in names.common_words
        and low not in STOPWORDS
        and names.english_rank.get(low, _RARE_SURNAME_RANK) >= _RARE_SURNAME_RANK
        and not low.endswith(_DERIVED_ENDINGS)
    )


# A surname ranked this far down English's frequent words is rarely the word ("garcia"
# 8,427th; "anderson" 3,857th, "smith" 1,375th are words often enough).
_RARE_SURNAME_RANK = 5_000


def _lower_first(low: str, names: Gazetteer) -> bool:
    """A lower-case first name: listed, or a word outside ``names.RARE_WORD_RANK``."""
    return low not in STOPWORDS and (
        low in names.first_names or low in names.given_names or names.is_rare_word(low)
    )


def _lower_last(low: str, names: Gazetteer) -> bool:
    """A lower-case surname: listed, two listed ones hyphenated, or a word outside
    ``names.RARE_WORD_RANK``."""
    return low not in STOPWORDS and (
        names.is_surname(low) or _compound_surname(low, names) or names.is_rare_word(low)
    )


# A cue that states a name ("my name is", "name's", "names is", "name:"), not "named"
# or "in the name of": after it a US first name that is also a word counts in lower case.
# "it's under", "registered to": the name a booking or an account is under. "(?<!\s)":
# a blank run is entered once, at its first blank: searched from each of its blanks, a
# cue followed by 50,000 blanks cost quadratic time ("account holder" + 20,000: 4.7 s).
_UNDER = (
    r"(?:['’]s|(?<!\s)\s+is|(?<!\s)\s+(?:might|should|could|may|must|would)\s+be)\s+under"
    r"|registered\s+(?:to|under)"
)
# Cues that state a name, where a first name that is also a word counts in lower case
# ("name on the account is will johnson", "account holder is hope flores").
NAME_IS_CUE = re.compile(
    rf"(?:name(?:['’]s|s?\s+(?:is|was)|\s*:|\s+(?:on|in|for)\s+(?:the\s+|my\s+)?\w+\s+(?:is|was|says))"
    rf"|(?:account|acct|policy|card)\s*holder(?:\s+(?:is|to))?|registered\s+(?:to|under)|{_UNDER})\s*$",
    re.IGNORECASE,
)


class _CueReading(NamedTuple):
    """What a matched cue's text says about the name after it."""

    kind: str  # "strong", "object" or "weak"
    title: bool  # "Dr.", "Professor"
    sign_off: bool  # a greeting or sign-off ("thanks", "regards")
    introduces: bool  # a self-introduction ("this is", "I'm")
    spelled_title: bool  # a title spelled out ("Coach", "Officer")
    name_cue: bool  # states a name ("my name is", "it's under"): lower case counts
    under_cue: bool  # "it's under", "registered to"
    form: bool  # a form's field ("name on card", "account holder to")
    held_under: bool  # "reservation under", "ordered under": what is held under a name
    kin: bool  # a possessive and a person noun ("my son", "your agent"), or "the driver"
    kin_the: bool  # "the" and a person noun: a lower-case name there is no English word
    person_verb: bool  # a verb whose object is a person ("ask for", "talk to")
    first_person: bool  # "I'm", "I am"
    acknowledges: bool  # "ok", "sure": a vocative may follow ("ok Crystal, ...")


@lru_cache(maxsize=4096)  # cue texts are a small vocabulary
def _cue_reading(matched: str) -> _CueReading:
    """How to read the name after a matched cue's text (read once per distinct text)."""
    raw = " ".join(matched.lower().split())
    cue = raw.strip(" ,:-")
    # "name:" keeps its colon; "thanks," is read without its comma
    kind = cue_kind(raw) if raw != cue and cue_kind(raw) != "weak" else cue_kind(cue)
    kin = KIN_CUE.fullmatch(matched) is not None
    return _CueReading(
        kind=kind,
        title=TITLE.fullmatch(cue) is not None,
        sign_off=ADDRESSING.fullmatch(cue) is not None,
        introduces=cue in INTRODUCTIONS,
        spelled_title=TITLE_WORD.fullmatch(cue) is not None,
        name_cue=NAME_IS_CUE.search(matched) is not None,
        under_cue=_UNDER_CUE.search(matched) is not None,
        form=_FORM_CUE.search(matched) is not None,
        held_under=_HELD_UNDER_CUE.search(matched) is not None,
        kin=kin,
        kin_the=kin and raw.startswith("the "),
        person_verb=_PERSON_VERB.fullmatch(matched) is not None,
        first_person=_FIRST_PERSON.match(matched) is not None,
        acknowledges=cue in ACKNOWLEDGEMENTS,
    )


# A first name in capitals in mixed-case text is read as one from this length on
# ("JENNIFER", "ADAM"; not "AMY" or "ABE"); longer acronyms that first-name lists hold
# ("SOFI", "ALEXA") are left to the cue: only a verb that takes a person.
_CAPITALS_NAME_MIN = 4
_LOWER_INITIAL = re.compile(r"[a-z]\.")
# Parts of a building or a site named by a letter ("Ward B.", "Gate C.", "Court D.").
_LETTERED_PLACES = frozenset(
    """
    ward wing court bay dock gate hall tower terminal section level unit block row lot
    suite building concourse pier platform zone area
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
_PERSONAL_TITLE_BEFORE = re.compile(r"\b(?:mrs?|ms|miss|mx)\.?[ \t]*\Z", re.IGNORECASE)
# A capitalised word, then a capital and a full stop closing the phrase ("Hope R. told").
# (The look-behind follows the capital, so ``re`` skips to capitals in C.)
_GIVEN_INITIAL = re.compile(r"([A-Z](?<![\w'’.-][A-Z])[a-z]{1,15}) [B-HJ-Z]\.(?=[ \t\n,;:!?)]|\Z)")
# One-letter words that are also initials: an initial only with a stop or a surname after.
_PRONOUN_INITIALS = frozenset(["I", "A"])


def _initial_name(
    positions: list[tuple[int, int, str]], lowered: list[str], names: Gazetteer
) -> tuple[int, int] | None:
    """``First X. Last``: a middle initial between two capitalised non-words is a name
    pattern that almost nothing else in chat text has."""
    for i in range(1, len(positions) - 1):
        if (
            INITIAL.fullmatch(positions[i][2])
            # "ASHLEY I CALLED": the pronoun, not an initial, before a word no list holds
            and (
                positions[i][2] not in _PRONOUN_INITIALS
                or lowered[i + 1] in names.listed
                or lowered[i + 1] not in names.english_words
            )
            and len(lowered[i - 1]) > 1
            and len(lowered[i + 1]) > 1
            and lowered[i - 1] not in names.common_words
            and lowered[i + 1] not in names.common_words
        ):
            return positions[i - 1][0], positions[i + 1][1]
    return None


def _full_name_follows(text: str, pos: int, names: Gazetteer) -> bool:
    """A capitalised surname (optionally after a middle initial) follows ``pos``:
    "I'm Bojka Žilih", "this is Jaroslava P. Sedláčková"."""
    gap = _gap(text, pos)
    token = NAME_TOKEN.match(text, gap) if gap is not None else None
    if token is not None and INITIAL.fullmatch(token.group()):
        gap = _gap(text, token.end())
        token = NAME_TOKEN.match(text, gap) if gap is not None else None
    if token is None:
        return False
    word = token.group().rstrip(".")
    return word[0].isupper() and len(word) > 1 and word.lower() not in names.common_words


def _possessor(low: str) -> str:
    """``low`` without a possessive ending ("anderson's" -> "anderson")."""
    return low[:-2] if low.endswith(("'s", "’s")) else low


def _title_surname(low: str, names: Gazetteer, title: str) -> bool:
    """A lower-case word after the title ``title`` (lower case, as typed) that is a
    surname: after "mr"/"mrs" or a title with its full stop ("mrs whitfield", "mr brown",
    "dr. okafor's office") a listed surname or a word outside the most frequent English
    ones, no verb form; after "dr" and "ms" without it, which also stand for a doctor
    and for Microsoft ("i need a dr referral", "ms excel"), a listed surname that is no
    frequent word or a word in no English list; never after "miss" ("we are miss
    communicating")."""
    if low in STOPWORDS or title.endswith("miss"):
        return False
    listed = names.is_surname(low)
    if title.endswith(("dr", "ms")):
        return low not in names.frequent_words and (listed or low not in names.english_rank)
    return listed or (low not in names.frequent_words and not low.endswith(_VERB_ENDINGS))


def _accented_name(low: str, names: Gazetteer) -> bool:
    """A lower-case word with a letter beyond ASCII ("thúy", "małgorzata") that no English
    or Spanish word list holds: in a name's slot, a name ("café" and "está" are words)."""
    return not low.isascii() and _rare(low, names) and low not in names.spanish_rank


def _rare(low: str, names: Gazetteer) -> bool:
    """Not an English word, a common word nor a function word, and longer than two."""
    return (
        len(low) > 2
        and low not in names.english_words
        and low not in names.common_words
        and low not in STOPWORDS
    )


def _rare_follows(text: str, pos: int, names: Gazetteer) -> bool:
    """The next token after ``pos`` is a word no English list holds (or a known name)."""
    gap = _gap(text, pos)
    token = NAME_TOKEN.match(text, gap) if gap is not None else None
    if token is None:
        return False
    low = token.group().rstrip(".").lower()
    return _rare(low, names) or (
        (low in names.last_names or low in names.us_last_names) and low not in STOPWORDS
    )


# Words that open "... is my last name" without being the name.
_NOT_NAMED = frozenset({"here", "there", "below", "above", "following", "next", "mine", "what"})


# A first name alone in parentheses after a person's noun ("the delivery guy (tony)").
# The nouns are grouped by first letter (each with PERSON_NOUN's "-in-law"): the same
# matches as ``(?:PERSON_NOUN|guy|...)``, about 4x faster (``re`` tries every
# case-insensitive alternative at every word start).
_NAME_IN_PARENTHESES = re.compile(
    r"(?i:\b(?:"
    + by_first_letter(
        "|".join(
            [
                *(f"{noun}(?:-in-law)?" for noun in PEOPLE_NOUNS.split("|")),
                *["guy", "guys", "lady", "man", "woman", "girl", "boy"],
            ]
        )
    )
    + r"))[ \t]*\([ \t]*([A-Za-z][a-z'’-]+)[ \t]*\)"
)
# Contractions typed without their apostrophe: no surname ("tyler isnt home").
_BARE_CONTRACTIONS = frozenset(
    """
    isnt wasnt arent werent doesnt didnt dont hasnt havent hadnt cant couldnt wont
    wouldnt shouldnt aint
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)


def _lower_surname(word: str, names: Gazetteer) -> bool:
    """A lower-case word after a first name that is its surname: a US surname, or not
    one of the most frequent English words ("doe" yes, "said" no, "isnt" no)."""
    return word in names.us_last_names or (
        word not in names.frequent_words
        and word not in STOPWORDS
        and word not in _BARE_CONTRACTIONS
        and len(word) > 2
    )


def _surname_follows(text: str, pos: int, names: Gazetteer, lower: bool) -> bool:
    """A known name (any list) or a capitalised non-English word follows ``pos``:
    "Mark Davis", "Crystal Minh", typed in lower case only when both are known names."""
    gap = _gap(text, pos)
    token = NAME_TOKEN.match(text, gap) if gap is not None else None
    if token is None:
        return False
    word = token.group().rstrip(".")
    low = word.lower()
    if len(word) < 2 or low in STOPWORDS or low in PLACE_WORDS:
        return False
    known = (
        low in names.common_surnames
        or low in names.last_names
        or low in names.first_names
        or _compound_surname(low, names)
    )
    if lower or word.islower():
        # "yes this is Chase lambert": a listed surname in lower case, closing the phrase
        return (
            word.islower()
            and known
            and (
                lower or (low not in names.frequent_words and _name_phrase_ends(text, token.end()))
            )
        )
    return word[0].isupper() and (known or low not in names.english_words)


def _lower_listed_surname_follows(text: str, pos: int, names: Gazetteer) -> bool:
    """A lower-case listed surname that is no common English word follows ``pos``."""
    word = _next_word(text, pos)
    low = word.lower()
    return (
        word.islower()
        and len(low) > 1
        and low not in STOPWORDS
        and low not in names.common_words
        and (names.is_surname(low) or _compound_surname(low, names))
    )


def _lower_surname_closes(text: str, pos: int, names: Gazetteer) -> bool:
    """A lower-case listed surname that is not among the frequent English words follows
    ``pos`` and closes the phrase: "ruby garcia", "hope flores", not "ruby red" or
    "april white"."""
    gap = _gap(text, pos)
    token = NAME_TOKEN.match(text, gap) if gap is not None else None
    if token is None:
        return False
    low = token.group().rstrip(".")
    return (
        low.islower()
        and len(low) > 1
        and low not in STOPWORDS
        and low not in names.frequent_words
        and low not in PLACE_WORDS
        and (low in names.common_surnames or low in names.last_names)
        and _name_phrase_ends(text, token.end())
    )


def _inside_sentence(text: str, pos: int) -> bool:
    """The word at ``pos`` follows a lower-case word or a comma on its line: not a
    sentence's or a title's capitalised opening."""
    before_word = text[max(0, pos - 30) : pos].rstrip(" \t")
    return bool(before_word) and (before_word[-1].islower() or before_word[-1] == ",")


def _own_line(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` fills a line of a message of several lines (a firm's line in
    a signature block: "hubbard, fox and gillespie")."""
    return (
        "\n" in text
        and (start == 0 or text[:start].rstrip(" \t").endswith("\n") or not text[:start].strip())
        and (end == len(text) or text[end:].lstrip(" \t.")[:1] in ("", "\n"))
    )


def _gap(text: str, pos: int) -> int | None:
    """Offset of the next token if only spaces/tabs separate it from ``pos``."""
    end = pos
    while end < len(text) and text[end] in " \t":
        end += 1
    return end if end > pos and end < len(text) else None


def _subject_follows(text: str, pos: int) -> bool:
    """The name ending at ``pos`` is a subject or an owner: "'s", the clause's end or a
    verb of the person's follows ("Will Johnson will pick it up", "Will Smith's phone"),
    not a bare verb ("Will Okafor call me back?")."""
    if text.startswith(("'s", "’s"), pos) or _phrase_ends(text, pos):
        return True
    following = _next_word(text, pos)
    return following.islower() and following in _KIN_NAME_FOLLOWERS


def _paired_full_name(first: str, last: str, names: Gazetteer) -> bool:
    """The words after a full name and "and"/"to" are a first name and a surname: the
    first a given name (or each part of a hyphenated one name-like, "Ji-hoon"), the
    second a surname or a word English rarely uses, neither a place's or a firm's word
    ("Maria Lopez and Central Park", "... and Wells Fargo" stay)."""
    first_low, last_low = first.lower(), last.lower()
    if first_low in PLACE_WORDS or (
        last_low in PLACE_WORDS and last_low not in SURNAME_PLACE_WORDS
    ):
        return False
    given = (
        first_low in names.given_names
        or first_low in names.first_names
        or ("-" in first and names.is_name_like(first))
    )
    return given and (
        names.is_surname(last_low) or last_low in names.last_names or names.is_rare_word(last_low)
    )


def _kin_word_name(text: str, token: re.Match[str], low: str, names: Gazetteer) -> bool:
    """A first name that is also an English word ("Art", "Cash", "Will"), capitalised in
    a relative's or an acquaintance's slot, before a verb of the person's or the end of
    the clause: "my son Art is away", "my dad Will. he had a stroke". Not in Title Case
    text ("My Son Will Be Home"), not before a word that makes it a word ("my son Will
    be", "my mom May have")."""
    if low not in names.word_given_names:
        return False
    if token.group().endswith(".") or _phrase_ends(text, token.end()):
        return True
    following = _next_word(text, token.end())
    return following.islower() and following in _KIN_NAME_FOLLOWERS


def _phrase_ends(text: str, pos: int) -> bool:
    rest = text[pos : pos + 2].lstrip(" \t")
    return not rest or rest[0] in ",.!?;:\n)"


def _name_phrase_ends(text: str, pos: int) -> bool:
    """Punctuation, the end, or a function word follows ``pos`` ("jane doe and i ...")."""
    if _phrase_ends(text, pos):
        return True
    nxt = NAME_TOKEN.match(text, pos + 1) if text[pos : pos + 1] in (" ", "\t") else None
    return nxt is not None and nxt.group().lower() in STOPWORDS


def _capitals_full_name(
    text: str, positions: list[tuple[int, int, str]], lowered: list[str], names: Gazetteer
) -> bool:
    """A run of two or three words in capitals, in text that is not all capitals: a US
    first name, an optional middle name or initial, and a US surname, neither of them
    a common word ("MICHAEL BROWN", "ROBERT J SMITH"; not "BEST BUY", "CALL ME")."""
    if not 2 <= len(positions) <= 3 or text.isupper():
        return False
    if not all(token.isupper() and token.rstrip(".").isalpha() for _, _, token in positions):
        return False
    first, last = lowered[0], lowered[-1]
    middle_ok = all(len(word) == 1 or word in names.given_names for word in lowered[1:-1])
    return (
        middle_ok
        and len(first) > 1
        and first in names.us_first_names
        and first not in names.common_words
        and last in names.us_last_names
        and last not in names.common_words
    )


def _is_name_like(token: str) -> bool:
    """A capitalised token after a known first name is taken as the surname unless it is
    a function word ("Sarah And ..." in title case) or an initial-less single letter."""
    low = token.lower().rstrip(".")
    return len(low) > 1 and low not in STOPWORDS


def _compound_surname(low: str, names: Gazetteer) -> bool:
    """A hyphenated surname of two listed surnames ("rogers-ward", "harris-taylor") or an
    Irish or Italian one with its apostrophe ("o'neil", "d'amico", "o’sullivan")."""
    if "-" in low:
        parts = low.split("-")
        return len(parts) == 2 and all(
            p in names.common_surnames or p in names.last_names for p in parts
        )
    return len(low) > 4 and low[1] in "'’" and low[0] in "od" and low[2:].isalpha()


# Lower-case words after a name that say when or how, not what ("I was chatting with
# Mark earlier", "talk to Hope today"): no noun that would make the name a thing's.
_WHEN_WORDS = frozenset(
    """
    earlier today yesterday tomorrow tonight later last before please pls instead
    directly personally right
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)


def _content_word_after(text: str, pos: int) -> bool:
    """A lower-case word other than a function or time word follows ``pos`` ("max
    speed"; not "maria I called", "kevin from billing", "sarah yesterday")."""
    word = _next_word(text, pos)
    return word.islower() and word not in STOPWORDS and word not in _WHEN_WORDS


def _not_a_noun_after(text: str, pos: int, names: Gazetteer) -> bool:
    """No lower-case content word follows ``pos`` ("ask for Summer pricing" is a plan):
    the end, punctuation, a function word or a capitalised surname ("ask for Chase
    Sapphire", "talk to Hope Depot" are things)."""
    word = _next_word(text, pos)
    if not word or word in STOPWORDS or word in _WHEN_WORDS:
        return True
    if word.islower():
        return False
    low = word.lower()
    return not word[:1].isupper() or (
        (low in names.last_names or low in names.us_last_names) and low not in names.common_words
    )


def _capitalised_follows(text: str, pos: int) -> bool:
    """A capitalised word follows ``pos`` after spaces or tabs."""
    gap = _gap(text, pos)
    return gap is not None and text[gap].isupper()


def _next_word(text: str, pos: int) -> str:
    """The token after ``pos`` (only spaces/tabs between), or ""."""
    gap = _gap(text, pos)
    token = NAME_TOKEN.match(text, gap) if gap is not None else None
    return token.group().rstrip(".") if token is not None else ""


def _next_word_common(text: str, pos: int, names: Gazetteer) -> bool:
    """The next token after ``pos`` is lower case and a common English word ("call")."""
    word = _next_word(text, pos)
    return word.islower() and word in names.common_words


# Place words that are frequent US surnames and seldom name a street or park after a
# first name, while people often bear them ("John Hall", "April Hill", "Cindy Hampton").
_SURNAME_BUILDINGS = frozenset(["hall", "hampton", "hill"])
# Cues whose object is a person, never a firm or a date ("talk to", "ask"): not "call",
# "contact", "by", "with" ("call Chase", "by June", "with Grace period").
_PERSON_VERB = re.compile(
    r"\s*(?:ask(?:\s+for)?|tell|talk(?:ed|ing)?\s+(?:to|with)|speak\s+(?:to|with)|spoke\s+(?:to|with)"
    r"|chat(?:ted|ting)?\s+with|transfer(?:red)?\s+me\s+(?:back\s+)?to|connect\s+me\s+(?:to|with)"
    r"|put\s+me\s+through\s+to)"
    r"[ \t]*[,:\-]?[ \t]*",
    re.IGNORECASE,
)
_MONTHS = frozenset(["january", "april", "may", "june", "july", "august"])
# First names that are also words saying how one is or what one is ("i'm frank", "im
# hung up on", "i'm christian"): after "I'm" in lower case such a word is no name.
_STATE_GIVEN = frozenset(
    """
    candy christian earnest frank grant guy hope hung junior noble precious rocky sandy
    sunny sterling will
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
# First names that are also the name of a firm customers talk to ("talk to Chase").
_FIRM_GIVEN = frozenset(["chase", "sterling"])
# A capitalised word, then "and" or "&", right before a found name; the same after one.
_NAME_AND = re.compile(r"(?<![\w'’-])([A-Z][a-z]{2,})[ \t]+(?:and|&)[ \t]+")
_AND_NAME = re.compile(r"[ \t]+(?:and|&)[ \t]+([A-Z][a-z]{2,})(?![\w'’-])")
_POSSESSIVE_AT = re.compile(r"['’]s\b")
_THE_BEFORE = re.compile(r"\bthe[ \t]+$", re.IGNORECASE)
# Alone, a first name that is a word is a name only as the subject of "said" ("Ruby said
# ..."), not of "is so", "needs", "says" ("Summer is so hot", "Bill says 120").
# A word opening the text or a sentence, then "said"/"told me" (lower-cased text).
# An auxiliary opening a question, a word, then "still", "already", "ever" (lower-cased
# text): the word is the question's subject.
_QUESTION_SUBJECT = re.compile(
    r"(?:^|(?<=[.!?\n,])[ \t]*|(?<=\bso )|(?<=\bbut )|(?<=\band ))"
    r"(?:did|does|do|is|was|has|have|can|could|will|would|should)[ \t]+([^\W\d_]{2,})"
    r"[ \t]+(?:still|already|ever)\b"
)
_SAYER = re.compile(r"(?:^|(?<=[.!?]) +|(?<=\n))([^\W\d_]{2,})[ \t]+(?:said|told[ \t]+(?:me|us))\b")
_PERSON_NOUN_WORD = re.compile(PERSON_NOUN)
# Someone added to an account or a card as its user: "add Moose as an authorized user",
# "added CJ to my card as an additional cardholder" (read on the lower-cased text).
_ADDED_AS_USER = re.compile(
    r"\badd(?:ed|ing)?[ \t]+([a-z][a-z'’-]*)[ \t]+(?:to[ \t]+(?:my|our|the|his|her|their)[ \t]+"
    r"(?:account|acct|card|plan|policy|membership)[ \t]+)?as[ \t]+(?:an?[ \t]+)?"
    r"(?:authori[sz]ed|additional|secondary)[ \t]+(?:user|driver|member|card[ \t]*holder)\b"
)
# Words that stand where a person would and name none ("add someone as an authorized user").
_NOT_ADDED = frozenset(
    [
        *("someone", "anyone", "somebody", "anybody", "another", "people", "family", "everyone"),
        # (person nouns such as "spouse" and "partner" are turned down as nouns)
        *("guest", "jr", "sr", "kids", "children", "teen"),
    ]
)
# A capitalised surname opening a line, a comma, a capitalised first name, then the end
# of the name: punctuation, a line's end, or a lower-case word. Matched at each line's
# start (``matching.line_starts``).
_LINE_START_INVERTED = re.compile(
    r"[ \t]*([A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?),[ \t]+([A-Z][a-z]+)"
    r"(?=[ \t]*(?:[-–—,;:(|/]|\n|\Z)|[ \t]+[a-z])"
)
# A word opening a sentence or a clause, then "is my" or "is our" and a person's noun.
_NAME_IS_RELATIVE = re.compile(
    r"(?:^|(?<=[.!?\n,;])[ \t]*|(?<=\band )|(?<=\bbut ))([^\W\d_][\w'’-]*?)"
    # "Pearl is my daughter", "Pearl's my daughter"
    r"(?:[ \t]+is|['’]s)[ \t]+(?:my|our)[ \t]+"
    rf"(?:(?:best|older|younger|little|big|new|old)[ \t]+)?{PERSON_NOUN}"
    r"(?![\w'’])",  # not "Sunday is my son's birthday"
    re.IGNORECASE,
)
# A lower-case word before a verb of what a person said or did about an account.
_LOWER_NAME_VERB = re.compile(
    r"(?<![\w'’.@/-])([a-z]{3,})[ \t]+(?:said|told[ \t]+(?:me|us|my)|promised|called[ \t]+"
    r"(?:me|us|back))\b"
)
_SAID_AFTER = re.compile(r"[ \t]+(?:said|told\s+(?:me|us)|promised|replied|texted|emailed)\b")
# "is Ruby there?": presence, asked of a listed first name only ("Is Venmo there as ...").
_PRESENCE_AFTER = re.compile(
    r"[ \t]+(?:there|around|available|free|back|in|working|on[ \t]+shift)"
    r"(?:[ \t]+(?:today|now|yet))?[ \t]*(?:\?|$)"
)
# Before a lower-case first name that is also a word: the words that make it a name's
# slot ("ship to hope flores"), not a verb's or a noun's ("pay the bill flores sent").
_NAME_SLOT_BEFORE = frozenset(["to", "for", "from", "by", "with", "about", "via", "cc", "and"])
# After a capitalised word opening a message: "here" ("Pearl here, quick question").
HERE_AFTER = re.compile(r"[ \t]+here\b[ \t]*(?:[,.!:;\-]|$)")
# A capitalised word opening a line, then a comma, right before a position.
# A surname and a comma opening a line, or after "as" / a colon ("the form has me as
# Donnelly, Tomasz", "Patient: Ochoa, Loretta").
_SURNAME_COMMA = re.compile(
    r"(?:^|(?<=\n)|(?<=[ \t]as[ \t])|(?<=:[ \t]))[ \t]*([A-Z][A-Za-z]*(?:['’-][A-Z][A-Za-z]+)?),[ \t]*\Z"
)
# A lower-case word and a comma right before a position ("nelson, |ethan").
_LOWER_SURNAME_COMMA = re.compile(r"(?<![\w'’-])([a-z]{2,}(?:-[a-z]{2,})?),[ \t]*\Z")
# Where a name is written last name first, right before the surname.
_INVERTED_LOWER_SLOT = re.compile(
    r"(?:^|\n|:|\bname|\binsured|\bas|\bsays|\bunder)[ \t]*\Z", re.IGNORECASE
)
# One word after a surname's comma: the given name of a name written last name first.
_GIVEN_AFTER_COMMA = re.compile(r",[ \t]*([^\W\d_]{2,}(?:-[^\W\d_]{2,})?)(?![\w'’-])")
# What may close that given name: the text's end, punctuation, a bracket.
_GIVEN_CLOSERS = frozenset(["", *",.!?;:\n()"])
# One word, a name's shape (letters, an apostrophe or a hyphen inside).
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# "the form has me as", "Patient:", "listed under": where a name is written last name
# first, as at the end of the text before it.
_INVERTED_SLOT = re.compile(
    r"(?:[ \t]as|:|\b(?:listed|filed|booked|saved|put|is|be|was)[ \t]+under)[ \t]*\Z", re.IGNORECASE
)
# A greeting opening the message or a sentence, then "it's" or "this is", right before a
# position ("hey it's |Rose", "Hi, this is |Hope.").
_GREETED_INTRODUCTION = re.compile(
    r"(?:^|[\n.!?])[ \t]*(?:hi|hey|hello|hiya|yo|good[ \t]+(?:morning|afternoon|evening))"
    r"[ \t]*[,!.]?[ \t]*(?:it['’]?s|this[ \t]+is)[ \t]+\Z",
    re.IGNORECASE,
)
# A capitalised word and a comma: the vocative an acknowledgement may take.
_VOCATIVE = re.compile(r"[A-Z][^\W\d_]+,")
# A word right after a position, one blank between (two letters: any case).
_WORD_AFTER_NAME = re.compile(r"[ \t]([A-Za-z][a-z]+|[A-Z]{2})(?![\w'’-])")
# After a surname: words that close the name's phrase ("phuong vo passed away", "bryan
# hong who is in the hospital").
_SURNAME_CLOSERS = frozenset(
    ["who", "and", "is", "was", "has", "had", "passed", "said", "says", "called", "left"]
)
# A capitalised word (not an acronym) right before a position, one space between.
_CAPITALISED_BEFORE = re.compile(r"(?<![\w'’-])([A-Z][a-z]{2,}) \Z")
# The lower-case word just before a position, and the word before it.
_WORD_BEFORE = re.compile(r"(?:([^\W\d_]+)[ \t]+)?(?<![\w'’])([a-z]{3,}) \Z")
_PRONOUNS = frozenset(["i", "we", "you", "they", "he", "she", "it"])
_FIRST_PERSON = re.compile(r"\s*(?:i['’]m|im|i\s+am)\b", re.IGNORECASE)
# "reservation under", "ordered under": what is held under a person's name.
_HELD_UNDER_WORDS = rf"(?:{HELD_UNDER}|ordered|booked|reserved|filed|listed|saved)\s+under"
_FORM_CUE = re.compile(
    r"(?:card|holder\s+to|account|ship(?:ping)?\s+to\s*:|(?:beneficiary|recipient)\s*[:\-]"
    # "order under" without "is": a folder or a menu as often as a name
    rf"|{_HELD_UNDER_WORDS}"
    # "Patient name Garcia" without "is": a heading's words too ("Patient Name Required")
    rf"|(?:{NAMED_PEOPLE})(?:['’]s)?\s+(?:full\s+|first\s+|last\s+|legal\s+)?name)\W*$",
    re.IGNORECASE,
)
_UNDER_CUE = re.compile(rf"(?:{_UNDER})\s*$", re.IGNORECASE)
_HELD_UNDER_CUE = re.compile(rf"{_HELD_UNDER_WORDS}\W*$", re.IGNORECASE)
# After a lower-case surname held under: the rest of a booking or an order ("for 4",
# "not my first name", "and the confirmation number is").
_AFTER_HELD_NAME = frozenset(["for", "not", "and", "but", "at", "on", "please", "pls", "thanks"])
# "(thx Chip) u were", "(thanks Ivy) you're": the one thanked, then addressed.
_ADDRESSED_AFTER = re.compile(
    r"[ \t]+(?:u|you)(?:[ \t]+(?:were|are|was|rock|guys|always)\b|['’]?re\b)", re.IGNORECASE
)
# After "under", a word this frequent in English (and no name list's) is no name
# ("under Review"); "Hong" (rank 2,837) and rarer ones may be surnames.
_COMMON_UNDER_RANK = 2_500
# Endings of derived English words, which no surname in the lists has ("Archived",
# "renegotiation", "construction").
_DERIVED_ENDINGS = ("ed", "ing", "tion", "sion", "ment", "ness")
# "June i think,", "Rose I believe": a hedge after a name set off by a comma.
_HEDGE_AFTER = re.compile(r"[ \t]+i[ \t]+(?:think|believe|guess)\b[ \t]*[,)]", re.IGNORECASE)
# "speak to hunter again? he knew": the next clause opens with he or she (a person's
# pronoun), after an optional "again" and a comma or a question or exclamation mark
_REFERRED_TO_AFTER = re.compile(
    r"(?:[ \t]+again)?[ \t]*[,?!]+[ \t]+(?:he|she)[ \t]+[a-z]", re.IGNORECASE
)
# "my sister Hope you can help": a word before a subject pronoun is no name
_PRONOUN_AFTER = re.compile(r"[ \t]+(?:i|you|we|they|this|it|that)\b", re.IGNORECASE)


_HOUSE_NUMBER = re.compile(r"\d{1,6}(?:-\d{1,6})?[A-Za-z]?,?")


def _line_before(text: str, start: int) -> str:
    """The 20 characters before ``start``, on its line only: where a house number or a
    location word makes the words at ``start`` a street's."""
    return text[max(0, start - 20) : start].rsplit("\n", 1)[-1]


def _house_number_ends(preceding: str) -> bool:
    """The text ends with a house number ("12", "631-635", "12A"), not the last group of
    a longer digit run (a phone "415 555 0132", which is scrubbed and then no longer a
    digit)."""
    tokens = preceding.split()
    if not tokens or not _HOUSE_NUMBER.fullmatch(tokens[-1]):
        return False
    return len(tokens) < 2 or not tokens[-2].replace("-", "").isdigit()
