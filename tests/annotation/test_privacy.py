"""Labeler input reaches the warehouse scrubbed and pseudonymized; the store is private."""

from __future__ import annotations

import json
import shutil
import stat

import dagster as dg
import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipelines.annotation.labelstudio import build_tasks, parse_export
from pipelines.annotation.privacy import (
    ANNOTATOR_PREFIX,
    annotator_pseudonym,
    directory_file,
    existing_pii_key,
    read_annotator_directory,
    warehouse_labels,
)
from pipelines.annotation.qa import batch_reports
from pipelines.annotation.simulate import simulate_export
from pipelines.annotation.store import append_labels, load_labels, pin_sample, store_dir
from pipelines.cli.annotate import annotate_app
from pipelines.config import Paths, paths
from pipelines.defs.annotation import annotation_marts, annotations
from pipelines.defs.resources import WarehouseResource
from pipelines.pii import pseudonymize
from schemas.annotations import InvalidLabels
from tests.annotation.annotation_data import (
    LABELERS,
    synthetic_events,
    synthetic_population,
    truth_labels,
)

runner = CliRunner()
PLANTED_LABELER = "anna.planted@corp.example"
PLANTED_CUSTOMER = "refund - customer is Rita Planted, rita.planted@example.org, 415-555-0111"
PLANTED_NOTE = "called back Rita Planted on 415-555-0111, she wants it by email"
# Every fragment that would identify the customer or the labeler.
NEEDLES = ("anna.planted", "corp.example", "Rita Planted", "rita.planted", "415-555-0111")


def _export_with_pii(population: pd.DataFrame, n_items: int = 40) -> list[dict]:
    """A Label Studio export of ``n_items`` conversations, two labelers each, where
    one labeler (known by email) typed customer PII into a textarea and a note."""
    labelers = (PLANTED_LABELER, *LABELERS[1:])
    ids = list(population["conversation_id"].iloc[:n_items])
    items = pd.DataFrame(
        {
            "batch_id": "sample-2026-11-03",
            "conversation_id": ids,
            "inclusion_prob": 0.1,
            "is_gold": False,
            "assigned_labelers": [
                f"{labelers[i % 4]},{labelers[(i + 1) % 4]}" for i in range(n_items)
            ],
        }
    )
    tasks = json.loads(json.dumps(build_tasks(items, population, synthetic_events(ids))))
    export = simulate_export(tasks, truth_labels(population, ids), dict.fromkeys(labelers, 0.05))
    planted = export[0]["annotations"][0]
    assert planted["completed_by"]["email"] == PLANTED_LABELER
    planted["result"] = [r for r in planted["result"] if r["from_name"] != "intent_correct"] + [
        {"from_name": "intent_correct", "to_name": "dialogue", "type": "choices",
         "value": {"choices": ["no"]}},
        {"from_name": "corrected_intent", "to_name": "dialogue", "type": "textarea",
         "value": {"text": [PLANTED_CUSTOMER]}},
        {"from_name": "notes", "to_name": "dialogue", "type": "textarea",
         "value": {"text": [PLANTED_NOTE]}},
    ]  # fmt: skip
    return export


@pytest.fixture
def home(tmp_path, monkeypatch) -> Paths:
    monkeypatch.setenv("CLOSEDLOOP_HOME", str(tmp_path))
    monkeypatch.delenv("CLOSEDLOOP_PII_KEY", raising=False)
    monkeypatch.delenv("CLOSEDLOOP_PII_KEY_FILE", raising=False)
    return paths(tmp_path).ensure()


