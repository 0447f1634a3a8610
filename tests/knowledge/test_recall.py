"""Recall per category on the held-out non-US articles (target >= 0.90 each).

The articles and their [[category:text]] annotations were written before the rules
and are never used to tune them (see tests/fixtures/kb/heldout_non_us/README.md).
"""

from __future__ import annotations

import pytest

from pipelines.knowledge.evaluation import evaluate, recall_by_category
from pipelines.knowledge.rules import CATEGORIES

from .conftest import FIXTURES

HELDOUT = FIXTURES / "heldout_non_us"
TARGET = 0.90


@pytest.fixture(scope="module")
def recall(linter):
    evaluated = [
        evaluate(path.read_text(encoding="utf-8"), str(path), linter)
        for path in sorted(HELDOUT.glob("*.md"))
        if path.name != "README.md"
    ]
    return recall_by_category(evaluated)


def test_the_set_covers_every_category_with_enough_cases(recall):
    assert set(recall) == set(CATEGORIES)
    assert all(total >= 8 for _, total in recall.values())


@pytest.mark.parametrize("category", CATEGORIES)
def test_recall_per_category(recall, category):
    found, total = recall[category]
    assert found / total >= TARGET, f"{category}: {found}/{total}"
