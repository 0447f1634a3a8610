"""`closedloop generate` as the lead registers it."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from pipelines.cli.generate import generate_command


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("generate")(generate_command)
    app.command("noop")(lambda: None)  # a second command keeps "generate" a subcommand
    return app


def test_generate_command_writes_landing_and_truth(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        _app(),
        [
            "generate",
            "--start",
            "2026-02-01",
            "--end",
            "2026-02-02",
            "--per-day",
            "5",
            "--seed",
            "1",
            "--format",
            "csv",
            "--incident",
            "2026-02-02:refund",
            "--home",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "generated" in result.output
    for day in ("2026-02-01", "2026-02-02"):
        assert (tmp_path / "landing" / f"dt={day}" / "synthetic.csv").stat().st_size > 0
        assert (tmp_path / "raw" / "synth_truth" / f"dt={day}" / "truth.jsonl").exists()


def test_bad_incident_spec_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        _app(),
        [
            "generate",
            "--start",
            "2026-02-01",
            "--end",
            "2026-02-01",
            "--incident",
            "yesterday",
            "--home",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
