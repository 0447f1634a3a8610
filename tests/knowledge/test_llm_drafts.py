"""The optional LLM FAQ drafter against a local OpenAI-compatible server started by the test."""

from __future__ import annotations

import json
import re
import socket
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from pipelines.config import Settings
from pipelines.knowledge.drafts import DraftParams, write_draft
from pipelines.knowledge.llm_drafts import LLMDrafter, ungrounded
from pipelines.knowledge.sources import load_kb
from pipelines.knowledge.topics import Topic
from pipelines.llm.client import ChatClient, LLMSettings
from pipelines.pii.leakscan import scan
from tests.llm.fake_llm import FakeLLM, completion

DUET = Topic("topic-0031", ("duet", "videos"), "why can't people duet my videos", {"duet": 1.0})
SPECIFIC = "Duets are off for your videos: open Settings > Privacy > Duet and choose Everyone."
SECOND = "Duet is not available on videos with licensed music; use your own sound instead."
# A reply the scrubber missed: the leak scan sees a phone number. It is the most used
# reply, so only the drafter's own gate keeps it out of the request.
LEAKY = "Call our duet team on 415-555-0132 and they will switch duets back on."
LEAKY_IDS = [f"c-leak-{i}" for i in range(6)]


def _replies() -> pd.DataFrame:
    rows = [(cid, "topic-0031", LEAKY) for cid in LEAKY_IDS]
    for index in range(6):
        rows.append((f"c-duet-{index}", "topic-0031", SPECIFIC if index < 4 else SECOND))
    return pd.DataFrame(rows, columns=["conversation_id", "topic_id", "text"])


def _cited(body: dict) -> list[str]:
    """The conversation ids the request offered, from its ``[ids] reply`` lines."""
    text = body["messages"][-1]["content"]
    return [cid for group in re.findall(r"^\[([^\]]+)\]", text, re.M) for cid in group.split(", ")]


def faithful(body: dict) -> tuple[int, dict, dict]:
    """Rewrites the replies without adding anything, citing what it was given."""
    ids = _cited(body)
    draft = {
        "question": "Why can't people duet my videos?",
        "paragraphs": [
            {
                "text": "Duets are off for your videos. Open Settings > Privacy > Duet "
                "and choose Everyone.",
                "sources": ids[:4],
            },
            {"text": "Duet is not available on videos with licensed music.", "sources": ids[4:]},
        ],
    }
    return 200, completion("```json\n" + json.dumps(draft) + "\n```", 400, 90), {}


def inventive(body: dict) -> tuple[int, dict, dict]:
    """Adds a number and a product the replies never mention."""
    draft = {
        "question": "Why can't people duet my videos?",
        "paragraphs": [
            {
                "text": "Duets turn on within 7 days for Premium members.",
                "sources": _cited(body)[:2],
            }
        ],
    }
    return 200, completion(json.dumps(draft)), {}


def cites_strangers(body: dict) -> tuple[int, dict, dict]:
    draft = {
        "question": "Why can't people duet my videos?",
        "paragraphs": [{"text": "Open Settings and choose Everyone.", "sources": ["c-nope"]}],
    }
    return 200, completion(json.dumps(draft)), {}


def _drafter(url: str, tmp_path: Path) -> LLMDrafter:
    settings = LLMSettings(
        base_url=url,
        model="tiny",
        timeout_seconds=2,
        max_retries=0,
        requests_per_minute=6000,
        input_usd_per_million_tokens=2.0,
        output_usd_per_million_tokens=10.0,
    )
    return LLMDrafter(ChatClient(settings, cache_dir=tmp_path / "cache"))


@pytest.fixture
def server():
    fake = FakeLLM(respond=faithful)
    yield fake
    fake.close()


