"""Ids, file names and keys that travel next to the scrubbed text."""

from __future__ import annotations

import pytest

from pipelines.pii.identifiers import looks_personal, safe_conversation_id, safe_file_label
from pipelines.pii.pseudonym import WeakKeyError, key_from_env

KEY = bytes(range(32))


@pytest.mark.parametrize(
    "conversation_id",
    [
        "conv-000123",
        "12345678",
        "zd:ticket:98765",
        "2025-03-04-c0",
        "215467387298475x",
        # 15 digits that pass Luhn: date-and-counter ids look like cards one time in ten
        "syn-7-20260301-000005",
    ],
)
def test_ordinary_ids_are_kept_for_lookups_in_the_source_platform(conversation_id):
    assert safe_conversation_id(conversation_id, KEY) == conversation_id


@pytest.mark.parametrize(
    "conversation_id",
    [
        "cid.alice.planted@example.org",
        "thread-415-555-0188",
        "whatsapp:+14155550132",
        "123-45-6789",
    ],
)
def test_personal_ids_become_stable_keyed_pseudonyms(conversation_id):
    safe = safe_conversation_id(conversation_id, KEY)
    assert safe.startswith("cv_") and not looks_personal(safe)
    assert safe == safe_conversation_id(conversation_id, KEY)
    assert safe != safe_conversation_id(conversation_id, bytes(32))


@pytest.mark.parametrize(
    ("source_file", "expected"),
    [
        ("dt=2026-11-20/zendesk_export.json", "dt=2026-11-20/zendesk_export.json"),
        ("dt=2026-11-20/tickets_2026-11-20.csv.gz", "dt=2026-11-20/tickets_2026-11-20.csv.gz"),
    ],
)
def test_ordinary_file_names_are_kept(source_file, expected):
    assert safe_file_label(source_file) == expected


@pytest.mark.parametrize(
    "source_file",
    [
        "dt=2026-11-20/export_for_mia.planted@example.org_415-555-0133.jsonl",
        "dt=2026-11-20/john.smith@example.com.csv",
        "dt=2026-11-20/tickets for John Smith.csv",
    ],
)
def test_personal_file_names_become_digests_keeping_folder_and_format(source_file):
    label = safe_file_label(source_file)
    folder, name = label.split("/")
    assert folder == "dt=2026-11-20" and name.startswith("file-")
    assert name.endswith(".csv") or name.endswith(".jsonl")
    assert "example" not in label and "Smith" not in label and "415" not in label


@pytest.mark.parametrize("weak", ["ab", "short key", "00" * 15])
def test_a_short_key_from_the_environment_is_refused(monkeypatch, weak):
    monkeypatch.delenv("CLOSEDLOOP_PII_KEY_FILE", raising=False)
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY", weak)
    with pytest.raises(WeakKeyError, match="too short"):
        key_from_env()


def test_a_long_enough_key_is_accepted(monkeypatch):
    monkeypatch.delenv("CLOSEDLOOP_PII_KEY_FILE", raising=False)
    monkeypatch.setenv("CLOSEDLOOP_PII_KEY", "00" * 16)
    assert key_from_env() == bytes(16)
