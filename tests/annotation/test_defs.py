"""Materialize the annotation assets against a temporary warehouse."""

from __future__ import annotations

import json
from datetime import date

import dagster as dg
import duckdb

from pipelines.annotation.batches import draw_day
from pipelines.annotation.labelstudio import build_tasks, parse_export
from pipelines.annotation.privacy import annotator_pseudonym, existing_pii_key
from pipelines.annotation.simulate import simulate_export
from pipelines.annotation.store import append_labels, load_labels, pin_sample, store_dir
from pipelines.config import paths
from pipelines.defs.annotation import annotation_marts, annotation_sample, annotations
from pipelines.defs.resources import WarehouseResource
from pipelines.stats.sampling import SamplingPlan
from tests.annotation.annotation_data import (
    LABELERS,
    synthetic_events,
    synthetic_population,
    truth_labels,
)

DAY = "2026-11-03"


def test_sample_labels_gate_and_marts(tmp_path):
    population = synthetic_population(n=1500)
    home = paths(tmp_path).ensure()
    with duckdb.connect(str(home.warehouse)) as con:
        con.register("fct_frame", population.drop(columns=["true_resolved"]))
        con.execute("create table main.fct_conversations as select * from fct_frame")
    resources = {"warehouse": WarehouseResource(home=str(tmp_path))}
    config = {
        "ops": {
            "annotation_sample": {
                "config": {"sample_size": 80, "min_per_stratum": 1, "labelers": list(LABELERS)}
            }
        }
    }

    for _ in range(2):  # idempotent: a re-run replaces the partition
        result = dg.materialize(
            [annotation_sample], partition_key=DAY, resources=resources, run_config=config
        )
        assert result.success
    with duckdb.connect(str(home.warehouse)) as con:
        sample = con.execute("select * from annotation.sample").df()
    assert len(sample) == 80 and (sample["batch_date"].astype(str) == DAY).all()
    assert sample["inclusion_prob"].between(0, 1).all()

    tasks = build_tasks(sample, population, synthetic_events(list(sample["conversation_id"])))
    truth = truth_labels(population, list(sample["conversation_id"]))
    export = simulate_export(
        json.loads(json.dumps(tasks)), truth, {**dict.fromkeys(LABELERS, 0.01), LABELERS[0]: 0.4}
    )
    labels = parse_export(export).labels
    append_labels(labels, store_dir(home))
    # The lead adjudicates ten items; they become gold for later batches.
    adjudicated_ids = sorted(sample["conversation_id"])[:10]
    adjudicated = truth.loc[truth["item_id"].isin(adjudicated_ids)].assign(
        batch_id=labels["batch_id"].iloc[0],
        guideline_version=labels["guideline_version"].iloc[0],
        annotator_id="lead@example.com",
        is_gold=False,
        is_adjudication=True,
    )
    append_labels(adjudicated[list(labels.columns)], store_dir(home))

    result = dg.materialize(
        [annotations, annotation_marts], partition_key=DAY, resources=resources, raise_on_error=True
    )
    key = existing_pii_key(home)
    pseudonym = {real: annotator_pseudonym(real, key) for real in LABELERS}
    (check,) = result.get_asset_check_evaluations()
    assert not check.passed  # the careless labeler fails the gate
    assert pseudonym[LABELERS[0]] in check.description  # named, but not by email
    assert LABELERS[0] not in check.description
    with duckdb.connect(str(home.warehouse)) as con:
        agreement = con.execute("select * from main.mart_annotation_agreement").df()
        calibrated = con.execute("select * from main.mart_resolution_calibrated").df()
        n_labels = con.execute("select count(*) from annotation.labels").fetchone()[0]
        labelers = con.execute("select * from main.mart_annotation_labelers").df()
    assert n_labels == 80 * 2 * 6 + 10 * 6
    assert set(agreement["field"]) >= {"resolved", "policy_or_safety_issue"}
    assert not agreement["gate_passed"].any()
    assert labelers.set_index("annotator_id")["below_bar"].to_dict() == {
        pseudonym[LABELERS[0]]: True,
        pseudonym[LABELERS[1]]: False,
        pseudonym[LABELERS[2]]: False,
        pseudonym[LABELERS[3]]: False,
    }
    assert {"precision", "recall", "false_resolution_rate", "resolution_rate_ci_low"} <= set(
        calibrated.columns
    )

    next_day = {"ops": {"annotation_sample": {"config": {"sample_size": 80, "min_per_stratum": 1,
                                                          "gold_rate": 0.1, "labelers": list(LABELERS)}}}}  # fmt: skip
    assert dg.materialize(
        [annotation_sample], partition_key="2026-11-04", resources=resources, run_config=next_day
    ).success
    with duckdb.connect(str(home.warehouse)) as con:
        day_two = con.execute(
            "select * from annotation.sample where batch_date = '2026-11-04'"
        ).df()
        assert con.execute("select count(*) from annotation.sample").fetchone()[0] == 80 + len(
            day_two
        )
    gold = day_two.loc[day_two["is_gold"]]
    assert len(gold) == 9 and set(gold["conversation_id"]) <= set(adjudicated_ids)
    assert gold["inclusion_prob"].isna().all() and gold["intent"].notna().all()


def test_sample_pinned_by_the_cli_is_adopted(tmp_path):
    population = synthetic_population(n=400)
    home = paths(tmp_path).ensure()
    with duckdb.connect(str(home.warehouse)) as con:
        con.register("fct_frame", population.drop(columns=["true_resolved"]))
        con.execute("create table main.fct_conversations as select * from fct_frame")
    day = date(2026, 11, 3)
    conversations = population.loc[population["conversation_date"] == day]
    pinned, _ = draw_day(conversations, load_labels(store_dir(home)), conversations.iloc[0:0], day,
                         SamplingPlan(sample_size=15, min_per_stratum=0, gold_rate=0), list(LABELERS))  # fmt: skip
    pin_sample(pinned, store_dir(home), day)
    resources = {"warehouse": WarehouseResource(home=str(tmp_path))}
    assert dg.materialize(
        [annotation_sample], partition_key=day.isoformat(), resources=resources
    ).success
    with duckdb.connect(str(home.warehouse)) as con:
        stored = con.execute("select conversation_id, inclusion_prob from annotation.sample").df()
    assert sorted(stored["conversation_id"]) == sorted(pinned["conversation_id"])
