"""``closedloop kb``: the knowledge base from the command line (``kb lint``)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipelines.cli.consoles import make_console
from pipelines.knowledge.article import Article
from pipelines.knowledge.fix import apply_fixes
from pipelines.knowledge.linter import SEVERITY_ORDER, Finding, Linter
from pipelines.knowledge.rules import CATEGORIES, RuleError, load_config
from pipelines.knowledge.sources import load_kb, split_front_matter

kb_app = typer.Typer(
    help="Knowledge base: lint articles for US-market norms.", no_args_is_help=True
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
