"""Messy real dialogue text (SGD, STAR) through the flat CSV format: every row accounted for.

The dialogues are read by path at test time from the shared reference data and
never copied into the repository (``tests/shared_data.py``: skipped when absent,
failed when absent under CI).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd

from pipelines.sources import ColumnMap, judge_file
from tests.shared_data import shared_data

SGD_START = 1_740_787_200  # 2025-03-01T00:00:00Z; SGD turns carry no time of their own
STAR_ACTORS = {"User": "User", "Wizard": "Wizard"}  # anything else is a platform event
CHAT_ACTIONS = {"utter", "pick_suggestion"}


def write_flat(path: Path, rows: list[dict[str, object]]) -> int:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["conversation_id", "sent_at", "actor", "text", "intent"])
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def sgd_rows() -> list[dict[str, object]]:
    rows = []
    for dialogue in json.loads(shared_data("sgd/train/dialogues_001.json").read_text()):
        for turn_number, turn in enumerate(dialogue["turns"]):
            rows.append(
                {
                    "conversation_id": f"sgd-{dialogue['dialogue_id']}",
                    "sent_at": SGD_START + 20 * turn_number,
                    "actor": "user" if turn["speaker"] == "USER" else "assistant",
                    "text": turn["utterance"],
                    "intent": dialogue["services"][0],
                }
            )
    return rows


def star_rows(limit: int, chat_only: bool) -> list[dict[str, object]]:
    """STAR events as flat rows; ``chat_only`` keeps what a chat export would show."""
    rows = []
    for path in sorted(shared_data("star/dialogues").glob("*.json"))[:limit]:
        dialogue = json.loads(path.read_text())
        for event in dialogue["Events"]:
            if chat_only and event["Action"] not in CHAT_ACTIONS:
                continue
            rows.append(
                {
                    "conversation_id": f"star-{dialogue['DialogueID']}",
                    "sent_at": event.get("UnixTime", ""),  # a few events have no time
                    "actor": STAR_ACTORS.get(event["Agent"], "System"),
                    "text": event.get("Text", ""),
                    "intent": "/".join(dialogue["Scenario"]["Domains"]),
                }
            )
    return rows


def assert_all_accounted(judged, written: int) -> None:
    loaded = int(judged.conversations["n_records"].sum())
    assert judged.records_read == written
    assert loaded + len(judged.quarantine) == written
    assert judged.events.num_rows == loaded  # one event per loaded row


def test_sgd_dialogues_load_completely(tmp_path):
    path = tmp_path / "sgd.csv"
    written = write_flat(path, sgd_rows())
    judged = judge_file(path, path.name, ColumnMap())
    assert_all_accounted(judged, written)
    assert judged.quarantine.empty
    assert len(judged.conversations) == 128


def test_star_chat_messages_load_completely(tmp_path):
    path = tmp_path / "star.csv"
    written = write_flat(path, star_rows(limit=150, chat_only=True))
    judged = judge_file(path, path.name, ColumnMap())
    assert_all_accounted(judged, written)
    assert judged.quarantine.empty
    # STAR events are second-resolution: several per second keep their row order.
    events = judged.events.to_pandas().sort_values(["conversation_id", "seq"])
    assert (events.groupby("conversation_id")["sent_at"].diff().dropna() >= pd.Timedelta(0)).all()


def test_star_backend_events_without_time_quarantine_their_conversations(tmp_path):
    # Knowledge-base lookups in STAR carry no timestamp: their conversations are
    # quarantined whole, and every row is still accounted for.
    path = tmp_path / "star_all.csv"
    rows = star_rows(limit=150, chat_only=False)
    written = write_flat(path, rows)
    judged = judge_file(path, path.name, ColumnMap())
    assert_all_accounted(judged, written)
    counts = judged.quarantine["reason_code"].value_counts().to_dict()
    assert set(counts) == {"missing_required_field", "sibling_rejected"}
    assert counts["missing_required_field"] == sum(1 for row in rows if row["sent_at"] == "")


def harper_valley_rows() -> list[dict[str, object]]:
    """Transcribed bank calls as a contact-center export would give them: channel phone,
    the caller and the agent as speakers."""
    rows = []
    for path in sorted(shared_data("harper_valley_bank/data/transcript").glob("*.json")):
        for segment in json.loads(path.read_text()):
            rows.append(
                {
                    "conversation_id": f"hvb-{path.stem}",
                    "sent_at": segment["start_timestamp_ms"] / 1000,
                    "actor": segment["speaker_role"],
                    "text": segment["transcript"],
                    "channel": "phone",
                }
            )
    return rows


def test_harper_valley_calls_load_on_the_voice_channel(tmp_path):
    path = tmp_path / "calls.csv"
    rows = harper_valley_rows()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["conversation_id", "sent_at", "actor", "text", "channel"])
        writer.writeheader()
        writer.writerows(rows)
    judged = judge_file(path, path.name, ColumnMap())
    assert_all_accounted(judged, len(rows))
    assert judged.quarantine.empty
    assert set(judged.conversations["channel"]) == {"voice"}
    assert len(judged.conversations) == len({row["conversation_id"] for row in rows}) == 3
