"""A small statistical model for the name tokens the rules leave undecided.

The rules in ``persons`` find names after cues, in known slots and by the gazetteer;
what is left is a capitalised word that a name list holds or no English word list does
(or, in an all-lower-case message, a listed name) in a position no rule covers:
"Yesterday Wojcikowska tried again", "hurry up, Mark!", "i think tomasz has it". Those
few candidate tokens per message are scored by a logistic regression over sparse binary
features of the token and its context: its shape, length and last letters, whether it
is a listed first or last name (US or other Faker locales), how frequent it is as an
English word (and the word itself when it is a frequent one), whether it opens a
sentence, the words or word classes next to it and the frequent words within four
tokens. Above ``threshold`` a candidate becomes a PERSON (above ``word_threshold`` when
it is also a frequent English word: "Young", "Grace"), except where the model is known to
read words as names (``_a_word``: a Spanish sentence's opening word, a typo of a frequent
word opening a sentence, an English word in all-lower-case text); a rule's structural
guess (a capitalised run, a list) whose tokens all score below ``veto`` is dropped.

The weights are a JSON file next to this module, written by
``bench/train_name_model.py`` from generated chat messages (see docs/pii.md): a plain
mapping from feature name to weight, so loading it executes nothing. Scoring a token
is a sum of a few dozen dictionary lookups; the feature code below is shared with the
training script, so training and use cannot drift apart.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from pipelines.pii.matching import PLACEHOLDER
from pipelines.pii.names import STOPWORDS, Gazetteer
from pipelines.pii.native import PACKAGE_DIR
from pipelines.pii.person_cues import PLACE_WORDS, lower_case_person_noun
from pipelines.pii.spans import SCAN_AT_MOST, Span, SpanCover

MODEL_FILE = PACKAGE_DIR / "name_model.json"
# Span score of a name the model found: below every rule's, so rules win overlaps.
MODEL_SCORE = 0.45
# Rule PERSON spans at or below this score come from the structural guesses
# (capitalised runs, lists, subjects, vocatives), not from a cue: the model may veto them.
WEAK_RULE_SCORE = 0.65
# Words, a possessive "'s" on its own, digit runs and single punctuation marks. A word
# keeps inner apostrophes and hyphens ("O'Neil", "Mary-Jane") but not a final "'s".
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-](?!s\b)[^\W\d_]+)*|['’]s\b|\d+|[^\w\s]")
_CONTRACTION = re.compile(r"['’][a-z]")
_WORD = re.compile(r"[^\W\d_]+")
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]*")
# Our own placeholders ("<PERSON_1>") and the marks that stand for found values.
_NAME_MARK = "<name>"
_VALUE_MARK = "<value>"
_MARKS = frozenset({_NAME_MARK, _VALUE_MARK})
# Tokens after which the next word opens a sentence (or a line item, a quote).
_SENTENCE_OPENERS = frozenset('.!?:;"“”()[]-–—•*>|/')
# English word frequency rank buckets: (upper bound, feature suffix).
_RANK_BUCKETS = ((1_000, "1k"), (5_000, "5k"), (10_000, "10k"), (40_000, "40k"))
# A neighbouring word this frequent is a feature by itself ("p1:with"); rarer ones are
# reduced to a class, so the model learns from contexts, not from the names in them.
_CONTEXT_WORD_RANK = 10_000
# Capitalised words among this many most frequent English words are candidates only
# when a name list holds them ("Mark" yes, "Express" no).
_ENGLISH_VOCABULARY = 40_000
# Words this many tokens either side are a bag of context ("restaurant", "flight").
_WINDOW = 4
# In all-lower-case text a listed name that is also one of this many most frequent
# English words ("fee", "brown") is read as the word, unless it is a US first name.
_LOWER_CASE_WORD_RANK = 3_000


class Token(NamedTuple):
    start: int
    end: int
    text: str
    low: str
    # First word of a sentence or line: capitals there say little.
    opens: bool


def tokenize(text: str) -> list[Token]:
    """Words, "'s", digit runs and punctuation of ``text`` with offsets."""
    tokens: list[Token] = []
    previous_end = 0
    opens = True
    for m in _TOKEN.finditer(text):
        word = m.group()
        start = m.start()
        if "\n" in text[previous_end:start]:
            opens = True
        tokens.append(Token(start, m.end(), word, word.lower(), opens))
        opens = word in _SENTENCE_OPENERS
        previous_end = m.end()
    return tokens


def _is_word(token: Token) -> bool:
    return token.text[0].isalpha()


def _rank(low: str, names: Gazetteer) -> int:
    """Frequency rank as an English word; a hyphenated word ranks as its rarest part
    ("e-mail" is English, "rosales-mcguire" is not)."""
    rank = names.english_rank.get(low)
    if rank is not None:
        return rank
    if "-" in low:
        return max(names.english_rank.get(part, 1_000_000) for part in low.split("-"))
    return 1_000_000


def _rank_bucket(rank: int) -> str:
    for bound, label in _RANK_BUCKETS:
        if rank < bound:
            return label
    return "rare"


def _listed(low: str, names: Gazetteer) -> str:
    """Which name lists hold the word: US first (F) / last (L), other locales' (f / l)."""
    return (
        ("F" if low in names.us_first_names else "")
        + ("L" if low in names.us_last_names else "")
        + ("f" if low in names.first_names else "")
        + ("l" if low in names.last_names else "")
    )


