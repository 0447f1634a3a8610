"""Reading a knowledge base: Markdown files with YAML front matter, and help-center exports.

``load_kb`` walks files and folders and returns every article it could read plus a
per-file (or per-article) error for each one it could not. One bad article never
stops the others, and ``read == loaded + errors`` holds for every call.

The front matter is split off by hand rather than with ``python-frontmatter``: the
linter needs the line the body starts on, which that library does not report.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import yaml

from pipelines.knowledge.article import (
    BROKEN_FRONT_MATTER,
    DUPLICATE_ID,
    INVALID_FIELD,
    MISSING_ID,
    STATUSES,
    UNREADABLE_FILE,
    UNSUPPORTED_FORMAT,
    Article,
    ArticleError,
    ArticleProblem,
)
from pipelines.knowledge.importers import intercom_articles, zendesk_articles

MARKDOWN_SUFFIXES = (".md", ".markdown")
EXPORT_SUFFIXES = (".json",)
DEFAULT_LOCALE = "en-US"
_FRONT_MATTER_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_ID = re.compile(r"^[\w.:/-]{1,200}$")
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class LoadResult:
    articles: list[Article]
    errors: list[ArticleError]
    files_read: int


@dataclass(frozen=True)
class FrontMatter:
    """The raw front matter text, the body after it and the body's first line."""

    raw: str
    body: str
    body_line: int


def load_kb(paths: Iterable[Path]) -> LoadResult:
    """Every article under ``paths`` (files or folders), and what could not be loaded.

    Folders are searched recursively for ``*.md``/``*.markdown`` articles and
    ``*.json`` exports; ``README.md`` files document a folder and are skipped. An id
    used by more than one article rejects every copy: which one is right is for a
    person to decide, and keeping either would make versions flip between runs.
    """
    articles: list[Article] = []
    errors: list[ArticleError] = []
    files = list(_article_files(paths))
    for path in files:
        for item in read_file(path):
            (articles if isinstance(item, Article) else errors).append(item)
    by_id: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_id[article.article_id].append(article)
    unique: list[Article] = []
    for article in articles:
        copies = by_id[article.article_id]
        if len(copies) == 1:
            unique.append(article)
            continue
        others = ", ".join(copy.origin for copy in copies if copy is not article)
        errors.append(
            ArticleError(
                article.origin,
                DUPLICATE_ID,
                f"id {article.article_id!r} is also used by {others}",
                article.article_id,
            )
        )
    return LoadResult(unique, errors, len(files))


def read_file(path: Path) -> Iterator[Article | ArticleError]:
    """The articles of one file (a Markdown article or an export), or its errors."""
    origin = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        yield ArticleError(origin, UNREADABLE_FILE, f"cannot read the file ({error.strerror})")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        yield ArticleError(origin, UNREADABLE_FILE, f"not UTF-8 text (byte {error.start})")
        return
    if path.suffix.lower() in EXPORT_SUFFIXES:
        yield from _read_export(text, origin)
        return
    try:
        yield markdown_article(text, origin)
    except ArticleProblem as problem:
        yield ArticleError(origin, problem.reason, str(problem), problem.article_id)


def split_front_matter(text: str) -> FrontMatter:
    """Split ``---``-fenced YAML front matter from the Markdown body."""
    if not text.startswith("---"):
        raise ArticleProblem(MISSING_ID, "no front matter: the file must start with a --- line")
    opening = _FRONT_MATTER_FENCE.match(text)
    if opening is None:
        raise ArticleProblem(BROKEN_FRONT_MATTER, "the first line must be exactly ---")
    closing = _FRONT_MATTER_FENCE.search(text, opening.end())
    if closing is None:
        raise ArticleProblem(BROKEN_FRONT_MATTER, "the front matter has no closing --- line")
    body_start = (
        closing.end() + 1 if text[closing.end() : closing.end() + 1] == "\n" else closing.end()
    )
    return FrontMatter(
        raw=text[:body_start],
        body=text[body_start:],
        body_line=text.count("\n", 0, body_start) + 1,
    )


