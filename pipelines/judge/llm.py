"""The optional `llm` judge: an OpenAI-compatible model reads the scrubbed transcript.

Only scrubbed text is sent (the caller passes ``scrubbed.events``). The prompt is
``prompts/resolution.md`` (versioned in the repository); responses are cached by
(transcript hash, prompt version, model). A stratified sample is judged — per
intent, the ``sample_rate`` share (at least one conversation per intent), chosen by
a seeded hash of the conversation id so re-runs pick the same ones — or all of
them at ``sample_rate = 1``. Conversations outside the sample, and any the endpoint
could not judge, get no verdict: :meth:`LLMJudge.judge_table` returns only the
judged ones, and a warning says how many were skipped and why. An unreachable
endpoint therefore costs one timeout and yields no rows; it never fails the run.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import math
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.judge.base import VERDICTS, Verdicts, group_events
from pipelines.llm.client import ChatClient, LLMResponseError, LLMUnavailable, cache_key
from pipelines.llm.prompts import Prompt, load_prompt

NAME = "llm"
PROMPT_FILE = Path(__file__).parent / "prompts" / "resolution.md"
MAX_TRANSCRIPT_CHARS = 12_000  # longer transcripts keep their start and their end
_REASON = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Usage:
    """Tokens and cost of one judged conversation (cost 0 when served from the cache)."""

    conversation_id: str
    model: str
    prompt_version: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    cached: bool


def sample_conversations(conversations: pa.Table, rate: float, seed: int = 0) -> pa.Table:
    """The stratified sample to judge: ``conversation_id``, ``stratum`` (the intent, or
    "(none)"), ``inclusion_prob``. Per stratum ceil(rate x N) conversations, those with
    the smallest seeded hash of their id."""
    if not 0 < rate <= 1:
        raise ValueError(f"llm sample rate must be in (0, 1], got {rate}")
    ids = conversations["conversation_id"].to_pylist()
    if "intent" in conversations.column_names:
        strata = [s or "(none)" for s in conversations["intent"].to_pylist()]
    else:
        strata = ["(none)"] * len(ids)
    rank = [hashlib.sha256(f"{seed}:{cid}".encode()).hexdigest() for cid in ids]
    members: dict[str, list[int]] = {}
    for index, stratum in enumerate(strata):
        members.setdefault(stratum, []).append(index)
    chosen, probability = [], []
    for rows in members.values():
        take = min(len(rows), math.ceil(rate * len(rows)))
        picked = sorted(rows, key=rank.__getitem__)[:take]
        chosen.extend(picked)
        probability.extend([take / len(rows)] * take)
    order = np.argsort(chosen, kind="stable")
    chosen_sorted = np.asarray(chosen, dtype=np.int64)[order]
    return pa.table(
        {
            "conversation_id": pa.array([ids[i] for i in chosen_sorted], pa.string()),
            "stratum": pa.array([strata[i] for i in chosen_sorted], pa.string()),
            "inclusion_prob": pa.array(np.asarray(probability)[order], pa.float64()),
        }
    )


def transcript(events: list[dict]) -> str:
    """``[seq] speaker: text`` lines; non-message events as ``[seq] system: (event)``."""
    lines = []
    for event in events:
        text = (event["text"] or "").replace("\n", " ").strip()
        if event["event_type"] == "message":
            if text:
                lines.append(f"[{event['seq']}] {event['actor']}: {text}")
        else:
            detail = f" {event['payload']}" if event["payload"] not in (None, "", "{}") else ""
            lines.append(f"[{event['seq']}] system: ({event['event_type']}{detail})")
    joined = "\n".join(lines)
    if len(joined) > MAX_TRANSCRIPT_CHARS:
        half = MAX_TRANSCRIPT_CHARS // 2
        joined = joined[:half] + "\n[...]\n" + joined[-half:]
    return joined


def parse_answer(content: str, seqs: set[int]) -> tuple[str, float, list[str], list[int]]:
    """(verdict, score, reasons, evidence) from the model's JSON answer; evidence is
    kept only where it names a real event. Raises ``LLMResponseError`` otherwise."""
    match = re.search(r"\{.*\}", content, re.DOTALL)
    try:
        answer = json.loads(match.group(0)) if match else None
    except json.JSONDecodeError:
        answer = None
    if not isinstance(answer, dict) or answer.get("verdict") not in VERDICTS:
        raise LLMResponseError("the model's answer has no valid verdict")
    try:
        confidence = min(1.0, max(0.0, float(answer.get("confidence", 0.5))))
    except (TypeError, ValueError):
        confidence = 0.5
    verdict = answer["verdict"]
    score = {"resolved": 0.5 + confidence / 2, "unresolved": 0.5 - confidence / 2}.get(verdict, 0.5)
    reasons = [r for r in answer.get("reasons", []) if isinstance(r, str) and _REASON.match(r)][:3]
    evidence = sorted(
        {int(s) for s in answer.get("evidence", []) if isinstance(s, int) and s in seqs}
    )
    return verdict, score, reasons, evidence


class LLMJudge:
    """See the module docstring. ``usage`` lists tokens and cost of the last call."""

    name = NAME

    def __init__(
        self,
        client: ChatClient,
        *,
        sample_rate: float = 1.0,
        seed: int = 0,
        workers: int = 4,
        prompt: Prompt | None = None,
        log: logging.Logger = logger,
    ) -> None:
        self.client = client
        self.prompt = prompt or load_prompt(PROMPT_FILE)
        self.version = f"{client.settings.model}|{self.prompt.version}"
        self.sample_rate = sample_rate
        self.seed = seed
        self.workers = workers
        self.log = log
        self.usage: list[Usage] = []

    def at_full_rate(self) -> LLMJudge:
        """The same judge (client, prompt, version, workers) judging every conversation
        it is given: for a caller that drew the sample of a whole day itself and passes
        the sampled conversations in batches (``pipelines.judge.load.judge_window``)."""
        judge = copy.copy(self)
        judge.sample_rate = 1.0
        judge.usage = []
        return judge

    def judge_table(self, conversations: pa.Table, events: pa.Table) -> Verdicts:
        sample = sample_conversations(conversations, self.sample_rate, self.seed)
        chosen = conversations.filter(
            pc.is_in(conversations["conversation_id"], sample["conversation_id"])
        )
        chosen = chosen.select(["conversation_id"])
        grouped = group_events(
            chosen, events.filter(pc.is_in(events["conversation_id"], chosen["conversation_id"]))
        )
        rows = grouped.events.to_pylist()
        ids = chosen["conversation_id"].to_pylist()
        work = [
            (cid, rows[start : start + count])
            for cid, start, count in zip(ids, grouped.starts, grouped.counts, strict=True)
        ]
        with ThreadPoolExecutor(max_workers=max(1, self.workers)) as pool:
            results = list(pool.map(lambda item: self._judge_one(*item), work))
        judged = [r for r in results if isinstance(r, tuple)]
        failures = [r for r in results if isinstance(r, str)]
        if failures:
            self.log.warning(
                f"llm judge: skipped {len(failures)} of {len(work)} sampled conversations "
                f"({len(conversations)} in the batch): {sorted(set(failures))[0]}"
            )
        self.usage = [usage for *_, usage in judged]
        return Verdicts(
            conversation_id=pa.array([r[0] for r in judged], pa.string()),
            verdict=pa.array([r[1] for r in judged], pa.string()),
            score=pa.array([r[2] for r in judged], pa.float64()),
            reasons=pa.array([r[3] for r in judged], pa.list_(pa.string())),
            evidence=pa.array([r[4] for r in judged], pa.list_(pa.int32())),
        )

    def _judge_one(
        self, conversation_id: str, events: list[dict]
    ) -> tuple[str, str, float, list[str], list[int], Usage] | str:
        """The verdict tuple, or why the conversation was skipped."""
        text = transcript(events)
        if not text:
            return "empty transcript"
        key = cache_key(
            hashlib.sha256(text.encode()).hexdigest(),
            self.prompt.version,
            self.client.settings.model,
        )
        try:
            result = self.client.complete(self.prompt.render(transcript=text), key)
            verdict, score, reasons, evidence = parse_answer(
                result.content, {int(e["seq"]) for e in events}
            )
        except (LLMUnavailable, LLMResponseError) as error:
            return str(error)
        usage = Usage(
            conversation_id,
            self.client.settings.model,
            self.prompt.version,
            result.prompt_tokens,
            result.completion_tokens,
            result.cost_usd,
            result.cached,
        )
        return conversation_id, verdict, score, reasons, evidence, usage
