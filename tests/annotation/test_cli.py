"""``closedloop annotate`` against a snapshot built in a temporary data home."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import krippendorff
import pytest
from typer.testing import CliRunner

from pipelines.annotation.simulate import simulate_export
from pipelines.annotation.store import load_labels, store_dir
from pipelines.cli.annotate import annotate_app
from pipelines.config import paths
from schemas.labels import ALLOWED_VALUES
from tests.annotation.annotation_data import (
    LABELERS,
    synthetic_events,
    synthetic_population,
    truth_labels,
)

runner = CliRunner()
DAY = "2026-11-03"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CLOSEDLOOP_HOME", str(tmp_path))
    population = synthetic_population(n=1500)
    events = synthetic_events(list(population["conversation_id"]))
    home_paths = paths(tmp_path).ensure()
    with duckdb.connect(str(home_paths.analytics)) as con:
        con.register("fct_frame", population.drop(columns=["true_resolved"]))
        con.register("events_frame", events)
        con.execute("create table main.fct_conversations as select * from fct_frame")
        con.execute("create schema scrubbed")
        con.execute("create table scrubbed.events as select * from events_frame")
    return population


def test_plan_overall_and_by_intent(home):
    result = runner.invoke(
        annotate_app, ["plan", "--margin", "0.03", "--confidence", "0.95", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["sample_size"] == 1068
    result = runner.invoke(annotate_app, ["plan", "--margin", "0.05", "--by", "intent", "--json"])
    assert result.exit_code == 0, result.output
    slices = {row["slice"]: row for row in json.loads(result.output)}
    assert set(slices) == set(home["intent"])
    assert all(row["sample_size"] <= row["population"] for row in slices.values())
    result = runner.invoke(annotate_app, ["plan", "--by", "nope"])
    assert result.exit_code == 2 and "no column 'nope'" in result.output


def test_export_label_import_agreement_adjudicate(home, tmp_path):
    out = tmp_path / "exports" / "tasks.json"
    labelers = ",".join(LABELERS)
    result = runner.invoke(
        annotate_app,
        ["export", "--date", DAY, "--out", str(out), "--sample-size", "80", "--labelers", labelers],
    )
    assert result.exit_code == 0, result.output
    tasks = json.loads(out.read_text())
    assert (out.parent / "label_config.xml").exists()
    assert all(task["data"]["date"] == DAY for task in tasks)
    # Drawn now, so pinned in the store for the pipeline to adopt; a re-export reuses it.
    assert (tmp_path / "annotations" / "samples" / f"sample-{DAY}.parquet").exists()
    runner.invoke(annotate_app, ["export", "--date", DAY, "--out", str(out), "--sample-size", "10"])
    assert len(json.loads(out.read_text())) == len(tasks)

    ids = [task["data"]["conversation_id"] for task in tasks]
    export = simulate_export(tasks, truth_labels(home, ids), dict.fromkeys(LABELERS, 0.05), seed=2)
    export_path = tmp_path / "export.json"
    export_path.write_text(json.dumps(export))

    result = runner.invoke(
        annotate_app,
        ["agreement", str(export_path), "--field", "resolved", "--json", "--n-boot", "100"],
    )
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["field"] == "resolved" and row["n_items"] == len(tasks) and row["n_annotators"] == 4
    assert 0.8 < row["percent_agreement"] <= 1
    low, high = row["krippendorff_alpha_ci"]
    assert low <= row["krippendorff_alpha"] <= high

    result = runner.invoke(annotate_app, ["import", str(export_path)])
    assert result.exit_code == 0, result.output
    stored = load_labels(store_dir(paths()))
    assert len(stored) == len(tasks) * 2 * 6
    assert not (tmp_path / "warehouse" / "warehouse.duckdb").exists()  # single writer

    queue_path = tmp_path / "adjudicate.json"
    result = runner.invoke(annotate_app, ["adjudicate", str(export_path), "--out", str(queue_path)])
    assert result.exit_code == 0, result.output
    queue = json.loads(queue_path.read_text())
    assert queue and all(task["data"]["adjudication"] for task in queue)
    assert (tmp_path / "adjudication_config.xml").exists()


def test_import_rejects_invalid_values(home, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("item_id,annotator_id,field,value\nc1,ana,resolved,maybe\n")
    result = runner.invoke(annotate_app, ["import", str(bad), "--batch-id", "b"])
    assert result.exit_code == 2
    assert "allowed" in result.output
    assert load_labels(store_dir(paths())).empty


def test_agreement_table_on_a_tiny_export(home):
    fixture = Path(__file__).parent / "fixtures" / "labelstudio_export.json"
    result = runner.invoke(annotate_app, ["agreement", str(fixture), "--n-boot", "20", "--strict"])
    # One item rated twice, disagreeing on `resolved`: the gate fails and --strict says so.
    assert result.exit_code == 1, result.output
    assert "FAIL" in result.output and "resolved" in result.output


PLAIN_EXPORT = Path(__file__).parent / "fixtures" / "project-12-at-2026-11-20-14-05-3f9a1c2e.json"


def test_agreement_on_a_plain_label_studio_export_matches_krippendorff():
    result = runner.invoke(
        annotate_app, ["agreement", str(PLAIN_EXPORT), "--json", "--n-boot", "20"]
    )
    assert result.exit_code == 0, result.output
    rows = {row["field"]: row for row in json.loads(result.stdout)}
    assert set(rows) == {"resolved", "intent_correct"}
    raw = json.loads(PLAIN_EXPORT.read_text())
    for field, level in (("resolved", "ordinal"), ("intent_correct", "nominal")):
        order = {value: code for code, value in enumerate(ALLOWED_VALUES[field])}
        matrix = [
            [
                next(
                    order[r["value"]["choices"][0]]
                    for a in task["annotations"]
                    if a["completed_by"] == who
                    for r in a["result"]
                    if r["from_name"] == field
                )
                for task in raw
            ]
            for who in (3, 5, 8)
        ]
        expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)
        row = rows[field]
        assert row["batch_id"] == PLAIN_EXPORT.stem and row["n_items"] == 12
        assert row["n_annotators"] == 3 and row["krippendorff_level"] == level
        assert row["krippendorff_alpha"] == pytest.approx(expected)


def test_import_of_a_plain_export_needs_a_guideline_version(home, tmp_path):
    result = runner.invoke(annotate_app, ["import", str(PLAIN_EXPORT)])
    assert result.exit_code == 2
    assert "--guideline-version" in result.output
    assert load_labels(store_dir(paths())).empty
    result = runner.invoke(annotate_app, ["import", str(PLAIN_EXPORT), "--guideline-version", "v7"])
    assert result.exit_code == 0, result.output
    assert "ignored 36 results of 'sentiment'" in result.output
    stored = load_labels(store_dir(paths()))
    assert len(stored) == 72 and set(stored["guideline_version"]) == {"v7"}
    assert set(stored["batch_id"]) == {PLAIN_EXPORT.stem}
