"""Annotation assets: the daily sample, the imported labels with the agreement gate,
and the Python-built marts for agreement and human-calibrated resolution."""

import dagster as dg
import duckdb
import pandas as pd
from pydantic import Field, field_validator

from pipelines.annotation.batches import draw_day
from pipelines.annotation.labels import GUIDELINE_VERSION
from pipelines.annotation.privacy import warehouse_labels, write_annotator_directory
from pipelines.annotation.qa import agreement_table, batch_reports
from pipelines.annotation.store import load_labels, pinned_sample, store_dir
from pipelines.defs.partitions import WAREHOUSE_POOL, daily_partitions, partition_days
from pipelines.defs.resources import WarehouseResource
from pipelines.pii.identifiers import looks_personal
from pipelines.pii.pseudonym import PiiKeyChanged, guarded_key, record_or_verify_fingerprint
from pipelines.stats.calibration import calibrated_resolution
from pipelines.stats.sampling import SamplingPlan
from pipelines.warehouse import transaction

SAMPLE_DDL = """
create schema if not exists annotation;
create table if not exists annotation.sample (
    batch_date date, batch_id varchar, conversation_id varchar, conversation_date date,
    intent varchar, channel varchar, bot_version varchar, outcome varchar, stratum varchar,
    stratum_population bigint, stratum_sample_size bigint, inclusion_prob double,
    is_gold boolean, assigned_labelers varchar
);
"""
LABELS_DDL = """
create schema if not exists annotation;
create table if not exists annotation.labels (
    batch_id varchar, guideline_version varchar, item_id varchar, annotator_id varchar,
    field varchar, value varchar, is_gold boolean, is_adjudication boolean,
    imported_at timestamptz
);
"""


class AnnotationSampleConfig(dg.Config):
    """Per-day sampling plan; see pipelines.stats.sampling.SamplingPlan."""

    sample_size: int = 200
    min_per_stratum: int = 2
    failure_oversample: float = 2.0
    gold_rate: float = 0.05
    overlap: int = 2
    labelers: list[str] = Field(
        default_factory=lambda: ["labeler_1", "labeler_2", "labeler_3", "labeler_4"]
    )
    seed: int = 0

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


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def _labels(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    con.execute(LABELS_DDL)
    return con.execute("select * from annotation.labels").df()


@dg.asset(
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    deps=[dg.AssetKey("fct_conversations")],
    pool=WAREHOUSE_POOL,
    group_name="annotation",
)
def annotation_sample(
    context: dg.AssetExecutionContext,
    config: AnnotationSampleConfig,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Stratified annotation sample per day with inclusion probabilities (annotation.sample)."""
    days = partition_days(context)
    batches = []
    # The store, not annotation.labels: it is never staler than the last import.
    labels = load_labels(store_dir(warehouse.paths))
    with warehouse.connect() as con:
        fct = con.execute(
            "select * from main.fct_conversations where conversation_date between ? and ?",
            [days[0], days[-1]],
        ).df()
        gold_ids = sorted(set(labels.loc[labels["is_adjudication"].astype(bool), "item_id"]))
        gold_metadata = con.execute(
            "select conversation_id, conversation_date, intent, channel, bot_version "
            "from main.fct_conversations where conversation_id in (select unnest(?))",
            [gold_ids],
        ).df()
        plan = SamplingPlan(
            sample_size=config.sample_size,
            min_per_stratum=config.min_per_stratum,
            failure_oversample=config.failure_oversample,
            gold_rate=config.gold_rate,
            overlap=config.overlap,
            seed=config.seed,
        )
        for day in days:
            pinned = pinned_sample(store_dir(warehouse.paths), day)
            if pinned is not None:
                context.log.info(
                    f"{day}: adopting the sample drawn by `closedloop annotate export`"
                )
                batches.append(pinned)
                continue
            conversations = fct.loc[pd.to_datetime(fct["conversation_date"]).dt.date == day]
            if conversations.empty:
                context.log.warning(
                    f"{day}: no conversations in fct_conversations; nothing sampled"
                )
                continue
            items, notes = draw_day(
                conversations, labels, gold_metadata, day, plan, config.labelers
            )
            for note in notes:
                context.log.warning(f"{day}: {note}")
            batches.append(items)
        sample = pd.concat(batches, ignore_index=True) if batches else pd.DataFrame()
        con.execute(SAMPLE_DDL)
        with transaction(con):
            con.execute(
                "delete from annotation.sample where batch_date between ? and ?",
                [days[0], days[-1]],
            )
            if len(sample):
                con.register("sample_frame", sample)
                con.execute("insert into annotation.sample by name select * from sample_frame")
    return dg.MaterializeResult(
        metadata={
            "rows": len(sample),
            "gold_items": int(sample["is_gold"].sum()) if len(sample) else 0,
            "days": len(days),
        }
    )


@dg.asset(
    pool=WAREHOUSE_POOL,
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
        con.execute(LABELS_DDL)
        with transaction(con):
            record_or_verify_fingerprint(con, pii)
            con.execute("delete from annotation.labels")
            if len(labels):
                con.register("labels_frame", labels)
                con.execute("insert into annotation.labels by name select * from labels_frame")
    yield dg.MaterializeResult(
        metadata={
            "labels": len(labels),
            "batches": int(labels["batch_id"].nunique()) if len(labels) else 0,
            "guideline_version": GUIDELINE_VERSION,
        }
    )
    results = batch_reports(labels) if len(labels) else []
    failing = [gate.message for _, gate in results if not gate.passed]
    # ERROR but not blocking: a batch below the bar must be fixed (adjudication,
    # re-training) but its labels are still the best we have for the marts.
    yield dg.AssetCheckResult(
        check_name="agreement_gate",
        passed=not failing,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(failing) if failing else f"{len(results)} batches pass the gate",
        metadata={"batches": len(results), "failing_batches": len(failing)},
    )


@dg.asset(
    deps=[annotations, annotation_sample, dg.AssetKey("fct_conversations")],
    pool=WAREHOUSE_POOL,
    group_name="annotation",
)
def annotation_marts(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Agreement per batch/field, labeler quality, and calibrated resolution per week/intent."""
    with warehouse.connect() as con:
        labels = _labels(con)
        con.execute(SAMPLE_DDL)
        sample = con.execute("select * from annotation.sample").df()
        automated = con.execute(
            "select conversation_id, durable_resolved from main.fct_conversations "
            "where conversation_id in (select conversation_id from annotation.sample)"
        ).df()
        results = batch_reports(labels) if len(labels) else []
        agreement = agreement_table(results, labels)
        labelers = (
            pd.concat([report.labelers for report, _ in results], ignore_index=True)
            if results
            else pd.DataFrame()
        )
        calibrated = (
            calibrated_resolution(sample, labels, automated)
            if len(labels) and len(sample)
            else pd.DataFrame()
        )
        with transaction(con):
            for name, frame in (
                ("mart_annotation_agreement", agreement),
                ("mart_resolution_calibrated", calibrated),
                ("mart_annotation_labelers", labelers),
            ):
                # Small, fully recomputed tables: replace rather than merge.
                con.execute(f"drop table if exists main.{name}")
                if len(frame):
                    con.register(f"{name}_frame", frame)
                    con.execute(f"create table main.{name} as select * from {name}_frame")
    return dg.MaterializeResult(
        metadata={
            "agreement_rows": len(agreement),
            "calibrated_rows": len(calibrated),
            "labelers_below_bar": int(labelers["below_bar"].sum()) if len(labelers) else 0,
        }
    )


defs = dg.Definitions(assets=[annotation_sample, annotations, annotation_marts])
