"""The knowledge-base article model every source maps onto, and the per-file errors.

An article's ``body`` is Markdown whatever its source: Markdown files keep theirs,
HTML exports are converted (``pipelines.knowledge.html``) so the linter, the
versioning and later gap matching read one format. ``body_line`` is the line of the
source file the body starts on, so findings in a Markdown file point at file lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Status = Literal["published", "draft", "retired"]
STATUSES: tuple[Status, ...] = ("published", "draft", "retired")

SourceKind = Literal["markdown", "zendesk", "intercom"]

# Why an article was not loaded. docs/knowledge-base.md explains each code.
MISSING_ID = "missing_id"
BROKEN_FRONT_MATTER = "broken_front_matter"
INVALID_FIELD = "invalid_field"
DUPLICATE_ID = "duplicate_id"
UNPARSEABLE_HTML = "unparseable_html"
UNREADABLE_FILE = "unreadable_file"
UNSUPPORTED_FORMAT = "unsupported_format"


@dataclass(frozen=True)
class Article:
    """One knowledge-base article as read from its source."""

    article_id: str
    title: str
    locale: str
    status: Status
    updated_at: datetime | None
    intents: tuple[str, ...]
    body: str
    source: SourceKind
    # Where it came from: a file path, or "<export path>#<article id>" for exports.
    origin: str
    body_line: int = 1
    # Rule ids or categories the article's author turned off (front matter `lint_ignore`).
    lint_ignore: tuple[str, ...] = ()
    # The gap topic an FAQ draft answers (front matter `topic_id`); its uplift is
    # measured on that topic once the article is published.
    topic_id: str | None = None


@dataclass(frozen=True)
class ArticleError:
    """An article (or a whole file) that could not be loaded, with the reason.

    ``message`` names the field or the position that is wrong, never article text,
    so errors can go to logs and the terminal as they are.
    """

    origin: str
    reason: str
    message: str
    article_id: str | None = None


class ArticleProblem(ValueError):
    """An article that cannot be loaded; ``reason`` is one of the article.py codes."""

    def __init__(self, reason: str, message: str, article_id: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.article_id = article_id
