"""Zendesk and Intercom article exports: fields mapped, bad articles reported, others kept."""

from __future__ import annotations

from datetime import UTC, datetime

from pipelines.knowledge.article import MISSING_ID, UNPARSEABLE_HTML
from pipelines.knowledge.html import HtmlError, html_to_markdown
from pipelines.knowledge.sources import load_kb

from .conftest import FIXTURES


def test_zendesk_export():
    result = load_kb([FIXTURES / "zendesk_articles.json"])
    by_id = {a.article_id: a for a in result.articles}
    assert sorted(by_id) == ["360001234501", "360001234502"]
    first = by_id["360001234501"]
    assert (first.source, first.locale, first.status) == ("zendesk", "en-US", "published")
    assert first.intents == ("update_profile", "customization")
    assert first.updated_at == datetime(2026, 2, 10, 16, 30, tzinfo=UTC)
    assert first.origin.endswith("zendesk_articles.json#360001234501")
    assert "## Pick a theme" in first.body and "- Tap **Theme**." in first.body
    assert "```\ntheme=colour-blind\n```" in first.body
    assert by_id["360001234502"].status == "draft" and by_id["360001234502"].locale == "en-GB"
    assert sorted(e.reason for e in result.errors) == [MISSING_ID, UNPARSEABLE_HTML]
    html_error = next(e for e in result.errors if e.reason == UNPARSEABLE_HTML)
    assert html_error.article_id == "360001234503" and "</i>" in html_error.message


def test_intercom_export():
    result = load_kb([FIXTURES / "intercom_articles.json"])
    by_id = {a.article_id: a for a in result.articles}
    assert sorted(by_id) == ["6871119", "6871120"]
    late = by_id["6871119"]
    assert (late.source, late.locale, late.status) == ("intercom", "en", "published")
    assert late.updated_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert "[our order guide](http://help.example.co.uk/en-gb/orders)" in late.body
    assert by_id["6871120"].status == "draft"
    assert sorted(e.reason for e in result.errors) == [MISSING_ID, UNPARSEABLE_HTML]


def test_exported_html_is_linted_like_markdown(linter):
    late = next(
        a
        for a in load_kb([FIXTURES / "intercom_articles.json"]).articles
        if a.article_id == "6871119"
    )
    categories = {f.category for f in linter.lint_article(late)}
    assert {"vocabulary", "phone", "time", "link"} <= categories


def test_html_conversion_and_what_does_not_parse():
    markdown = html_to_markdown(
        "<ol><li>One<li>Two</ol><p>A &amp; B<br>next</p><table><tr><td>x<td>y</table>"
    )
    assert markdown == "1. One\n2. Two\n\nA & B\nnext\n\n| x | y\n"
    for broken in ("<p>a <b>b</i></p>", "<div>open", "</span>", '<a href="x', "<p>ok</p><!-- cut"):
        try:
            html_to_markdown(broken)
        except HtmlError:
            continue
        raise AssertionError(f"accepted broken HTML {broken!r}")
