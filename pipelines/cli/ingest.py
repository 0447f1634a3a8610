"""``closedloop ingest``: check export files against the ingest contract before onboarding them."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pipelines.cli.consoles import make_console
from pipelines.cli.options import checked_settings
from pipelines.config import DEFAULT_MEMORY_BUDGET_MB
from pipelines.sources import (
    SUPPORTED_SUFFIXES,
    ColumnMapError,
    JudgedFile,
    reasons,
)
from pipelines.sources.column_map import configured_column_map
from pipelines.sources.scratch import IngestBudget
from pipelines.sources.spark import engine_judge
from pipelines.spark_session import SparkTarget

ingest_app = typer.Typer(
    help="Transcript ingestion: validate export files against the canonical contract.",
    no_args_is_help=True,
)


@ingest_app.callback()
def ingest() -> None:
    """Transcript ingestion commands (a group, so ``check`` stays a subcommand)."""


@ingest_app.command()
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(exists=True, dir_okay=False, readable=True, help="Export files to check."),
    ],
    column_map: Annotated[
        Path | None,
        typer.Option(
            "--column-map",
            exists=True,
            dir_okay=False,
            help="YAML mapping the export's column names/values to canonical ones "
            "[default: the column_map setting, CLOSEDLOOP_COLUMN_MAP].",
        ),
    ] = None,
    show: Annotated[int, typer.Option(help="How many quarantined records to show per file.")] = 5,
) -> None:
    """Read each file like the pipeline would and report what would load and what not.

    With the setting ``engine: spark`` the files are judged as one Spark job, as the
    pipeline's ingest step does (docs/scale-out.md). Exit code 0 when every record of
    every file is valid, 1 otherwise, 2 for an unusable column map.
    """
    console = make_console()
    settings = checked_settings()
    try:
        mapping = configured_column_map(column_map, settings.column_map)
    except ColumnMapError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=2) from None
    supported = [p for p in paths if p.name.lower().endswith(SUPPORTED_SUFFIXES)]
    all_valid = len(supported) == len(paths)
    with tempfile.TemporaryDirectory(prefix="closedloop-judge-") as scratch:
        if supported:
            with engine_judge(settings.engine, SparkTarget.of(settings)) as judge:
                # A path given on the command line is trusted as the user's file; the
                # pipeline refuses links inside landing/.
                judged = iter(
                    judge(
                        [p.resolve() for p in supported],
                        [str(p) for p in supported],
                        mapping,
                        Path(scratch),
                        IngestBudget.from_budget(DEFAULT_MEMORY_BUDGET_MB),
                    )
                )
        for path in paths:
            if path in supported:
                all_valid &= _print_file_report(console, path, next(judged).load(), show)
            else:
                console.print(
                    f"[red]{path}[/red]: unsupported file type; use one of "
                    f"{', '.join(SUPPORTED_SUFFIXES)}"
                )
    raise typer.Exit(code=0 if all_valid else 1)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _print_file_report(console: Console, path: Path, judged: JudgedFile, show: int) -> bool:
    """Print one file's outcome; True when every record would load."""
    loaded = int(judged.conversations["n_records"].sum())
    quarantine = judged.quarantine.sort_values("record_number", kind="stable")
    unit = "row" if judged.record_kind == "event row" else "conversation"
    colour = "green" if quarantine.empty else "red"
    summary = (
        f"[bold]{path}[/bold]: {_plural(judged.records_read, unit)} read: "
        f"[green]{loaded} loaded[/green], [{colour}]{len(quarantine)} quarantined[/{colour}]"
    )
    if unit == "row":
        summary += f" ({_plural(len(judged.conversations), 'conversation')} loaded)"
    console.print(summary)
    if quarantine.empty:
        return True
    by_reason = Table(
        "reason", unit + "s", "meaning", title="quarantined by reason", title_justify="left"
    )
    for reason, count in quarantine["reason_code"].value_counts().sort_index().items():
        by_reason.add_row(str(reason), str(count), reasons.DESCRIPTIONS.get(str(reason), ""))
    console.print(by_reason)
    # One line per distinct problem (a missing column is one problem, not one per row);
    # rows rejected only because of another row of their conversation are in the
    # counts above, not repeated here.
    own = quarantine[quarantine["reason_code"] != reasons.SIBLING_REJECTED]
    problems = (
        own.groupby(["reason_code", "message"], sort=False)["record_number"].agg(list).reset_index()
    )
    title = "problems" if len(problems) <= show else f"first {show} of {len(problems)} problems"
    label = "record" if unit == "conversation" else "row"
    table = Table(label + "s", "reason", "problem", title=title, title_justify="left")
    for row in problems.head(show).itertuples():
        numbers = ", ".join(map(str, row.record_number[:5]))
        more = len(row.record_number) - 5
        table.add_row(
            numbers + (f" (+{more} more)" if more > 0 else ""), row.reason_code, row.message
        )
    console.print(table)
    return False
