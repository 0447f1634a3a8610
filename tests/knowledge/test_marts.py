"""Rows for mart_kb_lint and mart_bot_answer_lint."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from pipelines.knowledge.marts import (
    BOT_ANSWER_LINT_COLUMNS,
    KB_LINT_COLUMNS,
    bot_answer_lint_rows,
    kb_lint_rows,
)
from pipelines.knowledge.sources import load_kb
from pipelines.knowledge.versions import track_versions

from .conftest import FIXTURES


def test_kb_lint_rows_one_per_finding_per_version(linter):
    articles = load_kb([FIXTURES / "markdown"]).articles
    versions = track_versions(pd.DataFrame(), articles, datetime(2026, 3, 1, tzinfo=UTC))
    rows = kb_lint_rows(versions, linter)
    assert list(rows.columns) == KB_LINT_COLUMNS
    refund = rows[rows["article_id"] == "refund-policy"]
    assert set(refund["version"]) == {1}
    assert {"spelling", "vocabulary", "date", "time"} <= set(refund["category"])
    colour = refund[refund["excerpt"] == "cancelled"].iloc[0]
    assert (colour["line"], colour["suggestion"]) == (11, "canceled")
    # gift-cards turns off vocabulary.mail in its front matter: "by post" is not reported
    assert rows[rows["article_id"] == "gift-cards"].empty


def test_bot_answer_rows_carry_send_counts_and_skip_other_languages(linter):
    answers = pd.DataFrame(
        {
            "text": [
                "Ring us on 0345 600 1234 to cancel.",
                "Your refund arrives in 5 business days.",
                "Llámanos al 0345 600 1234.",
            ],
            "times_sent": [120, 300, 40],
            "locale": ["en-GB", "en-US", "es-US"],
        }
    )
    rows = bot_answer_lint_rows(answers, linter)
    assert list(rows.columns) == BOT_ANSWER_LINT_COLUMNS
    assert set(rows["times_sent"]) == {120}
    assert set(rows["category"]) == {"vocabulary", "phone"}
    assert rows["answer_hash"].nunique() == 1 and len(rows["answer_hash"].iloc[0]) == 64


def test_empty_inputs_give_empty_tables_with_the_columns(linter):
    assert (
        list(
            kb_lint_rows(
                track_versions(pd.DataFrame(), [], datetime(2026, 1, 1, tzinfo=UTC)), linter
            ).columns
        )
        == KB_LINT_COLUMNS
    )
    empty = pd.DataFrame({"text": [], "times_sent": []})
    assert bot_answer_lint_rows(empty, linter).empty
