"""``closedloop annotate``: plan, export, import, agreement and adjudication.

The CLI reads the published read-only snapshot (``analytics.duckdb``) and writes
only files: Label Studio tasks, and imported labels into the Parquet annotation
store under ``<CLOSEDLOOP_HOME>/annotations/``. It never opens the pipeline's
``warehouse.duckdb`` (single writer); the ``annotations`` asset loads the store.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated

import duckdb
import pandas as pd
import typer
from rich.table import Table

from pipelines.annotation.batches import (
    DEFAULT_LABELERS,
    DEFAULT_PLAN,
    day_conversations,
    gold_metadata,
    sample_day,
)
from pipelines.annotation.labelstudio import (
    ParsedExport,
    adjudication_tasks,
    build_tasks,
    read_export,
    read_long_csv,
    write_tasks,
)
from pipelines.annotation.privacy import (
    existing_pii_key,
    read_annotator_directory,
    write_annotator_directory,
)
from pipelines.annotation.qa import batch_reports, field_specs
from pipelines.annotation.store import (
    append_labels,
    load_labels,
    pin_sample,
    pinned_sample,
    store_dir,
)
from pipelines.cli.consoles import make_console
from pipelines.cli.options import HOME, existing_home, parse_day
from pipelines.cli.options import console as notes
from pipelines.config import paths
from pipelines.stats.agreement import STATISTICS, disagreements
from pipelines.stats.sample_size import sample_size, sample_size_by_slice
from pipelines.stats.sampling import SamplingPlan
from pipelines.warehouse.io import table_exists
from pipelines.warehouse.tables import ANNOTATION_SAMPLE, FCT_CONVERSATIONS
from schemas.annotations import validate_labels
from schemas.labels import CATEGORICAL_FIELDS, GUIDELINE_VERSION

annotate_app = typer.Typer(
    help="Human annotation: sampling plans, Label Studio round trip, agreement."
)
console = make_console()


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=2)


def _analytics(home: Path | None) -> duckdb.DuckDBPyConnection:
    """The published snapshot, read-only; an actionable error if it is not there."""
    snapshot = paths(home).analytics
    if not snapshot.exists():
        raise _fail(f"no analytics snapshot at {snapshot}; run the pipeline (publish) first")
    return duckdb.connect(str(snapshot), read_only=True)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _clean(value: object) -> object:
    """JSON-safe: NaN -> null, numpy scalars -> Python."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


