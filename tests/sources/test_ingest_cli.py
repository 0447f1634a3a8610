"""`closedloop ingest check`: per-file report and exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.cli.ingest import ingest_app
from pipelines.sources import spark as sources_spark
from pipelines.sources.ingest import judge_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def test_check_passes_valid_files():
    result = CliRunner().invoke(
        ingest_app, ["check", str(FIXTURES / "zendesk_ticket_comments.json")]
    )
    assert result.exit_code == 0, result.output
    assert "1 conversation read: 1 loaded, 0 quarantined" in result.output


def test_summary_line_stays_whole_under_a_long_path(tmp_path):
    # CI clones to a longer path than a laptop; an 80-column fold once split
    # "records read" across two lines there. Logs must stay greppable.
    deep = tmp_path.joinpath(*["a_rather_long_directory_name"] * 6)
    deep.mkdir(parents=True)
    export = deep / "zendesk_ticket_comments.json"
    export.write_bytes((FIXTURES / "zendesk_ticket_comments.json").read_bytes())
    result = CliRunner().invoke(ingest_app, ["check", str(export)])
    assert result.exit_code == 0, result.output
    summary = result.output.splitlines()[0]
    assert summary == f"{export}: 1 conversation read: 1 loaded, 0 quarantined"


def test_check_reports_reasons_and_record_numbers_and_fails(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "conversation_id,sent_at,actor,text\n"
        "a,2025-03-01T08:00:00Z,customer,hi\n"
        "b,soon,customer,hi\n"
    )
    result = CliRunner().invoke(ingest_app, ["check", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "2 rows read: 1 loaded, 1 quarantined (1 conversation loaded)" in result.output
    assert "unparseable_timestamp" in result.output
    assert "sent_at is neither ISO-8601" in result.output
    assert "soon" not in result.output  # messages never quote record values


def test_check_names_a_missing_column_once_and_only_the_file_s_own_columns(tmp_path):
    """A file in a landing day folder: DuckDB must not add the folder's ``dt`` as a column,
    and one missing column is one problem, not one line per row."""
    folder = tmp_path / "dt=2025-03-01"
    folder.mkdir()
    path = folder / "export.csv"
    rows = [f"c{i},2025-03-01T08:00:0{i}Z,customer,hi" for i in range(6)]
    path.write_text("conversation_id,sent_at,who,text\n" + "\n".join(rows) + "\n")
    result = CliRunner().invoke(ingest_app, ["check", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert "6 rows read: 0 loaded, 6 quarantined (0 conversations loaded)" in result.output
    assert result.output.count("the file has no actor column") == 1
    assert "its columns: conversation_id" in result.output
    assert ", dt" not in result.output.replace("\n", " ")
    assert "2, 3, 4, 5, 6 (+1 more)" in result.output


def test_the_judge_follows_the_engine_setting_without_starting_spark_for_duckdb(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The selection the asset and ``ingest check`` share (a real Spark check is in
    tests/dbt/test_spark_parity.py, on that module's one session)."""
    with sources_spark.engine_judge("duckdb") as judge:
        assert judge is judge_files
    sessions = []

    class FakeSession:  # what SparkTarget.session would yield: the active or a local session
        def __enter__(self) -> str:
            sessions.append("started")
            return "session"

        def __exit__(self, *exc: object) -> None:
            sessions.append("stopped")

    monkeypatch.setattr(sources_spark.SparkTarget, "session", lambda self, app: FakeSession())
    with sources_spark.engine_judge("spark") as judge:
        assert judge.func is sources_spark.judge_files_on_spark
        assert judge.args == ("session",)
        assert sessions == ["started"]
    assert sessions == ["started", "stopped"]


def test_check_judges_with_the_engine_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    engines = []

    def recorded(engine: str, target: object = None):
        engines.append(engine)
        return sources_spark.engine_judge("duckdb")

    monkeypatch.setattr("pipelines.cli.ingest.engine_judge", recorded)
    monkeypatch.setenv("CLOSEDLOOP_ENGINE", "spark")
    result = CliRunner().invoke(
        ingest_app, ["check", str(FIXTURES / "zendesk_ticket_comments.json")]
    )
    assert result.exit_code == 0, result.output
    assert engines == ["spark"]
    assert "1 conversation read: 1 loaded, 0 quarantined" in result.output
