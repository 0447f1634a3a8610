"""A cache of judged landing files: an unchanged file is judged once, not once per run.

A nightly run for day N reads the landing folders N-1-lookback .. N+lookback, so every
file is read by several runs; judging it (parse, validate, normalize, the contract) is
most of the ingest step's CPU. :func:`judge_with_cache` wraps any judge (the local one,
or the Spark engine's): a file with a valid entry is taken from the cache, the others go
to the judge, and each fresh judgment is stored for the next run. Everything after the
judging (latest delivery wins, the counts, the raw store) is unchanged, and an entry is
the judge's own Parquet output, so a cached run writes what an uncached one writes.

An entry's key is everything its judgment depends on (:class:`EntryKey`): the file's path
under landing/, its signature (modification time and size, the change detector of the
sensors, plus the inode and its change time, which every write moves and no copy tool
can restore), the column map, the ingest budget and the judging code's fingerprint
(:func:`judge_fingerprint`). Entries hold unscrubbed records: the cache folder is
owner-only, an entry is built in the run's scratch folder and renamed into place (a
killed run leaves no half entry), checked against its recorded sizes and SHA-256
digests before use (a damaged one is re-judged, never used and never fatal), and pruned
by every run that uses it (:meth:`JudgedFileCache.prune`) and by raw retention
(``pipelines.retention``). docs/ingestion.md, "Judged-file cache".
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipelines.config import OWNER_FILE_MODE, Paths, restricted_dir
from pipelines.pii import native
from pipelines.sources.column_map import ColumnMap
from pipelines.sources.files import SpilledFile
from pipelines.sources.landing import day_of_folder, landing_day
from pipelines.sources.scratch import IngestBudget

# The layout of an entry; bumped when it changes. Changes to what a judgment holds are
# caught by judge_fingerprint without a bump.
CACHE_FORMAT = 1
# What a judge spills per file (SpilledFile.part), all kept.
PARTS = ("conversations", "events", "quarantine", "records")
META = "meta.json"
# The module whose import closure is the judging code (judge_to_folder and all it uses).
_JUDGING_MODULE = "pipelines.sources.files"
_FIRST_PARTY = ("pipelines", "schemas")

Judge = Callable[[Sequence[Path], Sequence[str], ColumnMap, Path, IngestBudget], list[SpilledFile]]


@functools.cache
def judge_fingerprint() -> str | None:
    """A digest of the judging code (:func:`judging_sources`) with :data:`CACHE_FORMAT`
    and the Python version. Derived rather than a constant bumped by hand, so a change to
    the judging code can never reuse an entry judged by the old code (any edit of those
    files, even a comment, retires every entry: one night judges all its files again).
    None when a module's source cannot be read: the cache is then not used."""
    sources = judging_sources()
    if sources is None:
        return None
    digest = hashlib.sha256(f"{CACHE_FORMAT}\n{sys.version}\n".encode())
    for name in sorted(sources):
        digest.update(f"{name}\n{len(sources[name])}\n".encode() + sources[name])
    return digest.hexdigest()


def judging_sources() -> dict[str, bytes] | None:
    """What a judgment depends on besides its inputs, by name: the source of every
    first-party module the judging module imports, directly or not, the data files beside
    them (the PII detector's word lists and patterns: dimension labels are judged with
    it), and the versions of the libraries they import (``libraries``)."""
    sources: dict[str, bytes] = {}
    libraries: set[str] = set()
    todo = [_JUDGING_MODULE]
    while todo:
        name = todo.pop()
        if name in sources:
            continue
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is not None and not origin.endswith(".py") and native.active():
            # A module of the compiled PII engine: the source it was compiled from.
            compiled_from = native.compiled_source(name)
            origin = str(compiled_from) if compiled_from is not None else None
        if origin is None or not origin.endswith(".py"):
            return None
        try:
            sources[name] = Path(origin).read_bytes()
            for data in sorted(Path(origin).parent.iterdir()):
                if data.suffix not in (".py", ".pyc") and data.is_file():
                    sources[str(data)] = data.read_bytes()
        except OSError:
            return None
        for imported in _imports(sources[name].decode()):
            top = imported.split(".")[0]
            if top in _FIRST_PARTY:
                todo.append(imported)
            elif top not in sys.stdlib_module_names:
                libraries.add(top)
    versions = sorted(f"{library}=={_version(library)}" for library in libraries)
    sources["libraries"] = "\n".join(versions).encode()
    return sources


# An import statement; a regular expression rather than the syntax tree, which cost ~0.7 s
# for the ~0.5 MB of the closure. A docstring line that reads like an import only adds a
# name to the digest (over-invalidating, never under).
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<module>[\w.]+)[ \t]+import[ \t]+(?P<names>\([^)]*\)|.*)"
    r"|import[ \t]+(?P<modules>.*))",
    re.MULTILINE,
)


