"""`closedloop generate`: synthetic transcripts into the landing zone, truth into raw/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipelines.cli.consoles import make_console
from pipelines.cli.options import HOME, parse_day
from pipelines.config import paths
from pipelines.synth import FORMATS, Incident, generate, load_incidents

console = make_console()


def generate_command(
    start: str = typer.Option(
        ..., "--start", help="First day, YYYY-MM-DD (conversation start, UTC)."
    ),
    end: str = typer.Option(..., "--end", help="Last day, YYYY-MM-DD (inclusive)."),
    per_day: int = typer.Option(
        2000, "--per-day", help="Mean conversations per day (weekdays vary)."
    ),
    seed: int = typer.Option(
        7, "--seed", help="Random seed; the same arguments give identical files."
    ),
    fmt: str = typer.Option(
        "jsonl", "--format", help="Landing format: jsonl (canonical) or csv (flat)."
    ),
    incident: list[str] = typer.Option(
        [],
        "--incident",
        help="Degrade a slice from a date: DATE[:channel][:intent][:key=value...], "
        "e.g. 2026-01-10:ios:refund:bot_version=v2 (repeatable).",
    ),
    incident_file: Path | None = typer.Option(
        None, "--incident-file", help="YAML file with an 'incidents' list (specs or mappings)."
    ),
    home: Path | None = HOME,
) -> None:
    """Write synthetic conversations per day to landing/ and their ground truth to raw/synth_truth/."""
    first, last = parse_day(start, "--start"), parse_day(end, "--end")
    if last < first:
        raise typer.BadParameter(f"{end} is before --start {start}", param_hint="--end")
    if fmt not in FORMATS:
        raise typer.BadParameter(
            f"expected one of {list(FORMATS)}, got {fmt!r}", param_hint="--format"
        )
    if per_day < 0:
        raise typer.BadParameter("must be >= 0", param_hint="--per-day")
    incidents = [_incident(spec) for spec in incident]
    if incident_file is not None:
        try:
            incidents.extend(load_incidents(incident_file))
        except (OSError, ValueError) as error:
            raise typer.BadParameter(str(error), param_hint="--incident-file") from None
    data = paths(home).ensure()
    n_days = (last - first).days + 1
    with Progress(
        TextColumn("[bold]generating[/bold] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("", total=n_days)

        def on_day(day: date, count: int) -> None:
            progress.update(task, advance=1, description=f"{day} ({count:,} conversations)")

        summary = generate(
            start=first,
            end=last,
            per_day=per_day,
            seed=seed,
            landing=data.landing,
            truth_dir=data.raw / "synth_truth",
            fmt=fmt,  # type: ignore[arg-type]  # checked against FORMATS above
            incidents=incidents,
            on_day=on_day,
        )
    console.print(
        f"[green]generated[/green] {summary.conversations:,} conversations, "
        f"{summary.events:,} events, {summary.pii_spans:,} planted PII spans, "
        f"{summary.incident_conversations:,} in incidents, {first} .. {last} ({fmt}) "
        f"in {summary.seconds:.1f} s -> {data.landing} (truth: {data.raw / 'synth_truth'})"
    )


def _incident(spec: str) -> Incident:
    try:
        return Incident.parse(spec)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--incident") from None
