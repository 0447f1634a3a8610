"""Mistakes a user makes on the command line get a clear message and exit code 2,
never a traceback; a run that read nothing says so."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from pipelines.cli.main import app
from pipelines.cli.run import RunOutcome, console, print_ingest_summary
from pipelines.config import paths


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env)


def test_a_start_before_the_first_partition_names_the_setting(tmp_path):
    assert _run("init", str(tmp_path), "--partitions-start", "2025-01-01").exit_code == 0
    result = _run("run", "--start", "2024-12-30", "--end", "2025-01-02", "--home", str(tmp_path))
    assert result.exit_code == 2
    assert "partitions_start" in result.output and "Traceback" not in result.output
    assert "closedloop.yaml" in result.output  # where to change it


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("CLOSEDLOOP_BUSINESS_TIMEZONE", "Mars/Olympus", "not an IANA time zone"),
        ("CLOSEDLOOP_MIN_N", "thirty", "not a valid int"),
        ("CLOSEDLOOP_QUARANTINE_THRESHOLD", "5", "share in 0..1"),
        ("CLOSEDLOOP_PARTITIONS_START", "2025-13-01", "not a YYYY-MM-DD date"),
    ],
)
def test_an_invalid_setting_stops_run_and_demo_with_its_name(tmp_path, name, value, says):
    for command in (
        ["run", "--start", "2025-03-01", "--end", "2025-03-01", "--home", str(tmp_path)],
        ["demo", "--home", str(tmp_path)],
    ):
        result = _run(*command, env={name: value})
        assert result.exit_code == 2, result.output
        assert says in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("days", ["0", "-3"])
def test_demo_refuses_a_non_positive_number_of_days(tmp_path, days):
    result = _run("demo", "--days", days, "--home", str(tmp_path))
    assert result.exit_code == 2
    assert "--days" in result.output


def _outcome(**ingest: int) -> RunOutcome:
    return RunOutcome(run_id="r1", success=True, seconds=1.0, failed_steps=[], ingest=ingest)


def test_a_run_that_found_no_landing_files_warns(tmp_path):
    with console.capture() as captured:
        print_ingest_summary(
            _outcome(files_scanned=0, records_read=0, records_loaded=0, records_quarantined=0),
            paths(tmp_path),
            date(2025, 3, 1),
            date(2025, 3, 2),
        )
    text = captured.get()
    assert "no landing files for 2025-03-01..2025-03-02" in text and "nothing was loaded" in text


def test_a_run_reports_what_it_read_and_where_the_quarantine_is(tmp_path):
    with console.capture() as captured:
        print_ingest_summary(
            _outcome(files_scanned=2, records_read=120, records_loaded=117, records_quarantined=3),
            paths(tmp_path),
            date(2025, 3, 1),
            date(2025, 3, 1),
        )
    text = captured.get()
    assert "ingested 120 records from 2 files: 117 loaded, 3 quarantined" in text
    assert "quarantine" in text.split("3 quarantined", 1)[1]


def test_a_run_says_how_many_files_came_from_the_ingest_cache(tmp_path):
    with console.capture() as captured:
        print_ingest_summary(
            _outcome(files_scanned=5, files_from_cache=4, records_read=9, records_loaded=9),
            paths(tmp_path),
            date(2025, 3, 1),
            date(2025, 3, 1),
        )
    text = " ".join(captured.get().split())
    assert "from 5 files (4 judged by an earlier run, from the ingest cache): 9 loaded" in text


def test_a_malformed_alert_webhook_stops_the_run_before_it_starts(tmp_path):
    """issue 12 #7: found at the start, named without its token, exit code 2."""
    url = "https://hooks.slack.com/services/T0/B0 zq7token"
    (tmp_path / "h" / "landing").mkdir(parents=True)  # a valid (team-created) home
    result = _run(
        "run", "--start", "2025-03-01", "--end", "2025-03-01", "--home", str(tmp_path / "h"),
        env={"CLOSEDLOOP_ALERT_WEBHOOK": url},
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "CLOSEDLOOP_ALERT_WEBHOOK" in result.output and "whitespace" in result.output
    assert "zq7token" not in result.output and "Traceback" not in result.output
    assert [p.name for p in (tmp_path / "h").iterdir()] == ["landing"]  # nothing was written


def test_the_run_summary_lists_the_most_quarantined_files_with_their_reasons(tmp_path):
    files = [
        f"dt=2025-03-01/f{i}.jsonl: 2 of 2 records quarantined (100.0% bad; top reasons: x=2)"
        for i in range(7)
    ]
    outcome = RunOutcome(
        run_id="r",
        success=False,
        seconds=1.0,
        failed_steps=["raw_transcripts"],
        ingest={
            "files_scanned": 7,
            "records_read": 14,
            "records_loaded": 0,
            "records_quarantined": 14,
        },
        quarantined_files=files,
    )
    with console.capture() as captured:
        print_ingest_summary(outcome, paths(tmp_path), date(2025, 3, 1), date(2025, 3, 1))
    lines = captured.get().splitlines()
    assert [line.strip() for line in lines[1:6]] == files[:5]
    assert lines[6].strip() == "... and 2 more files"
