"""Fold Unicode and percent-encoded look-alikes into the ASCII the PII patterns expect.

Obfuscated values dodge ASCII-only patterns: a card written with no-break spaces, a
phone with en dashes or U+2010 hyphens, a zero-width space or soft hyphen inside an
email, a fullwidth ``＠`` or fullwidth digits, ``%40`` for ``@``. ``fold`` returns a
detection-friendly copy and, when the copy is shorter, a map back to the original, so
spans found on the copy can be reported as offsets into the original text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

_MINUS_SIGN = "\u2212"  # category Sm, but typed as a dash between digit groups
# Above this many entries the table stops caching (and computes each miss again), so
# text holding huge numbers of distinct code points cannot grow it without bound.
_TABLE_LIMIT = 65_536


def _fold_char(char: str) -> str | None:
    """The folded form of one non-ASCII character; None drops it."""
    category = unicodedata.category(char)
    if category == "Cf":  # zero-width space/joiners, soft hyphen, BOM, bidi marks
        return None
    if category == "Zs":  # no-break, thin, ideographic ... spaces
        return " "
    if category == "Pd" or char == _MINUS_SIGN:
        return "-"
    # Only one-to-one compatibility forms (fullwidth letters, digits and "@"), so every
    # folded character stands for exactly one original character. Precomposed accented
    # letters (é, ł, ß) are already NFKC and stay as they are.
    compatible = unicodedata.normalize("NFKC", char)
    return compatible if len(compatible) == 1 else char


class _FoldTable(dict[int, str | None]):
    """A ``str.translate`` table filled on first sight of each code point: translate
    then folds the whole string in C, calling Python only for code points not seen yet."""

    def __missing__(self, code_point: int) -> str | None:
        folded = _fold_char(chr(code_point))
        if len(self) < _TABLE_LIMIT:
            self[code_point] = folded
        return folded


# ASCII maps to itself: seeded so the C loop never calls back for it.
_TABLE = _FoldTable({code_point: chr(code_point) for code_point in range(128)})


def _kept_positions(text: str) -> list[int]:
    """Offsets of the characters of ``text`` that folding keeps, in order.

    Built from the few dropped positions with ``str.find`` and ``range``: a Python
    loop over every character costs about four times more on a chat message.
    """
    dropped = sorted(
        position
        for char in set(text)
        if _TABLE[ord(char)] is None
        for position in _positions_of(text, char)
    )
    kept: list[int] = []
    start = 0
    for position in dropped:
        kept.extend(range(start, position))
        start = position + 1
    kept.extend(range(start, len(text)))
    return kept


def _positions_of(text: str, char: str) -> Iterator[int]:
    position = text.find(char)
    while position != -1:
        yield position
        position = text.find(char, position + 1)


def fold(text: str) -> tuple[str, list[int] | None]:
    """``(folded, index_map)``: a copy of ``text`` for detection, and ``index_map[i]``
    the offset in ``text`` of folded character ``i``, or None when the two have the
    same length (every offset is then the same in both).

    A span ``[start, end)`` of the folded copy covers ``text[index_map[start]:
    index_map[end - 1] + 1]``. Invisible format characters (category Cf) are dropped,
    space separators (Zs) become " ", dashes (Pd) and U+2212 become "-", other
    characters with a one-character NFKC form take it, and "%40" becomes "@".
    """
    if text.isascii() and "%40" not in text:
        return text, None  # the common case: no per-character work
    folded = text.translate(_TABLE)
    index_map: list[int] | None = None
    if len(folded) != len(text):
        index_map = _kept_positions(text)
    if "%40" in folded:  # after the translation, so a fullwidth "％４０" counts too
        pieces = folded.split("%40")
        positions: list[int] = []
        offset = 0
        for piece in pieces[:-1]:
            positions.extend(range(offset, offset + len(piece)))
            positions.append(offset + len(piece))  # the "@" stands at the "%"
            offset += len(piece) + 3
        positions.extend(range(offset, offset + len(pieces[-1])))
        folded = "@".join(pieces)
        index_map = positions if index_map is None else [index_map[p] for p in positions]
    return folded, index_map