def _varchar_values(database: str) -> list[tuple[str, str]]:
    """(table.column, value) for every non-null VARCHAR cell in ``database``."""
    with duckdb.connect(database, read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        assert columns  # the scan below must have something to scan
        return [
            (f"{schema}.{table}.{column}", value)
            for schema, table, column in columns
            for (value,) in con.execute(
                f'select "{column}" from "{schema}"."{table}" where "{column}" is not null'
            ).fetchall()
        ]


def test_labeler_pii_never_reaches_the_warehouse_but_qa_leads_can_name_labelers(home, tmp_path):
    population = synthetic_population(n=300)
    with duckdb.connect(str(home.warehouse)) as con:
        con.register("fct_frame", population.drop(columns=["true_resolved"]))
        con.execute("create table main.fct_conversations as select * from fct_frame")
    export_path = tmp_path / "export.json"
    export_path.write_text(json.dumps(_export_with_pii(population)))

    imported = runner.invoke(annotate_app, ["import", str(export_path)])
    assert imported.exit_code == 0, imported.output
    result = dg.materialize(
        [annotations, annotation_marts],
        partition_key="2026-11-03",
        resources={"warehouse": WarehouseResource(home=str(tmp_path))},
    )
    assert result.success

    cells = _varchar_values(str(home.warehouse))
    leaks = [
        (where, value) for where, value in cells for n in NEEDLES if n.lower() in value.lower()
    ]
    assert leaks == []
    (check,) = result.get_asset_check_evaluations()
    assert PLANTED_LABELER not in (check.description or "")
    # Scrubbed, not dropped: the labels are all there and the correction still reads.
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        n_rows = con.execute("select count(*) from annotation.labels").fetchone()[0]
        correction = con.execute(
            "select value from annotation.labels where field = 'corrected_intent'"
        ).fetchone()[0]
        annotators = {
            row[0] for row in con.execute("select annotator_id from annotation.labels").fetchall()
        }
        labeler_rows = con.execute("select annotator_id from main.mart_annotation_labelers").df()
    assert n_rows == len(load_labels(store_dir(home)))
    assert correction.startswith("refund - customer is <PERSON_1>")
    assert "<EMAIL_1>" in correction and "<PHONE_1>" in correction
    key = existing_pii_key(home)
    assert annotator_pseudonym(PLANTED_LABELER, key) in annotators
    assert all(a.startswith(ANNOTATOR_PREFIX) for a in annotators)
    assert set(labeler_rows["annotator_id"]) == annotators

    # QA leads (who can read the restricted area) see who a pseudonym is; others do not.
    shutil.copy(home.warehouse, home.analytics)  # what `publish` does, for the CLI to read

    directory = read_annotator_directory(home)
    assert stat.S_IMODE(directory_file(home).stat().st_mode) == 0o600
    assert PLANTED_LABELER in directory.values()
    shown = runner.invoke(annotate_app, ["labelers", "--json"])
    assert shown.exit_code == 0, shown.output
    assert {row["annotator_id"] for row in json.loads(shown.output)} == {
        PLANTED_LABELER,
        *LABELERS[1:],
    }

    table = runner.invoke(annotate_app, ["labelers"])
    assert table.exit_code == 0 and "a_" not in table.output, table.output

    directory_file(home).unlink()  # as for a user who cannot read the restricted area
    shown = runner.invoke(annotate_app, ["labelers", "--json"])
    assert shown.exit_code == 0, shown.output
    assert {row["annotator_id"] for row in json.loads(shown.output)} == {
        annotator_pseudonym(real, key) for real in (PLANTED_LABELER, *LABELERS[1:])
    }


def test_agreement_is_unchanged_by_pseudonymization(home):
    population = synthetic_population(n=300)
    labels = parse_export(_export_with_pii(population)).labels
    key = bytes(range(32))
    private = warehouse_labels(labels, key)
    before = batch_reports(labels, n_boot=50)
    after = batch_reports(private, n_boot=50)
    real = {annotator_pseudonym(a, key): a for a in labels["annotator_id"]}
    for (report, gate), (report_after, gate_after) in zip(before, after, strict=True):
        assert gate.passed == gate_after.passed
        pd.testing.assert_frame_equal(report.fields, report_after.fields)
        renamed = report_after.labelers.assign(
            annotator_id=report_after.labelers["annotator_id"].map(real)
        )
        pd.testing.assert_frame_equal(
            report.labelers.sort_values("annotator_id").reset_index(drop=True),
            renamed.sort_values("annotator_id").reset_index(drop=True),
        )
    assert len(before[0][0].labelers) == 4


def test_annotator_pseudonyms_are_keyed_and_distinct_from_customer_ones():
    key, other = b"k" * 32, b"o" * 32
    pseudonym = annotator_pseudonym(PLANTED_LABELER, key)
    assert pseudonym.startswith(ANNOTATOR_PREFIX) and PLANTED_LABELER not in pseudonym
    assert pseudonym == annotator_pseudonym(PLANTED_LABELER, key)
    assert pseudonym != annotator_pseudonym(PLANTED_LABELER, other)
    customer = pseudonymize(PLANTED_LABELER, key)
    assert pseudonym[len(ANNOTATOR_PREFIX) :] != customer[2:]


def test_off_list_choice_is_rejected_without_echoing_it(home):
    labels = pd.DataFrame(
        {
            "batch_id": ["b"], "guideline_version": ["v"], "item_id": ["conv-1"],
            "annotator_id": [PLANTED_LABELER], "field": ["resolved"],
            "value": ["yes, see rita.planted@example.org"], "is_gold": [False],
            "is_adjudication": [False],
        }
    )  # fmt: skip
    with pytest.raises(InvalidLabels) as error:
        warehouse_labels(labels, b"k" * 32)
    assert "conv-1/resolved" in str(error.value)
    assert "rita.planted" not in str(error.value) and error.value.__cause__ is None
    result = runner.invoke(annotate_app, ["import", "--batch-id", "b", str(_csv(home, labels))])
    assert result.exit_code == 2 and load_labels(store_dir(home)).empty


def _csv(home: Paths, labels: pd.DataFrame):
    target = home.home / "labels.csv"
    labels[["item_id", "annotator_id", "field", "value"]].to_csv(target, index=False)
    return target


def test_store_is_owner_only_and_old_homes_are_fixed(home):
    store = store_dir(home)
    labels = pd.DataFrame(
        {
            "batch_id": ["b"], "guideline_version": ["v"], "item_id": ["conv-1"],
            "annotator_id": [PLANTED_LABELER], "field": ["notes"], "value": [PLANTED_NOTE],
            "is_gold": [False], "is_adjudication": [False],
        }
    )  # fmt: skip
    labels_file = append_labels(labels, store)
    sample = pin_sample(
        pd.DataFrame({"conversation_id": ["conv-1"]}), store, pd.Timestamp("2026-11-03").date()
    )
    assert stat.S_IMODE(store.stat().st_mode) == 0o700
    assert stat.S_IMODE(sample.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(labels_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(sample.stat().st_mode) == 0o600

    # A data home from before this rule: world-readable store, fixed on next use.
    for path, mode in (
        (store, 0o755),
        (sample.parent, 0o755),
        (labels_file, 0o644),
        (sample, 0o644),
    ):
        path.chmod(mode)
    assert store_dir(home) == store
    assert [stat.S_IMODE(p.stat().st_mode) for p in (store, sample.parent, labels_file, sample)] == [
        0o700, 0o700, 0o600, 0o600,
    ]  # fmt: skip


def test_labeler_assignments_must_be_handles_not_contact_details() -> None:
    import pydantic

    from pipelines.defs.annotation import AnnotationSampleConfig

    assert AnnotationSampleConfig(labelers=["ana", "labeler_2"]).labelers == ["ana", "labeler_2"]
    with pytest.raises(pydantic.ValidationError, match="look like emails or phone numbers"):
        AnnotationSampleConfig(labelers=["ana@corp.example", "labeler_2"])
