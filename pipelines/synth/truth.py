"""Read the generator's ground-truth sidecar back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_truth(truth_dir: Path) -> list[dict[str, Any]]:
    """All truth rows under ``truth_dir/dt=*/truth.jsonl``, in partition then file order."""
    rows: list[dict[str, Any]] = []
    for path in sorted(truth_dir.glob("dt=*/truth.jsonl")):
        with path.open(encoding="utf-8") as handle:
            rows.extend(json.loads(line) for line in handle if line.strip())
    return rows
