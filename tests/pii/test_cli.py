"""`closedloop pii scrub` round trip and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pipelines.cli.pii import pii_app

runner = CliRunner()


def test_round_trip_from_file(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    records = [
        {"id": "a", "text": "I'm Jane Doe, mail jane@doe.com"},
        {"id": "b", "text": None},
        {"id": "c", "text": "nothing here"},
    ]
    source.write_text("".join(json.dumps(r) + "\n" for r in records))
    result = runner.invoke(pii_app, ["scrub", str(source), "--stats"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c"]
    first = lines[0]
    assert first["scrubbed"] == "I'm <PERSON_1>, mail <EMAIL_1>"
    assert [first["text"][e["start"] : e["end"]] for e in first["entities"]] == [
        "Jane Doe",
        "jane@doe.com",
    ]
    assert lines[1]["scrubbed"] is None and lines[2]["entities"] == []
    assert json.loads(result.stderr) == {"EMAIL": 1, "PERSON": 1}


def test_stdin_and_stats_only() -> None:
    result = runner.invoke(
        pii_app, ["scrub", "--stats-only"], input='{"id": 1, "text": "a@b.com"}\n'
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"EMAIL": 1}


def test_bad_line_fails_with_line_number() -> None:
    result = runner.invoke(pii_app, ["scrub"], input='{"id": 1, "text": "ok"}\n{"id": 2\n')
    assert result.exit_code == 1
    assert "line 2: invalid JSON" in result.stderr
    missing = runner.invoke(pii_app, ["scrub"], input='{"id": 1}\n')
    assert missing.exit_code == 1 and "line 1" in missing.stderr