def _shape(word: str) -> str:
    if len(word) > 1 and word.isupper():
        return "X"
    if word[0].isupper():
        return "Xx" if word[1:].islower() or len(word) == 1 else "XxX"
    return "x" if word.islower() else "xX"


def _context(tokens: list[Token], i: int, names: Gazetteer) -> tuple[str, str]:
    """(word, class) of the token at ``i`` as seen from a neighbour."""
    if i < 0:
        return "<s>", "<s>"
    if i >= len(tokens):
        return "</s>", "</s>"
    token = tokens[i]
    if token.text == _NAME_MARK:
        return "<XxN>", "XxN"  # a name already found reads like a listed name
    if not _is_word(token):
        # a found value (a phone, an email ...) reads like the numbers of training text
        digits = token.text[0].isdigit() or token.text == _VALUE_MARK
        mark = "<d>" if digits else token.low.replace("’", "'")
        return mark, mark
    listed = "N" if _listed(token.low, names) else ""
    cls = _shape(token.text) + listed + ("" if _rank(token.low, names) < 40_000 else "r")
    word = token.low if _rank(token.low, names) < _CONTEXT_WORD_RANK else f"<{cls}>"
    return word, cls


def features(tokens: list[Token], i: int, names: Gazetteer, all_lower: bool) -> list[str]:
    """Binary features of the word at ``tokens[i]``: what it is, and where it stands."""
    token = tokens[i]
    word, low = token.text, token.low
    shape = _shape(word)
    rank = _rank(low, names)
    bucket = _rank_bucket(rank)
    listed = _listed(low, names) or "-"
    opens = "o" if token.opens else "m"
    p1, pc1 = _context(tokens, i - 1, names)
    p2, pc2 = _context(tokens, i - 2, names)
    n1, nc1 = _context(tokens, i + 1, names)
    n2, nc2 = _context(tokens, i + 2, names)
    found = [
        f"s:{shape}",
        f"r:{bucket}",
        f"g:{listed}",
        f"so:{shape}{opens}",
        f"gs:{listed}{shape}{opens}",
        f"rs:{bucket}{shape}{opens}",
        f"gr:{listed}{bucket}",
        f"len:{min(len(word), 10)}",
        f"p1:{p1}",
        f"p2:{p2}",
        f"n1:{n1}",
        f"n2:{n2}",
        f"pc1:{pc1}",
        f"nc1:{nc1}",
        f"pc2:{pc2}|{pc1}",
        f"nc2:{nc1}|{nc2}",
        f"gn:{listed}|{nc1}",
        f"gp:{listed}|{pc1}",
    ]
    if len(low) > 3:
        found.append(f"suf:{low[-3:]}")
    if rank < _CONTEXT_WORD_RANK:
        found.append(f"w:{low}")
    if low in names.common_words:
        found.append("common")
    if all_lower:
        found.append(f"lower:{listed}{bucket}")
    window = set()
    for j in range(max(0, i - _WINDOW), min(len(tokens), i + _WINDOW + 1)):
        near = tokens[j]
        if j == i:
            continue
        if near.text[0].isdigit() or near.text == _VALUE_MARK:
            window.add("<d>")
        elif (
            near.text[0].isalpha()
            and near.low not in STOPWORDS
            and _rank(near.low, names) < _CONTEXT_WORD_RANK
        ):
            window.add(near.low)
    found += [f"win:{w}" for w in window]
    return found


