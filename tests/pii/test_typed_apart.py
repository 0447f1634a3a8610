"""Values typed apart in short fragments after the word that names them."""

from __future__ import annotations

import pytest

from pipelines.pii import detect


def _found(text: str) -> list[tuple[str, str]]:
    return [(s.type, text[s.start : s.end]) for s in detect(text)]


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("my pswrd is Win ter 2 0 2 4 #, thx", "CREDENTIAL", "Win ter 2 0 2 4 #"),
        ("gamer hndl is N i g h t O w l 7, add me", "USERNAME", "N i g h t O w l 7"),
        ("wife's name is Mar ia Lo pez, pls updt", "PERSON", "Mar ia Lo pez"),
        ("the M A C is 3 C :2 F :0 0 :1 A :9 B :4 4 fyi", "MAC_ADDRESS", "3 C :2 F :0 0 :1 A"),
    ],
)
def test_values_typed_apart_after_their_cue(text: str, entity: str, value: str) -> None:
    assert any(t == entity and value in v for t, v in _found(text)), _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "my name is on the list",
        "the key is in the box by the door",
        "Why won't you let me name X as a beneficiary?",
    ],
)
def test_ordinary_words_after_a_cue_are_not_values(text: str) -> None:
    assert _found(text) == []
