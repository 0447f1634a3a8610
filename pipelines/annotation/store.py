"""The annotation store: Parquet files under ``<CLOSEDLOOP_HOME>/annotations/``.

The CLI appends here and the ``annotations`` asset loads it into the warehouse,
because the warehouse has a single writer (the pipeline) and a CLI must never open
it for writing. One file per import, named by content hash, so importing the same
export twice is a no-op; a corrected re-export of a batch supersedes older rows of
the same (batch, item, annotator, field).

The store holds labels as imported (labeler emails, unscrubbed free text), so it is
owner-only like the restricted area: directories 0700, files 0600, and a data home
created before that rule gets its modes fixed the next time the store is opened.
The warehouse only ever sees ``pipelines.annotation.privacy.warehouse_labels``.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from pipelines.config import RESTRICTED_MODE, Paths, restricted_dir

KEY = ["batch_id", "item_id", "annotator_id", "field", "is_adjudication"]
FILE_MODE = 0o600
SAMPLES = "samples"


def store_dir(paths: Paths) -> Path:
    """The store directory, created owner-only; existing files are made owner-only too."""
    directory = paths.annotations
    _restrict(directory, RESTRICTED_MODE)
    samples = directory / SAMPLES
    if samples.exists():
        _restrict(samples, RESTRICTED_MODE)
    for file in (*directory.glob("labels-*.parquet"), *samples.glob("*.parquet")):
        _restrict(file, FILE_MODE)
    return directory


def _restrict(path: Path, mode: int) -> None:
    """Give ``path`` exactly ``mode`` (a directory is created if missing); chmod only
    when needed, so a store already right does not need its owner to open it."""
    if not path.exists():
        restricted_dir(path)
    if path.stat().st_mode & 0o777 != mode:
        path.chmod(mode)


def _write_private(frame: pd.DataFrame, target: Path) -> None:
    """Write Parquet as a 0600 file, atomically: a reader never sees half a file."""
    partial = target.with_suffix(".parquet.tmp")
    frame.to_parquet(partial, index=False)
    os.chmod(partial, FILE_MODE)  # to_parquet's mode follows the umask
    partial.rename(target)


def append_labels(labels: pd.DataFrame, directory: Path) -> Path:
    """Write one import; returns its file (existing file if this content was imported)."""
    _restrict(directory, RESTRICTED_MODE)
    content = labels.sort_values(KEY).to_csv(index=False).encode()
    target = directory / f"labels-{hashlib.sha256(content).hexdigest()[:16]}.parquet"
    if target.exists():
        return target
    _write_private(labels.assign(imported_at=datetime.now(UTC)), target)
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
    return directory / SAMPLES / f"sample-{day.isoformat()}.parquet"


def pin_sample(items: pd.DataFrame, directory: Path, day: date) -> Path:
    """Keep a sample the CLI drew (before the pipeline did) so the pipeline adopts
    it: tasks already handed to labelers must match ``annotation.sample``."""
    target = sample_file(directory, day)
    if target.exists():
        return target
    _restrict(target.parent, RESTRICTED_MODE)
    _write_private(items, target)
    return target


def pinned_sample(directory: Path, day: date) -> pd.DataFrame | None:
    """The sample the CLI drew for ``day``, if any."""
    target = sample_file(directory, day)
    return pd.read_parquet(target) if target.exists() else None