@annotate_app.command()
def plan(
    margin: Annotated[float, typer.Option(help="Target CI half-width, e.g. 0.03")] = 0.03,
    confidence: Annotated[float, typer.Option(help="Confidence level")] = 0.95,
    p: Annotated[float, typer.Option(help="Expected rate; 0.5 is the worst case")] = 0.5,
    by: Annotated[
        str | None, typer.Option(help="Slice column of fct_conversations, e.g. intent")
    ] = None,
    population: Annotated[
        int | None, typer.Option(help="Population size N (finite population correction)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    home: Path | None = HOME,
) -> None:
    """Items to label for a target margin, overall or per slice (sizes from the snapshot)."""
    try:
        if by is None:
            n = sample_size(margin, confidence, p, population)
            result: object = {"margin": margin, "confidence": confidence, "p": p,
                              "population": population, "sample_size": n}  # fmt: skip
            if not as_json:
                console.print(
                    f"label [bold]{n}[/bold] conversations for ±{margin} at {confidence:.0%}"
                )
        else:
            if not by.isidentifier():
                raise _fail(f"--by must be a column name, got {by!r}")
            with _analytics(home) as con:
                if not table_exists(con, FCT_CONVERSATIONS):
                    raise _fail("the snapshot has no main.fct_conversations; run dbt first")
                columns = {
                    row[0] for row in con.execute("describe main.fct_conversations").fetchall()
                }
                if by not in columns:
                    raise _fail(
                        f"fct_conversations has no column {by!r}; columns: {sorted(columns)}"
                    )
                sizes = con.execute(
                    f"select coalesce(cast({by} as varchar), 'unknown'), count(*) "
                    f"from main.fct_conversations group by 1"
                ).fetchall()
            frame = sample_size_by_slice(dict(sizes), margin, confidence, p)
            result = [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]
            if not as_json:
                table = Table("slice", "population", "sample_size", "sampling_fraction")
                for row in frame.itertuples(index=False):
                    table.add_row(str(row.slice), str(row.population), str(row.sample_size),
                                  f"{row.sampling_fraction:.1%}")  # fmt: skip
                console.print(table)
                console.print(f"total: {int(frame['sample_size'].sum())} items")
    except ValueError as error:
        raise _fail(str(error)) from error
    if as_json:
        typer.echo(json.dumps(result))


def _day_sample(
    con: duckdb.DuckDBPyConnection,
    day: date,
    plan_: SamplingPlan,
    labelers: list[str],
    home: Path | None,
) -> pd.DataFrame:
    """The day's sample: from annotation.sample in the snapshot, else the pipeline's
    own rule (:func:`sample_day`: the pinned sample, else drawn now), pinned in the
    store when drawn here so the pipeline adopts it."""
    if table_exists(con, ANNOTATION_SAMPLE.name):
        stored = con.execute(
            f"select * from {ANNOTATION_SAMPLE.name} where batch_date = ?", [day]
        ).df()
        if len(stored):
            return stored
    store = store_dir(paths(home))
    labels = load_labels(store)
    if table_exists(con, FCT_CONVERSATIONS):
        conversations, gold = day_conversations(con, day, day), gold_metadata(con, labels)
    elif pinned_sample(store, day) is None:
        raise _fail("the snapshot has neither annotation.sample nor main.fct_conversations")
    else:  # the pinned sample is all it needs
        conversations = gold = pd.DataFrame(columns=["conversation_date"])
    drawn = sample_day(day, conversations, labels, gold, store, plan_, labelers)
    if drawn.items is None:
        raise _fail(f"no conversations on {day} in the snapshot")
    for note in drawn.notes:
        console.print(f"[yellow]note:[/yellow] {note}")
    if drawn.origin == "drawn":
        pin_sample(drawn.items, store, day)
    return drawn.items


@annotate_app.command()
def export(
    day: Annotated[str, typer.Option("--date", help="Sample day, YYYY-MM-DD")],
    out: Annotated[Path, typer.Option(help="Tasks file; label_config.xml is written beside it")],
    sample_size_: Annotated[
        int, typer.Option("--sample-size", help="If drawn now")
    ] = DEFAULT_PLAN.sample_size,
    labelers: Annotated[
        str, typer.Option(help="Comma-separated labeler ids, if drawn now")
    ] = ",".join(DEFAULT_LABELERS),
    overlap: Annotated[
        int, typer.Option(help="Labelers per item, if drawn now")
    ] = DEFAULT_PLAN.overlap,
    seed: Annotated[int, typer.Option(help="Sampling seed, if drawn now")] = DEFAULT_PLAN.seed,
    home: Path | None = HOME,
) -> None:
    """Write Label Studio tasks (and the labeling config) for one day's sample."""
    the_day = parse_day(day, "--date")
    try:
        plan_ = replace(DEFAULT_PLAN, sample_size=sample_size_, overlap=overlap, seed=seed)
        with _analytics(home) as con:
            items = _day_sample(con, the_day, plan_, [x for x in labelers.split(",") if x], home)
            ids = list(items["conversation_id"])
            conversations = con.execute(
                "select * from main.fct_conversations where conversation_id in (select unnest(?))",
                [ids],
            ).df()
            events = con.execute(
                "select conversation_id, seq, actor, event_type, text, payload from scrubbed.events "
                "where conversation_id in (select unnest(?))",
                [ids],
            ).df()
            intents = sorted(
                str(row[0])
                for row in con.execute(
                    "select distinct intent from main.fct_conversations where intent is not null"
                ).fetchall()
            )
        tasks = build_tasks(items, conversations, events)
    except ValueError as error:
        raise _fail(str(error)) from error
    tasks_path, config_path = write_tasks(tasks, out, intents)
    console.print(f"wrote {len(tasks)} tasks to {tasks_path} and the config to {config_path}")


def _read_labels(
    source: Path, batch_id: str | None, guideline_version: str | None = None
) -> ParsedExport:
    """Labels from a long CSV or a Label Studio JSON export; the batch id defaults to the
    file name where neither the option nor the task data gives one."""
    if not source.exists():
        raise _fail(f"{source} does not exist")
    if source.suffix.lower() == ".csv":
        labels = read_long_csv(
            source, batch_id or source.stem, guideline_version or GUIDELINE_VERSION
        )
        return ParsedExport(labels, labels["item_id"].nunique(), 0, 0)
    parsed = read_export(source, batch_id, guideline_version)
    for name, count in sorted(parsed.ignored_fields.items()):  # stderr: keeps --json clean
        notes.print(
            f"[yellow]note:[/yellow] ignored {count} results of {name!r}, not a field of the "
            "labeling schema"
        )
    return parsed


@annotate_app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="Label Studio JSON export or long CSV")],
    batch_id: Annotated[
        str | None,
        typer.Option(help="Batch id of every task [default: the task data's, else the file name]"),
    ] = None,
    guideline_version: Annotated[
        str | None,
        typer.Option(help="Guideline version the labels were made under, if the tasks lack it"),
    ] = None,
    home: Path | None = HOME,
) -> None:
    """Validate an export and append it to the annotation store (loaded by the pipeline)."""
    try:
        parsed = _read_labels(source, batch_id, guideline_version)
        if parsed.labels["guideline_version"].isna().any():
            raise _fail(
                f"{source}: the tasks carry no guideline_version; give the version of the "
                f"guidelines the labels were made under with --guideline-version "
                f"(current: {GUIDELINE_VERSION})"
            )
        labels = validate_labels(parsed.labels)
    except ValueError as error:  # includes InvalidLabels from the contract
        raise _fail(f"{source}: {error}") from error
    # Checked after the file: a bad export is reported whatever the home. The store
    # lives in the home; a typo in --home/CLOSEDLOOP_HOME must not start a new one.
    home_paths = existing_home(paths(home))
    store = store_dir(home_paths)
    target = append_labels(labels, store)
    batches = ", ".join(sorted(set(labels["batch_id"])))
    console.print(
        f"imported {len(labels)} labels (batch {batches}) from {parsed.n_tasks} tasks "
        f"({parsed.n_cancelled} cancelled annotations skipped) into {target}"
    )
    try:
        key = existing_pii_key(home_paths)
        if key is not None:
            write_annotator_directory(load_labels(store)["annotator_id"], key, home_paths)
    except ValueError as error:  # an unreadable key file: say which, do not guess a key
        raise _fail(str(error)) from error
    except PermissionError:
        key = None
    if key is None:
        # Not fatal: the ``annotations`` asset rewrites the map from the store.
        console.print(
            f"[yellow]note:[/yellow] no PII key readable under {home_paths.raw} or in the "
            "environment; the labeler map (pseudonym -> id) is written by the next "
            "`annotations` run"
        )


