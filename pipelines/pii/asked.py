"""What a bot or agent turn asks for, and where the customer's answer to it is.

A customer who is asked for a PIN answers "84318931431" or "9431 or 0314"; asked for a
date of birth, "31/06/1996"; asked for a mother's maiden name, "Sanchez". Alone, such
an answer looks harmless (digits, a date, one word), so message-level rules miss it.
The conversation supplies the missing cue: ``asked_types`` reads a bot/agent turn for
the identifiers it requests, and ``answer_spans`` finds the values of those types in
the next customer turn, however they are written.

Hand-written: no library models "the answer to the previous question"; the rules are
a small request vocabulary and per-type value shapes, each argued below.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines.pii.cues import KEPT_RIGHT_BEFORE, listed_answer_name, names_a_kept_number
from pipelines.pii.matching import first_letter_guard
from pipelines.pii.names import STOPWORDS, Gazetteer
from pipelines.pii.numbers import COMPACT_DATE
from pipelines.pii.places import places
from pipelines.pii.spans import Span

# What a turn asks for, by the entity type its answer gets. Lower-cased text is matched.
# A maiden name or a name on the card is a person; a pet's or a favourite thing's name
# answers a security question, so it is a credential.
_ASKS = (
    (
        "CREDENTIAL",
        r"\bpins?\b|pin\s*(?:code|number)|pass\s?(?:code|word|phrase)|\bpwd\b"
        r"|(?:security|verification|access|one[- ]time|auth\w*)\s+code|\botp\b|\bcvv\b|\bcvc\b"
        r"|security\s+(?:question|answer|word)|secret\s+(?:question|answer|word)"
        r"|(?:pet|dog|cat)(?:'?s)?\s+name|first\s+(?:pet|car|school|job|teacher)"
        r"|name\s+of\s+(?:your|the)\s+(?:first\s+|childhood\s+)?(?:pet|dog|cat)"
        r"|childhood\s+(?:pet|dog|cat|friend|hero|nickname)"
        r"|\benter\s+(?:the|your|that)\s+(?:\d+[- ]digit\s+)?code\b"
        r"|favou?rite\s+(?:\w+\s+)?(?:teacher|book|movie|food|color|colour|team|band|city|place|sport)"
        r"|(?:street|city|town)\s+(?:you|did\s+you)\s+grow\s+up|high\s+school\s+mascot",
    ),
    (
        "PERSON",
        r"\b(?:your|the|full|first|last|legal)\s+(?:(?:full|first|last|legal|given|sur)\s*)?name\b"
        r"(?!\s+(?:of\s+the|on\s+(?:file|record)\s+for))"
        r"|maiden\s+name|who\s+(?:am\s+i|i\s+am)\s+(?:speaking|chatting|talking)\s+(?:with|to)"
        r"|name\s+(?:on|for)\s+the\s+(?:account|card|booking|reservation|order)"
        r"|(?:your|the)\s+(?:account\s+holder|cardholder)",
    ),
    (
        "DATE_OF_BIRTH",
        r"date\s+of\s+birth|birth\s*date|\bdob\b|d\.o\.b|when\s+(?:were|was)\s+\w*\s*born"
        r"|\bbirthday\b|\byear\s+of\s+birth",
    ),
    ("US_SSN", r"social\s+security|\bssn\b|\bsocial\b|last\s+(?:four|4)\s+of\s+your\s+social"),
    (
        "BANK_ACCOUNT",
        r"\b(?:bank\s+|checking\s+|savings\s+)?(?:account|acct)\s*(?:number|no\b|num\b|#)"
        r"|routing\s+number|\biban\b",
    ),
    (
        "ID_NUMBER",
        r"\b(?:member(?:ship)?|customer|policy|loyalty|rewards|patient|student|employee"
        r"|license|licence|passport|driver'?s\s+license)\s*(?:number|no\b|num\b|#|id\b)"
        r"|member\s+id|customer\s+id|\bid\s+number",
    ),
    (
        "CREDIT_CARD",
        r"\bcard\s*(?:number|no\b|num\b|#)|(?:last|first)\s+(?:four|4|six|6)\s+(?:digits\s+)?"
        r"(?:of|on)\s+(?:your|the)\s+card|credit\s+card|debit\s+card|expir\w+\s+date",
    ),
    (
        "ORDER_ID",
        r"\b(?:order|confirmation|reservation|booking|reference|ticket|tracking|case|claim)"
        r"\s*(?:number|no\b|num\b|#|id\b|code)",
    ),
    (
        "STREET_ADDRESS",
        r"(?<!e-)(?<!email\s)(?<!e-mail\s)\b(?:your|the|home|billing|shipping|mailing|street"
        r"|delivery|service)\s+address\b|where\s+do\s+you\s+live",
    ),
    ("ZIP_CODE", r"\bzip\b|zip\s*code|postal\s+code|\bpostcode"),
    ("PHONE", r"(?:phone|cell|mobile|contact|callback|call\s*back)\s*(?:number|no\b|#)"),
    ("EMAIL", r"\be-?mail\b"),
)
# Behind a lookahead on the letters the requests start with: Python's ``re`` tries every
# alternative at every position, and most positions start with none of them.
_ASK = re.compile(
    first_letter_guard("(?:" + "|".join(f"(?P<{t}>{pattern})" for t, pattern in _ASKS) + ")")
)
# A request, not a statement: "Could I get your full name, please?" asks; "Your card
# number has been updated." does not.
_REQUEST = re.compile(
    r"\?|\b(?:please|pls|plz|provide|confirm|verify|tell\s+me|give\s+me|enter|type|share"
    r"|send\s+me|need|may\s+i|can\s+i|could\s+i|what'?s|what\s+is|what\s+was|let\s+me\s+know"
    r"|state|spell)\b"
)

# Answers that refuse or deflect: nothing to scrub ("I forgot.", "why?").
_NON_ANSWER = re.compile(
    r"\b(?:forg[eo]t|don'?t|dont|do\s+not|can'?t|cannot|not\s+sure|no\s+idea|why|what"
    r"|remember|rather\s+not|skip|later|lost|unsure|idk)\b|\?\s*$",
)
# Words that lead into an answer: "it's", "sure, my name is", "yes it is".
_LEAD_WORDS = frozenset(
    """
    it's its it is was my name the pin password passcode number code answer sure yes yeah
    yep ok okay of course sure, that's that would be i think believe maybe probably um uhm
    uh hmm well here you go this is i'm im am mother's mothers maiden mom's moms pet's pets
    full first last date birth dob birthday account member card zip postal address either
    just should be could be might be and or
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
# Words that are chat, never an answer ("one moment", "hello there", "thanks").
_CHAT_WORDS = frozenset(
    """
    hello hi hey thanks thank please moment second sec minute hold wait sorry help need want
    check look find sure yes no ok okay fine great good right correct wrong here there
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
_CLAUSE = re.compile(r"[^,.;!?\n]+")
_SENTENCE = re.compile(r"[^!?\n]+?(?:\.(?=\s|$)|$|(?=[!?\n]))")
_FIRST_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SECRET_TOKEN = re.compile(r"[^\s,;!?]+")
# A value holding digits: one token, or digit groups typed apart ("8431 8931 431"), with
# its letters and a share or loan suffix ("19739828-L01").
_DIGIT_VALUE = re.compile(
    r"(?<![\w$£€.,:])(?:[A-Za-z]{0,4}-?)?\d[\dA-Za-z]*(?:[ \t-]{1,2}\d[\dA-Za-z]*)*"
    r"(?:-[A-Za-z]{1,3}\d{0,3})?(?![\w:%])"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# Any date-like stretch: digit groups and month names ("31/06/1996", "june 3rd 1990",
# "3 of march, 85"). Asked for a date of birth, the whole stretch is the value.
_DATE_VALUE = re.compile(
    rf"(?:\d{{1,4}}(?:st|nd|rd|th)?|{_MONTH}\b\.?)(?:(?:[ \t]*[/.,-][ \t]*|[ \t]+(?:of[ \t]+)?)"
    rf"(?:\d{{1,4}}(?:st|nd|rd|th)?|{_MONTH}\b\.?))*",
    re.IGNORECASE,
)
# A day/month/year date (either order) with a year from 1900 to 2012.
_BIRTH_YEAR_DATE = re.compile(
    r"(?<![\w/.-])\d{1,2}([/.-])\d{1,2}\1(?:19\d\d|200\d|201[0-2])(?![\w/-])"
)
# A date with its year: "31/06/1996", "may 21 1909", "3 of march, 85" is not one.
_FULL_DATE = re.compile(
    r"\d{1,2}[ \t]*[/.,-][ \t]*\d{1,2}[ \t]*[/.,-][ \t]*\d{2,4}|\b(?:19|20)\d\d\b"
)
# A day/month/year written with slashes: its parts are not PINs or account numbers
# when they can be a date (``_is_date``: "88/12/4410" is an account number typed apart).
_SLASH_DATE = re.compile(r"(?<![\w/])(\d{1,4})/(\d{1,2})/(\d{2,4})(?![\w/])")


def _is_date(m: re.Match[str]) -> bool:
    """Year first (yyyy/mm/dd) or last, day and month in either order, a 2- or 4-digit
    year from 1900 to 2099."""
    first, second, last = m.group(1), m.group(2), m.group(3)
    a, b = int(first), int(second)
    if len(first) == 4:
        return 1900 <= a <= 2099 and 1 <= b <= 12 and 1 <= int(last) <= 31
    if len(last) == 4 and not 1900 <= int(last) <= 2099:
        return False
    return len(first) <= 2 and 1 <= a <= 31 and 1 <= b <= 31 and min(a, b) <= 12


# Numbers that answer nothing personal: amounts, times and counts.
_QUANTITY_AFTER = re.compile(
    r"[ \t]*(?:%|(?:am|pm|dollars?|bucks|usd|cents?|minutes?|mins?|hours?|hrs?|days?|weeks?"
    r"|months?|years?|times?|items?|people|guests|nights?|seconds?|secs?|miles?|km|kms"
    r"|points?|pts|credits?|steps?|calories|views|followers|likes|users|units?|pieces|pcs|lbs?|kg"
    r"|[kmgt]b|bytes|customers?|shares|increments|subscribers|members|downloads|transactions"
    r"|emails|files|orders|messages|texts|calls|visits|clicks|impressions"
    r"|won|yen|yuan|vnd|jpy|krw|cny|inr|idr|php|mxn|eur|gbp|euros?|pounds?|pesos?|rupees?|rupiah)\b)",
    re.IGNORECASE,
)
# Types whose answer is a number, and the fewest digits that can identify someone.
_MIN_DIGITS = {
    "CREDENTIAL": 3,
    "US_SSN": 4,
    "BANK_ACCOUNT": 4,
    "ID_NUMBER": 3,
    "CREDIT_CARD": 4,
    "ORDER_ID": 4,
    "ZIP_CODE": 5,
    "PHONE": 7,
}
# Types whose answer may be words: a name, a security answer, an address.
_WORD_ANSWERS = frozenset({"PERSON", "CREDENTIAL", "STREET_ADDRESS"})
MAX_ANSWER_WORDS = 4


@lru_cache(maxsize=8192)
def asked_types(text: str) -> frozenset[str]:
    """Entity types a bot or agent turn asks the customer for (empty: none).

    Cached: bot and agent turns are mostly templates, repeated in every conversation."""
    low = text.lower()
    if not _REQUEST.search(low) and not _terse_request(low):
        return frozenset()
    found = {t for m in _ASK.finditer(low) for t, value in m.groupdict().items() if value}
    if (
        "CREDENTIAL" in found
        and "maiden" not in low
        and _SECURITY_ANSWER.search(low)
        and not _OWN_NAME.search(low)
    ):
        # "the name of your first pet": a security answer, whatever "name" says. Not
        # "your full name, account number, and PIN": the PIN is asked with the name.
        found.discard("PERSON")
    return frozenset(found)


# A request for more of the value just asked for, or for it again ("Can you tell me the
# rest?" after "I think it starts with an 18", "That doesn't match. Could you try
# again?"): it names no identifier, so it asks for what the previous request did.
_ASKS_AGAIN = re.compile(
    r"\b(?:the\s+rest\b|rest\s+of\s+(?:it|the|your|that)\b|(?:remaining|other|missing)"
    r"\s+(?:digits|numbers|characters|part|half)\b|try\s+(?:it\s+|that\s+)?again\b"
    r"|(?:say|type|enter|give|send|spell|tell\s+me)\s+(?:it|that|them)\s+again\b"
    r"|repeat\s+(?:it|that)\b|re-?(?:enter|type)\s+(?:it|that)\b|one\s+more\s+time\b)"
)
# A question or a polite request: "Thanks, I'll take care of the rest." asks nothing.
_ASKING_AGAIN = re.compile(r"\?|\b(?:please|pls|could\s+you|can\s+you|would\s+you)\b")


@lru_cache(maxsize=8192)
def asks_again(text: str) -> bool:
    """A bot or agent turn asks for the rest of the value it asked for last, or for it
    again, without naming it ("Can you tell me the rest?", "Could you try again?")."""
    low = text.lower()
    for m in _ASKS_AGAIN.finditer(low):
        # the sentence the request is in asks: "Thanks, I'll take care of the rest.
        # Anything else?" does not ask for the rest
        start = max(low.rfind(c, 0, m.start()) for c in ".!?\n") + 1
        ends = [i for i in (low.find(c, m.end()) for c in ".!?\n") if i >= 0]
        end = min(ends) if ends else len(low)
        if low.startswith("?", end) or _ASKING_AGAIN.search(low, start, end) is not None:
            return True
    return False


# The customer's own name asked for, beside a security question ("your full name and
# the name of your first pet").
_OWN_NAME = re.compile(r"\b(?:full|first|last|legal|given|sur)\s*name\b|\byour\s+name\b")


# A terse turn that only names what it wants ("Account number and pin", "Your mother's
# maiden name and childhood pet"): a request without "?" or "please". A statement about
# an identifier has a verb ("Your card number has been updated").
_STATEMENT_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|been|will|would|did|does|do|can|could|should|must"
    r"|updated|changed|sent|added|removed|verified|confirmed|locked|blocked)\b"
)
_TERSE_WORDS = 8


def _terse_request(low: str) -> bool:
    return len(low.split()) <= _TERSE_WORDS and _STATEMENT_VERB.search(low) is None


# Seven digits or more (typed apart too): the test before ``unexplained_numbers`` scans.
_SEVEN_DIGITS = re.compile(r"(?:\d[ \t-]?){6}\d")
_UNEXPLAINED_DIGITS = 7
# After the number: the word of a number kept on purpose ("1234567890 is my order
# number", "1000234567 (order id)", "772345678901 fedex"); not "member", an identifier.
_KEPT_AFTER = re.compile(
    r"[ \t]*[(,]?[ \t]*(?:(?:is|was)[ \t]+(?:my|the|our|an?)[ \t]+)?(?:order|ticket|case|rma"
    r"|claim|invoice|confirmation|reference|ref|tracking|fedex|ups|usps|dhl|batch|store|merchant"
    r"|company|amazon)\b"
    r"|[ \t]+(?:is|was)[ \t]+(?:my|the|our|their|his|her)[ \t]+order\b",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")
# DDMMYYYY (a time of day may follow) and dates with separators ("15-01-2024").
_DAY_FIRST_DATE = re.compile(r"(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d\d\d{0,6}")
_DATE_DIGITS = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d")
# A currency before the number ("USD 1500000", "Rs 2500000", "¥ 30000000").
_CURRENCY_BEFORE = re.compile(
    r"(?:[$€£¥₹₱₩]|\b(?:usd|eur|gbp|inr|idr|php|mxn|vnd|jpy|krw|rs|rp))\.?[ \t]*\Z", re.IGNORECASE
)


def _gaps(text: str, found: list[Span]) -> list[tuple[int, int]]:
    """The stretches of ``text`` outside the ``found`` spans (ordered by start) that can
    hold seven digits."""
    gaps = []
    pos = 0
    for span in found:
        if span.start - pos >= 7:
            gaps.append((pos, span.start))
        pos = max(pos, span.end)
    if len(text) - pos >= 7:
        gaps.append((pos, len(text)))
    return gaps


def unexplained_numbers(text: str, found: list[Span] | None = None) -> list[Span]:
    """Long numbers in a customer's turn that no rule explains ("Katarina Miller 68318931
    I can't remember my pin", "84318931431" after a turn that asked nothing).

    In a support chat a customer's number of seven digits or more that is not a phone,
    a date, an amount or a count is an account, member or lookup number far more often
    than anything else, so it is scrubbed as ``ID_NUMBER`` at the lowest score: any
    other reading of the same digits wins. Numbers after a word that names a number
    kept on purpose (order, tracking, flight, model ...) stay, as in ``cues``.

    Only the text outside the ``found`` spans is read: a number must not run into a
    found value's digits ("415-555-0132 0023760764" read as one run lost to the phone
    and left the second number), and most PII-dense messages' long runs are the phones
    and cards found already.
    """
    spans = []
    for start, end in _gaps(text, found or []):
        if _SEVEN_DIGITS.search(text, start, end) is None:
            continue
        for m in _DIGIT_VALUE.finditer(text, start, end):
            digits = "".join(c for c in m.group() if c.isdigit())
            if len(digits) < _UNEXPLAINED_DIGITS or len(set(digits)) == 1:
                continue  # short, or a placeholder ("0000000")
            if _a_date(m.group(), digits):
                continue  # "deposit on 20240101", "autopay from 2024-01-15", "15-01-2024"
            if (
                _QUANTITY_AFTER.match(text, m.end())
                or _KEPT_AFTER.match(text, m.end())
                or _CURRENCY_BEFORE.search(text, max(0, m.start() - 6), m.start())
                or names_a_kept_number(text[max(0, m.start() - 40) : m.start()])
                or KEPT_RIGHT_BEFORE.search(text, max(0, m.start() - 40), m.start())
            ):
                continue
            spans.append(Span("ID_NUMBER", m.start(), m.end(), 0.5))
    return spans


def _a_date(value: str, digits: str) -> bool:
    """A date written as digits, with its time of day or not."""
    return (
        COMPACT_DATE.fullmatch(digits) is not None
        or _DAY_FIRST_DATE.fullmatch(digits) is not None
        or _ISO_DATE.match(value) is not None
        or _DATE_DIGITS.fullmatch(value) is not None
    )


def answer_spans(
    text: str, types: frozenset[str], names: Gazetteer, late: bool = False
) -> list[Span]:
    """Values of the asked ``types`` in the customer's answer ``text``.

    Scored 0.8: below a value's own shape (a card passing Luhn, an email) so those keep
    their type, above the guesses of the name rules.

    ``late``: the request was asked before the customer's previous turn, which did not
    answer it. A late answer is read for numbers and full dates only: a word or a lone
    number two turns on ("ok cool", "iPhone 15") is chat far more often than an answer.
    """
    spans: list[Span] = []
    numeric = [t for t in types if t in _MIN_DIGITS]
    if "DATE_OF_BIRTH" in types:
        for m in _DATE_VALUE.finditer(text):
            if any(c.isdigit() for c in m.group()) and (not late or _FULL_DATE.search(m.group())):
                # A run of more than four digits is one value ("19900615"), not pieces.
                start, end = m.start(), m.end()
                while start > 0 and text[start - 1].isdigit():
                    start -= 1
                while end < len(text) and text[end].isdigit():
                    end += 1
                if spans and spans[-1].end > start:
                    continue
                if _labelled_type(text, start) is not None:
                    continue  # "My account number is 68318931" asked for a date of birth
                spans.append(Span("DATE_OF_BIRTH", start, end, 0.8))
    elif "/" in text or "-" in text or "." in text:
        # Asked for something else, a customer who answers with a full date whose year
        # is an adult's birth year gives a date of birth ("06/08/1985 Sanders and Poppy"
        # asked for a PIN): a date in that range is not an order or a delivery date.
        spans += [
            Span("DATE_OF_BIRTH", m.start(), m.end(), 0.8) for m in _BIRTH_YEAR_DATE.finditer(text)
        ]
    if numeric:
        spans += _numbers(text, numeric)
    words = [t for t in types if t in _WORD_ANSWERS] if not late else []
    if words and not _NON_ANSWER.search(text.lower()):
        spans += _word_answers(text, words, names)
    return spans


_TITLE_WORD = re.compile(r"(?<![\w'’-])[A-Z][a-z]{2,}(?![\w'’-])")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n\"(])\s*$")
_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'’-]*(?:[ \t]+of)?[ \t]+$")
_CAPITALISED_AFTER = re.compile(r"(?:[ \t]+of)?[ \t]+[A-Z]")
_CALENDAR_WORDS = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april
    june july august september october november december
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)


# Requests for a security answer or a maiden name: the answer is a word the customer
# chose or inherited, whatever its shape (a subset of ``_ASKS``'s credential requests:
# a PIN or a code is answered with digits).
_SECURITY_ANSWER = re.compile(
    r"security\s+(?:question|answer)|secret\s+(?:question|answer)|maiden\s+name"
    r"|(?:pet|dog|cat)(?:'?s)?\s+name|first\s+(?:pet|car|school|teacher)"
    r"|name\s+of\s+(?:your|the)\s+(?:first\s+|childhood\s+)?(?:pet|dog|cat)"
    r"|childhood\s+(?:pet|dog|cat|friend|hero|nickname)|grow\s+up|high\s+school\s+mascot"
)


@lru_cache(maxsize=8192)
def asks_for_a_security_answer(text: str) -> bool:
    """Whether a bot or agent turn asks for a security answer (a pet's name, a maiden
    name, another security question)."""
    return bool(asked_types(text)) and _SECURITY_ANSWER.search(text.lower()) is not None


def proper_noun_answers(text: str, names: Gazetteer) -> list[Span]:
    """Asked for a security answer or a maiden name, a capitalised word standing alone
    inside a sentence, that is a listed name or no frequent English word, is the answer,
    however long the sentence around it ("... the first pet my parents said i could get
    i was so excited for Nemo").

    English capitalises a word inside a sentence for a proper noun, and the proper noun
    in the reply to "your mother's maiden name?" is most likely the value asked for. Not
    taken: a frequent word ("Buddy", "Mom": emphasis as often as an answer), a place,
    and a word next to another capitalised one ("Wells Fargo", "the Shadyside Inn", "New
    York": a firm, a venue or a place). Typed ``CREDENTIAL`` (a guessed brand typed a
    person would be looked for in every later turn) and scored 0.3, below every
    detector's span: a gap filler, never a re-typing. Hand-written, as the rest of this
    module."""
    spans: list[Span] = []
    for sentence in _SENTENCE.finditer(text):
        if _NON_ANSWER.search(sentence.group().lower()):
            continue  # "I don't remember, I set it up on my Samsung": no answer in it
        for m in _TITLE_WORD.finditer(text, sentence.start(), sentence.end()):
            low = m.group().lower()
            if (
                _CAPITALISED_BEFORE.search(text, 0, m.start()) is not None
                or _CAPITALISED_AFTER.match(text, m.end()) is not None
                or low in STOPWORDS
                or low in _CHAT_WORDS
                or low in _LEAD_WORDS
                or low in _CALENDAR_WORDS
                or low in places()
            ):
                continue
            if _SENTENCE_END.search(text, 0, m.start()) is not None:
                # Opening the sentence, a capital says nothing; a listed name or pet's
                # name outside the frequent words still stands out ("Nemo like the
                # fish :)"), a chat word ("Anyways", "Lucky me"), a brand ("Netflix is
                # down") does not.
                if (
                    not text[sentence.start() : m.start()].strip()
                    and low not in names.frequent_words
                    and listed_answer_name(low)
                ):
                    spans.append(Span("CREDENTIAL", m.start(), m.end(), 0.3))
                continue
            listed = low in names.us_first_names or low in names.us_last_names
            if (
                listed
                or low in names.first_names
                or low not in names.frequent_words
                # "Skippy or maybe Buddy": a guess among names
                or (spans and _OR_BEFORE.search(text, 0, m.start()) is not None)
            ):
                spans.append(Span("CREDENTIAL", m.start(), m.end(), 0.3))
    return spans


# A capitalised word offered instead of a found answer: "I used Skippy or maybe Buddy".
_OR_ALTERNATIVE = re.compile(
    r"[ \t]*,?[ \t]+or[ \t]+(?:maybe[ \t]+|perhaps[ \t]+|possibly[ \t]+)?([A-Z][a-z'’-]+)\b"
)
# The same before a found answer: "Fluffy or Rex".
_ALTERNATIVE_BEFORE = re.compile(r"(?<![\w'’-])([A-Z][a-z'’-]+)[ \t]*,?[ \t]+or[ \t]+\Z")


def alternative_answers(text: str, spans: list[Span]) -> list[Span]:
    """Asked for a security answer, a capitalised word offered as the alternative to a
    name or an answer already found ("I think I used Skippy or maybe Buddy", "Fluffy or
    Rex") is one too, of the same type, even when it is a frequent word."""
    found = []
    for span in spans:
        if span.type in ("PERSON", "CREDENTIAL"):
            after = _OR_ALTERNATIVE.match(text, span.end)
            before = _ALTERNATIVE_BEFORE.search(text, max(0, span.start - 40), span.start)
            for m in (after, before):
                if m is not None:
                    low = m.group(1).lower()
                    if low not in STOPWORDS and low not in _CHAT_WORDS and low not in _LEAD_WORDS:
                        found.append(Span(span.type, m.start(1), m.end(1), 0.3))
    return found


_OR_BEFORE = re.compile(r"\bor[ \t]+(?:maybe[ \t]+|perhaps[ \t]+|possibly[ \t]+)?\Z")


# Two numbers of one length offered as alternatives ("its either 7402 or 3941", "5380 or
# maybe 5830"): a customer unsure of a code. ``ConversationScrubber`` reads them only in
# a conversation where a secret was asked for or named: elsewhere they are amounts,
# choices or catalogue numbers.
_ALTERNATIVES = re.compile(
    r"(?<![\w$£€.,:/#-])(\d{4,6})[ \t]*,?[ \t]+or[ \t]+(?:maybe[ \t]+|perhaps[ \t]+|possibly[ \t]+)?"
    r"(\d{4,6})(?![\w%/-]|[.,:]\d)"
)
# A PIN or passcode, never a password (typed, not guessed between numbers) or "pins".
_NAMES_A_SECRET = re.compile(r"\bpin\b|\bpin\s*(?:code|number)|\bpass\s?code\b")
# Words before two numbers that make them prices, times, models or rooms ("I paid 129 or
# 149", "home at 1500 or 1600", "the 9500 or 9700 series" is caught by the kept words).
_NOT_A_CODE_BEFORE = re.compile(
    r"(?:\b(?:paid|pay|charged?|costs?|price[ds]?|spent|spend|bill(?:ed)?|total|at|around"
    r"|by|until|room|size|model|series|version)\b[^\d\n]{0,12})$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_SERIES_AFTER = re.compile(r"[ \t]*(?:series|model|card|printer|edition)\b", re.IGNORECASE)


def names_a_secret(text: str) -> bool:
    """Whether a turn names a PIN or passcode ("i forgot my pin!", "your PIN please")."""
    return _NAMES_A_SECRET.search(text.lower()) is not None


def guessed_alternatives(text: str) -> list[Span]:
    """Both numbers of "either 7402 or 3941" as credentials: two values of one length
    (4-6 digits, a PIN's), not amounts, not two years, not prices, times, models or
    rooms, not after a word naming a number kept on purpose ("order 55210 or 55221")."""
    if " or " not in text:
        return []
    spans = []
    for m in _ALTERNATIVES.finditer(text):
        first, second = m.group(1), m.group(2)
        if (
            len(first) != len(second)
            or (_YEAR.fullmatch(first) and _YEAR.fullmatch(second))
            or _QUANTITY_AFTER.match(text, m.end())
            or names_a_kept_number(text[max(0, m.start() - 40) : m.start()])
            or _NOT_A_CODE_BEFORE.search(text, max(0, m.start() - 24), m.start()) is not None
            or _SERIES_AFTER.match(text, m.end()) is not None
        ):
            continue
        spans.append(Span("CREDENTIAL", m.start(1), m.end(1), 0.8))
        spans.append(Span("CREDENTIAL", m.start(2), m.end(2), 0.8))
    return spans


# A number of a PIN's length standing alone (not part of a date, an amount or a time).
_PIN_SHAPED = re.compile(r"(?<![\w$£€.,:/#-])\d{4,6}(?![\w%/-]|[.,:]\d)")


# Right before a guessed code: the words that offer one ("I believe it's 3100", "Try
# using 9431", "It was 3100 or uhhhh 7402"), or nothing (the turn opens with it).
_GUESS_BEFORE = re.compile(
    r"(?:\A|\b(?:it'?s|it\s+is|it\s+was|try(?:\s+using)?|using|use|maybe|perhaps|possibly"
    r"|probably|actually|is\s+it|was\s+it|(?:could|might|should|would|must)\s+be|i\s+think"
    r"|(?:how|what)\s+about|pretty\s+sure|remember|or(?:\s+[a-z]+)?))[ \t]*[:,]?[ \t]*\Z",
    re.IGNORECASE,
)
# After a guessed code: the end of the clause, or words that close or question it ("Try
# using 9431 and see", "9431, does that sound right?"); not a unit or a time ("2500
# square feet", "4000 rpm", "2230 now").
_GUESS_AFTER = re.compile(
    r"[ \t]*(?:[.,;:!?)\n]|\Z|(?:and|or|but|maybe|i\s+think|right|correct|does|is\s+that"
    r"|please|thanks|thank)\b)",
    re.IGNORECASE,
)
# Money in the sentence: the number is a balance or an amount ("It's only 1095 in
# credit", "I had 6724 yesterday").
_MONEY_WORDS = re.compile(
    r"[$€£]|\b(?:balance|credits?|dollars?|bucks|deposit\w*|withdr\w*|transfer\w*|missing"
    r"|paid|pay|spent|cost\w*|price|budget|rent|salary|amount)\b",
    re.IGNORECASE,
)


_CODE_SHAPED = re.compile(r"(?<!\d)\d{4,6}(?!\d)")


@lru_cache(maxsize=8192)
def codes_and_money(text: str) -> tuple[frozenset[str], bool]:
    """A bot or agent turn's numbers of a code's length, and whether it speaks of money
    ("Your current balance is 9229 in credit."). Cached: bot turns are mostly templates."""
    return frozenset(_CODE_SHAPED.findall(text)), _MONEY_WORDS.search(text) is not None


# After a number: an amount compared ("its 3000 short", "4000 or less").
_COMPARED_AFTER = re.compile(
    r"[ \t]+(?:short|more|less|extra|over|under|off|too|or\s+(?:less|more|so|fewer|higher|lower))\b",
    re.IGNORECASE,
)


# The second of two numbers ("55210 or 55221", "3100 or uhhhh 7402"); group 0 starts at
# the first number's last digit.
_AFTER_A_NUMBER = re.compile(r"\d[ \t]*,?[ \t]+or(?:[ \t]+[a-z]+)?[ \t]*\Z", re.IGNORECASE)


def secret_guesses(text: str, found: list[Span], bot_numbers: set[str]) -> list[Span]:
    """In a conversation where a PIN or passcode was asked for or named, a customer's
    number of 4-6 digits offered as a guess is one ("Try using 9431 and see", "It was
    <PIN> or uhhhh 7402", "I believe it's 3100", "3941" alone).

    The ``ConversationScrubber`` calls this only once a secret is in play: elsewhere
    such numbers are prices, years and model numbers. Even then a number must be
    offered (``_GUESS_BEFORE``) in a sentence that speaks of no money: bank customers
    quote balances ("I should have over 10000") far more often than they guess codes.
    Years (1900-2099), amounts, counts, times, numbers a word keeps on purpose ("order
    55210") and numbers a bot or agent said before (``bot_numbers``: "Is it 6241?" after
    "Your balance is 6241") are left."""
    spans: list[Span] = []
    for m in _PIN_SHAPED.finditer(text):
        if any(span.start < m.end() and m.start() < span.end for span in found):
            continue
        value = m.group()
        sentence_start = max(text.rfind(c, 0, m.start()) for c in ".!?\n") + 1
        sentence_end = min(
            (i for i in (text.find(c, m.end()) for c in ".!?\n") if i >= 0), default=len(text)
        )
        alternative = _AFTER_A_NUMBER.search(text, max(0, m.start() - 24), m.start())
        if alternative is not None and not any(
            span.start <= alternative.start() < span.end for span in (*found, *spans)
        ):
            continue  # "order 55210 or 55221": the first number was judged not a code
        if (
            _GUESS_BEFORE.search(text, sentence_start, m.start()) is None
            or _GUESS_AFTER.match(text, m.end()) is None
            or value in bot_numbers
            or _MONEY_WORDS.search(text, sentence_start, sentence_end) is not None
            or (len(value) == 4 and _YEAR.fullmatch(value))
            or len(set(value)) == 1
            or _QUANTITY_AFTER.match(text, m.end())
            or _COMPARED_AFTER.match(text, m.end())
            or _SERIES_AFTER.match(text, m.end())
            or names_a_kept_number(text[max(0, m.start() - 40) : m.start()])
            or _NOT_A_CODE_BEFORE.search(text, max(0, m.start() - 24), m.start()) is not None
        ):
            continue
        spans.append(Span("CREDENTIAL", m.start(), m.end(), 0.5))
    return spans


_NEXT_WORD = re.compile(r"[ \t]+([a-z][a-z'-]+)\b")


def with_lower_case_surnames(text: str, spans: list[Span], names: Gazetteer) -> list[Span]:
    """Asked for a name: a person found in the answer whose next word is a US surname in
    lower case takes that word too ("Sarah brown my pin is ..."), and so does a word no
    frequent English word ("Jane doe pin 3100"). Without the question, "brown" after a
    name is a colour as often as a surname, so only answers get this."""
    out = []
    for span in spans:
        if span.type == "PERSON":
            m = _NEXT_WORD.match(text, span.end)
            if m is not None:
                word = m.group(1)
                if (
                    (
                        word in names.us_last_names
                        # a rare word only after a name that opens the answer ("Jane
                        # doe pin 3100"), not "We are the Angela besties"
                        or (
                            len(word) > 2
                            and word not in names.frequent_words
                            and _opens_answer(text, span.start)
                        )
                    )
                    and word not in STOPWORDS
                    and word not in _CHAT_WORDS
                    and word not in _LEAD_WORDS
                ):
                    span = Span(span.type, span.start, m.end(1), span.score)
        out.append(span)
    return out


def _opens_answer(text: str, start: int) -> bool:
    """Only lead-in words ("sure, it's", "my name is") come before ``start``."""
    return all(word.lower() in _LEAD_WORDS for word in _WORD.findall(text, 0, start))


def _numbers(text: str, types: list[str]) -> list[Span]:
    """Digit values in the answer, typed by the asked type they can be (most digits
    first: asked for "account number and PIN", 11 digits are the account)."""
    spans = []
    dates = [m.span() for m in _SLASH_DATE.finditer(text) if _is_date(m)] if "/" in text else []
    for m in _DIGIT_VALUE.finditer(text):
        value = m.group()
        digits = sum(c.isdigit() for c in value)
        if _QUANTITY_AFTER.match(text, m.end()):
            continue
        if any(start <= m.start() and m.end() <= end for start, end in dates):
            continue  # the year of "ordered on 06/08/2024" is no PIN
        labelled = _labelled_type(text, m.start())
        fitting = [t for t in types if digits >= _MIN_DIGITS[t]]
        if labelled is not None and digits >= _MIN_DIGITS[labelled]:
            # The customer names what the number is ("but my PIN is 7402" asked for an
            # account number): the label wins over the question.
            spans.append(Span(labelled, m.start(), m.end(), 0.8))
            continue
        if not fitting:
            continue
        # The type that needs the most digits among those this value satisfies.
        entity = max(fitting, key=lambda t: _MIN_DIGITS[t])
        spans.append(Span(entity, m.start(), m.end(), 0.8))
    return spans


# A label right before a number in an answer, and the type it names: "my PIN is",
# "pin:", "acct #". Only the labels whose type is unambiguous.
_LABEL_BEFORE = re.compile(
    r"\b(?:(?P<CREDENTIAL>pin|pass\s?code)(?:['’]s|\s*(?:number|code|no\.?|num|#))?"
    r"|(?P<BANK_ACCOUNT>(?:bank\s+|checking\s+|savings\s+)?(?:account|acct)"
    r"(?:['’]s|\s*(?:number|no\.?|num|#))?))"
    r"(?:\s*(?:is|was|:|=|-)|\s+(?:might|should|could|would|will|must)\s+be)?"
    # "my pin is either 1596 or 9431": both numbers
    r"(?:\s+(?:either|maybe|probably|perhaps))?(?:\s*\d{3,12}\s*,?\s+or(?:\s+(?:maybe|perhaps))?)?"
    r"\s*$",
    re.IGNORECASE,
)


def _labelled_type(text: str, start: int) -> str | None:
    """The type the words right before ``start`` name, or None."""
    m = _LABEL_BEFORE.search(text, max(0, start - 48), start)
    if m is None:
        return None
    return "CREDENTIAL" if m.group("CREDENTIAL") else "BANK_ACCOUNT"


def _word_answers(text: str, types: list[str], names: Gazetteer) -> list[Span]:
    """A short answer phrase ("Jane Doe", "it's sanchez", "Buddy") after its lead-in
    words, typed as the asked word type. Addresses take the clause holding a number."""
    spans = []
    if "STREET_ADDRESS" in types:
        # From the house number to the end of the sentence: "12 elm street, springfield".
        for sentence in _SENTENCE.finditer(text):
            digit = _FIRST_DIGIT.search(sentence.group())
            if digit is not None:
                spans.append(
                    Span(
                        "STREET_ADDRESS",
                        sentence.start() + digit.start(),
                        sentence.start() + len(sentence.group().rstrip(" .")),
                        0.8,
                    )
                )
        if spans:
            return spans
    person = "PERSON" in types
    # A password is any run of characters ("hunter2", "S3cret!"); a name is letters.
    token = _WORD if person else _SECRET_TOKEN
    for clause in _CLAUSE.finditer(text):
        tokens = list(token.finditer(clause.group()))
        while tokens and tokens[0].group().lower() in _LEAD_WORDS:
            tokens.pop(0)
        if not tokens or len(tokens) > MAX_ANSWER_WORDS:
            continue
        # Only the answer itself: a sentence ("I want to close my account") is not one.
        # A security answer may be any word ("Buddy", "blue"); a name may not.
        words = [t.group() for t in tokens]
        if any(not _answer_word(w, names, person) for w in words) and not (
            person and _full_name_answer(words, names)
        ):
            continue
        start = clause.start() + tokens[0].start()
        end = clause.start() + tokens[-1].end()
        entity = "PERSON" if "PERSON" in types else types[0]
        spans.append(Span(entity, start, end, 0.8))
    return spans


def _full_name_answer(words: list[str], names: Gazetteer) -> bool:
    """Asked for a name, a capitalised full name whose first name is a US first name or
    whose last is a US surname, even when a part is also a common word ("Brain White",
    "Crystal Adams", "Will Brown")."""
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() and w[1:].islower() for w in words)
        and not any(w.lower() in STOPWORDS or w.lower() in _CHAT_WORDS for w in words)
        and (words[0].lower() in names.us_first_names or words[-1].lower() in names.us_last_names)
    )


def _answer_word(word: str, names: Gazetteer, person: bool) -> bool:
    """A word that can be (part of) the answer: never a function word or a word that
    only ever chats ("hello", "moment"); for a name, a known name or a word outside the
    most common English words."""
    low = word.lower()
    if low in STOPWORDS or low in _CHAT_WORDS:
        return False
    if not person:
        return True
    if low in names.us_first_names or low in names.us_last_names or low in names.first_names:
        return True
    return low not in names.common_words and low not in names.frequent_words
