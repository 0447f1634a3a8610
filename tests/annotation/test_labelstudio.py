"""Label Studio export parsing (hand-built fixture in the documented format), tasks and
labeling config, adjudication tasks, the long CSV and the annotation store."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from pipelines.annotation.labelstudio import (
    adjudication_tasks,
    build_tasks,
    dialogue_turns,
    label_config_xml,
    parse_export,
    read_export,
    read_long_csv,
)
from pipelines.annotation.store import append_labels, load_labels
from pipelines.stats.agreement import disagreements, majority_consensus
from pipelines.stats.sampling import SamplingPlan, stratified_sample
from schemas.annotations import InvalidLabels, validate_labels
from schemas.labels import ALLOWED_VALUES, FIELDS, GUIDELINE_VERSION
from tests.annotation.annotation_data import synthetic_events, synthetic_population

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "labelstudio_export.json"
# A JSON export as Label Studio names and writes it, from a project it set up itself.
PLAIN_EXPORT = FIXTURES / "project-12-at-2026-11-20-14-05-3f9a1c2e.json"


def test_fixture_export_parses_to_the_long_frame():
    parsed = read_export(EXPORT)
    assert (parsed.n_tasks, parsed.n_annotations, parsed.n_cancelled) == (2, 4, 1)
    labels = validate_labels(parsed.labels)
    assert len(labels) == 6 + 7 + 4
    assert set(labels["annotator_id"]) == {"1", "2", "cy@example.com"}
    assert (labels["batch_id"] == "sample-2026-11-02").all()
    assert (labels["guideline_version"] == GUIDELINE_VERSION).all()
    by_key = labels.set_index(["item_id", "annotator_id", "field"])["value"]
    assert by_key[("conv-00017", "2", "resolved")] == "partially"
    assert by_key[("conv-00017", "2", "notes")] == "refund requested, money not back yet"
    assert by_key[("conv-00018", "cy@example.com", "corrected_intent")] == "shipping"
    assert labels.loc[labels["item_id"] == "conv-00018", "is_gold"].all()
    assert not labels["is_adjudication"].any()


def test_fields_outside_the_schema_are_counted_and_unknown_choices_fail_loudly():
    raw = json.loads(EXPORT.read_text())
    raw[0]["annotations"][0]["result"][0]["from_name"] = "was_it_good"
    parsed = parse_export(raw)
    assert parsed.ignored_fields == {"was_it_good": 1}
    assert len(parsed.labels) == 6 + 7 + 4 - 1
    for task in raw:  # an export of a project with none of our questions: nothing to score
        for annotation in task["annotations"]:
            for result in annotation["result"]:
                result["from_name"] = "sentiment"
    with pytest.raises(ValueError, match="no result for any field of the labeling schema"):
        parse_export(raw)
    raw = json.loads(EXPORT.read_text())
    raw[0]["annotations"][0]["result"][0]["value"]["choices"] = ["Yes!"]
    with pytest.raises(InvalidLabels, match=r"1 invalid label rows.*value='Yes!'"):
        validate_labels(parse_export(raw).labels)


def test_plain_label_studio_export_defaults_batch_to_file_name_and_keeps_no_version():
    """A project closedloop did not create: no batch_id or guideline_version in the task
    data, extra controls (sentiment, a rating), three labelers per task, one skip."""
    parsed = read_export(PLAIN_EXPORT)
    assert (parsed.n_tasks, parsed.n_annotations, parsed.n_cancelled) == (12, 37, 1)
    assert parsed.ignored_fields == {"sentiment": 36, "quality": 36}
    labels = validate_labels(parsed.labels, require_guideline_version=False)
    assert len(labels) == 12 * 3 * 2
    assert set(labels["batch_id"]) == {PLAIN_EXPORT.stem}
    assert labels["guideline_version"].isna().all()
    assert set(labels["annotator_id"]) == {"3", "5", "8"}
    assert set(labels["item_id"]) == {f"conv-{i:04d}" for i in range(12)}
    with pytest.raises(InvalidLabels, match="not_nullable"):  # not fit for the label store
        validate_labels(parsed.labels)
    given = read_export(PLAIN_EXPORT, batch_id="nov-20", guideline_version="v7").labels
    assert set(given["batch_id"]) == {"nov-20"} and set(given["guideline_version"]) == {"v7"}


def test_plain_export_without_conversation_ids_uses_task_ids():
    raw = json.loads(PLAIN_EXPORT.read_text())
    for task in raw:
        del task["data"]["conversation_id"]
    labels = parse_export(raw, default_batch_id="b").labels
    assert set(labels["item_id"]) == {str(task["id"]) for task in raw}
    with pytest.raises(ValueError, match="no batch_id"):
        parse_export(raw)


def test_label_config_matches_the_task_data_and_the_schema():
    root = ET.fromstring(label_config_xml(intents=["billing", "shipping"]))
    paragraphs = root.find("Paragraphs")
    assert paragraphs.get("value") == "$dialogue"
    assert (paragraphs.get("nameKey"), paragraphs.get("textKey")) == ("role", "text")
    controls = {node.get("name"): node for node in root if node.tag in ("Choices", "TextArea")}
    assert set(controls) == {spec.name for spec in FIELDS}
    assert all(node.get("toName") == paragraphs.get("name") for node in controls.values())
    for name, allowed in ALLOWED_VALUES.items():
        assert tuple(c.get("value") for c in controls[name].findall("Choice")) == allowed
    corrected = controls["corrected_intent"]
    assert [c.get("value") for c in corrected.findall("Choice")] == ["billing", "shipping"]
    assert corrected.get("whenTagName") == "intent_correct"
    assert ET.fromstring(label_config_xml()).find("TextArea[@name='corrected_intent']") is not None


def test_build_tasks_carries_dialogue_and_metadata():
    population = synthetic_population(n=300)
    items = stratified_sample(
        population,
        SamplingPlan(sample_size=20, min_per_stratum=0, gold_rate=0),
        labelers=["a", "b", "c"],
        batch_id="b1",
    ).items
    tasks = build_tasks(items, population, synthetic_events(list(items["conversation_id"])))
    assert len(tasks) == 20
    data = tasks[0]["data"]
    assert [turn["role"] for turn in data["dialogue"]] == ["customer", "bot", "system"]
    assert data["dialogue"][2]["text"] == "[closed]"
    assert 0 < data["inclusion_prob"] <= 1 and data["is_gold"] is False
    assert len(data["assigned_labelers"]) == 2 and data["batch_id"] == "b1"
    assert isinstance(data["date"], str)
    json.dumps(tasks)  # plain JSON, no numpy or pandas scalars
    with pytest.raises(ValueError, match="no events"):
        build_tasks(items, population, synthetic_events([]))


def test_dialogue_turns_show_handoffs_as_system_lines():
    events = pd.DataFrame(
        [
            ("c", 1, "system", "handoff_requested", None, '{"reason": "customer_request"}'),
            ("c", 0, "customer", "message", "agent please", None),
            ("c", 2, "agent", "message", "Hi, I'm here.", None),
        ],
        columns=["conversation_id", "seq", "actor", "event_type", "text", "payload"],
    )
    assert dialogue_turns(events) == [
        {"role": "customer", "text": "agent please"},
        {"role": "system", "text": '[handoff_requested] {"reason": "customer_request"}'},
        {"role": "agent", "text": "Hi, I'm here."},
    ]


def test_adjudication_tasks_show_labels_and_their_answers_become_consensus():
    raw = json.loads(EXPORT.read_text())
    labels = parse_export(raw).labels
    queue = disagreements(labels, list(ALLOWED_VALUES))
    assert queue.to_dict("records") == [{"item_id": "conv-00017", "field": "resolved"}]
    (task,) = adjudication_tasks(raw, labels, queue)
    assert task["data"]["adjudication"] is True and task["data"]["disputed_fields"] == ["resolved"]
    assert task["data"]["labeler_notes"] == ["2 notes: refund requested, money not back yet"]
    assert {p["model_version"] for p in task["predictions"]} == {"1", "2"}
    task["annotations"] = [
        {"completed_by": {"email": "lead@example.com"}, "result": [
            {"from_name": "resolved", "to_name": "dialogue", "type": "choices", "value": {"choices": ["partially"]}}]}
    ]  # fmt: skip
    adjudicated = parse_export([task]).labels
    assert adjudicated["is_adjudication"].all()

    consensus = majority_consensus(pd.concat([labels, adjudicated]))
    row = consensus.loc[(consensus["item_id"] == "conv-00017") & (consensus["field"] == "resolved")]
    assert row[["value", "source"]].values.tolist() == [["partially", "adjudicated"]]


def test_long_csv_import(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(
        "item_id,annotator_id,field,value\nc1,ana,resolved,yes\nc1,ana,notes,\nc2,ana,resolved,no\n"
    )
    labels = validate_labels(read_long_csv(path, batch_id="csv-1", gold_ids=["c2"]))
    assert labels["is_gold"].tolist() == [False, False, True]
    assert labels.loc[1, "value"] == ""
    (tmp_path / "bad.csv").write_text("item,who\n")
    with pytest.raises(ValueError, match="missing columns"):
        read_long_csv(tmp_path / "bad.csv", batch_id="x")


def test_store_append_is_idempotent_and_latest_import_wins(tmp_path):
    labels = read_export(EXPORT).labels
    first = append_labels(labels, tmp_path)
    assert append_labels(labels, tmp_path) == first
    assert len(list(tmp_path.glob("*.parquet"))) == 1
    corrected = labels.copy()
    corrected.loc[
        (corrected["annotator_id"] == "2") & (corrected["field"] == "resolved"), "value"
    ] = "yes"
    append_labels(corrected, tmp_path)
    stored = load_labels(tmp_path)
    assert len(stored) == len(labels)
    value = stored.loc[(stored["annotator_id"] == "2") & (stored["field"] == "resolved"), "value"]
    assert value.tolist() == ["yes"]
