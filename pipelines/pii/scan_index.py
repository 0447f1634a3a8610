"""One Hyperscan pass per message as an index for the families' ``re`` scans.

CPython's ``re`` has no index: a pattern searched over a message is tried at every
position its first character allows, and a message meets some 25 such scans
(docs/pii.md, *Measured speed*, round 10). Hyperscan (Intel's multi-pattern engine)
scans a message once for many patterns. Here it is an index, not a matcher: for each
registered ``re`` pattern it reports the positions where a match of that pattern can
start, and the family runs its own pattern there (``pattern.match`` at each candidate
position), or not at all when there is none. The matches are those of the pattern
itself, so results are identical by construction:

- *Necessary prefixes.* From the pattern's parse tree (``re._parser``), every way a
  match can begin is written as a fixed-width prefix: its first characters, each as
  the exact set of ASCII characters the ``re`` element accepts there (tried on all 128
  under the pattern's flags), ending at the first element of variable width
  (``\\s+`` keeps one ``\\s``). Look-arounds are left out, and so is every ``\\b`` but a
  leading one (leaving a condition out only lets more positions through). A match of
  the pattern at ``p`` makes its prefix match at ``p``; Hyperscan reports the prefix's
  end, ``p`` + its width.
- *ASCII text only.* Offsets are byte offsets, and ``\\b`` and the classes are Python's
  only on ASCII; any other message (a small share) is scanned by ``re`` alone, as is
  every message when Hyperscan is not installed (it is built for x86-64 Linux only:
  ``pyproject.toml`` installs it there) or ``CLOSEDLOOP_PII_HYPERSCAN=0`` is set. Both
  paths give the same results (``tests/pii/test_scan_index.py``).
- *Where the matches go.* ``finditer`` over the candidate positions gives
  ``pattern.finditer``'s matches: ``finditer`` takes the first position at or after the
  end of the last match where the pattern matches, and every such position is a
  candidate. (The patterns registered here cannot match the empty string.)
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from re import _constants as sre
from re import _parser as sre_parse
from typing import Any

# Set to "0" to scan with ``re`` alone (the same results; for comparison and for
# platforms where the wheel is installed but unwanted).
ENV = "CLOSEDLOOP_PII_HYPERSCAN"

# Longest prefix taken from a pattern: longer ones reject more positions but cost the
# scan more states; 8 characters tell cue words apart.
_MAX_WIDTH = 8
# Most prefixes per pattern (a branch inside a branch multiplies them).
_MAX_PATHS = 4096
_ASCII = [chr(c) for c in range(128)]
_FIXED_GROUPS = (sre.SUBPATTERN, sre.ATOMIC_GROUP)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_ONE_CHAR = (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY)


class _Unindexable(Exception):
    """The pattern can start with anything the index cannot tell apart."""


def _char_set(item: tuple[Any, Any], state: Any, flags: int, lowered: bool) -> frozenset[str]:
    """The ASCII characters one single-character ``re`` element accepts (``lowered``:
    the characters whose lower case it accepts, for a pattern run on lowered text)."""
    key = (item[0], repr(item[1]), flags, lowered)
    chars = _CHAR_SETS.get(key)
    if chars is None:
        sub = sre_parse.SubPattern(state, [item])
        regex = re._compiler.compile(sub, flags)  # type: ignore[attr-defined]
        chars = frozenset(c for c in _ASCII if regex.fullmatch(c.lower() if lowered else c))
        _CHAR_SETS[key] = chars
    return chars


# Character sets by element: the patterns repeat the same few letters and classes.
_CHAR_SETS: dict[tuple[object, str, int, bool], frozenset[str]] = {}


def _paths(
    items: Sequence[tuple[Any, Any]], state: Any, flags: int, lowered: bool
) -> list[tuple[tuple[frozenset[str], ...], bool]]:
    """Every prefix of the sequence ``items``: (character sets, whether the whole
    sequence was read). A prefix stops at the first element of variable width."""
    out: list[tuple[tuple[frozenset[str], ...], bool]] = [((), True)]
    for op, arg in items:
        grown: list[tuple[tuple[frozenset[str], ...], bool]] = []
        for path, complete in out:
            if not complete or len(path) >= _MAX_WIDTH:
                grown.append((path, False))
                continue
            if op in _ONE_CHAR:
                chars = _char_set((op, arg), state, flags, lowered)
                if chars:  # an element no ASCII character passes: no ASCII match
                    grown.append(((*path, chars), True))
            elif op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
                grown.append((path, True))  # zero width: left out (lets more through)
            elif op in _REPEATS:
                low, _high, sub = arg
                if low >= 1 and len(sub) == 1 and sub[0][0] in _ONE_CHAR:
                    chars = _char_set(sub[0], state, flags, lowered)
                    if chars:
                        copies = min(low, _MAX_WIDTH - len(path))
                        grown.append(((*path, *([chars] * copies)), False))
                else:
                    grown.append((path, False))
            elif op in _FIXED_GROUPS or op == sre.BRANCH:
                if op == sre.SUBPATTERN:
                    _group, add, remove, sub = arg
                    if add or remove:  # local flags: not read here
                        grown.append((path, False))
                        continue
                    branches = [sub]
                elif op == sre.ATOMIC_GROUP:
                    branches = [arg]
                else:
                    branches = arg[1]
                for branch in branches:
                    for tail, whole in _paths(list(branch), state, flags, lowered):
                        grown.append(((*path, *tail)[:_MAX_WIDTH], whole))
            else:
                grown.append((path, False))
            if len(grown) > _MAX_PATHS:
                raise _Unindexable
        out = grown
    return out


def _class(chars: frozenset[str]) -> str:
    return "[" + "".join(f"\\x{ord(c):02x}" for c in sorted(chars)) + "]"


def prefixes(pattern: re.Pattern[str], lowered: bool = False) -> list[tuple[str, int]]:
    """Hyperscan expressions (with their widths) of which one matches, ending at
    ``p + width``, wherever ``pattern`` matches at ``p`` in ASCII text (``lowered``: in
    the lower-cased text, the expressions being run on the text itself).

    Raises ``_Unindexable`` when a match could begin with an empty prefix."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    items = list(parsed)
    leading_boundary = False
    while items and items[0][0] in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
        if items[0] == (sre.AT, sre.AT_BOUNDARY):
            leading_boundary = True
        items = items[1:]
    exprs = set()
    for path, _complete in _paths(items, parsed.state, pattern.flags, lowered):
        if not path:
            raise _Unindexable
        exprs.add((("\\b" if leading_boundary else "") + "".join(map(_class, path)), len(path)))
    return sorted(exprs)


