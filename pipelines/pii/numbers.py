"""Digit-bearing entities: every number in a message is ONE candidate, classified by its
digit count, check digits and the cue words before it (card, SSN, routing and bank
account numbers, IPv4, phones validated by libphonenumber); dates are recognised first
so their digits are never read as phones, and become DATE_OF_BIRTH after a birth cue."""

from __future__ import annotations

import ipaddress
import re

import phonenumbers

from pipelines.pii.checksums import aba_routing_valid, luhn_valid, ssn_valid
from pipelines.pii.cues import (
    KEPT_RIGHT_BEFORE,
    PHONE_AFTER_ACCOUNT,
    PHONE_OF_ACCOUNT,
    names_a_kept_number,
)
from pipelines.pii.matching import (
    GatedCue,
    before,
    digits_only,
    lower_finditer,
    placeholder_digits,
)
from pipelines.pii.spans import Span

# One candidate regex for every number: digits joined by up to three separators, so
# "415-555-0132", "(415) 555 0132", "4111 1111 1111 1111" and the obfuscated
# "4 1 5 -5 5 5 -0 1 3 2" are each one candidate. Not preceded by a word character, so
# product codes like SKU12345678 are never candidates.
# Written to open with the character class of its first character (a plus, a parenthesis
# or a digit; the look-behind checks the character before it): ``re`` then skips in C to
# the next such character instead of trying the pattern at every position. The same
# matches as ``(?<![\w.])(?:\+\s?|\(\s?)?\d(?:[ \t.\-/()]{0,3}\d)*``.
_NUMBER = re.compile(r"[+(\d](?<![\w.].)(?:(?<=[+(])\s?\d|(?<=\d))(?:[ \t.\-/()]{0,3}\d)*")
_IPV4_SHAPE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_SSN_SHAPE = re.compile(r"\d{3}([- ])\d{2}\1\d{4}")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_LONGEST_MONTH = len("september")
# Dates are not PII on their own; they are found so their digits are not mistaken for
# phone numbers, and scrubbed as DATE_OF_BIRTH when a birth cue precedes them.
_DATE = re.compile(
    # the lookahead (digits and month initials) rejects most positions cheaply
    r"(?=[0-9adfjmnos])(?<!\d[/.\-])\b(?:\d{4}-\d{1,2}-\d{1,2}(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    # year first with slashes or dots ("2024/06/08", "2024.06.08"), the same separator
    # twice; it used to be read as an 8-digit phone number
    r"|(?:19|20)\d\d(?:/(?:0?[1-9]|1[0-2])/|\.(?:0?[1-9]|1[0-2])\.)(?:0?[1-9]|[12]\d|3[01])"
    rf"|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{4}})\b"
    # not inside a longer run of digit groups: 03.93.92.16.85 is a phone, not a date
    r"(?![/.\-]\d)",
    re.IGNORECASE,
)
# A date is a date of birth when a birth cue ends within this many characters before it.
_BIRTH_REACH = 50
# Cue words, each behind a substring gate (see GatedCue): a digit run asks up to eight.
_BIRTH_CUE = GatedCue(
    r"\b(?:born|birth|birth[ \t-]?date|dob|d\.o\.b|birthday|b-?day)\b",
    ("born", "birth", "dob", "d.o.b", "bday", "b-day"),
)
# A birth cue right after the date: "03/14/1988 is my birthday", "3/14/88 (dob)",
# "03/14/1988, my date of birth".
_BIRTH_AFTER = re.compile(
    r"[ \t]*(?:[-=:(,][ \t]*)?(?:(?:is|was)[ \t]+)?(?:(?:my|his|her|their|our)[ \t]+)?"
    r"(?:birthday|b-?day|dob|d\.o\.b|date[ \t]+of[ \t]+birth|birth[ \t-]?date)\b"
    # not a birthday's thing ("03/14 - my bday gift is late")
    r"(?![ \t]+(?:gift|present|party|cake|card|sale|discount|coupon|order|package|surprise"
    r"|dinner|bonus|reward|deal|week|month|trip)s?\b)",
    re.IGNORECASE,
)
# "my number is ...", "best # is ...", "callback: ...": in chat a bare "number" with "my"
# or "best" right before the value is a phone (an account, order or member number names
# itself, and those cues are asked first); not "my number one complaint ... 12345678".
_PHONE_CUE = GatedCue(
    r"\b(?:phone|call|cell|mobile|tel|telephone|text|reach|fax|whatsapp|contact)\b"
    r"|\b(?:(?:my|best|good)[ \t]+(?:number\b|#)|callback(?:[ \t]+(?:number\b|#))?)"
    r"(?:['’]s)?[ \t]*(?:(?:is|was)\b|[:=-])?[ \t]*$",
    (
        "phone", "call", "cell", "mobile", "tel", "text", "reach", "fax", "whatsapp", "contact",
        "number", "#",
    ),
)  # fmt: skip
# "sssn": a doubled key is a common typo, and the leak gate (leakscan._SSN_CUED) reads "ssn"
# anywhere in a word, so a cue it accepts must be one the detector accepts too.
_SSN_CUE = GatedCue(r"\b(?:s{2,}n{1,2}|social security|social|ss#|ss no)\b", ("ss", "social"))
# The last four of an SSN, volunteered: "the last 4 of my social are 6621", "my ssn ends
# in 6621", "ssn last 4: 6621" (asked for by an agent, asked.py scrubs the answer).
_SSN_LAST_FOUR = GatedCue(
    r"\b(?:last[ \t]+(?:4|four)(?:[ \t]+digits)?(?:[ \t]+(?:of|on)(?:[ \t]+(?:my|his|her|their|the))?)?[ \t]+"
    r"(?:ssn|ss#|social(?:[ \t]+security)?(?:[ \t]+(?:number|#|no\.?))?)"
    r"|(?:ssn|social(?:[ \t]+security)?(?:[ \t]+(?:number|#|no\.?))?)[ \t]+"
    r"(?:last[ \t]+(?:4|four)(?:[ \t]+digits)?|ends?[ \t]+(?:in|with)|ending[ \t]+(?:in|with)))"
    r"[ \t]*(?:(?:is|are|=)[ \t]*|[:#-][ \t]*)?(?P<digits>\d{4})(?![\d-])",
    ("ssn", "ss#", "social"),
)
_ROUTING_CUE = GatedCue(r"\b(?:routing|aba|rtn|transit)\b", ("routing", "aba", "rtn", "transit"))
# "account" and how chat spells it: "acct", "acc#", "accnt", "acount" (not "act").
_ACCOUNT_CUE = GatedCue(
    r"\b(?:acc(?:ou?)?n?ts?|acounts?|a/c|checking|savings|bank)\b(?:\s*(?:number|no\.?|num|#))?"
    # bare "acc" is also "accessory", "according": only "acc#", "acc no", "my acc"
    r"|\bacc(?:\s*#|\s*(?:number|no\.?|num)\b)|\b(?:my|your)\s+acc\b",
    ("acc", "acou", "a/c", "checking", "savings", "bank"),
)
COMPACT_DATE = re.compile(
    r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{0,6}"  # + hhmm(ss)
    r"|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:19|20)\d\d"  # MMDDYYYY
)
# After the number: a unit or a kept number's word ("deposit 50000000 VND", "refund to
# 12345678 rma", "transfer to 12345678 steps"), or an Amazon order's 3-7-7 shape.
_NOT_AN_ACCOUNT_AFTER = re.compile(
    r"[ \t]*\(?[ \t]*(?:points?|credits?|miles|coins?|tokens?|won|yen|vnd|jpy|krw|idr|inr"
    r"|rupiah|rupees?|pesos?|cents?|dollars?|usd|times|steps|customers|users|people|shares"
    r"|units|pieces|increments|limit|order|ticket|case|rma|claim|invoice|confirmation"
    r"|reference|ref|tracking|fedex|ups|usps|member|merchant|company|originator|store|batch)\b",
    re.IGNORECASE,
)
_AMAZON_ORDER = re.compile(r"\d{3}-\d{7}-\d{7}")
# The gate of _MONEY_MOVE_CUE: every match holds one of these.
_MONEY_MOVE_WORDS = tuple(
    """
    pay deposit transfer withdraw wire ach debit refund sent paid draft came went taken pulled
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
# Money moving to or from a number ("autopay from ...", "deposit went to ...", "transfer
# from ... to my savings"): 8-17 digits there are a bank account (not a call that "was
# transferred to" a number).
_MONEY_MOVE_CUE = GatedCue(
    r"\b(?:auto-?pay|deposit(?:ed|s)?|(?<!was\s)(?<!were\s)(?<!got\s)(?<!been\s)(?<!get\s)transfer(?:red|s)?|withdraw(?:n|al|als)?|wire[ds]?"
    r"|ach|debit(?:ed)?|refund(?:ed)?"
    # money that left or reached the number: "Sent $8,320.93 on apr 19th from", "premium
    # is drafted from", "$536.50 came out of", "my paycheck went into"
    r"|sent|paid|draft(?:ed|s)?|came|went|taken|pulled)\b"
    r"(?:[^.!?\n]|\.(?=\d)){0,30}\b(?:from|to|into|out[ \t]+of)[ \t]+(?:my[ \t]+)?$",
    _MONEY_MOVE_WORDS,
)
# Letters closing an account number's token, as utilities and credit unions print them
# ("975683415S", "19739828-L01", "229125547-S1": a share or loan suffix).
_ACCOUNT_SUFFIX = re.compile(r"-?[A-Za-z]{1,3}\d{0,3}(?![\w'’-])")
_FROM_OR_INTO = re.compile(r"\b(?:from|into|out[ \t]+of)[ \t]+(?:my[ \t]+)?$", re.IGNORECASE)
# "68318931 is my account number", "000837955830 <- thats my account": the cue after
# the value.
_ACCOUNT_AFTER = re.compile(
    r"(?:[ \t]*(?:<-+|-+>?|,)?[ \t]*(?:that['’]?s|that[ \t]+is|it['’]?s)|[ \t]+(?:is|was|=|being))"
    r"[ \t]+(?:my|the|our|his|her|their)[ \t]+(?:(?:bank|old|new|main|joint)[ \t]+)?"
    r"(?:account|acct|checking|savings)\b",
    re.IGNORECASE,
)
_ORDER_CUE = GatedCue(
    r"\b(?:order|confirmation|tracking|reference|booking|reservation|invoice|ticket|case)"
    r"\s*(?:id|number|no\.?|num|#)?\s*(?:is|was)?\s*[:#]?\s*$",
    (
        "order", "confirmation", "tracking", "reference", "booking", "reservation", "invoice",
        "ticket", "case",
    ),
)  # fmt: skip
_CARD_CUE = GatedCue(
    r"\b(?:card|visa|mastercard|amex|discover|cc)\b", ("card", "visa", "amex", "discover", "cc")
)
# "v" only against the number or with its dot ("v1.2.0.4", "v. 7.1.0.4"): a lone "v"
# before a space is as often a stray letter as a version's ("@v 192.168.0.1" kept an
# address until scrubbed twice).
_VERSION_CUE = re.compile(
    r"\b(?:(?:version|ver|build|release|v)\.\s*|(?:version|ver|build|release)\s*|v)$",
    re.IGNORECASE,
)

_NANP = re.compile(r"1?[2-9]\d{2}[2-9]\d{6}")
# How a US phone is written, whatever its digits: "(111) 536-9299", "107.320.8552",
# "+1 103-506-6599". Nothing else is written in these shapes, and a customer who
# mistypes an area code still gave a phone number.
# "001-727-379-9316": the international prefix some countries dial before +1 (Faker
# writes US numbers so too); 13 digits that may pass Luhn, but no card is grouped so.
_WRITTEN_PHONE = re.compile(
    r"(?:(?:\+|00)?1[ \t.-]?)?(?:\(\d{3}\)[ \t]?\d{3}[ \t.-]\d{4}|\d{3}([.-])\d{3}\1\d{4})"
)
# A phone's extension right after it: "415-555-0132 x204", "(555)123-4567x890",
# "ext. 4411", "extension 12".
_EXTENSION = re.compile(
    r"[ \t]*(?:x\d{1,6}|(?:ext\.?|extension)[ \t]*\d{1,6})(?![\w.,]\d)", re.IGNORECASE
)
_VALUE_TAIL = {"PHONE": _EXTENSION, "BANK_ACCOUNT": _ACCOUNT_SUFFIX}
# Regions tried for numbers written without a country code, most likely first.
_PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "AU", "IN", "BR")


def _phone_valid(candidate: str, digits: str, separated: bool, cued: bool) -> bool:
    """libphonenumber decides; unseparated digit runs need US validity or a phone cue."""
    if separated and _WRITTEN_PHONE.fullmatch(candidate):
        return True
    if cued and separated and len(digits) == 10 and candidate[0] != "+":
        # "call me at (004) 555-4942": the shape and the cue make it a phone, even with
        # an area code that no plan has issued (or that reads as a 00 prefix).
        return True
    if candidate.startswith("+") or digits.startswith("00"):
        number = "+" + digits[2:] if digits.startswith("00") else "+" + digits
        if len(number) == 12 and number.startswith("+1"):
            return True  # every +1 number of ten digits is possible (libphonenumber agrees)
        try:
            return phonenumbers.is_possible_number(phonenumbers.parse(number, None))
        except phonenumbers.NumberParseException:
            return False
    if _NANP.fullmatch(digits):
        # Any North American number shape counts, valid area code or not: the leak gate
        # flags every such shape, so the detector must never be the stricter of the two.
        return True
    if not (separated or cued):
        return False
    if len(digits) == 7 and separated:  # US local number without area code: 555-0132
        return True
    for region in _PHONE_REGIONS:
        try:
            parsed = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed) or (
            cued and phonenumbers.is_possible_number(parsed)
        ):
            return True
    return False


def births_in_scrubbed_reach(text: str, low: str | None, spans: list[Span]) -> list[Span]:
    """``spans`` plus the dates a birth cue reaches once the spans between them are
    placeholders.

    A scrub replaces each span with a placeholder ("<PERSON_1>"), which can bring a date
    within the cue's reach: "born ... my name is Mark Davis Mark Davis 31/06/1996" holds
    58 characters from "born" to the date, 47 once scrubbed, and a second scrub found the
    date of birth the first had left (scrubbing must be idempotent). So the reach is also
    measured as the scrubbed text will have it, each span as long as its placeholder
    with a one-digit number (a message's own numbering; a conversation's may run to two
    digits, one character more).
    """
    if not spans or _BIRTH_CUE.search_lowered(text, low) is None:
        return spans
    ordered = sorted(spans, key=lambda span: span.start)
    added = []
    for m in lower_finditer(_DATE, text, low):
        start, end = m.start(), m.end()
        if placeholder_digits(m.group()) or any(s.start < end and start < s.end for s in ordered):
            continue
        for cue in _BIRTH_CUE.regex.finditer(text, 0, start):
            if any(s.start < cue.end() and cue.start() < s.end for s in ordered):
                continue  # a cue inside a span is gone once scrubbed
            shrink = sum(
                (s.end - s.start) - (len(s.type) + 4)
                for s in ordered
                if cue.end() <= s.start and s.end <= start
            )
            if start - cue.start() - shrink <= _BIRTH_REACH:
                added.append(Span("DATE_OF_BIRTH", start, end, 0.9))
                break
    return sorted(spans + added, key=lambda span: span.start) if added else spans


def find(text: str, low: str | None, first_digit: int = 0) -> tuple[list[Span], list[int]]:
    """Digit-bearing entities, and the start offsets of every digit run (where the
    address rules that begin with a building number may match). ``first_digit``: the
    offset of the text's first digit (or any offset before it)."""
    spans: list[Span] = []
    dates = []
    # Every date and every number holds a digit, so neither scan starts before the first
    # one: a number at most two characters before it ("+ 1", "( 4"), a date at most a
    # month's name, a dot and the spaces before it ("September. 5, 1990"). Messages
    # often open with words; the scans' look-behinds still see the text before.
    back = first_digit
    while back and text[back - 1].isspace():
        back -= 1
    if _may_hold_date(low, first_digit):
        for m in lower_finditer(_DATE, text, low, max(0, back - _LONGEST_MONTH - 1)):
            dates.append((m.start(), m.end()))
            if (
                _BIRTH_CUE.search(before(text, m.start(), _BIRTH_REACH))
                or _BIRTH_AFTER.match(text, m.end())
            ) and not placeholder_digits(m.group()):
                spans.append(Span("DATE_OF_BIRTH", m.start(), m.end(), 0.9))
    if _SSN_LAST_FOUR.search_lowered(text, low) is not None:
        spans += [
            Span("US_SSN", m.start("digits"), m.end("digits"), 0.9)
            for m in _SSN_LAST_FOUR.regex.finditer(text)
        ]
    starts = []
    for m in _NUMBER.finditer(text, max(0, first_digit - 2)):
        start, end = m.start(), m.end()
        starts.append(start)
        candidate = m.group()
        if " " in candidate:
            # A house number can follow another number ("IL 62704 12 Elm Street").
            starts += [start + g.start() for g in _SPACED_GROUP.finditer(candidate)]
        if candidate[0] == "(" and ")" not in candidate:
            start += 1
        overlapping = [(ds, de) for ds, de in dates if ds < end and start < de] if dates else ()
        if not overlapping:
            spans += _run(text, start, end)
            continue
        # A number written next to a date ("415-555-0132 31/06/1996") is read on its own;
        # the date's digits never join it.
        cursor = start
        for ds, de in [*overlapping, (end, end)]:
            piece = text[cursor:ds].rstrip(_SEPARATORS)
            if piece.strip(_SEPARATORS):
                lead = len(piece) - len(piece.lstrip(_SEPARATORS))
                spans += _run(text, cursor + lead, cursor + len(piece))
            cursor = max(cursor, de)
    return spans, starts


_SEPARATORS = " \t.-/()"
# Every date holds a digit, a separator and a digit ("2024-05-01", "5/1/90") or a
# month's name ("May 1, 1990", "1st of May 1990"): without either the date scan, which
# ``re`` tries at every position from the first digit on, cannot match.
_DIGIT_SEPARATOR_DIGIT = re.compile(r"\d[/.\-]\d")


def _may_hold_date(low: str | None, first_digit: int) -> bool:
    """Whether ``_DATE`` may match the lowered text ``low`` (None: not known, so yes).
    ``lower_finditer`` runs the date scan's case-sensitive twin on ``low``, so a month
    matches only where ``low`` holds its first three letters (the tests written out: a
    generator over a tuple costs more than they do)."""
    if low is None or _DIGIT_SEPARATOR_DIGIT.search(low, first_digit) is not None:
        return True
    return (
        "jan" in low or "feb" in low or "mar" in low or "apr" in low or "may" in low
        or "jun" in low or "jul" in low or "aug" in low or "sep" in low or "oct" in low
        or "nov" in low or "dec" in low
    )  # fmt: skip


def _run(text: str, start: int, end: int) -> list[Span]:
    """The entities of the digit run ``text[start:end]``."""
    candidate = text[start:end].lstrip(" \t")
    start = end - len(candidate)
    digits = digits_only(candidate)
    n = len(digits)
    if n < 6 or digits.count(digits[0]) == n:
        # Too short, or one repeated digit (0000 0000, 111-11-1111): test values.
        return []
    spans = []
    span = _classify_number(text, start, end, candidate, digits)
    if span is not None:
        # what follows the digits and belongs to the value: a phone's extension, the
        # letters closing an account number ("296412953S")
        tail = _VALUE_TAIL.get(span.type)
        rest = tail.match(text, end) if tail is not None else None
        if rest is not None:
            span = Span(span.type, span.start, rest.end(), span.score)
        spans.append(span)
    elif n > 10:
        # Several numbers run together ("415 555 0132 212 555 0199"): let
        # libphonenumber find the phones inside the run.
        for match in phonenumbers.PhoneNumberMatcher(candidate, "US"):
            spans.append(Span("PHONE", start + match.start, start + match.end, 0.7))
    if n > 10 or " " in candidate:
        # The leak gate's shapes inside a longer run, kept where the whole run's
        # reading loses to a neighbour ("IL 62704 415-555-0132": a ZIP, then a phone).
        cued = _PHONE_CUE.search(before(text, start)) is not None
        spans += _numbers_inside(text, candidate, start, cued)
    return spans


def _ipv4(candidate: str) -> bool:
    try:
        ipaddress.IPv4Address(candidate)
    except ValueError:
        return False
    return True


_DIGIT_GROUP = re.compile(r"\d+")
# How a North American number is grouped when written: 415 555 0132, 1 415 555 0132.
_NANP_GROUPS = ([3, 3, 4], [1, 3, 3, 4], [3, 7], [1, 3, 7])
_SPACED_GROUP = re.compile(r"(?<= )\d")


def _numbers_inside(text: str, candidate: str, offset: int, cued: bool) -> list[Span]:
    """Runs of whole digit groups inside a longer run that pass Luhn (13-19 digits), have
    the SSN shape or a North American phone's (the shapes the leak gate looks for, so
    none may stay; after a phone cue, with any area code), or are an IPv4 address; and
    whole space-separated numbers read as if alone ("account number 415-555-0132
    (004) 555-4942"), except as phones, which only the shapes above make."""
    groups = [(m.start(), m.end()) for m in _DIGIT_GROUP.finditer(candidate)]
    token_start = {i for i, (a, _) in enumerate(groups) if a == 0 or candidate[a - 1] in " \t("}
    token_end = {
        i for i, (_, b) in enumerate(groups) if b == len(candidate) or candidate[b] in " \t)"
    }
    spans = []
    for i in range(len(groups)):
        if i not in token_start:
            continue  # no whole written number starts here (the loop below skips every j)
        digits = 0
        for j in range(i, len(groups)):
            digits += groups[j][1] - groups[j][0]
            if digits > 19:
                break
            if j not in token_end:
                continue  # whole written numbers only, never a piece of one
            piece = candidate[groups[i][0] : groups[j][1]]
            compact = digits_only(piece)
            kind = None
            # "(111) 536-9299" inside a run: the piece starts after its "("
            opened = groups[i][0] > 0 and candidate[groups[i][0] - 1] == "("
            written = _WRITTEN_PHONE.fullmatch("(" + piece if opened else piece)
            if digits >= 13 and luhn_valid(compact):
                kind = "CREDIT_CARD"
            elif _SSN_SHAPE.fullmatch(piece) and ssn_valid(compact):
                kind = "US_SSN"
            elif (cued or _NANP.fullmatch(compact) or written) and [
                b - a for a, b in groups[i : j + 1]
            ] in _NANP_GROUPS:
                kind = "PHONE"  # after a phone cue, any area code (see _phone_valid)
            elif j == i + 3 and _IPV4_SHAPE.fullmatch(piece) and _ipv4(piece):
                kind = "IP_ADDRESS"
            elif len(compact) >= 6:
                alone = _classify_number(
                    text, offset + groups[i][0], offset + groups[j][1], piece, compact, phones=False
                )
                kind = alone.type if alone is not None else None
            if kind is not None:
                # An IPv4 address is an exact shape: it outranks a phone reading that
                # borrows its last octet ("192.168.0.1 415-555-0132").
                score = 0.8 if kind == "IP_ADDRESS" else 0.75
                spans.append(Span(kind, offset + groups[i][0], offset + groups[j][1], score))
    return spans


# Before a number: a postal code's name ("ZIP: ", "postal code", "PLZ").
_POSTAL_CUE = GatedCue(
    r"\b(?:zip(?:\s*code)?|postal\s*code|post\s*code|postcode|plz|cep)\s*[:#]?\s*$",
    ("zip", "post", "plz", "cep"),
)
# Two groups of digits and a capitalised word after them: a building number and a house
# number before the street's name, as international address lines write them.
_BUILDING_AND_HOUSE = re.compile(r"\d{2,6} \d{1,5}")
_STREET_NAME_AFTER = re.compile(r"[ \t]+[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]")


def _classify_number(
    text: str, start: int, end: int, candidate: str, digits: str, phones: bool = True
) -> Span | None:
    """The entity the number ``text[start:end]`` is, by its digits and cue words.
    ``phones=False`` leaves phones out: pieces of a longer run are phones only in the
    leak gate's shapes (``_numbers_inside``), so libphonenumber need not judge them."""
    n = len(digits)
    cue = before(text, start)
    low = cue.lower() if cue.isascii() else None  # one lowering for every cue below
    if _IPV4_SHAPE.fullmatch(candidate):
        if _VERSION_CUE.search(cue):
            return None
        return Span("IP_ADDRESS", start, end, 1.0) if _ipv4(candidate) else None
    account_cue = (  # asked twice below
        _ACCOUNT_CUE.search_lowered(cue, low) is not None
        and PHONE_OF_ACCOUNT.search(text, max(0, start - 80), start) is None
    )
    account = account_cue and not _CARD_CUE.search_lowered(cue, low)
    if n == 13 and phones and _WRITTEN_PHONE.fullmatch(candidate):
        return Span("PHONE", start, end, 0.85)  # "001-727-379-9316", Luhn or not
    if 13 <= n <= 19 and luhn_valid(digits):
        if n == 15 and "imei" in (low if low is not None else cue.lower()):
            return None  # IMEIs carry a Luhn digit too; the cue rule names it DEVICE_ID
        if account or _ACCOUNT_AFTER.match(text, end):
            # One bank account number in ten passes Luhn: the words say what it is.
            return Span("BANK_ACCOUNT", start, end, 1.0)
        return Span("CREDIT_CARD", start, end, 1.0)
    if n == 12 and luhn_valid(digits) and _CARD_CUE.search_lowered(cue, low):
        return Span("CREDIT_CARD", start, end, 0.9)  # 12-digit Maestro
    if n == 9:
        if _SSN_SHAPE.fullmatch(candidate) and ssn_valid(digits):
            return Span("US_SSN", start, end, 0.95)
        if _SSN_CUE.search_lowered(cue, low) and ssn_valid(digits):
            return Span("US_SSN", start, end, 0.9)
        if _ROUTING_CUE.search_lowered(cue, low) and aba_routing_valid(digits):
            return Span("ROUTING_NUMBER", start, end, 0.9)
    if 6 <= n <= 17 and (
        (
            account_cue
            and not _PHONE_CUE.search_lowered(cue[-15:], _tail(low, 15))
            and not PHONE_AFTER_ACCOUNT.search(cue, max(0, len(cue) - 40))
        )
        or _ACCOUNT_AFTER.match(text, end)
    ):
        return Span("BANK_ACCOUNT", start, end, 0.8)
    if (
        8 <= n <= 17
        # a phone's shape only when the money comes from or goes into it ("autopay from
        # 5288200182 bounced"); money sent "to" ten digits may go to a phone (Zelle)
        and (
            not _NANP.fullmatch(digits)
            # grouped as no phone is ("direct deposit to 5239-046232")
            or not (candidate.isdigit() or _WRITTEN_PHONE.fullmatch(candidate))
            or (candidate.isdigit() and _FROM_OR_INTO.search(cue[-12:]) is not None)
        )
        and not COMPACT_DATE.fullmatch(digits)  # "deposit on 20240101"
        and _MONEY_MOVE_CUE.search_lowered(cue, low)
        and not names_a_kept_number(cue)
        and not _NOT_AN_ACCOUNT_AFTER.match(text, end)
        and not _AMAZON_ORDER.fullmatch(candidate)
    ):
        return Span("BANK_ACCOUNT", start, end, 0.75)
    if _ORDER_CUE.search_lowered(cue[-25:], _tail(low, 25)) and _NANP.fullmatch(digits):
        # "Order ID: 3348917502": scrubbed because the leak gate reads that shape as a
        # phone, but typed as what the words say it is.
        return Span("ORDER_ID", start, end, 0.85)
    if n in (15, 16) and _CARD_CUE.search_lowered(cue, low):
        return Span("CREDIT_CARD", start, end, 0.6)
    if 5 <= n <= 9 and _POSTAL_CUE.search_lowered(cue[-20:], _tail(low, 20)):
        return Span("ZIP_CODE", start, end, 0.85)  # "ZIP: 75534-030" is not a phone
    if phones and 7 <= n <= 15:
        separated = not candidate.isdigit()
        cued = bool(_PHONE_CUE.search_lowered(cue, low))
        if (
            (n == 10 or (n == 11 and digits[0] == "1"))
            and not cued
            and (not separated or not _WRITTEN_PHONE.fullmatch(candidate))
            and _bank_context(text, start, end)
        ):
            # "I need the balance for 5004743957": ten bare digits in a sentence about a
            # bank account and none about calls are the account (scrubbed either way)
            return Span("BANK_ACCOUNT", start, end, 0.7)
        # digits grouped, uncued, that no North American number has
        grouped_not_nanp = separated and not cued and not _NANP.fullmatch(digits)
        if grouped_not_nanp and KEPT_RIGHT_BEFORE.search(cue):
            # "transaction id 7822-124916-5034", "ref 2952-094886-2323": a kept number
            # some region's plan would also allow (no gate shape: nothing must be scrubbed)
            return None
        if grouped_not_nanp and n >= 8 and candidate[0] != "+" and _bank_context(text, start, end):
            # Grouped as no North American phone is, in the same kind of sentence: "ach
            # debit from my credit union 3632 35336", "overdrawn again on 880 1212 2250".
            # Above the address rules' 0.75, which read digit groups as house numbers.
            return Span("BANK_ACCOUNT", start, end, 0.8)
        if (
            not cued
            and n < 10
            and _BUILDING_AND_HOUSE.fullmatch(candidate)
            and _STREET_NAME_AFTER.match(text, end)
        ):
            return None  # "94941 2505 Heatherleigh": building and house numbers
        if _phone_valid(candidate, digits, separated, cued):
            return Span("PHONE", start, end, 0.85)
    return None


# Words of a bank account's life, and words of a phone's, in a number's sentence.
_BANK_WORDS = re.compile(
    r"\b(?:balance|statements?|overdraft|overdrawn|deposits?|deposited|checking|savings|bank"
    r"|funds|closed|frozen|routing|negative|ira|credit[ \t]+union|locked|unlocked"
    r"|restricted)\b"
)
_PHONE_WORDS = re.compile(
    r"\b(?:call(?:s|ed|ing)?|phone|cell|mobile|texts?|sms|reach|dial|voicemail|contact|whatsapp"
    r"|line|landline|carrier|sim|port(?:ed|ing)?)\b"
)
# The sentence around a number: this many characters each side, cut at sentence ends.
_SENTENCE_WINDOW = 80
_SENTENCE_BREAK = re.compile(r"[.!?\n]\s")


def _bank_context(text: str, start: int, end: int) -> bool:
    """The number's sentence speaks of a bank account and not of calls or texts."""
    before_text = text[max(0, start - _SENTENCE_WINDOW) : start]
    after_text = text[end : end + _SENTENCE_WINDOW]
    before_text = _SENTENCE_BREAK.split(before_text)[-1]
    after_text = _SENTENCE_BREAK.split(after_text, maxsplit=1)[0]
    sentence = f"{before_text} {after_text}".lower()
    return _BANK_WORDS.search(sentence) is not None and _PHONE_WORDS.search(sentence) is None


def _tail(low: str | None, n: int) -> str | None:
    return low[-n:] if low is not None else None
