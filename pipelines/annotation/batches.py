"""One annotation batch per day, drawn the same way by the pipeline and the CLI."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from pipelines.stats.sampling import SamplingPlan, stratified_sample


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
