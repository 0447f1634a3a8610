"""The generator's bytes are pinned: reworking how it stores state or writes must not change them.

The digests were computed with the generator of commit 035e9dc (before it kept its
customers as compact rows and merged pre-sorted starts with same-day comebacks). A
change that is *meant* to alter the generated data updates them, and says so.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from pipelines.synth import Incident, generate

# Four days (a weekend and a month boundary, so returns cross days), an iOS incident.
GOLDEN = {
    "jsonl": "e0f876e836dc0644e6b984a1d739331c5bf4dbd03684bccd5971ceba28440dac",
    "csv": "8a53d1e6abe4f975347ad82b797d4295e44650e92fdc9a4af111de0cbf2db7b8",
}


@pytest.mark.parametrize("fmt", sorted(GOLDEN))
def test_generated_files_match_the_pinned_digest(tmp_path: Path, fmt: str) -> None:
    summary = generate(
        date(2026, 1, 30),
        date(2026, 2, 2),
        150,
        seed=13,
        landing=tmp_path / "landing",
        truth_dir=tmp_path / "truth",
        fmt=fmt,  # type: ignore[arg-type]
        incidents=[Incident.parse("2026-02-01:ios")],
    )
    digest = hashlib.sha256()
    for path in (*summary.landing_files, *summary.truth_files):
        digest.update(path.relative_to(tmp_path).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    assert (summary.conversations, summary.events) == (619, 5209)
    assert digest.hexdigest() == GOLDEN[fmt]
