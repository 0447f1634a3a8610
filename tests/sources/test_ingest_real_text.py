"""Messy real dialogue text (SGD, STAR) through the flat CSV format: every row accounted for.

The dialogues are read by path at test time from the shared reference data and
never copied into the repository; the tests skip when the data is absent.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipelines.sources import ColumnMap, judge_file

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SGD = DATA / "sgd" / "train" / "dialogues_001.json"
STAR = DATA / "star" / "dialogues"
SGD_START = 1_740_787_200  # 2025-03-01T00:00:00Z; SGD turns carry no time of their own
STAR_ACTORS = {"User": "User", "Wizard": "Wizard"}  # anything else is a platform event


def write_flat(path: Path, rows: list[dict[str, object]]) -> int:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["conversation_id", "sent_at", "actor", "text", "intent"])
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def sgd_rows() -> list[dict[str, object]]:
    rows = []
    for dialogue in json.loads(SGD.read_text()):
        for turn_number, turn in enumerate(dialogue["turns"]):
            rows.append({
                "conversation_id": f"sgd-{dialogue['dialogue_id']}",
                "sent_at": SGD_START + 20 * turn_number,
                "actor": "user" if turn["speaker"] == "USER" else "assistant",
                "text": turn["utterance"],
                "intent": dialogue["services"][0],
            })
    return rows


def star_rows(limit: int) -> list[dict[str, object]]:
    rows = []
    for path in sorted(STAR.glob("*.json"))[:limit]:
        dialogue = json.loads(path.read_text())
        for event in dialogue["Events"]:
            rows.append({
                "conversation_id": f"star-{dialogue['DialogueID']}",
                "sent_at": event["UnixTime"],
                "actor": STAR_ACTORS.get(event["Agent"], "System"),
                "text": event.get("Text", ""),
                "intent": "/".join(dialogue["Scenario"]["Domains"]),
            })
    return rows


def assert_all_accounted(judged, written: int) -> None:
    loaded = int(judged.conversations["n_records"].sum())
    assert judged.records_read == written
    assert loaded + len(judged.quarantine) == written
    assert judged.events.num_rows == loaded  # one event per loaded row


@pytest.mark.skipif(not SGD.exists(), reason=f"SGD reference data not found at {SGD}")
def test_sgd_dialogues_load_completely(tmp_path):
    path = tmp_path / "sgd.csv"
    written = write_flat(path, sgd_rows())
    judged = judge_file(path, path.name, ColumnMap())
    assert_all_accounted(judged, written)
    assert judged.quarantine.empty
    assert len(judged.conversations) == 128


@pytest.mark.skipif(not STAR.is_dir(), reason=f"STAR reference data not found at {STAR}")
def test_star_dialogues_every_row_loaded_or_quarantined(tmp_path):
    path = tmp_path / "star.csv"
    written = write_flat(path, star_rows(limit=150))
    judged = judge_file(path, path.name, ColumnMap())
    assert_all_accounted(judged, written)
    # STAR events are second-resolution: several per second keep their row order.
    events = judged.events.to_pandas().sort_values(["conversation_id", "seq"])
    assert (events.groupby("conversation_id")["sent_at"].diff().dropna() >= 0).all()
    assert len(judged.quarantine) / written < 0.01, judged.quarantine["reason_code"].value_counts()
