"""The optional LLM FAQ drafter (setting ``kb_drafter: llm``), behind :class:`Drafter`.

It gets the same evidence as the extractive drafter (the topic's recurring,
topic-specific agent replies from resolved handed-off conversations, see
``drafts.grounded_replies``) and asks an OpenAI-compatible model, through the shared
client (``pipelines.llm``: retries, rate limit, disk cache, token costs), to write
them up as one article whose every paragraph cites the conversation ids it was given.

What leaves the machine: the topic's representative customer message and up to
``LLM_SOURCES`` agent replies, all read from the scrubbed tables, plus their
conversation ids. As a second, independent gate the leak scan
(``pipelines.pii.leakscan``) runs over every source and over the rendered messages:
a flagged reply is left out, a flagged question skips the topic, so nothing the
scan recognises as an email, phone, card or SSN is ever sent.

The answer must stay grounded, checked by :func:`ungrounded`: every paragraph cites
only ids it was given, no PII placeholder appears, and every number and every
product term (a capitalised word that does not start a sentence: "Settings",
"Family Pairing") of the draft appears in the text that was sent. That is a simple
lexical check, not fact verification: a hallucinated lower-case claim or a made-up
word at the start of a sentence passes it; the reviewer is the final check. A
rejected answer (ungrounded, or not a draft at all) is replaced by the extractive
draft, with the reason in its ``review.llm_rejected``. An unreachable endpoint skips
the topic (nothing written), so the next run tries again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from pipelines.knowledge.article import Article
from pipelines.knowledge.drafts import (
    Draft,
    DraftParams,
    Reply,
    checked,
    draft_for,
    grounded_replies,
    question_from,
)
from pipelines.knowledge.linter import Linter
from pipelines.knowledge.topics import Topic
from pipelines.llm.client import ChatClient, LLMResponseError, LLMUnavailable, cache_key
from pipelines.llm.prompts import Prompt, load_prompt
from pipelines.pii.leakscan import scan

PROMPT_FILE = Path(__file__).parent / "prompts" / "faq-draft.md"
LLM_SOURCES = 5  # replies sent per topic: enough to merge wordings, few enough to read
MAX_TOKENS = 700
_PLACEHOLDER = re.compile(r"<[A-Z_]+_\d+>")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DraftUsage:
    """Tokens and cost of one drafting call (cost 0 when served from the cache)."""

    article_id: str
    model: str
    prompt_version: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    cached: bool


def product_terms(text: str) -> list[str]:
    """Capitalised words that do not start a sentence (names of products, features,
    menus); "I" is not one."""
    terms = []
    for sentence in _SENTENCE.split(text):
        words = _WORD.findall(sentence)
        terms += [word for word in words[1:] if word[0].isupper() and word != "I"]
    return terms


def ungrounded(texts: Sequence[str], sources: Sequence[str]) -> list[str]:
    """What in ``texts`` the ``sources`` do not contain: ``number N`` and ``term T``."""
    joined = " ".join(sources)
    numbers = set(_NUMBER.findall(joined))
    words = {word.lower() for word in _WORD.findall(joined)}
    missing: set[str] = set()
    for text in texts:
        missing |= {f"number {n}" for n in _NUMBER.findall(text) if n not in numbers}
        missing |= {f"term {t}" for t in product_terms(text) if t.lower() not in words}
    return sorted(missing)


def parse_draft(content: str, given_ids: set[str]) -> tuple[str, list[tuple[str, tuple[str, ...]]]]:
    """(question, [(paragraph, cited ids)]) from the model's JSON answer. Raises
    ``LLMResponseError`` when it is not a draft or cites an id it was not given."""
    match = re.search(r"\{.*\}", content, re.DOTALL)
    try:
        answer = json.loads(match.group(0)) if match else None
    except json.JSONDecodeError:
        answer = None
    if not isinstance(answer, dict) or not isinstance(answer.get("question"), str):
        raise LLMResponseError("the model's answer is not a draft (no question)")
    paragraphs = answer.get("paragraphs")
    if not isinstance(paragraphs, list) or not paragraphs:
        raise LLMResponseError("the model's answer is not a draft (no paragraphs)")
    parsed = []
    for paragraph in paragraphs:
        text = paragraph.get("text") if isinstance(paragraph, dict) else None
        cited = paragraph.get("sources") if isinstance(paragraph, dict) else None
        if not isinstance(text, str) or not text.strip() or not isinstance(cited, list):
            raise LLMResponseError("a paragraph of the model's draft has no text or sources")
        ids = tuple(sorted({str(cid) for cid in cited}))
        if not ids or not set(ids) <= given_ids:
            raise LLMResponseError("a paragraph cites no source or one it was not given")
        parsed.append((" ".join(text.split()), ids))
    return " ".join(answer["question"].split()), parsed


class LLMDrafter:
    """See the module docstring. :meth:`take_usage` hands over the calls' costs."""

    def __init__(
        self, client: ChatClient, *, prompt: Prompt | None = None, log: logging.Logger = logger
    ) -> None:
        self.client = client
        self.prompt = prompt or load_prompt(PROMPT_FILE)
        self.name = f"llm:{client.settings.model}|{self.prompt.version}"
        self.log = log
        self.skipped: list[str] = []  # why topics got no draft (endpoint down, leak scan)
        self._usage: list[DraftUsage] = []

    def take_usage(self) -> list[DraftUsage]:
        """The usage recorded since the last call, cleared."""
        usage, self._usage = self._usage, []
        return usage

    def draft(
        self,
        topic: Topic,
        replies: pd.DataFrame,
        articles: Sequence[Article],
        linter: Linter,
        params: DraftParams,
    ) -> Draft | None:
        candidates = grounded_replies(topic, replies, replace(params, replies=10_000))
        evidence = [reply for reply in candidates if not scan(reply.text)][:LLM_SOURCES]
        if not evidence:
            return None
        question = question_from(topic.representative)
        messages = self.prompt.render(
            question=question,
            replies="\n".join(f"[{', '.join(r.conversation_ids)}] {r.text}" for r in evidence),
        )
        if any(scan(message["content"]) for message in messages):
            self.skipped.append("the leak scan flagged the topic's question")
            return None
        key = cache_key(
            hashlib.sha256(json.dumps(messages).encode()).hexdigest(),
            self.prompt.version,
            self.client.settings.model,
        )
        try:
            result = self.client.complete(messages, key, max_tokens=MAX_TOKENS)
        except LLMUnavailable as error:
            self.skipped.append(str(error))
            return None
        except LLMResponseError as error:
            return self._fallback(topic, replies, articles, linter, params, str(error))
        self._usage.append(
            DraftUsage(
                f"faq-{topic.topic_id}",
                self.client.settings.model,
                self.prompt.version,
                result.prompt_tokens,
                result.completion_tokens,
                result.cost_usd,
                result.cached,
            )
        )
        given = {cid for reply in evidence for cid in reply.conversation_ids}
        try:
            title, paragraphs = parse_draft(result.content, given)
        except LLMResponseError as error:
            return self._fallback(topic, replies, articles, linter, params, str(error))
        texts = [title, *(text for text, _ in paragraphs)]
        sent = [question, *(reply.text for reply in evidence)]
        problems = ungrounded(texts, sent)
        if any(_PLACEHOLDER.search(text) for text in texts):
            problems.insert(0, "a PII placeholder")
        if problems:
            reason = "ungrounded: " + ", ".join(problems)
            return self._fallback(topic, replies, articles, linter, params, reason)
        draft = Draft(
            topic.topic_id,
            title if title.endswith("?") else title + "?",
            tuple(Reply(text, len(ids), ids) for text, ids in paragraphs),
            drafted_by=self.name,
        )
        return checked(draft, articles, linter, params)

    def _fallback(
        self,
        topic: Topic,
        replies: pd.DataFrame,
        articles: Sequence[Article],
        linter: Linter,
        params: DraftParams,
        reason: str,
    ) -> Draft | None:
        """The extractive draft, noting why the model's was rejected."""
        # The reason quotes the model's words: it goes to the draft's front matter for
        # the reviewer, not to the log.
        self.log.warning(
            f"llm drafter: the draft of {topic.topic_id} was rejected; the extractive "
            "draft is offered instead (see its review.llm_rejected)"
        )
        draft = draft_for(topic, replies, articles, linter, params)
        return None if draft is None else replace(draft, llm_rejected=reason)
