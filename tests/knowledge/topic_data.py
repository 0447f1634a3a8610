"""Opening turns for the topic tests: the synthetic generator's, plus planted topics.

The planted topics are phrased here, not by the generator, in words the demo KB
never uses, so they are what an unanswered topic looks like. A planted topic that
shares its key words with an answered one ("gift card balance" next to the
generator's "coins balance") is split between them: see docs/knowledge-base.md.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.synth import generate

PLANTED = {
    "family_pairing": (
        "how do i set up family pairing for {who}",
        "family pairing {problem}",
        "parental controls for {who} {problem}",
        "can I link {who} with family pairing",
        "screen time limits from family pairing {problem}",
    ),
    "duet": (
        "the duet button is {state} on my videos",
        "why can't people duet my {thing}",
        "duet option {state} since the update",
        "how do i turn on duets for my {thing}",
        "my followers say duet is {state} for my {thing}",
    ),
}
FILLERS = {
    "who": ("my son", "my daughter", "my teen", "my kids", "my 13 year old"),
    "problem": ("not working", "stopped working", "won't connect", "keeps unlinking", "is broken"),
    "state": ("greyed out", "missing", "gone", "disabled", "not there"),
    "thing": ("videos", "posts", "lives", "clips", "sounds"),
}


def synthetic_openings(root: Path, start: date, days: int, per_day: int, seed: int) -> pd.DataFrame:
    """``conversation_id, text, intent, conversation_date, resolved`` of generated data."""
    generate(
        start, start + timedelta(days=days - 1), per_day, seed, root / "landing", root / "truth"
    )
    rows = []
    for path in sorted((root / "landing").rglob("*.jsonl")):
        for line in path.read_text().splitlines():
            conversation = json.loads(line)
            first = next(
                (
                    event["text"]
                    for event in conversation["events"]
                    if event["actor"] == "customer" and event["event_type"] == "message"
                ),
                None,
            )
            if first is None:
                continue
            feedback = [e for e in conversation["events"] if e["event_type"] == "feedback"]
            handed = any(e["event_type"] == "handoff_requested" for e in conversation["events"])
            negative = any((e.get("payload") or {}).get("value") == "negative" for e in feedback)
            rows.append(
                {
                    "conversation_id": conversation["conversation_id"],
                    "text": first,
                    "intent": conversation.get("intent"),
                    "locale": conversation["locale"],
                    "conversation_date": datetime.fromisoformat(conversation["started_at"])
                    .astimezone(UTC)
                    .date(),
                    "resolved": not handed and not negative,
                }
            )
    return pd.DataFrame(rows)


def planted_openings(topic: str, n: int, start: date, days: int, seed: int) -> pd.DataFrame:
    """``n`` unresolved conversations of a planted topic, spread over ``days``."""
    rng = np.random.default_rng(seed)
    templates = PLANTED[topic]
    rows = []
    for index in range(n):
        text = str(rng.choice(templates))
        for slot, values in FILLERS.items():
            text = text.replace("{" + slot + "}", str(rng.choice(values)))
        rows.append(
            {
                "conversation_id": f"{topic}-{seed}-{index}",
                "text": text,
                "intent": None,
                "locale": "en-US",
                "conversation_date": start + timedelta(days=int(rng.integers(0, days))),
                "resolved": bool(rng.random() < 0.1),
            }
        )
    return pd.DataFrame(rows)
