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


def test_cue_word_gate_passes_every_cue_the_scan_reads() -> None:
    """The pre-gate of spaced values (a word whose skeleton is a cue's, single blanks
    allowed) passes wherever the cue scan finds a cue, and stays linear on hostile runs."""
    import time

    from pipelines.pii import cues

    cued = [
        "my pass is Sum mer 2 0 2 5 !",
        "hndl is P l a y e r A B C",
        "M A C is 2 H :2 A :3 5",
        "Prtnr Ol ivia R ose Cl ark",
        "D O B is 1 2 0 3 1 9 9 0",
        "the Passwd = a b c 1 2 3",
        "wllt b c 1 q x y z",
    ]
    for text in cued:
        assert any(map(cues._spaced_cue_type, set(cues._SPACED_CUE.findall(text))))
        assert cues._SPACED_CUE_WORD.search(text.lower()) is not None
    assert cues._SPACED_CUE_WORD.search("ship the replacement to me") is None
    started = time.process_time()
    for hostile in ("u " * 50_000, "n a " * 30_000, "p" + "a" * 100_000):
        cues._SPACED_CUE_WORD.search(hostile)
    assert time.process_time() - started < 2


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the span is the name's fragments, not the short words that follow it
        ("My name is Car ter and I need a new card for my son", "Car ter"),
        ("Prtnr Ol ivia R ose Cl ark, pls add", "Ol ivia R ose Cl ark"),
        # a name typed whole, then "I": not a name typed apart ("Marki")
        ("My name is Mark I would like to book a room", "Mark"),
    ],
)
def test_a_name_typed_apart_ends_where_its_fragments_do(text: str, name: str) -> None:
    assert [v for t, v in _found(text) if t == "PERSON"] == [name]
