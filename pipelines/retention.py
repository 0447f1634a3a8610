"""Retention of the restricted raw area: unscrubbed data is kept only as long as needed."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

from pipelines.config import Paths

_PARTITION_DIR = re.compile(r"^dt=(\d{4}-\d{2}-\d{2})$")


def expired_raw_partitions(paths: Paths, retention_days: int, today: date) -> list[Path]:
    """Landing, raw, quarantine and generator-truth partition folders older than the
    retention window: everything under the data home that holds unscrubbed text."""
    if retention_days < 1:
        raise ValueError(f"raw_retention_days must be >= 1, got {retention_days}")
    cutoff = today - timedelta(days=retention_days)
    expired = []
    for parent in (paths.landing, paths.raw, paths.quarantine, paths.raw / "synth_truth"):
        if not parent.exists():
            continue
        for child in sorted(parent.iterdir()):
            match = _PARTITION_DIR.match(child.name)
            if match and child.is_dir() and date.fromisoformat(match.group(1)) < cutoff:
                expired.append(child)
    return expired


def purge_raw_partitions(paths: Paths, retention_days: int, today: date) -> list[Path]:
    """Delete expired raw and quarantine partitions; returns what was deleted."""
    expired = expired_raw_partitions(paths, retention_days, today)
    for folder in expired:
        shutil.rmtree(folder)
    return expired
