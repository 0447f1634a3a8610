"""Views of an article's text that the rules read, with offsets kept intact.

Rules must not fire inside code, inside quoted UI strings (Tap "Colour settings" is
the app's label, not the writer's prose) or inside URLs and email addresses. Instead
of deleting those parts, they are blanked with spaces (newlines kept), so every
offset in a view is the offset in the original text and line/column come for free.

- ``links``: fenced and inline code and HTML comments blanked; the link rules read it.
- ``prose``: also URLs, link targets, email addresses and double-quoted strings
  blanked; every other rule reads it.

Code is found by a line scanner for fences (```` ``` ```` / ``~~~``) and a regex for
backtick spans: a full Markdown parse (markdown-it) would cost more than all the
rules together, and only these two constructs matter here.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Any, NamedTuple

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[^\n]*", re.MULTILINE)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"']+")
_EMAIL_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_EMAIL_LOCAL = frozenset(string.ascii_letters + string.digits + "._+-")
# "[0-9][0-9]*" rather than "\d+": a pattern that starts with a character class
# lets the regex engine skip ahead, one that starts with a repeat does not (3x).
_DIGITS = re.compile(r"[0-9][0-9]*")
_NOT_NEWLINE = re.compile(r"[^\n]")
_QUOTED = re.compile(r"\"[^\"\n]{1,120}\"|“[^”\n]{1,120}”")
TLDS = (
    "com",
    "org",
    "net",
    "io",
    "co",
    "us",
    "uk",
    "ie",
    "au",
    "nz",
    "in",
    "za",
    "ca",
    "de",
    "fr",
    "eu",
    "app",
    "help",
)
# Starts at the dot so the regex engine can skip ahead to dots; the domain's name
# before the dot is taken in by _bare_domains.
_TLD = re.compile(r"\.(?:" + "|".join(TLDS) + r")(?![\w-])(?:/[^\s)\]\"']*)?")
_DOMAIN_CHARS = frozenset(string.ascii_letters + string.digits + ".-_")
# Everything but ASCII letters and digits -> space, on bytes, so splitting a text
# into words runs at C speed: a regex or str.translate tokenizer costs more per
# article than all the word lists together.
_WORD_BYTES = bytes.maketrans(
    bytes(range(256)),
    bytes(c if chr(c).isalnum() and c < 128 else 32 for c in range(256)),
)
_MARKERS = "#-*+>|"  # a line starting with one: heading, list item, quote, table
# Where a sentence ends: a blank line, a line that starts a heading, list item,
# quote or table row, a table cell border, or . ! ? before whitespace (not after
# e.g., i.e., etc. and the like). Every branch starts with one of five characters,
# so the regex engine skips straight to them.
_END_PUNCTUATION = re.compile(r"[.!?]+[\"'”’)\]]*")
_BOUNDARY = re.compile(
    r"[\n.!?|](?:(?<=\n)[ \t]*(?:\n|(?=#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\|))"
    r"|(?<=[.!?])(?i:(?<!e\.g\.)(?<!i\.e\.)(?<!etc\.)(?<!\bvs\.)(?<!approx\.)(?<!incl\.)"
    r"(?<!dept\.)(?<!\bmr\.)(?<!\bmrs\.)(?<!\bms\.)(?<!\bdr\.)(?<!\bst\.)(?<!\bjr\.)"
    r"(?<!\bsr\.)(?<!\binc\.)(?<!\bltd\.)(?<!u\.s\.))[.!?]*[\"'”’)\]]*(?=\s)|(?<=\|))"
)
_BOUNDARY_SPLIT = re.compile(f"({_BOUNDARY.pattern})")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


class Sentence(NamedTuple):
    # A tuple, not a dataclass: an article has ~100 and creating them showed up in
    # profiles.
    start: int
    end: int
    words: int


class PreparedText:
    """The original text, its blanked views and a line index.

    Each blanking regex runs only when its marker character occurs: most articles
    have no code, few have quotes, and the regexes would otherwise scan every text.
    """

    def __init__(self, text: str) -> None:
        self.original = text
        self.links = _blank(text, _code_spans(text))
        gated = (
            ("](", _LINK_TARGET),
            ("]:", _REFERENCE_DEFINITION),
            ("://", _URL),
            ("www.", _URL),
        )
        outside_code = [
            Span(m.start(), m.end())
            for marker, regex in gated
            if marker in self.links
            for m in regex.finditer(self.links)
        ]
        outside_code.extend(_bare_domains(self.links))
        if "@" in self.links:
            outside_code.extend(_emails(self.links))
        without_urls = _blank(self.links, outside_code)
        quoted = (
            [Span(m.start(), m.end()) for m in _QUOTED.finditer(without_urls)]
            if '"' in without_urls or "“" in without_urls
            else []
        )
        self.prose = _blank(without_urls, quoted)
        self._line_starts = [0, *accumulate(len(line) + 1 for line in text.split("\n"))][:-1]
        # Results several checks share (phone numbers, links), computed once per text.
        self.memo: dict[str, Any] = {}

    @cached_property
    def lowered(self) -> str:
        return self.prose.lower()

    @cached_property
    def numbers(self) -> list[tuple[int, int]]:
        """(start, end) of each run of digits in the prose."""
        return [match.span() for match in _DIGITS.finditer(self.prose)]

    @cached_property
    def numbers_by_follower(self) -> dict[str, list[int]]:
        """Starts of the digit runs, grouped by what follows the digits: the next
        character, or " " and the first character after the spaces ("5 km" -> " k")."""
        text = self.prose
        groups: dict[str, list[int]] = {}
        for start, end in self.numbers:
            after = text[end : end + 1]
            if after.isspace() and after != "\n":
                after = " " + text[end : end + 4].lstrip()[:1]
            groups.setdefault(after, []).append(start)
        return groups

    @cached_property
    def gate_text(self) -> str:
        """The lowercased prose after a newline, so a rule's needles can require a word
        start ("\nring") and still find a word at the very beginning."""
        return "\n" + self.lowered

    @cached_property
    def token_set(self) -> frozenset[str]:
        return frozenset(self.tokens)

    @cached_property
    def tokens(self) -> list[str]:
        """Lowercase words of the prose: runs of ASCII letters and digits."""
        return words(self.lowered)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset."""
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.original)
        return self.original[start:end]

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Sentences of the prose; headings, list items and table cells end one too.

        ``start:end`` may include the whitespace around a sentence (``stripped`` trims
        it): only the few sentences a rule reports need exact edges, and trimming
        every one cost more than finding them.
        """
        # split() with the boundary captured gives [text, boundary, text, ...] in C;
        # word counts are then a map() away, leaving one comprehension in Python.
        parts = _BOUNDARY_SPLIT.split(self.prose)
        offsets = list(accumulate(map(len, parts), initial=0))
        pieces = parts[0::2]
        counts = map(len, map(str.split, pieces))
        return [
            Sentence(start, start + len(piece), count - (piece.lstrip()[:1] in _MARKERS))
            for start, piece, count in zip(offsets[0::2], pieces, counts, strict=True)
            if count > (piece.lstrip()[:1] in _MARKERS)
        ]

    def stripped(self, sentence: Sentence) -> tuple[int, int]:
        """The sentence's span without surrounding whitespace, with its end punctuation."""
        text = self.prose
        piece = text[sentence.start : sentence.end]
        start = sentence.start + len(piece) - len(piece.lstrip())
        end = start + len(piece.strip())
        if end == sentence.end:
            punctuation = _END_PUNCTUATION.match(text, end)
            end = punctuation.end() if punctuation else end
        return start, end