def candidate(tokens: list[Token], i: int, names: Gazetteer, all_lower: bool) -> bool:
    """Whether the word at ``tokens[i]`` is worth scoring: the same test in training and
    in use. Function words, acronyms and sentence-opening frequent words that no list
    holds are never names; in a normally capitalised message neither are lower-case
    words; in an all-lower-case one only listed names are candidates."""
    token = tokens[i]
    word, low = token.text, token.low
    if len(word) < 2 or not word[0].isalpha() or low in STOPWORDS:
        return False
    if all_lower:
        return bool(_listed(low, names)) and (
            _rank(low, names) >= _LOWER_CASE_WORD_RANK or low in names.us_first_names
        )
    if not word[0].isupper() or word.isupper() or word[:-1].isupper():
        return False  # lower case, or an acronym ("SWIFT", "ATMs")
    if _CONTRACTION.search(word):
        return False  # "I've", "That'll": contractions, not "O'Neil"
    if not _listed(low, names) and _rank(low, names) < _ENGLISH_VOCABULARY:
        return False  # "Booking", "Express", "Polish": an English word no list holds
    if low in PLACE_WORDS:
        return False
    # "San Francisco", "Beverly Hills", "Alaska Airlines": the run is a place or a
    # business, which the name rules have already turned down.
    for j in (i - 1, i + 1):
        if 0 <= j < len(tokens) and tokens[j].text[0].isupper() and tokens[j].low in PLACE_WORDS:
            return False
    return True


@dataclass(frozen=True)
class NameModel:
    """Weights of the logistic regression and the decision thresholds (logits): one for
    candidates among the ``_CONTEXT_WORD_RANK`` most frequent English words, which are
    more often the word than a name ("Young people ...", "Will you ..."), one for the
    rest (names no English list holds, listed names that are rare words)."""

    weights: dict[str, float]
    bias: float
    threshold: float
    veto: float
    word_threshold: float

    def logit(self, found: list[str]) -> float:
        weights = self.weights
        return self.bias + sum(weights.get(f, 0.0) for f in found)

    def review(
        self, text: str, spans: list[Span], names: Gazetteer, veto: bool = True
    ) -> list[Span]:
        """``spans`` (resolved, ordered) with the model's say on names: candidate tokens
        no span covers become PERSON when they score above ``threshold`` (neighbouring
        ones, a middle initial between them allowed, join); a PERSON span of the weaker
        rules (a capitalised run, a list: score at most ``WEAK_RULE_SCORE``) is dropped
        when every candidate token in it scores below ``veto``. With ``veto=False``
        every span stands and is read as found (a second look after more names were
        found: the words around them as a scrub would leave them)."""
        under_review = [
            s for s in spans if veto and s.type == "PERSON" and s.score <= WEAK_RULE_SCORE
        ]
        if not under_review and not _may_hold_candidates(text, spans, names):
            return spans
        reviewed = set(under_review)
        tokens, all_lower = model_tokens(text, [s for s in spans if s not in reviewed])
        owner_of = _Owners(under_review)
        spanish: list[bool] = []  # whether the message is mostly Spanish, once asked

        def mostly_spanish() -> bool:
            if not spanish:
                spanish.append(_mostly_spanish(tokens, names))
            return spanish[0]

        hits: list[int] = []
        weak_logits: dict[Span, float] = {}
        for i, token in enumerate(tokens):
            if not candidate(tokens, i, names, all_lower):
                continue
            owner = owner_of.first(token.start, token.end)
            logit = self.logit(features(tokens, i, names, all_lower))
            if owner is None:
                if logit > self.decision_threshold(token.low, names) and not _a_word(
                    text, tokens, i, names, all_lower, logit, mostly_spanish
                ):
                    hits.append(i)
            else:
                weak_logits[owner] = max(logit, weak_logits.get(owner, -math.inf))
        vetoed = {span for span, logit in weak_logits.items() if logit < self.veto}
        if not hits and not vetoed:
            return spans
        kept = [s for s in spans if s not in vetoed]
        return sorted(kept + _join(tokens, hits, text), key=lambda s: s.start)

    def decision_threshold(self, low: str, names: Gazetteer) -> float:
        """The logit a candidate (lower-cased ``low``) must pass to become a PERSON."""
        frequent = _rank(low, names) < _CONTEXT_WORD_RANK
        return self.word_threshold if frequent else self.threshold


