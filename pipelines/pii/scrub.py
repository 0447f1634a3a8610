"""Replace detected PII with typed placeholders, numbered consistently per conversation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipelines.pii.asked import (
    alternative_answers,
    answer_spans,
    asked_types,
    asks_again,
    asks_for_a_security_answer,
    codes_and_money,
    guessed_alternatives,
    names_a_secret,
    proper_noun_answers,
    secret_guesses,
    unexplained_numbers,
    with_lower_case_surnames,
)
from pipelines.pii.cues import PET_WORD_NAMES
from pipelines.pii.detector import Detector, default_detector, outside_placeholders
from pipelines.pii.fold import fold
from pipelines.pii.matching import PLACEHOLDER, digits_only
from pipelines.pii.names import Gazetteer, gazetteer
from pipelines.pii.spans import Span, resolve_overlaps

# Types whose value is a number however it is written: "(415) 555-0132" and
# "415.555.0132" are the same phone, so they get the same placeholder.
_NUMERIC_TYPES = frozenset(
    {"PHONE", "CREDIT_CARD", "US_SSN", "BANK_ACCOUNT", "ROUTING_NUMBER", "IP_ADDRESS"}
)
# Who asks and who answers, by the canonical model's actor.
ASKING_ACTORS = frozenset({"bot", "agent"})
ANSWERING_ACTOR = "customer"
# A message whose speaker is not known (``scrub``, the CLI's {"id","text"} lines and its
# events without a known actor): it may be the customer's. ``None`` is text no one typed
# (event payloads).
UNKNOWN_ACTOR = "unknown"
SPEAKERS = frozenset({*ASKING_ACTORS, ANSWERING_ACTOR, "system"})
# Types a number can get from its shape alone; an answer to a question re-types it
# (asked for an account number, 16 digits passing Luhn are the account, not a card).
_SHAPE_GUESSES = _NUMERIC_TYPES | {"ID_NUMBER", "DEVICE_ID", "CREDENTIAL", "ORDER_ID"}
# The fewest characters of a value that later turns are searched for (``_remember_values``).
_REPEATED_VALUE_CHARS = 4
# Customer turns after a PIN request or mention in which a lone guess is read as one.
_GUESS_TURNS = 4
_REPEATED_ID_CHARS = 6
# Up to this many lookup words, a turn is searched for each with ``str.find``; beyond,
# by one pass over its words.
_FEW_VALUE_WORDS = 8
_OBFUSCATION = re.compile(r"\s*(?:\(at\)|\[at\]|\bat\b)\s*|\s*(?:\(dot\)|\[dot\]|\bdot\b)\s*", re.I)


@dataclass(frozen=True)
class Scrubbed:
    """Scrubbed text plus the spans found, with offsets into the ORIGINAL text."""

    text: str
    spans: list[Span] = field(default_factory=list)

    def __reduce__(self) -> tuple[type[Scrubbed], tuple[str, list[Span]]]:
        # By the constructor, as ``Span`` (``pipelines.pii.native``).
        return (Scrubbed, (self.text, self.spans))


def normalize_value(entity_type: str, value: str) -> str:
    """The identity of a value for numbering: case, spacing and formatting ignored.

    Folded first, so "john@gm\u200bail.com" or fullwidth digits share the number of the
    plain form in the same conversation."""
    value = fold(value)[0]
    if entity_type in _NUMERIC_TYPES:
        digits = digits_only(value)
        # A phone with and without its country code is one number.
        return digits[-10:] if entity_type == "PHONE" else digits
    if entity_type == "EMAIL":
        return (
            _OBFUSCATION.sub(lambda m: "@" if "at" in m.group().lower() else ".", value)
            .replace(" ", "")
            .lower()
        )
    # Blank runs as one space, none at the ends (``re``'s \s and ``str.split`` split at
    # the same characters: tests/pii/test_scrub_properties.py).
    return " ".join(value.split()).casefold()


class ConversationScrubber:
    """Scrubs the messages of ONE conversation, in order, so ``<PERSON_1>`` is one person
    throughout.

    Given each message's actor, it also reads the conversation: a bot or agent turn that
    asks for an identifier ("your PIN, please", "date of birth?") makes the values of
    that type in the next customer turn PII, even when they look harmless alone
    ("84318931431", "31/06/1996", "Sanchez"). See ``asked``.

    A first or last name alone ("John") reuses the number of a full name seen earlier in
    the conversation ("John Smith"), since it almost always refers to the same person.
    Once a name is found, later bare mentions of it in the same conversation are scrubbed
    too ("Sure Wei, ..."), even where no cue or gazetteer entry would find them.
    """

    def __init__(self, detector: Detector | None = None) -> None:
        self._detector = detector or default_detector()
        self._numbers: dict[tuple[str, str], int] = {}
        self._counts: dict[str, int] = {}
        self._name_parts: set[str] = set()
        self._name_regex: re.Pattern[str] | None = None
        self._asked: frozenset[str] = frozenset()
        # Requests the customer's last turn left unanswered ("for what?"): still pending
        # for one more customer turn ("Oh yes. It's 5380" after the agent explains why).
        self._unanswered: frozenset[str] = frozenset()
        # What the customer's last turn was asked for: a request for "the rest" of it, or
        # to "try again", asks for the same (``asks_again``).
        self._last_asked: frozenset[str] = frozenset()
        # A PIN or passcode was asked for or named earlier: from then on a guess between
        # two codes ("its either 7402 or 3941") is one, whatever was asked last.
        self._secret_in_play = False
        # Customer turns since a PIN was last asked for or named, and the 4-6 digit
        # numbers bots and agents said: a guessed code comes soon after the request, and
        # a number the bot said is its own ("Your balance is 6241"; ``secret_guesses``).
        self._turns_since_secret = 0
        self._bot_numbers: set[str] = set()
        self._bot_spoke_money = False
        # A security answer or maiden name was asked for since the customer last spoke
        # (``asked.proper_noun_answers``).
        self._asked_answer = False
        # Values other than names found so far, lower case with single blanks: the same
        # value in a later turn is scrubbed as that value ("1596 or 9431" then the bot's
        # "I will check 1596 first"). Their types are in ``_value_words``; see
        # ``_remember_values``.
        self._values: set[str] = set()
        # Lookup word of each value -> (the value's text before it and after it, lower
        # case with single blanks, and the value's type).
        self._value_words: dict[str, list[tuple[str, str, str]]] = {}

    def placeholder(self, entity_type: str, value: str) -> str:
        """The placeholder for ``value``, allocating the next number on first sight."""
        key = (entity_type, normalize_value(entity_type, value))
        number = self._numbers.get(key)
        if number is None and entity_type == "PERSON" and " " not in key[1]:
            number = self._person_part_number(key[1])
        if number is None:
            number = self._counts.get(entity_type, 0) + 1
            self._counts[entity_type] = number
        self._numbers[key] = number
        return f"<{entity_type}_{number}>"

    def _remember_names(self, text: str, spans: list[Span]) -> None:
        names = gazetteer()
        parts = {
            part
            for span in spans
            if span.type == "PERSON"
            for part in text[span.start : span.end].split()
            if len(part) > 2 and _name_part(part, names)
        }
        if parts - self._name_parts:
            self._name_parts |= parts
            self._name_regex = None  # compiled when the next message comes, if one does

    def _remember_values(self, text: str, spans: list[Span]) -> None:
        """Keep the values of this turn that a later turn may repeat (any type but a
        person: ``_remember_names`` keeps those, by part):

        - 4 characters or more holding a digit; an ``ID_NUMBER`` 6 or more (that
          catch-all type's short guesses, "cost 1535 credits", would spread);
        - one word outside the most frequent English words that is a listed name or
          pet's name, or was capitalised inside a sentence ("That's right Nemo"): a
          proper noun. A lower-case answer ("teal", "tacos") is no proper noun, and
          scrubbing it in every later turn ("return the teal hoodie") costs more text
          than it saves.

        Short or frequent values ("18", "blue") would scrub unrelated text. Each value is
        looked up by its most distinctive word (digits first, then length) and compared
        around it character by character, so a turn costs one pass over its words
        however many values the conversation holds, and no regex is built per value (a
        regex of all values, rebuilt per new value, took 12 s on a 5,000-turn
        conversation; one regex per value cost a PII-dense message 64 us, a third of
        its scrub)."""
        for span in spans:
            if span.type == "PERSON":
                continue
            key = " ".join(text[span.start : span.end].split()).lower()
            if len(key) < _REPEATED_VALUE_CHARS or key in self._values:
                continue
            if _A_DIGIT.search(key) is not None:
                if span.type == "ID_NUMBER" and len(key) < _REPEATED_ID_CHARS:
                    continue
            elif not (key.isalpha() and _proper_noun_value(text, span.start, key)):
                continue
            # The most distinctive word: a first word such as "pet" in "pet nemo5" would
            # be shared by many values.
            best = (-1, -1)
            anchor = None
            for word in _VALUE_WORD.finditer(key):
                group = word.group()
                digits = 0 if group.isalpha() else sum(map(str.isdigit, group))
                rank = (digits, len(group))
                if rank > best:
                    best, anchor = rank, word
            if anchor is None:
                continue
            self._values.add(key)
            self._value_words.setdefault(anchor.group(), []).append(
                (key[: anchor.start()], key[anchor.end() :], span.type)
            )

    def _known_values(self, text: str) -> list[Span]:
        """Spans of the values remembered from earlier turns (and this one), typed as
        first found."""
        if not self._values:
            return []
        found: list[Span] = []
        if len(self._value_words) <= _FEW_VALUE_WORDS:
            # Few values (a message alone, most conversations): each word found by
            # ``str.find`` in the lower-cased text, no pass over the text's words.
            low = text.lower()
            if len(low) != len(text):
                low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
            for anchor, candidates in self._value_words.items():
                at = low.find(anchor)
                while at >= 0:
                    self._match_at(text, at, at + len(anchor), candidates, found)
                    at = low.find(anchor, at + 1)
            return found
        for word in _VALUE_WORD.finditer(text):
            at_word = self._value_words.get(word.group().lower())
            if at_word is not None:
                self._match_at(text, word.start(), word.end(), at_word, found)
        return found

    @staticmethod
    def _match_at(
        text: str,
        word_start: int,
        word_end: int,
        candidates: list[tuple[str, str, str]],
        found: list[Span],
    ) -> None:
        """The values of ``candidates`` typed around ``text[word_start:word_end]``."""
        for before, after, entity_type in candidates:
            start = _matched_before(text, word_start, before)
            end = _matched_after(text, word_end, after)
            if (
                start >= 0
                and end >= 0
                and _standalone(text, start, end)
                and not _a_piece(text, start, end)
            ):
                found.append(Span(entity_type, start, end, 0.6))

    def _known_names(self, text: str) -> re.Pattern[str] | None:
        """One regex for every name part seen so far, or None when ``text`` cannot
        mention one. Compiled lazily, when a message holds a part as a substring: a
        message scrubbed alone (``scrub``, the CLI's id/text lines) and most
        conversations never pay for it."""
        if not self._name_parts:
            return None
        if text.isascii():
            # Non-ASCII parts are always tried: re's IGNORECASE folds a few letters that
            # str.lower keeps ("ſ" matches "s").
            low = text.lower()
            if not any(not part.isascii() or part.lower() in low for part in self._name_parts):
                return None
        if self._name_regex is None:
            alternatives = "|".join(sorted(map(re.escape, self._name_parts), key=len, reverse=True))
            self._name_regex = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        return self._name_regex

    def _person_part_number(self, part: str) -> int | None:
        for (entity_type, known), number in self._numbers.items():
            if entity_type == "PERSON" and part in known.split(" "):
                return number
        return None

    def scrub(self, text: str | None, actor: str | None = None) -> Scrubbed | None:
        """Scrub one message; ``None`` stays ``None`` (events without text).

        ``actor`` (customer, bot, agent, system; ``UNKNOWN_ACTOR``: a speaker not known;
        None: text no one typed, such as a payload) lets a question in a bot or agent
        turn type the answer in the next customer turn. A customer's long numbers that
        no rule explains are scrubbed (``unexplained_numbers``), and so are those of an
        unknown speaker, who may be the customer.
        """
        if text is None:
            return None
        spans = self._detector.detect(text)
        if actor == ANSWERING_ACTOR:
            if self._asked:
                answers = outside_placeholders(text, answer_spans(text, self._asked, gazetteer()))
                spans = _with_answers(spans, answers)
                if "PERSON" in self._asked:
                    spans = resolve_overlaps(with_lower_case_surnames(text, spans, gazetteer()))
            # Only when no rule found the answer ("sure it's Kowalski, I'm calling about
            # my Netflix bill").
            if self._asked_answer:
                # A placeholder of either type is an answer found by the first scrub:
                # the second must not guess again (idempotence).
                if not any(span.type in ("PERSON", "CREDENTIAL") for span in spans) and not (
                    "<PERSON_" in text or "<CREDENTIAL_" in text
                ):
                    proper = proper_noun_answers(text, gazetteer())
                    if proper:
                        spans = resolve_overlaps(spans + proper)
                alternatives = alternative_answers(text, spans)
                if alternatives:
                    spans = resolve_overlaps(spans + alternatives)
            late = self._unanswered - self._asked
            if late:
                answers = answer_spans(text, late, gazetteer(), late=True)
                spans = _with_answers(spans, outside_placeholders(text, answers))
            # A turn with nothing to scrub did not answer: its requests wait one more
            # customer turn. Only fresh requests wait, so none waits twice.
            # A placeholder answered too (a second scrub reads "<CREDENTIAL_1>").
            answered = bool(spans) or ("<" in text and PLACEHOLDER.search(text) is not None)
            self._unanswered = frozenset() if answered else self._asked
            self._last_asked = self._asked
            self._asked = frozenset()
            self._asked_answer = False
            numbers = unexplained_numbers(text, spans)
            if names_a_secret(text):
                self._secret_in_play = True
                self._turns_since_secret = 0
            else:
                self._turns_since_secret += 1
            if self._secret_in_play:
                numbers += guessed_alternatives(text)
                # Not right after the bot spoke of money: "It should be 9230." answers
                # "Your current balance is 9229 in credit."
                if self._turns_since_secret <= _GUESS_TURNS and not self._bot_spoke_money:
                    numbers += secret_guesses(text, spans + numbers, self._bot_numbers)
            if numbers:
                spans = resolve_overlaps(spans + numbers)
        elif actor == UNKNOWN_ACTOR:
            # A speaker not known may be the customer: their long numbers that no rule
            # explains are scrubbed as a customer's are (a bot's reference number is
            # kept where the speaker is known to be the bot).
            numbers = unexplained_numbers(text, spans)
            if numbers:
                spans = resolve_overlaps(spans + numbers)
        elif actor in ASKING_ACTORS:
            # Every request since the customer last spoke is pending ("Thanks. And your
            # date of birth?" after "Your name please?").
            asked = asked_types(text)
            if not asked and self._last_asked and asks_again(text):
                asked = self._last_asked
            self._asked |= asked
            if "CREDENTIAL" in asked and names_a_secret(text):
                self._secret_in_play = True
                self._turns_since_secret = 0
            numbers_said, self._bot_spoke_money = codes_and_money(text)
            if numbers_said:
                self._bot_numbers |= numbers_said
            self._asked_answer = self._asked_answer or asks_for_a_security_answer(text)
        names = self._known_names(text)
        if names is not None:
            known = [Span("PERSON", m.start(), m.end(), 0.6) for m in names.finditer(text)]
            if known:
                spans = resolve_overlaps(spans + known)
        # Values found before, and in this turn: "That's right Nemo. ... like Captain
        # Nemo" scrubs both.
        self._remember_values(text, spans)
        known_values = self._known_values(text)
        if known_values:
            spans = resolve_overlaps(spans + known_values)
        if not spans:
            return Scrubbed(text, spans)
        self._remember_names(text, spans)
        parts: list[str] = []
        cursor = 0
        for span in spans:
            parts.append(text[cursor : span.start])
            parts.append(self.placeholder(span.type, text[span.start : span.end]))
            cursor = span.end
        parts.append(text[cursor:])
        return Scrubbed("".join(parts), spans)


_VALUE_WORD = re.compile(r"\w+")
_A_DIGIT = re.compile(r"\d")
_SEPARATORS = ".,/:-"


def _name_part(part: str, names: Gazetteer) -> bool:
    """A part of a found name that later mentions are matched by: a listed name, or a
    word English does not have. An English word inside a span read as a name ("Shree
    Indian Cuisine" -> "Indian", "Cuisine") would be scrubbed in every later turn, in
    any case; the whole name found again still is."""
    low = part.strip(".,;:!?()\"'").lower()
    return (
        low in names.listed
        or low in names.given_names
        or names.is_surname(low)
        or low not in names.english_rank
    )


def _matched_after(text: str, pos: int, part: str) -> int:
    """Where ``part`` (lower case, single blanks) ends when it is typed at ``pos``, any
    run of blanks for a blank; -1 when it is not."""
    i, n = pos, len(text)
    for ch in part:
        if ch == " ":
            if i >= n or not text[i].isspace():
                return -1
            while i < n and text[i].isspace():
                i += 1
        elif i < n and text[i].lower() == ch:
            i += 1
        else:
            return -1
    return i


def _matched_before(text: str, pos: int, part: str) -> int:
    """Where ``part`` starts when it is typed right before ``pos``; -1 when it is not."""
    i = pos
    for ch in reversed(part):
        if ch == " ":
            if i <= 0 or not text[i - 1].isspace():
                return -1
            while i > 0 and text[i - 1].isspace():
                i -= 1
        elif i > 0 and text[i - 1].lower() == ch:
            i -= 1
        else:
            return -1
    return i


def _standalone(text: str, start: int, end: int) -> bool:
    """No word character touches ``text[start:end]`` (as ``(?<!\\w)...(?!\\w)``)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_" or after.isalnum() or after == "_")


def _a_piece(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is a piece of an amount, a decimal or a date ("$1596.50",
    "1596-01-01" after the PIN 1596), not the remembered value itself."""
    before = text[start - 1] if start else ""
    if before and before in "$€£#":
        return True
    if before and before in _SEPARATORS and start >= 2 and text[start - 2].isdigit():
        return True
    return end + 1 < len(text) and text[end] in _SEPARATORS and text[end + 1].isdigit()


def _proper_noun_value(text: str, start: int, key: str) -> bool:
    """A one-word value that names something: a listed name or pet's name, or a word
    outside the frequent English words capitalised inside a sentence."""
    names = gazetteer()
    if key in names.frequent_words:
        return False
    if key in names.listed or key in PET_WORD_NAMES:
        return True
    before = text[:start].rstrip()
    return text[start].isupper() and bool(before) and before[-1] not in '.!?:\n"('


def _with_answers(spans: list[Span], answers: list[Span]) -> list[Span]:
    """Detected spans and the answer's values, the answer's type winning over a number's
    shape-only guess at the same place."""
    if not answers:
        return spans
    # An answer inside a detected value of its kind takes the value's bounds: asked for a
    # phone, "(415) 555-0132" is one phone, not "(415)" left before the answer's digits.
    answers = [
        next(
            (
                Span(a.type, s.start, s.end, a.score)
                for s in spans
                if s.start <= a.start
                and a.end <= s.end
                and (s.start, s.end) != (a.start, a.end)
                and s.type in _SHAPE_GUESSES
            ),
            a,
        )
        for a in answers
    ]
    kept = [
        span
        for span in spans
        if not any(
            span.start < a.end
            and a.start < span.end
            and (span.type in _SHAPE_GUESSES or span.type == a.type)
            for a in answers
        )
    ]
    return resolve_overlaps(kept + answers)


def scrub(text: str, detector: Detector | None = None) -> Scrubbed:
    """Scrub a single message, its speaker unknown (placeholders numbered within this
    message only)."""
    result = ConversationScrubber(detector).scrub(text, UNKNOWN_ACTOR)
    assert result is not None  # text is a str
    return result


def scrub_conversation(
    texts: Sequence[str | None],
    detector: Detector | None = None,
    actors: Sequence[str | None] | None = None,
) -> list[Scrubbed | None]:
    """Scrub the messages of one conversation in order, sharing placeholder numbers;
    with ``actors`` (one per text), answers to asked-for identifiers are scrubbed too."""
    scrubber = ConversationScrubber(detector)
    if actors is None:
        return [scrubber.scrub(text) for text in texts]
    return [scrubber.scrub(text, actor) for text, actor in zip(texts, actors, strict=True)]
