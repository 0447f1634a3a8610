"""Annotation assets: the daily sample, the imported labels with the agreement gate,
and the Python-built marts for agreement and human-calibrated resolution."""

import dagster as dg
import pandas as pd
from pydantic import Field, field_validator

from pipelines.annotation.batches import (
    DEFAULT_LABELERS,
    DEFAULT_PLAN,
    day_conversations,
    gold_metadata,
    sample_day,
)
from pipelines.annotation.load import (
    batch_gates,
    build_marts,
    write_labels,
    write_marts,
    write_sample,
)
from pipelines.annotation.privacy import warehouse_labels, write_annotator_directory
from pipelines.annotation.store import load_labels, store_dir
from pipelines.defs.partitions import (
    DAILY_WAREHOUSE_WRITER,
    partition_days,
)
from pipelines.defs.resources import WarehouseResource
from pipelines.pii.identifiers import looks_personal
from pipelines.pii.pseudonym import PiiKeyChanged, guarded_key
from pipelines.stats.sampling import SamplingPlan
from schemas.labels import GUIDELINE_VERSION

_PLAN = DEFAULT_PLAN


class AnnotationSampleConfig(dg.Config):
    """Per-day sampling plan; see pipelines.stats.sampling.SamplingPlan."""

    sample_size: int = _PLAN.sample_size
    min_per_stratum: int = _PLAN.min_per_stratum
    failure_oversample: float = _PLAN.failure_oversample
    gold_rate: float = _PLAN.gold_rate
    overlap: int = _PLAN.overlap
    labelers: list[str] = Field(default_factory=lambda: list(DEFAULT_LABELERS))
    seed: int = _PLAN.seed
    strata: list[str] = Field(default_factory=lambda: list(_PLAN.strata))

    @field_validator("labelers")
    @classmethod
    def _handles_not_contact_details(cls, labelers: list[str]) -> list[str]:
        # Assignments are stored in annotation.sample and published with it.
        personal = [i for i, labeler in enumerate(labelers) if looks_personal(labeler)]
        if personal:
            raise ValueError(
                f"labelers at positions {personal} look like emails or phone numbers; "
                "use handles (e.g. labeler_1): assignments are stored in the warehouse"
            )
        return labelers

    def plan(self) -> SamplingPlan:
        return SamplingPlan(
            sample_size=self.sample_size,
            min_per_stratum=self.min_per_stratum,
            failure_oversample=self.failure_oversample,
            gold_rate=self.gold_rate,
            overlap=self.overlap,
            seed=self.seed,
            strata=tuple(self.strata),
        )


@dg.asset(
    **DAILY_WAREHOUSE_WRITER,
    deps=[dg.AssetKey("fct_conversations")],
    group_name="annotation",
)
def annotation_sample(
    context: dg.AssetExecutionContext,
    config: AnnotationSampleConfig,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Stratified annotation sample per day with inclusion probabilities (annotation.sample)."""
    days = partition_days(context)
    store = store_dir(warehouse.paths)
    # The store, not annotation.labels: it is never staler than the last import.
    labels = load_labels(store)
    batches = []
    with warehouse.connect() as con:
        gold = gold_metadata(con, labels)
        for day in days:
            # One day's population at a time: a backfill's window never sits in memory.
            conversations = day_conversations(con, day, day)
            drawn = sample_day(
                day, conversations, labels, gold, store, config.plan(), config.labelers
            )
            del conversations
            if drawn.origin == "pinned":
                context.log.info(
                    f"{day}: adopting the sample drawn by `closedloop annotate export`"
                )
            elif drawn.origin == "empty":
                context.log.warning(
                    f"{day}: no conversations in fct_conversations; nothing sampled"
                )
            for note in drawn.notes:
                context.log.warning(f"{day}: {note}")
            if drawn.items is not None:
                batches.append(drawn.items)
        sample = pd.concat(batches, ignore_index=True) if batches else pd.DataFrame()
        write_sample(con, days, sample)
    return dg.MaterializeResult(
        metadata={
            "rows": len(sample),
            "gold_items": int(sample["is_gold"].sum()) if len(sample) else 0,
            "days": len(days),
        }
    )


# annotations and annotation_marts rebuild whole tables from the label store whatever
# the window; they are partitioned like every other asset only so that a date-range
# backfill from the UI runs all assets in one run with one backfill policy, as
# `closedloop run --start --end` does (a partition records the run, not a slice).
@dg.asset(
    **DAILY_WAREHOUSE_WRITER,
    # After the scrub step, which creates the PII key of a new warehouse (and says so
    # in its own log); labels are pseudonymized with that same key.
    deps=[dg.AssetKey(["scrubbed", "conversations"])],
    group_name="annotation",
    check_specs=[dg.AssetCheckSpec("agreement_gate", asset="annotations", blocking=False)],
)
def annotations(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Imported labels, free text scrubbed and labelers pseudonymized (annotation.labels)."""
    paths = warehouse.paths
    stored = load_labels(store_dir(paths))
    with warehouse.connect() as con:
        # The same guarded key as scrubbed_transcripts: never mint a key over pseudonyms
        # made with another one (it would also make annotator pseudonyms unjoinable).
        try:
            pii = guarded_key(con, paths.pii_key_file)
        except (PiiKeyChanged, OSError, ValueError) as error:
            raise dg.Failure(description=str(error)) from None
        if pii.created:
            context.log.warning(
                f"created a new PII pseudonymization key at {paths.pii_key_file}; back this "
                "file up: pseudonyms made with another key will not match."
            )
        labels = warehouse_labels(stored, pii.key)
        # Kept in step with the store so QA leads can name every labeler the marts show.
        write_annotator_directory(stored["annotator_id"], pii.key, paths)
        write_labels(con, labels, pii)
    yield dg.MaterializeResult(
        metadata={
            "labels": len(labels),
            "batches": int(labels["batch_id"].nunique()) if len(labels) else 0,
            "guideline_version": GUIDELINE_VERSION,
        }
    )
    gates = batch_gates(labels)
    failing = [gate.message for gate in gates if not gate.passed]
    # ERROR but not blocking: a batch below the bar must be fixed (adjudication,
    # re-training) but its labels are still the best we have for the marts.
    yield dg.AssetCheckResult(
        check_name="agreement_gate",
        passed=not failing,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(failing) if failing else f"{len(gates)} batches pass the gate",
        metadata={"batches": len(gates), "failing_batches": len(failing)},
    )


@dg.asset(
    **DAILY_WAREHOUSE_WRITER,
    deps=[annotations, annotation_sample, dg.AssetKey("fct_conversations")],
    group_name="annotation",
)
def annotation_marts(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Agreement per batch/field, labeler quality, and calibrated resolution per week/intent."""
    with warehouse.connect() as con:
        marts = build_marts(con)
        write_marts(con, marts)
    return dg.MaterializeResult(
        metadata={
            "agreement_rows": len(marts.agreement),
            "calibrated_rows": len(marts.calibrated),
            "labelers_below_bar": int(marts.labelers["below_bar"].sum())
            if len(marts.labelers)
            else 0,
        }
    )


defs = dg.Definitions(assets=[annotation_sample, annotations, annotation_marts])
