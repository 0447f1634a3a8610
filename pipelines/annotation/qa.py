"""Annotation QA over the label store: agreement and the gate for every batch.

Shared by the ``closedloop annotate`` CLI and the Dagster assets so both apply the
same statistics and the same bar.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pipelines.stats.agreement import (
    AgreementReport,
    FieldSpec,
    GateResult,
    agreement_gate,
    agreement_report,
)
from schemas.labels import FIELDS

FIELD_SPECS = tuple(
    FieldSpec(spec.name, spec.choices, spec.ordered) for spec in FIELDS if spec.choices is not None
)
MIN_PERCENT = 0.90
MIN_ALPHA = 0.80


def field_specs(names: Sequence[str] = ()) -> tuple[FieldSpec, ...]:
    """The categorical fields to score, all by default; unknown names are an error."""
    if not names:
        return FIELD_SPECS
    by_name = {spec.name: spec for spec in FIELD_SPECS}
    unknown = sorted(set(names) - set(by_name))
    if unknown:
        raise ValueError(
            f"no agreement for fields {unknown}; categorical fields: {sorted(by_name)}"
        )
    return tuple(by_name[name] for name in names)


def gold_answers(labels: pd.DataFrame, batch: pd.DataFrame) -> pd.DataFrame:
    """Adjudicated answers (from any batch) for the gold items of ``batch``."""
    gold_items = set(batch.loc[batch["is_gold"].astype(bool), "item_id"])
    adjudicated = labels.loc[
        labels["is_adjudication"].astype(bool) & labels["item_id"].isin(gold_items)
    ]
    return adjudicated[["item_id", "field", "value"]].drop_duplicates(
        ["item_id", "field"], keep="last"
    )


def batch_reports(
    labels: pd.DataFrame,
    specs: Sequence[FieldSpec] = FIELD_SPECS,
    n_boot: int = 1000,
    seed: int = 0,
    min_percent: float = MIN_PERCENT,
    min_alpha: float = MIN_ALPHA,
) -> list[tuple[AgreementReport, GateResult]]:
    """Agreement report and gate result for every batch in ``labels``."""
    results = []
    for batch_id, batch in labels.groupby("batch_id", sort=True):
        report = agreement_report(
            batch,
            specs,
            batch_id=str(batch_id),
            gold=gold_answers(labels, batch),
            n_boot=n_boot,
            seed=seed,
            min_labeler_agreement=min_percent,
        )
        results.append((report, agreement_gate(report, min_percent, min_alpha)))
    return results


def agreement_table(
    results: Sequence[tuple[AgreementReport, GateResult]], labels: pd.DataFrame
) -> pd.DataFrame:
    """One row per batch and field: all statistics, CIs, guideline version, gate outcome."""
    versions = labels.groupby("batch_id")["guideline_version"].agg(
        lambda v: ",".join(sorted(set(v)))
    )
    frames = [
        report.fields.assign(gate_passed=gate.passed, gate_message=gate.message)
        for report, gate in results
    ]
    if not frames:
        return pd.DataFrame()
    table = pd.concat(frames, ignore_index=True)
    table.insert(1, "guideline_version", table["batch_id"].map(versions))
    return table