def _a_word(
    text: str,
    tokens: list[Token],
    i: int,
    names: Gazetteer,
    all_lower: bool,
    logit: float,
    mostly_spanish: Callable[[], bool],
) -> bool:
    """Whether a word the model would call a name is read as a word after all, where the
    model (trained on English chat and narrative text) is known to go wrong:
    - in all-lower-case text, a listed name that is one of the ``_ENGLISH_VOCABULARY``
      English words and no US first name, unless its ``logit`` passes the bar the model
      had for every word before round 8 ("hacker locked me out", "tracking sys label";
      not "ask lena"): capitals are what the lower bar of round 8 was set on;
    - a word opening a sentence (or following "¿", "¡") in a message mostly in Spanish
      ("¿Qué dispositivo usas?", "Puede tardar hasta una hora"), where a capital says
      nothing and the context words mean nothing to the model; in an all-lower-case
      Spanish message, any word ("el hoodie llegó oto");
    - a word opening a sentence that no name list holds and that is one typing slip away
      from one of the ``_TYPO_WORD_RANK`` most frequent English words: two letters
      swapped, one left out or one doubled ("Perfcet", "Prfect", "Sennt from my
      iPhone"; not a letter replaced or added, as in the names "Chise" and "Beike");
    - a lower-case money word that is also a US first name, after a determiner or a
      bill's kind or before an account word (``_MONEY_NOUNS``: "my phone bill", "ira
      account");
    - "guys", or "guy" after a determiner (``person_cues.lower_case_person_noun``);
    - a capitalised word alone after "the" ("Great, the Lucca is happy to accommodate
      you", "the Belmont has a pool"): English puts no article before a person's name,
      and a venue or brand takes one. Not when a capitalised word follows ("the Jane
      Smith account" is the model's to judge), nor for a US first name or surname ("the
      Maria at the front desk")."""
    token = tokens[i]
    low = token.low
    if lower_case_person_noun(text, token.start, token.text):
        return True  # "that guy was rude", "the delivery guy left it"
    if _after_the_alone(tokens, i) and not _us_name(low, names):
        return True
    if token.text in _MONEY_NOUNS and (
        (i > 0 and tokens[i - 1].low in _BEFORE_MONEY_NOUN)
        or (i + 1 < len(tokens) and tokens[i + 1].low in _AFTER_MONEY_NOUN)
    ):
        return True
    if (
        all_lower
        and _rank(low, names) < _ENGLISH_VOCABULARY
        and low not in names.us_first_names
        and logit <= _LOWER_CASE_WORD_LOGIT
    ):
        return True
    opens = token.opens or (i > 0 and tokens[i - 1].text in _SPANISH_OPENERS)
    if (opens or all_lower) and mostly_spanish():
        return True
    return opens and low not in names.listed and _slip_of(low, names)


def _us_name(low: str, names: Gazetteer) -> bool:
    """A US first name or surname: after "the" it is still a person ("the Maria at the
    front desk was rude", a review found)."""
    return low in names.us_first_names or low in names.us_last_names


def _after_the_alone(tokens: list[Token], i: int) -> bool:
    """Whether the capitalised word at ``i`` follows "the" and no capitalised word
    follows it (see ``_a_word``)."""
    if i == 0 or tokens[i - 1].low != "the" or not tokens[i].text[0].isupper():
        return False
    following = tokens[i + 1].text if i + 1 < len(tokens) else ""
    return not (following[:1].isupper() or following == _NAME_MARK)


