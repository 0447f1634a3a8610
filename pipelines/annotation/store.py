"""The annotation store: Parquet files under ``<CLOSEDLOOP_HOME>/annotations/``.

The CLI appends here and the ``annotations`` asset loads it into the warehouse,
because the warehouse has a single writer (the pipeline) and a CLI must never open
it for writing. One file per import, named by content hash, so importing the same
export twice is a no-op; a corrected re-export of a batch supersedes older rows of
the same (batch, item, annotator, field).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from pipelines.config import Paths

KEY = ["batch_id", "item_id", "annotator_id", "field", "is_adjudication"]


def store_dir(paths: Paths) -> Path:
    return paths.annotations


def append_labels(labels: pd.DataFrame, directory: Path) -> Path:
    """Write one import; returns its file (existing file if this content was imported)."""
    directory.mkdir(parents=True, exist_ok=True)
    content = labels.sort_values(KEY).to_csv(index=False).encode()
    target = directory / f"labels-{hashlib.sha256(content).hexdigest()[:16]}.parquet"
    if target.exists():
        return target
    stamped = labels.assign(imported_at=datetime.now(UTC))
    partial = target.with_suffix(".parquet.tmp")
    stamped.to_parquet(partial, index=False)
    partial.rename(target)  # atomic: a reader never sees half a file
    return target


def load_labels(directory: Path) -> pd.DataFrame:
    """Every imported label, the latest import winning per (batch, item, annotator, field)."""
    files = sorted(directory.glob("labels-*.parquet")) if directory.exists() else []
    if not files:
        return pd.DataFrame(columns=[*KEY, "guideline_version", "value", "is_gold", "imported_at"])
    frame = pd.concat([pd.read_parquet(file) for file in files], ignore_index=True)
    frame = frame.sort_values("imported_at", kind="stable")
    return frame.drop_duplicates(KEY, keep="last").reset_index(drop=True)


def sample_file(directory: Path, day: date) -> Path:
    return directory / "samples" / f"sample-{day.isoformat()}.parquet"


def pin_sample(items: pd.DataFrame, directory: Path, day: date) -> Path:
    """Keep a sample the CLI drew (before the pipeline did) so the pipeline adopts
    it: tasks already handed to labelers must match ``annotation.sample``."""
    target = sample_file(directory, day)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".parquet.tmp")
    items.to_parquet(partial, index=False)
    partial.rename(target)
    return target


def pinned_sample(directory: Path, day: date) -> pd.DataFrame | None:
    """The sample the CLI drew for ``day``, if any."""
    target = sample_file(directory, day)
    return pd.read_parquet(target) if target.exists() else None
