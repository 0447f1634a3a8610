"""The judged-file cache: a cached run writes exactly what an uncached one writes, judges
only the files it has no valid entry for, and keeps nothing it should not."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest

from pipelines.config import Paths, Settings, paths
from pipelines.retention import purge_raw_partitions
from pipelines.sources import ingest_days
from pipelines.sources.column_map import ColumnMap
from pipelines.sources.files import SpilledFile
from pipelines.sources.ingest import judge_files
from pipelines.sources.judged_cache import (
    PARTS,
    JudgedFileCache,
    judge_with_cache,
    judging_sources,
)
from pipelines.sources.scratch import IngestBudget
from pipelines.synth.generator import generate
from tests.sources.ingest_helpers import conversation, write_jsonl
from tests.sources.test_ingest_fast_sql import D1, _hostile_day

LENIENT = Settings(quarantine_threshold=1.0)
UNCACHED = Settings(quarantine_threshold=1.0, ingest_cache=False)
DAYS = [D1, D1 + timedelta(days=1)]


class CountingJudge:
    """The in-process judge, remembering which files it was asked to judge."""

    def __init__(self) -> None:
        self.judged: list[str] = []

    def __call__(
        self,
        files: Sequence[Path],
        source_files: Sequence[str],
        column_map: ColumnMap,
        scratch: Path,
        budget: IngestBudget,
    ) -> list[SpilledFile]:
        self.judged.extend(source_files)
        return judge_files(files, source_files, column_map, scratch, budget)


def _day_with_generated_and_corrupt_records(home: Paths, tmp_path: Path) -> None:
    """The hostile fixtures (every quarantine reason, superseded deliveries, flat and
    platform files) plus a generated day with corrupt lines mixed in."""
    _hostile_day(home)
    generated = tmp_path / "generated"
    generate(D1, D1, 150, 7, generated / "landing", generated / "truth")
    lines = next((generated / "landing").rglob("*.jsonl")).read_text().splitlines()
    lines[10:10] = ['{"conversation_id": "broken', "\x00\x01 not json", "[1, 2, 3]"]
    lines[40] = lines[40].replace('"actor": "customer"', '"actor": "alien"', 1)
    write_jsonl(home, D1 + timedelta(days=1), "generated.jsonl", lines, mtime=1_700_000_500)


def _snapshot(home: Paths, report: object) -> tuple[object, ...]:
    """Everything a run leaves: the raw store and quarantine files byte for byte, and
    the report's audit and counts."""
    files = {
        str(path.relative_to(home.raw)): path.read_bytes()
        for path in sorted(home.raw.rglob("*.parquet"))
        if home.ingest_cache not in path.parents
    }
    assert files
    return (
        report.audit,  # type: ignore[attr-defined]
        report.conversations_loaded,  # type: ignore[attr-defined]
        report.events_loaded,  # type: ignore[attr-defined]
        report.files_scanned,  # type: ignore[attr-defined]
        files,
    )


def _run(
    home: Paths, settings: Settings = LENIENT, days: list[date] = DAYS
) -> tuple[object, list[str]]:
    judge = CountingJudge()
    report = ingest_days(home, days, settings, judge=judge)
    return _snapshot(home, report), judge.judged


def _entries(home: Paths) -> list[Path]:
    return sorted(home.ingest_cache.glob("dt=*/*"))


@pytest.fixture
def home(tmp_path: Path) -> Paths:
    layout = paths(tmp_path / "home").ensure()
    _day_with_generated_and_corrupt_records(layout, tmp_path)
    return layout


def test_cached_runs_write_what_an_uncached_run_writes(home: Paths) -> None:
    uncached, judged = _run(home, UNCACHED)
    landed = sorted(str(p.relative_to(home.landing)) for p in home.landing.rglob("*.*"))
    assert sorted(judged) == landed
    assert not home.ingest_cache.exists()
    audit = uncached[0]  # type: ignore[index]
    assert any(row.records_quarantined for row in audit), "the day quarantines records"
    assert sum(uncached[2].values()) > 0, "and loads events"  # type: ignore[index]

    cold, judged = _run(home)
    assert sorted(judged) == landed
    assert len(_entries(home)) == len(landed)
    warm, judged = _run(home)
    assert judged == [], "every file came from the cache"
    assert cold == uncached
    assert warm == uncached
    report = ingest_days(home, DAYS, LENIENT)
    assert report.files_from_cache == report.files_scanned == len(landed)


def _rewrite(path: Path, how: str) -> None:
    before = path.stat()
    text = path.read_text()
    if how == "size":
        path.write_text(text.replace("message 1", "message 1 changed", 1))
    elif how == "mtime":
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    else:  # same size and modification time, other content: only the change time moves
        path.write_text(text.replace("message 1", "message X", 1))
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert path.stat().st_size == before.st_size
    assert "message 1" in text


@pytest.mark.parametrize("how", ["size", "mtime", "same size and mtime"])
def test_a_changed_file_is_judged_again(home: Paths, how: str) -> None:
    _run(home)
    changed = home.landing_day(D1) / "all-seq.jsonl"
    _rewrite(changed, how)
    cached, judged = _run(home)
    assert judged == ["dt=2025-03-01/all-seq.jsonl"]
    # The old entry is gone; the new one serves the next run.
    assert len(_entries(home)) == len(list(home.landing.rglob("*.*")))
    assert _run(home)[1] == []
    uncached, _ = _run(home, UNCACHED)
    assert cached == uncached


