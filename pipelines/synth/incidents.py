"""Injected incidents: from a date on, a slice of conversations goes badly.

Spec grammar (``Incident.parse``)::

    SPEC    := DATE (":" FILTER)*
    DATE    := YYYY-MM-DD                       first affected day (started_at, UTC)
    FILTER  := CHANNEL | INTENT | KEY "=" VALUE
    CHANNEL := web | ios | android | email      a bare channel name
    INTENT  := one of pipelines.synth.intents.INTENT_NAMES (a bare intent name)
    KEY     := channel | intent | bot_version | locale | until | severity

``until=YYYY-MM-DD`` is the last affected day (default: open-ended);
``severity`` in (0, 1] scales how much the bot's real solve rate drops (default
0.7). Filters are ANDed; a key given twice is an error. Examples::

    2026-01-10:ios:refund:bot_version=v2
    2026-01-10:intent=creator_payout:until=2026-01-14:severity=0.5

The YAML form is a file with an ``incidents`` list whose items are spec strings
or mappings with the same keys plus ``start``::

    incidents:
      - "2026-01-10:ios:refund"
      - {start: 2026-01-12, locale: es-US, severity: 0.5}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from pipelines.synth.intents import BOT_VERSIONS, INTENT_NAMES
from schemas.canonical import CHANNELS

_FILTER_KEYS = ("channel", "intent", "bot_version", "locale")
LOCALES = ("en-US", "es-US")
DEFAULT_SEVERITY = 0.7


@dataclass(frozen=True)
class Incident:
    """A degraded slice: conversations started on/after ``start`` matching every filter."""

    start: date
    until: date | None = None
    channel: str | None = None
    intent: str | None = None
    bot_version: str | None = None
    locale: str | None = None
    severity: float = DEFAULT_SEVERITY

    def __post_init__(self) -> None:
        _check_choice("channel", self.channel, CHANNELS)
        _check_choice("intent", self.intent, INTENT_NAMES)
        _check_choice("bot_version", self.bot_version, BOT_VERSIONS)
        _check_choice("locale", self.locale, LOCALES)
        if not 0 < self.severity <= 1:
            raise ValueError(f"incident severity must be in (0, 1], got {self.severity}")
        if self.until is not None and self.until < self.start:
            raise ValueError(f"incident until={self.until} is before its start {self.start}")

    @classmethod
    def parse(cls, spec: str) -> Incident:
        """Parse ``DATE[:FILTER...]`` (grammar in the module docstring)."""
        head, *tokens = spec.strip().split(":")
        fields: dict[str, Any] = {"start": _parse_date(head, spec)}
        for token in tokens:
            if "=" in token:
                key, value = (part.strip() for part in token.split("=", 1))
            elif token in CHANNELS:
                key, value = "channel", token
            elif token in INTENT_NAMES:
                key, value = "intent", token
            else:
                raise ValueError(
                    f"incident {spec!r}: {token!r} is neither a channel {CHANNELS}, "
                    "an intent name, nor key=value"
                )
            if key in fields:
                raise ValueError(f"incident {spec!r}: {key} given twice")
            fields[key] = _convert(key, value, spec)
        return cls(**fields)

    def matches_day(self, day: date) -> bool:
        return self.start <= day and (self.until is None or day <= self.until)

    def matches(self, day: date, channel: str, intent: str, bot_version: str, locale: str) -> bool:
        return (
            self.matches_day(day)
            and self.channel in (None, channel)
            and self.intent in (None, intent)
            and self.bot_version in (None, bot_version)
            and self.locale in (None, locale)
        )


def load_incidents(path: Path) -> list[Incident]:
    """Read incidents from a YAML file (form in the module docstring)."""
    document = yaml.safe_load(path.read_text())
    if not isinstance(document, dict) or not isinstance(document.get("incidents"), list):
        raise ValueError(f"{path}: expected a mapping with an 'incidents' list")
    incidents = []
    for position, item in enumerate(document["incidents"]):
        where = f"{path}: incidents[{position}]"
        if isinstance(item, str):
            incidents.append(Incident.parse(item))
        elif isinstance(item, dict):
            unknown = sorted(set(item) - {"start", "until", "severity", *_FILTER_KEYS})
            if unknown or "start" not in item:
                raise ValueError(f"{where}: needs 'start'; unknown keys {unknown}")
            fields = {key: _convert(key, str(value), where) for key, value in item.items()}
            incidents.append(Incident(**fields))
        else:
            raise ValueError(f"{where}: expected a spec string or a mapping, got {item!r}")
    return incidents


def _convert(key: str, value: str, where: str) -> Any:
    if key in ("start", "until"):
        return _parse_date(value, where)
    if key == "severity":
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"{where}: severity {value!r} is not a number") from None
    if key in _FILTER_KEYS:
        return value
    raise ValueError(f"{where}: unknown key {key!r}; known: {[*_FILTER_KEYS, 'until', 'severity']}")


def _parse_date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a YYYY-MM-DD date") from None


def _check_choice(name: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise ValueError(f"incident {name} {value!r} is not one of {list(allowed)}")
