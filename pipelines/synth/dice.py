"""A fast, seeded source of random draws for the generator.

Every random choice in a run flows from one ``numpy.random.Generator`` so a seed
fully determines the output. Scalar calls into numpy cost about a microsecond
each, and a conversation needs dozens of draws, so uniforms are drawn in blocks
and served from a Python list (the draw order is still fixed by the seed).
"""

from __future__ import annotations

import math
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import Generic, TypeVar

import numpy as np

T = TypeVar("T")

_BLOCK = 1 << 16


class Dice:
    """Uniform-based draws (chance, pick, weighted pick, ranges) from a numpy Generator."""

    __slots__ = ("_buffer", "_index", "rng")

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self._buffer: list[float] = []
        self._index = _BLOCK
        self._refill()

    def _refill(self) -> None:
        self._buffer = self.rng.random(_BLOCK).tolist()
        self._index = 0

    def uniform(self) -> float:
        """A float in [0, 1)."""
        if self._index == _BLOCK:
            self._refill()
        value = self._buffer[self._index]
        self._index += 1
        return value

    def chance(self, probability: float) -> bool:
        return self.uniform() < probability

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.uniform() * len(items))]

    def index(self, size: int) -> int:
        """An index in [0, size): what ``pick`` would choose from ``size`` items."""
        return int(self.uniform() * size)

    def between(self, low: float, high: float) -> float:
        return low + (high - low) * self.uniform()

    def integer(self, low: int, high: int) -> int:
        """An int in [low, high] inclusive."""
        return low + int(self.uniform() * (high - low + 1))

    def exponential(self, mean: float) -> float:
        return -mean * math.log(1.0 - self.uniform())


class Weighted(Generic[T]):
    """A fixed weighted choice, precomputed once so each draw is one bisect."""

    __slots__ = ("_cumulative", "_items", "_total")

    def __init__(self, weights: dict[T, float] | Sequence[tuple[T, float]]) -> None:
        pairs = list(weights.items()) if isinstance(weights, dict) else list(weights)
        if not pairs or any(weight < 0 for _, weight in pairs):
            raise ValueError(f"weights must be non-empty and non-negative: {pairs}")
        self._items = [item for item, _ in pairs]
        self._cumulative = list(accumulate(weight for _, weight in pairs))
        self._total = self._cumulative[-1]
        if self._total <= 0:
            raise ValueError(f"weights must not all be zero: {pairs}")

    def draw(self, dice: Dice) -> T:
        index = bisect(self._cumulative, dice.uniform() * self._total)
        return self._items[min(index, len(self._items) - 1)]
