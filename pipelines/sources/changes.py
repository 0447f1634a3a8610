"""What changed in the landing zone: the one change detector behind both sensors.

A file's signature is its modification time and size, so a re-delivered or rewritten
file counts as new even when copied with its original timestamps (a rename or a size
change shows) and an untouched file is never read twice.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from pipelines.config import Paths, Settings
from pipelines.sources.column_map import ColumnMap
from pipelines.sources.ingest import affected_partitions
from pipelines.sources.landing import all_landing_entries, landing_entries

# Judging a file to find its partitions reads it whole; a sensor tick judges at most
# this many bytes of changed files and leaves the rest for the next tick, so a large
# re-delivery never runs a tick into Dagster's evaluation timeout.
TICK_BYTES = 512 * 1024 * 1024


def landing_inventory(paths: Paths, day: date | None = None) -> dict[str, str]:
    """Every entry of a delivery day folder (path relative to landing/) with its
    signature; only the folder of ``day`` when given. A stray file directly in landing/,
    or in a folder not named for a real day, belongs to no delivery and is left out (no
    run would read it). Entries are never followed through a link (``lstat``)."""
    entries = landing_entries(paths, [day]) if day is not None else all_landing_entries(paths)
    inventory: dict[str, str] = {}
    for path in sorted(entries):
        stat = path.lstat()
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
        size = path.lstat().st_size if os.path.lexists(path) else 0
        if judged and spent + size > budget_bytes:
            break
        spent += size
        judged[name] = signature
        if not os.path.lexists(path):  # deleted since it was listed: nothing to load
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
