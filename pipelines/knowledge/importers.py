"""Help-center exports -> articles: Zendesk Guide and Intercom Articles.

Both platforms export articles as JSON with an HTML body; each importer maps the
documented fields onto :class:`Article` and yields an :class:`ArticleProblem` for an
article it cannot use, so the rest of the export still loads. Field mapping and
sample files: docs/knowledge-base.md and tests/fixtures/kb/.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

from pipelines.knowledge.article import (
    INVALID_FIELD,
    MISSING_ID,
    UNPARSEABLE_HTML,
    Article,
    ArticleProblem,
)
from pipelines.knowledge.html import HtmlError, html_to_markdown


def zendesk_articles(items: list[object], origin: str) -> Iterator[Article | ArticleProblem]:
    """Zendesk Help Center ``GET /api/v2/help_center/articles`` pages: ``{"articles": [...]}``.

    ``draft: true`` -> draft, otherwise published; ``label_names`` -> intents;
    ``locale`` (``en-us``) -> BCP-47 case (``en-US``).
    """
    for item in items:
        try:
            yield _zendesk_article(item, origin)
        except ArticleProblem as problem:
            yield problem


def intercom_articles(items: list[object], origin: str) -> Iterator[Article | ArticleProblem]:
    """Intercom ``GET /articles`` lists: ``{"type": "list", "data": [...]}``.

    ``state`` (published | draft) -> status; ``updated_at`` is Unix seconds;
    ``default_locale`` -> locale.
    """
    for item in items:
        try:
            yield _intercom_article(item, origin)
        except ArticleProblem as problem:
            yield problem


def _zendesk_article(item: object, origin: str) -> Article:
    fields = _mapping(item)
    article_id = _export_id(fields.get("id"))
    draft = fields.get("draft", False)
    if not isinstance(draft, bool):
        raise ArticleProblem(INVALID_FIELD, "`draft` must be true or false", article_id)
    labels = fields.get("label_names") or []
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise ArticleProblem(INVALID_FIELD, "`label_names` must be a list of names", article_id)
    return Article(
        article_id=article_id,
        title=_title(fields.get("title", fields.get("name")), article_id),
        locale=_locale(fields.get("locale"), article_id),
        status="draft" if draft else "published",
        updated_at=_iso_timestamp(fields.get("updated_at"), article_id),
        intents=tuple(dict.fromkeys(label.strip() for label in labels if label.strip())),
        body=_body(fields.get("body"), article_id),
        source="zendesk",
        origin=f"{origin}#{article_id}",
    )


def _intercom_article(item: object, origin: str) -> Article:
    fields = _mapping(item)
    article_id = _export_id(fields.get("id"))
    state = fields.get("state", "published")
    if state not in ("published", "draft"):
        raise ArticleProblem(INVALID_FIELD, "`state` must be published or draft", article_id)
    updated = fields.get("updated_at")
    if updated is not None and (isinstance(updated, bool) or not isinstance(updated, int)):
        raise ArticleProblem(INVALID_FIELD, "`updated_at` must be Unix seconds", article_id)
    return Article(
        article_id=article_id,
        title=_title(fields.get("title"), article_id),
        locale=_locale(fields.get("default_locale"), article_id),
        status="published" if state == "published" else "draft",
        updated_at=datetime.fromtimestamp(updated, UTC) if updated is not None else None,
        intents=(),
        body=_body(fields.get("body"), article_id),
        source="intercom",
        origin=f"{origin}#{article_id}",
    )


def _mapping(item: object) -> Mapping[str, object]:
    if not isinstance(item, dict):
        raise ArticleProblem(INVALID_FIELD, "an article must be a JSON object")
    return item


def _export_id(value: object) -> str:
    if value is None or value == "":
        raise ArticleProblem(MISSING_ID, "article has no `id`")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ArticleProblem(INVALID_FIELD, "`id` must be a string or a whole number")
    return str(value)


def _title(value: object, article_id: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ArticleProblem(INVALID_FIELD, "article has no `title`", article_id)
    return value.strip()


def _locale(value: object, article_id: str) -> str:
    if value is None:
        return "en-US"
    if not isinstance(value, str) or not value.strip():
        raise ArticleProblem(INVALID_FIELD, "`locale` must be text such as en-us", article_id)
    parts = value.strip().replace("_", "-").split("-")
    return "-".join([parts[0].lower(), *(part.upper() for part in parts[1:])])


def _iso_timestamp(value: object, article_id: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ArticleProblem(
            INVALID_FIELD, "`updated_at` must be an ISO-8601 timestamp", article_id
        )
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ArticleProblem(
            INVALID_FIELD, "`updated_at` must be an ISO-8601 timestamp", article_id
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _body(value: object, article_id: str) -> str:
    if not isinstance(value, str):
        raise ArticleProblem(INVALID_FIELD, "`body` must be an HTML string", article_id)
    try:
        return html_to_markdown(value)
    except HtmlError as error:
        raise ArticleProblem(
            UNPARSEABLE_HTML, f"body HTML does not parse: {error}", article_id
        ) from None
