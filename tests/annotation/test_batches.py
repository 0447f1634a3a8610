"""The per-day batch drawn identically by the pipeline and the CLI."""

from __future__ import annotations

from datetime import date

import pandas as pd

from pipelines.annotation.batches import batch_id_for, draw_day
from pipelines.stats.sampling import SamplingPlan
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
