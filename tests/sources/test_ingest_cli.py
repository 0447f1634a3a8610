"""`closedloop ingest check`: per-file report and exit code."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from pipelines.cli.ingest import ingest_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def test_check_passes_valid_files():
    result = CliRunner().invoke(
        ingest_app, ["check", str(FIXTURES / "zendesk_ticket_comments.json")]
    )
    assert result.exit_code == 0, result.output
    assert "1 records read" in result.output and "0 quarantined" in result.output


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
    assert summary.startswith(str(export)) and "1 records read" in summary
    assert summary.endswith("in 1 valid conversations")


def test_check_reports_reasons_and_record_numbers_and_fails(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "conversation_id,sent_at,actor,text\n"
        "a,2025-03-01T08:00:00Z,customer,hi\n"
        "b,soon,customer,hi\n"
    )
    result = CliRunner().invoke(ingest_app, ["check", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "2 records read" in result.output
    assert "unparseable_timestamp" in result.output
    assert "sent_at 'soon'" in result.output
