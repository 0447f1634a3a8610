"""The demo's knowledge base: loads cleanly, covers the generator's intents, shows findings."""

from __future__ import annotations

from pipelines.knowledge.demo import write_demo_kb
from pipelines.knowledge.marts import lint_summary
from pipelines.knowledge.sources import load_kb
from pipelines.synth.intents import INTENT_NAMES


def test_demo_kb_is_written_once_and_loads_without_errors(tmp_path):
    written = write_demo_kb(tmp_path / "kb")
    assert len(written) == 20
    edited = written[0]
    edited.write_text(edited.read_text() + "\nEdited by the team.\n")
    assert write_demo_kb(tmp_path / "kb") == []  # existing files are kept
    assert edited.read_text().endswith("Edited by the team.\n")
    result = load_kb([tmp_path / "kb"])
    assert len(result.articles) == 20 and result.errors == []


def test_demo_kb_covers_the_generators_intents(tmp_path):
    write_demo_kb(tmp_path)
    covered = {intent for article in load_kb([tmp_path]).articles for intent in article.intents}
    assert covered <= set(INTENT_NAMES)
    assert len(covered) >= 20


def test_a_few_demo_articles_carry_non_us_conventions(tmp_path, linter):
    import pandas as pd

    write_demo_kb(tmp_path)
    rows = []
    for article in load_kb([tmp_path]).articles:
        for finding in linter.lint_article(article):
            if finding.category != "readability":
                rows.append(
                    {
                        "article_id": article.article_id,
                        "rule": finding.rule,
                        "category": finding.category,
                        "severity": finding.severity,
                    }
                )
    flagged = {row["article_id"] for row in rows}
    assert 3 <= len(flagged) <= 6
    summary = lint_summary(pd.DataFrame(rows))
    assert list(summary.columns) == ["category", "severity", "findings", "articles"]
    assert summary["findings"].sum() == len(rows)
    assert {"spelling", "date", "currency", "legal"} <= set(summary["category"])
