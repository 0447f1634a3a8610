"""Detectors that need more than a regex: phone numbers, postal codes, readability, links.

A rule names one in ``check:``. Each reads the prepared text and yields
:class:`Hit` s (a span and its replacement); the linter turns hits into findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import phonenumbers
import textstat

from pipelines.knowledge.prepare import PreparedText
from pipelines.knowledge.transforms import Replacement


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    replacement: Replacement


@dataclass(frozen=True)
class CheckContext:
    locale: str
    params: dict[str, Any]
    readability_grade: float
    max_sentence_words: int
    line_offset: int = 0


Check = Callable[[PreparedText, CheckContext], Iterator[Hit]]


# ---------------------------------------------------------------------------- phone
# Something that may be a phone number: 7-15 digits with spaces, dots, dashes or
# brackets between them. libphonenumber then decides what it is.
# Tried only where a number (or its "+" or "(") starts.
_PHONE_GAPS = frozenset(" \t().-")
_SEVEN_DIGITS = re.compile(r"(?:\d[ \t().-]{0,2}){7}")
_PHONE_CANDIDATE = re.compile(r"(?<![\w+/.,:-])(?:\+|\(|\d)[\d \t().-]{5,22}\d(?![\w/]|[.,]\d)")
_NOT_A_PHONE = re.compile(
    r"^\d{1,2}[-.]\d{1,2}[-.]\d{2,4}$|^\d{4}[-.]\d{1,2}[-.]\d{1,2}$|^\d{4}\s?[-–]\s?\d{4}$"
)
_PHONE_CUE = re.compile(
    r"\b(?:call|calls|phone|ring|dial|tel|telephone|helpline|hotline|fax|freephone|cell|mobile)\b[^.\n]{0,12}$",
    re.IGNORECASE,
)
# (415) 555-0132, 415-555-0132, 415.555.0132, each with an optional 1 or +1 prefix.
_US_FORMATS = re.compile(
    r"^(?:\+?1[-. ]?)?\(\d{3}\) ?\d{3}-\d{4}$|^(?:\+?1[-. ])?\d{3}([-.])\d{3}\1\d{4}$"
)
_NON_DIGITS = re.compile(r"\D")
TOLL_FREE_AREA_CODES = frozenset({"800", "833", "844", "855", "866", "877", "888"})


@dataclass(frozen=True)
class _Phone:
    start: int
    end: int
    text: str
    # A US number's 10 digits (area code first); for another country's number, its
    # international form when libphonenumber knows it.
    national: str | None
    international: str | None


def _phones(prepared: PreparedText, locale: str, regions: list[str]) -> list[_Phone]:
    """Phone-like numbers of the text, parsed once for both phone rules."""
    key = f"phones:{locale}:{','.join(regions)}"
    if key not in prepared.memo:
        prepared.memo[key] = list(_find_phones(prepared, locale, regions))
    phones: list[_Phone] = prepared.memo[key]
    return phones


def _candidates(prepared: PreparedText) -> Iterator[re.Match[str]]:
    text = prepared.prose
    done = -1
    for start, end in prepared.numbers:
        after = text[end : end + 1]
        if after not in _PHONE_GAPS:
            continue  # a phone number's first digits are followed by a separator
        if after == " " and not _SEVEN_DIGITS.match(text, start):
            continue  # "30 days": a phone number has 7 digits before any word
        if start > 0 and text[start - 1] in "+(":
            start -= 1
        if start < done:
            continue
        match = _PHONE_CANDIDATE.match(text, start)
        if match is not None:
            done = match.end()
            yield match


def _find_phones(prepared: PreparedText, locale: str, regions: list[str]) -> Iterator[_Phone]:
    region = _region(locale)
    ordered = [region, *(r for r in regions if r != region)] if region else list(regions)
    for match in _candidates(prepared):
        text = match.group().rstrip(".- ")
        digits = _NON_DIGITS.sub("", text)
        if not 7 <= len(digits) <= 15 or _NOT_A_PHONE.match(text):
            continue
        start, end = match.start(), match.start() + len(text)
        national = _us_national(text, digits)
        if national is not None:
            # A US number needs no parsing: its structure says it all (and
            # libphonenumber costs ~50 microseconds a call).
            yield _Phone(start, end, text, national, None)
            continue
        international = text.startswith(("+", "00"))
        cue = (
            None if international else _PHONE_CUE.search(prepared.prose, max(0, start - 40), start)
        )
        if not (international or cue is not None or text.lstrip("(").startswith("0")):
            # Neither +, a trunk prefix (0...) nor "call"/"phone" before it: an order or
            # account number, not worth libphonenumber parses.
            continue
        known, formatted = _foreign_number(text, tuple(ordered))
        if known or cue is not None:
            yield _Phone(start, end, text, None, formatted)


@lru_cache(maxsize=8192)
def _foreign_number(text: str, regions: tuple[str, ...]) -> tuple[bool, str | None]:
    """(is it a phone number, its international form if valid) for a non-US number.

    Cached: a knowledge base repeats its support numbers across articles, and each
    libphonenumber parse costs ~50 microseconds (more once its regexes fall out of
    the ``re`` module's cache).
    """
    if text.startswith(("+", "00")):
        number = _parse("+" + text.lstrip("+0") if text.startswith("00") else text, None)
        if number is None:
            return False, None
        return True, _international(number)
    for region in regions:
        number = _parse(text, region)
        if number is not None and phonenumbers.is_valid_number(number):
            return True, _international(number)
    return False, None


def _international(number: phonenumbers.PhoneNumber) -> str | None:
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _us_national(text: str, digits: str) -> str | None:
    """The 10 digits of a number written the US way (NXX-NXX-XXXX, optional 1 / +1)."""
    if text.startswith("+"):
        national = digits[1:] if digits.startswith("1") and len(digits) == 11 else None
    elif text.startswith("00"):
        national = None
    elif len(digits) == 11 and digits[0] == "1":
        national = digits[1:]
    elif len(digits) == 10:
        national = digits
    else:
        national = None
    if national is None or national[0] in "01" or national[3] in "01":
        return None
    return national


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def non_us_phone_numbers(prepared: PreparedText, context: CheckContext) -> Iterator[Hit]:
    for phone in _phones(prepared, context.locale, context.params.get("regions", [])):
        if phone.national is not None:
            continue
        if phone.international is not None:
            text = f"a US number, e.g. (800) 555-0199; if this line stays, write it as {phone.international} (an international call)"
        else:
            text = "a US number, e.g. (800) 555-0199; if this line stays, give it with its country code"
        yield Hit(phone.start, phone.end, Replacement(text, safe=False))


def us_phone_format(prepared: PreparedText, context: CheckContext) -> Iterator[Hit]:
    for phone in _phones(prepared, context.locale, []):
        if phone.national is None or _US_FORMATS.match(phone.text):
            continue
        area, exchange, line = phone.national[:3], phone.national[3:6], phone.national[6:]
        text = (
            f"1-{area}-{exchange}-{line}"
            if area in TOLL_FREE_AREA_CODES
            else f"({area}) {exchange}-{line}"
        )
        yield Hit(phone.start, phone.end, Replacement(text, safe=False))


def _region(locale: str) -> str | None:
    parts = locale.strip().replace("_", "-").split("-")
    return parts[1].upper() if len(parts) > 1 and len(parts[1]) == 2 else None


# ---------------------------------------------------------------------------- postal codes
_STREET = re.compile(
    r"(?<![\w.,/-])\d+[A-Za-z]?\s+(?:[A-Z][\w'-]*\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr"
    r"|Square|Sq|Way|Place|Pl|Boulevard|Blvd|Court|Ct|Terrace|Crescent|Close|Parade|Highway|Hwy)\b\.?"
)
_ADDRESS_END = re.compile(r"[\n'\"”;]|\.(?:\s|$)")
# A digit group next to other digit groups belongs to a phone number, not a code.
_POSTAL = re.compile(r"(?<![\d-])(?<!\d[ .])(?:\d{4}|\d{6}|\d{3} \d{3})(?![\d-])(?![ .]\d)")


def _streets(prepared: PreparedText) -> Iterator[re.Match[str]]:
    """Street addresses, tried only where a number starts (they begin with one)."""
    done = -1
    text = prepared.prose
    for start, end in prepared.numbers:
        after = text[end : end + 1]
        if start < done or not (after.isspace() or after.isalpha()):
            continue
        if (street := _STREET.match(prepared.prose, start)) is not None:
            done = street.end()
            yield street


def non_us_postal_code(prepared: PreparedText, context: CheckContext) -> Iterator[Hit]:
    """A 4- or 6-digit code after a street address: the ZIP code of another country."""
    text = prepared.prose
    for street in _streets(prepared):
        # The address ends at the line, a quote or a full stop: a number after that
        # belongs to the next sentence, not to this address.
        end = _ADDRESS_END.search(text, street.end(), street.end() + 80)
        code = _POSTAL.search(text, street.end(), end.start() if end else street.end() + 80)
        if code is not None:
            yield Hit(
                code.start(),
                code.end(),
                Replacement("a 5-digit US ZIP code (e.g. 94105)", safe=False),
            )


# ---------------------------------------------------------------------------- readability
# Syllables per word, filled as words are first seen: a plain dict read with
# map() because this runs for every distinct word of every article.
_SYLLABLES: dict[str, int] = {}


def _syllables(prepared: PreparedText) -> int:
    for word in prepared.token_set - _SYLLABLES.keys():
        _SYLLABLES[word] = max(1, textstat.syllable_count(word))
    return sum(map(_SYLLABLES.__getitem__, prepared.tokens))


def reading_grade(prepared: PreparedText, context: CheckContext) -> Iterator[Hit]:
    """Flesch-Kincaid grade of the article against the target grade.

    Syllables come from textstat (CMU dictionary, Pyphen for unknown words), counted
    once per distinct word: calling ``textstat.flesch_kincaid_grade`` on every article
    re-counts every word and was the slowest step of the linter (5 ms an article).
    Sentences are the linter's own (headings, list items and table cells end one),
    and, as in textstat, sentences of one or two words do not count.
    """
    words = prepared.tokens
    if len(words) < context.params.get("min_words", 100):
        return
    sentences = prepared.sentences
    counted = sum(1 for sentence in sentences if sentence.words > 2) or 1
    syllables = _syllables(prepared)
    grade = 0.39 * len(words) / counted + 11.8 * syllables / len(words) - 15.59
    if grade <= context.readability_grade:
        return
    longest = sorted(sentences, key=lambda s: s.words, reverse=True)[:3]
    lines = ", ".join(
        str(prepared.position(prepared.stripped(s)[0])[0] + context.line_offset)
        for s in sorted(longest, key=lambda s: s.start)
    )
    first_start, first_end = prepared.stripped(sentences[0])
    text = (
        f"grade {context.readability_grade:g} or lower (now {grade:.1f}): shorten the longest "
        f"sentences (lines {lines}) and prefer short, common words"
    )
    fields = {"grade": f"{grade:.1f}", "text": f"Flesch-Kincaid grade {grade:.1f}"}
    yield Hit(first_start, first_end, Replacement(text, safe=False, fields=fields))


def long_sentences(prepared: PreparedText, context: CheckContext) -> Iterator[Hit]:
    limit = context.max_sentence_words
    for sentence in prepared.sentences:
        if sentence.words > limit:
            text = f"split this {sentence.words}-word sentence into sentences of {limit} words or fewer"
            start, end = prepared.stripped(sentence)
            yield Hit(start, end, Replacement(text, safe=False))


# ---------------------------------------------------------------------------- links
_MARKDOWN_TARGET = re.compile(r"\]\(\s*<?(?P<url>[^)\s>]+)")
_REFERENCE_TARGET = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(?P<url>\S+?)>?(?:\s|$)", re.MULTILINE)
_BARE_URL = re.compile(r"(?P<url>https?://[^\s<>()\[\]\"']+)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_LOCALE_SEGMENT = re.compile(
    r"^(?:(?P<lang>[a-z]{2})[-_](?P<region>[a-z]{2})|(?P<bare>de|fr|es|it|nl|pt|pl|sv|da|fi|nb|no|ja|ko|zh|ru|tr|ar|uk|gb|au|nz|ie))$",
    re.IGNORECASE,
)
_LOCALE_QUERY = re.compile(
    r"(?i)\b(?:hl|lang|locale|language)=(?P<value>[a-z]{2}(?:[-_][a-z]{2})?)"
)
NON_US_DOMAINS = (
    ".co.uk",
    ".org.uk",
    ".uk",
    ".ie",
    ".com.au",
    ".au",
    ".co.nz",
    ".nz",
    ".co.in",
    ".in",
    ".co.za",
    ".za",
    ".ca",
    ".de",
    ".fr",
    ".eu",
    ".es",
    ".it",
    ".nl",
    ".sg",
    ".com.sg",
)
US_LOCALES = frozenset({"en-us", "es-us", "en_us", "es_us"})


def _links(prepared: PreparedText) -> list[tuple[int, int, str]]:
    """Every link target once: Markdown links, reference definitions and bare URLs."""
    if "links" not in prepared.memo:
        found: dict[int, tuple[int, int, str]] = {}
        for marker, regex in (
            ("](", _MARKDOWN_TARGET),
            ("]:", _REFERENCE_TARGET),
            ("http", _BARE_URL),
        ):
            if marker not in prepared.links:
                continue
            for match in regex.finditer(prepared.links):
                url = match["url"].rstrip(".,;:!?")
                start = match.start("url")
                found.setdefault(start, (start, start + len(url), url))
        prepared.memo["links"] = sorted(found.values())
    links: list[tuple[int, int, str]] = prepared.memo["links"]
    return links


def insecure_links(prepared: PreparedText, context: CheckContext) -> Iterator[Hit]:
    for start, end, url in _links(prepared):
        if url.lower().startswith("http://"):
            yield Hit(start, end, Replacement("https://" + url[7:], safe=False))


def relative_links(prepared: PreparedText, context: CheckContext) -> Iterator[Hit]:
    for start, end, url in _links(prepared):
        if not (_SCHEME.match(url) or url.startswith(("#", "//"))):
            text = f"the full https:// address of the US help-center page (not {url})"
            yield Hit(start, end, Replacement(text, safe=False))


def non_us_locale_links(prepared: PreparedText, context: CheckContext) -> Iterator[Hit]:
    for start, end, url in _links(prepared):
        us_url = _us_url(url)
        if us_url is not None:
            yield Hit(start, end, Replacement(f"the US page: {us_url}", safe=False))


@lru_cache(maxsize=8192)  # a knowledge base links the same pages again and again
def _us_url(url: str) -> str | None:
    """The URL pointed at the US site, or None when it already is (or names no locale).

    A country domain becomes .com, a language-region segment (/en-gb/) becomes
    /en-us/, a bare language segment (/de/) is dropped, a locale query becomes en-US.
    """
    try:
        parts = urlsplit(url if _SCHEME.match(url) or url.startswith(("/", ".")) else f"//{url}")
    except ValueError:  # not a URL after all ("http://[broken"): nothing to point elsewhere
        return None
    host = parts.hostname or ""
    netloc = parts.netloc
    for suffix in NON_US_DOMAINS:
        if host.endswith(suffix):
            netloc = netloc.replace(host, host[: -len(suffix)] + ".com")
            break
    segments = parts.path.split("/")
    for index in range(1, min(len(segments), 4)):
        found = _LOCALE_SEGMENT.match(segments[index])
        if found is None or segments[index].lower() in US_LOCALES:
            continue
        if found["bare"]:
            del segments[index]
        else:
            separator = "_" if "_" in segments[index] else "-"
            segments[index] = f"en{separator}us"
        break
    query = parts.query
    locale_query = _LOCALE_QUERY.search(query)
    if locale_query and locale_query["value"].lower() not in US_LOCALES | {"en"}:
        query = query[: locale_query.start("value")] + "en-US" + query[locale_query.end("value") :]
    path = "/".join(segments)
    if (netloc, path, query) == (parts.netloc, parts.path, parts.query):
        return None
    scheme = "https" if parts.scheme == "http" else parts.scheme
    return urlunsplit((scheme, netloc, path, query, parts.fragment))


CHECKS: dict[str, Check] = {
    function.__name__: function
    for function in (
        non_us_phone_numbers,
        us_phone_format,
        non_us_postal_code,
        reading_grade,
        long_sentences,
        insecure_links,
        relative_links,
        non_us_locale_links,
    )
}
