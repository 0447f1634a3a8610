"""Planted values that reach the warehouse through the real run path.

Issue 14's first target: 0 planted values in any warehouse column on held-out
conversations. ``pii_quality.py`` counts the values left in scrubbed user turns; this
bench runs the same STAR dialogues through ``closedloop run`` and searches what an
analyst can read:

1. the STAR dialogues of one ``DialogueID`` half (default: odd, the held-out half)
   become canonical JSONL conversations in a fresh data home (User = customer,
   Wizard = bot, one day, relative timing kept);
2. ``closedloop run`` ingests, scrubs (with the leak gate), builds the marts and
   publishes ``analytics.duckdb``;
3. every text column of every table in ``warehouse.duckdb`` and ``analytics.duckdb``
   is searched for every value the task instructions planted (names, security
   answers, numbers of 4+ digits, as in ``pii_quality.planted_values``), whole words,
   any case. The raw area (``raw/``, owner-only, never published) is not searched.

It prints the hits per table and column, the values found, and whether each was typed
by the customer. Planted values include some that are not personal (a flight ID, a
budget the task makes up), so the count is an upper bound on leaked personal data.

STAR's odd half was read in round 39 and is development data since. ``--set heldout9``
runs the held-out conversations of ``pii_conv_heldout9.py`` instead (support chats with
planted identifiers, written blind on 2026-12-07: the helper never read the PII code,
its tests or docs, and never ran the detector). For that set only counts are printed,
by entity type and slot kind, never a value: a value seen would stop it being held out.

Run: ``.venv/bin/python bench/pii_warehouse_leaks.py [--data ../shared/data] [--half odd]``
     ``.venv/bin/python bench/pii_warehouse_leaks.py --set heldout9 [--conversations 600]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pii_quality import planted_values, star_dialogues

DAY = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
_ACTORS = {"User": "customer", "Wizard": "bot"}


def canonical_conversations(
    dialogues: list[dict],
) -> tuple[list[dict], dict[str, set[str]]]:
    """STAR dialogues as canonical conversations on ``DAY``, and per conversation id the
    planted values its customer typed (the values ``pii_quality`` counts)."""
    conversations: list[dict] = []
    typed: dict[str, set[str]] = {}
    for i, dialogue in enumerate(dialogues):
        turns = [e for e in dialogue["Events"] if e.get("Agent") in _ACTORS and e.get("Text")]
        if not turns:
            continue
        values = {v for v in planted_values(dialogue) if len(v) > 2}
        # no digits of the dialogue's number: they would match planted numbers
        conversation_id = (
            "star-" + hashlib.sha256(str(dialogue["DialogueID"]).encode()).hexdigest()[:16]
        )
        mine = typed.setdefault(conversation_id, set())
        first = turns[0].get("UnixTime") or 0
        start = DAY + timedelta(seconds=20 * i)
        events = []
        for seq, turn in enumerate(turns):
            offset = max(0, (turn.get("UnixTime") or first) - first)
            at = start + timedelta(seconds=min(offset, 3000) + seq)
            events.append(
                {
                    "seq": seq,
                    "sent_at": at.isoformat(),
                    "actor": _ACTORS[turn["Agent"]],
                    "event_type": "message",
                    "text": turn["Text"],
                    "agent_id": None,
                    "payload": None,
                }
            )
            if turn["Agent"] == "User":
                mine |= {
                    v
                    for v in values
                    if re.search(rf"(?<!\w){re.escape(v)}(?!\w)", turn["Text"], re.I)
                }
        end = datetime.fromisoformat(events[-1]["sent_at"]) + timedelta(seconds=1)
        events.append(
            {
                "seq": len(events),
                "sent_at": end.isoformat(),
                "actor": "system",
                "event_type": "closed",
                "text": None,
                "agent_id": None,
                "payload": None,
            }
        )
        conversations.append(
            {
                # no digits of the dialogue's number: they would match planted numbers
                "conversation_id": "star-"
                + hashlib.sha256(str(dialogue["DialogueID"]).encode()).hexdigest()[:16],
                "source": "star",
                "started_at": events[0]["sent_at"],
                "ended_at": end.isoformat(),
                "channel": "web",
                "locale": "en-US",
                "market": "US",
                "customer_id": f"star-user-{i}",
                "bot_version": "star",
                "intent": str(
                    (dialogue["Scenario"].get("Domains") or [None])[0] or "unknown"
                ).lower(),
                "csat_score": None,
                "csat_submitted_at": None,
                "events": events,
            }
        )
    return conversations, typed


def own_values_left_by_kind(
    database: Path, planted: dict[str, list[tuple[str, str, str]]]
) -> tuple[Counter[str], Counter[str]]:
    """Per entity type and per slot kind, the planted values (each counted once per
    conversation) still in some scrubbed event text of their own conversation."""
    by_type: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    texts: dict[str, list[str]] = {}
    con = duckdb.connect(str(database), read_only=True)
    try:
        for conversation_id, text in con.execute(
            "select conversation_id, text from scrubbed.events where text is not null"
        ).fetchall():
            texts.setdefault(conversation_id, []).append(text)
    finally:
        con.close()
    for conversation_id, values in planted.items():
        joined = "\n".join(texts.get(conversation_id, ()))
        for kind, entity, value in set(values):
            if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", joined, re.IGNORECASE):
                by_type[entity] += 1
                by_kind[kind] += 1
    return by_type, by_kind


def own_values_left(database: Path, planted: dict[str, set[str]]) -> Counter[str]:
    """Per actor, the (event, value) pairs where a conversation's own planted value is
    still in its scrubbed event text: the figure ``pii_quality`` prints, through the
    pipeline."""
    left: Counter[str] = Counter()
    con = duckdb.connect(str(database), read_only=True)
    try:
        rows = con.execute(
            "select conversation_id, actor, text from scrubbed.events where text is not null"
        ).fetchall()
    finally:
        con.close()
    for conversation_id, actor, text in rows:
        for value in planted.get(conversation_id, ()):
            if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.IGNORECASE):
                left[actor] += 1
    return left


def search(database: Path, values: set[str]) -> tuple[Counter[str], Counter[str]]:
    """Hits per ``table.column`` and per value, over every text cell."""
    pattern = re.compile(
        r"(?<!\w)(?:"
        + "|".join(sorted(map(re.escape, values), key=len, reverse=True))
        + r")(?!\w)",
        re.IGNORECASE,
    )
    by_column: Counter[str] = Counter()
    by_value: Counter[str] = Counter()
    con = duckdb.connect(str(database), read_only=True)
    try:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type in ('VARCHAR', 'JSON') order by all"
        ).fetchall()
        for schema, table, column in columns:
            cells = con.execute(
                f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
            ).fetchall()
            for (cell,) in cells:
                for m in pattern.finditer(str(cell)):
                    by_column[f"{schema}.{table}.{column}"] += 1
                    by_value[m.group().lower()] += 1
    finally:
        con.close()
    return by_column, by_value


def run_closedloop(home: Path, conversations: list[dict], file_name: str) -> None:
    """Land ``conversations`` as one canonical JSONL file for ``DAY`` in ``home`` and run
    ``closedloop run`` on that day. Prints the return code and seconds only (a failed
    run's output could quote a value: it is written to a file, whose path is printed)."""
    landing = home / "landing" / f"dt={DAY.date()}"
    landing.mkdir(parents=True, exist_ok=True)
    with open(landing / file_name, "w") as handle:
        for conversation in conversations:
            handle.write(json.dumps(conversation) + "\n")
    env = {**os.environ, "CLOSEDLOOP_HOME": str(home)}
    closedloop = Path(sys.executable).with_name("closedloop")
    began = time.perf_counter()
    run = subprocess.run(
        [str(closedloop), "run", "--start", str(DAY.date()), "--end", str(DAY.date())],
        env=env,
        capture_output=True,
        text=True,
    )
    print(f"closedloop run: rc {run.returncode} in {time.perf_counter() - began:.0f} s")
    if run.returncode != 0:
        with tempfile.NamedTemporaryFile(
            "w", prefix="pii-leaks-run-", suffix=".log", delete=False
        ) as log:
            log.write(run.stdout + run.stderr)
        print(f"the run failed: its output is in {log.name}")


def built_databases(home: Path) -> list[tuple[str, Path]]:
    """The warehouse and the analysts' snapshot the run built in ``home`` (a missing one
    is said, not searched)."""
    built = []
    for name in ("warehouse.duckdb", "analytics.duckdb"):
        database = next(home.rglob(name), None)
        if database is None:
            print(f"{name}: not built")
        else:
            built.append((name, database))
    return built


def heldout9(n: int, keep: Path | None) -> None:
    """The held-out conversations through the run path; counts only."""
    from pii_conv_heldout9 import conversations as heldout_conversations

    conversations, planted = heldout_conversations(n)
    planted_total = Counter(entity for values in planted.values() for _, entity, _ in set(values))
    print(
        f"held-out set 9: {len(conversations)} conversations, "
        f"{sum(len(c['events']) for c in conversations)} events; planted values (once per "
        f"conversation) by type: {dict(sorted(planted_total.items()))}"
    )
    every_value = {value for values in planted.values() for _, _, value in values}
    with tempfile.TemporaryDirectory(prefix="pii-leaks-") as tmp:
        home = keep or Path(tmp) / "home"
        run_closedloop(home, conversations, "heldout9.jsonl")
        for name, database in built_databases(home):
            by_type, by_kind = own_values_left_by_kind(database, planted)
            print(
                f"\n{name}: planted values still in their own conversation's scrubbed events: "
                f"{sum(by_type.values())} of {sum(planted_total.values())}"
            )
            print(f"  by type: {dict(sorted(by_type.items()))}")
            print(f"  by slot kind: {dict(sorted(by_kind.items()))}")
            by_column, by_value = search(database, every_value)
            print(
                f"  any planted value in any text column (an upper bound: security answers "
                f"are common words): {sum(by_column.values())} hits in "
                f"{len(by_column)} columns, {len(by_value)} distinct values"
            )
            for column, hits in by_column.most_common():
                print(f"    {column}: {hits}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--half", choices=("odd", "even"), default="odd")
    parser.add_argument("--keep", type=Path, help="build the home here and keep it")
    parser.add_argument("--set", choices=("star", "heldout9"), default="star")
    parser.add_argument(
        "--conversations", type=int, default=600, help="conversations of --set heldout9"
    )
    args = parser.parse_args()
    if args.set == "heldout9":
        heldout9(args.conversations, args.keep)
        return
    half = 1 if args.half == "odd" else 0
    dialogues = [d for d in star_dialogues(args.data) if d["DialogueID"] % 2 == half]
    conversations, planted = canonical_conversations(dialogues)
    typed = set().union(*planted.values())
    typed_pairs = sum(
        1
        for conversation in conversations
        for event in conversation["events"]
        if event["actor"] == "customer"
        for value in planted[conversation["conversation_id"]]
        if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", event["text"], re.IGNORECASE)
    )
    print(
        f"STAR {args.half} half: {len(conversations)} conversations; {typed_pairs} "
        f"(customer event, planted value) pairs, {len(typed)} distinct values"
    )
    with tempfile.TemporaryDirectory(prefix="pii-leaks-") as tmp:
        home = args.keep or Path(tmp) / "home"
        run_closedloop(home, conversations, "star.jsonl")
        for name, database in built_databases(home):
            left = own_values_left(database, planted)
            print(
                f"\n{name}: scrubbed.events rows still holding their own conversation's "
                f"planted value, by actor: {dict(left)}"
            )
            by_column, by_value = search(database, typed)
            print(
                f"any planted value of any conversation, in any text column (an upper "
                f"bound): {sum(by_value.values())} distinct cells, {len(by_value)} distinct "
                f"values of {len(typed)}"
            )
            for column, hits in by_column.most_common():
                print(f"  {column}: {hits}")
            print(f"  values: {dict(by_value.most_common())}")


if __name__ == "__main__":
    main()
