"""Extractive FAQ drafts: grounded replies with citations, lint, duplicates, review listing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pipelines.knowledge.demo import DEMO_KB
from pipelines.knowledge.drafts import (
    DraftParams,
    best_replies,
    draft_for,
    publish_draft,
    review_items,
    write_draft,
)
from pipelines.knowledge.sources import load_kb
from pipelines.knowledge.topics import Topic

DUET = Topic(
    "topic-0031",
    ("duet", "videos"),
    "why can't people duet my videos",
    {"duet": 0.8, "videos": 0.3},
)
SPECIFIC = "Duets are off for your videos: open Settings > Privacy > Duet and choose Everyone."
SECOND = "Duet is not available on videos with licensed music; use your own sound instead."


def _replies() -> pd.DataFrame:
    rows = []
    for index in range(6):
        cid = f"c-duet-{index}"
        rows += [
            (cid, "topic-0031", "Hi, thanks for waiting, I'm looking into this now."),
            (cid, "topic-0031", SPECIFIC if index < 4 else SECOND),
        ]
    rows.append(("c-duet-9", "topic-0031", "Sorry <PERSON_1>, I fixed the duet setting for you."))
    rows.append(("c-duet-8", "topic-0031", "Sorry <PERSON_1>, I fixed the duet setting for you."))
    rows.append(("c-duet-7", "topic-0031", "A one-off answer about duets."))
    for index in range(20):  # the greeting is everywhere: not specific to the topic
        rows.append(
            (f"c-other-{index}", "topic-0002", "Hi, thanks for waiting, I'm looking into this now.")
        )
    return pd.DataFrame(rows, columns=["conversation_id", "topic_id", "text"])


def test_best_replies_are_recurring_specific_and_impersonal() -> None:
    replies = best_replies(_replies(), "topic-0031", DraftParams())
    assert [reply.text for reply in replies] == [SPECIFIC, SECOND]
    assert replies[0].uses == 4
    assert replies[0].conversation_ids == tuple(f"c-duet-{i}" for i in range(4))


def test_draft_is_grounded_linted_and_written_for_review(tmp_path: Path, linter) -> None:
    articles = load_kb([DEMO_KB]).articles
    draft = draft_for(DUET, _replies(), articles, linter)
    assert draft is not None
    assert draft.question == "Why can't people duet my videos?"
    assert draft.sources == [f"c-duet-{i}" for i in range(6)]
    assert draft.duplicate_of is None and draft.lint_errors == 0
    path = write_draft(tmp_path, draft, datetime(2026, 3, 28, tzinfo=UTC))
    assert path == tmp_path / "drafts" / "faq-topic-0031.md"
    # The draft is an article the KB loader reads, as a draft with its topic.
    (article,) = load_kb([tmp_path]).articles
    assert (article.status, article.topic_id, article.article_id) == (
        "draft",
        "topic-0031",
        "faq-topic-0031",
    )
    assert SPECIFIC in article.body and "<!-- sources: c-duet-0" in article.body
    # A reviewer's edits are never overwritten by the next run.
    path.write_text(path.read_text().replace("status: draft", "status: published"))
    write_draft(tmp_path, draft, datetime(2026, 3, 29, tzinfo=UTC))
    (item,) = review_items(tmp_path)
    assert (item.status, item.topic_id, item.sources) == ("published", "topic-0031", 6)


def test_non_us_replies_are_fixed_and_remaining_findings_counted(linter) -> None:
    replies = _replies()
    replies.loc[replies["text"] == SPECIFIC, "text"] = (
        "Open the colour settings and ring us on 0345 600 1234 if duet stays off."
    )
    draft = draft_for(DUET, replies, [], linter)
    assert draft is not None
    body = draft.body
    assert "color settings" in body  # a safe spelling fix was applied
    assert draft.lint_errors + draft.lint_warnings >= 1  # the UK phone number remains


def test_duplicates_and_contradictions_with_published_articles(linter) -> None:
    articles = load_kb([DEMO_KB]).articles
    refunds = next(a for a in articles if a.article_id == "kb-refunds")
    copied = refunds.body.split("\n")[2]  # the article's own first paragraph
    changed = copied.replace("5 working days", "12 working days").replace("30 days", "60 days")
    replies = pd.DataFrame(
        [(f"c{i}", "topic-0001", changed) for i in range(3)],
        columns=["conversation_id", "topic_id", "text"],
    )
    topic = replace(
        DUET,
        topic_id="topic-0001",
        representative="how do I get a refund",
        top_terms=("refund", "order"),
    )
    draft = draft_for(topic, replies, articles, linter)
    assert draft is not None
    assert draft.duplicate_of == "kb-refunds"
    assert any(note.startswith("kb-refunds: 60 vs 30") for note in draft.contradicts)


def test_no_evidence_no_draft(linter) -> None:
    assert draft_for(DUET, _replies().iloc[0:0], [], linter) is None
    # Replies that never use the topic's words (a loose topic) give no draft either.
    off_topic = replace(DUET, top_terms=("verified", "arrive"))
    assert draft_for(off_topic, _replies(), [], linter) is None


def test_publishing_a_draft_keeps_it_and_dates_the_publish_edit(tmp_path: Path, linter) -> None:
    """What the demo's reviewer does: status published and updated_at, nothing else
    changed; the loader reads it as a published article of its topic."""
    draft = draft_for(DUET, _replies(), load_kb([DEMO_KB]).articles, linter)
    assert draft is not None
    path = write_draft(tmp_path, draft, datetime(2026, 3, 28, tzinfo=UTC))
    before = load_kb([tmp_path]).articles[0]
    published_at = datetime(2026, 4, 2, 9, tzinfo=UTC)
    publish_draft(path, published_at)
    (article,) = load_kb([tmp_path]).articles
    assert (article.status, article.updated_at) == ("published", published_at)
    assert (article.topic_id, article.title, article.body) == (
        before.topic_id,
        before.title,
        before.body,
    )
    (item,) = review_items(tmp_path)
    assert (item.status, item.sources) == ("published", len(draft.sources))