def test_grounded_llm_draft_cites_its_sources_and_sends_only_scrubbed_text(
    server: FakeLLM, tmp_path: Path, linter
) -> None:
    drafter = _drafter(server.url, tmp_path)
    draft = drafter.draft(DUET, _replies(), [], linter, DraftParams())
    assert draft is not None and draft.drafted_by.startswith("llm:tiny|kb-faq-draft@1+")
    (request,) = server.requests
    sent = json.dumps(request)
    # The leak scan finds nothing in what left the machine, and the leaky reply is absent.
    assert scan(sent) == [] and "415" not in sent and not set(LEAKY_IDS) & set(_cited(request))
    assert draft.sources == [f"c-duet-{i}" for i in range(6)]
    assert draft.question == "Why can't people duet my videos?"
    assert "Open Settings > Privacy > Duet" in draft.body and draft.llm_rejected is None
    (usage,) = drafter.take_usage()
    assert (usage.article_id, usage.prompt_tokens, usage.completion_tokens) == (
        "faq-topic-0031",
        400,
        90,
    )
    assert usage.cost_usd == pytest.approx((400 * 2.0 + 90 * 10.0) / 1e6)
    # Written for review like any draft, with the drafter named.
    write_draft(tmp_path / "kb", draft, datetime(2026, 3, 28, tzinfo=UTC))
    (article,) = load_kb([tmp_path / "kb"]).articles
    assert article.status == "draft" and "c-duet-0" in article.body

    # A re-run is served from the disk cache: no request, no cost.
    again = _drafter(server.url, tmp_path)
    assert again.draft(DUET, _replies(), [], linter, DraftParams()) == draft
    assert len(server.requests) == 1
    (cached,) = again.take_usage()
    assert cached.cached and cached.cost_usd == 0.0


@pytest.mark.parametrize(
    ("respond", "reason"),
    [
        (inventive, "ungrounded: number 7, term Premium"),
        (cites_strangers, "a paragraph cites no source or one it was not given"),
        (lambda body: (200, completion("I would rather not."), {}), "not a draft"),
    ],
)
def test_an_ungrounded_answer_is_replaced_by_the_extractive_draft(
    respond, reason: str, tmp_path: Path, linter
) -> None:
    fake = FakeLLM(respond=respond)
    try:
        draft = _drafter(fake.url, tmp_path).draft(DUET, _replies(), [], linter, DraftParams())
    finally:
        fake.close()
    assert draft is not None and draft.drafted_by == "extractive-v1"
    assert draft.llm_rejected is not None and reason in draft.llm_rejected
    # The extractive draft quotes the replies it was given (the leaky one too: it stays local).
    assert SPECIFIC in draft.body
    path = write_draft(tmp_path / "kb", draft, datetime(2026, 3, 28, tzinfo=UTC))
    assert reason in path.read_text()


def test_an_unreachable_endpoint_skips_the_topic(tmp_path: Path, linter) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    drafter = _drafter(f"http://127.0.0.1:{port}/v1", tmp_path)
    assert drafter.draft(DUET, _replies(), [], linter, DraftParams()) is None
    assert drafter.skipped and "unavailable" in drafter.skipped[0]
    assert drafter.take_usage() == []


def test_no_evidence_no_request(server: FakeLLM, tmp_path: Path, linter) -> None:
    drafter = _drafter(server.url, tmp_path)
    assert drafter.draft(DUET, _replies().iloc[0:0], [], linter, DraftParams()) is None
    assert server.requests == []


def test_grounding_check_numbers_and_product_terms() -> None:
    sources = ["Open Settings > Family Pairing and wait 10 minutes."]
    assert ungrounded(["Go to Settings > Family Pairing. Wait 10 minutes."], sources) == []
    assert ungrounded(["Wait 15 minutes, then open Screen Time."], sources) == [
        "number 15",
        "term Screen",
        "term Time",
    ]


def test_the_llm_drafter_needs_an_endpoint() -> None:
    with pytest.raises(ValueError, match="kb_drafter=llm needs"):
        Settings(kb_drafter="llm")
    with pytest.raises(ValueError, match="kb_drafter='gpt'"):
        Settings(kb_drafter="gpt")
    assert Settings().kb_drafter == "extractive"
    assert Settings(kb_drafter="llm", llm_base_url="http://x/v1", llm_model="m").kb_drafter == "llm"