# US first names that support chat writes in lower case as the money words they also are
# ("my phone bill is wrong", "ira account number ...", "a penny short"), which the model
# reads as names (US first names pass its lower-case rule): words where the words around
# make them the thing, after a determiner or a bill's kind ("my bill", "the phone bill",
# "roth ira") or before an account word ("ira account", "bill payment"). "this is bill
# from accounting", "my husband bill", capitalised "Bill" and a rule's span after a cue
# ("my name is bill") stay names.
_MONEY_NOUNS = frozenset({"bill", "bills", "ira", "penny", "cash", "chase", "sterling"})
_BEFORE_MONEY_NOUN = frozenset([
    "my", "your", "the", "a", "an", "this", "that", "our", "his", "her", "their",
    "last", "next", "monthly", "first", "new", "old", "whole", "phone", "electric",
    "electricity", "cable", "water", "gas", "internet", "utility", "medical",
    "hospital", "hydro", "power", "wireless", "cell", "mobile", "tax", "credit", "card",
    "roth", "traditional", "rollover", "petty"
])  # fmt: skip
_AFTER_MONEY_NOUN = frozenset([
    "account", "acct", "accounts", "contribution", "contributions", "rollover",
    "balance", "payment", "payments", "pay", "due", "amount"
])  # fmt: skip
# Marks that open a question or an exclamation in Spanish.
_SPANISH_OPENERS = frozenset("¿¡")
# A typing slip of one of this many most frequent English words is that word.
_TYPO_WORD_RANK = 10_000
# ... if it has at least this many letters (shorter words are one slip from too much).
_TYPO_MIN_LENGTH = 4
# In all-lower-case text an English word that is also a listed name is a name only above
# this logit: the single threshold before round 8 (0.97 validation precision then).
_LOWER_CASE_WORD_LOGIT = 1.4
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _mostly_spanish(tokens: list[Token], names: Gazetteer) -> bool:
    """Whether more of the words are Spanish than English (and at least two are): a
    word is of the language in whose frequency list it ranks higher."""
    spanish = english = 0
    for token in tokens:
        if not _is_word(token) or token.text in _MARKS:
            continue
        es = names.spanish_rank.get(token.low, 1_000_000)
        en = _rank(token.low, names)
        if es < en:
            spanish += 1
        elif en < es:
            english += 1
    return spanish >= 2 and spanish > english


def _slip_of(low: str, names: Gazetteer) -> bool:
    """Whether ``low`` is a frequent English word with two neighbouring letters swapped,
    one letter left out or one doubled ("perfcet", "prfect", "sennt")."""
    if len(low) < _TYPO_MIN_LENGTH or not low.isascii():
        return False
    rank = names.english_rank

    def frequent(word: str) -> bool:
        return len(word) >= _TYPO_MIN_LENGTH and rank.get(word, _TYPO_WORD_RANK) < _TYPO_WORD_RANK

    for k in range(len(low)):
        if k > 0 and low[k] == low[k - 1] and frequent(low[:k] + low[k + 1 :]):
            return True  # doubled
        if k + 1 < len(low) and frequent(low[:k] + low[k + 1] + low[k] + low[k + 2 :]):
            return True  # swapped
    return any(
        frequent(low[:k] + c + low[k:]) for k in range(len(low) + 1) for c in _LETTERS
    )  # left out


class _Owners:
    """The first of the spans under review (ordered by start, as found) that overlaps a
    token: by a scan of a few, a query in O(log n) of many that neither overlap nor are
    empty, as found spans are (the scan alone was quadratic in a message of thousands of
    names)."""

    def __init__(self, spans: list[Span]) -> None:
        self._spans = spans
        self._ordered = (
            len(spans) > SCAN_AT_MOST
            and all(s.start < s.end for s in spans)
            and all(a.end <= b.start for a, b in pairwise(spans))
        )
        self._starts = [s.start for s in spans] if self._ordered else []
        self._ends = [s.end for s in spans] if self._ordered else []

    def first(self, start: int, end: int) -> Span | None:
        if not self._spans:
            return None
        if not self._ordered:
            return next((s for s in self._spans if s.start < end and start < s.end), None)
        j = bisect_right(self._ends, start)  # the first span that ends after ``start``
        if j < len(self._spans) and self._starts[j] < end:
            return self._spans[j]
        return None


def _may_hold_candidates(text: str, spans: list[Span], names: Gazetteer) -> bool:
    """Whether any word outside ``spans`` could be a candidate: a capitalised word that a
    name list holds or no English word list does, or, when no capital stands outside
    ``spans``, a listed lower-case word. Nearly a superset of ``candidate`` (a hyphenated
    word is looked at part by part), checked without tokenizing: most messages have no
    candidate, and tokenizing costs more than the rest of the model."""
    rank, listed = names.english_rank, names.listed

    if not spans:
        # Every word is outside: the words alone decide, no match object or offset
        # needed (most messages of real chat have no span).
        capitals = _CAPITALISED.findall(text)
        for word in capitals:
            low = word.lower()
            if low in listed or rank.get(low, _ENGLISH_VOCABULARY) >= _ENGLISH_VOCABULARY:
                return True
        if capitals:
            return False
    capital_outside = False
    found = SpanCover(spans)
    for m in _CAPITALISED.finditer(text) if spans else ():
        # A word inside a span says nothing either way: placed first, so the names the
        # rules found are never lower-cased and looked up.
        if not found.covers(m.start()):
            low = m.group().lower()
            if low in listed or rank.get(low, _ENGLISH_VOCABULARY) >= _ENGLISH_VOCABULARY:
                return True
            capital_outside = True
    if capital_outside:
        return False
    # Most messages hold no listed word anywhere: one set test over all words first.
    if listed.isdisjoint(_WORD.findall(text)):
        return False
    return any(
        word in listed
        and (word in names.us_first_names or rank.get(word, 10**6) >= _LOWER_CASE_WORD_RANK)
        and not found.covers(m.start())
        for m in _WORD.finditer(text)
        if (word := m.group()).islower()
    )


