"""``closedloop judge``: which judge decides the `verified` rung, and whether it may."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from pipelines.cli.consoles import make_console
from pipelines.cli.options import HOME, checked_settings
from pipelines.config import paths

judge_app = typer.Typer(
    help="Judges: the judge in force, its version and the agreement behind its trust.",
    no_args_is_help=True,
)


@judge_app.callback()
def judge() -> None:
    """Judge commands (a group, so ``status`` stays a subcommand)."""


def _number(value: object, digits: int = 3) -> str:
    return "–" if value is None or value != value else f"{float(value):.{digits}f}"  # NaN


@judge_app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
    home: Path | None = HOME,
) -> None:
    """The judge in force, its version, whether it is trusted for the headline, and the
    agreement behind it: Gwet's AC1 with humans, its lower 95% bound, n and the
    threshold (main.judge_trust of the newest run, read from the analysts' snapshot).
    Other judge versions that have verdicts are listed below it."""
    import duckdb

    from pipelines.monitoring.queries import judge_trust

    configured = checked_settings(home).judge
    snapshot = paths(home).analytics
    errors = make_console(stderr=True)
    if not snapshot.exists():
        errors.print(
            f"[red]error:[/red] no analytics snapshot at {escape(str(snapshot))}: "
            "run the pipeline first"
        )
        raise typer.Exit(1)
    with duckdb.connect(str(snapshot), read_only=True) as con:
        rows = judge_trust(con)
    if as_json:
        typer.echo(rows.to_json(orient="records", date_format="iso", indent=2))
        return
    console = make_console()
    if rows.empty:
        console.print(
            f"judge {configured} (setting `judge`): not measured yet — judge_marts has not "
            "run on this home"
        )
        return
    table = Table(title="Judges vs the human consensus on 'resolved'")
    for column in ("judge", "version", "in force", "trusted", "AC1", "AC1 95% low", "threshold", "n"):  # fmt: skip
        table.add_column(column, justify="left" if column in ("judge", "version") else "right")
    for row in rows.itertuples(index=False):
        table.add_row(
            escape(str(row.judge)),
            escape(str(row.judge_version)),
            "yes" if row.in_force else "",
            "[green]yes[/green]" if row.trusted else "[red]no[/red]",
            _number(row.gwet_ac1),
            _number(row.gwet_ac1_ci_low),
            _number(row.threshold, 2),
            f"{int(row.n):,}",
        )
    console.print(table)
    in_force = rows.loc[rows["in_force"].astype(bool)]
    if in_force.empty:
        console.print(f"no judge in force (setting `judge`: {configured})")
        return
    decision = in_force.iloc[0]
    console.print(escape(str(decision["message"])))
    console.print(
        "the verified rung is the headline"
        if decision["trusted"]
        else "the verified rung is hidden; durable stays the headline"
    )
    if decision["judge"] != configured:
        console.print(
            f"[yellow]note:[/yellow] the setting `judge` is now {configured}; these numbers "
            f"are for {escape(str(decision['judge']))} until the pipeline runs again"
        )
    console.print(
        f"measured {decision['evaluated_at']:%Y-%m-%d %H:%M %Z}, read from {escape(str(snapshot))}"
    )
