"""Scrub the canonical event table on all cores, one conversation per scrubber.

Work is cut into chunks of whole conversations (so placeholder numbering is shared by
all events of a conversation) and fanned out to a process pool, whose workers also
pseudonymize and build the scrubbed chunk's table; at most three chunks per worker are
in flight, so memory stays bounded however large the day is.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.pii.detector import Detector, default_detector
from pipelines.pii.identifiers import safe_conversation_id
from pipelines.pii.pseudonym import pseudonymize
from pipelines.pii.scrub import ConversationScrubber

CHUNK_EVENTS = 5_000
Item = TypeVar("Item")
T = TypeVar("T")


@dataclass(frozen=True)
class ScrubbedBatch:
    """The scrubbed event table and the number of detections per entity type."""

    events: pa.Table
    detections: dict[str, int]


def _scrub_payload(
    payload: str | None, scrubber: ConversationScrubber, counts: Counter
) -> str | None:
    """Scrub every string inside a JSON payload, keys included: a key is usually schema,
    but exports put data there too (an email as a key of a map of recipients), and an
    unscrubbed key would make the leak gate roll back the whole window."""
    if payload is None:
        return None
    try:
        parsed = json.loads(payload)
    except json.JSONDecodeError:
        # Not JSON after all: treat the whole payload as free text rather than pass it.
        result = scrubber.scrub(payload)
        assert result is not None
        counts.update(span.type for span in result.spans)
        return result.text

    def walk(value: object) -> object:
        if isinstance(value, str):
            result = scrubber.scrub(value)
            assert result is not None
            counts.update(span.type for span in result.spans)
            return result.text
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {walk(key): walk(item) for key, item in value.items()}
        return value

    return json.dumps(walk(parsed), ensure_ascii=False, separators=(",", ":"))


def scrub_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool for :func:`scrub_events` and :func:`scrub_stream`, to reuse across
    calls (each worker imports the detector and builds it once, which costs seconds).

    spawn, not fork: the caller may be a threaded Dagster process, and forking a process
    that holds other threads' locks can deadlock the child.
    """
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def scrub_events(
    events: pa.Table,
    key: bytes,
    workers: int | None = None,
    chunk_events: int = CHUNK_EVENTS,
    patterns: Path | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> ScrubbedBatch:
    """Scrub ``text`` (and payload strings) per conversation and pseudonymize ``agent_id``.

    Each conversation is scrubbed in ``seq`` order with its actors, so a customer's
    answer to a bot's or agent's request for an identifier is scrubbed as that type.

    ``events`` has the canonical EVENT_SCHEMA columns (plus ``partition_date`` if
    present, kept first). Returns the rows in their input order with ``agent_id``
    replaced by ``agent_key``. ``workers`` defaults to all cores; 1 runs in-process.
    ``patterns`` is a YAML file of site-specific patterns (see ``custom``); None uses
    the packaged ``patterns.yaml``. ``pool`` (from :func:`scrub_pool`, of ``workers``
    processes) is used instead of a pool of its own, so a caller scrubbing a day batch by
    batch starts its workers once.
    """
    _check_columns(events)
    workers = workers or os.cpu_count() or 1
    if (workers == 1 and pool is None) or not events.num_rows:
        return _scrub_table(events, key, patterns)
    # Whole conversations together, as scrub_stream takes them; the input order after.
    order = pc.sort_indices(
        events, sort_keys=[("conversation_id", "ascending"), ("seq", "ascending")]
    )
    with ExitStack() as owned:
        if pool is None:
            pool = owned.enter_context(scrub_pool(workers))
        scrubbed = list(
            scrub_stream([events.take(order)], key, pool, workers, patterns, chunk_events)
        )
    detections: Counter[str] = Counter()
    for batch in scrubbed:
        detections.update(batch.detections)
    table = pa.concat_tables([batch.events for batch in scrubbed])
    return ScrubbedBatch(table.take(pc.sort_indices(order)), dict(sorted(detections.items())))


def scrub_stream(
    batches: Iterable[pa.Table],
    key: bytes,
    pool: ProcessPoolExecutor,
    workers: int,
    patterns: Path | None = None,
    chunk_events: int = CHUNK_EVENTS,
) -> Iterator[ScrubbedBatch]:
    """:func:`scrub_events` over ``batches`` of events sorted by (conversation_id, seq),
    no conversation split between two batches (``load._whole_conversations``), in
    ``pool``: each chunk of ~``chunk_events`` rows of whole conversations is scrubbed,
    pseudonymized and made a table by a worker, so this process only cuts chunks and
    collects them. Scrubbed chunks come back in input order; at most three chunks per
    worker are in flight, across batch boundaries, so the workers never wait for a batch
    to drain and memory stays bounded. Chunks travel as Arrow IPC: a pickled slice of a
    table would carry its whole parent's buffers."""
    chunks = (
        _to_ipc(chunk) for batch in batches for chunk in _conversation_slices(batch, chunk_events)
    )
    for data, detections in pool_map(
        pool,
        workers,
        partial(_scrub_ipc, key=key, patterns=patterns),
        chunks,
    ):
        yield ScrubbedBatch(_from_ipc(data), detections)


def pseudonymize_stream(
    batches: Iterable[pa.Table],
    key: bytes,
    pool: ProcessPoolExecutor,
    workers: int,
    chunk_rows: int = CHUNK_EVENTS,
) -> Iterator[pa.Table]:
    """:func:`pseudonymize_conversations` over ``batches`` in ``pool``, ~``chunk_rows``
    rows per task, in input order (as :func:`scrub_stream`)."""
    chunks = (
        _to_ipc(batch.slice(start, chunk_rows))
        for batch in batches
        for start in range(0, batch.num_rows, chunk_rows)
    )
    for data in pool_map(pool, workers, partial(_pseudonymize_ipc, key=key), chunks):
        yield _from_ipc(data)


def pool_map(
    pool: ProcessPoolExecutor, workers: int, task: Callable[[Item], T], items: Iterable[Item]
) -> Iterator[T]:
    """``task`` over ``items`` in ``pool`` (of ``workers`` processes), results in input
    order, at most three tasks per worker in flight: a bounded queue that never drains
    before the items end."""
    pending: deque[Future[T]] = deque()
    for item in items:
        if len(pending) >= 3 * workers:
            yield pending.popleft().result()
        pending.append(pool.submit(task, item))
    while pending:
        yield pending.popleft().result()


def _conversation_slices(events: pa.Table, chunk_events: int) -> Iterator[pa.Table]:
    """Slices of ``events`` (rows of a conversation together) of whole conversations,
    each cut at the first conversation that starts ``chunk_events`` rows or more into it."""
    ids = events.column("conversation_id").to_pylist()
    start = 0
    for row in range(1, len(ids)):
        if row - start >= chunk_events and ids[row] != ids[row - 1]:
            yield events.slice(start, row - start)
            start = row
    if start < len(ids):
        yield events.slice(start)


def _to_ipc(table: pa.Table) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _from_ipc(data: pa.Buffer) -> pa.Table:
    return pa.ipc.open_stream(data).read_all()


def _scrub_ipc(
    data: pa.Buffer, *, key: bytes, patterns: Path | None
) -> tuple[pa.Buffer, dict[str, int]]:
    """A pool worker's task: :func:`_scrub_table` from and to Arrow IPC."""
    scrubbed = _scrub_table(_from_ipc(data), key, patterns)
    return _to_ipc(scrubbed.events), scrubbed.detections


def _pseudonymize_ipc(data: pa.Buffer, key: bytes) -> pa.Buffer:
    """A pool worker's task: :func:`pseudonymize_conversations` from and to Arrow IPC."""
    return _to_ipc(pseudonymize_conversations(_from_ipc(data), key))


def _check_columns(events: pa.Table) -> None:
    required = {"conversation_id", "seq", "actor", "text", "agent_id", "payload"}
    missing = required - set(events.column_names)
    if missing:
        raise ValueError(f"events table lacks columns {sorted(missing)}")


def _scrub_table(events: pa.Table, key: bytes, patterns: Path | None) -> ScrubbedBatch:
    """:func:`scrub_events` in this process."""
    # Each conversation's rows together, in seq order; the input order restored after.
    order = pc.sort_indices(
        events, sort_keys=[("conversation_id", "ascending"), ("seq", "ascending")]
    )
    ordered = events.select(["conversation_id", "actor", "text", "payload"]).take(order)
    texts, payloads, detections = _scrub_sorted(
        ordered.column("conversation_id"),
        ordered.column("actor").to_pylist(),
        ordered.column("text").to_pylist(),
        ordered.column("payload").to_pylist(),
        default_detector(patterns),  # built once per process and path
    )
    restore = pc.sort_indices(order)
    agents = events.column("agent_id").to_pylist()
    agent_key = {agent: pseudonymize(agent, key) for agent in set(agents)}
    table = events
    table = table.set_column(
        table.schema.get_field_index("text"),
        "text",
        pa.array(texts, pa.string()).take(restore),
    )
    table = table.set_column(
        table.schema.get_field_index("payload"),
        "payload",
        pa.array(payloads, pa.string()).take(restore),
    )
    table = table.set_column(
        table.schema.get_field_index("agent_id"),
        "agent_key",
        pa.array([agent_key[agent] for agent in agents], pa.string()),
    )
    table = _safe_conversation_ids(table, key)
    return ScrubbedBatch(table, dict(sorted(detections.items())))


def _scrub_sorted(
    conversation_ids: pa.ChunkedArray,
    actors: list[str | None],
    texts: list[str | None],
    payloads: list[str | None],
    detector: Detector,
) -> tuple[list[str | None], list[str | None], Counter[str]]:
    """Scrubbed texts and payloads of rows sorted by (conversation_id, seq), one
    :class:`ConversationScrubber` per conversation, and the detections per type."""
    rows = len(texts)
    ids = conversation_ids.combine_chunks()
    # Where a new conversation starts (null ids, sorted last, are one conversation).
    after, before = ids.slice(1), ids.slice(0, max(rows - 1, 0))
    changed = pc.or_(
        pc.not_equal(pc.is_null(after), pc.is_null(before)),
        pc.fill_null(pc.not_equal(after, before), False),
    )
    starts = [0, *pc.add(pc.indices_nonzero(changed), 1).to_pylist(), rows]
    out_texts: list[str | None] = [None] * rows
    out_payloads: list[str | None] = [None] * rows
    counts: Counter[str] = Counter()
    for start, end in pairwise(starts):
        scrubber = ConversationScrubber(detector)
        for row in range(start, end):
            result = scrubber.scrub(texts[row], actors[row])
            if result is not None:
                if result.spans:
                    counts.update(span.type for span in result.spans)
                out_texts[row] = result.text
            out_payloads[row] = _scrub_payload(payloads[row], scrubber, counts)
    return out_texts, out_payloads, counts


def pseudonymize_conversations(conversations: pa.Table, key: bytes) -> pa.Table:
    """Replace ``customer_id`` with its keyed pseudonym ``customer_key`` (same position),
    and a ``conversation_id`` that looks personal with its pseudonym (as in the events)."""
    if "customer_id" not in conversations.column_names:
        raise ValueError("conversations table lacks column 'customer_id'")
    keys = [pseudonymize(c, key) for c in conversations.column("customer_id").to_pylist()]
    table = conversations.set_column(
        conversations.schema.get_field_index("customer_id"),
        "customer_key",
        pa.array(keys, pa.string()),
    )
    return _safe_conversation_ids(table, key)


def _safe_conversation_ids(table: pa.Table, key: bytes) -> pa.Table:
    """``conversation_id`` through :func:`safe_conversation_id`, once per distinct id."""
    ids = table.column("conversation_id").to_pylist()
    safe = {cid: safe_conversation_id(cid, key) for cid in set(ids)}
    if all(cid == out for cid, out in safe.items()):
        return table
    return table.set_column(
        table.schema.get_field_index("conversation_id"),
        "conversation_id",
        pa.array([safe[cid] for cid in ids], pa.string()),
    )
