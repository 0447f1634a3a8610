"""The LLM judge against a local OpenAI-compatible server started by the test."""

from __future__ import annotations

import json
import logging
import re
import socket

import pyarrow as pa
import pytest

from pipelines.judge.base import judge_partition
from pipelines.judge.llm import LLMJudge, sample_conversations
from pipelines.llm.client import ChatClient, LLMSettings
from tests.judge.judge_data import tables
from tests.llm.fake_llm import FakeLLM, completion

CONVERSATIONS = {
    "ok": [
        ("customer", "where is my order"),
        ("bot", "It arrives Friday."),
        ("customer", "thanks"),
    ],
    "bad": [
        ("customer", "my email is <EMAIL_1>, reset my password"),
        ("bot", "Sorry, I was unable to reset it."),
    ],
    "handoff": [
        ("customer", "agent please"),
        ("bot", "handoff_requested", {"reason": "customer_request"}),
    ],
}


def answer(body: dict) -> tuple[int, dict, dict]:
    """Judges like a careful reader would: failure words mean unresolved."""
    text = body["messages"][-1]["content"]
    failed = "unable" in text or "handoff" in text
    seqs = [int(s) for s in re.findall(r"\[(\d+)\]", text)]
    content = json.dumps(
        {
            "verdict": "unresolved" if failed else "resolved",
            "confidence": 0.8,
            "reasons": ["failure_notice" if failed else "customer_thanked", "Not A Code!"],
            "evidence": [seqs[-1], 99],
        }
    )
    return 200, completion(f"```json\n{content}\n```"), {}


@pytest.fixture
def server():
    fake = FakeLLM(respond=answer)
    yield fake
    fake.close()


def judge_for(url: str, tmp_path, **options) -> LLMJudge:
    settings = LLMSettings(
        base_url=url,
        model="tiny",
        timeout_seconds=2,
        backoff_seconds=0.01,
        requests_per_minute=6000,
        input_usd_per_million_tokens=2.0,
    )
    return LLMJudge(ChatClient(settings, cache_dir=tmp_path / "cache"), **options)


def test_verdicts_reasons_evidence_and_usage(server, tmp_path):
    header, events = tables(CONVERSATIONS)
    judge = judge_for(server.url, tmp_path)
    rows = {r["conversation_id"]: r for r in judge_partition(judge, header, events).to_pylist()}
    assert rows["ok"]["verdict"] == "resolved" and rows["ok"]["score"] == pytest.approx(0.9)
    assert rows["bad"]["verdict"] == "unresolved" and rows["bad"]["score"] == pytest.approx(0.1)
    assert rows["handoff"]["verdict"] == "unresolved"
    assert rows["bad"]["reasons"] == ["failure_notice"]  # malformed codes dropped
    assert rows["bad"]["evidence"] == [1]  # seq 99 does not exist
    assert rows["ok"]["judge"] == "llm" and "resolution-judge@1" in rows["ok"]["judge_version"]
    assert len(judge.usage) == 3
    assert sum(u.cost_usd for u in judge.usage) == pytest.approx(3 * 120 * 2.0 / 1e6)


def test_only_the_scrubbed_transcript_is_sent(server, tmp_path):
    header, events = tables({"bad": CONVERSATIONS["bad"]})
    judge_partition(judge_for(server.url, tmp_path), header, events)
    sent = server.requests[0]["messages"][-1]["content"]
    assert "[0] customer: my email is <EMAIL_1>, reset my password" in sent
    assert "[1] bot: Sorry, I was unable to reset it." in sent


def test_cached_answers_cost_nothing_on_a_rerun(server, tmp_path):
    header, events = tables(CONVERSATIONS)
    judge_partition(judge_for(server.url, tmp_path), header, events)
    again = judge_for(server.url, tmp_path)
    judge_partition(again, header, events)
    assert len(server.requests) == 3
    assert all(u.cached and u.cost_usd == 0 for u in again.usage)


def test_unreachable_endpoint_means_no_rows_and_a_warning(tmp_path, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    header, events = tables(CONVERSATIONS)
    judge = judge_for(f"http://127.0.0.1:{port}/v1", tmp_path)
    with caplog.at_level(logging.WARNING):
        rows = judge_partition(judge, header, events)
    assert rows.num_rows == 0
    assert "skipped 3 of 3" in caplog.text and "cannot reach" in caplog.text


def test_unparseable_answers_are_skipped_not_guessed(server, tmp_path, caplog):
    server.script = [(200, completion("I think it went fine."), {})] * 3
    header, events = tables(CONVERSATIONS)
    with caplog.at_level(logging.WARNING):
        rows = judge_partition(judge_for(server.url, tmp_path, workers=1), header, events)
    assert rows.num_rows == 0 and "no valid verdict" in caplog.text


def test_stratified_sample_per_intent():
    ids = [f"c{i}" for i in range(100)]
    intents = ["refund"] * 80 + ["login"] * 18 + ["rare"] * 2
    conversations = pa.table({"conversation_id": ids, "intent": intents})
    sample = sample_conversations(conversations, 0.1, seed=1)
    by_stratum = dict(zip(*pa.compute.value_counts(sample["stratum"]).flatten(), strict=True))
    assert {k.as_py(): v.as_py() for k, v in by_stratum.items()} == {
        "refund": 8,
        "login": 2,
        "rare": 1,
    }
    assert sample_conversations(conversations, 0.1, seed=1).equals(sample)  # deterministic
    assert sample_conversations(conversations, 1.0).num_rows == 100
    with pytest.raises(ValueError, match="sample rate"):
        sample_conversations(conversations, 0)


def test_sampled_judge_returns_only_the_sample(server, tmp_path):
    conversations = {
        f"c{i}": [("customer", f"where is order {i}"), ("bot", "Friday.")] for i in range(20)
    }
    header, events = tables(conversations)
    rows = judge_partition(judge_for(server.url, tmp_path, sample_rate=0.25), header, events)
    assert rows.num_rows == 5 == len(server.requests)
