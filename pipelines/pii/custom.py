"""Site-specific identifiers (order ids, member numbers, ...) configured in YAML.

The file holds a list under ``custom_patterns``; each item has ``name`` (the entity
type, upper-case), ``regex`` (Python syntax) and optional ``score`` (default 1.0)::

    custom_patterns:
      - name: ORDER_ID
        regex: '\\bORD-\\d{8}\\b'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipelines.pii.native import PACKAGE_DIR

DEFAULT_CONFIG = PACKAGE_DIR / "patterns.yaml"
_TYPE_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


@dataclass(frozen=True)
class CustomPattern:
    """A compiled site-specific pattern whose matches are scrubbed as ``name``."""

    name: str
    regex: re.Pattern[str]
    score: float = 1.0
    literal: str | None = field(init=False, repr=False, compare=False)
    # Whether the pattern ignores case (so its literal is looked for lower-cased). Kept
    # as a bool: ``regex.flags & re.IGNORECASE`` per message is an enum operation.
    ignores_case: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "literal", _required_literal(self.regex))
        object.__setattr__(self, "ignores_case", bool(self.regex.flags & re.IGNORECASE))

    def __reduce__(self) -> tuple[type[CustomPattern], tuple[str, re.Pattern[str], float]]:
        # Rebuilt from the fields ``__init__`` takes: compiled (``pipelines.pii.native``),
        # a frozen dataclass cannot be unpickled field by field.
        return (CustomPattern, (self.name, self.regex, self.score))

    def finditer(self, text: str, lowered: str | None = None) -> Iterator[re.Match[str]]:
        """The matches in ``text``; none without the literal every match starts with
        (in ``lowered``, ``text.lower()``, when the pattern ignores case; computed here
        when not given)."""
        literal = self.literal
        if literal is not None:
            if self.ignores_case:
                if literal not in (text.lower() if lowered is None else lowered):
                    return iter(())
            elif literal not in text:
                return iter(())
        return self.regex.finditer(text)


# Letters, digits and dashes right after a leading \b: 'ORD-' in '\bORD-\d{8}\b'.
_LEADING_LITERAL = re.compile(r"[A-Za-z0-9-]+")
# The only ASCII letters and digits that ``re`` matches, ignoring case, with a character
# that ``str.lower`` does not turn into them: "i" ("İ", "ı") and "s" ("ſ"). Checked over
# every code point in tests/pii/test_conversation_and_keys.py.
_FOLDS_APART = frozenset("is")


def _required_literal(regex: re.Pattern[str]) -> str | None:
    """The literal text every match of ``regex`` starts with, when the pattern plainly
    has one ('\bORD-' ...), else None.

    A pattern that opens with \b has no literal prefix for ``re`` to skip to, so it is
    tried at every position of every message (a few percent of the detector's time for
    the default ORDER_ID pattern); a substring test first is exact and costs almost
    nothing. For a pattern that ignores case (the flag, or a leading "(?i)") the literal
    is lower-cased, to be looked for in the lower-cased text: every character ``re``
    matches with one of its letters lowers to that letter, except for "i" and "s"
    (``_FOLDS_APART``), so a literal holding either gets none. Conservative: no literal
    for patterns with an alternation, and a character followed by a quantifier is not
    part of it."""
    source = regex.pattern.removeprefix("(?i)")
    if "|" in source or not source.startswith("\\b"):
        return None
    run = _LEADING_LITERAL.match(source, 2)
    if run is None:
        return None
    literal = run.group()
    if source[run.end() : run.end() + 1] in ("?", "*", "+", "{"):
        literal = literal[:-1]
    if regex.flags & re.IGNORECASE:
        literal = literal.lower()
        if not _FOLDS_APART.isdisjoint(literal):
            return None
    return literal or None


def load_custom_patterns(path: Path = DEFAULT_CONFIG) -> tuple[CustomPattern, ...]:
    """Read and compile the patterns in ``path``; errors name the file and the item."""
    loaded = yaml.safe_load(Path(path).read_text()) or {}
    items = loaded.get("custom_patterns", []) if isinstance(loaded, dict) else None
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected a mapping with a 'custom_patterns' list")
    patterns: list[CustomPattern] = []
    for index, item in enumerate(items):
        where = f"{path}: custom_patterns[{index}]"
        if not isinstance(item, dict) or not {"name", "regex"} <= item.keys():
            raise ValueError(f"{where}: needs 'name' and 'regex'")
        name = str(item["name"])
        if not _TYPE_NAME.fullmatch(name):
            raise ValueError(f"{where}: name {name!r} must be UPPER_SNAKE_CASE")
        try:
            regex = re.compile(str(item["regex"]))
        except re.error as exc:
            raise ValueError(f"{where}: invalid regex: {exc}") from exc
        patterns.append(CustomPattern(name, regex, float(item.get("score", 1.0))))
    return tuple(patterns)
