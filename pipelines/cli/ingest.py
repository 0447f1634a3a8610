"""``closedloop ingest``: check export files against the ingest contract before onboarding them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from pipelines.cli.consoles import make_console
from pipelines.cli.options import checked_settings
from pipelines.sources import SUPPORTED_SUFFIXES, ColumnMapError, judge_file, reasons
from pipelines.sources.column_map import configured_column_map

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

    Exit code 0 when every record of every file is valid, 1 otherwise, 2 for an
    unusable column map.
    """
    console = make_console()
    try:
        mapping = configured_column_map(column_map, checked_settings().column_map)
    except ColumnMapError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=2) from None
    all_valid = True
    for path in paths:
        if not path.name.lower().endswith(SUPPORTED_SUFFIXES):
            console.print(
                f"[red]{path}[/red]: unsupported file type; use one of {', '.join(SUPPORTED_SUFFIXES)}"
            )
            all_valid = False
            continue
        judged = judge_file(path, str(path), mapping)
        loaded = int(judged.conversations["n_records"].sum())
        quarantine = judged.quarantine.sort_values("record_number", kind="stable")
        colour = "green" if quarantine.empty else "red"
        console.print(
            f"[bold]{path}[/bold]: {judged.records_read} records read ({judged.record_kind} each), "
            f"[green]{loaded} valid[/green], [{colour}]{len(quarantine)} quarantined[/{colour}] "
            f"in {len(judged.conversations)} valid conversations"
        )
        if quarantine.empty:
            continue
        all_valid = False
        by_reason = Table(
            "reason", "records", "meaning", title="quarantined by reason", title_justify="left"
        )
        for reason, count in quarantine["reason_code"].value_counts().sort_index().items():
            by_reason.add_row(str(reason), str(count), reasons.DESCRIPTIONS.get(str(reason), ""))
        console.print(by_reason)
        errors = Table(
            "record", "reason", "message", title=f"first {show} errors", title_justify="left"
        )
        for row in quarantine.head(show).itertuples():
            errors.add_row(str(row.record_number), str(row.reason_code), str(row.message))
        console.print(errors)
    raise typer.Exit(code=0 if all_valid else 1)