def _imports(source: str) -> set[str]:
    """The modules ``source`` imports; ``from pkg import name`` counts as ``pkg.name``
    when that is a first-party module (so ``from pipelines.sources import reasons`` is
    the reasons module, not the whole package), else as ``pkg``."""
    found: set[str] = set()
    for match in _IMPORT.finditer(source):
        module, names, modules = match.group("module", "names", "modules")
        if modules is not None:
            found.update(_names(modules))
        elif module.split(".")[0] in _FIRST_PARTY:
            for name in _names(names.strip("()")):
                candidate = f"{module}.{name}"
                found.add(candidate if _is_module(candidate) else module)
        else:
            found.add(module)
    return found


def _names(listing: str) -> list[str]:
    """``a as b, c  # comment`` -> ``[a, c]``."""
    cleaned = re.sub(r"#[^\n]*", "", listing)
    return [part.split()[0] for part in cleaned.split(",") if part.split()]


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ModuleNotFoundError, ValueError):  # the parent is a module, not a package
        return False


def _version(library: str) -> str:
    """A library's version: its ``__version__``, else its distribution's."""
    version = getattr(sys.modules.get(library), "__version__", None)
    if isinstance(version, str):
        return version
    try:
        return importlib.metadata.version(library)
    except importlib.metadata.PackageNotFoundError:
        return "?"


@dataclass(frozen=True)
class EntryKey:
    """Everything one file's judgment depends on."""

    fingerprint: str
    source_file: str  # the path under landing/
    mtime_ns: int
    size: int
    inode: int
    ctime_ns: int
    column_map: str
    budget: str

    @property
    def digest(self) -> str:
        fields = json.dumps(dataclasses.asdict(self), sort_keys=True)
        return hashlib.sha256(fields.encode()).hexdigest()[:40]

    def same_file(self, path: Path) -> bool:
        """Whether ``path`` still has the signature this key was made with."""
        signature = _signature(path)
        return signature is not None and signature == (
            self.mtime_ns,
            self.size,
            self.inode,
            self.ctime_ns,
        )


def _signature(path: Path) -> tuple[int, int, int, int] | None:
    try:
        stat = path.lstat()  # never through a link: ingest refuses links, and so keys them
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns


