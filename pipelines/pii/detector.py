"""Rule-based PII detection tuned for short customer-service chat messages.

Speed comes from doing little per message: each entity family runs only when a cheap
prefilter says it can match (an ``@`` for emails, a digit for numbers, a capital letter
or a cue for names), all digit-bearing entities share ONE candidate regex whose matches
are classified by digit count and check digits, and the phone validator (libphonenumber)
only sees candidates with at least 7 digits that nothing cheaper has claimed.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

import phonenumbers
from faker.providers.address.en_US import Provider as USAddress

from pipelines.pii.checksums import aba_routing_valid, iban_valid, luhn_valid, ssn_valid
from pipelines.pii.cues import coordinates, cued_identifiers, health, stated_secrets, usernames
from pipelines.pii.custom import DEFAULT_CONFIG, CustomPattern, load_custom_patterns
from pipelines.pii.fold import fold
from pipelines.pii.names import STOPWORDS, Gazetteer, gazetteer
from pipelines.pii.spans import Span, resolve_overlaps


def _by_first_letter(alternatives: str) -> str:
    """Regroup a top-level ``a|b|c`` alternation of word cues by first letter.

    Python's ``re`` tries alternatives one by one at every word start; grouped as
    ``s(?:aid|ays|...)|t(?:ell|ext|...)`` it compares the first letter once per group.
    Alternatives that do not start with a plain letter are kept as they are.
    """
    parts, depth, current = [], 0, ""
    for char in alternatives:
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += char == "("
        depth -= char == ")"
        current += char
    parts.append(current)
    groups: dict[str, list[str]] = {}
    for part in parts:
        key = part[0] if part[:1].isalpha() else ""
        groups.setdefault(key, []).append(part[1:] if key else part)
    return "|".join(
        f"{key}(?:{'|'.join(rest)})" if key else "|".join(rest) for key, rest in groups.items()
    )


def _first_letter_guard(pattern: str) -> str:
    """Prefix a cue pattern with a lookahead on the letters its words can start with.

    Python's ``re`` tries every alternative at every position; the lookahead rejects
    most positions with one character-class test (about 30% faster on chat messages).
    The class is every lowercase letter that follows a word boundary or alternation bar
    in the pattern, a superset of the real first letters, so no match is lost.
    """
    letters = sorted(set(re.findall(r"(?:\\b|\(\?:|\|)([a-z])", pattern)))
    return rf"(?=[{''.join(letters)}])" + pattern


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

# --- email, URL, handle ---------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b"
)
_SEP = r"\s*(?:\.|\bdot\b|\(dot\)|\[dot\])\s*"
# "john dot smith at gmail dot com", "jane(at)mail(dot)com". Runs only when "dot"/"(at)"
# occurs, so "look at example.com" in plain prose is not an email. Separators are
# mandatory between runs, which keeps the pattern free of catastrophic backtracking.
# Quantifiers are bounded (RFC 5321 lengths) and a match starts only at the start of
# a run, so adversarial input ("a-a-a-...") costs linear, not quadratic, time.
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![a-z0-9_+-])[a-z0-9_+-]{{1,64}}(?:{_SEP}[a-z0-9_+-]{{1,64}}){{0,4}}"
    r"\s*(?:\bat\b|\(at\)|\[at\]|@)\s*"
    rf"[a-z0-9-]{{1,63}}(?:{_SEP}[a-z0-9-]{{1,63}}){{0,4}}{_SEP}"
    r"(?:com|net|org|edu|gov|io|co|us|uk|ca|de|fr|es|it|nl|info|biz|me|mail)\b",
    re.IGNORECASE,
)
# An address broken up by stray spaces so that it slips past the plain pattern:
# "emly.jns@pot ter inc .com", "j hn.d oe@em ail.c om", "john @ gmail.com". Tried only
# around an "@" the plain pattern did not take; fragments are bounded in number and
# length, so the scan stays linear. "meet @ 5pm at the cafe. com" is prose: the domain
# may hold at most two stray spaces.
_SPACED_TLD = "|".join(
    " ?".join(tld) for tld in ("com", "net", "org", "edu", "gov", "io", "co", "us", "info")
)
_SPACED_EMAIL = re.compile(
    r"(?<![\w.+-])(?=[\w.%+-]*[A-Za-z])[A-Za-z0-9._%+-]{1,64}[ \t]?@[ \t]?"
    r"(?P<domain>[A-Za-z][A-Za-z0-9-]{0,62}(?:[ \t]?[A-Za-z0-9.-]{1,63}){0,3}?)[ \t]?\.[ \t]?"
    rf"(?:{_SPACED_TLD})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# Up to two short pieces of the local part before it ("j hn.d oe@..."), never a
# function word ("email is john @ ...").
_LOCAL_PIECE_BEFORE = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]{1,4})[ \t]$")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
# Only URLs that point at a person (a profile, a payment handle) are PII; help-centre and
# product links must survive scrubbing because knowledge-base analytics read them.
_PERSONAL_URL_HOST = re.compile(
    r"^(?:https?://)?(?:www\.|m\.)?(?:facebook\.com|fb\.com|instagram\.com|twitter\.com|x\.com"
    r"|linkedin\.com/in|tiktok\.com|github\.com|youtube\.com/@|t\.me|wa\.me|reddit\.com/u"
    r"|medium\.com/@|venmo\.com|paypal\.me|cash\.app|calendly\.com|snapchat\.com)"
    r"/[^/\s?#]+",
    re.IGNORECASE,
)
# Links to private files and shortened links, with or without a scheme: their path is
# an access token to someone's documents, or hides where it points.
_PRIVATE_LINK = re.compile(
    r"(?<![\w.])(?:https?://)?(?:www\.)?(?:dropbox\.com|drive\.google\.com|docs\.google\.com"
    r"|onedrive\.live\.com|1drv\.ms|box\.com|wetransfer\.com|we\.tl|icloud\.com|bit\.ly"
    r"|tinyurl\.com|t\.co|goo\.gl|ow\.ly|is\.gd|buff\.ly|rebrand\.ly)/[^\s,;]+",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])")

# --- digit-bearing entities -----------------------------------------------------------
# One candidate regex for every number: digits joined by up to three separators, so
# "415-555-0132", "(415) 555 0132", "4111 1111 1111 1111" and the obfuscated
# "4 1 5 -5 5 5 -0 1 3 2" are each one candidate. Not preceded by a word character, so
# product codes like SKU12345678 are never candidates.
_NUMBER = re.compile(r"(?<![\w.])(?:\+\s?|\(\s?)?\d(?:[ \t.\-/()]{0,3}\d)*")
_IPV4_SHAPE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_SSN_SHAPE = re.compile(r"\d{3}([- ])\d{2}\1\d{4}")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# Dates are not PII on their own; they are found so their digits are not mistaken for
# phone numbers, and scrubbed as DATE_OF_BIRTH when a birth cue precedes them.
_DATE = re.compile(
    # the lookahead (digits and month initials) rejects most positions cheaply
    r"(?=[0-9adfjmnos])(?<!\d[/.\-])\b(?:\d{4}-\d{1,2}-\d{1,2}(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    rf"|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{4}})\b"
    # not inside a longer run of digit groups: 03.93.92.16.85 is a phone, not a date
    r"(?![/.\-]\d)",
    re.IGNORECASE,
)
_BIRTH_CUE = re.compile(r"\b(?:born|birth|dob|d\.o\.b|birthday|bday)\b", re.IGNORECASE)
_PHONE_CUE = re.compile(
    r"\b(?:phone|call|cell|mobile|tel|telephone|text|reach|fax|whatsapp|contact)\b",
    re.IGNORECASE,
)
_SSN_CUE = re.compile(r"\b(?:ssn|social security|social|ss#|ss no)\b", re.IGNORECASE)
_ROUTING_CUE = re.compile(r"\b(?:routing|aba|rtn|transit)\b", re.IGNORECASE)
_ACCOUNT_CUE = re.compile(
    r"\b(?:account|acct|a/c|checking|savings|bank)\b(?:\s*(?:number|no\.?|num|#))?",
    re.IGNORECASE,
)
_CARD_CUE = re.compile(r"\b(?:card|visa|mastercard|amex|discover|cc)\b", re.IGNORECASE)
_VERSION_CUE = re.compile(r"\b(?:version|ver|v|build|release)\.?\s*$", re.IGNORECASE)

_NANP = re.compile(r"1?[2-9]\d{2}[2-9]\d{6}")
# Regions tried for numbers written without a country code, most likely first.
_PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "AU", "IN", "BR")

# --- secrets and device ids ----------------------------------------------------------
# A value stated after a secret's name: "my PIN is 7402", "password: 'Secret99'". The
# value needs a digit or quotes, so "the password is required" stays.
_CREDENTIAL = re.compile(
    _first_letter_guard(
        r"\b(?:password|passcode|passwd|pwd|pin|otp|one[- ]time (?:code|password)"
        r"|verification code|security code|auth(?:entication)? code|cvv|cvc|security answer)"
        r"(?:\s+(?:number|code))?\s*(?:is|was|:|=)\s*"
        r"(?P<value>['\"‘“][^'\"’”\n]{1,64}['\"’”]|(?=\S*\d)[^\s,;]{3,64}(?<![.!?]))"
    ),
    re.IGNORECASE,
)
_MAC = re.compile(r"\b[0-9A-Fa-f]{2}(?:([:-])[0-9A-Fa-f]{2})(?:\1[0-9A-Fa-f]{2}){4}\b")

# --- street addresses -----------------------------------------------------------------
# USPS street suffixes (Faker's en_US list is the USPS Publication 28 table) plus the
# common abbreviations people type.
_TYPED_SUFFIXES = (
    "st", "ave", "av", "rd", "blvd", "ln", "dr", "ct", "pl", "ter", "cir", "pkwy", "hwy", "sq",
    "trl", "aly", "plz", "cres", "xing", "hts", "expy", "fwy", "tpke", "rte", "route", "close",
    "crescent", "mews",
)  # fmt: skip
_SUFFIX = (
    "(?:"
    + "|".join(
        sorted(
            {s.lower() for s in USAddress.street_suffixes} | set(_TYPED_SUFFIXES),
            key=len,
            reverse=True,
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
_NOT_STREET_WORD = (
    r"(?!(?:the|a|an|on|in|to|for|of|my|your|our|and|or|at|is|are|was|it|this|that|with"
    r"|by|from|per|more|less|than|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?"
    r"|times?|items?|people|orders?|tickets?|pm|am|x)\b)"
)
# The house number and the street name share a line ([ \t], not \s): a number at the
# end of one line and "Benjamin Lane" signing off the next are a phone and a name.
_ADDRESS = re.compile(
    rf"(?<![\w.-])\d{{1,6}}[A-Za-z]?[ \t]+(?:[NSEW]\.?[ \t]+)?"
    rf"(?:{_NOT_STREET_WORD}[A-Za-z0-9][\w'.-]*[ \t]+){{0,4}}{_SUFFIX}\b\.?"
    r"(?:\s*,?\s*[NSEW]{1,2}\b\.?)?"
    r"(?:\s*,?\s*(?:apt|apartment|suite|ste|unit|fl|floor|room|rm|bldg|#)\.?\s*#?\s*[A-Za-z0-9-]+)?"
    # city, then possibly a region/country line ("Albany\n New Zealand 79879")
    r"(?:[ \t]*[,\n]\s*(?-i:[A-Z][^\W\d_]*\.?(?:[ \t]+[A-Z][^\W\d_]*){0,3})){0,2}"
    rf"(?:\s*,?\s*{_STATES}\b)?"
    r"(?:\s*,?\s*\d{5}(?:-\d{4})?\b)?",
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
    "sokak", "caddesi", "plein", "dreef", "steeg", "kade", "vei", "brekka",
)  # fmt: skip
# "Via dei Fiorentini 17", "ul. Północna 73": a street-type word, the name, then the
# number. Searched in the text just before a number (on lowered text), ending there.
_STREET_PREFIX_BEFORE = re.compile(
    r"\b(?:ul\.|calle|c/|avda\.|avenida|av\.|rue|via|viale|vicolo|corso|largo|piazza|piazzetta"
    r"|rua|r\.|praça|travessa|plaza|paseo|camino|carrer|rambla|trg|boulevard|bd\.|aleja|plac"
    r"|strada|str\.)\s+[^\W\d_]+\.?(?:\s+[^\W\d_]+\.?){0,4}\s+$"
)
# The common international line "building number, street name, house number"
# ("5638 Aasa 43", "808 Kálmán Imre u. 12."): two numbers around one to four words. The
# street's first word is capitalised (or the whole message is lower case), and no time
# or quantity word may follow the second number ("2 Large Pizzas 3 days").
_NUMBER_STREET_NUMBER = re.compile(
    r"(?<![\w.,/-])\d{1,6}[ \t]+(?P<first>[^\W\d_])[^\W\d_'’-]*\.?(?:[ \t-]+[^\W\d_]+\.?){0,4}"
    r"[ \t]+\d{1,5}[^\W\d_]?\.?(?!\w|[.,:/-]\d|[ \t]*(?:%|(?:minutes?|mins?|hours?|hrs?|days?"
    r"|weeks?|months?|years?|times?|items?|pieces?|pcs|people|persons|guests|adults|kids"
    r"|children|tickets?|rooms?|nights?|seats?|pm|am|x|of|or|and|to|percent|stars?)\b))",
    re.IGNORECASE,
)
# "Estonia 62488", "Cyprus (Greek) 78891": a country name and a postal code. Found
# from the digits backwards: scanning every capitalised word first is several times
# slower on messages that hold no postal code at all.
_POSTCODE = re.compile(r"(?<![\w.,/-])\d{4,6}(?![\w/-]|[.,]\d)")
_COUNTRY_BEFORE = re.compile(
    r"((?:[A-Z][^\W\d_]+[ \t]+){0,2}[A-Z][^\W\d_]+)(?:[ \t]*\([^)\n]{1,20}\))?[ \t]+$"
)
_COUNTRIES = frozenset(c.lower() for c in USAddress.countries) | {
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


# --- person names ---------------------------------------------------------------------
# Strong cues introduce a name for certain: any token that is not a function word is
# taken. Weak cues ("this is", "hi", "thanks") also precede ordinary words, so the token
# after them must be a known first name, or a capitalised word that ends the phrase.
_STRONG_CUES = (
    r"(?:my|his|her|their|your|our)(?:\s+[\w]+['’]s)?\s+(?:full\s+|first\s+|last\s+|legal\s+|maiden\s+|middle\s+|real\s+|given\s+)?name\s+is"
    r"|my\s+name's|name's|names\s+is|what's\s+your\s+name\?|maiden\s+name\s+(?:is|was)"
    r"|name\s*:|call\s+me|calls\s+me|under\s+the\s+name(?:\s+of)?|in\s+the\s+name\s+of"
    r"|named(?:\s+(?:him|her|them|me))?|called\s+(?:him|her|them|me)"
    r"|name\s+(?:on|in|for)\s+the\s+(?:account|card|order|booking|reservation|profile|ticket)\s+(?:is|was|says)"
    r"|under\s+(?:my|his|her|their|our)\s+(?:\w+['’]s\s+)?name"
    r"|(?:account|order|booking|reservation|card|policy|profile|subscription|ticket|it)"
    r"(?:'s|’s|\s+is)\s+(?:under|registered\s+to|held\s+by|in\s+the\s+name\s+of)"
    r"|registered\s+(?:to|under)|account\s+holder(?:\s+is)?|cardholder(?:\s+is)?"
    r"|(?:mr|mrs|ms|miss|mx|dr|prof)\.?"
    r"|(?:my\s+)?(?:wife|husband|spouse|son|daughter|mother|father|mom|dad|brother|sister"
    r"|partner|child|kid|grandma|grandpa|grandmother|grandfather|aunt|uncle|cousin|nephew|niece)"
    r"(?:'s\s+name\s+is|\s+is\s+called|\s+is\s+named|,)"
)
# After a capitalised word that opens a line: a speaker label ("Ubul: What a wife.") or
# an address before a question ("Kuba, can I ...").
_LINE_START_FOLLOW = re.compile(
    r":[ \t]|,[ \t]+(?:can|could|would|will|i|you|do|did|have|are|is|what|where|when"
    r"|how|why)\b"
)
# After a capitalised word: a verb of personal action whose subject it is ("Tomomi is
# from ...", "Dexter lives on ...").
_SUBJECT_FOLLOW = re.compile(
    r"[ \t]+(?:is\s+from|was\s+born|lives|lived|spent|listed|works|worked|wrote|had\s+given"
    r"|just\s+has|is\s+so|was\s+so|said|says)\b"
)
# After a name: another capitalised word joined to it ("Gladys and Logan", "Gladys to
# Logan" in "said Gladys to Logan").
_PAIRED_NAME = re.compile(
    r"[ \t]+(?:and|&|or|to|with)[ \t]+([A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]{2,})(?![\w'’-])"
)
# "Kónya, Becker and Vasquez": a list of capitalised words, all names if two are known.
_NAME_LIST = re.compile(
    r"(?<![\w'])[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+(?:,[ \t]*[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+)+,?[ \t]+(?:and|&)"
    r"[ \t]+[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+"
)
# The same list typed all in lower case ("natalina, thomas, omar and brandy"); held to
# the same bar: a known name and at most one word that is not name-like.
_LOWER_NAME_LIST = re.compile(
    r"(?<![\w'])[^\W\d_]{3,}(?:,[ \t]*[^\W\d_]{3,})+,?[ \t]+(?:and|&)[ \t]+[^\W\d_]{3,}"
)
_WORD = re.compile(r"[^\W\d_]+")
# Verbs and prepositions that take a person as object ("said Gladys", "directed by
# Joakim Westgard", "follow up with ..."). They also take companies and places, so the
# name must be capitalised and name-like: a known name or not a common English word.
# Scanned in the same pass as the weak cues (one regex pass instead of two).
_OBJECT_CUES = (
    r"said|says|asked|told|ask|speak\s+(?:to|with)|talk(?:ed|ing)?\s+(?:to|with)"
    r"|spoke\s+(?:to|with)|meet|met|follow\s+up\s+with|assistant\s+to|(?:directed|sung|written"
    r"|performed|played|signed|sent|approved|hosted|presented|arranged)\s+by|starring"
    r"|(?:change|update|correct)\s+(?:it|the\s+name)\s+to|add|guardian|heard|fan\s+of"
    r"|tell|contact|call|text|email|e-mail|message|invite[ds]?|invited|introduce[ds]?|thank"
    r"|marr(?:y|ied)|hired?|congratulate|who\s+is|by|(?:send|give|forward|pass)\s+(?:it\s+)?to"
    r"|(?:my|our|his|her|their|your)\s+(?:friend|colleague|boss|manager|co-?worker|neighbou?r"
    r"|roommate|landlord|tenant|teacher|lawyer|doctor|nurse|driver|agent|assistant|cousin"
    r"|niece|nephew|aunt|uncle|grandson|granddaughter|fiancée?|girlfriend|boyfriend)"
)
# All person cues in ONE regex pass (a pass costs microseconds per message); the named
# group says which kind matched. Strong cues come first, so "it's under X" is strong.
_WEAK_CUES = (
    r"this\s+is|i'm|i’m|im|i\s+am|it's|it\s+is|speaking\s+with|hi|hello|hey|dear"
    r"|thanks|thank\s+you|regards|cheers|sincerely|best|bye|goodbye|signed|with|from|ask\s+for"
)
# All person cues in ONE regex pass, grouped by first letter (see _by_first_letter):
# a pass costs microseconds per message. Strong cues come first within a letter, so
# "it's under X" is read as the strong cue, not as "it's". Which kind of cue matched is
# decided afterwards on the few matches, by _STRONG_CUE_TEXT and _OBJECT_CUE_TEXT.
_PERSON_CUE = re.compile(
    _first_letter_guard(
        rf"\b(?:{_by_first_letter('|'.join((_STRONG_CUES, _WEAK_CUES, _OBJECT_CUES)))})"
        r"(?![\w'])[ \t]*[,:\-]?[ \t]*(?:\n[ \t]*)?"
    ),
    re.IGNORECASE,
)
_TITLE = re.compile(r"(?:mr|mrs|ms|miss|mx|dr|prof)\.?")
_STRONG_CUE_TEXT = re.compile(rf"(?:{_STRONG_CUES})", re.IGNORECASE)
_OBJECT_CUE_TEXT = re.compile(rf"(?:{_OBJECT_CUES})", re.IGNORECASE)


@lru_cache(maxsize=4096)  # cue texts are a small vocabulary; the regexes are large
def _cue_kind(cue: str) -> str:
    """ "strong", "object" or "weak" for the (lower-cased, space-normalised) cue text."""
    if _STRONG_CUE_TEXT.fullmatch(cue):
        return "strong"
    return "object" if _OBJECT_CUE_TEXT.fullmatch(cue) else "weak"


_INTRODUCTIONS = frozenset(
    {"this is", "i'm", "i’m", "im", "i am", "it's", "it is", "speaking with", "signed"}
)
# Greetings and sign-offs: a capitalised word that closes the phrase ("Hi Xochitl,",
# "Thanks, Priya!") is a name even when the gazetteer does not know it.
_ADDRESSING = re.compile(
    r"(?:hi|hello|hey|dear|thanks|thank you|regards|cheers|sincerely|best|signed)", re.IGNORECASE
)
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")
_INITIAL = re.compile(r"[A-Z]\.?")
# A run of capitalised words (Latin-1/Latin Extended-A capitals included).
_CAP_RUN = re.compile(
    r"(?<![\w@])[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]*(?:['’-][^\W\d_]+)*"
    # surname particles ("Maika van de Noort", "Luis de la Vega") and middle initials
    r"(?:[ \t]+(?:(?:van|von|de|der|den|da|di|del|della|dos|das|du|la|le|bin|ibn|al)[ \t]+){0,3}"
    r"(?:[A-Z]\.[ \t]+)?[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]*(?:['’-][^\W\d_]+)*)*"
)
# After a capitalised word: it is addressed at the end of a sentence ("..., Chelsea?").
_VOCATIVE_END = re.compile(r"[ \t]*(?:[!?]|\.(?:\s|$)|$)")
# After a capitalised word: a possessive of something only people have.
_PERSONAL_POSSESSIVE = re.compile(
    r"['’]s[ \t]+(?:address|phone|number|email|e-mail|account|card|wife|husband|son|daughter"
    r"|mother|father|mom|dad|brother|sister|friend|partner|birthday|name|family|house|home)\b"
)
_LOCATION_BEFORE = re.compile(r"\b(?:in|to|from|at|near|visit|visiting|via|of)\s+$", re.IGNORECASE)
# Capitalised words that make the run a place or a business, not a person: "San Jose",
# "El Camino", "Allison Road", "Lucca Restaurant".
_PLACE_WORDS = frozenset(
    """
    san santa santo são sao st saint ste el la las los le rue fort port mount mt lake new
    road rd street st avenue ave boulevard blvd lane ln drive dr way court place plaza
    square park city county hill valley beach springs falls hotel inn restaurant cafe café bar grill club airport station
    university college school hospital clinic center centre bank mall theater theatre
    via rua piazza piazzetta calle avenida avda ul utca strasse straße
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
# Words that name a business or venue: after one of them a cue's "name" is not a person
# ("fly with Delta Airlines"). Also place words for capitalised runs.
_BUSINESS_WORDS = frozenset(
    """
    airport airlines airline airways international hotel hotels inn resort motel restaurant
    ristorante cucina trattoria osteria brasserie bistro izakaya pizzeria taqueria kitchen
    cafe café bar grill club house garden inc ltd llc corp corporation co company gmbh
    group holdings partners associates investments orchestra band players studio studios
    lines bros foundation bank mall theater theatre hospital clinic university college
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)
)
_PLACE_WORDS = _PLACE_WORDS | _BUSINESS_WORDS
# Place words that are also common US surnames (Census 2010 top 1,000).
_SURNAME_PLACE_WORDS = frozenset(
    ["lane", "park", "hill", "lake", "beach", "court", "street", "fort"]
)


def _before(text: str, start: int, width: int = 40) -> str:
    return text[max(0, start - width) : start]


def _phone_valid(candidate: str, digits: str, separated: bool, cued: bool) -> bool:
    """libphonenumber decides; unseparated digit runs need US validity or a phone cue."""
    if candidate.startswith("+") or digits.startswith("00"):
        number = "+" + digits[2:] if digits.startswith("00") else "+" + digits
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
            number = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) or (
            cued and phonenumbers.is_possible_number(number)
        ):
            return True
    return False


class Detector:
    """Finds PII spans in text. Stateless after construction, safe to share."""

    def __init__(self, custom_patterns: Sequence[CustomPattern] = ()) -> None:
        self.custom_patterns = tuple(custom_patterns)
        self._names: Gazetteer = gazetteer()

    def detect(self, text: str) -> list[Span]:
        """All entities in ``text``, non-overlapping, ordered by start offset.

        Detection runs on ``fold(text)`` so Unicode look-alike separators, invisible
        characters, fullwidth forms and "%40" cannot hide a value; the spans are mapped
        back and are always offsets into ``text`` itself.
        """
        if not text:
            return []
        folded, index_map = fold(text)
        spans = self._detect_folded(folded)
        if index_map is None:  # same length: offsets are the same in both
            return spans
        return [
            Span(span.type, index_map[span.start], index_map[span.end - 1] + 1, span.score)
            for span in spans
        ]

    def _detect_folded(self, text: str) -> list[Span]:
        """All entities in the folded ``text``, non-overlapping, ordered by start."""
        if not text:
            return []  # the text was nothing but invisible characters
        spans: list[Span] = []
        low: str | None = text.lower()
        if len(low) != len(text):  # a few Unicode capitals lower to two characters
            low = None
        has_digit = _DIGIT.search(text) is not None
        if "@" in text:
            self._emails(text, spans)
        if "dot" in text or "(at)" in text or "[at]" in text or "DOT" in text:
            spans.extend(
                Span("EMAIL", m.start(), m.end(), 0.9) for m in _OBFUSCATED_EMAIL.finditer(text)
            )
        if "://" in text or "www." in text:
            for m in _URL.finditer(text):
                if _PERSONAL_URL_HOST.match(m.group()):
                    spans.append(Span("URL", m.start(), m.end(), 0.9))
        if "/" in text and "." in text:
            spans.extend(Span("URL", m.start(), m.end(), 0.9) for m in _PRIVATE_LINK.finditer(text))
        if has_digit or "'" in text or '"' in text:
            for m in _lower_finditer(_CREDENTIAL, text, low):
                if not _one_repeated_char(m.group("value")):
                    spans.append(Span("CREDENTIAL", m.start("value"), m.end("value"), 0.9))
        if has_digit:
            number_starts = self._numbers(text, low, spans)
            if ":" in text or "-" in text:
                spans.extend(
                    Span("MAC_ADDRESS", m.start(), m.end(), 1.0)
                    for m in _MAC.finditer(text)
                    if not _one_repeated_char(m.group())
                )
            if text.count(":") >= 2:
                self._ipv6(text, spans)
            for m in _IBAN.finditer(text):
                if iban_valid(m.group().replace(" ", "")):
                    spans.append(Span("IBAN", m.start(), m.end(), 1.0))
            covered = 0
            for start in number_starts:
                # Tried only where a number starts: a scan of the whole message costs
                # several times more. Above PHONE: digits in an address are house numbers.
                m = _ADDRESS.match(text, start) if start >= covered else None
                if m is not None and not _placeholder_digits(text[start : start + 6].split()[0]):
                    spans.append(Span("STREET_ADDRESS", m.start(), m.end(), 0.9))
                    covered = m.end()
            self._address_fragments(text, low, spans, number_starts)
            spans.extend(cued_identifiers(text))
            if text.count(".") >= 2:  # two decimal numbers
                spans.extend(coordinates(text))
        if "name" in text or "handle" in text or "tag" in text or "login" in text:
            spans.extend(usernames(text))
        lowered = low if low is not None else text.lower()
        spans.extend(stated_secrets(text, lowered))
        if len(lowered) == len(text):  # same offsets
            spans.extend(health(lowered))
        self._persons(text, low, spans)
        for pattern in self.custom_patterns:
            spans.extend(
                Span(pattern.name, m.start(), m.end(), pattern.score)
                for m in pattern.regex.finditer(text)
            )
        resolved = resolve_overlaps(spans)
        if any(span.type == "PERSON" for span in resolved):
            resolved = self._repeated_names(text, resolved)
        return resolved

    def _repeated_names(self, text: str, spans: list[Span]) -> list[Span]:
        """Once a name is found, its other mentions in the message are the same person
        ("... sung by Bonifacy Kaczmarek ... Kaczmarek's song"), even where no cue or
        list would find them alone."""
        names = self._names
        parts = {
            word
            for span in spans
            if span.type == "PERSON"
            for word in _WORD.findall(text[span.start : span.end])
            if len(word) > 2
            and word.lower() not in names.common_words
            and word.lower() not in STOPWORDS
        }
        extra = []
        for span in spans:
            if span.type != "PERSON":
                continue
            # "Gladys and Logan", "said Gladys to Logan": the other side of a pair.
            after = _PAIRED_NAME.match(text, span.end)
            if after is not None and names.is_name_like(after.group(1)):
                extra.append(Span("PERSON", after.start(1), after.end(1), 0.6))
        if not parts and not extra:
            return spans
        extra += [
            Span("PERSON", m.start(), m.end(), 0.6)
            for m in _WORD.finditer(text)
            if m.group() in parts
            and (not m.start() or text[m.start() - 1] not in "'’")
            and all(m.end() <= s.start or m.start() >= s.end for s in spans)
        ]
        return resolve_overlaps(spans + extra) if extra else spans

    # -- families ----------------------------------------------------------------------
    def _address_fragments(
        self, text: str, low: str | None, spans: list[Span], number_starts: list[int]
    ) -> None:
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
            for m in _lower_finditer(regex, text, low):
                spans.append(Span("STREET_ADDRESS", m.start(), m.end(), score))
        all_lower = lowered == text
        for start in number_starts:
            window = max(0, start - 60)
            unit = _UNIT_BEFORE.search(lowered, max(0, start - 16), start)
            if unit is not None:
                number = _HOUSE_NUMBER.match(text, start)
                if number is not None:
                    spans.append(Span("STREET_ADDRESS", unit.start(), number.end(), 0.7))
            prefix = _STREET_PREFIX_BEFORE.search(lowered, window, start)
            if prefix is not None:
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
            m = _NUMBER_STREET_NUMBER.match(text, start)
            if m is not None and (m.group("first").isupper() or all_lower):
                spans.append(Span("STREET_ADDRESS", m.start(), m.end(), 0.75))
            postcode = _POSTCODE.match(text, start)
            if postcode is not None and (
                word_start is not None or text[:start].rstrip()[-1:] == ")"
            ):
                country = _COUNTRY_BEFORE.search(text, max(0, start - 45), start)
                if country is not None:
                    words = country.group(1).lower().split()
                    if any(" ".join(words[i:]) in _COUNTRIES for i in range(len(words))):
                        spans.append(Span("STREET_ADDRESS", country.start(), postcode.end(), 0.75))

    def _emails(self, text: str, spans: list[Span]) -> None:
        plain = [Span("EMAIL", m.start(), m.end(), 1.0) for m in _EMAIL.finditer(text)]
        spans.extend(plain)
        if len(plain) < text.count("@"):  # an "@" left over: perhaps a spaced address
            for m in _SPACED_EMAIL.finditer(text):
                if m.group().count(" ") + m.group().count("\t") == 0:
                    continue  # the plain pattern's business
                if m.group("domain").count(" ") > 2:
                    continue
                start = m.start()
                for _ in range(2):
                    piece = _LOCAL_PIECE_BEFORE.search(text, max(0, start - 6), start)
                    if piece is None or piece.group(1).lower() in STOPWORDS:
                        break
                    start = piece.start()
                spans.append(Span("EMAIL", start, m.end(), 0.8))
        for m in _HANDLE.finditer(text):
            handle = m.group()
            if any(c.isalpha() for c in handle):
                spans.append(Span("HANDLE", m.start(), m.end(), 0.7))

    def _ipv6(self, text: str, spans: list[Span]) -> None:
        for m in _IPV6.finditer(text):
            if m.group().count(":") < 2:
                continue
            try:
                ipaddress.IPv6Address(m.group())
            except ValueError:
                continue
            spans.append(Span("IP_ADDRESS", m.start(), m.end(), 1.0))

    def _numbers(self, text: str, low: str | None, spans: list[Span]) -> list[int]:
        """Classify every digit run; returns the runs' start offsets, where the address
        rules that begin with a building number may match."""
        dates = []
        for m in _lower_finditer(_DATE, text, low):
            dates.append((m.start(), m.end()))
            if _BIRTH_CUE.search(_before(text, m.start(), 50)) and not _placeholder_digits(
                m.group()
            ):
                spans.append(Span("DATE_OF_BIRTH", m.start(), m.end(), 0.9))
        starts = []
        for m in _NUMBER.finditer(text):
            start, end = m.start(), m.end()
            starts.append(start)
            candidate = m.group()
            if candidate[0] == "(" and ")" not in candidate:
                start += 1
                candidate = candidate[1:].lstrip()
            digits = _NON_DIGIT.sub("", candidate)
            n = len(digits)
            if n < 6 or digits.count(digits[0]) == n:
                # Too short, or one repeated digit (0000 0000, 111-11-1111): test values.
                continue
            if any(ds < end and start < de for ds, de in dates):
                continue  # part of a date or timestamp
            span = self._classify_number(text, start, end, candidate, digits)
            if span is not None:
                spans.append(span)
            elif n > 10:
                # Several numbers run together ("415 555 0132 212 555 0199"): let
                # libphonenumber find the phones inside the run.
                for match in phonenumbers.PhoneNumberMatcher(candidate, "US"):
                    spans.append(Span("PHONE", start + match.start, start + match.end, 0.7))
        return starts

    def _classify_number(
        self, text: str, start: int, end: int, candidate: str, digits: str
    ) -> Span | None:
        n = len(digits)
        before = _before(text, start)
        if _IPV4_SHAPE.fullmatch(candidate):
            if _VERSION_CUE.search(before):
                return None
            try:
                ipaddress.IPv4Address(candidate)
            except ValueError:
                return None
            return Span("IP_ADDRESS", start, end, 1.0)
        if 13 <= n <= 19 and luhn_valid(digits):
            if n == 15 and "imei" in before.lower():
                return None  # IMEIs carry a Luhn digit too; the cue rule names it DEVICE_ID
            return Span("CREDIT_CARD", start, end, 1.0)
        if n == 12 and luhn_valid(digits) and _CARD_CUE.search(before):
            return Span("CREDIT_CARD", start, end, 0.9)  # 12-digit Maestro
        if n == 9:
            if _SSN_SHAPE.fullmatch(candidate) and ssn_valid(digits):
                return Span("US_SSN", start, end, 0.95)
            if _SSN_CUE.search(before) and ssn_valid(digits):
                return Span("US_SSN", start, end, 0.9)
            if _ROUTING_CUE.search(before) and aba_routing_valid(digits):
                return Span("ROUTING_NUMBER", start, end, 0.9)
        if 6 <= n <= 17 and _ACCOUNT_CUE.search(before) and not _PHONE_CUE.search(before[-15:]):
            return Span("BANK_ACCOUNT", start, end, 0.8)
        if n in (15, 16) and _CARD_CUE.search(before):
            return Span("CREDIT_CARD", start, end, 0.6)
        if 7 <= n <= 15:
            separated = not candidate.isdigit()
            cued = bool(_PHONE_CUE.search(before))
            if _phone_valid(candidate, digits, separated, cued):
                return Span("PHONE", start, end, 0.85)
        return None

    def _persons(self, text: str, low: str | None, spans: list[Span]) -> None:
        for m in _lower_finditer(_PERSON_CUE, text, low):
            raw = " ".join(m.group().lower().split())
            cue = raw.strip(" ,:-")
            # "name:" keeps its colon; "thanks," is read without its comma
            kind = _cue_kind(raw) if raw != cue and _cue_kind(raw) != "weak" else _cue_kind(cue)
            if kind == "strong":
                span = self._name_after(text, m.end(), strong=True)
                if span is not None and _TITLE.fullmatch(cue):
                    # "Dr. Taylor Andersen": the title goes with the name it qualifies.
                    span = Span("PERSON", m.start(), span.end, span.score)
            elif kind == "object":
                span = self._name_after(text, m.end(), strong=False, object_slot=True)
            else:
                span = self._name_after(
                    text,
                    m.end(),
                    strong=False,
                    sign_off=_ADDRESSING.fullmatch(cue) is not None,
                    introduces=cue in _INTRODUCTIONS,
                )
            if span is not None:
                spans.append(span)
        if ("," in text and " and " in text) or "&" in text:
            self._name_lists(text, spans, _LOWER_NAME_LIST if low == text else _NAME_LIST)
        names = self._names
        for m in _CAP_RUN.finditer(text):
            run = m.group()
            if " " not in run and "\t" not in run and "'" not in run and "’" not in run:
                # Most runs are one sentence-initial English word: skipped here without
                # a call (the same test opens _capitalised_run), a few percent of the
                # engine's time.
                low = run.lower()
                if (
                    low not in names.first_names
                    and low not in names.last_names
                    and (low in names.english_words or low in names.common_words)
                ):
                    continue
            self._capitalised_run(text, m, spans)
        if low == text:  # typed all in lower case: names are too
            self._lowercase_full_names(text, spans)
            self._lowercase_single_names(text, spans)

    def _capitalised_run(self, text: str, m: re.Match[str], spans: list[Span]) -> None:
        """A run of capitalised words that holds a known first name, a known first +
        last name pair, a ``First X. Last`` name, or two words that are not English."""
        names = self._names
        run = m.group()
        run_end = m.end()
        if run.endswith(("'s", "’s")):  # "Matej's address": the name is before the 's
            run, run_end = run[:-2], run_end - 2
        if " " not in run and "\t" not in run:  # most runs: one sentence-initial word
            low = run.lower()
            if (
                low not in names.first_names
                and low not in names.last_names
                and (low in names.english_words or low in names.common_words)
            ):
                return
        tokens = run.split()
        offset = m.start()
        positions = []
        for token in tokens:
            at = text.index(token, offset)
            positions.append((at, at + len(token), token))
            offset = at + len(token)
        lowered = [p[2].lower().rstrip(".") for p in positions]
        if any(word in _PLACE_WORDS for word in lowered) and not self._first_and_place_surname(
            text, m.start(), lowered
        ):
            return
        if len(positions) == 1 and not run.isupper() and names.is_name_like(run) and len(run) > 2:
            before = text[: m.start()].rstrip(" \t")
            line_start = not before or before.endswith("\n")
            if (
                (line_start and _LINE_START_FOLLOW.match(text, run_end))
                or _SUBJECT_FOLLOW.match(text, run_end)
                or _PERSONAL_POSSESSIVE.match(text, run_end)
                or (before.endswith(",") and _VOCATIVE_END.match(text, run_end))
            ):
                spans.append(Span("PERSON", m.start(), run_end, 0.6))
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
            if low in names.first_names:
                j = i
                while (
                    j + 1 < min(len(positions), i + 3)
                    and not positions[j][2].endswith(("'s", "’s"))
                    and _is_name_like(positions[j + 1][2])
                    and not positions[j + 1][2].isupper()
                ):
                    j += 1
                end = positions[j][1] - (2 if positions[j][2].endswith(("'s", "’s")) else 0)
                if j == i:
                    if _LOCATION_BEFORE.search(_before(text, t_start, 12)):
                        return
                    spans.append(Span("PERSON", t_start, end, 0.5))
                else:
                    spans.append(Span("PERSON", t_start, end, 0.7))
                return
            if low in names.last_names and i > 0 and lowered[i - 1] not in names.common_words:
                spans.append(Span("PERSON", positions[i - 1][0], positions[i][1], 0.65))
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
        if len(rare) >= 2 and rare[-1] - rare[0] == len(rare) - 1 and len(rare) <= 3:
            spans.append(Span("PERSON", positions[rare[0]][0], positions[rare[-1]][1], 0.55))

    def _first_and_place_surname(self, text: str, start: int, lowered: list[str]) -> bool:
        """ "Benjamin Lane", "Grace Park": a known first name and a surname that is also a
        place word. With a house number or a preposition before it ("12 Benjamin Lane",
        "on Grace Park") it is a street, which the address rules own."""
        if len(lowered) != 2 or lowered[0] not in self._names.first_names:
            return False
        if lowered[1] not in _SURNAME_PLACE_WORDS:
            return False
        # Only the same line counts: a sign-off under a phone number is not a street.
        before = text[max(0, start - 20) : start].rsplit("\n", 1)[-1]
        return not (
            _LOCATION_BEFORE.search(before) or before.rstrip().endswith(tuple("0123456789"))
        )

    def _name_lists(self, text: str, spans: list[Span], pattern: re.Pattern[str]) -> None:
        names = self._names
        for m in pattern.finditer(text):
            words = [w for w in _WORD.finditer(m.group()) if w.group() != "and"]
            known = sum(
                w.group().lower() in names.first_names or w.group().lower() in names.last_names
                for w in words
            )
            name_like = sum(names.is_name_like(w.group()) for w in words)
            if known >= 1 and name_like >= 2 and name_like >= len(words) - 1:
                spans.extend(
                    Span("PERSON", m.start() + w.start(), m.start() + w.end(), 0.6) for w in words
                )

    def _lowercase_full_names(self, text: str, spans: list[Span]) -> None:
        """People who type in lower case write names that way too: a known first name,
        an optional middle initial, then a known last name or a word that is not English
        ("olga krylova", "benjamin a seiler"); not two common English words."""
        names = self._names
        words = list(_WORD.finditer(text))
        for i, first in enumerate(words[:-1]):
            f = first.group()
            if f not in names.first_names:
                continue
            j = i + 1
            if len(words[j].group()) == 1 and j + 1 < len(words):
                j += 1  # middle initial
            last = words[j]
            la = last.group()
            if (
                len(la) > 2
                and text[first.end() : last.start()].strip(" .") in ("", words[i + 1].group())
                and (la in names.last_names or names.is_name_like(la))
                and not (f in names.english_words and la in names.english_words)
            ):
                # Above a cue's one-word name ("with benjamin"): the full name is longer.
                spans.append(Span("PERSON", first.start(), last.end(), 0.8))

    def _lowercase_single_names(self, text: str, spans: list[Span]) -> None:
        """A known first name typed in lower case, in the same slots a capitalised
        unknown word must fill to count ("ross, can i ...", "michael is from ...",
        "..., omar!", "lisa's daughter"). Only known first names: in lower case
        nothing else tells a name from a word."""
        first_names = self._names.first_names
        for m in _WORD.finditer(text):
            word = m.group()
            if len(word) < 3 or word not in first_names:
                continue
            before = text[: m.start()].rstrip(" \t")
            line_start = not before or before.endswith(("\n", '"', ":"))
            if (
                (line_start and _LINE_START_FOLLOW.match(text, m.end()))
                or _SUBJECT_FOLLOW.match(text, m.end())
                or _PERSONAL_POSSESSIVE.match(text, m.end())
                or (before.endswith(",") and _VOCATIVE_END.match(text, m.end()))
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
    ) -> Span | None:
        """The name (1-3 tokens, middle initials allowed) starting at ``pos``, if any.

        After a weak cue the first token must be a known name, or a capitalised word
        that closes a greeting/sign-off (``sign_off``), or - after a self-introduction
        such as "I'm" (``introduces``) - a capitalised first + last name.
        """
        names = self._names
        first = _NAME_TOKEN.match(text, pos)
        if first is None:
            return None
        word = first.group().rstrip(".")
        low = word.lower()
        if low in STOPWORDS or low in _PLACE_WORDS:
            return None
        capitalised = word[0].isupper()
        if not strong and len(word) > 1 and word.isupper() and not text.isupper():
            return None  # "transfer from AUD", "with SWIFT": acronyms, unless all caps
        if object_slot:
            # Lower case only where everything is ("follow up with monika zilkova").
            lower_text = not capitalised and low in names.first_names and text.islower()
            if not ((capitalised or lower_text) and len(word) > 1 and names.is_name_like(word)):
                return None
        elif not strong:
            known = low in names.first_names or low in names.last_names
            ends_phrase = _phrase_ends(text, first.end())
            if not known and low in names.common_words:
                return None
            if not (
                known
                or (capitalised and sign_off and ends_phrase)
                or (introduces and capitalised and _full_name_follows(text, first.end(), names))
            ):
                return None
        elif not capitalised and not names.is_name_like(word):
            return None
        end = first.end() - (1 if first.group().endswith(".") and len(word) > 1 else 0)
        cursor = first.end()
        previous = first.group()
        for _ in range(2):
            if previous.endswith(".") and len(previous) > 2:
                break  # "named Charlie. Oh ...": a full stop after a word ends the name
            if previous.endswith(("'s", "’s")):
                end -= 2  # "Emmie Ström's Cautionary Tales": the possessive ends the name
                break
            gap = _gap(text, cursor)
            if gap is None:
                break
            nxt = _NAME_TOKEN.match(text, gap)
            if nxt is None:
                break
            token = nxt.group().rstrip(".")
            t_low = token.lower()
            if t_low in _BUSINESS_WORDS:
                return None  # "with Delta Airlines": a business or place, not a person
            if t_low in STOPWORDS or (t_low in names.common_words and not token[0].isupper()):
                break
            if (
                _INITIAL.fullmatch(nxt.group())
                or (capitalised and token[0].isupper())
                or t_low in names.last_names
                # "my name is borna jerkovic": typed in lower case, not an English word
                or (strong and not capitalised and names.is_name_like(token))
            ):
                end = nxt.end() - (1 if nxt.group().endswith(".") and len(token) > 1 else 0)
                cursor = nxt.end()
                previous = nxt.group()
                continue
            break
        return Span("PERSON", first.start(), end, 0.85 if strong else 0.75)


def _initial_name(
    positions: list[tuple[int, int, str]], lowered: list[str], names: Gazetteer
) -> tuple[int, int] | None:
    """``First X. Last``: a middle initial between two capitalised non-words is a name
    pattern that almost nothing else in chat text has."""
    for i in range(1, len(positions) - 1):
        if (
            _INITIAL.fullmatch(positions[i][2])
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
    token = _NAME_TOKEN.match(text, gap) if gap is not None else None
    if token is not None and _INITIAL.fullmatch(token.group()):
        gap = _gap(text, token.end())
        token = _NAME_TOKEN.match(text, gap) if gap is not None else None
    if token is None:
        return False
    word = token.group().rstrip(".")
    return word[0].isupper() and len(word) > 1 and word.lower() not in names.common_words


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


def _placeholder_digits(value: str) -> bool:
    """Digits that are all zeros ("00/00/0000", house number "000"): form placeholders."""
    digits = _NON_DIGIT.sub("", value)
    return bool(digits) and digits.count("0") == len(digits)


def _one_repeated_char(value: str) -> bool:
    """Placeholder/test values such as 0000, 00:00:00:00:00:00 or '1111'."""
    return len({c for c in value if c.isalnum()}) <= 1


def _gap(text: str, pos: int) -> int | None:
    """Offset of the next token if only spaces/tabs separate it from ``pos``."""
    end = pos
    while end < len(text) and text[end] in " \t":
        end += 1
    return end if end > pos and end < len(text) else None


def _phrase_ends(text: str, pos: int) -> bool:
    rest = text[pos : pos + 2].lstrip(" \t")
    return not rest or rest[0] in ",.!?;:\n)"


def _is_name_like(token: str) -> bool:
    """A capitalised token after a known first name is taken as the surname unless it is
    a function word ("Sarah And ..." in title case) or an initial-less single letter."""
    low = token.lower().rstrip(".")
    return len(low) > 1 and low not in STOPWORDS


_DIGIT = re.compile(r"\d")
_NON_DIGIT = re.compile(r"\D")
_LOWERCASE_TWINS: dict[int, re.Pattern[str]] = {}  # module-level patterns live forever


def _lower_finditer(
    pattern: re.Pattern[str], text: str, low: str | None
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a case-insensitive pattern, run on the lowered text.

    Python's ``re`` is 4-6x slower on IGNORECASE alternations than on plain ones, so a
    case-sensitive twin runs on ``text.lower()`` (same offsets); the IGNORECASE original
    is used only when lowering changed the length.
    """
    if low is None:
        return pattern.finditer(text)
    # Keyed by id: hashing a compiled pattern hashes its whole program on every call.
    twin = _LOWERCASE_TWINS.get(id(pattern))
    if twin is None:
        twin = _LOWERCASE_TWINS[id(pattern)] = re.compile(
            pattern.pattern, pattern.flags & ~re.IGNORECASE
        )
    return twin.finditer(low)


PATTERNS_ENV = "CLOSEDLOOP_PII_PATTERNS"


@lru_cache(maxsize=1)
def default_detector() -> Detector:
    """The detector with the custom patterns of ``$CLOSEDLOOP_PII_PATTERNS`` if set,
    else the packaged ``patterns.yaml`` (ORDER_ID). Cached per process, so worker
    processes build it once."""
    config = os.environ.get(PATTERNS_ENV)
    return Detector(load_custom_patterns(Path(config) if config else DEFAULT_CONFIG))


def detect(text: str) -> list[Span]:
    """Detect PII in ``text`` with the default detector."""
    return default_detector().detect(text)
