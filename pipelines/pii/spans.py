"""Detected PII spans and the deterministic rule that resolves overlaps."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate


@dataclass(frozen=True, slots=True)
class Span:
    """One detected entity: ``text[start:end]`` of type ``type`` with confidence ``score``."""

    type: str
    start: int
    end: int
    score: float

    def __reduce__(self) -> tuple[object, tuple[str, int, int, float]]:
        # By the constructor: compiled (``pipelines.pii.native``), a frozen class cannot
        # be unpickled or copied field by field, and a pickle must load in either engine.
        return (Span, (self.type, self.start, self.end, self.score))


# A span a rule is sure holds NO personal data ("a year at Jones, Mitchell and Williams":
# a firm). It takes its place in overlap resolution, so weaker guesses inside it lose,
# and the detector drops it from its result.
NOT_PII = "NOT_PII"
NOT_PII_SCORE = 0.62


# Up to this many spans (nearly every message) a scan of the kept ones is cheaper than
# keeping them ordered for bisection.
SCAN_AT_MOST = 16


def resolve_overlaps(spans: list[Span]) -> list[Span]:
    """Keep a non-overlapping subset, ordered by start.

    Higher score wins, then the longer span, then the earlier start, then the type
    name, so the result never depends on the order detectors ran in.
    """
    if len(spans) < 2:
        return spans
    ranked = sorted(spans, key=lambda s: (-s.score, s.start - s.end, s.start, s.type))
    if len(ranked) <= SCAN_AT_MOST or any(span.end <= span.start for span in ranked):
        return _resolve_by_scan(ranked)
    # The kept spans, ordered by start. Non-empty and never overlapping, their ends are
    # ordered too, so a span overlaps a kept one only if it overlaps the last kept span
    # that starts before it ends (a scan of every kept span was quadratic in a message of
    # thousands of names: 2.3 s for 5,000).
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Span] = []
    for span in ranked:
        i = bisect_left(starts, span.end)
        if i > 0 and ends[i - 1] > span.start:
            continue
        starts.insert(i, span.start)
        ends.insert(i, span.end)
        kept.insert(i, span)
    return kept


def _resolve_by_scan(ranked: list[Span]) -> list[Span]:
    """``resolve_overlaps`` by comparing every kept span: for a few spans, and when an
    empty span is among them (no rule makes one: the ordered ends cannot be relied on)."""
    kept: list[Span] = []
    for span in ranked:
        start, end = span.start, span.end
        for k in kept:
            if start < k.end and k.start < end:
                break
        else:
            kept.append(span)
    kept.sort(key=lambda s: s.start)
    return kept


class SpanCover:
    """Which offsets a list of spans covers. A few spans are scanned (nearly every
    message); many are kept ordered for bisection: a scan of every span for every word
    was quadratic in a message of thousands of names (5,000 names: 1.65 s)."""

    def __init__(self, spans: list[Span]) -> None:
        self._bounds = [(span.start, span.end) for span in spans]
        self._many = len(self._bounds) > SCAN_AT_MOST
        self._starts: list[int] = []
        self._reach: list[int] = []
        if self._many:
            self._bounds.sort()
            self._starts = [start for start, _ in self._bounds]
            # the farthest end among the spans that start at or before each one
            self._reach = list(accumulate((end for _, end in self._bounds), max))

    def covers(self, offset: int) -> bool:
        """Whether a span holds ``offset``."""
        if not self._many:
            # a loop, not any() over a generator: compiled, it is several times faster
            for start, end in self._bounds:  # noqa: SIM110
                if start <= offset < end:
                    return True
            return False
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and self._reach[i] > offset

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a span overlaps ``[start, end)``."""
        if not self._many:
            for a, b in self._bounds:  # noqa: SIM110 (as in ``covers``)
                if start < b and a < end:
                    return True
            return False
        i = bisect_left(self._starts, end) - 1
        return i >= 0 and self._reach[i] > start
