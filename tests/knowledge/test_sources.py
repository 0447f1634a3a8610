"""Reading a knowledge base: every file ends as articles or as errors with a reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pipelines.knowledge.article import (
    BROKEN_FRONT_MATTER,
    DUPLICATE_ID,
    INVALID_FIELD,
    MISSING_ID,
    UNREADABLE_FILE,
    UNSUPPORTED_FORMAT,
)
from pipelines.knowledge.sources import load_kb

from .conftest import FIXTURES


def test_markdown_folder_loads_good_articles_and_reports_each_bad_one():
    result = load_kb([FIXTURES / "markdown"])
    assert sorted(a.article_id for a in result.articles) == ["gift-cards", "refund-policy"]
    reasons = sorted((Path(e.origin).name, e.reason) for e in result.errors)
    assert reasons == [
        ("broken-front-matter.md", BROKEN_FRONT_MATTER),
        ("duplicate-one.md", DUPLICATE_ID),
        ("duplicate-two.md", DUPLICATE_ID),
        ("no-id.md", MISSING_ID),
        ("unclosed-front-matter.md", BROKEN_FRONT_MATTER),
    ]
    assert result.files_read == len(result.articles) + len(result.errors)


def test_front_matter_fields_are_read_and_the_body_keeps_its_file_lines():
    article = next(
        a for a in load_kb([FIXTURES / "markdown"]).articles if a.article_id == "refund-policy"
    )
    assert (article.title, article.locale, article.status) == (
        "Our refund policy",
        "en-GB",
        "published",
    )
    assert article.updated_at == datetime(2026, 3, 2, 10, tzinfo=UTC)
    assert article.intents == ("refund",)
    assert article.body_line == 9 and article.body.startswith("# Our refund policy")


def test_tags_as_a_comma_string_dates_and_lint_switches():
    article = next(
        a for a in load_kb([FIXTURES / "markdown"]).articles if a.article_id == "gift-cards"
    )
    assert article.status == "draft"
    assert article.intents == ("coins_purchase", "promo_code")
    assert article.updated_at == datetime(2026, 1, 15, tzinfo=UTC)
    assert article.lint_ignore == ("readability", "vocabulary.mail")


def test_errors_name_the_problem_without_article_text(tmp_path):
    (tmp_path / "bad-status.md").write_text("---\nid: a1\nstatus: live\n---\nSecret body text\n")
    (tmp_path / "bad-date.md").write_text("---\nid: a2\nupdated_at: next tuesday\n---\nbody\n")
    (tmp_path / "latin1.md").write_bytes("---\nid: a3\n---\ncaf\xe9".encode("latin-1"))
    (tmp_path / "export.json").write_text('{"items": []}')
    (tmp_path / "broken.json").write_text("{not json")
    result = load_kb([tmp_path])
    assert result.articles == []
    by_file = {Path(e.origin).name: e for e in result.errors}
    assert by_file["bad-status.md"].reason == INVALID_FIELD
    assert "status" in by_file["bad-status.md"].message
    assert by_file["bad-date.md"].reason == INVALID_FIELD
    assert by_file["latin1.md"].reason == UNREADABLE_FILE
    assert by_file["export.json"].reason == UNSUPPORTED_FORMAT
    assert by_file["broken.json"].reason == UNREADABLE_FILE
    assert all("Secret" not in e.message and "tuesday" not in e.message for e in result.errors)


def test_readme_and_hidden_files_are_skipped(tmp_path):
    (tmp_path / "README.md").write_text("# How this folder works\n")
    (tmp_path / ".drafts").mkdir()
    (tmp_path / ".drafts" / "x.md").write_text("no front matter")
    (tmp_path / "ok.md").write_text("---\nid: ok\n---\n# Title\n")
    result = load_kb([tmp_path])
    assert [a.article_id for a in result.articles] == ["ok"] and result.errors == []
    assert result.articles[0].title == "Title" and result.articles[0].locale == "en-US"
