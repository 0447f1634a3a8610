"""The judge use cases the pipeline runs: judge a window of scrubbed conversations,
retrain the learned judge, and rebuild the judge-vs-human marts and the trust gate.

Below Dagster and the CLI: the caller opens the warehouse and passes the loaded
settings. Only the warehouse's scrubbed tables are read, never the raw store, so no
judge (and no LLM endpoint) ever sees unscrubbed text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.config import DEFAULT_MEMORY_BUDGET_MB, Paths, Settings
from pipelines.judge.base import EVENT_COLUMNS, Judge, judge_partition
from pipelines.judge.learned import (
    LearnedJudgeUnavailable,
    ModelCard,
    cross_validated_verdicts,
    current_card,
    should_retrain,
    train,
)
from pipelines.judge.llm import LLMJudge, sample_conversations
from pipelines.judge.marts import TrustDecision, intent_accuracy, judge_agreement, trust_gate
from pipelines.judge.registry import make_judge
from pipelines.judge.signals import SignalsJudge
from pipelines.llm.client import ChatClient, LLMSettings
from pipelines.secrets import read_secret
from pipelines.warehouse.io import (
    PartitionFile,
    ensure_table,
    replace_table,
    replace_tables_from_frames,
    replace_window,
)
from pipelines.warehouse.tables import (
    ANNOTATION_LABELS,
    ANNOTATION_SAMPLE,
    CONVERSATION_JUDGEMENTS,
    FCT_CONVERSATIONS,
    JUDGE_MARTS,
    JUDGE_TRUST,
    LLM_USAGE,
    SCRUBBED_CONVERSATIONS,
    SCRUBBED_EVENTS,
)

LLM_API_KEY = "CLOSEDLOOP_LLM_API_KEY"
logger = logging.getLogger(__name__)


def llm_client(settings: Settings, paths: Paths) -> ChatClient | None:
    """The LLM endpoint of the settings (key from the secret), or None when unset."""
    if not (settings.llm_base_url and settings.llm_model):
        return None
    return ChatClient(
        LLMSettings(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=read_secret(LLM_API_KEY),
            timeout_seconds=settings.llm_timeout_seconds,
            requests_per_minute=settings.llm_requests_per_minute,
            input_usd_per_million_tokens=settings.llm_input_usd_per_million_tokens,
            output_usd_per_million_tokens=settings.llm_output_usd_per_million_tokens,
        ),
        cache_dir=paths.llm_cache,
    )


@dataclass(frozen=True)
class JudgeLineup:
    """The judges a run applies, and why any configured one is missing."""

    judges: list[Judge]
    notes: list[str] = field(default_factory=list)


def judges_for(settings: Settings, paths: Paths, log: logging.Logger = logger) -> JudgeLineup:
    """``signals`` always (the baseline every judge is compared with), the configured
    judge, and the LLM as a sampled second opinion when ``llm_judge_sample_rate`` > 0.
    A configured judge that is unavailable (no trained model yet) is left out with a
    note: its conversations then have no verdict, so none is ``verified``."""
    judges: list[Judge] = [SignalsJudge()]
    notes: list[str] = []
    client = llm_client(settings, paths)
    if settings.judge == "learned":
        try:
            judges.append(make_judge("learned", model_dir=paths.judge_models))
        except LearnedJudgeUnavailable as error:
            notes.append(str(error))
    elif settings.judge == "llm" and client is not None:  # Settings require both values
        judges.append(LLMJudge(client, sample_rate=1.0, log=log))
    if settings.judge != "llm" and settings.llm_judge_sample_rate > 0 and client is not None:
        judges.append(LLMJudge(client, sample_rate=settings.llm_judge_sample_rate, log=log))
    return JudgeLineup(judges, notes)


@dataclass
class JudgedWindow:
    """What a window's judging wrote: rows, verdict counts, wall seconds, LLM cost."""

    rows: int = 0
    verdicts: dict[str, dict[str, int]] = field(default_factory=dict)  # judge -> verdict -> n
    seconds: dict[str, float] = field(default_factory=dict)  # judge -> wall seconds
    conversations: int = 0
    llm_cost_usd: float = 0.0


# Working memory of the signals / learned judge per judged conversation (its events as
# Arrow, the per-event numpy masks and row numbers, the grouped copy, the verdicts):
# measured ~6 KB on the generator's mix (8 events per conversation); rounded up.
JUDGE_CONVERSATION_BYTES = 8_000
MIN_JUDGE_BATCH = 10_000
BASELINE_MB = 512  # the run process before a step reads anything (as ingest and scrub)