def _enabled() -> bool:
    return os.environ.get(ENV, "1") != "0"


# An expression's id: its pattern's number times 16 plus the prefix's width, so the
# match callback finds the start without a table.
_WIDTH_BITS = 4
_WIDTH_MASK = (1 << _WIDTH_BITS) - 1


def _hit(expr: int, _from: int, to: int, _flags: int, found: list[int]) -> None:
    found.append(expr)
    found.append(to)


def _database(
    gates: Sequence[tuple[re.Pattern[str], bool]], located: Sequence[tuple[re.Pattern[str], bool]]
) -> Any:
    """The compiled database: loaded from the ``__pycache__`` folder beside this module
    when an earlier process built it from the same patterns, with this module's code and
    the same Hyperscan (reading the patterns' prefixes and compiling them takes about a
    second; loading, a tenth of a millisecond), else built and written there (skipped
    when the folder is not writable)."""
    import hyperscan

    exprs: list[bytes] = []
    ids: list[int] = []
    flags: list[int] = []
    for number, (pattern, lowered) in enumerate((*gates, *located)):
        for expr, width in prefixes(pattern, lowered):
            exprs.append(expr.encode("ascii"))
            ids.append(number << _WIDTH_BITS | width)
            flags.append(hyperscan.HS_FLAG_SINGLEMATCH if number < len(gates) else 0)
    # The expressions themselves: a pattern's text may list its words in another order
    # in another process (some are built from sets), its prefixes are sorted.
    key = hashlib.sha256(repr((hyperscan.__version__, exprs, ids, flags)).encode()).hexdigest()
    cached = Path(__file__).parent / "__pycache__" / f"scan_index-{key[:24]}.hsdb"
    try:
        database = hyperscan.loadb(cached.read_bytes(), hyperscan.HS_MODE_BLOCK)
        scratch = hyperscan.Scratch(database)
        database.scan(b"probe", scratch=scratch)  # fails when built for another CPU
        return database, scratch
    except (OSError, hyperscan.error):
        pass  # not built yet, or for another CPU or Hyperscan version
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=exprs, ids=ids, flags=flags)
    scratch = hyperscan.Scratch(database)
    try:
        cached.parent.mkdir(exist_ok=True)
        scratch = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        scratch.write_bytes(hyperscan.dumpb(database))
        scratch.replace(cached)  # atomic: a process reading it sees all or nothing
    except OSError:
        pass  # a read-only install: built in each process
    return database, scratch


