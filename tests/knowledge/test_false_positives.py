"""US-written articles: at most 1 finding per 1,000 words outside readability.

Two sets: articles written for this test in US help-center styles
(tests/fixtures/kb/us_articles/) and the agent guidelines of the public ABCD
dataset, US-written support text nobody on this project wrote.
"""

from __future__ import annotations

import json

import pytest

from pipelines.knowledge.evaluation import findings_per_thousand_words
from pipelines.knowledge.sources import load_kb

from .conftest import FIXTURES, SHARED_DATA

ABCD_GUIDELINES = SHARED_DATA / "abcd" / "data" / "guidelines.json"
TARGET = 1.0


def abcd_articles() -> list[str]:
    """Each ABCD flow's guidelines as one Markdown article (heading, steps, sub-steps)."""
    articles = []
    for flow, spec in json.loads(ABCD_GUIDELINES.read_text(encoding="utf-8")).items():
        lines = [f"# {flow}", "", spec.get("description", ""), ""]
        for name, subflow in spec.get("subflows", {}).items():
            lines += [f"## {name}", ""]
            for action in subflow.get("actions", []):
                lines.append(f"- {action.get('text', '')}")
                lines.extend(f"  - {text}" for text in action.get("subtext", []))
            lines.append("")
        articles.append("\n".join(lines))
    return articles


def test_us_articles_written_for_the_test(linter):
    result = load_kb([FIXTURES / "us_articles"])
    assert len(result.articles) >= 10 and not result.errors
    findings = [f for article in result.articles for f in linter.lint_article(article)]
    words = sum(len(article.body.split()) for article in result.articles)
    assert words > 3000
    assert findings_per_thousand_words(findings, words) <= TARGET


@pytest.mark.skipif(not ABCD_GUIDELINES.exists(), reason="shared reference data not present")
def test_abcd_agent_guidelines(linter):
    texts = abcd_articles()
    findings = [f for text in texts for f in linter.lint(text, locale="en-US")]
    words = sum(len(text.split()) for text in texts)
    assert words > 10000
    assert findings_per_thousand_words(findings, words) <= TARGET
