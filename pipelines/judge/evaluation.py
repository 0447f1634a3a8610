"""Judges against real outcomes: public dialogues through the real ingest and scrub path.

:func:`ingest_and_scrub` writes the dialogues as canonical JSONL into a data home's
landing zone and runs the pipeline's own functions on it (``ingest_days``: adapter,
contract, quarantine, raw store; ``scrub_events`` / ``pseudonymize_conversations``:
the PII scrubber), so a judge sees exactly the scrubbed text the warehouse would
hold. ``bench/bench_judge.py`` can instead run the whole ``closedloop run`` and read
the warehouse (:func:`read_warehouse`), which also yields the dbt ladder's flags.

The behaviour-only baseline is the ladder's ``durable_resolved`` (each dialogue is
its own customer, so nobody recontacts and durable = assumed resolved). Only
bot-involved conversations are scored: that is the ladder's denominator, and the
only population the ``verified`` rung applies to.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.config import Settings, paths
from pipelines.judge.agreement import Agreement, binary_agreement
from pipelines.judge.base import Judge, judge_partition
from pipelines.judge.datasets import Dialogue, days_of, write_jsonl
from pipelines.pii import pseudonymize_conversations, scrub_events
from pipelines.synth.ladder import ladder

# A fixed, throwaway pseudonymization key: evaluation homes are temporary and the
# pseudonyms are never compared with a real warehouse's.
EVALUATION_KEY = b"closedloop-judge-evaluation-key!"


@dataclass(frozen=True)
class Scrubbed:
    """Scrubbed conversations and events (warehouse columns) plus the ladder baseline."""

    conversations: pa.Table
    events: pa.Table
    durable_resolved: dict[str, bool]  # bot-involved conversations only


def ingest_and_scrub(dialogues: Sequence[Dialogue], home: Path) -> Scrubbed:
    """Land ``dialogues`` in ``home`` (a fresh directory), ingest and scrub them. A
    dialogue listed under two datasets (STAR and its user-reported variant) is landed once."""
    data = paths(home).ensure()
    unique = {d.conversation_id: d for d in dialogues}
    by_day: dict[str, list[Dialogue]] = {}
    for dialogue in unique.values():
        by_day.setdefault(str(dialogue.record["started_at"])[:10], []).append(dialogue)
    for day, members in by_day.items():
        write_jsonl(members, data.landing / f"dt={day}" / "dialogues.jsonl")
    from pipelines.sources import ingest_days

    days = list(days_of(dialogues))
    ingest_days(data, days, Settings(landing_lookback_days=0))
    conversations, events = [], []
    for day in days:
        raw = data.raw_day(day)
        conversations.append(
            pseudonymize_conversations(pq.read_table(raw / "conversations.parquet"), EVALUATION_KEY)
        )
        day_events = pq.read_table(raw / "events.parquet")
        events.append(scrub_events(day_events, EVALUATION_KEY, workers=1).events)
    conversation_table = pa.concat_tables(conversations)
    event_table = pa.concat_tables(events)
    return Scrubbed(conversation_table, event_table, _python_ladder(event_table))


def _python_ladder(events: pa.Table) -> dict[str, bool]:
    """``durable_resolved`` of bot-involved conversations by the Python reimplementation
    of the dbt ladder (``pipelines.synth.ladder``; no recontacts here)."""
    rows = events.select(["conversation_id", "seq", "actor", "event_type", "payload"])
    by_conversation: dict[str, list[dict]] = {}
    for row in sorted(rows.to_pylist(), key=lambda r: (r["conversation_id"], r["seq"])):
        by_conversation.setdefault(row["conversation_id"], []).append(row)
    outcomes = {cid: ladder(evs, None) for cid, evs in by_conversation.items()}
    return {cid: o.assumed_resolved for cid, o in outcomes.items() if o.bot_involved}


def read_warehouse(database: Path) -> Scrubbed:
    """Scrubbed tables and ``fct_conversations.durable_resolved`` from a built warehouse."""
    with duckdb.connect(str(database), read_only=True) as con:
        conversations = con.sql("select * from scrubbed.conversations").to_arrow_table()
        events = con.sql("select * from scrubbed.events").to_arrow_table()
        durable = con.execute(
            "select conversation_id, coalesce(durable_resolved, false) "
            "from main.fct_conversations where bot_involved"
        ).fetchall()
    return Scrubbed(conversations, events, {cid: bool(flag) for cid, flag in durable})


@dataclass(frozen=True)
class EvaluationRow:
    """One judge (or the baseline) on one dataset and split."""

    dataset: str
    split: str
    rater: str
    agreement: Agreement
    n_unsure: int

    def as_row(self) -> dict[str, object]:
        return {
            "dataset": self.dataset,
            "split": self.split,
            "rater": self.rater,
            "n_unsure": self.n_unsure,
            **self.agreement.as_row(),
        }


def evaluate(
    judges: Sequence[Judge],
    dialogues: Sequence[Dialogue],
    scrubbed: Scrubbed,
    *,
    n_boot: int = 2000,
) -> list[EvaluationRow]:
    """Each judge and the behaviour-only baseline against the outcomes, per dataset and
    split (and both splits together), on the bot-involved conversations."""
    loaded = set(scrubbed.conversations["conversation_id"].to_pylist())
    lost = [d.conversation_id for d in dialogues if d.conversation_id not in loaded]
    if lost:
        raise ValueError(f"{len(lost)} dialogues did not come through ingest, e.g. {lost[:3]}")
    verdicts = {}
    for judge in judges:
        rows = judge_partition(judge, scrubbed.conversations, scrubbed.events)
        verdicts[judge.name] = dict(
            zip(rows["conversation_id"].to_pylist(), rows["verdict"].to_pylist(), strict=True)
        )
    scored = [d for d in dialogues if d.conversation_id in scrubbed.durable_resolved]
    results = []
    groups: dict[tuple[str, str], list[Dialogue]] = {}
    for dialogue in scored:
        groups.setdefault((dialogue.dataset, dialogue.split), []).append(dialogue)
        groups.setdefault((dialogue.dataset, "all"), []).append(dialogue)
    for (dataset, split), members in sorted(groups.items()):
        truth = np.array([d.resolved for d in members])
        ids = [d.conversation_id for d in members]
        baseline = np.array([scrubbed.durable_resolved[cid] for cid in ids])
        results.append(
            EvaluationRow(
                dataset,
                split,
                "behaviour_ladder",
                binary_agreement(baseline, truth, n_boot=n_boot),
                0,
            )
        )
        for name, by_id in verdicts.items():
            said = np.array([by_id[cid] for cid in ids])
            results.append(
                EvaluationRow(
                    dataset,
                    split,
                    name,
                    binary_agreement(said == "resolved", truth, n_boot=n_boot),
                    int((said == "unsure").sum()),
                )
            )
    return results


def reason_counts(judgements: pa.Table) -> dict[str, int]:
    """How often each reason code fired across judgement rows."""
    flat = pc.list_flatten(judgements["reasons"])
    counts = pc.value_counts(flat)
    return dict(
        sorted(
            ((c["values"].as_py(), c["counts"].as_py()) for c in counts),
            key=lambda item: -item[1],
        )
    )


def to_json(rows: Sequence[EvaluationRow]) -> str:
    return json.dumps([row.as_row() for row in rows], indent=1, default=float)