def model_tokens(text: str, found: list[Span]) -> tuple[list[Token], bool]:
    """The tokens the model reads and whether the text is all lower case, both judged
    around the ``found`` values and the placeholders a scrub left, each read as one mark:
    scrubbing rewrites only those, so scrubbing again never changes a verdict."""
    found = found + [
        Span("PERSON" if m.group().startswith("<PERSON_") else "VALUE", m.start(), m.end(), 1)
        for m in PLACEHOLDER.finditer(text)
    ]
    tokens = _masked(text, found)
    all_lower = not any(
        c.isupper() for token in tokens if token.text not in _MARKS for c in token.text
    )
    return tokens, all_lower


def _masked(text: str, found: list[Span]) -> list[Token]:
    """The tokens of ``text`` with each found value (and each placeholder a scrub left)
    as one mark token: a name by ``_NAME_MARK``, anything else by ``_VALUE_MARK``. The
    text between values is tokenized on its own, as it will be once they are
    placeholders: a word a value ends inside ("@F'Dvts": the handle is "@F") is then a
    word of its own ("<HANDLE_1>'Dvts"), and a second scrub must read it the same."""
    if not found:
        return tokenize(text)
    out: list[Token] = []
    cursor = 0
    for span in sorted(found, key=lambda s: s.start):
        if span.start < cursor:  # overlaps the value before it: one mark for both
            if span.end > cursor:
                last = out[-1]
                out[-1] = Token(last.start, span.end, last.text, last.low, last.opens)
                cursor = span.end
            continue
        _between(text, cursor, span.start, out)
        mark = _NAME_MARK if span.type == "PERSON" else _VALUE_MARK
        out.append(Token(span.start, span.end, mark, mark, _opens_after(text, out, span.start)))
        cursor = span.end
    _between(text, cursor, len(text), out)
    return out


def _between(text: str, start: int, end: int, out: list[Token]) -> None:
    """Append the tokens of ``text[start:end]``, which follows a mark when ``out`` ends
    with one."""
    for index, token in enumerate(tokenize(text[start:end])):
        opens = _opens_after(text, out, start + token.start) if index == 0 else token.opens
        out.append(Token(start + token.start, start + token.end, token.text, token.low, opens))


def _opens_after(text: str, out: list[Token], start: int) -> bool:
    """Whether a token at ``start`` opens a sentence or line, after the tokens in ``out``.
    After a value, as after the word it was, it does not (a placeholder's closing ">"
    would make it one, and a second scrub of "{ <PERSON_1> Crystal" read "Crystal"
    unlike the first), unless a line break is between."""
    if not out:
        return True
    previous = out[-1]
    if "\n" in text[previous.end : start]:
        return True
    return previous.text not in _MARKS and previous.text in _SENTENCE_OPENERS


def _join(tokens: list[Token], hits: list[int], text: str) -> list[Span]:
    spans: list[Span] = []
    for i in hits:
        token = tokens[i]
        if spans:
            last = spans[-1]
            between = text[last.end : token.start]
            gap = tokens[i - 1] if i > 0 else None
            if between.strip() == "" or (
                gap is not None
                and gap.start >= last.end
                and len(gap.text) == 1
                and gap.text.isupper()
                and text[last.end : token.start].replace(gap.text, "", 1).strip(" .") == ""
            ):
                spans[-1] = Span("PERSON", last.start, token.end, MODEL_SCORE)
                continue
        spans.append(Span("PERSON", token.start, token.end, MODEL_SCORE))
    return spans


@lru_cache(maxsize=1)
def name_model() -> NameModel:
    """The packaged model (read once per process)."""
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    return NameModel(
        weights=data["weights"],
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        veto=float(data["veto"]),
        word_threshold=float(data["word_threshold"]),
    )
