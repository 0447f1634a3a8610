"""Helpers for the dbt project tests: a hand-made scrubbed warehouse and a dbt runner.

The warehouse holds fourteen days (Mon 2025-03-03 .. Sun 2025-03-16) of conversations
built from a few named patterns, so the tests can state expected mart values by hand.
Fourteen, so that DAY2 turns final (12 days must follow it: finality_lag_days).
Day 2025-03-04 holds one conversation of every ladder outcome (see DAY2 below).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
from dbt.cli.main import dbtRunner

from pipelines.dbt_args import dbt_build_args, dbt_window, oldest_provisional_day
from pipelines.warehouse.io import write_dbt_window
from pipelines.warehouse.tables import CONVERSATION_JUDGEMENTS

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
FIRST_DAY = date(2025, 3, 3)
DAYS = 14
DAY2 = date(2025, 3, 4)

WAREHOUSE_DDL = (
    """
create schema if not exists scrubbed;
create table scrubbed.conversations (
    partition_date date, conversation_id varchar, source varchar,
    started_at timestamptz, ended_at timestamptz, channel varchar, locale varchar,
    market varchar, customer_key varchar, bot_version varchar, intent varchar,
    csat_score tinyint, csat_submitted_at timestamptz
);
create table scrubbed.events (
    partition_date date, conversation_id varchar, seq integer, sent_at timestamptz,
    actor varchar, event_type varchar, text varchar, agent_key varchar, payload varchar
);
create table main.ingest_audit (
    partition_date date, source_file varchar, records_read bigint,
    records_loaded bigint, records_quarantined bigint, reason_counts json
);
create table main.pii_detections_daily (
    partition_date date, entity_type varchar, count bigint
);
"""
    + CONVERSATION_JUDGEMENTS.ddl
)


@dataclass
class Conversation:
    """A conversation header plus its events as (actor, event_type, payload) steps."""

    conversation_id: str
    customer_key: str | None
    started_at: datetime
    steps: list[tuple[str, str, dict | None]]
    channel: str = "web"
    intent: str = "billing"
    bot_version: str = "v1"
    locale: str = "en-US"
    market: str = "US"
    csat_score: int | None = None
    extra: dict = field(default_factory=dict)

    def header(self) -> dict:
        return {
            "partition_date": self.started_at.date(),
            "conversation_id": self.conversation_id,
            "source": "test",
            "started_at": self.started_at,
            "ended_at": self.started_at + timedelta(minutes=10),
            "channel": self.channel,
            "locale": self.locale,
            "market": self.market,
            "customer_key": self.customer_key,
            "bot_version": self.bot_version,
            "intent": self.intent,
            "csat_score": self.csat_score,
            "csat_submitted_at": None,
        }

    def events(self) -> list[dict]:
        return [
            {
                "partition_date": self.started_at.date(),
                "conversation_id": self.conversation_id,
                "seq": seq,
                # 10 s between events, so seconds_to_handoff = 10 * seq of the handoff
                "sent_at": self.started_at + timedelta(seconds=10 * seq),
                "actor": actor,
                "event_type": event_type,
                "text": "scrubbed text",
                "agent_key": "agent-1" if actor == "agent" else None,
                "payload": json.dumps(payload) if payload is not None else None,
            }
            for seq, (actor, event_type, payload) in enumerate(self.steps)
        ]


ASK = ("customer", "message", None)
ANSWER = ("bot", "message", None)
AGENT = ("agent", "message", None)
POSITIVE = ("customer", "feedback", {"value": "positive"})
NEGATIVE = ("customer", "feedback", {"value": "negative"})


def handoff(reason: str) -> tuple[str, str, dict]:
    return ("customer", "handoff_requested", {"reason": reason})


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def day2_conversations() -> list[Conversation]:
    """One conversation per ladder outcome on DAY2; expectations in test_marts.py."""
    return [
        # contained, answered, positive feedback: confirmed and durable
        Conversation("d2_confirmed", "k_confirmed", at(DAY2, 9), [ASK, ANSWER, POSITIVE]),
        # contained and answered, no feedback: assumed; the customer comes back on 03-11
        # at 10:00, inside 7 days of 03-04 23:30, so not durable once 03-11 is loaded
        Conversation("d2_recontacted", "k_back", at(DAY2, 23, 30), [ASK, ANSWER], channel="ios"),
        # last feedback negative: contained but not resolved
        Conversation("d2_negative", "k_negative", at(DAY2, 10), [ASK, ANSWER, NEGATIVE]),
        # bot answered, then handed off: the customer returns by email the next day
        Conversation(
            "d2_handoff",
            "k_handoff",
            at(DAY2, 11),
            [ASK, ANSWER, handoff("bot_fallback"), AGENT],
            csat_score=2,
            intent="refund",
        ),
        # the bot greeted, the customer wrote, nothing came back: abandoned
        Conversation("d2_abandoned", "k_abandoned", at(DAY2, 12), [ANSWER, ASK], intent="refund"),
        # only system events: not bot-involved
        Conversation("d2_system", "k_system", at(DAY2, 13), [("system", "closed", None)]),
        # a human only: handed off, not bot-involved, rated 5
        Conversation("d2_human", "k_human", at(DAY2, 14), [ASK, AGENT], csat_score=5),
    ]


def filler_conversations() -> list[Conversation]:
    """Three conversations a day from one-off customers, cycling through patterns."""
    patterns = [
        ([ASK, ANSWER, POSITIVE], None),
        ([ASK, ANSWER], 4),
        ([ASK, ANSWER, handoff("customer_request"), AGENT], 3),
        ([ASK, ANSWER, NEGATIVE], 1),
        ([ANSWER], None),
    ]
    channels, intents, versions = ["web", "ios", "email"], ["billing", "refund"], ["v1", "v2"]
    conversations = []
    for day_index in range(DAYS):
        day = FIRST_DAY + timedelta(days=day_index)
        for slot in range(3):
            index = day_index * 3 + slot
            steps, csat = patterns[index % len(patterns)]
            conversations.append(
                Conversation(
                    f"f{index:03d}",
                    f"k_filler_{index}",
                    at(day, 8 + 3 * slot),
                    steps,
                    channel=channels[index % 3],
                    intent=intents[index % 2],
                    bot_version=versions[(index // 2) % 2],
                    csat_score=csat,
                )
            )
    return conversations


def comeback_conversations() -> list[Conversation]:
    """Later conversations that recontact DAY2 customers."""
    return [
        Conversation(
            "back_handoff",
            "k_handoff",
            at(DAY2 + timedelta(days=1), 9),
            [ASK, ANSWER],
            channel="email",
            intent="refund",
        ),
        # day 2025-03-11, 10:00: inside 7 days of 2025-03-04 23:30 (across channels)
        Conversation(
            "back_late",
            "k_back",
            at(DAY2 + timedelta(days=7), 10),
            [ASK, ANSWER, POSITIVE],
            channel="web",
        ),
    ]


def all_conversations() -> list[Conversation]:
    return day2_conversations() + filler_conversations() + comeback_conversations()


def create_warehouse(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(WAREHOUSE_DDL)


def load_days(path: Path, conversations: list[Conversation], first: date, last: date) -> None:
    """Replace the partitions first..last with the given conversations that start in them."""
    chosen = [c for c in conversations if first <= c.started_at.date() <= last]
    with duckdb.connect(str(path)) as con:
        for table in ("scrubbed.conversations", "scrubbed.events"):
            con.execute(f"delete from {table} where partition_date between ? and ?", [first, last])
        if not chosen:  # a re-delivered empty partition
            return
        con.register("headers", pd.DataFrame([c.header() for c in chosen]))
        con.register("new_events", pd.DataFrame([e for c in chosen for e in c.events()]))
        con.execute("insert into scrubbed.conversations by name select * from headers")
        con.execute("insert into scrubbed.events by name select * from new_events")


def load_judgements(path: Path, verdicts: list[tuple[str, str, str]]) -> None:
    """Write (conversation_id, judge, verdict) rows as the judge asset would, on the
    conversation's own day."""
    days = {c.conversation_id: c.started_at.date() for c in all_conversations()}
    rows = pd.DataFrame(
        [
            {
                "partition_date": days[cid],
                "conversation_id": cid,
                "judge": judge,
                "judge_version": f"{judge}-test",
                "verdict": verdict,
                "score": 0.5,
                "reasons": [],
                "evidence": [],
            }
            for cid, judge, verdict in verdicts
        ]
    )
    with duckdb.connect(str(path)) as con:
        con.register("new_judgements", rows)
        con.execute(
            f"insert into {CONVERSATION_JUDGEMENTS.name} by name select * from new_judgements"
        )


