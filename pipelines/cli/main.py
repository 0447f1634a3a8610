"""The `closedloop` command: assembles the command groups, one module each.

Command modules are imported only when their command runs. Importing all of them
pulls in Dagster, dbt, scikit-learn and DuckDB (over 20 s on a busy 2-core machine),
which a quick command such as `closedloop pii scrub` must not pay for.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

import click
import typer
from typer.core import TyperCommand, TyperGroup

from pipelines.cli.options import HOME, console, existing_home
from pipelines.config import paths, restrict_new_files

# command name -> (module, attribute): a Typer sub-app or a command function.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "generate": ("pipelines.cli.generate", "generate_command"),
    "demo": ("pipelines.cli.demo", "demo_command"),
    "run": ("pipelines.cli.run", "run_command"),
    "publish": ("pipelines.cli.publish", "publish_command"),
    "doctor": ("pipelines.cli.doctor", "doctor_command"),
    "init": ("pipelines.cli.init", "init_command"),
    "ingest": ("pipelines.cli.ingest", "ingest_app"),
    "pii": ("pipelines.cli.pii", "pii_app"),
    "annotate": ("pipelines.cli.annotate", "annotate_app"),
    "kb": ("pipelines.cli.kb", "kb_app"),
    "judge": ("pipelines.cli.judge", "judge_app"),
}
# One help line per lazy command: `closedloop --help` lists them without importing
# them (which would load Dagster and print its beta warnings); commands defined as
# plain functions also use it as their help.
COMMAND_HELP = {
    "generate": "Generate synthetic US support-chat transcripts into the landing zone.",
    "demo": "Generate 14 days of data, run the pipeline and print where to look.",
    "run": "Materialize the whole graph for a date range in one in-process run.",
    "publish": "Publish analytics.duckdb from the warehouse now, comparing every day.",
    "doctor": "Check the setup and print what to fix.",
    "init": "Create a data home: landing/, the raw area and a settings file.",
    "ingest": "Transcript ingestion: validate export files against the canonical contract.",
    "pii": "PII scrubbing of text, and deliberately accepting a new pseudonymization key.",
    "annotate": "Human annotation: sampling plans, Label Studio round trip, agreement.",
    "kb": "Knowledge base: lint articles for US-market norms.",
    "judge": "Judges: the judge in force, its version and the agreement behind its trust.",
}


def _load(name: str) -> click.Command:
    if "--verbose" not in sys.argv[1:] and "-v" not in sys.argv[1:]:
        # Dagster's notices that an API this project chose is beta/preview are for
        # its developers (`make lint` shows them), not for whoever runs a command.
        warnings.filterwarnings("ignore", message=r".* is currently in (beta|preview)")
        # pandera imports pyspark when it is installed (the Spark engine's dev extra),
        # and pyspark warns about pandas 3, which only its pandas API would use.
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    module, attribute = LAZY_COMMANDS[name]
    target = getattr(importlib.import_module(module), attribute)
    if not isinstance(target, typer.Typer):
        wrapper = typer.Typer()
        wrapper.command(name, help=COMMAND_HELP.get(name))(target)
        target = wrapper
    command = typer.main.get_command(target)
    command.name = name
    return command


class _LazyCommand(TyperCommand):
    """Stands in for a lazy command in listings (help, completion); running it, or
    asking for its own help, loads the real command."""

    def __init__(self, name: str) -> None:
        super().__init__(name, help=COMMAND_HELP[name], short_help=COMMAND_HELP[name])

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        return _load(self.name or "").make_context(info_name, args, parent=parent, **extra)


class _LazyGroup(TyperGroup):
    """A Typer group whose listed commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            return _LazyCommand(cmd_name)
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    cls=_LazyGroup,
    help="closedloop: trustworthy chatbot resolution metrics on a PII-safe pipeline.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


def entry() -> None:
    """The ``closedloop`` script: the app, then an exit without the interpreter's
    teardown. After a pipeline run that teardown (freeing every object of Dagster,
    dbt's and GX's modules, pandas, sklearn ...) took 3-16 s, longer on a loaded machine,
    with nothing left to do (docs/performance.md, *The fixed cost: what runs while dbt
    works*). What an exit does for others still happens: threads still running are
    joined and the exit handlers run (logging, multiprocessing, executors), then the
    standard streams are flushed."""
    try:
        app(prog_name="closedloop")
        code: object = 0
    except SystemExit as done:
        code = done.code
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()  # what the interpreter's exit runs first
    if isinstance(code, str):  # sys.exit("message"): printed, status 1
        sys.stderr.write(code + "\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe: nothing more to tell
            stream.flush()
    os._exit(code if isinstance(code, int) else 0)


@app.callback()
def main() -> None:
    """closedloop: trustworthy chatbot resolution metrics on a PII-safe pipeline."""
    # Every file a command (or a process it starts: dbt, `dg dev`) creates is owner-only.
    restrict_new_files()


@app.command("ui")
def ui_command(
    home: Path | None = HOME,
    port: int = typer.Option(3000, help="Webserver port."),
) -> None:
    """Start the Dagster UI and daemon (`dg dev`: schedules, sensors, backfills) on this data home."""
    from pipelines.instance import PROJECT_ROOT, dg_dev_command, prepare_dagster_home, supervise

    prepare_dagster_home(existing_home(paths(home)).ensure())
    console.print(
        f"Dagster UI on http://127.0.0.1:{port} (DAGSTER_HOME={os.environ['DAGSTER_HOME']})"
    )
    raise typer.Exit(supervise(dg_dev_command(port), PROJECT_ROOT))


@app.command("dbt-prepare")
def dbt_prepare_command() -> None:
    """Parse the dbt project so Dagster can load its manifest."""
    from pipelines.dbt_args import prepare_manifest

    prepare_manifest()
    console.print("dbt manifest ready")
