"""`closedloop pii ...`: scrub JSONL text from a file or stdin."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

import typer

from pipelines.pii import Detector, default_detector, load_custom_patterns, scrub

pii_app = typer.Typer(no_args_is_help=True)


@pii_app.callback()
def pii_group() -> None:
    """PII detection and scrubbing."""
    # A callback keeps `pii` a command group even while it has a single command.


class BadLine(ValueError):
    """An input line that is not a JSON object with a string or null ``text``."""


def scrub_line(line: str, line_number: int, detector: Detector) -> tuple[dict, list[str]]:
    """The output record for one input line, and the entity types found in it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"line {line_number}: invalid JSON: {exc.msg} (column {exc.colno})") from exc
    if not isinstance(record, dict) or "text" not in record:
        raise BadLine(f'line {line_number}: expected an object with a "text" field')
    text = record["text"]
    if text is not None and not isinstance(text, str):
        raise BadLine(f'line {line_number}: "text" must be a string or null')
    if text is None:
        return {**record, "scrubbed": None, "entities": []}, []
    result = scrub(text, detector)
    entities = [{"type": s.type, "start": s.start, "end": s.end} for s in result.spans]
    return {**record, "scrubbed": result.text, "entities": entities}, [s.type for s in result.spans]


def scrub_stream(source: TextIO, sink: TextIO | None, detector: Detector) -> Counter[str]:
    """Scrub every non-blank line of ``source`` into ``sink`` (None: counts only)."""
    counts: Counter[str] = Counter()
    for line_number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        record, types = scrub_line(line, line_number, detector)
        counts.update(types)
        if sink is not None:
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    return counts


@pii_app.command("scrub")
def scrub_command(
    file: Path | None = typer.Argument(
        None,
        exists=True,
        dir_okay=False,
        help="JSONL file of {id, text} records; stdin if omitted.",
    ),
    stats: bool = typer.Option(
        False, "--stats", help="Print entity counts per type to stderr after the records."
    ),
    stats_only: bool = typer.Option(
        False, "--stats-only", help="Print only the counts per type (to stdout), no records."
    ),
    config: Path | None = typer.Option(
        None, "--config", exists=True, dir_okay=False, help="YAML with custom_patterns."
    ),
) -> None:
    """Scrub JSONL records: adds `scrubbed` and `entities` (offsets into the original text).

    Every line must be a JSON object with a `text` field; a bad line stops the run with
    its line number and exit code 1, so no record is ever skipped silently.
    """
    detector = Detector(load_custom_patterns(config)) if config else default_detector()
    source = file.open(encoding="utf-8") if file else sys.stdin
    try:
        counts = scrub_stream(source, None if stats_only else sys.stdout, detector)
    except BadLine as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        if file:
            source.close()
    if stats or stats_only:
        report = json.dumps(dict(sorted(counts.items())))
        typer.echo(report, err=not stats_only)
