"""KB topics night by night: what ``kb_topics`` (and ``mart_kb_gaps``) cost as the
28-day window fills, on a warehouse of ``--days`` x ``--per-day`` conversations.

Builds a DuckDB warehouse with only what the KB steps read: ``scrubbed.events`` (per
conversation the customer's opening, a bot answer, a second customer message and a
bot answer: 4 events, where a real day has about 8) and ``main.fct_conversations``
(date, bot involved, durable resolved from the generator's truth, intent, locale), and
the demo KB's articles. The openings are the generator's (``--base-days`` x
``--base-per-day``, the two planted topics included), each day's scaled to
``--per-day`` by copies with new ids, some with a filler word (bench_kb_gaps'
``scaled``), so that about ``--distinct-share`` of a day's openings are distinct texts.

Then runs the nights: ``refresh_topics`` on night n's day (with the code on
PYTHONPATH: the "before" tree's ``refresh_topics(con, as_of)`` refits the window every
night), then ``rewrite_gaps``, each timed in CPU seconds of this process (DuckDB's
threads included) and wall seconds, with the load average. ``--nights 1,14,28`` runs
only those nights (each still sees the window of the days before it); the default runs
every night, which the stored model needs (its age decides the refits). With
``--publish`` each night is followed by the incremental publish of the analysts'
snapshot (``publish_snapshot``), timed the same way. Last, the
planted topics against the issue's target on the final night's 28-day gap rows.

Run: ``.venv/bin/python bench/bench_kb_nightly.py --days 28 --per-day 100000``
(``--keep DIR`` keeps the built warehouse; ``--warehouse FILE`` starts from a copy of one).
"""

from __future__ import annotations

import argparse
import inspect
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from bench_kb_gaps import openings, planted_target, scaled  # noqa: E402

from pipelines.knowledge.demo import DEMO_KB  # noqa: E402
from pipelines.knowledge.gap_load import refresh_topics, rewrite_gaps  # noqa: E402
from pipelines.knowledge.load import refresh_articles  # noqa: E402
from pipelines.knowledge.topics import TopicParams  # noqa: E402
from pipelines.synth import generate, read_truth  # noqa: E402
from pipelines.synth.planted import PLANTED_TOPICS  # noqa: E402
from pipelines.warehouse import publish_snapshot  # noqa: E402
from pipelines.warehouse.io import ensure_table  # noqa: E402
from pipelines.warehouse.tables import SCRUBBED_EVENTS  # noqa: E402

START = date(2026, 3, 1)
BOT_ANSWER = "I can help with that. Could you tell me a bit more?"
FOLLOW_UP = "yes please, it still does not work"


def base_openings(days: int, per_day: int, seed: int) -> pd.DataFrame:
    with tempfile.TemporaryDirectory(prefix="bench-kb-nightly-") as folder:
        root = Path(folder)
        end = START + timedelta(days=days - 1)
        generate(
            START, end, per_day, seed, root / "landing", root / "truth", planted=PLANTED_TOPICS
        )
        frame = openings(root / "landing")
        truth = pd.DataFrame(
            [(t["conversation_id"], t["truly_resolved"]) for t in read_truth(root / "truth")],
            columns=["conversation_id", "resolved"],
        )
    return frame.merge(truth, on="conversation_id")