def _damage(entry: Path, how: str) -> None:
    part = entry / f"{PARTS[1]}.parquet"
    if how == "flipped byte":
        data = bytearray(part.read_bytes())
        data[len(data) // 2] ^= 0xFF
        part.write_bytes(bytes(data))
    elif how == "truncated part":
        part.write_bytes(part.read_bytes()[:100])
    elif how == "missing part":
        part.unlink()
    elif how == "garbage meta":
        (entry / "meta.json").write_text("{not json")
    else:  # another key's meta
        meta = json.loads((entry / "meta.json").read_text())
        meta["key"]["size"] += 1
        (entry / "meta.json").write_text(json.dumps(meta))


@pytest.mark.parametrize(
    "how", ["flipped byte", "truncated part", "missing part", "garbage meta", "other key"]
)
def test_a_damaged_entry_is_ignored_and_judged_again(home: Paths, how: str) -> None:
    uncached, _ = _run(home, UNCACHED)
    _run(home)
    entries = _entries(home)
    meta = json.loads((entries[0] / "meta.json").read_text())
    _damage(entries[0], how)
    cached, judged = _run(home)
    assert judged == [meta["key"]["source_file"]]
    assert cached == uncached
    assert _run(home)[1] == [], "the damaged entry was replaced"


def test_entries_of_files_no_run_reads_again_are_removed(home: Paths) -> None:
    _run(home)
    vanished = home.landing_day(D1) / "no-seq.jsonl"
    vanished.unlink()
    _run(home)
    sources = {
        json.loads((entry / "meta.json").read_text())["key"]["source_file"]
        for entry in _entries(home)
    }
    assert "dt=2025-03-01/no-seq.jsonl" not in sources
    assert sources == {str(p.relative_to(home.landing)) for p in home.landing.rglob("*.*")}
    # A run of a later day: its nightly reads no folder before day - lookback - 1.
    later = D1 + timedelta(days=LENIENT.landing_lookback_days + 2)
    write_jsonl(home, later, "later.jsonl", [conversation("z-1", f"{later}T10:00:00+00:00")])
    _run(home, days=[later])
    kept = sorted(folder.name for folder in home.ingest_cache.glob("dt=*"))
    assert kept == [f"dt={D1 + timedelta(days=1)}", f"dt={later}"]


def test_the_cache_is_owner_only(home: Paths) -> None:
    previous = os.umask(0o022)
    try:
        _run(home)
    finally:
        os.umask(previous)
    found = [home.ingest_cache, *home.ingest_cache.rglob("*")]
    assert len(found) > len(PARTS)
    for path in found:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_raw_retention_deletes_expired_cache_folders(home: Paths) -> None:
    _run(home)
    folders = sorted(home.ingest_cache.glob("dt=*"))
    assert [f.name for f in folders] == [f"dt={D1}", f"dt={D1 + timedelta(days=1)}"]
    deleted = purge_raw_partitions(home, retention_days=30, today=D1 + timedelta(days=31))
    assert folders[0] in deleted
    assert not folders[0].exists()
    assert folders[1].exists()


def test_turning_the_cache_off_deletes_it(home: Paths) -> None:
    _run(home)
    assert _entries(home)
    _run(home, UNCACHED)
    assert not home.ingest_cache.exists()


def test_hits_and_misses_come_back_in_the_order_of_the_files(home: Paths, tmp_path: Path) -> None:
    """Any judge is wrapped (the Spark engine's too): it sees only the misses."""
    files = sorted(home.landing.rglob("*.*"))
    names = [str(p.relative_to(home.landing)) for p in files]
    cache, budget = JudgedFileCache(home), IngestBudget.from_budget(2048)
    warm = tmp_path / "warm"
    judge_with_cache(cache, judge_files, files[::2], names[::2], ColumnMap(), warm, budget)
    inner = CountingJudge()
    mixed = tmp_path / "mixed"
    cached = judge_with_cache(cache, inner, files, names, ColumnMap(), mixed, budget)
    judged = cached.judged
    assert inner.judged == names[1::2]
    assert cached.from_cache == len(files[::2])
    assert [(f.path, f.source_file) for f in judged] == list(zip(files, names, strict=True))
    fresh = judge_files(files, names, ColumnMap(), tmp_path / "fresh", budget)
    for taken, again in zip(judged, fresh, strict=True):
        assert (taken.records_read, taken.record_kind) == (again.records_read, again.record_kind)
        assert taken.load().quarantine.equals(again.load().quarantine)
    assert sum(len(digests) for digests in cached.digests.values()) == len(files)


def test_another_column_map_is_another_entry(home: Paths, tmp_path: Path) -> None:
    files = sorted(home.landing.rglob("*.csv"))
    names = [str(p.relative_to(home.landing)) for p in files]
    cache, budget = JudgedFileCache(home), IngestBudget.from_budget(2048)
    judge_with_cache(cache, judge_files, files, names, ColumnMap(), tmp_path / "a", budget)
    inner = CountingJudge()
    mapped = ColumnMap(source="acme")
    judge_with_cache(cache, inner, files, names, mapped, tmp_path / "b", budget)
    assert files and inner.judged == names


def test_the_fingerprint_covers_the_judging_code_and_its_data() -> None:
    sources = judging_sources()
    assert sources is not None
    for module in (
        "pipelines.sources.files",
        "pipelines.sources.normalize",
        "pipelines.sources.jsonl_fast",
        "pipelines.pii.detector",  # dimension labels are judged with the PII detector
        "schemas.transcripts",
    ):
        assert module in sources
    assert any(name.endswith("wordlists.json") for name in sources)
    # What runs after the judging is not part of it: editing it keeps the entries.
    assert "pipelines.sources.ingest" not in sources
    assert "pipelines.sources.judged_cache" not in sources
