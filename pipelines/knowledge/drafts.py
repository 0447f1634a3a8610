"""FAQ drafts for gap topics, grounded in the human replies that worked, for review.

The default drafter is extractive and offline: the question is the topic's
representative customer utterance; the answer is the agents' replies that recur in
the topic's handed-off conversations that ended resolved (answered by a person, no
recontact, no negative feedback), most frequent first. A reply is used only if it is
specific to the topic (at least ``min_specificity`` of its uses are in this topic:
greetings and sign-offs are not) and carries no PII placeholder (a reply that names
the customer is about that customer), and only if it uses one of the topic's label
words. Each paragraph cites the conversations it came from.
The optional LLM drafter (``llm_drafts``, setting ``kb_drafter``) takes the same
evidence through the same :class:`Drafter` interface.

Before a draft is offered it goes through the part-1 linter (safe fixes applied,
what remains is counted in the front matter), and it is compared with the published
articles: a TF-IDF cosine at or above ``duplicate_similarity`` marks a duplicate;
the same number with a different value before the same unit ("5 business days" vs
"10 business days") in the closest article marks a contradiction. The number check
is a plain regex: no library compares claims in two texts.

Drafts are written as Markdown with ``status: draft`` under ``kb/drafts/``. Nothing
is ever published by the pipeline: a reviewer edits the file and sets ``status:
published`` (or ``status: retired`` with ``rejected_reason``); ``kb_articles`` picks
the change up as a new version on the next run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

import pandas as pd
import yaml

from pipelines.knowledge.article import Article, ArticleProblem
from pipelines.knowledge.fix import apply_fixes
from pipelines.knowledge.gaps import article_text
from pipelines.knowledge.linter import Linter
from pipelines.knowledge.sources import split_front_matter
from pipelines.knowledge.topics import Topic, clean

DRAFTS_FOLDER = "drafts"
EXTRACTIVE = "extractive-v1"
_PLACEHOLDER = re.compile(r"<[A-Z_]+_\d+>")
_QUANTITY = re.compile(
    r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>business days?|days?|hours?|minutes?|weeks?|%)",
    re.IGNORECASE,
)
CITATIONS_PER_REPLY = 5


@dataclass(frozen=True)
class DraftParams:
    replies: int = 3  # paragraphs in the answer
    min_uses: int = 2  # a reply seen once is one agent's wording, not what works
    # Share of a reply's uses in this topic. A generic line spreads over ~40 topics
    # (~2.5% each); a topic split in two still holds a good share of its replies.
    min_specificity: float = 0.25
    duplicate_similarity: float = 0.5
    # Numbers are compared only with an article at least this similar (one about
    # something else may well say "3 days").
    related_similarity: float = 0.2


@dataclass(frozen=True)
class Reply:
    text: str
    uses: int
    conversation_ids: tuple[str, ...]


@dataclass(frozen=True)
class Draft:
    topic_id: str
    question: str
    replies: tuple[Reply, ...]
    drafted_by: str = EXTRACTIVE
    lint_errors: int = 0
    lint_warnings: int = 0
    duplicate_of: str | None = None
    contradicts: tuple[str, ...] = field(default=())
    # Why the LLM's draft was rejected, when this extractive one replaced it.
    llm_rejected: str | None = None

    @property
    def article_id(self) -> str:
        return f"faq-{self.topic_id}"

    @property
    def sources(self) -> list[str]:
        return sorted({cid for reply in self.replies for cid in reply.conversation_ids})

    @property
    def body(self) -> str:
        parts = [f"# {self.question}", ""]
        for reply in self.replies:
            parts += [reply.text, f"<!-- sources: {', '.join(reply.conversation_ids)} -->", ""]
        return "\n".join(parts)


def best_replies(replies: pd.DataFrame, topic_id: str, params: DraftParams) -> list[Reply]:
    """The topic's recurring, topic-specific agent replies, most used first.

    ``replies`` has one row per agent message of a resolved handed-off conversation:
    ``conversation_id, topic_id, text`` (all topics, for specificity).
    """
    usable = replies[replies["text"].notna() & ~replies["text"].str.contains(_PLACEHOLDER)]
    usable = usable.assign(key=usable["text"].map(clean))
    overall = usable.groupby("key")["conversation_id"].nunique()
    mine = usable[usable["topic_id"] == topic_id]
    found = []
    for key, group in mine.groupby("key", sort=False):
        uses = group["conversation_id"].nunique()
        if uses < params.min_uses or uses / overall[key] < params.min_specificity:
            continue
        ids = tuple(sorted(group["conversation_id"].unique())[:CITATIONS_PER_REPLY])
        found.append(Reply(" ".join(str(group["text"].iloc[0]).split()), int(uses), ids))
    found.sort(key=lambda reply: (-reply.uses, reply.text))
    return found[: params.replies]


def grounded_replies(topic: Topic, replies: pd.DataFrame, params: DraftParams) -> list[Reply]:
    """The replies a draft of ``topic`` may use, best first (see the module docstring).

    A reply must also use one of the topic's label words: a loose topic (leftovers of
    several) would otherwise get a confident answer to some other question."""
    words = {word for term in topic.top_terms for word in term.split()}
    candidates = best_replies(replies, topic.topic_id, replace(params, replies=10_000))
    return [r for r in candidates if words & set(clean(r.text).split())][: params.replies]


def draft_for(
    topic: Topic,
    replies: pd.DataFrame,
    articles: Sequence[Article],
    linter: Linter,
    params: DraftParams | None = None,
) -> Draft | None:
    """The extractive draft of ``topic``, linted and compared; None without evidence."""
    params = params or DraftParams()
    chosen = grounded_replies(topic, replies, params)
    if not chosen:
        return None
    draft = Draft(topic.topic_id, question_from(topic.representative), tuple(chosen))
    return checked(draft, articles, linter, params)


def checked(
    draft: Draft, articles: Sequence[Article], linter: Linter, params: DraftParams
) -> Draft:
    """``draft`` with the linter's safe fixes applied, its remaining findings counted, and
    duplicates of / contradictions with the published ``articles`` noted."""
    fixed_body, _ = apply_fixes(draft.body, linter.lint(draft.body))
    fixed = _with_body(draft, fixed_body)
    findings = linter.lint(fixed.body)
    duplicate, contradictions = _compare(fixed.body, articles, params)
    return replace(
        fixed,
        lint_errors=sum(f.severity == "error" for f in findings),
        lint_warnings=sum(f.severity == "warning" for f in findings),
        duplicate_of=duplicate,
        contradicts=tuple(contradictions),
    )


class Drafter(Protocol):
    """Writes the draft of one gap topic from its evidence; None when it has none."""

    name: str

    def draft(
        self,
        topic: Topic,
        replies: pd.DataFrame,
        articles: Sequence[Article],
        linter: Linter,
        params: DraftParams,
    ) -> Draft | None: ...


class ExtractiveDrafter:
    """The offline default: :func:`draft_for`."""

    name = EXTRACTIVE

    def draft(
        self,
        topic: Topic,
        replies: pd.DataFrame,
        articles: Sequence[Article],
        linter: Linter,
        params: DraftParams,
    ) -> Draft | None:
        return draft_for(topic, replies, articles, linter, params)


def write_draft(folder: Path, draft: Draft, drafted_at: datetime) -> Path:
    """``folder/drafts/<article id>.md``; an existing file (a reviewer's) is never replaced."""
    target = folder / DRAFTS_FOLDER / f"{draft.article_id}.md"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    review: dict[str, object] = {
        "lint_errors": draft.lint_errors,
        "lint_warnings": draft.lint_warnings,
        "duplicate_of": draft.duplicate_of,
        "contradicts": list(draft.contradicts),
    }
    if draft.llm_rejected:
        review["llm_rejected"] = draft.llm_rejected
    front = {
        "id": draft.article_id,
        "title": draft.question,
        "locale": "en-US",
        "status": "draft",
        "topic_id": draft.topic_id,
        "sources": draft.sources,
        "drafted_by": draft.drafted_by,
        "drafted_at": drafted_at.isoformat(timespec="seconds"),
        "review": review,
    }
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n"
    partial = target.with_suffix(".md.partial")
    partial.write_text(text + draft.body, encoding="utf-8")
    partial.replace(target)
    return target


def publish_draft(path: Path, published_at: datetime) -> None:
    """What a reviewer does to accept a draft: ``status: published`` and ``updated_at``
    (the publish date ``mart_kb_uplift`` measures from), the rest of the file kept."""
    parts = split_front_matter(path.read_text(encoding="utf-8"))
    meta = yaml.safe_load(parts.raw.strip("-\n"))
    meta["status"] = "published"
    meta["updated_at"] = published_at.isoformat(timespec="seconds")
    text = "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"
    partial = path.with_suffix(".md.partial")
    partial.write_text(text + parts.body, encoding="utf-8")
    partial.replace(path)


@dataclass(frozen=True)
class ReviewItem:
    path: Path
    article_id: str
    status: str  # draft | published | rejected | unreadable
    topic_id: str | None
    title: str
    sources: int
    lint_errors: int
    lint_warnings: int
    duplicate_of: str | None
    contradicts: tuple[str, ...]
    rejected_reason: str | None
    llm_rejected: str | None = None  # why the LLM's draft was replaced by this one


def review_items(folder: Path) -> list[ReviewItem]:
    """Every draft under ``folder/drafts`` with its evidence and review state."""
    items = []
    for path in sorted((folder / DRAFTS_FOLDER).glob("*.md")):
        try:
            meta = yaml.safe_load(
                split_front_matter(path.read_text(encoding="utf-8")).raw.strip("-\n")
            )
        except (ArticleProblem, yaml.YAMLError, OSError, UnicodeDecodeError):
            meta = None
        if not isinstance(meta, dict):
            items.append(
                ReviewItem(path, path.stem, "unreadable", None, "", 0, 0, 0, None, (), None)
            )
            continue
        review = meta.get("review") if isinstance(meta.get("review"), dict) else {}
        status = str(meta.get("status", "draft"))
        reason = meta.get("rejected_reason")
        items.append(
            ReviewItem(
                path=path,
                article_id=str(meta.get("id", path.stem)),
                status="rejected" if status == "retired" else status,
                topic_id=meta.get("topic_id"),
                title=str(meta.get("title", "")),
                sources=len(meta.get("sources") or []),
                lint_errors=int(review.get("lint_errors", 0)),
                lint_warnings=int(review.get("lint_warnings", 0)),
                duplicate_of=review.get("duplicate_of"),
                contradicts=tuple(review.get("contradicts") or ()),
                rejected_reason=None if reason is None else str(reason),
                llm_rejected=None
                if review.get("llm_rejected") is None
                else str(review["llm_rejected"]),
            )
        )
    return items


def question_from(utterance: str) -> str:
    text = " ".join(_PLACEHOLDER.sub("", utterance).split()).rstrip(" .!")
    text = text[:1].upper() + text[1:]
    return text if text.endswith("?") else text + "?"


def _with_body(draft: Draft, body: str) -> Draft:
    """The draft with the linter's safe fixes, read back from the fixed body."""
    lines = body.split("\n")
    question = lines[0].removeprefix("# ").strip()
    texts = [line for line in lines[2:] if line and not line.startswith("<!--")]
    replies = tuple(
        Reply(text, reply.uses, reply.conversation_ids)
        for text, reply in zip(texts, draft.replies, strict=True)
    )
    return replace(draft, question=question, replies=replies)


def _compare(
    body: str, articles: Sequence[Article], params: DraftParams
) -> tuple[str | None, list[str]]:
    # Deferred: kept out of the definitions' imports (pipelines/defs/preload.py).
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    published = [a for a in articles if a.status == "published"]
    if not published:
        return None, []
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    matrix = vectorizer.fit_transform([clean(body), *(article_text(a) for a in published)])
    scores = cosine_similarity(matrix[0], matrix[1:]).ravel()
    best = int(scores.argmax())
    duplicate = published[best].article_id if scores[best] >= params.duplicate_similarity else None
    if scores[best] < params.related_similarity:
        return duplicate, []
    mine = {m["unit"].lower().rstrip("s"): m["number"] for m in _QUANTITY.finditer(body)}
    contradictions = [
        f"{published[best].article_id}: {mine[unit]} vs {theirs['number']} {theirs['unit']}"
        for theirs in _QUANTITY.finditer(published[best].body)
        if (unit := theirs["unit"].lower().rstrip("s")) in mine and mine[unit] != theirs["number"]
    ]
    return duplicate, sorted(set(contradictions))