def markdown_article(text: str, origin: str) -> Article:
    """One Markdown article; raise :class:`ArticleProblem` when it cannot be loaded."""
    parts = split_front_matter(text)
    try:
        meta = yaml.safe_load(parts.raw.strip().strip("-"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise ArticleProblem(
            BROKEN_FRONT_MATTER, f"front matter is not valid YAML{where}"
        ) from None
    if not isinstance(meta, dict):
        raise ArticleProblem(BROKEN_FRONT_MATTER, "front matter must be a YAML mapping of fields")
    article_id = _article_id(meta.get("id"))
    heading = _HEADING.search(parts.body)
    fallback_title = heading.group(1) if heading else Path(origin).stem
    return Article(
        article_id=article_id,
        title=_text_field(meta, "title", article_id) or fallback_title,
        locale=_text_field(meta, "locale", article_id) or DEFAULT_LOCALE,
        status=_status(meta.get("status", "published"), article_id),
        updated_at=_timestamp(meta.get("updated_at"), article_id),
        intents=_names(meta.get("intents", meta.get("tags")), "intents", article_id),
        body=parts.body,
        source="markdown",
        origin=origin,
        body_line=parts.body_line,
        lint_ignore=_names(meta.get("lint_ignore"), "lint_ignore", article_id),
        topic_id=_text_field(meta, "topic_id", article_id),
    )


def _read_export(text: str, origin: str) -> Iterator[Article | ArticleError]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        yield ArticleError(origin, UNREADABLE_FILE, f"not valid JSON (line {error.lineno})")
        return
    if isinstance(document, dict) and isinstance(document.get("articles"), list):
        items = zendesk_articles(document["articles"], origin)
    elif (
        isinstance(document, dict)
        and document.get("type") == "list"
        and isinstance(document.get("data"), list)
    ):
        items = intercom_articles(document["data"], origin)
    else:
        yield ArticleError(
            origin,
            UNSUPPORTED_FORMAT,
            'neither a Zendesk ({"articles": [...]}) nor an Intercom ({"type": "list", "data": [...]}) articles export',
        )
        return
    for item in items:
        if isinstance(item, ArticleProblem):
            yield ArticleError(
                f"{origin}#{item.article_id or '?'}", item.reason, str(item), item.article_id
            )
        else:
            yield item


def _article_files(paths: Iterable[Path]) -> Iterator[Path]:
    suffixes = MARKDOWN_SUFFIXES + EXPORT_SUFFIXES
    for path in paths:
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        for candidate in candidates:
            if (
                candidate.is_file()
                and candidate.suffix.lower() in suffixes
                and candidate.name.lower() != "readme.md"
                and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
            ):
                yield candidate


# ------------------------------------------------------------------ field validation
def _article_id(value: object) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ArticleProblem(MISSING_ID, "front matter has no `id`")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ArticleProblem(INVALID_FIELD, "`id` must be a string or a whole number")
    article_id = str(value).strip()
    if not _ID.match(article_id):
        raise ArticleProblem(
            INVALID_FIELD, "`id` may use letters, digits and . _ : / - (at most 200)"
        )
    return article_id


def _text_field(meta: Mapping[str, object], name: str, article_id: str) -> str | None:
    value = meta.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ArticleProblem(INVALID_FIELD, f"`{name}` must be text", article_id)
    return value.strip() or None


def _status(value: object, article_id: str) -> str:
    if value not in STATUSES:
        raise ArticleProblem(
            INVALID_FIELD, f"`status` must be one of {', '.join(STATUSES)}", article_id
        )
    return str(value)


def _timestamp(value: object, article_id: str) -> datetime | None:
    """``updated_at`` as an aware UTC datetime; dates mean midnight UTC."""
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ArticleProblem(
                INVALID_FIELD, "`updated_at` is not an ISO-8601 date or timestamp", article_id
            ) from None
    else:
        raise ArticleProblem(INVALID_FIELD, "`updated_at` must be a date or timestamp", article_id)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _names(value: object, field: str, article_id: str) -> tuple[str, ...]:
    """A list of names, or one comma-separated string of them."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ArticleProblem(INVALID_FIELD, f"`{field}` must be a list of names", article_id)
    return tuple(dict.fromkeys(item.strip() for item in items if item.strip()))
