"""Site-specific identifiers (order ids, member numbers, ...) configured in YAML.

The file holds a list under ``custom_patterns``; each item has ``name`` (the entity
type, upper-case), ``regex`` (Python syntax) and optional ``score`` (default 1.0)::

    custom_patterns:
      - name: ORDER_ID
        regex: '\\bORD-\\d{8}\\b'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_CONFIG = Path(__file__).with_name("patterns.yaml")
_TYPE_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


@dataclass(frozen=True)
class CustomPattern:
    """A compiled site-specific pattern whose matches are scrubbed as ``name``."""

    name: str
    regex: re.Pattern[str]
    score: float = 1.0


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
