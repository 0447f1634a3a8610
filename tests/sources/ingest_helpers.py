"""Small builders for landing-zone fixtures used by the ingestion tests."""

from __future__ import annotations

import csv
import json
import os
from datetime import date
from pathlib import Path

from pipelines.config import Paths
from pipelines.synth.writers import CSV_COLUMNS

# The synthetic generator's flat export, without its optional payload column.
FLAT_COLUMNS = [column for column in CSV_COLUMNS if column != "payload"]


def conversation(
    conversation_id: str, started: str, n_events: int = 2, **header: object
) -> dict[str, object]:
    """A valid canonical conversation whose events are a few seconds apart."""
    from datetime import datetime, timedelta

    start = datetime.fromisoformat(started)
    events = [
        {
            "seq": i,
            "sent_at": (start + timedelta(seconds=5 * i)).isoformat(),
            "actor": "customer" if i % 2 == 0 else "bot",
            "event_type": "message",
            "text": f"message {i}",
        }
        for i in range(n_events)
    ]
    return {
        "conversation_id": conversation_id,
        "source": "test",
        "started_at": started,
        "channel": "web",
        "locale": "en-US",
        "market": "US",
        **header,
        "events": events,
    }


def write_jsonl(
    paths: Paths, day: date, name: str, lines: list[object], mtime: int | None = None
) -> Path:
    folder = paths.landing_day(day)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    )
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def write_csv(
    paths: Paths,
    day: date,
    name: str,
    rows: list[dict[str, object]],
    columns: list[str] | None = None,
) -> Path:
    folder = paths.landing_day(day)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns or FLAT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path
