"""Creating a data home (`closedloop init`, `closedloop demo`) and its settings file.

Only these create a home: every other command refuses one that does not exist
(:func:`pipelines.config.require_initialized`), so a mistyped ``CLOSEDLOOP_HOME``
never becomes a new, empty home with a new PII key.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

from pipelines.config import Paths, Settings

_PARTITIONS_START_LINE = re.compile(r"^partitions_start:.*$", re.MULTILINE)


def settings_file_text(partitions_start: date) -> str:
    """The home's ``closedloop.yaml``: ``partitions_start`` set, every other setting
    commented out at its default, so the file shows what can be tuned."""
    lines = [
        "# closedloop settings of this data home (README.md, 'Configuration').",
        "# CLOSEDLOOP_<NAME> environment variables override these; CLOSEDLOOP_CONFIG",
        "# names another file to use instead of this one.",
        "",
        "# The first partition day: Dagster's partitions and `closedloop run` start here.",
        "# To backfill older history, set an earlier day (and restart `closedloop ui`).",
        f"partitions_start: {partitions_start.isoformat()}",
        "",
    ]
    for field in dataclasses.fields(Settings):
        if field.name == "partitions_start":
            continue
        default = "null" if field.default is None else field.default
        lines.append(f"# {field.name}: {default}")
    return "\n".join(lines) + "\n"


def init_home(layout: Paths, partitions_start: date) -> bool:
    """Create the home's folders and, unless it has one, its settings file starting the
    partitions at ``partitions_start``. True if the settings file was written."""
    layout.ensure()
    if layout.settings_file.exists():
        return False
    layout.settings_file.write_text(settings_file_text(partitions_start))
    return True


def record_partitions_start(layout: Paths, day: date) -> None:
    """Set ``partitions_start`` in the home's settings file to ``day`` (the demo moves it
    to its first synthetic day); the file's other lines are kept."""
    line = f"partitions_start: {day.isoformat()}"
    text = layout.settings_file.read_text() if layout.settings_file.exists() else ""
    if _PARTITIONS_START_LINE.search(text):
        text = _PARTITIONS_START_LINE.sub(line, text, count=1)
    else:
        text = text + ("" if not text or text.endswith("\n") else "\n") + line + "\n"
    layout.settings_file.write_text(text)
