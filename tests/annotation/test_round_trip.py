"""Sample -> Label Studio tasks -> simulated labelers -> import -> agreement -> calibration."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from pipelines.annotation.labelstudio import (
    adjudication_tasks,
    build_tasks,
    parse_export,
    write_tasks,
)
from pipelines.annotation.qa import batch_reports
from pipelines.annotation.simulate import simulate_export
from pipelines.stats.agreement import disagreements
from pipelines.stats.calibration import ALL, calibrated_resolution
from pipelines.stats.sampling import SamplingPlan, stratified_sample
from schemas.annotations import validate_labels
from tests.annotation.annotation_data import LABELERS, synthetic_events, truth_labels

CATEGORICAL = ["resolved", "handoff_appropriate", "intent_correct", "answer_accurate",
               "policy_or_safety_issue", "us_cultural_fit_issue"]  # fmt: skip


def _adjudicate_with_truth(
    export: list[dict], truth: pd.DataFrame, queue: pd.DataFrame
) -> list[dict]:
    """An adjudicator who always picks the true answer, in Label Studio export format."""
    labels = parse_export(export).labels
    tasks = adjudication_tasks(export, labels, queue)
    answers = truth.set_index(["item_id", "field"])["value"]
    for task in tasks:
        item = task["data"]["conversation_id"]
        result = [
            {"from_name": f, "to_name": "dialogue", "type": "choices",
             "value": {"choices": [answers[(item, f)]]}}
            for f in task["data"]["disputed_fields"]
        ]  # fmt: skip
        task["annotations"] = [{"completed_by": {"email": "lead@example.com"}, "result": result}]
    return tasks


def test_round_trip_agreement_and_calibrated_estimate_cover_the_truth(population, tmp_path):
    plan = SamplingPlan(
        sample_size=600, min_per_stratum=2, failure_oversample=2.0, gold_rate=0.0, seed=11
    )
    sample = stratified_sample(population, plan, labelers=LABELERS, batch_id="week-45").items
    tasks = build_tasks(sample, population, synthetic_events(list(sample["conversation_id"])))
    tasks_path, config_path = write_tasks(tasks, tmp_path / "tasks.json")
    assert config_path.read_text().startswith("<View>")

    truth = truth_labels(population, list(sample["conversation_id"]))
    error_rates = dict.fromkeys(LABELERS, 0.03)
    export = simulate_export(json.loads(tasks_path.read_text()), truth, error_rates, seed=5)
    labels = validate_labels(parse_export(export).labels)
    assert len(labels) == len(sample) * plan.overlap * len(CATEGORICAL)

    ((report, gate),) = batch_reports(labels, n_boot=200)
    resolved = report.fields.set_index("field").loc["resolved"]
    # Two labelers each wrong 3% of the time on a 2-value field: agree ~ 0.97^2 + small.
    assert 0.92 <= resolved["percent_agreement"] <= 0.97
    assert resolved["krippendorff_alpha"] > 0.85
    assert (
        resolved["krippendorff_alpha_ci_low"]
        <= resolved["krippendorff_alpha"]
        <= resolved["krippendorff_alpha_ci_high"]
    )
    assert gate.passed, gate.message

    queue = disagreements(labels, CATEGORICAL)
    assert len(queue) > 0
    adjudicated = parse_export(_adjudicate_with_truth(export, truth, queue)).labels
    assert adjudicated["is_adjudication"].all()
    all_labels = validate_labels(pd.concat([labels, adjudicated], ignore_index=True))

    calibrated = calibrated_resolution(sample, all_labels, population)
    overall = calibrated.loc[calibrated["intent"] == ALL].iloc[0]
    true_rate = population["true_resolved"].mean()
    assert overall["n_labeled"] == len(sample)  # every tie was adjudicated
    assert overall["resolution_rate_ci_low"] <= true_rate <= overall["resolution_rate_ci_high"]
    # The automated flag over-claims resolution; calibration must see false resolutions.
    assert overall["false_resolution_rate"] > 0
    assert overall["precision"] < 1
    assert set(calibrated["intent"]) == {ALL, *population["intent"].unique()}


def test_calibrated_estimate_is_unbiased_where_the_naive_sample_share_is_not(population):
    # Failures are over-sampled, so the unweighted share of resolved sampled items is low.
    plan = SamplingPlan(
        sample_size=800, min_per_stratum=2, failure_oversample=4.0, gold_rate=0.0, seed=3
    )
    sample = stratified_sample(population, plan, batch_id="b").items
    truth = truth_labels(population, list(sample["conversation_id"]))
    labels = truth.loc[truth["field"] == "resolved"].assign(
        annotator_id="oracle", is_adjudication=False
    )
    overall = calibrated_resolution(sample, labels, population).query("intent == @ALL").iloc[0]
    true_rate = population["true_resolved"].mean()
    naive = (labels["value"] == "yes").mean()
    assert abs(overall["resolution_rate_estimate"] - true_rate) < abs(naive - true_rate)
    assert overall["resolution_rate_ci_low"] <= true_rate <= overall["resolution_rate_ci_high"]
    assert np.isclose(overall["n_labeled"], len(sample))
