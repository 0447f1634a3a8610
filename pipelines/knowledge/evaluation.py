"""Measuring the linter on annotated articles: recall per category, findings per 1,000 words.

An annotated article marks every convention a US reviewer would change as
``[[category:text]]`` (``Pay [[currency:£5]] by [[date:5th May]]``). The markers are
stripped before linting; an expected span counts as found when a finding of the same
category overlaps it. The recall test and the benchmark use this, and a team can
annotate its own articles the same way to measure the rules on its content.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipelines.knowledge.linter import Finding, Linter
from pipelines.knowledge.sources import markdown_article, split_front_matter

ANNOTATION = re.compile(r"\[\[(?P<category>\w+):(?P<text>.+?)\]\]")


@dataclass(frozen=True)
class Expected:
    category: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Evaluated:
    """One annotated article after linting, offsets in the stripped text."""

    origin: str
    text: str
    expected: list[Expected]
    findings: list[Finding]

    def found(self, expected: Expected) -> bool:
        return any(
            finding.category == expected.category
            and finding.start < expected.end
            and expected.start < finding.end
            for finding in self.findings
        )


def strip_annotations(annotated: str) -> tuple[str, list[Expected]]:
    """The clean text and the expected spans, with offsets into the clean text."""
    parts: list[str] = []
    expected: list[Expected] = []
    cursor = 0
    length = 0
    for match in ANNOTATION.finditer(annotated):
        before = annotated[cursor : match.start()]
        parts.append(before)
        length += len(before)
        text = match["text"]
        expected.append(Expected(match["category"], length, length + len(text), text))
        parts.append(text)
        length += len(text)
        cursor = match.end()
    parts.append(annotated[cursor:])
    return "".join(parts), expected


def evaluate(annotated: str, origin: str, linter: Linter) -> Evaluated:
    """Lint one annotated Markdown article; finding offsets are shifted to the whole file."""
    text, expected = strip_annotations(annotated)
    article = markdown_article(text, origin)
    offset = len(split_front_matter(text).raw)
    findings = [
        Finding(
            **{**finding.__dict__, "start": finding.start + offset, "end": finding.end + offset}
        )
        for finding in linter.lint_article(article)
    ]
    return Evaluated(origin, text, expected, findings)


def recall_by_category(evaluated: Iterable[Evaluated]) -> dict[str, tuple[int, int]]:
    """category -> (expected spans found, expected spans)."""
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for article in evaluated:
        for item in article.expected:
            total[item.category] += 1
            found[item.category] += article.found(item)
    return {category: (found[category], total[category]) for category in sorted(total)}


def findings_per_thousand_words(
    findings: Sequence[Finding], words: int, exclude: Iterable[str] = ("readability",)
) -> float:
    """Findings per 1,000 words, leaving out the given categories."""
    excluded = set(exclude)
    counted = sum(1 for finding in findings if finding.category not in excluded)
    return 1000 * counted / words if words else 0.0
