"""`closedloop pii ...`: scrub JSONL text from a file or stdin; accept a new PII key."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

import typer

from pipelines.cli.options import HOME, checked_settings, existing_home
from pipelines.config import paths
from pipelines.pii import ConversationScrubber, Detector, Scrubbed, default_detector, scrub
from pipelines.pii.pseudonym import configured_key, create_key
from pipelines.pii.scrub import SPEAKERS, UNKNOWN_ACTOR

pii_app = typer.Typer(no_args_is_help=True)


@pii_app.callback()
def pii_group() -> None:
    """PII detection and scrubbing."""
    # A callback keeps `pii` a command group even while it has a single command.


class BadLine(ValueError):
    """An input line that is neither a ``{"id", "text"}`` record nor a conversation."""


def scrub_line(line: str, line_number: int, detector: Detector) -> tuple[dict, list[str]]:
    """The output record for one input line, and the entity types found in it.

    A line is either a message (a JSON object with a string or null ``text``) or a
    canonical conversation (an object with an ``events`` list, each event with ``text``
    and ``actor``; ordered by ``seq`` when present), scrubbed as one conversation.
    """
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"line {line_number}: invalid JSON: {exc.msg} (column {exc.colno})") from exc
    if isinstance(record, dict) and "events" in record:
        return _scrub_conversation_record(record, line_number, detector)
    if not isinstance(record, dict) or "text" not in record:
        raise BadLine(f'line {line_number}: expected an object with a "text" or "events" field')
    text = record["text"]
    if text is not None and not isinstance(text, str):
        raise BadLine(f'line {line_number}: "text" must be a string or null')
    if text is None:
        return {**record, "scrubbed": None, "entities": []}, []
    result = scrub(text, detector)
    return {**record, "scrubbed": result.text, "entities": _entities(result)}, [
        s.type for s in result.spans
    ]


def _scrub_conversation_record(
    record: dict, line_number: int, detector: Detector
) -> tuple[dict, list[str]]:
    """Each event gets ``scrubbed`` and ``entities``; numbering and asked-for answers are
    per conversation (see ``ConversationScrubber``)."""
    events = record["events"]
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise BadLine(f'line {line_number}: "events" must be a list of objects')
    for index, event in enumerate(events):
        text, actor = event.get("text"), event.get("actor")
        if (text is not None and not isinstance(text, str)) or (
            actor is not None and not isinstance(actor, str)
        ):
            raise BadLine(
                f'line {line_number}: event {index}: "text" and "actor" must be strings or null'
            )
    seqs = [e.get("seq") for e in events]
    ordered = (
        sorted(range(len(events)), key=lambda i: seqs[i])
        if all(isinstance(q, int) and not isinstance(q, bool) for q in seqs)
        else range(len(events))
    )
    scrubber = ConversationScrubber(detector)
    out: list[dict] = [{}] * len(events)
    types: list[str] = []
    for i in ordered:
        event = events[i]
        actor = event.get("actor")
        result = scrubber.scrub(event.get("text"), actor if actor in SPEAKERS else UNKNOWN_ACTOR)
        scrubbed = None if result is None else result.text
        entities = [] if result is None else _entities(result)
        out[i] = {**event, "scrubbed": scrubbed, "entities": entities}
        types += [] if result is None else [s.type for s in result.spans]
    return {**record, "events": out}, types


def _entities(result: Scrubbed) -> list[dict]:
    return [{"type": s.type, "start": s.start, "end": s.end} for s in result.spans]


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
        help="JSONL of {id, text} records or canonical conversations; stdin if omitted.",
    ),
    stats: bool = typer.Option(
        False, "--stats", help="Print entity counts per type to stderr after the records."
    ),
    stats_only: bool = typer.Option(
        False, "--stats-only", help="Print only the counts per type (to stdout), no records."
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        exists=True,
        dir_okay=False,
        help="YAML with custom_patterns (default: the packaged patterns.yaml).",
    ),
    timing: bool = typer.Option(
        False,
        "--timing",
        help="Print the seconds spent scrubbing (start-up excluded; wall clock and CPU) to "
        "stderr as JSON; used by bench/bench_pii.py.",
    ),
) -> None:
    """Scrub JSONL records: adds `scrubbed` and `entities` (offsets into the original text).

    A line is a message (`{"id": ..., "text": ...}`) or a canonical conversation
    (`{"conversation_id": ..., "events": [{"seq", "actor", "text", ...}]}`), whose events
    each get `scrubbed` and `entities` and are scrubbed in order as one conversation (a
    customer's answer to an asked-for PIN, birth date or name is scrubbed too). A bad
    line stops the run with its line number and exit code 1, so no record is ever
    skipped silently.
    """
    detector = default_detector(config)
    source = file.open(encoding="utf-8") if file else sys.stdin
    started, started_cpu = time.perf_counter(), time.process_time()
    try:
        counts = scrub_stream(source, None if stats_only else sys.stdout, detector)
    except BadLine as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        if file:
            source.close()
    if timing:
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - started_cpu
        typer.echo(
            json.dumps({"scrub_seconds": seconds, "scrub_cpu_seconds": cpu_seconds}), err=True
        )
    if stats or stats_only:
        report = json.dumps(dict(sorted(counts.items())))
        typer.echo(report, err=not stats_only)


@pii_app.command("accept-key")
def accept_key_command(
    home: Path | None = HOME,
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Deliberately switch the warehouse to the configured PII key (generating one if none).

    Runs refuse a key whose fingerprint differs from the one the warehouse recorded,
    because every pseudonym would change. This records the new key's fingerprint
    instead; history scrubbed under the old key will not join new data unless it is
    re-scrubbed from raw.
    """
    # Here, not at the top: `pii scrub` starts faster without duckdb and the warehouse.
    import duckdb

    from pipelines.warehouse.fingerprint import (
        holds_pseudonyms,
        record_fingerprint,
        recorded_fingerprint,
    )
    from pipelines.warehouse.io import transaction

    # An existing home only: a typo in --home/CLOSEDLOOP_HOME must not create a new
    # home with a new key recorded as "accepted".
    layout = existing_home(paths(home)).ensure()
    try:
        key = configured_key(layout.pii_key_file)
    except (OSError, ValueError) as error:  # a missing/empty key file, a weak key
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    try:
        con = duckdb.connect(str(layout.warehouse))
    except duckdb.Error as error:
        typer.echo(
            f"error: cannot open {layout.warehouse} (is a run in progress?): {error}", err=True
        )
        raise typer.Exit(1) from None
    with con:
        recorded = recorded_fingerprint(con)
        if key is not None and recorded is not None and recorded.fingerprint == key.fingerprint:
            typer.echo(f"the key from {key.source} ({key.fingerprint}) is already the recorded key")
            return
        history = recorded is not None or holds_pseudonyms(con)
        if history and not yes:
            old = recorded.fingerprint if recorded else "an unrecorded earlier key"
            new = f"the key from {key.source} ({key.fingerprint})" if key else "a new key"
            typer.confirm(
                f"Pseudonyms in the warehouse were made with {old}; switch to {new}?", abort=True
            )
        if key is None:
            key = create_key(layout.pii_key_file)
            typer.echo(f"generated a new PII key at {layout.pii_key_file}: back this file up")
        with transaction(con):
            record_fingerprint(con, key, "accepted")
    typer.echo(f"recorded the key from {key.source} ({key.fingerprint}) as the warehouse's key")
    if history:
        typer.echo(_history_warning(layout.raw, checked_settings().raw_retention_days), err=True)


def _history_warning(raw: Path, retention_days: int) -> str:
    """What happens to data scrubbed under the old key, and how much can be redone."""
    days = sorted(p.name.removeprefix("dt=") for p in raw.glob("dt=*"))
    redo = (
        f"re-scrub the raw days still kept ({days[0]} .. {days[-1]}) with: "
        f"closedloop run --start {days[0]} --end {days[-1]}"
        if days
        else "no raw days are left to re-scrub"
    )
    return (
        "warning: history scrubbed under the old key will NOT join data scrubbed from now on "
        "(returning customers and recontacts across the switch are lost) unless it is "
        f"re-scrubbed from raw: {redo}. Raw data is kept for {retention_days} days; older days "
        "keep their old pseudonyms."
    )