@annotate_app.command()
def labelers(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: one object per row")] = False,
    home: Path | None = HOME,
) -> None:
    """Per-labeler quality per batch from the snapshot; real labeler ids for users who
    can read the restricted area, pseudonyms (a_...) otherwise."""
    home_paths = paths(home)
    with _analytics(home) as con:
        if not table_exists(con, "main.mart_annotation_labelers"):
            raise _fail("the snapshot has no main.mart_annotation_labelers; run annotation_marts")
        frame = con.execute(
            "select * from main.mart_annotation_labelers order by batch_id, annotator_id"
        ).df()
    directory = read_annotator_directory(home_paths)
    if directory is not None:
        # An id missing from the map (store pruned since) stays a pseudonym, never blank.
        frame["annotator_id"] = frame["annotator_id"].map(lambda a: directory.get(a, a))
    if as_json:
        typer.echo(
            json.dumps([{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")])
        )
        return
    table = Table("batch", "labeler", "ratings", "consensus", "peer", "gold", "below bar")
    for row in frame.itertuples(index=False):
        table.add_row(
            str(row.batch_id), str(row.annotator_id), str(row.n_ratings),
            _number(row.consensus_agreement), _number(row.peer_agreement),
            _number(row.gold_accuracy), "[red]yes[/red] " + row.reason if row.below_bar else "no",
        )  # fmt: skip
    console.print(table)
    if directory is None:
        console.print(
            f"[yellow]note:[/yellow] labelers shown as pseudonyms: {home_paths.raw} is not readable"
        )


@annotate_app.command()
def agreement(
    source: Annotated[Path, typer.Argument(help="Label Studio JSON export or long CSV")],
    field: Annotated[list[str] | None, typer.Option(help="Field(s) to score; default all")] = None,
    batch_id: Annotated[
        str | None,
        typer.Option(help="Batch id of every task [default: the task data's, else the file name]"),
    ] = None,
    n_boot: Annotated[int, typer.Option(help="Bootstrap resamples for the CIs")] = 1000,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON: one object per field")
    ] = False,
    strict: Annotated[bool, typer.Option(help="Exit 1 when the agreement gate fails")] = False,
) -> None:
    """Percent agreement, Cohen, Fleiss, Krippendorff, Gwet AC1 with 95% CIs, per field."""
    try:
        labels = validate_labels(
            _read_labels(source, batch_id).labels, require_guideline_version=False
        )
        results = batch_reports(labels, field_specs(field or ()), n_boot=n_boot)
    except ValueError as error:
        raise _fail(str(error)) from error
    rows = []
    for report, _ in results:
        for record in report.fields.to_dict("records"):
            row = {k: _clean(record[k]) for k in ("batch_id", "field", "n_items", "n_annotators")}
            for name in STATISTICS:
                row[name] = _clean(record[name])
                row[f"{name}_ci"] = [
                    _clean(record[f"{name}_ci_low"]),
                    _clean(record[f"{name}_ci_high"]),
                ]
            row["krippendorff_level"] = record["krippendorff_level"]
            rows.append(row)
    if as_json:
        typer.echo(json.dumps(rows))
    else:
        table = Table("batch", "field", "n", *STATISTICS)
        for row in rows:
            cells = [
                f"{_number(row[s])} [{_number(row[s + '_ci'][0])}, {_number(row[s + '_ci'][1])}]"
                for s in STATISTICS
            ]
            table.add_row(str(row["batch_id"]), row["field"], str(row["n_items"]), *cells)
        console.print(table)
        for report, gate in results:
            console.print(
                ("[green]PASS[/green] " if gate.passed else "[red]FAIL[/red] ") + gate.message
            )
            flagged = report.labelers.loc[report.labelers["below_bar"]]
            for labeler in flagged.itertuples(index=False):
                console.print(f"  labeler {labeler.annotator_id}: {labeler.reason}")
    if strict and not all(gate.passed for _, gate in results):
        raise typer.Exit(code=1)


@annotate_app.command()
def adjudicate(
    source: Annotated[Path, typer.Argument(help="Label Studio JSON export of a batch")],
    out: Annotated[Path, typer.Option(help="Adjudication tasks file")],
) -> None:
    """Export disagreements as Label Studio tasks showing each labeler's answers."""
    if not source.exists():
        raise _fail(f"{source} does not exist")
    try:
        raw = json.loads(source.read_text())
        labels = validate_labels(read_export(source).labels, require_guideline_version=False)
        queue = disagreements(labels, CATEGORICAL_FIELDS)
        tasks = adjudication_tasks(raw, labels, queue)
    except ValueError as error:
        raise _fail(str(error)) from error
    tasks_path, config_path = write_tasks(tasks, out, config_name="adjudication_config.xml")
    console.print(
        f"{len(tasks)} items ({len(queue)} item-fields) need adjudication: {tasks_path}, {config_path}"
    )
