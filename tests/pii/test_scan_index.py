"""The Hyperscan index (``scan_index``) only says where the families' ``re`` scans may
match: with it and without it (``re`` alone, as on platforms without Hyperscan or with
``CLOSEDLOOP_PII_HYPERSCAN=0``) the detector must give the same spans."""

from __future__ import annotations

import json
import pickle
import random
import re

import pytest
from faker import Faker

from pipelines.pii import detector as detector_module
from pipelines.pii import scan_index
from pipelines.pii.custom import DEFAULT_CONFIG, load_custom_patterns
from pipelines.pii.detector import INDEXED_GATES, INDEXED_LOCATED, Detector
from pipelines.pii.matching import lower_twin
from tests.shared_data import shared_data

hyperscan = pytest.importorskip("hyperscan")

_TEMPLATES = [
    "Hi, my name is {name} and my phone is {phone}.",
    "Please send it to {street}, {city}. Thanks, {first}",
    "my iban is {iban} and my email {email}",
    "I have diabetes and take metformin, my PIN is {pin}",
    "hello {first} here, dob {date}, card {card}",
    "Via {last} {num}, the password: {pin}X!",
    "p a s s w o r d is S u m m e r 2 0 2 5, handle is {first}{num}",
    "{first} {last} said: call me at {phone} or email {email}",
    "ul. {last} {num} / registered to {name}",
    "The {last} family moved to {city}; my wife's name is {first}",
    "HI {first} HERE. MY NAME IS {name}, PASSCODE = {pin}",
    "allergic to penicillin, prescription for {last}ol, diagnosed with flu",
]
# Pieces around the patterns' edges: cue words glued to words, capitals, separators.
_PIECES = [
    "my", "name", "is", "Mr.", "dr", "call", "me", "hi", "here", "via", "ul.", "calle",
    "pin", "code", "pass", "otp", "IBAN", "GB82", "WEST", "1234", "5698", " ", "  ", "\t",
    "\n", ",", ":", "-", "'s", "’", "é", "ſ", "K", "diabetes", "asthma", "insulin", "x",
    "Anna", "ANNA", "anna", "0", "12", "@", "is called", "name's", "under", "the",
]  # fmt: skip


def _generated(count: int, seed: int) -> list[str]:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        values = {
            "name": fake.name(),
            "first": fake.first_name(),
            "last": fake.last_name(),
            "phone": fake.phone_number(),
            "street": fake.street_address(),
            "city": fake.city(),
            "iban": fake.iban(),
            "email": fake.email(),
            "pin": str(rng.randint(1000, 999999)),
            "date": fake.date(),
            "card": fake.credit_card_number(),
            "num": str(rng.randint(1, 999)),
        }
        out.append(rng.choice(_TEMPLATES).format(**values))
        out.append("".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40))))
    return out


def _real(limit: int) -> list[str]:
    turns: list[str] = []
    for dialogue in json.loads(shared_data("sgd/train/dialogues_001.json").read_text()):
        turns += [turn["utterance"] for turn in dialogue["turns"]]
    for path in sorted(shared_data("star/dialogues").glob("*.json"))[:200]:
        events = json.loads(path.read_text()).get("Events", [])
        turns += [e["Text"] for e in events if isinstance(e.get("Text"), str)]
    return turns[:limit]


def _index() -> scan_index.ScanIndex:
    index = scan_index.build(INDEXED_GATES, INDEXED_LOCATED)
    assert index is not None
    return index


def _on(pattern: re.Pattern[str], lowered: bool, text: str) -> tuple[re.Pattern[str], str]:
    """The pattern as the family runs it, and the text it runs on."""
    if lowered:
        return pattern, text.lower()
    if pattern.flags & re.IGNORECASE:
        return lower_twin(pattern), text.lower()
    return pattern, text


def _span(m: re.Match[str] | None) -> tuple[int, int] | None:
    return None if m is None else m.span()


