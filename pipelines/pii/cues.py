"""Identifiers, secrets and device ids that are only PII because of the word before them.

"NYA123456" alone could be a product code (kept on purpose: analysts read those), but
after "driver's license" it is an identity document number. Each candidate value (a
token with digits, or the same typed out with spaces: "C E R T 6 7 8 9 0") is kept
when one of the few words before it names an identifier.

Cue words are compared by their consonant skeleton (first letter, then consonants, no
doubled letters), so chat abbreviations that drop vowels ("lcns", "plc", "cstmr nmbr",
"srl") match the word they shorten, and letters typed apart ("P I N") are joined first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines.pii.matching import by_first_letter, digits_only
from pipelines.pii.names import STOPWORDS, Gazetteer, gazetteer
from pipelines.pii.spans import Span

_VOWELS = frozenset("aeiouy")
# The letters digits stand for in a word typed with them ("passw0rd", "pa55word").
_DIGIT_LETTERS = str.maketrans("0123456789", "oizeasgtbg")


def skeleton(word: str) -> str:
    """``word`` lower-cased without vowels after the first letter and without doubled
    letters: "license" and "lcns" -> "lcns", "passport" and "pasport" -> "psprt"."""
    low = word.lower()
    out = [low[:1]]
    for char in low[1:]:
        if char in _VOWELS or not char.isalpha() or char == out[-1]:
            continue
        out.append(char)
    return "".join(out)


# Words that name a personal identifier, by the entity type of the value after them.
_CUE_WORDS = {
    "ID_NUMBER": """
        passport visa license licence dl identification national voter tax ein itin tin
        employee work badge member membership policy insurance customer cust client patient
        student citizen permit cert certificate mortgage loan medicare medicaid nhs
        subscriber ebt
    """,
    "DEVICE_ID": "serial imei imsi meid udid device s/n sn",
    "CREDENTIAL": """
        pin password passwd pwd pass passcode passphrase otp 2fa mfa token key apikey secret
        cvv cvc csc code cd
    """,
    # only for 12-19 digits: "crd 4 9 1 6 ..." when the typo also broke the checksum
    "CREDIT_CARD": "card crd debit credit",
    # only for values with 6 or more digits (_MIN_ACCOUNT_DIGITS): account numbers as
    # banks, utilities and brokerages print them, letters and all ("XZA-0092349",
    # "975683415S", "MTG 00459 94800"); numbers.py reads the all-digit ones too
    "BANK_ACCOUNT": "account acct accnt acount checking chk savings sav hsa brokerage heloc",
}
# "code" alone is a credential ("use the code 957468") unless the word before it makes
# it a catalogue, postal or error code.
_QUALIFIED_CUES = frozenset({"code", "cd"})
# Cue words (by skeleton) that name an identifier only with "ID" after them: "my work ID
# is ...", not "my work number is 415-555-0132".
_ID_AFTER_ONLY = frozenset({skeleton("work")})
# Words after which a value is a transaction or catalogue number, kept on purpose
# ("order ID 12345678", "tracking number ...", "model AB12345678").
_BLOCKER_WORDS = """
    order tracking track sku product model item invoice receipt confirmation reference
    ref ticket case flight booking reservation discount promo coupon zip postal error
    room gate seat table version build release page step area country dial status http
    source colour color dress qr bar barcode gift voucher
    phone telephone cell cellphone mobile fax tel whatsapp
