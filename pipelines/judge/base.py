"""What every judge takes and returns, and the batch function the pipeline calls.

A judge reads one scrubbed conversation (header + ordered events, the canonical
model of ``pipelines/model.py`` as stored in ``scrubbed.conversations`` /
``scrubbed.events``) and says whether the bot resolved the customer's problem:
``resolved`` | ``unresolved`` | ``unsure``, a score in 0..1 (higher = more likely
resolved), human-readable reason codes and the ``seq`` of the events that are the
evidence. Judges work on Arrow tables so a day is judged in a few vectorized passes;
:func:`judge_one` is the same code on a one-conversation table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# The row contract lives in schemas/ (the warehouse derives its DDL from it).
from schemas.judgements import JUDGEMENT_SCHEMA as JUDGEMENT_SCHEMA
from schemas.judgements import VERDICTS as VERDICTS

# Columns a judge reads; extra columns (sent_at, agent_key, ...) are ignored.
EVENT_COLUMNS = ("conversation_id", "seq", "actor", "event_type", "text", "payload")
CONVERSATION_COLUMNS = ("conversation_id", "partition_date")
_EVENT_TYPES = pa.schema(
    [(name, pa.int64() if name == "seq" else pa.string()) for name in EVENT_COLUMNS]
)


@dataclass(frozen=True)
class Judgement:
    """One conversation's verdict."""

    conversation_id: str
    verdict: str
    score: float
    reasons: tuple[str, ...]
    evidence: tuple[int, ...]


@dataclass(frozen=True)
class Verdicts:
    """A judge's output: one entry per judged conversation (all of them, in input order,
    except for a sampling judge), ``conversation_id`` saying which."""

    conversation_id: pa.Array
    verdict: pa.Array
    score: pa.Array
    reasons: pa.Array  # list<string>
    evidence: pa.Array  # list<int32>


@runtime_checkable
class Judge(Protocol):
    """A conversation judge. ``version`` changes whenever its verdicts can change."""

    name: str
    version: str

    def judge_table(self, conversations: pa.Table, events: pa.Table) -> Verdicts:
        """Judge the conversations of ``conversations`` (column ``conversation_id``)
        from ``events`` (``EVENT_COLUMNS``, any order). Deterministic judges return
        every conversation (one without events is ``unsure``)."""
        ...


def verdict_from_score(score: np.ndarray, resolved_at: float, unresolved_at: float) -> np.ndarray:
    """``resolved`` at or above ``resolved_at``, ``unresolved`` at or below
    ``unresolved_at``, ``unsure`` between."""
    return np.where(
        score >= resolved_at,
        "resolved",
        np.where(score <= unresolved_at, "unresolved", "unsure"),
    )


def judge_partition(judge: Judge, conversations: pa.Table, events: pa.Table) -> pa.Table:
    """The ``conversation_judgements`` rows for ``conversations`` (which must carry
    ``conversation_id`` and ``partition_date``), judged from their ``events``.

    Pass whole conversations: every event of a listed conversation must be in
    ``events``. One row per judged conversation, in the order of ``conversations``;
    a judge that works on a sample (``llm``) returns rows for the judged ones only.
    """
    missing = [c for c in CONVERSATION_COLUMNS if c not in conversations.column_names]
    if missing:
        raise ValueError(f"conversations table lacks columns {missing}")
    verdicts = judge.judge_table(conversations, events)
    ids = conversations["conversation_id"].cast(pa.string())
    position = pc.index_in(verdicts.conversation_id, value_set=ids)
    if position.null_count:
        raise ValueError(f"judge {judge.name} returned verdicts for unknown conversations")
    order = pc.sort_indices(position)
    n = len(verdicts.conversation_id)
    return pa.table(
        {
            "conversation_id": verdicts.conversation_id.take(order),
            "partition_date": conversations["partition_date"]
            .cast(pa.date32())
            .take(position.take(order)),
            "judge": pa.array([judge.name] * n, pa.string()),
            "judge_version": pa.array([judge.version] * n, pa.string()),
            "verdict": verdicts.verdict.take(order),
            "score": verdicts.score.take(order),
            "reasons": verdicts.reasons.take(order),
            "evidence": verdicts.evidence.take(order),
        },
        schema=JUDGEMENT_SCHEMA,
    )


