"""Synthetic fct_conversations-shaped data with known true answers, for the annotation tests.

A uniquely named module rather than conftest.py so `import` cannot pick up another
test folder's conftest."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pandas as pd

INTENTS = ("billing", "order_status", "password_reset", "refund", "shipping")
CHANNELS = ("web", "ios", "android")
LABELERS = ("ana", "ben", "cy", "dee")


def synthetic_population(
    n: int = 3000, seed: int = 7, start: date = date(2026, 11, 2)
) -> pd.DataFrame:
    """Conversations over one week. ``true_resolved`` is what a perfect labeler would
    say; the automated ``durable_resolved`` misses some resolutions and claims some
    that are not (the gap calibration must measure)."""
    rng = np.random.default_rng(seed)
    intent = rng.choice(INTENTS, n, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    base = {
        "billing": 0.55,
        "order_status": 0.75,
        "password_reset": 0.8,
        "refund": 0.35,
        "shipping": 0.6,
    }
    handed_off = rng.random(n) < 0.15
    abandoned = ~handed_off & (rng.random(n) < 0.1)
    true_resolved = ~handed_off & ~abandoned & (rng.random(n) < np.vectorize(base.get)(intent))
    automated = np.where(true_resolved, rng.random(n) < 0.95, rng.random(n) < 0.12)
    automated &= ~handed_off & ~abandoned
    return pd.DataFrame(
        {
            "conversation_id": [f"conv-{i:05d}" for i in range(n)],
            "conversation_date": [start + timedelta(days=int(d)) for d in rng.integers(0, 7, n)],
            "intent": intent,
            "channel": rng.choice(CHANNELS, n, p=[0.5, 0.3, 0.2]),
            "bot_version": "2026.11.0",
            "handed_off": handed_off,
            "abandoned": abandoned,
            "durable_resolved": automated,
            "true_resolved": true_resolved,
        }
    )


def synthetic_events(conversation_ids: list[str]) -> pd.DataFrame:
    """Two scrubbed turns and a close event per conversation."""
    rows = []
    for cid in conversation_ids:
        rows += [
            (cid, 0, "customer", "message", "hey, where's my order? it's <ORDER_ID>", None),
            (cid, 1, "bot", "message", "It shipped yesterday and arrives Friday.", None),
            (cid, 2, "system", "closed", None, json.dumps({})),
        ]
    return pd.DataFrame(
        rows, columns=["conversation_id", "seq", "actor", "event_type", "text", "payload"]
    )


def truth_labels(population: pd.DataFrame, ids: list[str], seed: int = 1) -> pd.DataFrame:
    """True answers for every categorical field of the given conversations, with
    prevalences far enough from 0/1 that chance-corrected agreement is informative."""
    rng = np.random.default_rng(seed)
    rows = population.set_index("conversation_id").loc[ids]
    n = len(rows)
    fields = {
        "resolved": np.where(rows["true_resolved"], "yes", "no"),
        "handoff_appropriate": np.where(rows["handed_off"], "yes", "n.a."),
        "intent_correct": rng.choice(["yes", "no"], n, p=[0.7, 0.3]),
        "answer_accurate": np.where(rows["true_resolved"], "yes", "no"),
        "policy_or_safety_issue": rng.choice(["none", "minor", "major"], n, p=[0.6, 0.25, 0.15]),
        "us_cultural_fit_issue": rng.choice(["yes", "no"], n, p=[0.35, 0.65]),
    }
    return pd.concat(
        [
            pd.DataFrame({"item_id": ids, "field": name, "value": values})
            for name, values in fields.items()
        ],
        ignore_index=True,
    )