class ScanIndex:
    """One Hyperscan database over the prefixes of the registered patterns, each a pair
    (pattern, whether the family runs it on the lower-cased text). A ``gate`` reports
    the first position where it can match (each of its prefix widths once:
    ``HS_FLAG_SINGLEMATCH``), a ``located`` pattern every position: a Python call per
    report, so only patterns with few candidates per message are located. Used by one
    thread (the detector of a process); another thread gets no index (``scan`` returns
    None) and scans with ``re``."""

    def __init__(
        self,
        gates: Sequence[tuple[re.Pattern[str], bool]],
        located: Sequence[tuple[re.Pattern[str], bool]] = (),
    ) -> None:
        self._numbers = {id(p): n for n, (p, _) in enumerate((*gates, *located))}
        self._db, self._scratch = _database(gates, located)
        self._thread = threading.get_ident()

    def scan(self, text: str) -> Hits | None:
        """Where the registered patterns can match in ``text``; None when ``text`` is not
        ASCII (the caller then scans with ``re`` alone)."""
        if not text.isascii() or threading.get_ident() != self._thread:
            return None
        found: list[int] = []
        self._db.scan(
            text.encode("ascii"), match_event_handler=_hit, context=found, scratch=self._scratch
        )
        return Hits(self._numbers, found)


class Hits:
    """Where the registered patterns can match, for one message: the reports as a flat
    list (expression id, end offset, ...)."""

    __slots__ = ("_found", "_numbers")

    def __init__(self, numbers: dict[int, int], found: list[int]) -> None:
        self._numbers = numbers
        self._found = found

    def first(self, pattern: re.Pattern[str]) -> int:
        """The smallest offset where ``pattern`` (a registered gate) can match; -1: none."""
        found = self._found
        if not found:
            return -1
        number = self._numbers[id(pattern)]
        first = -1
        for i in range(0, len(found), 2):
            expr = found[i]
            if expr >> _WIDTH_BITS == number:
                start = found[i + 1] - (expr & _WIDTH_MASK)
                if first < 0 or start < first:
                    first = start
        return first

    def starts(self, pattern: re.Pattern[str]) -> list[int]:
        """Every offset where ``pattern`` (a registered located one) can match, sorted."""
        number = self._numbers[id(pattern)]
        found = self._found
        return sorted(
            {
                found[i + 1] - (found[i] & _WIDTH_MASK)
                for i in range(0, len(found), 2)
                if found[i] >> _WIDTH_BITS == number
            }
        )

    def finditer(
        self,
        pattern: re.Pattern[str],
        text: str,
        pos: int = 0,
        run: re.Pattern[str] | None = None,
    ) -> Iterator[re.Match[str]]:
        """``(run or pattern).finditer(text, pos)`` for a registered located ``pattern``,
        trying only its candidate positions. ``run``: a pattern whose matches are
        ``pattern``'s (its case-sensitive twin on the lower-cased text)."""
        if run is None:
            run = pattern
        last = pos
        for start in self.starts(pattern):
            if start >= last:
                m = run.match(text, start)
                if m is not None:
                    last = m.end()
                    yield m


def search(
    hits: Hits | None,
    pattern: re.Pattern[str],
    text: str,
    pos: int = 0,
    endpos: int = sys.maxsize,
    run: re.Pattern[str] | None = None,
) -> re.Match[str] | None:
    """``(run or pattern).search(text, pos, endpos)``, started at the first position
    where the registered ``pattern`` can match (``hits`` of ``text`` or of the text it
    is the lower-cased twin of), or skipped when there is none. ``run``: a pattern whose
    matches are ``pattern``'s (its case-sensitive twin on lower-cased text)."""
    if hits is not None:
        first = hits.first(pattern)
        if first < 0:
            return None
        pos = max(pos, first)
    return (run or pattern).search(text, pos, endpos)


def finditer(
    hits: Hits | None,
    pattern: re.Pattern[str],
    text: str,
    pos: int = 0,
    run: re.Pattern[str] | None = None,
) -> Iterator[re.Match[str]]:
    """``(run or pattern).finditer(text, pos)``, from the first position where the
    registered ``pattern`` can match (an empty iterator when there is none)."""
    if hits is not None:
        first = hits.first(pattern)
        if first < 0:
            return iter(())
        pos = max(pos, first)
    return (run or pattern).finditer(text, pos)


def build(
    gates: Sequence[tuple[re.Pattern[str], bool]],
    located: Sequence[tuple[re.Pattern[str], bool]] = (),
) -> ScanIndex | None:
    """The index, or None without Hyperscan or with ``ENV`` set to 0."""
    if not _enabled():
        return None
    try:
        return ScanIndex(gates, located)
    except ImportError:
        return None
