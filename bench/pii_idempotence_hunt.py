"""Hunt for messages that scrub differently the second time.

tests/pii/test_scrub_properties.py checks on 300 random messages per run that scrubbing
is idempotent; a rare failure then turns CI red at random. This builds many more
messages the same way (the test's fragments, joined with short random text), scrubs
each twice and prints those whose second scrub changed something, so a class of
failures can be found and fixed before CI meets it. Seeded: the same arguments give
the same messages.

    .venv/bin/python bench/pii_idempotence_hunt.py --seed 1 --messages 30000
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipelines.pii import scrub
from tests.pii.test_scrub_properties import _FRAGMENTS

# Letters, digits and the punctuation that makes tokens awkward (placeholders, emails,
# handles, quoting), plus two accented letters.
_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;!?'-/@#()<>_\n\téü"


def message(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 8)):
        if rng.random() < 0.7:
            parts.append(rng.choice(_FRAGMENTS))
        else:
            parts.append("".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 12))))
    # as the property test: a number is followed by a word (two numbers with only a
    # space between them are one run, a known limit)
    return " ".join(part + " ok" if part[-1:].isdigit() else part for part in parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--messages", type=int, default=30000)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failures = 0
    for _ in range(args.messages):
        text = message(rng)
        once = scrub(text).text
        twice = scrub(once).text
        if twice != once:
            failures += 1
            print(f"{text!r}\n  once:  {once!r}\n  twice: {twice!r}")
    print(f"{failures} of {args.messages} messages scrubbed differently the second time")


if __name__ == "__main__":
    main()
