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

from pipelines.sources.jsonl_fast import _plain

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