@dataclass
class DbtProject:
    """Runs dbt on the project against one warehouse file, writing only under tmp."""

    warehouse: Path
    tmp: Path

    def run(self, *args: str) -> None:
        os.environ["CLOSEDLOOP_WAREHOUSE"] = str(self.warehouse)
        result = dbtRunner().invoke(
            [
                *args,
                "--project-dir",
                str(DBT_PROJECT),
                "--profiles-dir",
                str(DBT_PROJECT),
                "--target-path",
                str(self.tmp / "target"),
                "--log-path",
                str(self.tmp / "logs"),
                "--quiet",
            ]
        )
        if not result.success:
            raise AssertionError(
                f"dbt {' '.join(args)} failed: {result.exception or result.result}"
            )

    def query(self, sql: str) -> pd.DataFrame:
        with duckdb.connect(str(self.warehouse)) as con:
            return con.execute(sql).df()


def build_nightly(
    project: DbtProject,
    days: list[date],
    recontact_days: int = 7,
    landing_lookback_days: int = 3,
) -> None:
    """Build fct_conversations and everything under it for a run over ``days`` as the
    dbt asset does on DuckDB: the window (reaching the oldest provisional day) through
    main.dbt_run_window, the vars of dbt_build_args."""
    with duckdb.connect(str(project.warehouse)) as con:
        provisional_since = oldest_provisional_day(con)
        write_dbt_window(con, *dbt_window(days, recontact_days, provisional_since))
    build, *variables = dbt_build_args(
        days, recontact_days, 30, landing_lookback_days, provisional_since, window_in_warehouse=True
    )
    assert build == "build"
    # `dbt run` takes the vars; the resource-type exclusion is build's only
    project.run("run", "--select", "+fct_conversations", *variables[:2])


# The incremental models a night rebuilds by change (int_customer_recontacts) or by
# changed row (fct_conversations), compared whole with a full refresh.
BY_CHANGE_TABLES = ("intermediate.int_customer_recontacts", "main.fct_conversations")


def assert_equal_to_full_refresh(project: DbtProject, copy: DbtProject) -> None:
    """Rebuild a copy of the warehouse from scratch and compare every row of the
    BY_CHANGE_TABLES."""
    with duckdb.connect(str(project.warehouse)) as con:
        con.execute("checkpoint")  # the copy must not miss what is still in the WAL
    shutil.copyfile(project.warehouse, copy.warehouse)
    copy.run("run", "--select", "+fct_conversations", "--full-refresh")
    for table in BY_CHANGE_TABLES:
        query = f"select * from {table} order by conversation_id"
        pd.testing.assert_frame_equal(project.query(query), copy.query(query), obj=table)
