"""Entities recognised by their shape alone: emails (plain, obfuscated, spaced out),
personal URLs and private links, @handles, stated credentials, MAC and IPv6 addresses,
IBANs. Each runs only when a cheap substring test says it can match."""

from __future__ import annotations

import ipaddress
import re

from pipelines.pii.checksums import iban_valid
from pipelines.pii.matching import (
    PLACEHOLDER,
    first_letter_guard,
    lower_finditer,
    one_repeated_char,
    substring_gate,
)
from pipelines.pii.names import STOPWORDS
from pipelines.pii.spans import Span

# (The look-behind on the character before the address follows its first character, so
# the pattern opens with a character class and ``re`` skips non-candidates in C.)
_EMAIL = re.compile(
    r"[A-Za-z0-9](?<![\w.+-][A-Za-z0-9])[A-Za-z0-9._%+-]{0,63}@"
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
# Look-behinds after the first character, so ``re`` skips to candidate characters
# (see person_cues.CAP_RUN): "(?<![\w@.])@" as "@(?<![\w@.].)", "\b[A-Z]" as "[A-Z](?<!\w.)".
_HANDLE = re.compile(r"@(?<![\w@.].)[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])")

_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_IBAN = re.compile(r"[A-Z](?<!\w.)[A-Z]\d{2}(?: ?[A-Z0-9]){11,30}\b")

# --- secrets and device ids ----------------------------------------------------------
# A character of a stated secret: no blank, and a comma or semicolon only inside it.
_SECRET_CHARS = r"(?:[^\s,;]|[,;](?=[^\s,;]))"
# A digit ahead, among the secret's characters, before any placeholder ("<HANDLE_1>").
_SECRET_DIGIT = r"(?=(?:(?!<[A-Z])(?:[^\s,;\d]|[,;](?=[^\s,;])))*\d)"
# A value stated after a secret's name: "my PIN is 7402", "password: 'Secret99'". The
# value needs a digit or quotes, so "the password is required" stays.
_CREDENTIAL = re.compile(
    first_letter_guard(
        r"\b(?:password|passcode|passwd|pwd|pin|otp|one[- ]time (?:code|password)"
        r"|verification code|security code|auth(?:entication)? code|cvv|cvc|security answer)"
        r"(?:\s+(?:number|code))?\s*(?:is|was|:|=|(?:might|should|could|would|must)\s+be)"
        r"(?:\s+either)?\s*"
        # A value runs on through a comma or semicolon inside it ("qwerty;123",
        # "Summer,2024"), not one before a blank ("1234, thanks"). Its digit is looked for
        # before any placeholder: "my PIN is XuA,<HANDLE_1>" (a first scrub's output) is
        # no PIN, as "my PIN is XuA,@kc" was not.
        rf"(?P<value>['\"‘“][^'\"’”\n]{{1,64}}['\"’”]|{_SECRET_DIGIT}{_SECRET_CHARS}{{3,64}}(?<![.!?,;]))"
        # "my PIN might be 9431 or 0314": the alternative is a candidate PIN too
        rf"(?:\s+or\s+(?P<other>{_SECRET_DIGIT}{_SECRET_CHARS}{{3,64}}(?<![.!?,;])))?"
    ),
    re.IGNORECASE,
)
# Every match of _CREDENTIAL in lower-cased text holds one of these: a substring test
# skips the scan (a few microseconds) in most messages.
_CREDENTIAL_NEEDLES = (
    "pass", "pwd", "pin", "otp", "one-time", "one time", "code", "cvv", "cvc", "answer",
)  # fmt: skip
_CREDENTIAL_GATE = substring_gate(_CREDENTIAL_NEEDLES)
_MAC = re.compile(r"\b[0-9A-Fa-f]{2}(?:([:-])[0-9A-Fa-f]{2})(?:\1[0-9A-Fa-f]{2}){4}\b")


def find(text: str, low: str | None, has_digit: bool) -> list[Span]:
    """Shape-recognised entities in ``text`` (``low``: its lower-cased twin, or None
    when lowering changes its length)."""
    spans: list[Span] = []
    if "@" in text:
        _emails(text, spans)
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
    if (has_digit or "'" in text or '"' in text) and (
        low is None or _CREDENTIAL_GATE.search(low) is not None
    ):
        for m in lower_finditer(_CREDENTIAL, text, low):
            for group in ("value", "other"):
                if m.group(group) and not one_repeated_char(m.group(group)):
                    spans.append(Span("CREDENTIAL", m.start(group), m.end(group), 0.9))
    if has_digit:
        if text.count(":") >= 5 or text.count("-") >= 5:  # a MAC holds five separators
            spans.extend(
                Span("MAC_ADDRESS", m.start(), m.end(), 1.0)
                for m in _MAC.finditer(text)
                if not one_repeated_char(m.group())
            )
        if text.count(":") >= 2:
            _ipv6(text, spans)
        for m in _IBAN.finditer(text):
            if iban_valid(m.group().replace(" ", "")):
                spans.append(Span("IBAN", m.start(), m.end(), 1.0))
    return spans


def _emails(text: str, spans: list[Span]) -> None:
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
        if any(c.isalpha() for c in handle) and not _after_placeholder(text, m.start()):
            spans.append(Span("HANDLE", m.start(), m.end(), 0.7))


# A placeholder that ends where a match starts: "<PERSON_1>@jo" is what a scrub leaves of
# "Suqs@jo" (a name found before the "@"). The "@jo" was no handle then (a letter stood
# before it), so it is none in the scrubbed text either: scrubbing twice changes nothing.
_PLACEHOLDER_END = re.compile(PLACEHOLDER.pattern + "$")


def _after_placeholder(text: str, start: int) -> bool:
    return (
        start > 0
        and text[start - 1] == ">"
        and (_PLACEHOLDER_END.search(text, max(0, start - 40), start) is not None)
    )


def _ipv6(text: str, spans: list[Span]) -> None:
    for m in _IPV6.finditer(text):
        # Two groups at least: "::", "a::" and "::1" name no one's machine, and "::" is
        # what is left between two placeholders ("<PERSON_1>::<PERSON_2>").
        if m.group().count(":") < 2 or sum(1 for group in m.group().split(":") if group) < 2:
            continue
        try:
            ipaddress.IPv6Address(m.group())
        except ValueError:
            continue
        spans.append(Span("IP_ADDRESS", m.start(), m.end(), 1.0))
