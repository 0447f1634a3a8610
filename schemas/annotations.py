"""Contract for imported human labels (the long label frame).

One row per (batch, item, annotator, field); categorical fields must hold one of the
values the labeling config offers (schemas.labels.ALLOWED_VALUES), so a
renamed choice in Label Studio fails loudly instead of becoming a new category.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from schemas.labels import ALLOWED_VALUES, FIELDS_BY_NAME


def _allowed_value(frame: pd.DataFrame) -> pd.Series:
    """Row-wise: the value is allowed for its field (free-text fields accept any)."""
    return pd.Series(
        [
            field not in ALLOWED_VALUES or value in ALLOWED_VALUES[field]
            for field, value in zip(frame["field"], frame["value"], strict=True)
        ],
        index=frame.index,
    )


ANNOTATION_LABELS = pa.DataFrameSchema(
    {
        "batch_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "guideline_version": pa.Column(str, pa.Check.str_length(min_value=1)),
        "item_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "annotator_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "field": pa.Column(str, pa.Check.isin(sorted(FIELDS_BY_NAME))),
        "value": pa.Column(str),
        "is_gold": pa.Column(bool),
        "is_adjudication": pa.Column(bool),
    },
    checks=[
        pa.Check(
            _allowed_value,
            name="allowed_value_for_field",
            error="value not allowed for its field (see schemas.labels.ALLOWED_VALUES)",
        ),
        pa.Check(
            lambda frame: (
                ~frame.duplicated(
                    ["batch_id", "item_id", "annotator_id", "field", "is_adjudication"], keep=False
                )
            ),
            name="one_value_per_item_annotator_field",
            error="more than one value for the same batch, item, annotator and field",
        ),
    ],
    strict=True,
    coerce=True,
)


# Agreement needs no guideline version (an export from a project closedloop did not
# create has none); the label store does, so batches under different definitions are
# never pooled.
AGREEMENT_LABELS = ANNOTATION_LABELS.update_column("guideline_version", nullable=True)


class InvalidLabels(ValueError):
    """Labels that break the contract; the message lists the offending rows."""


def validate_labels(labels: pd.DataFrame, require_guideline_version: bool = True) -> pd.DataFrame:
    """Validate all rows at once; raise :class:`InvalidLabels` naming the bad rows.

    ``require_guideline_version=False`` is for computing agreement only, never for
    rows headed for the label store."""
    schema = ANNOTATION_LABELS if require_guideline_version else AGREEMENT_LABELS
    try:
        return schema.validate(labels, lazy=True)
    except pa.errors.SchemaErrors as error:
        cases = error.failure_cases
        checks = sorted(set(cases["check"].astype(str)))
        rows = sorted({int(i) for i in cases["index"].dropna()})
        shown = [
            ", ".join(
                f"{c}={labels.loc[i, c]!r}"
                for c in ("item_id", "annotator_id", "field", "value")
                if c in labels
            )
            for i in rows[:5]
            if i in labels.index
        ]
        raise InvalidLabels(
            f"{len(rows)} invalid label rows (checks failed: {'; '.join(checks)}); "
            f"first: {' | '.join(shown)}"
        ) from error
