"""Numbering within a conversation, pseudonyms and the key file."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from pipelines.pii import (
    ConversationScrubber,
    load_custom_patterns,
    load_or_create_key,
    pseudonymize,
    scrub_conversation,
)
from pipelines.pii.detector import Detector


def test_numbering_is_consistent_within_a_conversation() -> None:
    results = scrub_conversation(
        [
            "Hi, my name is John Smith, call 415-555-0132",
            None,
            "Sure. Is it jane@corp.com or JOHN@corp.com?",
            "john@corp.com. Thanks, John. Also my wife is Jane Doe, +1 415 555 0132",
        ]
    )
    texts = [r.text if r else None for r in results]
    assert texts[0] == "Hi, my name is <PERSON_1>, call <PHONE_1>"
    assert texts[1] is None
    assert texts[2] == "Sure. Is it <EMAIL_1> or <EMAIL_2>?"
    assert texts[3] == "<EMAIL_2>. Thanks, <PERSON_1>. Also my wife is <PERSON_2>, <PHONE_1>"


def test_numbering_restarts_per_conversation() -> None:
    first, second = ConversationScrubber(), ConversationScrubber()
    assert first.scrub("mail a@b.com").text == "mail <EMAIL_1>"
    assert first.scrub("mail c@d.com").text == "mail <EMAIL_2>"
    assert second.scrub("mail c@d.com").text == "mail <EMAIL_1>"


def test_pseudonym_is_stable_and_key_dependent() -> None:
    key_a, key_b = b"a" * 32, b"b" * 32
    assert pseudonymize("cust-42", key_a) == pseudonymize("cust-42", key_a)
    assert pseudonymize("cust-42", key_a) != pseudonymize("cust-42", key_b)
    assert pseudonymize("cust-42", key_a) != pseudonymize("cust-43", key_a)
    assert pseudonymize(None, key_a) is None
    value = pseudonymize("cust-42", key_a)
    assert value is not None and value.startswith("c_") and "cust" not in value


def test_key_file_is_created_once_with_0600(tmp_path: Path) -> None:
    key_file = tmp_path / "raw" / "pii.key"
    key, created = load_or_create_key(key_file)
    assert created and len(key) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again, created_again = load_or_create_key(key_file)
    assert again == key and not created_again


def test_custom_patterns_from_yaml(tmp_path: Path) -> None:
    config = tmp_path / "patterns.yaml"
    config.write_text("custom_patterns:\n  - name: MEMBER_ID\n    regex: 'MBR\\d{6}'\n")
    detector = Detector(load_custom_patterns(config))
    assert [s.type for s in detector.detect("member MBR123456 here")] == ["MEMBER_ID"]
    config.write_text("custom_patterns:\n  - name: bad name\n    regex: 'x'\n")
    with pytest.raises(ValueError, match="UPPER_SNAKE_CASE"):
        load_custom_patterns(config)


def test_custom_patterns_match_as_written(tmp_path: Path) -> None:
    """Patterns opening with a word boundary and a literal are searched only in messages
    holding the literal; an optional character is not required."""
    config = tmp_path / "patterns.yaml"
    config.write_text(
        "custom_patterns:\n"
        "  - name: TICKET\n    regex: '\\bTKT?-\\d{4}\\b'\n"
        "  - name: MEMBER\n    regex: '\\bmem\\d{5}|\\bMBR\\d{5}'\n"
    )
    detector = Detector(load_custom_patterns(config))
    found = detector.detect("tickets TK-1234 and TKT-5678, not XTKT-9999; MBR12345 mem54321")
    assert [(s.type, s.start) for s in found] == [
        ("TICKET", 8), ("TICKET", 20), ("MEMBER", 45), ("MEMBER", 54)
    ]  # fmt: skip


def test_custom_patterns_ignoring_case_use_the_lowered_literal(tmp_path: Path) -> None:
    """A pattern that ignores case is looked for behind its lower-cased literal, in the
    lower-cased text; a literal holding "i" or "s" (letters ``re`` folds with characters
    that lower to something else) gets none, so "ſ" still matches."""
    from pipelines.pii.custom import CustomPattern

    order = CustomPattern("ORDER_ID", re.compile(r"(?i)\bORD-\d{8}\b"))
    assert order.literal == "ord-"
    text = "ord-12345678, ORD-87654321 and Ord-11223344 but not XORD-12345678"
    assert [m.group() for m in order.finditer(text)] == [
        "ord-12345678", "ORD-87654321", "Ord-11223344"
    ]  # fmt: skip
    assert [m.group() for m in order.finditer(text, text.lower())] == [
        "ord-12345678", "ORD-87654321", "Ord-11223344"
    ]  # fmt: skip
    assert list(order.finditer("no order here")) == []
    member = CustomPattern("MEMBER", re.compile(r"\bMS-\d{4}\b", re.IGNORECASE))
    assert member.literal is None
    assert [m.group() for m in member.finditer("id mſ-1234")] == ["mſ-1234"]


def test_only_i_and_s_fold_apart_from_lower() -> None:
    """The premise of the lowered literal: among ASCII letters, digits, "-" and "_", only
    "i" and "s" match (ignoring case) a character that does not lower to them."""
    from pipelines.pii.custom import _FOLDS_APART

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    apart = {
        char
        for char in "abcdefghijklmnopqrstuvwxyz0123456789-_"
        if any(found.lower() != char for found in re.findall("(?i)" + re.escape(char), every))
    }
    assert apart == set(_FOLDS_APART)
