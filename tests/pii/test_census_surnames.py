"""Surnames of the US Census 2000 list that the 1990 list and Faker miss ("Manalo",
"Laguerre", "Macaraeg", "Negash"), typed in lower case: after a
relative's name, after a first name in an object's slot, beside another full name. The
list keeps no English word, so words after a name stay words."""

from __future__ import annotations

import pytest

from pipelines.pii import detect
from pipelines.pii.names import gazetteer


def _people(text: str) -> list[str]:
    return [text[s.start : s.end] for s in detect(text) if s.type == "PERSON"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("package for nestor macaraeg was left at MLK Blvd, wrong address", "nestor macaraeg"),
        ("kevin turner and rommel manalo both share this account", "rommel manalo"),
        ("Please mail it to my son dieudonne negash, he lives in Ohio", "dieudonne negash"),
        ("My father bryan laguerre is in the hospital since Monday", "bryan laguerre"),
        ("My sister hyejin manalo is taking over the plan in May", "hyejin manalo"),
    ],
)
def test_census_surnames_after_first_names(text: str, name: str) -> None:
    assert name in _people(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("My son bryan neighbor said the Wi-Fi is down", "neighbor"),
        ("My father bryan young and old alike love the app", "young"),
        ("Ship it to my wife maria today please, Thanks", "today"),
    ],
)
def test_words_after_a_relatives_name_stay_words(text: str, kept: str) -> None:
    assert not any(kept in person.split() for person in _people(text))


def test_the_list_holds_no_english_word() -> None:
    names = gazetteer()
    assert {"manalo", "laguerre", "macaraeg", "negash"} <= names.census_surnames
    assert not {"neighbor", "young", "hong", "white"} & names.census_surnames
