"""Score the detector on development chat sets 3-7 (bench/pii_chat_dev3_templates.py;
bench/pii_chat_dev4_templates.py, pii_chat_dev5_templates.py and pii_chat_dev6_templates.py:
names only; pii_chat_dev7_templates.py: account numbers, member IDs and phones).

Development data, written blind (the module's docstring says how): rules are changed
against it, so its figures say how much of a class the rules now cover, not how they do
on text nobody tuned against (bench/pii_chat_heldout.py measures that). Per kind: the
share of planted values scrubbed whole by one span (any type), and the share typed as
expected (PERSON for names; accounts and member IDs: BANK_ACCOUNT or ID_NUMBER, as the
held-out chat set counts them; phones: PHONE); then negative
messages flagged and spans outside every planted value. "no word left": the share of
planted values none of whose words stays outside every span (a name written last name
first, "Kim, Jia", may be scrubbed as two spans: not whole, nothing left).

    .venv/bin/python bench/pii_chat_dev3.py [--set 4|5|6|7] [--show KIND ...]   # KIND: account, first, ...

With ``--show fp`` the negative messages flagged and the spans outside planted values.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pii_chat_dev3_templates
import pii_chat_dev4_templates
import pii_chat_dev5_templates
import pii_chat_dev6_templates
import pii_chat_dev7_templates

from pipelines.pii import Detector, scrub
from pipelines.pii.custom import DEFAULT_CONFIG, load_custom_patterns
from pipelines.pii.native import active

_WORD = re.compile(r"[^\W_]+")
# The types a planted value of a kind may be scrubbed as to count as typed (names: PERSON).
_EXPECTED = {
    "account": {"BANK_ACCOUNT", "ID_NUMBER", "ROUTING_NUMBER"},  # set 3 plants routing numbers
    "member": {"BANK_ACCOUNT", "ID_NUMBER"},
    "phone": {"PHONE"},
}
NAME_KINDS = {"first", "full_lower", "last", "full", "apos", "lname", "last_lower"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=int, choices=(3, 4, 5, 6, 7), default=3)
    parser.add_argument("--show", nargs="*", default=None, help="print misses of these kinds")
    args = parser.parse_args()
    sets = {
        3: pii_chat_dev3_templates,
        4: pii_chat_dev4_templates,
        5: pii_chat_dev5_templates,
        6: pii_chat_dev6_templates,
        7: pii_chat_dev7_templates,
    }
    build = sets[args.set].build
    detector = Detector(load_custom_patterns(DEFAULT_CONFIG))
    records = build()
    total, whole, typed, clean = Counter(), Counter(), Counter(), Counter()
    misses: dict[str, list[str]] = defaultdict(list)
    negatives = flagged = outside = 0
    for record in records:
        text = record["text"]
        # as ``closedloop pii scrub`` scrubs a {"id","text"} line: speaker unknown
        spans = scrub(text, detector).spans
        if not record["spans"]:
            negatives += 1
            flagged += bool(spans)
            if spans:
                misses["fp"].append(f"{text!r}: {[text[s.start : s.end] for s in spans]}")
        planted = [(a, b) for _, a, b in record["spans"]]
        outside += sum(not any(s.start < b and a < s.end for a, b in planted) for s in spans)
        for kind, a, b in record["spans"]:
            total[kind] += 1
            covering = [s for s in spans if s.start <= a and s.end >= b]
            whole[kind] += bool(covering)
            clean[kind] += all(
                any(s.start <= w.start() and w.end() <= s.end for s in spans)
                for w in _WORD.finditer(text, a, b)
            )
            expected = _EXPECTED.get(kind, {"PERSON"})
            typed[kind] += any(s.type in expected for s in covering)
            if not covering:
                misses[kind].append(f"{text[a:b]!r} in {text!r}")
    print(
        f"dev chat set {args.set}: {len(records)} messages; engine {'compiled' if active() else 'pure'}"
    )
    print(f"{'kind':12s} {'planted':>8s} {'whole':>7s} {'typed':>7s} {'no word left':>13s}")
    for kind in ("account", "member", "phone", *sorted(NAME_KINDS)):
        n = total[kind]
        if not n:
            continue
        print(
            f"{kind:12s} {n:8d} {whole[kind] / n:7.3f} {typed[kind] / n:7.3f} {clean[kind] / n:13.3f}"
        )
    print(f"negative messages flagged: {flagged} of {negatives}; spans outside values: {outside}")
    for kind in args.show or []:
        print(f"--- {kind}: {len(misses[kind])} missed")
        for line in misses[kind]:
            print("   ", line[:200])


if __name__ == "__main__":
    main()
