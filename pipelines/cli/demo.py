"""`closedloop demo`: the whole platform on synthetic data in one command."""

from __future__ import annotations

import contextlib
import io
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import duckdb
import typer
from rich.table import Table

from pipelines.cli.options import HOME, checked_settings, console, parse_day
from pipelines.cli.run import print_ingest_summary, run_or_exit
from pipelines.config import Paths, Settings, first_partition_day, kb_dir, paths
from pipelines.dbt_args import DBT_PROJECT_DIR, prepare_manifest
from pipelines.home import init_home, record_partitions_start
from pipelines.runner import RunOutcome
from pipelines.synth import Incident, generate
from pipelines.synth.planted import PLANTED_TOPICS

DEMO_DAYS = 14
# The publish-and-measure step: the planted topic whose FAQ draft the demo publishes
# (the generator lets the bot answer it from the publish day), and the fewest days
# that leave a before and an after window of at least two days each.
PUBLISHED_TOPIC = "duet_settings"
MIN_PUBLISH_DAYS = 4


def demo_command(
    days: int = typer.Option(DEMO_DAYS, min=1, help="How many days, ending --end."),
    end_day: str | None = typer.Option(
        None,
        "--end",
        help="Last day, YYYY-MM-DD (default: yesterday, UTC). The generated data depend "
        "on the calendar (weekday traffic), so a fixed --end gives the same demo every day.",
    ),
    per_day: int = typer.Option(2000, "--per-day", min=1, help="Conversations per day."),
    seed: int = typer.Option(7, help="Generator seed."),
    incident: bool = typer.Option(
        True,
        "--incident/--no-incident",
        help="Degrade refund conversations on bot v2 for the last 3 days, so monitoring has something to find.",
    ),
    plant_gaps: bool = typer.Option(
        True,
        "--plant-gaps/--no-plant-gaps",
        help="Plant two topics the bot and the KB do not answer (people do), so the "
        "knowledge-base gap discovery has something to find and draft.",
    ),
    publish_step: bool = typer.Option(
        True,
        "--publish-step/--no-publish-step",
        help="Run the first half of the days, publish the planted duet topic's FAQ draft "
        "as a reviewer would, run the later days (on which the bot answers that topic) "
        f"and print the article's uplift. Needs --plant-gaps and --days >= {MIN_PUBLISH_DAYS}.",
    ),
    home: Path | None = HOME,
    force: bool = typer.Option(
        False, "--force", help="Run even though other runs of this home look active (stale)."
    ),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Print every log line of the run (dbt's included)."
    ),
) -> None:
    """Generate ``days`` x ``per_day`` conversations ending ``--end`` (yesterday), run them, summarize.

    With the publish step, the days run in two parts: up to the day before the publish
    day, then (after the duet topic's draft is published, dated that day) the rest.
    """
    data = paths(home)
    checked_settings(data.home)  # a bad setting stops the demo before it writes anything
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    end = yesterday if end_day is None else parse_day(end_day, "--end")
    if end > yesterday:
        raise typer.BadParameter(
            f"{end} has not ended yet (UTC); the last day can be {yesterday}", param_hint="--end"
        )
    start = end - timedelta(days=days - 1)
    publishing = publish_step and plant_gaps and days >= MIN_PUBLISH_DAYS
    publish_day = end - timedelta(days=days // 2 - 1) if publishing else None
    steps = 4 if publishing else 3
    loaded = demo_home(data, start)
    incidents = [demo_incident(end)] if incident else []
    console.rule(f"1/{steps} generating {days} days x {per_day:,} conversations ({start} .. {end})")
    for planted in incidents:
        console.print(f"planted incident: {describe_incident(planted)}")
    if plant_gaps:
        names = ", ".join(topic.name for topic in PLANTED_TOPICS)
        console.print(f"planted unanswered topics: {names}")
    if publish_day is not None:
        console.print(
            f"publish step: the bot answers {PUBLISHED_TOPIC} from {publish_day}, the day a "
            "reviewer publishes its FAQ draft (step 3)"
        )
    print_demo_kb(data, loaded)
    generate(
        start=start,
        end=end,
        per_day=per_day,
        seed=seed,
        landing=data.landing,
        truth_dir=data.raw / "synth_truth",
        incidents=incidents,
        planted=PLANTED_TOPICS if plant_gaps else (),
        answered={PUBLISHED_TOPIC: publish_day} if publish_day is not None else None,
    )
    if not (DBT_PROJECT_DIR / "target" / "manifest.json").exists():
        prepare_manifest()
    first_end = end if publish_day is None else publish_day - timedelta(days=1)
    console.rule(f"2/{steps} running the pipeline for {start} .. {first_end} (one run)")
    if not verbose:
        console.print(
            "ingest -> scrub -> dbt models and tests -> annotation -> monitoring -> publish"
        )
    outcome = _run(data, start, first_end, loaded, force, verbose)
    seconds = outcome.seconds
    kb_folder = kb_dir(data, loaded)
    published: Path | None = None
    if publish_day is not None:
        print_kb_summary(data, kb_folder)
        console.rule(
            f"3/{steps} a reviewer publishes a draft on {publish_day}; running the later days"
        )
        published = publish_demo_draft(data, kb_folder, start, first_end, publish_day)
        console.print(f"running the pipeline for {publish_day} .. {end} (one run)")
        outcome = _run(data, publish_day, end, loaded, force, verbose)
        seconds += outcome.seconds
    console.rule(f"{steps}/{steps} done in {seconds:.0f} s (run {outcome.run_id})")
    print_summary(data, start, end)
    if publish_day is None:
        print_kb_summary(data, kb_folder)
    elif published is not None:
        print_uplift(data)
    print_where_to_look(data, end, outcome.log_file)


def _run(
    data: Paths, start: date, end: date, loaded: Settings, force: bool, verbose: bool
) -> RunOutcome:
    """One pipeline run of ``start..end``; exits the demo when it fails."""
    # Errors only on the terminal unless --verbose: the full log goes to a file, and
    # dbt's own output (printed by dagster-dbt, one line per model and test) joins it.
    dbt_output = io.StringIO()
    with contextlib.nullcontext() if verbose else contextlib.redirect_stdout(dbt_output):
        outcome = run_or_exit(
            data, start, end, loaded, force=force, log_level="DEBUG" if verbose else "ERROR"
        )
    if outcome.log_file is not None and dbt_output.getvalue():
        with outcome.log_file.open("a", encoding="utf-8") as log:
            log.write("\n--- dbt output ---\n" + dbt_output.getvalue())
    print_ingest_summary(outcome, data, start, end)
    if not outcome.success:
        console.print(
            f"[red]pipeline run failed[/red] at {', '.join(outcome.failed_steps)}; "
            f"full log: {outcome.log_file}"
        )
        raise typer.Exit(1)
    return outcome


def publish_demo_draft(
    data: Paths, kb_folder: Path, first: date, last: date, publish_day: date
) -> Path | None:
    """Publish, as a reviewer would, the draft answering the planted ``PUBLISHED_TOPIC``
    (the topic most of whose conversations carry that intent), dated ``publish_day``.
    Without one, the top draft is published and the terminal says the generator does
    not answer its topic."""
    from pipelines.knowledge.drafts import publish_draft, review_items
    from pipelines.knowledge.gap_load import latest_gaps, topic_intents

    con = duckdb.connect(str(data.analytics), read_only=True)
    try:
        intents = topic_intents(con, first, last)
        ranks = latest_gaps(con, date.max, window_days=28).set_index("topic_id")["rank"]
    finally:
        con.close()
    drafts = sorted(
        (item for item in review_items(kb_folder) if item.status == "draft"),
        key=lambda item: (int(ranks.get(item.topic_id, 10**6)), item.article_id),
    )
    if not drafts:
        console.print("no FAQ draft to publish: the uplift step is skipped")
        return None
    chosen = next((d for d in drafts if intents.get(str(d.topic_id)) == PUBLISHED_TOPIC), None)
    if chosen is None:
        chosen = drafts[0]
        console.print(
            f"[yellow]no draft answers the planted {PUBLISHED_TOPIC} topic[/yellow]; publishing "
            "the top draft, whose topic the generated later days do not answer better"
        )
    publish_draft(chosen.path, datetime.combine(publish_day, time(9), tzinfo=UTC))
    console.print(
        f"published {chosen.article_id} ({chosen.title!r}, topic {chosen.topic_id}, "
        f"{chosen.sources} cited conversations): status published, updated_at {publish_day}"
    )
    return chosen.path


def print_uplift(data: Paths) -> None:
    """The published articles' ``mart_kb_uplift`` rows, from the analysts' snapshot."""
    from pipelines.knowledge.gap_load import latest_uplift

    con = duckdb.connect(str(data.analytics), read_only=True)
    try:
        rows = latest_uplift(con, date.max)
    finally:
        con.close()
    table = Table(
        title="Knowledge base: effect of published articles on their topic (mart_kb_uplift)"
    )
    table.add_column("article", no_wrap=True)
    for column in (
        "published (days per window)",
        "before [95% CI] (n)",
        "after [95% CI] (n)",
        "difference [95% CI]",
        "other topics",
        "diff-in-diff [95% CI]",
        "verdict",
    ):
        table.add_column(column, justify="right")
    for row in rows.itertuples(index=False):
        table.add_row(
            row.article_id,
            f"{row.published_date:%Y-%m-%d} ({row.window_days})",
            f"{_pct(row.rate_before)} [{_pct(row.rate_before_ci_low)}, "
            f"{_pct(row.rate_before_ci_high)}] ({row.n_before:,})",
            f"{_pct(row.rate_after)} [{_pct(row.rate_after_ci_low)}, "
            f"{_pct(row.rate_after_ci_high)}] ({row.n_after:,})",
            f"{_pp(row.difference)} [{_pp(row.difference_ci_low)}, {_pp(row.difference_ci_high)}]",
            f"{_pct(row.others_rate_before)} -> {_pct(row.others_rate_after)}",
            f"{_pp(row.diff_in_diff)} [{_pp(row.diff_in_diff_ci_low)}, "
            f"{_pp(row.diff_in_diff_ci_high)}]",
            "inconclusive (small n)" if row.inconclusive else "measured",
        )
    console.print(table)
    console.print(
        "rates: durable bot resolutions of the article's topic, same-length windows before "
        "and from the publish day; diff-in-diff subtracts the other topics' change"
    )


def demo_home(data: Paths, start: date) -> Settings:
    """Create the demo's home (or reuse it) with partitions starting at the first
    synthetic day, and the settings loaded from it."""
    if not init_home(data, start):
        current = first_partition_day(checked_settings(data.home), data)
        if start < current:
            record_partitions_start(data, start)
    loaded = checked_settings(data.home)
    if first_partition_day(loaded, data) > start:
        console.print(
            f"[red]error:[/red] partitions_start {loaded.partitions_start} (from the environment "
            f"or $CLOSEDLOOP_CONFIG) is after the demo's first day {start}; unset it"
        )
        raise typer.Exit(2)
    return loaded


def describe_incident(incident: Incident) -> str:
    """The planted incident in words (not its repr)."""
    scope = ", ".join(
        f"{name}={value}"
        for name in ("channel", "intent", "bot_version", "locale")
        if (value := getattr(incident, name)) is not None
    )
    until = f" until {incident.until}" if incident.until else ""
    return f"from {incident.start}{until}: {scope or 'all traffic'}, severity {incident.severity}"


def demo_incident(end: date) -> Incident:
    """The demo's planted regression: bot v2 stops solving refunds two days before ``end``."""
    return Incident.parse(f"{end - timedelta(days=2)}:intent=refund:bot_version=v2:severity=1.0")


def print_summary(data: Paths, start: date, end: date) -> None:
    """Per-day headline numbers from the analysts' snapshot, as they will see them."""
    con = duckdb.connect(str(data.analytics), read_only=True)
    try:
        rows = con.execute(
            """
            select conversation_date, conversations, resolution_rate, ci_low, ci_high,
                   verified_resolution_rate, verified_resolution_rate_ci_low,
                   verified_resolution_rate_ci_high,
                   handoff_rate, csat_mean, csat_top2_rate, is_final
            from mart_resolution_daily
            where conversation_date between ? and ?
            order by conversation_date
            """,
            [start, end],
        ).fetchall()
        trust = con.execute(
            "select judge, judge_version, message from main.judge_trust where in_force"
        ).fetchall()
    finally:
        con.close()
    table = Table(title="Resolution by day (durable bot resolutions / bot-involved conversations)")
    for column in (
        "date",
        "conversations",
        "resolution rate [95% CI]",
        "verified [95% CI]",
        "handoff",
        "CSAT mean",
        "CSAT top-2",
        "final",
    ):
        table.add_column(column, justify="right")
    for day, n, rate, low, high, verified, v_low, v_high, handoff, csat_mean, top2, final in rows:
        table.add_row(
            str(day),
            f"{n:,}",
            f"{_pct(rate)} [{_pct(low)}, {_pct(high)}]",
            f"{_pct(verified)} [{_pct(v_low)}, {_pct(v_high)}]",
            _pct(handoff),
            "-" if csat_mean is None else f"{csat_mean:.2f}",
            _pct(top2),
            "yes" if final else "provisional",
        )
    console.print(table)
    # Verified = durable and judged resolved from the scrubbed text (docs/judges.md);
    # the report makes it the headline only while the judge is trusted.
    for judge, version, message in trust:
        console.print(f"verified rung: judge {judge} ({version}). {message}")


def print_demo_kb(data: Paths, loaded: Settings) -> None:
    """Seed the knowledge base with the demo articles (files already there are kept)."""
    from pipelines.knowledge.demo import write_demo_kb

    folder = kb_dir(data, loaded)
    written = write_demo_kb(folder)
    console.print(f"knowledge base: {len(written)} demo articles written to {folder}")


def print_kb_summary(data: Paths, kb_folder: Path) -> None:
    """US-norms lint of the current articles and the bot's answers, from the snapshot."""
    from pipelines.knowledge.drafts import review_items
    from pipelines.knowledge.gap_load import latest_gaps
    from pipelines.knowledge.load import bot_answer_lint_totals, kb_lint_summary

    con = duckdb.connect(str(data.analytics), read_only=True)
    try:
        summary = kb_lint_summary(con)
        answers = bot_answer_lint_totals(con)
        gaps = latest_gaps(con, date.max, window_days=28, limit=5)
    finally:
        con.close()
    table = Table(title="Knowledge base: US-norms lint of the current articles")
    for column in ("category", "severity", "findings", "articles"):
        table.add_column(column, justify="left" if column in ("category", "severity") else "right")
    for row in summary.itertuples(index=False):
        table.add_row(row.category, row.severity, f"{row.findings:,}", f"{row.articles:,}")
    console.print(table)
    console.print(
        f"bot answers: {answers.answers:,} distinct answers with findings, sent "
        f"{answers.times_sent:,} times (main.mart_bot_answer_lint)"
    )
    gap_table = Table(title="Knowledge base: topics costing the most resolutions (28 days)")
    for column in (
        "#",
        "topic",
        "customers ask",
        "conversations",
        "resolved",
        "lost",
        "covered by",
    ):
        gap_table.add_column(column)
    for row in gaps.itertuples(index=False):
        gap_table.add_row(
            str(row.rank),
            row.label,
            str(row.representative_utterance)[:50],
            f"{row.conversations:,}",
            _pct(row.resolution_rate),
            f"{row.resolution_points_lost:,.0f}",
            "gap" if row.is_gap else f"{row.best_article_id} ({row.best_article_score:.2f})",
        )
    console.print(gap_table)
    drafts = [item for item in review_items(kb_folder) if item.status == "draft"]
    console.print(
        f"FAQ drafts waiting for review: {len(drafts)} in {kb_folder / 'drafts'} "
        "(closedloop kb review; closedloop kb gaps --json)"
    )


def print_where_to_look(data: Paths, end: date, log_file: Path | None) -> None:
    report = data.reports / f"{end.isoformat()}.html"
    python = sys.executable  # the venv's interpreter: it has duckdb, a bare `python` may not
    console.print(
        "\n".join(
            [
                "[bold]Where to look[/bold]",
                f"  analytics snapshot (read-only, for SQL): {data.analytics}",
                f"  pipeline warehouse (pipeline only):      {data.warehouse}",
                f"  daily report:                            {report}"
                + ("" if report.exists() else " (not built)"),
                f"  quarantine and raw (restricted):         {data.raw}",
                f"  full log of the run:                     {log_file}",
                "",
                "[bold]Query the marts[/bold]",
                f"  {python} -c \"import duckdb; print(duckdb.connect('{data.analytics}', read_only=True)"
                ".sql('from mart_resolution_by_dimension limit 10'))\"",
                f"  with the DuckDB CLI (not installed by make): duckdb -readonly {data.analytics}",
                "",
                "[bold]Open the UI[/bold] (schedules, sensors, backfills):  "
                f"{Path(python).parent / 'closedloop'} ui --home {data.home}  ->  http://127.0.0.1:3000",
            ]
        ),
        soft_wrap=True,  # paths and commands stay copy-pasteable
    )


def _pct(value: float | None) -> str:
    return "-" if value is None or value != value else f"{100 * value:.1f}%"  # NaN: no rate


def _pp(value: float | None) -> str:
    """A difference of rates in percentage points."""
    return "-" if value is None or value != value else f"{100 * value:+.1f}pp"