"""
# (A phone's words end the look-back too: "work phone 415-555-0132" is the phone of
# work, not a work ID; numbers.py types it.)
_EXACT = {w: t for t, words in _CUE_WORDS.items() for w in words.split()}
_EXACT.update(dict.fromkeys(_BLOCKER_WORDS.split(), "BLOCK"))
# Abbreviations are matched by skeleton only for cue words of four letters or more:
# the skeletons of short words ("pin" -> "pn") collide with ordinary words.
# Not the account words, listed with their chat spellings instead: the skeleton of
# "acct" is the word "act", that of "account" the word "accent".
_BY_SKELETON = {skeleton(w): t for w, t in _EXACT.items() if len(w) >= 4 and t != "BANK_ACCOUNT"}
# A phone's "line" ("work line 415-555-0132") by its spelling only: its skeleton is the
# loan's ("ln #").
_EXACT.update(dict.fromkeys(("line", "landline"), "BLOCK"))
# Words that may stand between the cue and the value ("passport number is ...").
_FILLER = frozenset(
    [
        "id",
        "no",
        "nr",
        "num",
        "number",
        "nmbr",
        "#",
        "is",
        "was",
        "my",
        "the",
        "our",
        "his",
        "her",
        "their",
        "its",
        "code",
        # hedges between a secret's name and its value ("my PIN. It was either 1596",
        # "my pin should be 7402")
        "it",
        "either",
        "be",
        "should",
        "might",
        "maybe",
        "probably",
    ]
)


@lru_cache(maxsize=1 << 16)  # chat vocabulary is small; skeletons cost a Python loop
def _word_type(word: str) -> str | None:
    low = word.lower().removesuffix("'s").rstrip("#")  # "PIN#" names a PIN
    found = _EXACT.get(low)
    if found is None and len(low) >= 3 and low.isalnum() and not low[-1].isdigit():
        # A skeleton drops digits and apostrophes, so "MD" joined to the "784" after it
        # ("MD, (784) 462-8388") would read as "meid" and "I'm" as "imei"; a digit inside
        # stands for the letter it looks like ("passw0rd", "l1cense", "pa55word"), so
        # "V8TR" is no "voter".
        found = _BY_SKELETON.get(skeleton(low.translate(_DIGIT_LETTERS)))
        if found == "BLOCK" and len(low) < 4:
            # "are", "got", "set" share the skeletons of "area", "gate", "seat": a kept
            # number's word only when spelled out ("my numbers are 84318931" was kept)
            found = None
    return found


# Everything a cue word can start with, exactly or by skeleton: a word that starts none
# of them cannot start a cue split by a typo either ("pas port"), so the pair of it and
# the next word is not looked up (most pairs hold a name or an everyday word).
_EXACT_HEADS = frozenset(w[:i] for w in _EXACT for i in range(1, len(w) + 1))
_SKELETON_HEADS = frozenset(k[:i] for k in _BY_SKELETON for i in range(1, len(k) + 1))


@lru_cache(maxsize=1 << 16)
def _may_start_cue(word: str) -> bool:
    """Whether ``word`` + the next word can be a cue word: its lower-cased form starts
    an exact cue word, or its skeleton starts a cue word's (the skeleton of a joined
    pair starts with the skeleton of its first word). A trailing apostrophe is let
    through: "'s" removed from the pair would cut into the word."""
    low = word.lower()
    return low.endswith("'") or low in _EXACT_HEADS or skeleton(low) in _SKELETON_HEADS


# A compact value ("NYA123456", "APP-9882-5832-1199", "tok-ghijk789lmn012") or one typed
# out in single letters and short digit groups ("C L M 4 3 2 1 0", "W R K 6 487 24").
_VALUE = re.compile(
    r"#?(?:"
    # typed apart: single letters and digit groups
    r"(?:[A-Za-z](?![A-Za-z])|\d{1,4}(?!\d))(?:[ \t]?-?[ \t]?(?:[A-Za-z](?![A-Za-z])|\d{1,4}(?!\d))){3,30}"
    # a capital-letter prefix, then digit groups: "MTG 00459 94800", "YMW 0015 3881"
    r"|[A-Z]{1,4}[ \t-]\d{2,}(?:[ \t-]\d{2,}){0,4}"
    # compact: one token
    r"|[A-Za-z0-9](?:[A-Za-z0-9_]|-(?=[A-Za-z0-9])){3,63}"
    r")(?![\w@-])"
)
# The capital-letter prefix of digit groups, right before the run ("MTG " of "MTG 00459
# 94800"), as its own token.
_PREFIX_BEFORE = re.compile(r"(?<![\w'])[A-Z]{1,4}[ \t-]$")
# Values are found from their digits: scanning every word with ``_VALUE`` costs about
# ten times more on chat messages, most of whose words hold no digit.
# Digit groups typed apart ("4 1 5 -5 5 5") are one run: fewer candidates to look at.
# (``\d\d*``, not ``\d+``: a pattern that opens with a character class lets ``re`` skip
# to the next digit in C; one that opens with a repeat is tried at every position.)
_DIGIT_RUN = re.compile(r"\d\d*(?:[ \t-]{1,2}\d+)*")
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def _glued_start(text: str, i: int) -> int:
    """Start of the token that ends at ``i`` ("NYA" before "123456")."""
    while i and text[i - 1] in _TOKEN_CHARS:
        i -= 1
    return i


def _spaced_start(text: str, i: int) -> int:
    """Start of single letters typed apart before ``i`` ("C U S T " before "7 2 4")."""
    while True:
        j = i
        while j and text[j - 1] in " \t-":
            j -= 1
        if j == i or not j or not text[j - 1].isalpha() or (j >= 2 and text[j - 2].isalnum()):
            return i
        i = j - 1


_WORD = re.compile(r"[A-Za-z0-9'/#]+")
_MIN_DIGITS = 3
# An account number is longer than a PIN or a short id: after "account", fewer digits
# are a balance, a year or a count ("account since 2019", "account balance 250").
_MIN_ACCOUNT_DIGITS = 6
# "phone on the account should be ...", "the cell number linked to my acct is": the
# account's phone, not its number.
PHONE_OF_ACCOUNT = re.compile(
    r"\b(?:phone|cell|mobile|contact)\s+(?:number\s+|#\s*)?(?:on|for|of|in|tied\s+to"
    r"|linked\s+to)\s+(?:the|my|this|our|your)\s+(?:account|acct)\b"
    r"(?:(?!\b(?:account|acct|number|no)\b)[^.!?\n,;])*$",
    re.IGNORECASE,
)
# A phone named after the account word, before the number: the number is the phone,
# which numbers.py finds ("my account phone number is ..."; not "phone acct 8242 ...",
# a phone company's account).
PHONE_AFTER_ACCOUNT = re.compile(
    r"\b(?:account|acct|checking|savings)\b.*\b(?:phone|cell|mobile|tel|call|text|fax)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1 << 16)  # the 50 characters before a value repeat (half of them in
# PII-dense chat: "my number is ", "charged twice on my card "): one lookup, no scan
def _cue_type(before: str) -> str | None:
    """The entity type named by the words just before a value, if any.

    Looks back over filler words ("number", "is", "my") and at most one other word
    ("my work ID", "applnce srl is"); a transaction word ("order", "tracking") vetoes.
    """
    return _cue_type_of_words(tuple(_WORD.findall(before)[-6:]))


@lru_cache(maxsize=1 << 16)  # the words before a value repeat (templates, set phrases)
def _cue_type_of_words(words: tuple[str, ...]) -> str | None:
    """``_cue_type`` of the last (at most six) words before a value."""
    # Join letters typed apart ("the acct P I N is" -> "PIN").
    joined: list[str] = []
    for word in words:
        if len(word) == 1 and word.isalpha() and joined and len(joined[-1]) >= 1:
            previous = joined[-1]
            if previous.isalpha() and previous.isupper() and word.isupper():
                joined[-1] = previous + word
                continue
        joined.append(word)
    others = 0
    for i in range(len(joined) - 1, -1, -1):
        word = joined[i]
        # A cue split by a typo ("pas port") is tried joined first; a joined pair only
        # ever adds a cue, never a veto ("my" + "DL" is not "model").
        pair = _word_type(joined[i - 1] + word) if i and _may_start_cue(joined[i - 1]) else None
        entity = pair if pair not in (None, "BLOCK") else _word_type(word)
        if entity == "BLOCK":
            return None
        if entity is not None:
            if word.lower() in _QUALIFIED_CUES and i and _word_type(joined[i - 1]) == "BLOCK":
                return None  # "discount code", "zip code", "error code"
            if skeleton(word) in _ID_AFTER_ONLY and (
                i + 1 == len(joined) or joined[i + 1].lower() != "id"
            ):
                return None
            return entity
        if word.lower() in _FILLER:
            continue
        others += 1
        if others > 1:
            return None
    return None


# A transaction's or a parcel's number right before a value ("transaction id", "txn",
# "fedex"): spelled out and right before it, as the skeletons and the look-back of the
# cue words would also take "sister" for "store" or "the refund transaction went to".
KEPT_RIGHT_BEFORE = re.compile(
    r"\b(?:transaction|txn|ref|reference|confirmation|order|tracking|invoice|receipt|ticket"
    r"|fedex|usps|dhl|shipment|parcel)\b(?:[ \t]*(?:id|no\.?|number|num|#))?[ \t:#]*$",
    re.IGNORECASE,
)


def names_a_kept_number(before: str) -> bool:
    """Whether one of the last three words before a number names a transaction or
    catalogue number kept on purpose ("order", "tracking", "flight", "model" ...)."""
    return any(_word_type(word) == "BLOCK" for word in _WORD.findall(before)[-3:])


def _values(text: str) -> list[re.Match[str]]:
    """Candidate values holding a digit run, each found once, in order."""
    found = []
    covered = 0
    # The token start found for the last run, and that run's start: a run in the same
    # token has the same start. Walking back over the whole token for every run was
    # quadratic in a long token of many runs ("aB1-aB1-...": 24,000 characters, 2.6 s).
    glued, glued_at = 0, -1
    for run in _DIGIT_RUN.finditer(text):
        if run.start() < covered:
            continue
        spaced = _spaced_start(text, run.start())
        if glued_at < 0 or not _TOKEN_CHARS.issuperset(text[glued_at : run.start()]):
            glued = _glued_start(text, run.start())
        glued_at = run.start()
        starts: tuple[int, ...] = (spaced, glued) if spaced < glued else (glued,)
        if spaced == glued == run.start() > 0 and text[run.start() - 1] in " \t-":
            prefix = _PREFIX_BEFORE.search(text, max(0, run.start() - 6), run.start())
            # not a word that names the value ("IMEI 3569...", "ID 1234...")
            if prefix is not None:
                word = prefix.group()[:-1]
                if _word_type(word) is None and word.lower() not in _FILLER:
                    starts = (prefix.start(), *starts)
        for start in starts:
            if start and text[start - 1] == "#":
                start -= 1
            if start and (text[start - 1].isalnum() or text[start - 1] in "@/.-_"):
                continue  # inside a longer token: a URL, an email, a decimal
            value = _VALUE.match(text, start)
            if value is not None and value.end() > run.start():
                found.append(value)
                covered = value.end()
                break
    return found


# Between two values of one cue: "my PIN is 5380 or 9431", "either 1596 or 0314".
_ALTERNATIVE = re.compile(r"[ \t]*(?:,[ \t]*)?(?:or|and|/|,)[ \t]*", re.IGNORECASE)


def cued_identifiers(text: str) -> list[Span]:
    """Values with at least three digits whose preceding words name an identifier, and
    the alternatives listed right after one ("5380 or 9431": the customer is unsure
    which of two PINs is theirs; both are)."""
    spans: list[Span] = []
    for m in _values(text):
        digits = digits_only(m.group())  # a value's digits are ASCII or \d: the same set
        if len(digits) < _MIN_DIGITS or len(set(digits)) == 1:
            continue  # too short to identify anyone, or a placeholder ("CLM11111")
        entity = _cue_type(text[max(0, m.start() - 50) : m.start()])
        if entity is None and spans:
            previous = spans[-1]
            between = _ALTERNATIVE.fullmatch(text, previous.end, m.start())
            if between is not None and m.start() > previous.end:
                entity = previous.type
        if entity == "CREDIT_CARD" and not 12 <= len(digits) <= 19:
            continue
        if entity == "BANK_ACCOUNT" and (
            len(digits) < _MIN_ACCOUNT_DIGITS
            or PHONE_AFTER_ACCOUNT.search(text, max(0, m.start() - 40), m.start())
            or PHONE_OF_ACCOUNT.search(text, max(0, m.start() - 80), m.start())
        ):
            continue
        if entity is not None:
            spans.append(Span(entity, m.start(), m.end(), 0.88))
    return spans


# "51.5074 N, 0.1278 W", "lat 40.7128, long -74.0060": a coordinate pair. Digits may be
# typed apart ("5 1 .5 0 7 4 N"); hemisphere letters or a lat/long cue are required, so
# prices and version numbers are not coordinates.
# Values typed apart in short fragments after the word that names them ("pass is Sum
# mer 2 0 2 5 !", "hndl is P l a y e r A B C", "wllt b c 1 q x y ...", "MAC is 2 H :2 A
# :3 5", "Prtnr Ol ivia R ose Cl ark"): the type by the cue word's skeleton.
_SPACED_CUES = {
    **{skeleton(w): "CREDENTIAL" for w in ("password", "passwd", "pass", "passcode", "key")},
    **{skeleton(w): "USERNAME" for w in ("handle", "username", "gamertag", "login")},
    skeleton("wallet"): "CRYPTO_WALLET",
    skeleton("mac"): "MAC_ADDRESS",
    skeleton("dob"): "DATE_OF_BIRTH",
    **{
        skeleton(w): "PERSON"
        for w in ("name", "maiden", "partner", "spouse", "child", "wife", "husband", "daughter")
    },
}
_SPACED_CUE = re.compile(
    # the cue word itself may be typed apart ("M A C", "D O B")
    # (written from its first letter, the look-behind after it: see person_cues.CAP_RUN;
    # "[A-Za-z]{2,9}|(?:[A-Za-z][ \t]){1,3}[A-Za-z]" with the first letter taken out)
    r"([A-Za-z](?<![\w'].)(?:[A-Za-z]{1,8}|(?:[ \t][A-Za-z]){1,3}))(?![\w'])(?:['’]s)?,?[ \t]+"
    r"(?:(?:is|was|=)[ \t]+|:[ \t]*)?(?=\S)"
)


def _skeleton_words(key: str) -> str:
    """A regex for the lower-case words whose ``skeleton`` is ``key``, single blanks
    allowed between letters (a cue typed apart): after each letter of the key, vowels or
    that letter again, any number of times up to eight (a cue word has at most nine)."""
    pattern = key[0] + rf"(?:[ \t]?(?:[aeiouy]|{key[0]})){{0,8}}"
    for letter in key[1:]:
        pattern += rf"[ \t]?{letter}(?:[ \t]?(?:[aeiouy]|{letter})){{0,8}}"
    return pattern


# A superset of the words the cue scan reads as a typed-apart value's cue: some word,
# bounded as the scan bounds it, whose skeleton is a cue's. Searched in the lower-cased
# text before the scan (one pass that skips to the cues' first letters): most messages
# hold none, and the scan reads every word of the message. Only for ASCII text, where
# lowering keeps every character's length and whether it is a word character.
_SPACED_CUE_WORD = re.compile(
    "|".join(
        rf"{first}(?<![\w'].)(?:{'|'.join(_skeleton_words(k)[1:] for k in keys)})(?![\w'])"
        for first, keys in sorted(
            {k[0]: sorted(k2 for k2 in _SPACED_CUES if k2[0] == k[0]) for k in _SPACED_CUES}.items()
        )
    )
)
# Fragments of one to four characters (a name's of up to five), one space apart.
_FRAGMENTS = re.compile(r"[^\s,;]{1,5}(?![^\s,;])(?:[ \t][^\s,;]{1,5}(?![^\s,;]))+")


def spaced_values(text: str, names: Gazetteer) -> list[Span]:
    """Values typed apart after the word that names them (see ``_SPACED_CUES``): three
    or more fragments of which at most a third are English words; a person's name in
    two or more, capitalised, the first of which join into a listed name."""
    spans: list[Span] = []
    # Most messages name no such value: the words the scan reads as cues, looked up
    # once each, say so without a match object and a call per word (the scan itself
    # is the same, so its matches are the same when the loop below runs).
    if (text.isascii() and _SPACED_CUE_WORD.search(text.lower()) is None) or not any(
        map(_spaced_cue_type, set(_SPACED_CUE.findall(text)))
    ):
        return spans
    for cue in _SPACED_CUE.finditer(text):
        entity = _spaced_cue_type(cue.group(1))
        if entity is None:
            continue
        run = _FRAGMENTS.match(text, cue.end())
        if run is None:
            continue
        fragments = run.group().split()
        end = run.end()
        if entity == "PERSON":
            if not fragments[0][0].isupper():
                continue
            spelled = _spaced_name_length(fragments, names)
            if not spelled:
                continue
            # the name's fragments only: "name is Car ter and I need a card" ends at "ter"
            end = [m.end() for m in _FRAGMENT.finditer(text, run.start(), run.end())][spelled - 1]
        else:
            english = sum(
                len(f) > 1 and f.lower() in names.english_rank and not f.isupper()
                for f in fragments
            )
            if len(fragments) < 3 or english * 3 > len(fragments) or max(map(len, fragments)) > 4:
                continue
        # above a cue's own reading of the first fragment ("name is Mar" -> "Mar")
        spans.append(Span(entity, run.start(), end, 0.9))
    return spans


@lru_cache(maxsize=1 << 16)  # chat vocabulary is small; skeletons cost a Python loop
def _spaced_cue_type(word: str) -> str | None:
    return _SPACED_CUES.get(skeleton(word.replace(" ", "").replace("\t", "")))


_FRAGMENT = re.compile(r"[^\s,;]+")


def _spaced_name_length(fragments: list[str], names: Gazetteer) -> int:
    """How many of ``fragments`` spell a name typed apart: first two to four that join
    into a listed name ("Car ter", "D av id"; the name starts right after its cue, so
    "name X as a beneficiary" is none), then more such groups, or single capitalised
    names ("Mar ia Lo pez", "Ol ivia R ose Cl ark", "Car ter Smith"). 0 when none.

    A group's later fragments are never function words: "Mark I am" is not "Marki", and
    the words after the name are not part of it."""
    taken = _name_group(fragments, 0, names, least=2)
    if not taken:
        return 0
    while taken < len(fragments) and fragments[taken][0].isupper():
        group = _name_group(fragments, taken, names, least=1)
        if not group:
            break
        taken += group
    return taken


def _name_group(fragments: list[str], start: int, names: Gazetteer, least: int) -> int:
    """The most fragments (``least`` to four) from ``start`` that join into a name of the
    lists, none after the first a function word; 0 when none do."""
    for size in range(min(len(fragments) - start, 4), least - 1, -1):
        parts = fragments[start : start + size]
        if any(part.lower() in STOPWORDS for part in parts[1:]):
            continue
        joined = "".join(parts).lower()
        if joined in names.listed or joined in names.given_names or names.is_surname(joined):
            return size
    return 0


_DIGITS = r"\d(?:[ \t]?\d){0,2}[ \t]?\.[ \t]?\d(?:[ \t]?\d){1,7}"
_COORDINATES = re.compile(
    rf"(?<![\w.])-?{_DIGITS}[ \t]*°?[ \t]*(?P<ns>[NS]\b)?[ \t]*,?[ \t]*-?{_DIGITS}[ \t]*°?[ \t]*"
    r"(?P<ew>[EW]\b)?"
)
_COORDINATE_CUE = re.compile(r"\b(?:lat|latitude|long|longitude|coordinates|gps|location)\b", re.I)


# A digit, a decimal point and a digit (blanks allowed around the point): every number of
# a coordinate pair holds one, so a message without it is not scanned. (_COORDINATES opens
# with a look-behind and is tried at every position; this one skips to digits.)
_DECIMAL_POINT = re.compile(r"\d[ \t]?\.[ \t]?\d")


def coordinates(text: str) -> list[Span]:
    """Latitude/longitude pairs with hemisphere letters or a coordinate cue."""
    spans: list[Span] = []
    if _DECIMAL_POINT.search(text) is None:
        return spans
    for m in _COORDINATES.finditer(text):
        digits = [c for c in m.group() if c.isdigit()]
        if len(set(digits)) <= 1:
            continue  # 00.0000 N, 00.0000 W: a placeholder
        if (m.group("ns") and m.group("ew")) or _COORDINATE_CUE.search(
            text, max(0, m.start() - 30), m.start()
        ):
            spans.append(Span("GEO_COORDINATES", m.start(), m.end(), 0.9))
    return spans


# "my username is PlayerABC", "gamertag: xX_sniper_Xx": an account name after its cue.
# The value must look like a handle (a digit, an underscore or an inner capital), so
# "the username is wrong" stays.
_USERNAME = re.compile(
    r"\b(?:user\s?name|user\s?id|handle|gamertag|gamer\s?tag|screen\s?name|login)"
    r"(?:\s+(?:is|was)|\s*[:=])\s*@?(?P<value>[A-Za-z0-9_.]{3,30})\b",
    re.IGNORECASE,
)


def usernames(text: str) -> list[Span]:
    """Account names stated after "username is", "handle:", "gamertag" ..."""
    spans = []
    for m in _USERNAME.finditer(text):
        value = m.group("value")
        handle_like = (
            any(c.isdigit() for c in value) or "_" in value or any(c.isupper() for c in value[1:])
        )
        digits = [c for c in value if c.isdigit()]
        if handle_like and not (digits and len(set(digits)) == 1 and len(digits) > 2):
            spans.append(Span("USERNAME", m.start("value"), m.end("value"), 0.85))
    return spans


# "the answer is Johnson", "Answer to pet name is Whiskers", "answr is S p o t": the
# answer to a security question, a word or letters typed apart.
_ANSWER = re.compile(
    r"(?i:\b(?:security\s+)?answe?r\b)(?:\s+(?:to|for)\s+[^,.;:!?\n]{1,30}?)?"
    r"(?:\s+(?i:which|that))?\s+(?:is|was|:)\s+"
    r"(?P<value>(?:[A-Za-z][ \t]){2,}[A-Za-z]\b|[A-Z][\w'-]{1,40}|['\"‘“][^'\"’”\n]{1,40}['\"’”])"
)
# "my childhood pet's name is Buddy", "my pet was Nemo", "my childhood dog, Buddy": a
# pet's name is the classic security answer. Capitalised, and not a function word.
_PET = re.compile(
    r"\b(?i:pet|dog|cat|puppy|kitten)(?:['’]?s)?(?:\s+(?i:name))?"
    r"(?:\s+(?i:is|was)|,(?:\s+(?i:it'?s|it\s+is|it\s+was))?|:"
    # "my childhood pet's name.. it was Buddy": across a full stop only after "name"
    # ("I love my dog. It was Tuesday ..." is no answer)
    r"|(?<=[Nn]ame)[.…]+\s*(?i:it'?s|it\s+is|it\s+was))\s+(?:(?i:called|named)\s+)?"
    r"(?P<value>[A-Z][a-z'-]+)\b"
)
# The security question's own words ("childhood pet is", "first dog's name was", "pet
# name is") say a name follows, so it may be typed in lower case ("... is buddy"); typed
# as a form without the verb ("childhood pet charlie"), the word must look like a name.
# "my pet is sick" has no such words and stays with the capitalised rule above.
# Without "name", "called" or "named" ("my first dog was awesome") the word must look
# like a name: see ``_pet_name_like``.
_PET_NAMED = re.compile(
    r"\b(?:(?:childhood|first)\s+(?:pet|dog|cat|puppy|kitten)(?:['’]?s)?(?:\s+(?P<name>name))?"
    r"|(?:pet|dog|cat|puppy|kitten)(?:['’]?s)?\s+(?P<name2>name))(?P<verb>\s*(?:is|was|:))?\s+"
    r"(?:(?P<called>called|named)\s+)?(?P<value>[a-z][a-z'-]{1,30})\b",
    re.IGNORECASE,
)
# Pets' names that are English words and no person's name, from the most popular US
# dog and cat names (hand-written: no package lists pet names). Names that are also
# people's ("Max", "Bella", "Daisy") are in the first-name lists already.
PET_WORD_NAMES = frozenset(
    """
    buddy rocky shadow lucky rusty ginger pepper biscuit cookie peanut oreo bear duke tiger
    smokey smoky boots whiskers fluffy spot patch sparky coco muffin bandit midnight
    snowball mittens socks princess buster scout ranger pumpkin nemo
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
# "Nemo is my childhood pet", "Buddy was my first dog": the name before its cue, the
# cue closing the phrase (not "Max is my pet sitter").
_PET_BEFORE = re.compile(
    r"(?<![\w'])(?P<value>[A-Z][a-z'-]+)\s+(?i:is|was)\s+(?i:my|our)\s+"
    r"(?:(?i:childhood|first|old)\s+)?(?i:pet|dog|cat|puppy|kitten)(?:['’]?s\s+(?i:name))?"
    r"(?=\s*(?:[.,;!?]|$|(?i:and|but)\b))"
)
# Words that answer "your first pet's name?" without being one.
_NOT_A_PET_NAME = frozenset(
    [
        "dead",
        "gone",
        "unknown",
        "forgotten",
        "something",
        "same",
        "different",
        "private",
        "secret",
        "sick",
        "ill",
        "old",
        "cute",
        "lost",
        "missing",
        "none",
        "nothing",
        "fine",
    ]
)