def _file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _link_or_copy(source: Path, target: Path) -> None:
    """``target`` the same file as ``source``: a hard link (no copy; the cache and the
    scratch folder are both in the data home), a copy across file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
        target.chmod(OWNER_FILE_MODE)


@dataclass(frozen=True)
class JudgedFileCache:
    """The cache folder of a data home: ``<folder>/dt=YYYY-MM-DD/<key digest>/`` per
    judged landing file of that delivery day, with the judge's Parquet parts and
    ``meta.json`` (the key, the file's counts, each part's size and SHA-256)."""

    paths: Paths

    @property
    def folder(self) -> Path:
        return self.paths.ingest_cache

    def key(
        self, path: Path, source_file: str, column_map: ColumnMap, budget: IngestBudget
    ) -> EntryKey | None:
        """The key of a landing file as it is now; None when it cannot be cached (it
        vanished, it is outside the day folders, or the judging code is unreadable)."""
        fingerprint = judge_fingerprint()
        signature = _signature(path)
        if fingerprint is None or signature is None or self.day_of(path) is None:
            return None
        mtime_ns, size, inode, ctime_ns = signature
        return EntryKey(
            fingerprint=fingerprint,
            source_file=source_file,
            mtime_ns=mtime_ns,
            size=size,
            inode=inode,
            ctime_ns=ctime_ns,
            column_map=json.dumps(dataclasses.asdict(column_map), sort_keys=True),
            budget=json.dumps(dataclasses.asdict(budget), sort_keys=True),
        )

    def day_of(self, path: Path) -> date | None:
        """The delivery day of a landing file; None outside the day folders."""
        try:
            return landing_day(self.paths, path)
        except ValueError:  # not under landing/
            return None

    def _entry(self, path: Path, key: EntryKey) -> Path:
        day = self.day_of(path)
        assert day is not None, "keys are made only for files of a day folder"
        return self.folder / f"dt={day.isoformat()}" / key.digest

    def load(self, path: Path, key: EntryKey, folder: Path) -> SpilledFile | None:
        """The cached judgment of ``path``, its parts linked into ``folder``; None when
        there is no entry, or it is damaged (then it is removed, to be replaced)."""
        entry = self._entry(path, key)
        if not entry.is_dir():
            return None
        try:
            meta = json.loads((entry / META).read_text())
            if meta["key"] != dataclasses.asdict(key):
                raise ValueError("the entry is not this key's")
            restricted_dir(folder)
            for part in PARTS:
                _link_or_copy(entry / f"{part}.parquet", folder / f"{part}.parquet")
                # Checked on the linked file: entries are replaced, never rewritten, so
                # the bytes checked are the bytes the run reads.
                linked = folder / f"{part}.parquet"
                recorded = meta["parts"][part]
                if linked.stat().st_size != recorded["size"]:
                    raise ValueError("a part's size changed")
                if _file_digest(linked) != recorded["sha256"]:
                    raise ValueError("a part's digest changed")
            return SpilledFile(
                path=path,
                source_file=key.source_file,
                record_kind=str(meta["record_kind"]),
                records_read=int(meta["records_read"]),
                folder=folder,
            )
        except (OSError, ValueError, KeyError, TypeError):
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(entry, ignore_errors=True)
            return None

    def store(self, key: EntryKey, judged: SpilledFile, staging: Path) -> None:
        """Keep a fresh judgment: built in ``staging`` (the run's scratch folder), then
        renamed into place, so no reader ever sees half an entry; a concurrent run that
        stored the same key first wins. Only when the file is still as it was keyed
        (a file rewritten while it was judged is not stored). Never fails the run."""
        if not key.same_file(judged.path):
            return
        entry = self._entry(judged.path, key)
        built = staging / key.digest
        try:
            restricted_dir(built)
            parts = {}
            for part in PARTS:
                source = judged.part(part)
                source.chmod(OWNER_FILE_MODE)
                _link_or_copy(source, built / f"{part}.parquet")
                parts[part] = {"size": source.stat().st_size, "sha256": _file_digest(source)}
            meta = {
                "key": dataclasses.asdict(key),
                "record_kind": judged.record_kind,
                "records_read": judged.records_read,
                "parts": parts,
            }
            (built / META).write_text(json.dumps(meta, sort_keys=True))
            (built / META).chmod(OWNER_FILE_MODE)
            restricted_dir(entry.parent)
            os.rename(built, entry)
        except OSError:  # a concurrent run's entry is in place, a full disk...
            shutil.rmtree(built, ignore_errors=True)

    def prune(self, oldest_day: date, current: dict[date, set[str]]) -> None:
        """Remove the day folders before ``oldest_day`` (no future nightly reads them)
        and, in each folder of ``current``, the entries whose digest is not listed there
        (files that vanished, changed, or were judged under another key)."""
        if not self.folder.is_dir():
            return
        for day_folder in self.folder.iterdir():
            day = day_of_folder(day_folder.name)
            if day is None or not day_folder.is_dir():
                continue
            if day < oldest_day:
                shutil.rmtree(day_folder, ignore_errors=True)
            elif day in current:
                try:
                    for entry in day_folder.iterdir():
                        if entry.name not in current[day]:
                            shutil.rmtree(entry, ignore_errors=True)
                    if not any(day_folder.iterdir()):
                        day_folder.rmdir()
                except OSError:  # a concurrent run stored or pruned in it: the next run prunes
                    continue

    def clear(self) -> None:
        """Remove the whole cache (the setting turned it off: nothing unscrubbed is kept)."""
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True)
class CachedJudgment:
    """The outcomes of every file, in the order of the files; the entry digests of the
    files read, per delivery day (what :meth:`JudgedFileCache.prune` keeps); how many
    files were taken from the cache."""

    judged: list[SpilledFile]
    digests: dict[date, set[str]]
    from_cache: int


def judge_with_cache(
    cache: JudgedFileCache,
    judge: Judge,
    files: Sequence[Path],
    source_files: Sequence[str],
    column_map: ColumnMap,
    scratch: Path,
    budget: IngestBudget,
) -> CachedJudgment:
    """``judge(files, ...)`` with the cache in front: files with a valid entry are taken
    from it (linked into ``scratch/cached/<order>``), the rest are judged in one call of
    ``judge`` (into ``scratch/judged/``) and stored."""
    restricted_dir(cache.folder)
    out: list[SpilledFile | None] = [None] * len(files)
    keys: dict[int, EntryKey] = {}
    current: dict[date, set[str]] = {}
    for order, (path, source_file) in enumerate(zip(files, source_files, strict=True)):
        key = cache.key(path, source_file, column_map, budget)
        if key is None:
            continue
        keys[order] = key
        day = cache.day_of(path)
        assert day is not None
        current.setdefault(day, set()).add(key.digest)
        out[order] = cache.load(path, key, scratch / "cached" / str(order))
    misses = [order for order, spilled in enumerate(out) if spilled is None]
    if misses:
        fresh = judge(
            [files[order] for order in misses],
            [source_files[order] for order in misses],
            column_map,
            restricted_dir(scratch / "judged"),
            budget,
        )
        staging = restricted_dir(scratch / "cache-staging")
        for order, spilled in zip(misses, fresh, strict=True):
            out[order] = spilled
            if order in keys:
                cache.store(keys[order], spilled, staging)
    judged = [spilled for spilled in out if spilled is not None]
    return CachedJudgment(judged, current, len(files) - len(misses))
