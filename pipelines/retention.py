"""Retention of the restricted raw area: unscrubbed data is kept only as long as needed.

One odd entry never stops retention: a folder whose name is not a real day
(``dt=2025-02-30``) is skipped and reported by :func:`unrecognised_partition_folders`,
and a folder that cannot be deleted does not keep the others from being deleted.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from pipelines.config import Paths

_PARTITION_DIR = re.compile(r"^dt=(\d{4}-\d{2}-\d{2})$")


class RetentionIncomplete(RuntimeError):
    """Some expired folders could not be deleted; every other one was."""

    def __init__(self, deleted: list[Path], failed: list[tuple[Path, str]]) -> None:
        self.deleted = deleted
        self.failed = failed
        listing = "; ".join(f"{p.parent.name}/{p.name}: {why}" for p, why in failed)
        super().__init__(
            f"deleted {len(deleted)} expired raw partition folders, but {len(failed)} could "
            f"not be deleted (fix their permissions; the next run retries): {listing}"
        )


def _partition_folders(paths: Paths) -> Iterator[tuple[Path, date | None]]:
    """Every ``dt=...`` folder that holds unscrubbed text, with its day (None when the
    name is not a real day). The ingest cache's folders are named for the landing
    folder their files came from, so they expire with it."""
    parents = (
        paths.landing,
        paths.raw,
        paths.quarantine,
        paths.raw / "synth_truth",
        paths.ingest_cache,
    )
    for parent in parents:
        if not parent.is_dir():
            continue
        for child in sorted(parent.iterdir()):
            match = _PARTITION_DIR.match(child.name)
            if match is None or not child.is_dir() or child.is_symlink():
                continue
            try:
                yield child, date.fromisoformat(match.group(1))
            except ValueError:  # dt=2025-02-30
                yield child, None


def unrecognised_partition_folders(paths: Paths) -> list[Path]:
    """``dt=`` folders whose name is not a real day: retention never deletes them, so
    whoever runs it should be told (and rename or remove them)."""
    return [folder for folder, day in _partition_folders(paths) if day is None]


def expired_raw_partitions(paths: Paths, retention_days: int, today: date) -> list[Path]:
    """Landing, raw, quarantine, generator-truth and ingest-cache partition folders older
    than the retention window: everything under the data home that holds unscrubbed text."""
    if retention_days < 1:
        raise ValueError(f"raw_retention_days must be >= 1, got {retention_days}")
    cutoff = today - timedelta(days=retention_days)
    return [folder for folder, day in _partition_folders(paths) if day and day < cutoff]


def purge_raw_partitions(paths: Paths, retention_days: int, today: date) -> list[Path]:
    """Delete expired raw, quarantine and ingest-cache partitions; returns what was deleted.

    Raises RetentionIncomplete after deleting all it can when some folder resists.
    """
    deleted: list[Path] = []
    failed: list[tuple[Path, str]] = []
    for folder in expired_raw_partitions(paths, retention_days, today):
        try:
            shutil.rmtree(folder)
        except OSError as error:
            failed.append((folder, error.strerror or type(error).__name__))
        else:
            deleted.append(folder)
    if failed:
        raise RetentionIncomplete(deleted, failed)
    return deleted