def _check_index(index: scan_index.ScanIndex, texts: list[str]) -> int:
    """Every match of every indexed scan starts where the index says one can."""
    checked = 0
    for text in texts:
        hits = index.scan(text)
        if hits is None:
            assert not text.isascii()
            continue
        checked += 1
        for pattern, lowered in INDEXED_GATES:
            run, on = _on(pattern, lowered, text)
            starts = [m.start() for m in run.finditer(on)]
            first = hits.first(pattern)
            assert not starts or 0 <= first <= starts[0], (pattern.pattern[:40], text)
            for pos in (0, len(on) // 3, len(on) // 2):
                assert _span(scan_index.search(hits, pattern, on, pos, run=run)) == _span(
                    run.search(on, pos)
                ), text
                assert [m.span() for m in scan_index.finditer(hits, pattern, on, pos, run=run)] == [
                    m.span() for m in run.finditer(on, pos)
                ], text
        for pattern, lowered in INDEXED_LOCATED:
            run, on = _on(pattern, lowered, text)
            candidates = set(hits.starts(pattern))
            expected = [m.span() for m in run.finditer(on)]
            assert all(start in candidates for start, _ in expected), text
            assert [m.span() for m in hits.finditer(pattern, on, run=run)] == expected, text
    return checked


def test_index_holds_every_match_of_generated_messages() -> None:
    texts = _generated(1500, seed=3)
    assert _check_index(_index(), texts) > 1000


def test_index_holds_every_match_of_real_turns() -> None:
    texts = _real(4000)
    assert _check_index(_index(), texts) > 1000


def _both(texts: list[str]) -> None:
    custom = load_custom_patterns(DEFAULT_CONFIG)
    indexed = Detector(custom)
    plain = Detector(custom)
    plain._index = None
    assert indexed._index is not None
    differing = [t for t in texts if indexed._detect_tuple(t) != plain._detect_tuple(t)]
    assert not differing, differing[:3]


def test_detector_same_spans_with_and_without_index_generated() -> None:
    _both(_generated(1500, seed=5))


def test_detector_same_spans_with_and_without_index_real() -> None:
    _both(_real(3000))


def test_a_pickled_detector_builds_its_own_index() -> None:
    """Worker processes get the detector pickled; Hyperscan databases are not."""
    copy = pickle.loads(pickle.dumps(Detector()))
    assert copy._index is not None
    text = "Hi, my name is Anna Kowalska, IBAN GB82 WEST 1234 5698 7654 32"
    assert copy.detect(text) == Detector().detect(text)


def test_non_ascii_text_is_left_to_re() -> None:
    assert _index().scan("Café de la Paix, my name is José") is None
    assert _index().scan("my name is Jose") is not None


def test_environment_variable_turns_the_index_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(scan_index.ENV, "0")
    assert scan_index.build(INDEXED_GATES, INDEXED_LOCATED) is None
    detector_module._scan_index.cache_clear()
    try:
        assert Detector()._index is None
    finally:
        detector_module._scan_index.cache_clear()


def test_without_hyperscan_the_detector_uses_re(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a platform without the wheel: the import fails, the index is None."""
    import builtins

    real_import = builtins.__import__

    def no_hyperscan(name: str, *args: object, **kwargs: object) -> object:
        if name == "hyperscan":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_hyperscan)
    assert scan_index.build(INDEXED_GATES, INDEXED_LOCATED) is None


def test_prefixes_of_a_cue_pattern() -> None:
    """Look-arounds are left out, a leading word boundary kept, classes made explicit."""
    exprs = scan_index.prefixes(re.compile(r"(?=[mn])\b(?:my|name)\s+is", re.IGNORECASE))
    assert {width for _, width in exprs} == {3, 5}
    assert all(expr.startswith("\\b") for expr, _ in exprs)
    with pytest.raises(scan_index._Unindexable):
        scan_index.prefixes(re.compile(r"a*b"))
