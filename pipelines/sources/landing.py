"""What changed in the landing zone: the one change detector behind both sensors.

A file's signature is its modification time and size, so a re-delivered or rewritten
file counts as new even when copied with its original timestamps (a rename or a size
change shows) and an untouched file is never read twice.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from pipelines.config import Paths, Settings
from pipelines.sources.column_map import ColumnMap
from pipelines.sources.files import is_supported
from pipelines.sources.ingest import affected_partitions

# Judging a file to find its partitions reads it whole; a sensor tick judges at most
# this many bytes of changed files and leaves the rest for the next tick, so a large
# re-delivery never runs a tick into Dagster's evaluation timeout.
TICK_BYTES = 512 * 1024 * 1024


def landing_inventory(paths: Paths, day: date | None = None) -> dict[str, str]:
    """Every supported landing file (path relative to landing/) with its signature;
    only the folder of ``day`` when given."""
    root = paths.landing_day(day) if day is not None else paths.landing
    if not root.is_dir():
        return {}
    inventory: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if is_supported(path):
            stat = path.stat()
            inventory[str(path.relative_to(paths.landing))] = f"{stat.st_mtime_ns}:{stat.st_size}"
    return inventory


def changed_files(inventory: dict[str, str], seen: dict[str, str]) -> dict[str, str]:
    """The entries of ``inventory`` that are new or whose signature changed since ``seen``."""
    return {name: signature for name, signature in inventory.items() if seen.get(name) != signature}


@dataclass(frozen=True)
class AffectedPartitions:
    """Changed files per partition day they touch, and which changes were looked at."""

    files_by_day: dict[date, list[str]]
    judged: dict[str, str]  # the changes this call judged (a cursor may advance over them)


def partitions_of_changes(
    paths: Paths,
    changes: dict[str, str],
    settings: Settings,
    column_map: ColumnMap,
    budget_bytes: int = TICK_BYTES,
) -> AffectedPartitions:
    """The partition days the changed files' records belong to, as ``name@signature``
    per day. Files are judged in name order until ``budget_bytes`` is spent (at least
    one file); the others are left out of ``judged`` for a later call."""
    files_by_day: dict[date, list[str]] = defaultdict(list)
    judged: dict[str, str] = {}
    spent = 0
    for name, signature in sorted(changes.items()):
        path = paths.landing / name
        size = path.stat().st_size if path.exists() else 0
        if judged and spent + size > budget_bytes:
            break
        spent += size
        judged[name] = signature
        if not path.exists():  # deleted since it was listed: nothing to load
            continue
        for day in affected_partitions(paths, path, settings, column_map):
            files_by_day[day].append(f"{name}@{signature}")
    return AffectedPartitions(dict(files_by_day), judged)


def inventory_digest(inventory: dict[str, str]) -> str:
    """A short digest of an inventory (e.g. one landing folder's); "" when it is empty."""
    if not inventory:
        return ""
    listing = "\n".join(f"{name}\t{signature}" for name, signature in sorted(inventory.items()))
    return hashlib.sha256(listing.encode()).hexdigest()[:16]
