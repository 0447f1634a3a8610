"""Hostile landing files through the real `closedloop run` (issue 12, the canary scan).

Each hostile file carries a unique canary. The run goes through ingest, scrub and dbt,
and fails in dbt (a duplicate conversation planted in the warehouse fails dbt's unique
test), on a data home whose path contains a quote. Afterwards no canary may appear
anywhere under the home outside raw/ and landing/ (Dagster's run and event databases, compute logs,
dbt's target and logs, the warehouse), in the repository's dbt target or logs, or in
what the command printed; and everything the run created under the home is owner-only.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.config import Paths, paths
from pipelines.dbt_args import DBT_PROJECT_DIR
from pipelines.warehouse.io import ensure_table
from pipelines.warehouse.tables import SCRUBBED_CONVERSATIONS
from tests.sources.ingest_helpers import FLAT_COLUMNS, conversation, write_jsonl

pytestmark = pytest.mark.e2e

DAY = date(2025, 3, 3)
PLANTED_DAY = date(2025, 3, 1)  # inside the dbt window of a run for DAY
STARTED = "2025-03-03T09:00:00+00:00"
# One per hostile kind, so a hit says which path leaked.
CANARIES = {
    kind: f"zq7{kind}canary"
    for kind in ("csat", "json", "nested", "offset", "csv", "link", "intercom", "zendesk")
}
WAREHOUSE_CANARY = "zq7warehousecanary"


def _plant_landing(home: Paths, outside: Path) -> None:
    good = [conversation(f"good-{i}", STARTED, n_events=3) for i in range(12)]
    good.append(conversation(f"dup-{WAREHOUSE_CANARY}", STARTED))
    bad_csat = conversation(f"c-{CANARIES['csat']}", STARTED, csat_score=4155550143)
    bad_csat["events"][0]["text"] = f"call me {CANARIES['csat']}"
    bad_offset = conversation("offset", STARTED)
    bad_offset["events"][1]["sent_at"] = "2025-03-03T10:00:00+99:00"
    bad_offset["events"][1]["text"] = CANARIES["offset"]
    write_jsonl(
        home,
        DAY,
        "export.jsonl",
        [
            *good,
            bad_csat,
            bad_offset,
            '{"conversation_id": "' + CANARIES["json"] + '", "events": [',
            "[" * 50_000 + json.dumps(CANARIES["nested"]) + "]" * 50_000,
        ],
    )
    folder = home.landing_day(DAY)
    row = dict.fromkeys(FLAT_COLUMNS, "")
    row.update(
        conversation_id="flat-1",
        sent_at=f"not a time {CANARIES['csv']}",
        actor="customer",
        text=CANARIES["csv"],
    )
    (folder / "flat.csv").write_text(
        ",".join(FLAT_COLUMNS) + "\n" + ",".join(row[c] for c in FLAT_COLUMNS) + "\n"
    )
    secret = outside / "secret.csv"
    secret.write_text(f"conversation_id,sent_at,actor,text\n{CANARIES['link']},{STARTED},bot,x\n")
    (folder / "passwd.csv").symlink_to(secret)
    intercom = {
        "type": "conversation.list",
        "conversations": [
            {
                "type": "conversation",
                "id": CANARIES["intercom"],
                "created_at": 1740992400,
                "source": f"chat {CANARIES['intercom']}",
                "contacts": {"contacts": [{"id": "u1"}]},
            }
        ],
    }
    (folder / "intercom.json").write_text(json.dumps(intercom))
    zendesk = {"tickets": [{"id": 9, "created_at": STARTED, "comments": CANARIES["zendesk"]}]}
    (folder / "zendesk.json").write_text(json.dumps(zendesk))


def _plant_duplicate_in_the_warehouse(home: Paths) -> None:
    """A conversation id already in the warehouse on an earlier day: dbt's unique test
    on scrubbed.conversations fails, so the run fails after dbt ran."""
    row = {name: None for name in SCRUBBED_CONVERSATIONS.columns.names}
    row.update(
        partition_date=PLANTED_DAY,
        conversation_id=f"dup-{WAREHOUSE_CANARY}",
        source="test",
        started_at=pa.scalar(1740819600_000_000, pa.timestamp("us", tz="UTC")).as_py(),
    )
    with duckdb.connect(str(home.warehouse)) as con:
        ensure_table(con, SCRUBBED_CONVERSATIONS)
        con.register("planted", pa.Table.from_pylist([row], schema=SCRUBBED_CONVERSATIONS.columns))
        con.execute(f"insert into {SCRUBBED_CONVERSATIONS.name} select * from planted")


def _text_of(path: Path) -> str:
    """What a file holds, readably: DuckDB and Parquet files compress strings."""
    if path.suffix == ".duckdb":
        with duckdb.connect(str(path), read_only=True) as con:
            tables = con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
            return "\n".join(
                str(con.execute(f'select * from "{schema}"."{name}"').fetchall())
                for schema, name in tables
            )
    if path.suffix == ".parquet":
        return str(pq.read_table(path).to_pylist())
    return path.read_bytes().decode("utf-8", errors="replace")


def test_no_canary_leaves_raw_on_a_failing_run(tmp_path: Path) -> None:
    home = paths(tmp_path / "o'brien's home")  # every path reaches SQL with a quote in it
    home.landing.mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    _plant_landing(home, outside)
    home.warehouse_dir.mkdir()
    _plant_duplicate_in_the_warehouse(home)
    started = time.time()
    env = {
        **os.environ,
        "CLOSEDLOOP_HOME": str(home.home),
        "DAGSTER_HOME": str(home.dagster_home),
        "CLOSEDLOOP_PII_KEY": "end-to-end-canary-test-key-0123456789",
        # every hostile record is quarantined and the run goes on to scrub and dbt
        "CLOSEDLOOP_QUARANTINE_THRESHOLD": "1.0",
        "CLOSEDLOOP_QUARANTINE_FILE_THRESHOLD": "warn",
    }
    for name in ("CLOSEDLOOP_CONFIG", "CLOSEDLOOP_ALERT_WEBHOOK"):
        env.pop(name, None)
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("closedloop")),
            "run",
            "--start",
            DAY.isoformat(),
            "--end",
            DAY.isoformat(),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "failed at closedloop_dbt_models" in output
    assert "error" not in output.split("failed at", 1)[1].lower()  # the failure itself is clean
    assert "quarantined" in output and "top reasons" in output  # the per-file summary

    # The canaries were read and quarantined (the link's target never is).
    quarantine = str(pq.read_table(home.quarantine_day(DAY) / "quarantine.parquet").to_pylist())
    assert [kind for kind, c in CANARIES.items() if c not in quarantine] == ["link"]

    # Nowhere outside raw/ (and landing/, where they were delivered), nor in the
    # repository's dbt target and logs, nor the output.
    places = [
        p
        for p in home.home.rglob("*")
        if p.is_file() and home.raw not in p.parents and home.landing not in p.parents
    ]
    places += [
        p
        for folder in (DBT_PROJECT_DIR / "target", DBT_PROJECT_DIR / "logs")
        for p in folder.rglob("*")
        if p.is_file() and p.stat().st_mtime >= started
    ]
    found = {
        str(place): [c for c in CANARIES.values() if c in text]
        for place in places
        for text in [_text_of(place)]
    }
    assert {place: hits for place, hits in found.items() if hits} == {}
    assert [c for c in CANARIES.values() if c in output] == []
    # The warehouse's own value is in the warehouse, and in no log or message.
    assert [p for p in places if p != home.warehouse and WAREHOUSE_CANARY in _text_of(p)] == []
    assert WAREHOUSE_CANARY not in output
    assert any(p.is_relative_to(home.dbt_runs) for p in places)  # dbt ran, under the home

    # Owner-only: folders 0700 (warehouse/ 0711), files 0600.
    loose = [
        f"{p.relative_to(home.home)} {oct(stat.S_IMODE(p.stat().st_mode))}"
        for p in home.home.rglob("*")
        if not p.is_symlink()
        and p != home.warehouse_dir
        and home.landing not in (p, *p.parents)  # what the test delivered
        and stat.S_IMODE(p.stat().st_mode) & 0o077
    ]
    assert loose == []
    assert stat.S_IMODE(home.warehouse_dir.stat().st_mode) == 0o711
