"""Check digits that separate real identifiers from random digit runs.

Hand-written because each is a few lines of arithmetic on the hot path; a library
call per candidate (e.g. python-stdnum) would add a dependency for no gain.
"""

from __future__ import annotations


def luhn_valid(digits: str) -> bool:
    """Luhn (mod 10) check used by payment card numbers."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def aba_routing_valid(digits: str) -> bool:
    """ABA routing number checksum: weights 3, 7, 1 repeated, sum divisible by 10."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    weights = (3, 7, 1) * 3
    return sum(w * (ord(c) - 48) for w, c in zip(weights, digits, strict=True)) % 10 == 0


def ssn_valid(digits: str) -> bool:
    """US SSN structure: area not 000/666/9xx, group not 00, serial not 0000."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def iban_valid(compact: str) -> bool:
    """ISO 13616 IBAN check: move the first four characters to the end, mod 97 == 1."""
    if not 15 <= len(compact) <= 34 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(c, 36)) for c in rearranged.upper())
    return int(numeric) % 97 == 1
