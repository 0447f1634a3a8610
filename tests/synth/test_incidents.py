"""Incident spec grammar and YAML form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.synth import Incident, load_incidents


def test_parse_bare_channel_intent_and_key_values() -> None:
    incident = Incident.parse("2026-01-10:ios:refund:bot_version=v2")
    assert incident == Incident(date(2026, 1, 10), channel="ios", intent="refund", bot_version="v2")
    assert incident.matches(date(2026, 1, 10), "ios", "refund", "v2", "en-US")
    assert not incident.matches(date(2026, 1, 9), "ios", "refund", "v2", "en-US")
    assert not incident.matches(date(2026, 1, 11), "web", "refund", "v2", "en-US")
    bounded = Incident.parse("2026-01-10:locale=es-US:until=2026-01-12:severity=0.4")
    assert bounded.severity == 0.4 and bounded.matches(
        date(2026, 1, 12), "web", "refund", "v1", "es-US"
    )
    assert not bounded.matches(date(2026, 1, 13), "web", "refund", "v1", "es-US")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("2026-13-01", "not a YYYY-MM-DD date"),
        ("2026-01-10:tiktok", "neither a channel"),
        ("2026-01-10:ios:channel=web", "given twice"),
        ("2026-01-10:color=red", "unknown key"),
        ("2026-01-10:bot_version=v9", "bot_version"),
        ("2026-01-10:severity=2", "severity"),
        ("2026-01-10:until=2026-01-01", "before its start"),
    ],
)
def test_bad_specs_are_rejected_with_a_reason(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Incident.parse(spec)


def test_yaml_file_accepts_specs_and_mappings(tmp_path: Path) -> None:
    path = tmp_path / "incidents.yaml"
    path.write_text(
        "incidents:\n"
        "  - '2026-01-10:ios:refund'\n"
        "  - {start: 2026-01-12, locale: es-US, severity: 0.5}\n"
    )
    assert load_incidents(path) == [
        Incident(date(2026, 1, 10), channel="ios", intent="refund"),
        Incident(date(2026, 1, 12), locale="es-US", severity=0.5),
    ]
    path.write_text("incidents:\n  - {channel: ios}\n")
    with pytest.raises(ValueError, match="needs 'start'"):
        load_incidents(path)