def judge_one(
    judge: Judge, conversation_id: str, events: Sequence[Mapping[str, object]]
) -> Judgement | None:
    """Judge one conversation given as event dicts (``EVENT_COLUMNS`` minus the id);
    None when the judge skipped it (an LLM judge that could not reach its endpoint)."""
    conversations = pa.table({"conversation_id": [conversation_id]})
    verdicts = judge.judge_table(conversations, events_table(conversation_id, events))
    if len(verdicts.verdict) == 0:
        return None
    return Judgement(
        conversation_id=conversation_id,
        verdict=verdicts.verdict[0].as_py(),
        score=float(verdicts.score[0].as_py()),
        reasons=tuple(verdicts.reasons[0].as_py()),
        evidence=tuple(verdicts.evidence[0].as_py()),
    )


def events_table(conversation_id: str, events: Sequence[Mapping[str, object]]) -> pa.Table:
    """A judge's event table for one conversation's event dicts."""
    return pa.table(
        {
            "conversation_id": pa.array([conversation_id] * len(events), pa.string()),
            "seq": pa.array([int(e["seq"]) for e in events], pa.int32()),  # type: ignore[call-overload]
            "actor": pa.array([e.get("actor") for e in events], pa.string()),
            "event_type": pa.array([e.get("event_type", "message") for e in events], pa.string()),
            "text": pa.array([e.get("text") for e in events], pa.string()),
            "payload": pa.array([e.get("payload") for e in events], pa.string()),
        }
    )


@dataclass(frozen=True)
class Grouped:
    """Events sorted by (conversation, seq) and aligned to the conversations table.

    ``group[i]`` is the conversation index (row of the conversations table) of event
    ``i``; ``starts``/``counts`` give each conversation's slice of the sorted events
    (``counts == 0``: no events).
    """

    events: pa.Table
    group: np.ndarray
    starts: np.ndarray
    counts: np.ndarray

    @property
    def n_conversations(self) -> int:
        return len(self.counts)


def group_events(conversations: pa.Table, events: pa.Table) -> Grouped:
    """Align ``events`` to ``conversations``; events of unlisted conversations are an
    error (the caller passed the wrong slice), duplicates of a conversation id too."""
    missing = [c for c in EVENT_COLUMNS if c not in events.column_names]
    if missing:
        raise ValueError(f"events table lacks columns {missing}")
    ids = conversations["conversation_id"].cast(pa.string())
    if pc.count_distinct(ids).as_py() != len(ids):
        raise ValueError("conversations table lists a conversation_id more than once")
    events = events.select(list(EVENT_COLUMNS)).cast(_EVENT_TYPES)
    position = pc.index_in(events["conversation_id"].cast(pa.string()), value_set=ids)
    if position.null_count:
        raise ValueError(
            f"{position.null_count} events belong to conversations not in the conversations table"
        )
    group = position.to_numpy(zero_copy_only=False).astype(np.int64)
    seq = events["seq"].to_numpy(zero_copy_only=False).astype(np.int64)
    order = np.lexsort((seq, group))
    if not np.all(order[1:] > order[:-1]):  # skip the copy when already in order
        events = events.take(pa.array(order))
        group = group[order]
    counts = np.bincount(group, minlength=len(ids))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    return Grouped(events=events, group=group, starts=starts, counts=counts)


def list_array(matrix: np.ndarray, values: np.ndarray, value_type: pa.DataType) -> pa.Array:
    """A list array with, per row of boolean ``matrix`` (rows x columns), the entries of
    ``values`` (same shape, or one row broadcast) where the matrix is true."""
    values = np.broadcast_to(values, matrix.shape)
    offsets = np.concatenate(([0], np.cumsum(matrix.sum(axis=1)))).astype(np.int32)
    flat = values[matrix]
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(flat, value_type))