def judge_batch_size(memory_budget_mb: int) -> int:
    """Conversations judged at a time: half of the budget above the process's baseline
    (the other half is DuckDB's, as in ingest and scrub)."""
    working = max(memory_budget_mb - BASELINE_MB, 128) * 1024 * 1024 // 2
    return max(working // JUDGE_CONVERSATION_BYTES, MIN_JUDGE_BATCH)


def read_day_conversations(con: duckdb.DuckDBPyConnection, day: date) -> pa.Table:
    """One day's scrubbed conversations (id, day, intent), in conversation_id order."""
    return con.sql(
        f"select conversation_id, partition_date, intent from {SCRUBBED_CONVERSATIONS.name} "
        "where partition_date = ? order by conversation_id",
        params=[day],
    ).to_arrow_table()


def read_events_of(con: duckdb.DuckDBPyConnection, day: date, conversations: pa.Table) -> pa.Table:
    """The events of ``conversations`` (a slice of one day's, in conversation_id
    order): the id range lets DuckDB skip the day's other row groups, the semi-join
    keeps exactly the listed conversations (a sample need not be a contiguous range)."""
    ids = conversations.select(["conversation_id"])
    if not ids.num_rows:
        return con.sql(
            f"select {', '.join(EVENT_COLUMNS)} from {SCRUBBED_EVENTS.name} limit 0"
        ).to_arrow_table()
    con.register("judge_batch_ids", ids)
    try:
        return con.sql(
            f"select {', '.join(EVENT_COLUMNS)} from {SCRUBBED_EVENTS.name} "
            "where partition_date = ? and conversation_id between ? and ? "
            "and conversation_id in (select conversation_id from judge_batch_ids)",
            params=[day, ids["conversation_id"][0].as_py(), ids["conversation_id"][-1].as_py()],
        ).to_arrow_table()
    finally:
        con.unregister("judge_batch_ids")


def _population(judge: Judge, conversations: pa.Table) -> tuple[Judge, pa.Table]:
    """What ``judge`` judges of the day and the judge to run on it in batches. Signals
    and learned judge each conversation on its own, so any batching of the day gives
    the same verdicts. The LLM judge draws a stratified sample of the whole day: it is
    drawn here, and the judge then runs at rate 1 on the sample's batches."""
    if isinstance(judge, LLMJudge) and judge.sample_rate < 1:
        sample = sample_conversations(conversations, judge.sample_rate, judge.seed)
        chosen = conversations.filter(
            pc.is_in(conversations["conversation_id"], sample["conversation_id"])
        )
        return judge.at_full_rate(), chosen
    return judge, conversations


def judge_window(
    con: duckdb.DuckDBPyConnection,
    days: Sequence[date],
    judges: Sequence[Judge],
    *,
    scratch: Path,
    batch_conversations: int = judge_batch_size(DEFAULT_MEMORY_BUDGET_MB),
) -> JudgedWindow:
    """Judge the window a day at a time and replace each day's judgements and LLM
    usage in one transaction (a re-run replaces its partitions; a day without
    conversations is emptied). A day is read ``batch_conversations`` whole
    conversations at a time (sized by ``memory_budget_mb``, :func:`judge_batch_size`)
    and each batch's verdicts are appended to a Parquet file in ``scratch`` that the
    transaction inserts from, so memory holds one batch, however large the day."""
    summary = JudgedWindow()
    for day in days:
        conversations = read_day_conversations(con, day)
        judgements = PartitionFile(CONVERSATION_JUDGEMENTS, scratch / f"judgements-{day}.parquet")
        usage: list[pa.Table] = []
        try:
            for judge in judges if conversations.num_rows else []:
                runner, population = _population(judge, conversations)
                began = time.perf_counter()
                for offset in range(0, population.num_rows, batch_conversations):
                    batch = population.slice(offset, batch_conversations)
                    events = read_events_of(con, day, batch)
                    rows = judge_partition(runner, batch, events)
                    del events
                    judgements.write(rows)
                    _count_verdicts(summary, rows)
                    if isinstance(runner, LLMJudge):
                        usage.append(_usage_rows(runner, day))
                summary.seconds[judge.name] = (
                    summary.seconds.get(judge.name, 0.0) + time.perf_counter() - began
                )
        finally:
            judgements.close()
        usage_rows = pa.concat_tables(usage) if usage else LLM_USAGE.columns.empty_table()
        replace_window(con, [(CONVERSATION_JUDGEMENTS, judgements), (LLM_USAGE, usage_rows)], [day])
        judgements.path.unlink(missing_ok=True)
        summary.rows += judgements.rows
        summary.conversations += conversations.num_rows
        summary.llm_cost_usd += float(pc.sum(usage_rows["cost_usd"]).as_py() or 0.0)
    return summary


def _count_verdicts(summary: JudgedWindow, judgements: pa.Table) -> None:
    for row in (
        judgements.group_by(["judge", "verdict"])
        .aggregate([("conversation_id", "count")])
        .to_pylist()
    ):
        counts = summary.verdicts.setdefault(row["judge"], {})
        counts[row["verdict"]] = counts.get(row["verdict"], 0) + row["conversation_id_count"]


def _usage_rows(judge: LLMJudge, day: date) -> pa.Table:
    rows = [{"partition_date": day, **vars(usage)} for usage in judge.usage]
    return pa.Table.from_pylist(rows, schema=LLM_USAGE.columns)


# ------------------------------------------------------------------ learned judge


@dataclass(frozen=True)
class TrainingOutcome:
    """``card`` of the model in force (None: none yet); ``trained`` when this call
    trained it; ``message`` says what happened, for the run log."""

    card: ModelCard | None
    trained: bool
    message: str


def read_labels(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """annotation.labels (created empty when nothing was imported yet)."""
    ensure_table(con, ANNOTATION_LABELS)
    return con.execute(f"select * from {ANNOTATION_LABELS.name}").df()


def retrain_learned_judge(
    con: duckdb.DuckDBPyConnection, model_dir: Path, settings: Settings
) -> TrainingOutcome:
    """Train the learned judge when no model exists and ``learned_min_labels`` consensus
    labels do, or when ``learned_min_new_labels`` more arrived since the last one."""
    labels = read_labels(con)
    card = current_card(model_dir)
    if not should_retrain(
        model_dir,
        labels,
        min_labels=settings.learned_min_labels,
        min_new_labels=settings.learned_min_new_labels,
    ):
        message = (
            f"learned judge {card.version} in force (trained on {card.n_labels} labels); "
            f"retrains after {settings.learned_min_new_labels} new labels"
            if card is not None
            else f"learned judge not trained: fewer than {settings.learned_min_labels} "
            "conversations have a human consensus on 'resolved'"
        )
        return TrainingOutcome(card, False, message)
    labeled = f"(select distinct item_id from {ANNOTATION_LABELS.name})"
    conversations = con.sql(
        f"select conversation_id, partition_date from {SCRUBBED_CONVERSATIONS.name} "
        f"where conversation_id in {labeled}"
    ).to_arrow_table()
    events = con.sql(
        f"select {', '.join(EVENT_COLUMNS)} from {SCRUBBED_EVENTS.name} "
        f"where conversation_id in {labeled}"
    ).to_arrow_table()
    try:
        trained = train(
            labels, conversations, events, model_dir, min_labels=settings.learned_min_labels
        )
    except LearnedJudgeUnavailable as error:
        return TrainingOutcome(card, False, str(error))
    return TrainingOutcome(
        trained,
        card is None or trained.version != card.version,
        f"learned judge {trained.version}: CV AC1 {trained.cv['gwet_ac1']:.3f} "
        f"(lower bound {trained.cv['gwet_ac1_ci_low']:.3f}) on {trained.n_labels} labels",
    )


# ------------------------------------------------------------------ marts and trust


@dataclass(frozen=True)
class JudgeMarts:
    agreement: pd.DataFrame
    intent_accuracy: pd.DataFrame
    intent_confusions: pd.DataFrame
    trust: pd.DataFrame  # rows of JUDGE_TRUST

    def in_force(self) -> pd.Series | None:
        """The trust row of the judge in force, None when it has no verdicts."""
        rows = self.trust.loc[self.trust["in_force"]]
        return rows.iloc[0] if len(rows) else None


def _judge_in_force_version(con: duckdb.DuckDBPyConnection, judge: str) -> str | None:
    """The version of ``judge`` on its newest judged day (older days may carry a
    version retrained since, until they are re-run): the most frequent there, the
    first in sort order on a tie."""
    row = con.execute(
        f"""
        select judge_version, count(*) as n from {CONVERSATION_JUDGEMENTS.name}
        where judge = ? and judge_version is not null and partition_date = (
            select max(partition_date) from {CONVERSATION_JUDGEMENTS.name} where judge = ?
        )
        group by judge_version order by n desc, judge_version limit 1
        """,
        [judge, judge],
    ).fetchone()
    return str(row[0]) if row else None


def _cross_validated(decision: TrustDecision, card: ModelCard, threshold: float) -> TrustDecision:
    """The learned judge's trust from its cross-validation: its verdicts on the labels
    it was trained on would flatter it."""
    ac1, low = float(card.cv["gwet_ac1"]), float(card.cv["gwet_ac1_ci_low"])
    trusted = low > threshold
    verb = "is trusted" if trusted else "is not trusted"
    return replace(
        decision,
        trusted=trusted,
        n=card.n_labels,
        gwet_ac1=ac1,
        gwet_ac1_ci_low=low,
        message=f"judge learned ({card.version}) {verb}: {card.cv_folds}-fold cross-validated "
        f"AC1 {ac1:.3f} with 95% CI lower bound {low:.3f} vs threshold {threshold} on "
        f"{card.n_labels} labeled conversations",
    )


def held_out_verdicts(labeled: pd.DataFrame, model_dir: Path) -> pd.DataFrame:
    """``labeled`` judgements with each learned judge version's verdict on a conversation
    it was trained on replaced by its out-of-fold verdict from cross-validation (flag
    ``cross_validated``): its verdicts on its own training labels would flatter it.
    Conversations labeled after training keep their verdict: those are held out anyway."""
    labeled = labeled.assign(cross_validated=False)
    learned = labeled["judge"] == "learned"
    for version in labeled.loc[learned, "judge_version"].unique():
        held_out = cross_validated_verdicts(model_dir, str(version))
        mine = learned & (labeled["judge_version"] == version)
        replaced = labeled.loc[mine, "conversation_id"].map(held_out)
        labeled.loc[replaced.index, "verdict"] = replaced.fillna(labeled.loc[mine, "verdict"])
        labeled.loc[replaced.index, "cross_validated"] = replaced.notna()
    return labeled


def build_judge_marts(
    con: duckdb.DuckDBPyConnection, settings: Settings, model_dir: Path, *, n_boot: int = 2000
) -> JudgeMarts:
    """mart_judge_agreement, mart_intent_accuracy (+ confusion pairs) and the trust
    decision of every judge version, recomputed whole from the labeled conversations.
    A learned judge version is judged by its model card's cross-validation."""
    for table in (CONVERSATION_JUDGEMENTS, ANNOTATION_LABELS, ANNOTATION_SAMPLE):
        ensure_table(con, table)
    # Only labeled conversations' verdicts are compared (in table order, as a whole-table
    # read gives them); versions and the one in force are aggregated by DuckDB. Every
    # night adds a day of verdicts: the whole table would not fit in memory for long.
    labeled_judgements = con.execute(
        f"select partition_date, conversation_id, judge, judge_version, verdict "
        f"from {CONVERSATION_JUDGEMENTS.name} "
        f"where conversation_id in (select item_id from {ANNOTATION_LABELS.name}) order by rowid"
    ).df()
    versions = sorted(
        (str(judge), str(version))
        for judge, version in con.execute(
            f"select distinct judge, judge_version from {CONVERSATION_JUDGEMENTS.name}"
        ).fetchall()
    )
    labels = read_labels(con)
    sample = con.execute(f"select * from {ANNOTATION_SAMPLE.name}").df()
    conversations = con.execute(
        f"select conversation_id, conversation_date, intent, locale, bot_version "
        f"from {FCT_CONVERSATIONS} where conversation_id in "
        f"(select distinct item_id from {ANNOTATION_LABELS.name})"
    ).df()
    labeled = held_out_verdicts(labeled_judgements, model_dir)
    agreement = (
        judge_agreement(labeled, labels, conversations, min_n=settings.min_n, n_boot=n_boot)
        if len(labeled)
        else pd.DataFrame()
    )
    accuracy, confusions = (
        intent_accuracy(sample, labels, conversations)
        if len(labels) and len(sample)
        else (pd.DataFrame(), pd.DataFrame())
    )
    in_force = _judge_in_force_version(con, settings.judge)
    if in_force is None:
        versions.append((settings.judge, "(none)"))
    now = datetime.now(UTC)
    trust_rows = []
    for judge, version in versions:
        decision = trust_gate(
            labeled,
            labels,
            conversations,
            judge=judge,
            judge_version=version,
            threshold=settings.judge_trust_threshold,
            n_boot=n_boot,
        )
        card = current_card(model_dir) if judge == "learned" else None
        if card is not None and card.version == version:
            decision = _cross_validated(decision, card, settings.judge_trust_threshold)
        message = decision.message
        if version == "(none)":
            message = f"judge {judge} has no verdicts (see the conversation_judgements run log)"
        trust_rows.append(
            {
                "judge": judge,
                "judge_version": version,
                "in_force": judge == settings.judge and version in (in_force, "(none)"),
                "trusted": decision.trusted,
                "n": decision.n,
                "gwet_ac1": decision.gwet_ac1,
                "gwet_ac1_ci_low": decision.gwet_ac1_ci_low,
                "threshold": decision.threshold,
                "message": message,
                "evaluated_at": now,
            }
        )
    return JudgeMarts(agreement, accuracy, confusions, pd.DataFrame(trust_rows))


def write_judge_marts(con: duckdb.DuckDBPyConnection, marts: JudgeMarts) -> None:
    """Small, fully recomputed tables: replaced, not merged."""
    replace_tables_from_frames(
        con,
        dict(
            zip(
                JUDGE_MARTS,
                (marts.agreement, marts.intent_accuracy, marts.intent_confusions),
                strict=True,
            )
        ),
    )
    replace_table(con, JUDGE_TRUST, marts.trust)
