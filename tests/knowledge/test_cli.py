"""`closedloop kb lint`: output, --json shape, --config, --fix and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from pipelines.cli.main import app

from .conftest import FIXTURES

REFUND = FIXTURES / "markdown" / "refund-policy.md"
JSON_KEYS = {"file", "line", "column", "rule", "category", "severity", "text", "suggestion"}


def run(*args: str):
    return CliRunner().invoke(app, ["kb", "lint", *args])


def test_json_output_is_a_list_of_findings_with_the_documented_keys():
    result = run(str(REFUND), "--json")
    assert result.exit_code == 1  # British spelling is an error
    findings = json.loads(result.stdout)
    assert findings and all(set(f) == JSON_KEYS for f in findings)
    first = next(f for f in findings if f["text"] == "cancelled")
    assert first == {
        "file": str(REFUND),
        "line": 11,
        "column": 11,
        "rule": "spelling.british",
        "category": "spelling",
        "severity": "error",
        "text": "cancelled",
        "suggestion": "canceled",
    }


def test_clean_article_exits_zero_and_prints_a_summary(tmp_path):
    (tmp_path / "ok.md").write_text("---\nid: ok\n---\n# Refunds\n\nCall us at (800) 555-0199.\n")
    result = run(str(tmp_path))
    assert result.exit_code == 0, result.stdout
    assert "1 files, 1 articles, 0 findings" in result.stdout


def test_warnings_only_exit_zero_and_errors_exit_one(tmp_path):
    (tmp_path / "w.md").write_text("---\nid: w\n---\nWe ship parcels.\n")
    assert run(str(tmp_path)).exit_code == 0
    (tmp_path / "e.md").write_text("---\nid: e\n---\nPick a colour.\n")
    assert run(str(tmp_path)).exit_code == 1


def test_articles_that_cannot_load_are_reported_and_fail_the_run():
    result = run(str(FIXTURES / "markdown" / "no-id.md"))
    assert result.exit_code == 1
    assert "missing_id" in result.stderr


def test_config_turns_rules_off_and_changes_severity(tmp_path):
    config = tmp_path / "lint.yaml"
    config.write_text(
        "disable: [spelling, date.day_first_numeric]\nseverity: {time.24_hour: warning}\n"
    )
    findings = json.loads(run(str(REFUND), "--json", "--config", str(config)).stdout)
    assert not {f["category"] for f in findings} & {"spelling"}
    assert "date.day_first_numeric" not in {f["rule"] for f in findings}
    assert {f["severity"] for f in findings if f["rule"] == "time.24_hour"} == {"warning"}


def test_usage_errors_exit_two(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("disable: spelling\n")
    assert run(str(REFUND), "--config", str(bad)).exit_code == 2
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("readability: 8\n")
    result = run(str(REFUND), "--config", str(unknown))
    assert result.exit_code == 2 and "unknown keys" in result.stderr
    assert run(str(tmp_path / "missing.md")).exit_code == 2
    broken_rules = tmp_path / "rules.yaml"
    broken_rules.write_text("rules:\n  - id: x\n    category: color\n")
    config = tmp_path / "with-rules.yaml"
    config.write_text("rules: rules.yaml\n")
    assert run(str(REFUND), "--config", str(config)).exit_code == 2


def test_fix_writes_safe_fixes_to_a_copy(tmp_path):
    article = tmp_path / "refund-policy.md"
    shutil.copy(REFUND, article)
    original = article.read_text()
    result = run(str(article), "--fix")
    assert article.read_text() == original
    fixed = Path(f"{article}.fixed").read_text()
    assert fixed.startswith("---\nid: refund-policy\n")
    assert "We refund canceled orders within a fortnight." in fixed  # vocabulary is not auto-fixed
    assert (
        "Refunds made on March 31, 2026 at 5:30 p.m. reach your account by April 5, 2026." in fixed
    )
    assert '"Colour settings"' in fixed and "`colour`" in fixed and "colour=blue" in fixed
    assert "fixes written" in result.stdout
    # the copy is not an article: linting the folder again finds only the original
    assert "1 files, 1 articles" in run(str(tmp_path)).stdout
