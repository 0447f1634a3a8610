"""The JSONL fast path's one-regex test of a value equals its definition.

``jsonl_fast._plain`` refuses a value DuckDB may render differently from Python's
``as_text``: one starting with ``{`` or ``[``, or one a float could have been rendered as
but an integer of at most 18 digits. It is one regex; the definition is two, checked here
on the edge cases and on seeded random strings of the characters that matter.
"""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.sources.jsonl_fast import _EVENT_KEYS, _keys_ok, _plain

_FLOATISH = r"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$|^[-+]?(?i:nan|inf|infinity)$"
_INTEGER = r"^-?[0-9]{1,18}$"


def _defined(values: pa.Array) -> np.ndarray:
    suspect = pc.or_(
        pc.or_(pc.starts_with(values, "{"), pc.starts_with(values, "[")),
        pc.and_(
            pc.match_substring_regex(values, _FLOATISH),
            pc.invert(pc.match_substring_regex(values, _INTEGER)),
        ),
    )
    return ~pc.fill_null(suspect, False).to_numpy(zero_copy_only=False)


def test_the_one_regex_refuses_exactly_what_the_definition_refuses():
    edges = [None, "", "-", "+", ".", "e", "1e", "1e5", "1E-5", "+1", "-1", "0", "-0", "00"]
    edges += ["1" * 18, "1" * 19, "-" + "1" * 18, "-" + "1" * 19, "+" + "1" * 18, "1.", ".5"]
    edges += ["-.5", "+.5e-3", "nan", "NaN", "-inf", "+Infinity", "infinit", "{", "[", "{a"]
    edges += [" 1", "1 ", "1\n", "\n1", "2026-01-04T18:00:00-06:00", "v1", "text"]
    rng = random.Random(7)
    alphabet = "0123456789+-.eEnNaAiIfFtTyY{[ x\n"
    values = edges + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(50_000)
    ]
    values += [str(rng.randint(-(10**25), 10**25)) for _ in range(5_000)]
    values += [repr(rng.uniform(-1e6, 1e6)) for _ in range(5_000)]
    array = pa.array(values, pa.string())
    defined = _defined(array)
    assert defined.any() and not defined.all()
    assert (_plain(array) == defined).all()


def test_the_first_byte_shortcut_sees_sliced_arrays_nulls_and_any_byte():
    # _plain reads the values' first bytes from the array's buffers: a slice (an offset
    # into the buffers), nulls over non-empty data and multi-byte characters included.
    rng = random.Random(11)
    alphabet = ["0", "9", "+", "-", ".", "e", "n", "N", "i", "I", "{", "[", "a", "é", "€", " "]
    values = [
        None if rng.random() < 0.1 else "".join(rng.choices(alphabet, k=rng.randint(0, 6)))
        for _ in range(20_000)
    ]
    # One-byte values, then every first byte a suspect value may start with, in each case.
    values += ["1", "-", "+", ".", "n", "I", "{", "["]
    suspects = ["Inf", "INFINITY", "iNfInItY", "NaN", "nAN", "-Inf", "+nan", ".5", "-1.5", "+7"]
    suspects += ["9e9", "{}", "[1]", "{", "[", "1" * 19, "-" + "2" * 19]
    suspects += [f"{digit}.5" for digit in "0123456789"]
    values += suspects
    array = pa.array(values, pa.string())
    assert not _defined(array[-len(suspects) :]).any()
    for start, stop in ((0, len(values)), (1, 5_000), (777, 19_999), (12_000, 12_000)):
        piece = array.slice(start, stop - start)
        assert (_plain(piece) == _defined(piece)).all()
    events = pa.array([{"text": v} for v in values]).field("text")  # a struct's child
    assert (_plain(events) == _defined(events)).all()
    assert _plain(pa.nulls(3, pa.string())).all() and _plain(pa.array(["", ""])).all()


def _keys_ok_by_counting(keys: pa.ListArray, known: pa.Array) -> np.ndarray:
    """The definition: every (list, key) pair counted."""
    n = len(keys)
    lengths = pc.fill_null(pc.list_value_length(keys), 0).to_numpy()
    codes = pc.index_in(keys.flatten(), value_set=known)
    parents = pc.list_parent_indices(keys).to_numpy()
    unknown = np.bincount(
        parents, weights=pc.is_null(codes).to_numpy(zero_copy_only=False), minlength=n
    )
    slots = parents * len(known) + pc.fill_null(codes, 0).to_numpy()
    repeated = np.bincount(slots, minlength=n * len(known)).reshape(n, len(known)).max(axis=1)
    return (
        keys.is_valid().to_numpy(zero_copy_only=False)
        & (lengths > 0)
        & (unknown == 0)
        & (repeated <= 1)
    )


def test_key_checks_equal_their_definition():
    rng = random.Random(5)
    known = _EVENT_KEYS
    names = [*known.to_pylist(), "extra", "Text", ""]
    lists = [
        None
        if rng.random() < 0.05
        else [rng.choice(names) for _ in range(rng.choice([0, 1, 2, 3, 5, 7, 8, 9]))]
        for _ in range(20_000)
    ]
    # Mostly well-formed lists, as in real files: each known key once, in order.
    lists += [known.to_pylist()[: rng.randint(1, len(known))] for _ in range(5_000)]
    array = pa.array(lists, pa.list_(pa.string()))
    for piece in (array, array.slice(3, 17_000), array.take(pa.array([5, 1, 1, 20_001]))):
        assert (_keys_ok(piece, known) == _keys_ok_by_counting(piece, known)).all()
    assert _keys_ok(pa.array([], pa.list_(pa.string())), known).shape == (0,)
