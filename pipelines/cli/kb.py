"""``closedloop kb``: the knowledge base from the command line (``kb lint``)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipelines.cli.consoles import make_console
from pipelines.cli.options import HOME, checked_settings
from pipelines.config import kb_dir, paths
from pipelines.knowledge.article import Article
from pipelines.knowledge.fix import apply_fixes
from pipelines.knowledge.linter import SEVERITY_ORDER, Finding, Linter
from pipelines.knowledge.rules import CATEGORIES, RuleError, load_config
from pipelines.knowledge.sources import load_kb, split_front_matter

kb_app = typer.Typer(
    help="Knowledge base: lint articles for US-market norms, find gaps, review FAQ drafts.",
    no_args_is_help=True,
)
FIXED_SUFFIX = ".fixed"
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "blue"}


@kb_app.callback()
def kb() -> None:
    """Knowledge-base commands (a group, so ``lint`` stays a subcommand)."""


@kb_app.command()
def lint(
    paths: Annotated[
        list[Path],
        typer.Argument(
            exists=True, readable=True, help="Article files (.md, .json exports) or folders."
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the findings as a JSON list.")
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            exists=True,
            dir_okay=False,
            help="Lint configuration (YAML): disable, severity, readability_grade, "
            "max_sentence_words, rules. See docs/knowledge-base.md.",
        ),
    ] = None,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help=f"Write the safe fixes (spelling, date and time formats) to a copy "
            f"named <file>{FIXED_SUFFIX}; the original is not touched.",
        ),
    ] = False,
) -> None:
    """Lint knowledge-base articles for US-market norms.

    Exit code 0 when clean, 1 when a finding has error severity or an article could
    not be loaded, 2 for a usage error (bad path, configuration or rule file).
    """
    console = make_console()
    errors_console = make_console(stderr=True)
    try:
        linter = Linter(load_config(config))
    except RuleError as error:
        errors_console.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(2) from None
    loaded = load_kb(paths)
    for problem in loaded.errors:
        errors_console.print(
            f"[red]{escape(problem.origin)}[/red]: {problem.reason}: {escape(problem.message)}"
        )
    results = [(article, linter.lint_article(article)) for article in loaded.articles]
    findings = [(article, finding) for article, found in results for finding in found]
    if as_json:
        typer.echo(
            json.dumps([_as_json(article, finding) for article, finding in findings], indent=2)
        )
    else:
        _print_findings(console, findings)
        _print_summary(console, loaded.files_read, len(loaded.articles), findings)
    if fix:
        _write_fixes(errors_console if as_json else console, results)
    failed = loaded.errors or any(finding.severity == "error" for _, finding in findings)
    raise typer.Exit(1 if failed else 0)


def _as_json(article: Article, finding: Finding) -> dict[str, object]:
    return {
        "file": article.origin,
        "line": finding.line,
        "column": finding.column,
        "rule": finding.rule,
        "category": finding.category,
        "severity": finding.severity,
        "text": finding.text,
        "suggestion": finding.suggestion,
    }


def _print_findings(console: Console, findings: list[tuple[Article, Finding]]) -> None:
    for article, finding in findings:
        style = SEVERITY_STYLE[finding.severity]
        text = " ".join(finding.text.split())
        text = text if len(text) <= 80 else text[:79] + "…"
        console.print(
            f"{escape(article.origin)}:{finding.line}:{finding.column} "
            f"[{style}]{finding.severity}[/{style}] {finding.rule} "
            f"{escape(repr(text))} -> {escape(finding.suggestion)}"
        )


def _print_summary(
    console: Console, files: int, articles: int, findings: list[tuple[Article, Finding]]
) -> None:
    counts = Counter((finding.category, finding.severity) for _, finding in findings)
    table = Table(title=f"{files} files, {articles} articles, {len(findings)} findings")
    table.add_column("category")
    for severity in sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__):
        table.add_column(severity, justify="right")
    for category in CATEGORIES:
        row = [counts[(category, severity)] for severity in SEVERITY_ORDER]
        if any(row):
            table.add_row(category, *(str(n) for n in row))
    console.print(table)


def _write_fixes(console: Console, results: list[tuple[Article, list[Finding]]]) -> None:
    for article, found in results:
        if not any(finding.replacement for finding in found):
            continue
        if article.source != "markdown":
            console.print(
                f"{escape(article.origin)}: fixes are written for Markdown files only; "
                "apply them in the help center"
            )
            continue
        path = Path(article.origin)
        parts = split_front_matter(path.read_text(encoding="utf-8-sig"))
        body, applied = apply_fixes(parts.body, found)
        target = path.with_name(path.name + FIXED_SUFFIX)
        target.write_text(parts.raw + body, encoding="utf-8")
        console.print(f"{escape(str(target))}: {applied} fixes written")


@kb_app.command()
def gaps(
    window: Annotated[int, typer.Option("--window", help="Window in days: 7 or 28.")] = 28,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
    home: Path | None = HOME,
) -> None:
    """Topics ranked by the resolutions they cost, and whether an article covers them
    (mart_kb_gaps of the newest run, read from the analysts' snapshot)."""
    import duckdb

    from pipelines.knowledge.gap_load import latest_gaps

    if window not in (7, 28):
        raise typer.BadParameter("must be 7 or 28", param_hint="--window")
    snapshot = paths(home).analytics
    if not snapshot.exists():
        make_console(stderr=True).print(
            f"[red]error:[/red] no analytics snapshot at {escape(str(snapshot))}: run the pipeline first"
        )
        raise typer.Exit(1)
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        rows = latest_gaps(con, date.max, window)
    finally:
        con.close()
    if as_json:
        records = json.loads(rows.to_json(orient="records", date_format="iso"))
        for record in records:
            record["example_conversation_ids"] = json.loads(record["example_conversation_ids"])
        typer.echo(json.dumps(records, indent=2))
        return
    console = make_console()
    if rows.empty:
        console.print("no topics yet (mart_kb_gaps is empty)")
        return
    table = Table(
        title=f"Topics by resolutions lost, {window} days to {rows['as_of_date'].iloc[0]:%Y-%m-%d}"
    )
    for column in (
        "#",
        "topic",
        "customers ask",
        "conv.",
        "resolved",
        "lost",
        "covered by",
        "trend",
    ):
        table.add_column(
            column,
            justify="right" if column in ("#", "conv.", "resolved", "lost", "trend") else "left",
        )
    for row in rows.itertuples(index=False):
        table.add_row(
            str(row.rank),
            escape(str(row.label)),
            escape(str(row.representative_utterance)[:60]),
            f"{row.conversations:,}",
            f"{100 * row.resolution_rate:.0f}%",
            f"{row.resolution_points_lost:,.0f}",
            "[red]gap[/red]"
            if row.is_gap
            else escape(f"{row.best_article_id} ({row.best_article_score:.2f})"),
            "-" if row.trend != row.trend else f"{100 * row.trend:+.0f}%",
        )
    console.print(table)


@kb_app.command()
def review(home: Path | None = HOME) -> None:
    """FAQ drafts waiting for review, with their evidence. Edit a file and set
    `status: published` (or `status: retired` and `rejected_reason: ...`); the next
    run picks it up as a new article version."""
    from pipelines.knowledge.drafts import review_items

    folder = kb_dir(paths(home), checked_settings())
    items = review_items(folder)
    console = make_console()
    if not items:
        console.print(f"no drafts in {escape(str(folder / 'drafts'))}")
        return
    # One block per draft rather than a table: file paths and flags stay whole.
    for item in items:
        style = {"draft": "yellow", "published": "green", "rejected": "red"}.get(item.status, "red")
        console.print(
            f"[{style}]{item.status}[/{style}] {escape(item.article_id)} "
            f"(topic {item.topic_id or '-'}): {escape(item.title)}",
            soft_wrap=True,
        )
        console.print(f"  file: {escape(str(item.path))}", soft_wrap=True)
        console.print(
            f"  evidence: {item.sources} source conversations; lint: "
            f"{item.lint_errors} errors, {item.lint_warnings} warnings"
        )
        if item.duplicate_of:
            console.print(f"  duplicate of {escape(item.duplicate_of)}")
        for note in item.contradicts:
            console.print(f"  contradicts {escape(note)}", soft_wrap=True)
        if item.rejected_reason:
            console.print(f"  rejected: {escape(item.rejected_reason)}", soft_wrap=True)
        if item.llm_rejected:
            console.print(
                f"  extractive draft: the LLM's was rejected ({escape(item.llm_rejected)})",
                soft_wrap=True,
            )
