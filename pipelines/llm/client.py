"""A small client for any OpenAI-compatible chat-completions endpoint.

Works with hosted APIs and local servers (vLLM, llama.cpp server, Ollama) alike:
``POST {base_url}/chat/completions`` with ``model`` and ``messages``, reading
``choices[0].message.content`` and ``usage``. Plain ``urllib`` rather than the
``openai`` SDK: one endpoint and one response shape are all closedloop uses, the
retry, rate-limit, cache and cost rules below are ours either way, and the SDK
would add a dependency tree (httpx, pydantic pins) for no behaviour we need.

Rules, because the nightly run must never fail or wait on an LLM:

* every request has a short timeout; 429 and 5xx are retried with exponential
  backoff (``Retry-After`` honoured, capped), at most ``max_retries`` times;
* requests are spaced to stay under ``requests_per_minute`` (shared by threads);
* an endpoint that cannot be reached (connection refused, DNS, timeout after
  retries) raises :class:`LLMUnavailable`, which callers turn into "skipped, with a
  warning"; after that the client refuses further calls at once (circuit breaker),
  so a dead endpoint costs one timeout, not one per conversation;
* responses are cached on disk by the caller's key (e.g. conversation hash, prompt
  version, model): a re-run costs nothing and gives the same answer;
* tokens and cost (from ``usage`` and the configured prices) come back with every
  result.

Only ever pass scrubbed text: the client sends what it is given.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 10.0  # seconds; a longer Retry-After means "come back later": give up


class LLMUnavailable(RuntimeError):
    """The endpoint could not be reached or kept failing; the caller skips the work."""


class LLMResponseError(ValueError):
    """The endpoint answered, but not with a usable chat completion."""


@dataclass(frozen=True)
class LLMSettings:
    """Where the model is and how hard to try. ``api_key`` comes from the caller, who
    reads it with ``pipelines.secrets.read_secret("CLOSEDLOOP_LLM_API_KEY")``
    (environment or 0600 ``_FILE``); local servers need none."""

    base_url: str
    model: str
    api_key: str | None = None
    timeout_seconds: float = 20.0
    max_retries: int = 2
    backoff_seconds: float = 0.5
    requests_per_minute: float = 60.0
    input_usd_per_million_tokens: float = 0.0
    output_usd_per_million_tokens: float = 0.0

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError(
                f"llm base_url must start with http:// or https://, got {self.base_url!r}"
            )
        if not self.model:
            raise ValueError("llm model must be set")
        if self.requests_per_minute <= 0 or self.timeout_seconds <= 0 or self.max_retries < 0:
            raise ValueError("llm requests_per_minute and timeout must be > 0, max_retries >= 0")

    def __repr__(self) -> str:  # never print the key
        return f"LLMSettings(base_url={self.base_url!r}, model={self.model!r})"


@dataclass(frozen=True)
class ChatResult:
    content: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    cached: bool


class _Spacer:
    """At most ``per_minute`` request starts per minute, across threads."""

    def __init__(self, per_minute: float) -> None:
        self.interval = 60.0 / per_minute
        self.next_start = 0.0
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.interval
        if start > now:
            time.sleep(start - now)


def cache_key(*parts: str) -> str:
    """A stable cache key from its parts (e.g. conversation hash, prompt version, model)."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class ChatClient:
    """Chat completions with retries, spacing, an on-disk cache and a circuit breaker."""

    def __init__(self, settings: LLMSettings, cache_dir: Path | None = None) -> None:
        self.settings = settings
        self.cache_dir = cache_dir
        self._spacer = _Spacer(settings.requests_per_minute)
        self._broken: str | None = None
        self._lock = threading.Lock()

    @property
    def unavailable_reason(self) -> str | None:
        """Why the endpoint is considered down, once a call found it so."""
        return self._broken

    def complete(
        self,
        messages: list[dict[str, str]],
        key: str,
        *,
        temperature: float = 0.0,
        max_tokens: int = 300,
    ) -> ChatResult:
        """The completion for ``messages``, from the cache under ``key`` when present."""
        cached = self._read_cache(key)
        if cached is not None:
            return cached
        if self._broken is not None:
            raise LLMUnavailable(self._broken)
        body = {
            "model": self.settings.model,
            "messages": messages,
            "temperature": temperature,
            "max_tokens": max_tokens,
        }
        response = self._post(body)
        try:
            content = response["choices"][0]["message"]["content"]
            usage = response.get("usage") or {}
            prompt_tokens = int(usage.get("prompt_tokens", 0))
            completion_tokens = int(usage.get("completion_tokens", 0))
        except (KeyError, IndexError, TypeError, ValueError):
            raise LLMResponseError("the endpoint's response is not a chat completion") from None
        if not isinstance(content, str):
            raise LLMResponseError("the completion has no text content")
        result = ChatResult(
            content=content,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cost_usd=(
                prompt_tokens * self.settings.input_usd_per_million_tokens
                + completion_tokens * self.settings.output_usd_per_million_tokens
            )
            / 1e6,
            cached=False,
        )
        self._write_cache(key, result)
        return result

    def _post(self, body: dict) -> dict:
        url = self.settings.base_url.rstrip("/") + "/chat/completions"
        headers = {"Content-Type": "application/json"}
        if self.settings.api_key:
            headers["Authorization"] = f"Bearer {self.settings.api_key}"
        data = json.dumps(body).encode()
        problem = ""
        for attempt in range(self.settings.max_retries + 1):
            if attempt:
                time.sleep(self._backoff(attempt, problem))
            self._spacer.wait()
            request = urllib.request.Request(url, data=data, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(
                    request, timeout=self.settings.timeout_seconds
                ) as reply:
                    return json.loads(reply.read())
            except urllib.error.HTTPError as error:
                if error.code in (401, 403):
                    self._trip(f"the LLM endpoint refused the credentials (HTTP {error.code})")
                if error.code not in RETRY_STATUSES:
                    raise LLMResponseError(f"the LLM endpoint answered HTTP {error.code}") from None
                retry_after = error.headers.get("Retry-After", "") if error.headers else ""
                problem = f"HTTP {error.code}|{retry_after}"
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
                reason = getattr(error, "reason", error)
                problem = f"cannot reach {url}: {type(reason).__name__}"
            except json.JSONDecodeError:
                raise LLMResponseError("the LLM endpoint's response is not JSON") from None
        self._trip(
            f"LLM endpoint unavailable after {self.settings.max_retries + 1} attempts ({problem.split('|')[0]})"
        )
        raise AssertionError("unreachable")  # _trip raises

    def _backoff(self, attempt: int, problem: str) -> float:
        wait = self.settings.backoff_seconds * 2 ** (attempt - 1)
        retry_after = problem.partition("|")[2]
        if retry_after:
            try:
                asked = float(retry_after)
            except ValueError:
                asked = 0.0
            if asked > MAX_RETRY_AFTER:
                self._trip(f"the LLM endpoint asked to retry after {asked:.0f} s")
            wait = max(wait, asked)
        return wait

    def _trip(self, reason: str) -> None:
        with self._lock:
            self._broken = self._broken or reason
        raise LLMUnavailable(reason)

    # -------------------------------------------------------------- cache

    def _cache_file(self, key: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / key[:2] / f"{key}.json"

    def _read_cache(self, key: str) -> ChatResult | None:
        path = self._cache_file(key)
        if path is None or not path.exists():
            return None
        stored = json.loads(path.read_text())
        return ChatResult(**{**stored, "cost_usd": 0.0, "cached": True})

    def _write_cache(self, key: str, result: ChatResult) -> None:
        path = self._cache_file(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w") as handle:
            json.dump({**result.__dict__, "cached": False}, handle)
        os.replace(partial, path)
