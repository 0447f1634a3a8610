"""A team's export vocabulary mapped onto the canonical names.

The YAML file (example: ``config/column_map.example.yaml``)::

    source: acme_chat            # value of `source` when the file has no such column
    columns:                     # their column -> canonical column (case-insensitive)
      ticket_id: conversation_id
      timestamp: sent_at
    values:                      # extra value synonyms (case-insensitive)
      actor: {member: customer}
      channel: {livechat: web}
      event_type: {transfer_to_human: handoff_requested}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipelines.sources.staging import TEXT_COLUMNS
from pipelines.sources.vocabulary import ACTOR_SYNONYMS, CHANNEL_SYNONYMS, EVENT_TYPE_SYNONYMS

# What a column map may add synonyms for, and the built-in synonyms its targets resolve
# through: a target must be a canonical value or one of its synonyms.
MAPPABLE_VALUES = {
    "actor": ACTOR_SYNONYMS,
    "channel": CHANNEL_SYNONYMS,
    "event_type": EVENT_TYPE_SYNONYMS,
}


@dataclass(frozen=True)
class ColumnMap:
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    source: str | None = None

    def canonical_name(self, column: str) -> str | None:
        """The canonical column a file column maps to, or None if it is ignored."""
        key = column.strip().lower()
        mapped = self.columns.get(key, key)
        return mapped if mapped in TEXT_COLUMNS else None


class ColumnMapError(ValueError):
    """A column-map file that cannot be used; the message names the file and the fix."""


def _mapping(loaded: object, path: str | Path, what: str) -> dict[object, object]:
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ColumnMapError(f"column map {path}: {what} must be a mapping, got {loaded!r}")
    return loaded


def _canonical_targets(path: str | Path, name: str, mapping: dict[str, str]) -> dict[str, str]:
    """Resolve each target to its canonical value; one that names none is a configuration
    error now, not a quarantine of every matching record at run time."""
    synonyms = MAPPABLE_VALUES[name]
    resolved = {raw: synonyms.get(target.strip().lower()) for raw, target in mapping.items()}
    unknown = sorted({mapping[raw] for raw, target in resolved.items() if target is None})
    if unknown:
        canonical = sorted(set(synonyms.values()))
        raise ColumnMapError(
            f"column map {path}: values.{name} maps to {unknown}, which is no {name}; "
            f"use one of {canonical} (or a built-in synonym, docs/ingestion.md)"
        )
    return {raw: target for raw, target in resolved.items() if target is not None}


def load_column_map(path: str | Path | None) -> ColumnMap:
    """Read and check a column-map YAML file; ``None`` gives the identity map.

    Raises ColumnMapError (a ValueError) for a missing file, broken YAML or an
    unknown name, so a run fails before any data is read.
    """
    if path is None:
        return ColumnMap()
    try:
        loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ColumnMapError(f"column map {path} cannot be read: {error.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ColumnMapError(f"column map {path} is not valid YAML: {error}") from None
    loaded = _mapping(loaded, path, "the file (keys columns/values/source)")
    unknown_keys = sorted(map(str, set(loaded) - {"columns", "values", "source"}))
    if unknown_keys:
        raise ColumnMapError(
            f"column map {path}: unknown keys {unknown_keys}; known: columns, values, source"
        )
    columns = {
        str(k).strip().lower(): str(v)
        for k, v in _mapping(loaded.get("columns"), path, "columns").items()
    }
    bad_targets = sorted(set(columns.values()) - set(TEXT_COLUMNS))
    if bad_targets:
        raise ColumnMapError(
            f"column map {path}: columns map to unknown canonical names {bad_targets}; "
            f"canonical: {list(TEXT_COLUMNS)}"
        )
    values = {
        str(name): {
            str(k).strip().lower(): str(v)
            for k, v in _mapping(mapping, path, f"values.{name}").items()
        }
        for name, mapping in _mapping(loaded.get("values"), path, "values").items()
    }
    bad_values = sorted(set(values) - set(MAPPABLE_VALUES))
    if bad_values:
        raise ColumnMapError(
            f"column map {path}: values can be mapped only for {list(MAPPABLE_VALUES)}, "
            f"not {bad_values}"
        )
    values = {name: _canonical_targets(path, name, mapping) for name, mapping in values.items()}
    source = loaded.get("source")
    return ColumnMap(columns=columns, values=values, source=str(source) if source else None)


def configured_column_map(explicit: str | Path | None, column_map_setting: str | None) -> ColumnMap:
    """The map a run or check uses: the one named for it (run config, ``--column-map``),
    else the ``column_map`` setting, else the identity map."""
    return load_column_map(explicit or column_map_setting or None)