def words(text: str) -> list[str]:
    """Runs of ASCII letters and digits; anything else separates words."""
    return text.encode("utf-8").translate(_WORD_BYTES).decode("ascii").split()


def _emails(text: str) -> list[Span]:
    """Email addresses, found from each "@" outwards (a regex would try every word)."""
    spans = []
    at = text.find("@")
    while at != -1:
        start = at
        while start > 0 and text[start - 1] in _EMAIL_LOCAL:
            start -= 1
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if start < at and domain is not None:
            spans.append(Span(start, domain.end()))
        at = text.find("@", at + 1)
    return spans


def _bare_domains(text: str) -> list[Span]:
    """``example.com/help`` written without a scheme, so no rule reads it as words."""
    spans = []
    for match in _TLD.finditer(text):
        start = match.start()
        while start > 0 and text[start - 1] in _DOMAIN_CHARS:
            start -= 1
        if start < match.start() and text[start].isalnum():
            spans.append(Span(start, match.end()))
    return spans


def _code_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    if "`" not in text and "~~~" not in text and "<!--" not in text:
        return spans
    fence: str | None = None
    fence_start = 0
    offset = 0
    for line in text.split("\n"):
        line_end = offset + len(line)
        opener = _FENCE.match(line)
        if fence is None and opener:
            fence, fence_start = opener.group(1)[0] * 3, offset
        elif fence is not None and line.strip().startswith(fence):
            spans.append(Span(fence_start, line_end))
            fence = None
        elif fence is None and "`" in line:
            spans.extend(
                Span(offset + m.start(), offset + m.end()) for m in _INLINE_CODE.finditer(line)
            )
        offset = line_end + 1
    if fence is not None:  # an unclosed fence runs to the end, as in CommonMark
        spans.append(Span(fence_start, len(text)))
    if "<!--" in text:
        spans.extend(Span(m.start(), m.end()) for m in _HTML_COMMENT.finditer(text))
    return spans


def _blank(text: str, spans: list[Span]) -> str:
    """Replace every span with spaces, keeping newlines so lines stay where they were."""
    if not spans:
        return text
    parts: list[str] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.end <= cursor:
            continue
        start = max(span.start, cursor)
        parts.append(text[cursor:start])
        chunk = text[start : span.end]
        parts.append(_NOT_NEWLINE.sub(" ", chunk) if "\n" in chunk else " " * len(chunk))
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts)
