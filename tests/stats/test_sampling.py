"""Stratified sampling and sample-size planning."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from pipelines.stats.sample_size import sample_size, sample_size_by_slice
from pipelines.stats.sampling import (
    FAILURE_OUTCOMES,
    SamplingPlan,
    allocate,
    outcome_of,
    stratified_sample,
)

LABELERS = ["l1", "l2", "l3", "l4", "l5"]


def population(n: int = 2000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    handed_off = rng.random(n) < 0.15
    abandoned = ~handed_off & (rng.random(n) < 0.08)
    return pd.DataFrame(
        {
            "conversation_id": [f"c{i:05d}" for i in range(n)],
            "conversation_date": date(2026, 11, 2),
            # A rare intent (1%) and a missing one: both must still be sampled.
            "intent": rng.choice(
                ["billing", "orders", "refund", "rare", None], n, p=[0.5, 0.3, 0.17, 0.01, 0.02]
            ),
            "channel": rng.choice(["web", "ios"], n, p=[0.7, 0.3]),
            "handed_off": handed_off,
            "abandoned": abandoned,
            "durable_resolved": ~handed_off & ~abandoned & (rng.random(n) < 0.7),
        }
    )


def test_same_seed_same_sample_and_input_order_does_not_matter():
    frame = population()
    plan = SamplingPlan(sample_size=200, seed=42)
    first = stratified_sample(frame, plan, labelers=LABELERS, batch_id="b").items
    shuffled = frame.sample(frac=1, random_state=1)
    again = stratified_sample(shuffled, plan, labelers=LABELERS, batch_id="b").items
    pd.testing.assert_frame_equal(first, again)
    other = stratified_sample(frame, SamplingPlan(sample_size=200, seed=43), batch_id="b").items
    assert set(other["conversation_id"]) != set(first["conversation_id"])


def test_every_stratum_gets_its_minimum_and_probabilities_add_up():
    frame = population()
    result = stratified_sample(
        frame, SamplingPlan(sample_size=300, min_per_stratum=3, gold_rate=0), batch_id="b"
    )
    allocation = result.allocation
    assert (allocation["allocated"] >= np.minimum(allocation["population"], 3)).all()
    assert allocation["allocated"].sum() == 300
    items = result.items
    assert set(items["stratum"]) == set(allocation["stratum"])  # every stratum covered
    assert {"rare", "unknown"} <= set(items["intent"])
    # Horvitz-Thompson identities: sum over the population of pi = n; sum of 1/pi = N.
    per_stratum = items.groupby("stratum")[["inclusion_prob", "stratum_population"]].first()
    assert (
        per_stratum["inclusion_prob"] * per_stratum["stratum_population"]
    ).sum() == pytest.approx(300)
    assert (1 / items["inclusion_prob"]).sum() == pytest.approx(len(frame))


def test_failures_are_oversampled():
    frame = population()
    share = {}
    for factor in (1.0, 3.0):
        items = stratified_sample(
            frame,
            SamplingPlan(
                sample_size=300, min_per_stratum=0, failure_oversample=factor, gold_rate=0
            ),
            batch_id="b",
        ).items
        share[factor] = items["outcome"].isin(FAILURE_OUTCOMES).mean()
    population_share = outcome_of(frame).isin(FAILURE_OUTCOMES).mean()
    assert share[1.0] == pytest.approx(population_share, abs=0.03)
    assert share[3.0] > share[1.0] + 0.15


def test_excluded_conversations_are_never_resampled():
    frame = population()
    labeled = set(frame["conversation_id"][:1500])
    items = stratified_sample(
        frame, SamplingPlan(sample_size=200, gold_rate=0), exclude_ids=labeled, batch_id="b"
    ).items
    assert not set(items["conversation_id"]) & labeled
    assert (1 / items["inclusion_prob"]).sum() == pytest.approx(len(frame) - len(labeled))


def test_gold_items_are_mixed_in_without_inclusion_probability():
    frame = population()
    gold_ids = [f"gold-{i}" for i in range(50)]
    plan = SamplingPlan(sample_size=190, gold_rate=0.05, seed=1)
    items = stratified_sample(frame, plan, gold_ids=gold_ids, labelers=LABELERS, batch_id="b").items
    gold = items.loc[items["is_gold"]]
    assert len(gold) == 10  # 5% of the 200-item batch
    assert set(gold["conversation_id"]) <= set(gold_ids)
    assert gold["inclusion_prob"].isna().all()
    assert items.loc[~items["is_gold"], "inclusion_prob"].notna().all()


def test_too_few_gold_items_is_reported():
    result = stratified_sample(
        population(), SamplingPlan(sample_size=190, gold_rate=0.05), gold_ids=["g1"], batch_id="b"
    )
    assert any("only 1 available" in note for note in result.notes)


def test_labelers_are_distinct_per_item_and_balanced():
    plan = SamplingPlan(sample_size=203, overlap=3, gold_rate=0)
    items = stratified_sample(population(), plan, labelers=LABELERS, batch_id="b").items
    assigned = items["assigned_labelers"].str.split(",")
    assert (assigned.map(len) == 3).all() and (assigned.map(lambda x: len(set(x))) == 3).all()
    load = assigned.explode().value_counts()
    assert set(load.index) == set(LABELERS)
    assert load.max() - load.min() <= 1
    pairs = assigned.map(lambda x: tuple(sorted(x)[:2])).nunique()
    assert pairs > 3  # pairings vary, so every labeler pair has shared items


def test_floors_win_over_sample_size_with_a_note():
    allocated, notes = allocate(pd.Series([10, 10, 10]), pd.Series([1.0, 1.0, 1.0]), 4, 2)
    assert list(allocated) == [2, 2, 2]
    assert notes and "floors win" in notes[0]


def test_bad_input_is_rejected_clearly():
    with pytest.raises(ValueError, match="lacks columns"):
        stratified_sample(
            population().drop(columns=["channel"]), SamplingPlan(sample_size=10), batch_id="b"
        )
    with pytest.raises(ValueError, match="overlap=3 needs at least 3"):
        stratified_sample(
            population(), SamplingPlan(sample_size=10, overlap=3), labelers=["a", "b"], batch_id="b"
        )
    with pytest.raises(ValueError, match="gold_rate"):
        SamplingPlan(sample_size=10, gold_rate=1.0)


def test_sample_size_textbook_values():
    # n0 = 1.96^2 * 0.25 / 0.03^2 = 1067.1 -> 1068; with N = 1000: 1067.1 / (1 + 1066.1/1000) -> 517.
    assert sample_size(0.03, 0.95) == 1068
    assert sample_size(0.03, 0.95, population=1000) == 517
    assert sample_size(0.05, 0.95, p=0.9) == 139
    assert sample_size(0.03, population=50) <= 50
    with pytest.raises(ValueError, match="margin"):
        sample_size(0.0)


def test_sample_size_by_slice():
    frame = sample_size_by_slice({"billing": 5000, "rare": 40}, margin=0.05)
    rows = frame.set_index("slice")
    assert rows.loc["billing", "sample_size"] == sample_size(0.05, population=5000)
    assert rows.loc["rare", "sample_size"] <= 40
