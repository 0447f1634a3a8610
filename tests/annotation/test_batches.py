"""The per-day batch drawn identically by the pipeline and the CLI."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from pipelines.annotation.batches import DEFAULT_PLAN, batch_id_for, draw_day
from pipelines.stats.sampling import SamplingPlan
from pipelines.synth.intents import INTENTS
from tests.annotation.annotation_data import LABELERS, synthetic_population

DAY = date(2026, 11, 3)
PLAN = SamplingPlan(sample_size=60, min_per_stratum=1, gold_rate=0)


def day_frame() -> pd.DataFrame:
    population = synthetic_population(n=1200)
    frame = population.loc[population["conversation_date"] == DAY].copy()
    frame["bot_involved"] = frame["conversation_id"].str[-1] != "7"
    return frame


def labels_for(ids: list[str], batch_id: str) -> pd.DataFrame:
    return pd.DataFrame({"item_id": ids, "batch_id": batch_id, "is_adjudication": False})


def test_only_bot_involved_conversations_are_sampled():
    frame = day_frame()
    items, _ = draw_day(frame, labels_for([], "x"), frame.iloc[0:0], DAY, PLAN, list(LABELERS))
    assert not items["conversation_id"].str.endswith("7").any()
    assert (1 / items["inclusion_prob"]).sum() == frame["bot_involved"].sum()
    assert (items["batch_id"] == batch_id_for(DAY)).all() and (items["batch_date"] == DAY).all()


def test_redraw_after_own_labels_is_identical_but_other_batches_are_excluded():
    frame = day_frame()
    first, _ = draw_day(frame, labels_for([], "x"), frame.iloc[0:0], DAY, PLAN, list(LABELERS))
    own = labels_for(list(first["conversation_id"]), batch_id_for(DAY))
    again, _ = draw_day(frame, own, frame.iloc[0:0], DAY, PLAN, list(LABELERS))
    pd.testing.assert_frame_equal(first, again)
    elsewhere = labels_for(list(first["conversation_id"]), "calibration-1")
    other, _ = draw_day(frame, elsewhere, frame.iloc[0:0], DAY, PLAN, list(LABELERS))
    assert not set(other["conversation_id"]) & set(first["conversation_id"])


def demo_shaped_day(n: int = 2000, seed: int = 5) -> pd.DataFrame:
    """A day shaped like `closedloop demo`'s: the synthetic generator's intents and
    weights, four channels, every outcome."""
    rng = np.random.default_rng(seed)
    weights = np.array([profile.weight for profile in INTENTS], dtype=float)
    handed_off = rng.random(n) < 0.2
    abandoned = ~handed_off & (rng.random(n) < 0.1)
    return pd.DataFrame(
        {
            "conversation_id": [f"conv-{i:05d}" for i in range(n)],
            "conversation_date": DAY,
            "intent": rng.choice([p.name for p in INTENTS], n, p=weights / weights.sum()),
            "channel": rng.choice(
                ["ios", "android", "web", "email"], n, p=[0.38, 0.32, 0.22, 0.08]
            ),
            "handed_off": handed_off,
            "abandoned": abandoned,
            "durable_resolved": ~handed_off & ~abandoned & (rng.random(n) < 0.6),
            "bot_involved": True,
        }
    )


def test_the_default_plan_fits_a_demo_day_without_notes():
    frame = demo_shaped_day()
    no_labels = labels_for([], "x")
    items, notes = draw_day(frame, no_labels, frame.iloc[0:0], DAY, DEFAULT_PLAN, list(LABELERS))
    assert notes == []  # every floor fits in the batch; no gold pool yet, so no shortfall
    assert len(items) == DEFAULT_PLAN.sample_size
    assert items["stratum"].nunique() == frame.groupby(["intent", "handed_off", "abandoned",
                                                         "durable_resolved"]).ngroups  # fmt: skip
    # The same day cut by channel too is what made the floors overflow the batch.
    by_channel = replace(DEFAULT_PLAN, strata=("intent", "outcome", "channel"))
    _, notes = draw_day(frame, no_labels, frame.iloc[0:0], DAY, by_channel, list(LABELERS))
    assert any("the floors win" in note for note in notes)


def test_a_gold_pool_smaller_than_the_gold_rate_is_reported():
    frame = demo_shaped_day()
    gold_ids = ["conv-00001", "conv-00002"]
    adjudicated = pd.DataFrame(
        {"item_id": gold_ids, "batch_id": "earlier", "is_adjudication": True}
    )
    items, notes = draw_day(frame, adjudicated, frame.iloc[0:0], DAY, DEFAULT_PLAN, list(LABELERS))
    assert items["is_gold"].sum() == 2
    assert notes == [f"gold_rate={DEFAULT_PLAN.gold_rate} wants 11 gold items; only 2 available"]


def test_strata_must_be_known_columns():
    with pytest.raises(ValueError, match="strata"):
        SamplingPlan(sample_size=10, strata=("intent", "bot_version"))