def _named_pet(m: re.Match[str]) -> bool:
    """A lower-case word after "first dog was": a name when the question's words say so
    ("name", "called", "named") or when the word looks like a pet's or a person's name."""
    if m.group("verb") and (m.group("name") or m.group("name2") or m.group("called")):
        return True
    return _name_like_answer(m.group("value"))


def pet_or_first_name(word: str) -> bool:
    """``word`` (lower case) is a popular pet's name or a listed first name."""
    names = gazetteer()
    return word in PET_WORD_NAMES or word in names.us_first_names or word in names.first_names


def listed_answer_name(word: str) -> bool:
    """``word`` (lower case) is a pet's name, a listed first name or a US surname: the
    names a security answer is, whatever the words around it."""
    return pet_or_first_name(word) or word in gazetteer().us_last_names


def _security_field_value(value: str) -> bool:
    """A listed name or pet's name, or a capitalised word no frequent English word."""
    word = value.lower()
    return listed_answer_name(word) or (
        value[0].isupper() and word not in gazetteer().frequent_words
    )


def _name_like_answer(value: str) -> bool:
    """A pet's or a person's name, or a word outside the frequent English words."""
    word = value.lower()
    return pet_or_first_name(word) or word not in gazetteer().frequent_words


# "security question 1 sanders  security question 2 nemo", "security answer: Rocky": a
# security question's answer typed as a form field. The word must be a listed name or
# pet's name, or a capitalised word outside the frequent English words: "security
# question about my card", "The security question was confusing" stay.
_SECURITY_FIELD = re.compile(
    r"\b(?i:security|secret)\s+(?i:question|answer)\s*(?:#\s*)?(?:\d\s*)?"
    r"(?P<sep>(?i:is|was)\b|[:=-])?\s*(?P<value>[A-Za-z][a-z'-]{1,30})\b"
)
# A security question's own words after "Security question 1:" ("Mother's maiden name?",
# "Name of childhood pet?"): the question, not its answer.
_QUESTION_WORDS = frozenset(
    """
    name mother mother's mothers father father's fathers maiden first favorite favourite
    city street childhood high answer question pet dog cat school
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
_QUESTION_AFTER = re.compile(r"['’]s\b|[ \t]*\?|[ \t]+(?:maiden|name|of)\b", re.IGNORECASE)
# "born in London, UK": the place of birth is a classic security answer.
_BIRTHPLACE = re.compile(
    r"\b(?i:born|brn)\s+in\s+(?P<value>[A-Z][\w'-]+(?:(?:[ \t]+|,[ \t]*)[A-Z][\w'-]+){0,3})"
)
# Bech32 (bc1...) and Ethereum (0x + 40 hex) wallet addresses: shapes nothing else has.
_WALLET = re.compile(r"\b(?:bc1[02-9ac-hj-np-z]{11,71}|0x[0-9a-fA-F]{40})\b")


def stated_secrets(text: str, lowered: str) -> list[Span]:
    """Security answers, places of birth and crypto wallet addresses; each regex runs only
    when its marker word is in the (lower-cased) message."""
    spans = []
    if "answ" in lowered:
        spans += [
            Span("CREDENTIAL", m.start("value"), m.end("value"), 0.85)
            for m in _ANSWER.finditer(text)
        ]
    if "pet" in lowered or "dog" in lowered or "cat" in lowered or "pupp" in lowered:
        spans += [
            Span("CREDENTIAL", m.start("value"), m.end("value"), 0.85)
            for pattern in (_PET, _PET_NAMED, _PET_BEFORE)
            for m in pattern.finditer(text)
            if m.group("value").lower() not in STOPWORDS
            and m.group("value").lower() not in _NOT_A_PET_NAME
            and (pattern is not _PET_NAMED or _named_pet(m))
        ]
    if "security" in lowered or "secret" in lowered:
        spans += [
            Span("CREDENTIAL", m.start("value"), m.end("value"), 0.85)
            for m in _SECURITY_FIELD.finditer(text)
            if m.group("value").lower() not in STOPWORDS
            and m.group("value").lower() not in _NOT_A_PET_NAME
            and m.group("value").lower() not in _QUESTION_WORDS
            and _QUESTION_AFTER.match(text, m.end("value")) is None
            and _security_field_value(m.group("value"))
        ]
    if "born" in lowered or "brn" in lowered:
        spans += [
            Span("BIRTHPLACE", m.start("value"), m.end("value"), 0.85)
            for m in _BIRTHPLACE.finditer(text)
        ]
    if "bc1" in lowered or "0x" in lowered:
        spans += [Span("CRYPTO_WALLET", m.start(), m.end(), 0.95) for m in _WALLET.finditer(text)]
    return spans


# Health data: a condition or medication the writer says they (or theirs) have. A bare
# condition word is not enough ("does it support ibuprofen reminders?" is a question
# about the product), so each pattern needs a first-person or clinical cue before it.
_CONDITIONS = (
    r"diabet(?:es|ic)|asthma|depression|anxiety|cancer|hypertension|high\s+blood\s+pressure"
    r"|hiv|epilep(?:sy|tic)|adhd|autism|arthritis|migraines?|pregnan(?:t|cy)|copd|dementia"
    r"|alzheimer'?s|parkinson'?s|bipolar(?:\s+disorder)?|schizophrenia|ptsd|ocd|insomnia"
    r"|sleep\s+apnea|celiac(?:\s+disease)?|(?:lactose|gluten)\s+intolerance|heart\s+(?:disease"
    r"|condition|failure)|kidney\s+disease|hepatitis(?:\s+[abc])?|tuberculosis|lupus"
    r"|multiple\s+sclerosis|crohn'?s(?:\s+disease)?|eczema|psoriasis|anemia|thyroid\s+\w+"
)
_MEDICATIONS = (
    r"aspirin|ibuprofen|insulin|metformin|lisinopril|atorvastatin|levothyroxine|amlodipine"
    r"|omeprazole|prozac|zoloft|sertraline|xanax|adderall|warfarin|prednisone|albuterol"
    r"|antidepressants?|antibiotics|chemotherapy|chemo|methadone|suboxone|lithium|inhaler"
)
# The lookahead rejects most positions with one test (see matching.first_letter_guard).
_HEALTH = re.compile(
    r"(?=[adhimoptu])\b(?:(?:i\s+(?:have|had|suffer\s+from|was\s+diagnosed\s+with|am\s+treated\s+for)"
    r"|i'm|i\s+am|my|his|her|our|diagnosed\s+with|history\s+of|treated\s+for|taking|on)\s+"
    rf"(?P<value>(?:{_CONDITIONS}|{_MEDICATIONS})\b)"
    r"|(?:allergic|allergy|allergies)\s+(?:to|:)\s*(?P<allergen>[a-z][a-z-]+(?:\s+[a-z-]+)?)"
    r"|prescriptions?\s*(?:for|:)\s*(?P<drug>[a-z][a-z-]+)"
    r"|diagnosed\s+with\s+(?P<diagnosis>[a-z][a-z0-9'-]*(?:\s+[a-z0-9'-]+){0,2}))",
)
# Every match of _HEALTH holds "allerg", "prescription" or "diagnosed", or a condition or
# medication right after a whitespace character: checked first, since few messages hold
# one (a pattern that opens with "\s" lets ``re`` skip to the next whitespace; the scan
# above tries every position: 5.4 -> 2.2 us per message).
# (The three needles are tested inline in ``health``: a generator costs more than the tests.)
_HEALTH_WORD_AFTER_SPACE = re.compile(rf"\s(?:{by_first_letter(_CONDITIONS + '|' + _MEDICATIONS)})")
# Words that end an allergen or diagnosis phrase ("allergic to shellfish, add ...").
_PHRASE_STOP = frozenset("and or but so to for in on at the a an my please add it".split())  # noqa: SIM905


def health(lowered: str) -> list[Span]:
    """Conditions, medications, allergies and diagnoses stated about a person."""
    spans: list[Span] = []
    if not ("allerg" in lowered or "prescription" in lowered or "diagnosed" in lowered) and (
        _HEALTH_WORD_AFTER_SPACE.search(lowered) is None
    ):
        return spans
    for m in _HEALTH.finditer(lowered):
        group = next(g for g in ("value", "allergen", "drug", "diagnosis") if m.group(g))
        start, end = m.start(group), m.end(group)
        words = lowered[start:end].split()
        while words and words[-1] in _PHRASE_STOP:
            words.pop()
            end = start + len(" ".join(words))
        if words and words[0] not in _PHRASE_STOP and words[0] not in {"no", "none", "nothing"}:
            spans.append(Span("HEALTH", start, end, 0.8))
    return spans
