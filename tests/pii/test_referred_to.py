"""A first name that is also a word ("hunter", "ray"), typed in lower case after a verb
that takes a person, is a name when the next clause calls it he or she; without that,
or after a firm's name, it stays a word."""

from __future__ import annotations

import pytest

from pipelines.pii import detect


def _people(text: str) -> list[str]:
    return [text[s.start : s.end] for s in detect(text) if s.type == "PERSON"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("can i speak to hunter again? he knew what he was doing", "hunter"),
        ("ask for ray, he handled my claim last week", "ray"),
        ("can i talk to summer again? she had my file", "summer"),
    ],
)
def test_a_name_the_next_clause_calls_he_or_she(text: str, name: str) -> None:
    assert name in _people(text)


@pytest.mark.parametrize(
    "text",
    [
        "i need to talk to billing again? he said no",
        "can i talk to chase, she said the card was locked",
        "can i speak to april? she is my rep",
        "i want to ask for a refund, she said i could",
    ],
)
def test_words_and_firms_stay(text: str) -> None:
    assert _people(text) == []
