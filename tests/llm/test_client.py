"""The chat-completions client against a local server: retries, cache, cost, breaker."""

from __future__ import annotations

import socket
import time

import pytest

from pipelines.llm.client import (
    ChatClient,
    LLMResponseError,
    LLMSettings,
    LLMUnavailable,
    cache_key,
)
from tests.llm.fake_llm import FakeLLM, completion

MESSAGES = [{"role": "user", "content": "hello"}]


@pytest.fixture
def server():
    fake = FakeLLM(respond=lambda body: (200, completion("hi there"), {}))
    yield fake
    fake.close()


def settings(url: str, **overrides) -> LLMSettings:
    values = {
        "base_url": url,
        "model": "small-model",
        "api_key": "sk-test-secret",
        "timeout_seconds": 2.0,
        "backoff_seconds": 0.01,
        "requests_per_minute": 6000,
        "input_usd_per_million_tokens": 1.0,
        "output_usd_per_million_tokens": 4.0,
    }
    return LLMSettings(**{**values, **overrides})


def test_completion_tokens_and_cost(server):
    result = ChatClient(settings(server.url)).complete(MESSAGES, cache_key("a"))
    assert result.content == "hi there"
    assert (result.prompt_tokens, result.completion_tokens) == (120, 30)
    assert result.cost_usd == pytest.approx((120 * 1.0 + 30 * 4.0) / 1e6)
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["model"] == "small-model" and request["messages"] == MESSAGES
    assert server.headers[0]["Authorization"] == "Bearer sk-test-secret"


def test_the_key_is_never_printed(server):
    assert "sk-test-secret" not in repr(settings(server.url))


def test_cache_answers_a_repeat_without_a_request(server, tmp_path):
    client = ChatClient(settings(server.url), cache_dir=tmp_path)
    first = client.complete(MESSAGES, cache_key("conv", "prompt@1", "small-model"))
    again = ChatClient(settings(server.url), cache_dir=tmp_path).complete(
        MESSAGES, cache_key("conv", "prompt@1", "small-model")
    )
    assert len(server.requests) == 1
    assert again.content == first.content and again.cached and again.cost_usd == 0.0
    client.complete(MESSAGES, cache_key("conv", "prompt@2", "small-model"))
    assert len(server.requests) == 2  # a new prompt version is a new key


def test_rate_limit_and_server_errors_are_retried(server):
    server.script = [(429, {"error": "slow down"}, {"Retry-After": "0"}), (503, {}, {})]
    result = ChatClient(settings(server.url)).complete(MESSAGES, cache_key("b"))
    assert result.content == "hi there"
    assert len(server.requests) == 3


def test_persistent_failure_trips_the_breaker(server):
    server.script = [(500, {}, {})] * 3
    client = ChatClient(settings(server.url, max_retries=2))
    with pytest.raises(LLMUnavailable, match="after 3 attempts"):
        client.complete(MESSAGES, cache_key("c"))
    with pytest.raises(LLMUnavailable):
        client.complete(MESSAGES, cache_key("d"))
    assert len(server.requests) == 3  # the second call never reached the server


def test_long_retry_after_gives_up_at_once(server):
    server.script = [(429, {}, {"Retry-After": "3600"})]
    with pytest.raises(LLMUnavailable, match="retry after 3600"):
        ChatClient(settings(server.url)).complete(MESSAGES, cache_key("e"))
    assert len(server.requests) == 1


def test_unreachable_endpoint_fails_fast():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = ChatClient(settings(f"http://127.0.0.1:{port}/v1", max_retries=1))
    started = time.monotonic()
    with pytest.raises(LLMUnavailable, match="cannot reach"):
        client.complete(MESSAGES, cache_key("f"))
    assert time.monotonic() - started < 2
    assert client.unavailable_reason is not None


def test_a_non_completion_answer_is_a_response_error(server):
    server.script = [(200, {"unexpected": True}, {}), (400, {"error": "bad"}, {})]
    client = ChatClient(settings(server.url))
    with pytest.raises(LLMResponseError, match="not a chat completion"):
        client.complete(MESSAGES, cache_key("g"))
    with pytest.raises(LLMResponseError, match="HTTP 400"):
        client.complete(MESSAGES, cache_key("h"))


def test_requests_are_spaced_to_the_rate_limit(server):
    client = ChatClient(settings(server.url, requests_per_minute=600))  # one per 0.1 s
    started = time.monotonic()
    for i in range(4):
        client.complete(MESSAGES, cache_key(str(i)))
    assert time.monotonic() - started >= 0.3


def test_settings_are_validated():
    with pytest.raises(ValueError, match="base_url"):
        LLMSettings(base_url="localhost:8000", model="m")
    with pytest.raises(ValueError, match="model"):
        LLMSettings(base_url="http://localhost:8000/v1", model="")
