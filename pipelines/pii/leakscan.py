"""Independent leak gate: a deliberately separate, simpler scanner for scrubbed text.

It shares no code with the detector on purpose, so one bug cannot both miss a value
and hide the miss. It favours recall on the entities whose leak is most harmful
(EMAIL, CREDIT_CARD, US_SSN, PHONE) and never fires on placeholders like
``<PHONE_1>`` because those hold no digit runs or ``@``.

Unicode and percent-encoded obfuscation (no-break spaces or en dashes between digit
groups, a zero-width space or soft hyphen inside an email, fullwidth "＠" and digits,
"%40") is undone before scanning by ``_unmask``, the gate's own normalizer rather than
the detector's ``fold``: a gap in ``fold`` would otherwise blind both at once. The
gate reports types, not offsets, so it normalizes the whole string (NFKC, then one
regex pass over the non-ASCII characters) and needs no offset map. It decodes only
"%40", as ``fold`` does: decoding every escape would flag values ("415%20555%200132")
the detector does not scrub, and the blocking gate relies on the detector being at
least as aggressive as itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# Bounded (RFC 5321 lengths) and anchored at a run start, so scanning stays linear.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[A-Za-z]{2,24}")
_CARD = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")
_SSN_DASHED = re.compile(r"(?<!\d)\d{3}[- ]\d{2}[- ]\d{4}(?!\d)")
_SSN_CUED = re.compile(r"(?i)(?:ssn|social security)\D{0,20}(\d{9})(?!\d)")
_PHONE = re.compile(
    r"(?<![\d\w])(?:\+\d{1,3}[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?[2-9]\d{2}[\s.-]?\d{4}(?!\d)"
    r"|(?<![\d\w])\+\d{1,3}(?:[\s.-]?\d{2,4}){2,5}(?!\d)"
)

# Digits spread out to dodge filters ("4 1 5 -5 5 5 -0 1 3 2"): any run of 10-11 digits
# with up to two separators between them, kept if it has a North American number shape.
_SPREAD_DIGITS = re.compile(r"(?<![\d\w])\d(?:[\s.-]{0,2}\d){9,10}(?!\d)")
_NANP = re.compile(r"1?[2-9]\d{2}[2-9]\d{6}")


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MINUS_SIGN = "\u2212"


@lru_cache(maxsize=4096)
def _ascii_separator(char: str) -> str:
    """Drop invisible format characters (zero-width space/joiners, soft hyphen, BOM);
    turn any dash or minus sign into "-" and any space separator into " "."""
    category = unicodedata.category(char)
    if category == "Cf":
        return ""
    if category == "Pd" or char == _MINUS_SIGN:
        return "-"
    return " " if category == "Zs" else char


def _unmask(text: str) -> str:
    """``text`` with look-alike separators and "%40" turned into the ASCII the
    patterns below expect; plain ASCII without "%40" is returned untouched."""
    if not text.isascii():
        # NFKC first: fullwidth "％４０" becomes "%40" and is then decoded.
        text = unicodedata.normalize("NFKC", text)
        text = _NON_ASCII.sub(lambda m: _ascii_separator(m.group()), text)
    return text.replace("%40", "@")


@dataclass(frozen=True)
class Leak:
    """An entity type found in a conversation's scrubbed text (never the value)."""

    conversation_id: str
    entity_type: str


def _luhn(digits: str) -> bool:
    checksum = 0
    for position, char in enumerate(digits[::-1]):
        doubled = int(char) * (2 if position % 2 else 1)
        checksum += doubled - 9 if doubled > 9 else doubled
    return checksum % 10 == 0


def _issuable_ssn(digits: str) -> bool:
    """SSA never issues area 000, 666 or 900-999, group 00, serial 0000."""
    return not (
        digits[:3] in ("000", "666")
        or digits[0] == "9"
        or digits[3:5] == "00"
        or digits[5:] == "0000"
        or len(set(digits)) == 1
    )


def scan(text: str | None, types: frozenset[str] | None = None) -> list[str]:
    """Entity types that look leaked in ``text`` (sorted, each at most once); with
    ``types``, only those are looked for (ids: no card check, whose Luhn test is most of
    the cost of scanning a date-and-counter id)."""
    if not text:
        return []
    text = _unmask(text)
    found: set[str] = set()
    if "@" in text and _EMAIL.search(text):
        found.add("EMAIL")
    if not any(map(str.isdigit, text)):
        return sorted(found if types is None else found & types)
    if types is None or "CREDIT_CARD" in types:
        for match in _CARD.finditer(text):
            if _luhn(re.sub(r"\D", "", match.group())):
                found.add("CREDIT_CARD")
                break
    for match in (*_SSN_DASHED.finditer(text), *_SSN_CUED.finditer(text)):
        if _issuable_ssn(re.sub(r"\D", "", match.group(match.lastindex or 0))):
            found.add("US_SSN")
            break
    if _PHONE.search(text) or any(
        _NANP.fullmatch(re.sub(r"\D", "", m.group())) for m in _SPREAD_DIGITS.finditer(text)
    ):
        found.add("PHONE")
    return sorted(found if types is None else found & types)


def scan_rows(
    rows: Iterable[tuple[str, str | None]], types: frozenset[str] | None = None
) -> list[Leak]:
    """Leaks per conversation over ``(conversation_id, text)`` rows, deduplicated (only
    of ``types``, if given). A text seen lately is not scanned again: a day repeats its
    templated lines."""
    leaks: set[Leak] = set()
    for conversation_id, text in rows:
        for entity_type in _scanned(text, types):
            leaks.add(Leak(conversation_id, entity_type))
    return sorted(leaks, key=lambda leak: (leak.conversation_id, leak.entity_type))


# Distinct texts whose scan is remembered, per process: at most 65,536 texts (free text
# with its payload can be kilobytes each). ``forget_scanned_texts`` empties it after a
# gate, so a long-running process keeps no text, flagged or not, past its window.
SCANNED_TEXTS = 65_536


@lru_cache(maxsize=SCANNED_TEXTS)
def _scanned(text: str | None, types: frozenset[str] | None) -> tuple[str, ...]:
    return tuple(scan(text, types))


def forget_scanned_texts() -> None:
    """Drop the remembered texts (and their verdicts) of this process."""
    _scanned.cache_clear()
