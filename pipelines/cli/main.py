"""The `closedloop` command: assembles the command groups, one module each."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import typer

from pipelines.cli.annotate import annotate_app
from pipelines.cli.demo import demo_command
from pipelines.cli.doctor import doctor_command
from pipelines.cli.generate import generate_command
from pipelines.cli.ingest import ingest_app
from pipelines.cli.kb import kb_app
from pipelines.cli.options import HOME, console
from pipelines.cli.pii import pii_app
from pipelines.cli.run import run_command
from pipelines.config import paths
from pipelines.dbt_args import prepare_manifest
from pipelines.instance import PROJECT_ROOT, dg_dev_command, prepare_dagster_home

app = typer.Typer(
    help="closedloop: trustworthy chatbot resolution metrics on a PII-safe pipeline.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command(
    "generate", help="Generate synthetic US support-chat transcripts into the landing zone."
)(generate_command)
app.command("demo", help="Generate 14 days of data, run the pipeline and print where to look.")(
    demo_command
)
app.command("run")(run_command)
app.command("doctor", help="Check the setup and print what to fix.")(doctor_command)
app.add_typer(ingest_app, name="ingest")
app.add_typer(pii_app, name="pii")
app.add_typer(annotate_app, name="annotate")
app.add_typer(kb_app, name="kb")


@app.command("ui")
def ui_command(
    home: Path | None = HOME,
    port: int = typer.Option(3000, help="Webserver port."),
) -> None:
    """Start the Dagster UI and daemon (`dg dev`: schedules, sensors, backfills) on this data home."""
    prepare_dagster_home(paths(home).ensure())
    console.print(
        f"Dagster UI on http://127.0.0.1:{port} (DAGSTER_HOME={os.environ['DAGSTER_HOME']})"
    )
    raise typer.Exit(subprocess.call(dg_dev_command(port), cwd=PROJECT_ROOT))


@app.command("dbt-prepare")
def dbt_prepare_command() -> None:
    """Parse the dbt project so Dagster can load its manifest."""
    prepare_manifest()
    console.print("dbt manifest ready")
