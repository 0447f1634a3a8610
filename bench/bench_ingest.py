"""Flat-CSV ingest throughput: parse + normalize + contract on a generated 1M-event file.

Run: ``.venv/bin/python bench/bench_ingest.py [--events N]``. Target: >= 500k events/s.
The file is generated in a temporary directory (never in the repo) with numpy +
Arrow's CSV writer, so generation is not part of the timing; a warm-up call on a
tiny file excludes one-time library initialisation. Wall time depends on free
cores (DuckDB uses all of them), so CPU seconds are printed too.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from pipelines.sources.column_map import ColumnMap
from pipelines.sources.files import judge_file

TARGET_EVENTS_PER_SECOND = 500_000
EVENTS_PER_CONVERSATION = 10


def generate(path: Path, n_events: int, seed: int = 7) -> None:
    """Write a realistic flat export: repeated header columns, mixed actor spellings."""
    rng = np.random.default_rng(seed)
    conversation = np.arange(n_events) // EVENTS_PER_CONVERSATION
    position = np.arange(n_events) % EVENTS_PER_CONVERSATION
    start = 1_740_787_200 + conversation * 37  # 2025-03-01 onwards, epoch seconds
    sent = (start + position * 7).astype("datetime64[s]")
    actors = np.array(["user", "chatbot", "Customer", "BOT", "agent"])
    texts = np.array(
        [
            "hi, I need help with my order",
            "Sure! Could you share the order number?",
            'it says "delivered" but nothing arrived, ugh',
            "I'm sorry to hear that. Let me check, one moment...",
            "ok thanks",
        ]
    )
    table = pa.table(
        {
            "conversation_id": pa.array(np.char.add("conv-", conversation.astype(str))),
            "sent_at": pa.array(np.datetime_as_string(sent, unit="s")).cast(pa.string()),
            "actor": pa.array(actors[rng.integers(0, 4, n_events) % 2 + 2 * (position % 2 == 0)]),
            "event_type": pa.array(np.where(position == 9, "closed", "message")),
            "text": pa.array(texts[rng.integers(0, len(texts), n_events)]),
            "channel": pa.array(np.where(conversation % 3 == 0, "web", "ios")),
            "locale": pa.array(np.full(n_events, "en-US")),
            "market": pa.array(np.full(n_events, "US")),
            "customer_id": pa.array(np.char.add("cust-", (conversation % 50_000).astype(str))),
            "bot_version": pa.array(np.full(n_events, "2025.03.1")),
            "intent": pa.array(np.where(conversation % 2 == 0, "order_status", "refund")),
            "csat_score": pa.array(np.where(position == 9, (conversation % 5 + 1).astype(str), "")),
            "agent_id": pa.array(np.where(position % 5 == 4, "agent-7", "")),
        }
    )
    pacsv.write_csv(table, path)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.csv"
        generate(path, args.events)
        # Warm-up on a tiny file: pandera registers its backends and DuckDB loads
        # its extensions on first use; that one-time cost is not throughput.
        warm_up = Path(tmp) / "warm_up.csv"
        generate(warm_up, EVENTS_PER_CONVERSATION)
        judge_file(warm_up, warm_up.name, ColumnMap())
        size_mb = path.stat().st_size / 1e6
        column_map = ColumnMap()
        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        judged = judge_file(path, path.name, column_map)
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
    loaded = int(judged.conversations["n_records"].sum())
    assert loaded + len(judged.quarantine) == judged.records_read == args.events, "records lost"
    rate = args.events / elapsed
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"file: {args.events:,} events, {size_mb:.0f} MB CSV")
    print(f"loaded {loaded:,} events, quarantined {len(judged.quarantine):,}")
    print(f"elapsed: {elapsed:.2f} s wall, {cpu:.2f} s CPU (all threads)")
    print(
        f"throughput: {rate:,.0f} events/s ({rate / TARGET_EVENTS_PER_SECOND:.2f}x the 500k/s target)"
    )
    print(f"peak RSS: {peak_rss_mb:,.0f} MB")


if __name__ == "__main__":
    main()
