"""Simulated labelers for tests and the demo: a Label Studio export from known truth.

Each labeler answers every categorical field of the tasks assigned to them; with
probability ``error_rate`` the answer is replaced by a different allowed value,
chosen uniformly. Deterministic for a seed, so tests can assert agreement ranges.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from pipelines.annotation.labelstudio import DIALOGUE
from schemas.labels import ALLOWED_VALUES


def simulate_export(
    tasks: list[dict],
    truth: pd.DataFrame,
    error_rates: Mapping[str, float],
    seed: int = 0,
) -> list[dict]:
    """A Label Studio JSON export of ``tasks`` labeled by simulated labelers.

    ``truth``: item_id, field, value (the true answer per conversation and field).
    ``error_rates``: labeler id -> probability of a wrong answer per field. Each task
    is labeled by its ``data.assigned_labelers``; all of them must be in ``error_rates``.
    """
    for annotator, rate in error_rates.items():
        if not 0 <= rate <= 1:
            raise ValueError(f"error rate of {annotator} must be in [0, 1], got {rate}")
    answers = {
        (item, field): value
        for item, field, value in truth[["item_id", "field", "value"]].itertuples(index=False)
    }
    rng = np.random.default_rng(seed)
    exported = []
    for task_id, task in enumerate(tasks, start=1):
        data = task["data"]
        item = data["conversation_id"]
        annotations = []
        for annotation_id, annotator in enumerate(data["assigned_labelers"], start=1):
            if annotator not in error_rates:
                raise ValueError(f"task {item}: labeler {annotator!r} has no error rate")
            result = []
            for field, allowed in ALLOWED_VALUES.items():
                if (item, field) not in answers:
                    continue
                value = answers[(item, field)]
                if rng.random() < error_rates[annotator]:
                    wrong = [choice for choice in allowed if choice != value]
                    value = wrong[rng.integers(len(wrong))]
                result.append(
                    {
                        "from_name": field,
                        "to_name": DIALOGUE,
                        "type": "choices",
                        "value": {"choices": [value]},
                    }
                )
            annotations.append(
                {
                    "id": task_id * 100 + annotation_id,
                    "completed_by": {"id": annotation_id, "email": annotator},
                    "was_cancelled": False,
                    "result": result,
                }
            )
        exported.append({"id": task_id, "data": data, "annotations": annotations})
    return exported