def build(path: Path, base: pd.DataFrame, days: int, per_day: int, share: float, seed: int) -> None:
    """The warehouse: night n's day is the base's day (n mod base days), scaled."""
    con = duckdb.connect(str(path))
    ensure_table(con, SCRUBBED_EVENTS)
    base_days = sorted(base["conversation_date"].unique())
    fct_parts = []
    for night in range(days):
        day = START + timedelta(days=night)
        source = base[base["conversation_date"] == base_days[night % len(base_days)]]
        frame = scaled(source, per_day, share, seed + night).reset_index(drop=True)
        frame["conversation_id"] = [f"n{night:02d}-{i:07d}" for i in range(len(frame))]
        at = pd.Timestamp(datetime.combine(day, datetime.min.time(), UTC))
        n = len(frame)
        events = pa.table(
            {
                "partition_date": pa.array([day] * (4 * n), pa.date32()),
                "conversation_id": np.repeat(frame["conversation_id"].to_numpy(), 4),
                "seq": np.tile(np.arange(4, dtype=np.int32), n),
                "sent_at": pa.array([at] * (4 * n), pa.timestamp("us", tz="UTC")),
                "actor": np.tile(np.array(["customer", "bot", "customer", "bot"]), n),
                "event_type": ["message"] * (4 * n),
                "text": np.column_stack(
                    [frame["text"].to_numpy(dtype=object)]
                    + [np.full(n, t, dtype=object) for t in (BOT_ANSWER, FOLLOW_UP, BOT_ANSWER)]
                ).ravel(),
                "agent_key": pa.nulls(4 * n, pa.string()),
                "payload": pa.nulls(4 * n, pa.string()),
            }
        )
        con.register("incoming", events)
        con.execute(f"insert into {SCRUBBED_EVENTS.name} by name select * from incoming")
        con.unregister("incoming")
        fct_parts.append(
            pd.DataFrame(
                {
                    "conversation_id": frame["conversation_id"],
                    "conversation_date": day,
                    "durable_resolved": frame["resolved"].astype(bool),
                    "bot_involved": True,
                    "intent": frame["intent"],
                    "locale": frame["locale"],
                    "handed_off": ~frame["resolved"].astype(bool),
                    "human_answered": False,
                    "recontacted": False,
                    "last_feedback": None,
                }
            )
        )
    fct = pd.concat(fct_parts, ignore_index=True)  # noqa: F841 (read by DuckDB by name)
    con.execute("create table main.fct_conversations as select * from fct")
    refresh_articles(con, DEMO_KB, datetime.combine(START, datetime.min.time(), UTC))
    con.close()


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--per-day", type=int, default=100_000)
    parser.add_argument("--base-days", type=int, default=28)
    parser.add_argument("--base-per-day", type=int, default=5000)
    parser.add_argument("--distinct-share", type=float, default=0.19)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--fit-sample", type=int, default=0, help="TopicParams.fit_sample (default: its default)"
    )
    parser.add_argument("--refit-days", type=int, default=7)
    parser.add_argument("--nights", default="", help="comma-separated nights to run (1-based)")
    parser.add_argument(
        "--publish",
        action="store_true",
        help="after each night, publish the analysts' snapshot (incremental) and time it",
    )
    parser.add_argument("--warehouse", type=Path, help="start from a copy of this warehouse")
    parser.add_argument("--keep", type=Path, help="keep the built warehouse at this path")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-kb-nightly-"))
    try:
        path = folder / "warehouse.duckdb"
        if args.warehouse:
            shutil.copyfile(args.warehouse, path)
        else:
            base, wall, cpu = timed(base_openings, args.base_days, args.base_per_day, args.seed)
            print(f"generated {len(base):,} base openings in {wall:.0f} s", flush=True)
            _, wall, _ = timed(
                build, path, base, args.days, args.per_day, args.distinct_share, args.seed
            )
            print(f"built {args.days} days x {args.per_day:,} in {wall:.0f} s", flush=True)
            if args.keep:
                shutil.copyfile(path, args.keep)
        nights = [int(n) for n in args.nights.split(",")] if args.nights else []
        nights = nights or list(range(1, args.days + 1))
        new_api = "days" in inspect.signature(refresh_topics).parameters
        print(f"code: {'stored model' if new_api else 'refit every night'}; cores {os.cpu_count()}")
        print(
            "night  window  topics: CPU-s  wall-s  refit  fitted  assigned  loose | "
            "gaps: CPU-s  wall-s | load"
        )
        con = duckdb.connect(str(path), config={"threads": 2, "memory_limit": "1536MiB"})
        first_cpu = None
        for night in nights:
            day = START + timedelta(days=night - 1)
            if new_api:
                params = TopicParams(fit_sample=args.fit_sample) if args.fit_sample else None
                refreshed, wall, cpu = timed(
                    refresh_topics, con, [day], params, refit_days=args.refit_days
                )
            else:
                refreshed, wall, cpu = timed(refresh_topics, con, day)
            _, gap_wall, gap_cpu = timed(rewrite_gaps, con, day)
            first_cpu = first_cpu or cpu
            published = ""
            if args.publish:
                con.close()
                snapshot, publish_wall, publish_cpu = timed(
                    publish_snapshot, path, folder / "analytics.duckdb"
                )
                con = duckdb.connect(str(path), config={"threads": 2, "memory_limit": "1536MiB"})
                published = (
                    f" | publish {snapshot.mode}: {publish_cpu:.2f} CPU-s {publish_wall:.2f} s, "
                    f"{snapshot.tables_copied} tables, {snapshot.groups_copied} day groups"
                )
            refit = getattr(refreshed, "refit", "every night") or "-"
            print(
                f"{night:5d}  {min(night, 28):6d}  {cpu:13.2f}  {wall:6.2f}  "
                f"{refit[:24]:24s}  {getattr(refreshed, 'texts_fitted', 0):7,d}  "
                f"{refreshed.conversations:9,d}  {getattr(refreshed, 'loose_share', 0):5.1%} | {gap_cpu:11.2f}  {gap_wall:6.2f} | "
                f"{os.getloadavg()[0]:.2f}  (topics x{cpu / first_cpu:.2f} of the first night)"
                f"{published}",
                flush=True,
            )
        intents = (
            con.execute("select conversation_id, intent from main.fct_conversations")
            .df()
            .set_index("conversation_id")["intent"]
        )
        rows = con.execute(
            "select * from main.mart_kb_gaps where as_of_date = ? and window_days = 28 "
            "and is_gap order by rank",
            [START + timedelta(days=nights[-1] - 1)],
        ).df()
        for planted in PLANTED_TOPICS:
            print(planted_target(rows, intents, planted.name))
        con.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
