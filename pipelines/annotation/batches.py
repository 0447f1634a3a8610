"""One annotation batch per day, drawn the same way by the pipeline and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.annotation.store import pinned_sample
from pipelines.stats.sampling import REQUIRED_COLUMNS, SamplingPlan, stratified_sample
from pipelines.warehouse.io import column_names, sql_identifier
from pipelines.warehouse.tables import FCT_CONVERSATIONS

# Who labels a batch unless told otherwise (handles, never contact details: the
# assignments are stored in annotation.sample).
DEFAULT_LABELERS = ("labeler_1", "labeler_2", "labeler_3", "labeler_4")
# The per-day plan unless a run config or the CLI says otherwise.
DEFAULT_PLAN = SamplingPlan(sample_size=200)


def batch_id_for(day: date) -> str:
    return f"sample-{day.isoformat()}"


def draw_day(
    conversations: pd.DataFrame,
    labels: pd.DataFrame,
    gold_metadata: pd.DataFrame,
    day: date,
    plan: SamplingPlan,
    labelers: list[str],
) -> tuple[pd.DataFrame, list[str]]:
    """The batch for ``day``: sampled rows plus gold rows (filled with their metadata),
    with ``batch_date``; and the sampler's notes. The population is the day's
    bot-involved conversations (all of them if the frame has no ``bot_involved``).

    Conversations labeled in *other* batches are excluded; this day's own labels
    are not, so re-drawing the day after its labels arrive gives the same sample
    (idempotent partitions). The seed is offset by the day so days differ.
    """
    batch_id = batch_id_for(day)
    if "bot_involved" in conversations.columns:
        # The headline rate's denominator: a conversation the bot never touched
        # cannot be a bot resolution, so labeling it would only dilute the estimate.
        conversations = conversations.loc[conversations["bot_involved"].fillna(False).astype(bool)]
    result = stratified_sample(
        conversations,
        replace(plan, seed=plan.seed + day.toordinal()),
        exclude_ids=set(labels.loc[labels["batch_id"] != batch_id, "item_id"]),
        gold_ids=sorted(set(labels.loc[labels["is_adjudication"].astype(bool), "item_id"])),
        labelers=labelers,
        batch_id=batch_id,
    )
    items = result.items.set_index("conversation_id")
    if len(gold_metadata):
        items.update(gold_metadata.set_index("conversation_id"), overwrite=False)
    return items.reset_index().assign(batch_date=day), result.notes


def gold_metadata(con: duckdb.DuckDBPyConnection, labels: pd.DataFrame) -> pd.DataFrame:
    """The fct_conversations columns a gold item needs (it may be from another day):
    gold items are the adjudicated conversations of ``labels``."""
    gold_ids = sorted(set(labels.loc[labels["is_adjudication"].astype(bool), "item_id"]))
    return con.execute(
        "select conversation_id, conversation_date, intent, channel, bot_version "
        f"from {FCT_CONVERSATIONS} where conversation_id in (select unnest(?))",
        [gold_ids],
    ).df()


# The fct_conversations columns a draw reads (stratified_sample's required and stratum
# columns, the bot_version it carries, the bot_involved population filter): a day of a
# million conversations is ~100 MB of them, against ~1 GB for every column.
SAMPLE_COLUMNS = tuple(dict.fromkeys((*REQUIRED_COLUMNS, "bot_version", "bot_involved")))


def day_conversations(con: duckdb.DuckDBPyConnection, first: date, last: date) -> pd.DataFrame:
    """fct_conversations rows of ``first``..``last``, the columns a draw reads
    (:data:`SAMPLE_COLUMNS`, those the table has): the population samples are drawn from."""
    present = set(column_names(con, FCT_CONVERSATIONS))
    columns = ", ".join(sql_identifier(c) for c in SAMPLE_COLUMNS if c in present) or "*"
    return con.execute(
        f"select {columns} from {FCT_CONVERSATIONS} where conversation_date between ? and ?",
        [first, last],
    ).df()


@dataclass(frozen=True)
class DaySample:
    """A day's batch and where it came from: ``pinned`` (drawn earlier by the CLI and
    kept in the store), ``drawn`` now, or ``empty`` (no conversations that day)."""

    origin: str
    items: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)


def sample_day(
    day: date,
    conversations: pd.DataFrame,
    labels: pd.DataFrame,
    gold: pd.DataFrame,
    store: Path,
    plan: SamplingPlan,
    labelers: list[str],
) -> DaySample:
    """The day's annotation batch, the same for the pipeline and the CLI: the sample
    pinned in the store if there is one (so tasks already exported stay valid), else
    drawn from the day's ``conversations`` (:func:`draw_day`)."""
    pinned = pinned_sample(store, day)
    if pinned is not None:
        return DaySample("pinned", pinned)
    of_day = conversations.loc[pd.to_datetime(conversations["conversation_date"]).dt.date == day]
    if of_day.empty:
        return DaySample("empty")
    items, notes = draw_day(of_day, labels, gold, day, plan, labelers)
    return DaySample("drawn", items, notes)
