"""The read-only snapshot analysts query.

DuckDB allows one writing process per file. The pipeline owns ``warehouse.duckdb``;
analysts get ``analytics.duckdb``, a complete copy swapped in with an atomic rename,
so an open analyst session keeps reading the old file's inode and is never blocked.

Every night most of the warehouse is what it was the night before (the run rewrites
its window's days), so the new snapshot starts as a byte copy of the previous one and
only what differs is rewritten (:func:`_update`): tables whose definition changed, or
are new, are copied whole; tables that vanished are dropped; in the others, rows are
compared a group at a time (the table's first DATE column, preferring
``partition_date``: a day) by a fingerprint, the row count and the sum of the rows'
64-bit hashes, and in the groups that differ only the rows that differ (matched by
their hash) are deleted and copied again. The warehouse's fingerprints are stored in
the snapshot (``FINGERPRINT_TABLE``): the next publish compares against them without
reading the previous snapshot's rows. Each publish computes them again for every
group (one read of the warehouse), or, in the nightly run (``trust_journal``), only
for the groups the warehouse's journal of changes marks since the snapshot's, those
whose row count changed, and a few more in turn; the others keep the snapshot's
(``pipelines.warehouse.journal``: the read of all history was the one cost of a night
that grew with it). The snapshot is written only here, so they describe it
exactly. A change goes unnoticed only if a group's rows change while its count and
hash sum stay equal, or a changed row takes the hash of another row of its group:
about 2**-64 per pair of rows. A list of plain values is hashed with its length, other
nested values as their JSON text (DuckDB's ``hash`` confuses NULL with ``[]`` and
``[[1], [2]]`` with ``[[1, 2]]``: ``_row_hash``); values DuckDB
holds equal but spells apart (``0.0`` and ``-0.0``, ``interval '1 month'`` and
``'30 days'``, text under a case-insensitive collation) may keep the older spelling. Views are dropped and created again from the
warehouse's definitions, schemas follow the warehouse's.

The snapshot's checkpoint does not vacuum. DuckDB's vacuum rewrote every row group
from the first one holding a deleted row on, and every night deletes rows of the
window's days: at 30 nights it was most of the publish (docs/performance.md). A
deleted row stays in its row group instead, so a table whose deleted rows would pass
``_MAX_DEAD_SHARE`` of the rows it stores is copied whole.

Without a previous snapshot, or one DuckDB cannot open, one without fingerprints (or
from another DuckDB version), one whose file is mostly free blocks left by rewritten
rows (``_MAX_FREE_SHARE``: the full copy compacts it), or a warehouse holding an
object this does not mirror (sequences, macros, types, indexes, comments), the whole
warehouse is copied (``copy from database``), as every publish did before.

The byte copy itself grows with history (every night the whole previous snapshot was
copied and fsynced: 1.07 GB after 30 nights of 100k conversations a day). So the
snapshot a publish replaces is kept, readable by the owner alone, as the *spare*
(``.analytics.duckdb.spare``), and the next publish updates the spare in place instead
of copying: it differs from the warehouse by two publishes' groups, and its own stored
fingerprints describe it. Analysts may still be reading it (it was ``analytics.duckdb``
until the last publish), so the publish renames it away and asks the kernel for a write
lease on it, which is granted only when no process (this one included) has the file
open; otherwise, or where leases are unknown, the spare is dropped (readers keep the
inode) and the current snapshot is copied as before. DuckDB's own lock would not do: a
reader's POSIX lock goes when its process closes any other descriptor of the file,
never conflicts within one process, and a ``cp`` takes none. The snapshot so takes
twice its size on disk (three times while a reader holds the spare).
"""

from __future__ import annotations

import fcntl
import glob
import os
import shutil
import stat
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from pipelines.warehouse.journal import RECHECKED_DAYS, group_column, table_columns
from pipelines.warehouse.tables import CHANGE_JOURNAL

SNAPSHOT_TABLE = "_closedloop_snapshot"
# Each table's row groups' fingerprints as published: the next publish compares the
# warehouse against these instead of reading the previous snapshot's rows again.
FINGERPRINT_TABLE = "_closedloop_fingerprints"
_OWN_TABLES = {("main", SNAPSHOT_TABLE), ("main", FINGERPRINT_TABLE)}
_TMP_PREFIX = ".{name}."
# The snapshot the last publish replaced, kept for the next publish to update in place.
_SPARE_NAME = ".{name}.spare"
_WAREHOUSE = "wh"
# Above this share of a table's rows differing, the table is copied whole: cheaper than
# deleting most of it, and it leaves no deleted rows behind in the file.
_WHOLE_TABLE_SHARE = 0.5
# Above this share of a table's rows in changed groups, it is copied whole without
# matching rows (a table rewritten, a first night).
_ALL_GROUPS_SHARE = 0.9
# Rewritten rows leave free blocks in the copied file, which later writes reuse; above
# this share of free blocks the snapshot is built by a full copy again, which compacts it.
_MAX_FREE_SHARE = 0.4
# A table of the snapshot whose deleted rows would exceed this share of the rows it
# stores is copied whole instead (scans read deleted rows too). The snapshot's
# checkpoint does not vacuum (see _try_incremental), so this bounds the dead rows.
_MAX_DEAD_SHARE = 0.25


@dataclass(frozen=True)
class Snapshot:
    path: Path
    run_id: str
    built_at: datetime
    tables: int
    # "incremental": built from the previous snapshot; "full": the whole warehouse copied.
    mode: str = "full"
    # Incremental only: tables copied whole (new, redefined, or mostly changed) and the
    # groups (days) of the other tables copied again.
    tables_copied: int = 0
    groups_copied: int = 0
    # Incremental only: started from the spare (updated in place) rather than a byte copy.
    from_spare: bool = False


class _NotMirrored(Exception):
    """The warehouse holds a catalog object the incremental update does not mirror."""


@dataclass
class _Changes:
    tables: int = 0
    groups: int = 0
    from_spare: bool = False


def publish_snapshot(
    warehouse: Path,
    analytics: Path,
    run_id: str | None = None,
    duckdb_settings: Mapping[str, str] | None = None,
    incremental: bool = True,
    trust_journal: bool = False,
) -> Snapshot:
    """Build a copy of the warehouse in a new file and atomically swap it in as ``analytics``.

    A failure at any point leaves the previous snapshot untouched: the new file is
    built under a temporary name in the same directory and only renamed when complete.
    With ``incremental`` (the default) the new file starts as a copy of the previous
    snapshot and only what differs from the warehouse is rewritten (module docstring);
    the result holds the same tables, columns and rows as a full copy.
    ``duckdb_settings`` (memory_limit, threads: ``pipelines.config.duckdb_limits``) bound
    the copy's DuckDB; None leaves DuckDB's defaults. With ``trust_journal`` (the
    nightly run) only the days the warehouse's journal of changes marks, whose row
    count changed, or that are due to be checked again are read to compare
    (``pipelines.warehouse.journal``); without it, every day of every table.
    """
    run_id = run_id or uuid.uuid4().hex
    built_at = datetime.now(UTC)
    remove_leftovers(analytics)
    tmp = analytics.with_name(f"{_TMP_PREFIX.format(name=analytics.name)}{uuid.uuid4().hex}.tmp")
    config = dict(duckdb_settings or {})
    link: Path | None = None
    try:
        built = (
            _try_incremental(analytics, warehouse, tmp, config, trust_journal)
            if incremental and analytics.exists()
            else None
        )
        con, changes = (
            built if built is not None else (duckdb.connect(str(tmp), config=config), None)
        )
        try:
            if changes is None:
                # A parameter, not a quoted literal: a home path may contain a quote.
                con.execute(f"attach ? as {_WAREHOUSE} (read_only)", [str(warehouse)])
                snap = _database_name(con)
                journal = _journal_position(con)
                con.execute(f"copy from database {_WAREHOUSE} to {_quote(snap)}")
                _fingerprint_warehouse(
                    con,
                    {k: v for k, v in _tables(con, _WAREHOUSE).items() if k not in _OWN_TABLES},
                )
                _store_fingerprints(con, snap, _Position(journal, 0))
                con.execute(f"detach {_WAREHOUSE}")
            con.execute(
                f"create or replace table main.{SNAPSHOT_TABLE} as "
                "select ?::varchar as run_id, ?::timestamptz as built_at",
                [run_id, built_at],
            )
            tables = con.execute(
                "select count(*) from information_schema.tables "
                "where table_type = 'BASE TABLE' and table_name <> ?",
                [FINGERPRINT_TABLE],
            ).fetchone()[0]
            con.execute("checkpoint")
        finally:
            con.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        # The snapshot being replaced gets a second name, a .tmp one until the swap is
        # done: a publish killed in between leaves a leftover, never a spare that is
        # still analytics.duckdb. After a full copy (no snapshot, an unreadable one)
        # the one replaced is no start for the next publish either.
        link = _link_for_spare(analytics) if changes is not None else None
        if changes is None:
            _remove(spare_path(analytics))
        os.replace(tmp, analytics)
        analytics.chmod(0o644)
        if link is not None:
            _keep_as_spare(link, analytics)
    finally:
        _remove(tmp)
        if link is not None:
            link.unlink(missing_ok=True)  # an interrupted swap: no second name left
    return Snapshot(
        path=analytics,
        run_id=run_id,
        built_at=built_at,
        tables=int(tables),
        mode="full" if changes is None else "incremental",
        tables_copied=0 if changes is None else changes.tables,
        groups_copied=0 if changes is None else changes.groups,
        from_spare=changes is not None and changes.from_spare,
    )


def remove_leftovers(analytics: Path) -> list[Path]:
    """Delete the temporary files of earlier publishes that were killed mid-copy (the
    ``.tmp`` database and its ``.tmp.wal``); returns them. Publishes never overlap (the
    warehouse pool, the data home's lock), so any such file is an orphan."""
    prefix = _TMP_PREFIX.format(name=analytics.name)
    leftovers = [
        path
        for path in analytics.parent.glob(f"{glob.escape(prefix)}*")
        if path.name.endswith((".tmp", ".tmp.wal"))
    ]
    for path in leftovers:
        path.unlink(missing_ok=True)
    return leftovers


def spare_path(analytics: Path) -> Path:
    """Where the snapshot the last publish replaced is kept (module docstring)."""
    return analytics.with_name(_SPARE_NAME.format(name=analytics.name))


def _link_for_spare(analytics: Path) -> Path | None:
    """A second name for the snapshot about to be replaced (a ``.tmp`` leftover name
    until the swap is done); None without one (a file system without hard links: the
    next publish copies, as before)."""
    prefix = _TMP_PREFIX.format(name=analytics.name)
    link = analytics.with_name(f"{prefix}spare.{uuid.uuid4().hex}.tmp")
    try:
        os.link(analytics, link)
    except OSError:
        return None
    return link


def _keep_as_spare(link: Path, analytics: Path) -> None:
    """After the swap: the replaced snapshot, now named only by ``link``, becomes the
    spare (replacing an older one), readable by the owner alone; an analyst's open
    session keeps reading it, a new one cannot open it."""
    try:
        link.chmod(0o600)
        os.replace(link, spare_path(analytics))
    except OSError:
        link.unlink(missing_ok=True)


def _nobody_has_open(fd: int) -> bool:
    """Whether no other open file description of the file exists, in any process
    (this one included): the kernel grants a write lease only then. DuckDB's own lock
    is not enough: a reader's POSIX lock goes when its process closes any other
    descriptor of the file, and locks never conflict within one process; a reader
    without DuckDB (a backup's ``cp``) takes none. Where leases are unknown (not
    Linux, a network file system) this says no, and the spare is not used."""
    set_lease = getattr(fcntl, "F_SETLEASE", None)
    if set_lease is None:
        return False
    try:
        fcntl.fcntl(fd, set_lease, fcntl.F_WRLCK)
    except OSError:
        return False
    fcntl.fcntl(fd, set_lease, fcntl.F_UNLCK)
    return True


def _open_spare(
    analytics: Path, tmp: Path, config: dict[str, str]
) -> duckdb.DuckDBPyConnection | None:
    """The spare renamed to ``tmp`` and opened read-write; None when there is none, or
    it must not or cannot be written (:func:`_may_write`, or not a database). The name
    is then removed (whoever reads it keeps the inode) and the caller copies the current
    snapshot. Once renamed, nobody can newly open it: the name is random and the folder
    cannot be listed by others."""
    try:
        os.rename(spare_path(analytics), tmp)
    except OSError:
        return None
    if _may_write(tmp):
        try:
            return duckdb.connect(str(tmp), config=config)
        except duckdb.Error:
            pass
    _remove(tmp)
    return None


def _may_write(path: Path) -> bool:
    """A regular file with this one name (not a link, not also analytics.duckdb) that no
    process has open (an analyst's session, a copy in progress)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        status = os.fstat(fd)
        private = stat.S_ISREG(status.st_mode) and status.st_nlink == 1
        return private and _nobody_has_open(fd)
    finally:
        os.close(fd)


def _remove(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    Path(f"{tmp}.wal").unlink(missing_ok=True)


def _try_incremental(
    analytics: Path, warehouse: Path, tmp: Path, config: dict[str, str], trust_journal: bool
) -> tuple[duckdb.DuckDBPyConnection, _Changes] | None:
    """Bring the spare (or else a byte copy of the previous snapshot), as ``tmp``, up to
    the warehouse: the open connection and what was copied; None (and no ``tmp``) when
    that is not possible and the caller must copy the whole warehouse."""
    # No vacuum in this connection's checkpoints (module docstring), from the moment it
    # opens: DuckDB's vacuum rewrote every row group from the first one holding a
    # deleted row on, every night (the window's days), most of a 30-night snapshot's
    # publish. _copy_differing_groups bounds the deleted rows instead.
    config = {**config, "max_vacuum_tasks": "0"}
    con = _open_spare(analytics, tmp, config)
    from_spare = con is not None
    if con is None:
        try:
            shutil.copyfile(analytics, tmp)
            con = duckdb.connect(str(tmp), config=config)
        except (OSError, duckdb.Error):
            _remove(tmp)
            return None
    try:
        snap = _database_name(con)
        total, free = con.execute(
            "select total_blocks, free_blocks from pragma_database_size() where database_name = ?",
            [snap],
        ).fetchone()
        if free > _MAX_FREE_SHARE * total:
            raise _NotMirrored("mostly free space: compacted by a full copy")
        con.execute(f"attach ? as {_WAREHOUSE} (read_only)", [str(warehouse)])
        con.execute("begin")
        changes = _update(con, snap, trust_journal)
        changes.from_spare = from_spare
        con.execute("commit")
        # Outside the transaction: a view over a view not created yet fails and is retried.
        _create_views(con, snap)
        con.execute(f"use {_name(snap)}")
        con.execute(f"detach {_WAREHOUSE}")
    except (_NotMirrored, duckdb.Error):
        # Whatever stops the update (a previous snapshot DuckDB can open but not read,
        # an object not mirrored) leaves the full copy, which fails on its own if the
        # warehouse is the problem.
        con.close()
        _remove(tmp)
        return None
    except BaseException:
        con.close()
        raise
    return con, changes


def _update(con: duckdb.DuckDBPyConnection, snap: str, trust_journal: bool) -> _Changes:
    """Make database ``snap`` hold what the attached warehouse holds (module docstring)."""
    for catalog in (_WAREHOUSE, snap):
        _refuse_unmirrored(con, catalog)
    changes = _Changes()
    views = con.execute(
        "select schema_name, view_name from duckdb_views() "
        "where database_name = ? and not internal",
        [snap],
    ).fetchall()
    for schema, view in views:
        con.execute(f"drop view {_name(snap, schema, view)}")
    wanted_schemas = _schemas(con, _WAREHOUSE)
    for schema in sorted(wanted_schemas - _schemas(con, snap)):
        con.execute(f"create schema {_name(snap, schema)}")
    source = {key: sql for key, sql in _tables(con, _WAREHOUSE).items() if key not in _OWN_TABLES}
    target = {key: sql for key, sql in _tables(con, snap).items() if key not in _OWN_TABLES}
    previous = _read_previous_fingerprints(con, snap)
    position = _Position(_journal_position(con), previous.turn + 1)
    marked = _marked_days(con, previous.journal, position.journal) if trust_journal else None
    _fingerprint_warehouse(con, source, marked, previous.turn)
    for key in sorted(set(target) - set(source)):
        con.execute(f"drop table {_name(snap, *key)}")
    for key, sql in sorted(source.items()):
        if target.get(key) != sql:
            _copy_table(con, snap, key, sql, replace=key in target)
            changes.tables += 1
        else:
            copied = _copy_differing_groups(con, snap, key)
            if copied is None:
                _copy_table(con, snap, key, sql, replace=True)
                changes.tables += 1
            else:
                changes.groups += copied
    for schema in sorted(_schemas(con, snap) - wanted_schemas):
        con.execute(f"drop schema {_name(snap, schema)} cascade")
    _store_fingerprints(con, snap, position)
    return changes


@dataclass(frozen=True)
class _Position:
    """What a snapshot's fingerprints record besides the groups': the last entry of the
    warehouse's journal they cover (its seq and the time it was recorded, which tells
    that journal from one a rebuilt or restored warehouse started again; None: unknown),
    and how many publishes of this file have taken their turn of days to check (the next
    takes the next ``RECHECKED_DAYS`` of each table in order)."""

    journal: tuple[int, datetime | None] | None
    turn: int


def _read_previous_fingerprints(con: duckdb.DuckDBPyConnection, snap: str) -> _Position:
    """The previous snapshot's fingerprints into ``_publish_previous``, and its position
    (journal None: a snapshot written before the journal); _NotMirrored when it has
    none, or they come from another DuckDB version (whose hash may differ)."""
    columns = {
        name
        for (name,) in con.execute(
            "select column_name from duckdb_columns() where database_name = ? "
            "and schema_name = 'main' and table_name = ?",
            [snap, FINGERPRINT_TABLE],
        ).fetchall()
    }
    if not columns:
        raise _NotMirrored("no fingerprints")
    recorded = {"checked_at", "journal_seq", "journal_recorded_at", "recheck_turn"} <= columns
    kept = (
        "checked_at, journal_seq, journal_recorded_at, recheck_turn"
        if recorded
        else "null::timestamptz as checked_at, null::bigint as journal_seq, "
        "null::timestamptz as journal_recorded_at, 0 as recheck_turn"
    )
    con.execute(
        "create or replace temp table _publish_previous as "
        f"select schema_name, table_name, k, n, h, duckdb_version, {kept} "
        f"from {_name(snap, 'main', FINGERPRINT_TABLE)}"
    )
    versions = con.execute("select distinct duckdb_version from _publish_previous").fetchall()
    if versions and versions != [(duckdb.__version__,)]:
        raise _NotMirrored("fingerprints of another DuckDB version")
    seq, recorded_at, turn = con.execute(
        "select max(journal_seq), max(journal_recorded_at), coalesce(max(recheck_turn), 0) "
        "from _publish_previous"
    ).fetchone()
    return _Position(None if seq is None else (seq, recorded_at), turn)


def _journal_position(con: duckdb.DuckDBPyConnection) -> tuple[int, datetime | None] | None:
    """The last entry of the attached warehouse's journal of changes: its seq (0: none
    yet) and when it was recorded; None when the warehouse has no journal (written
    before it existed)."""
    schema, table = CHANGE_JOURNAL.name.split(".", 1)
    if (schema, table) not in _tables(con, _WAREHOUSE):
        return None
    found = con.execute(
        f"select seq, recorded_at from {_name(_WAREHOUSE, schema, table)} order by seq desc limit 1"
    ).fetchone()
    return (int(found[0]), found[1]) if found else (0, None)


def _marked_days(
    con: duckdb.DuckDBPyConnection,
    previous: tuple[int, datetime | None] | None,
    current: tuple[int, datetime | None] | None,
) -> dict[tuple[str, str], list[tuple[date | None, date | None]]] | None:
    """What the journal marks changed since the previous snapshot's entry: per table,
    (first, last) day ranges, None for an open end, (None, None) for the whole table.
    None when the journal cannot say, and every day is read: no journal, a snapshot
    from before it, or a journal that is not the one the snapshot saw (behind it, or
    with another entry at its position: a warehouse rebuilt or restored from a copy,
    whose journal started again; found by review)."""
    if previous is None or current is None or current[0] < previous[0]:
        return None
    schema, table = CHANGE_JOURNAL.name.split(".", 1)
    journal = _name(_WAREHOUSE, schema, table)
    previous_seq, previous_recorded_at = previous
    if previous_seq > 0:
        found = con.execute(
            f"select recorded_at from {journal} where seq = ?", [previous_seq]
        ).fetchall()
        if found != [(previous_recorded_at,)]:
            return None
    marked: dict[tuple[str, str], list[tuple[date | None, date | None]]] = {}
    for name, first, last in con.execute(
        f"select table_name, first_day, last_day from {journal} where seq > ? order by seq",
        [previous_seq],
    ).fetchall():
        table_schema, _, table_name = name.partition(".")
        marked.setdefault((table_schema, table_name), []).append((first, last))
    return marked


def _fingerprint_warehouse(
    con: duckdb.DuckDBPyConnection,
    tables: dict[tuple[str, str], str],
    marked: dict[tuple[str, str], list[tuple[date | None, date | None]]] | None = None,
    turn: int = 0,
) -> None:
    """Every warehouse table's groups (days): row count and the sum of the rows' 64-bit
    hashes, into the temporary table ``_publish_current``. Without ``marked``, one read
    of the warehouse; with it (the journal's marks since the previous snapshot), only
    the groups :func:`_groups_to_read` names are read and the others' fingerprints are
    the previous snapshot's, which matched the warehouse and which nothing changed."""
    con.execute(
        "create or replace temp table _publish_current (schema_name varchar, "
        "table_name varchar, k date, n bigint, h hugeint, checked_at timestamptz)"
    )
    for key in sorted(tables):
        columns, group = _columns(con, key)
        key_column = f"{_quote(group)}::date" if group else "null::date"
        row_hash = _row_hash(columns, alias=None)
        source = _name(_WAREHOUSE, *key)
        groups = (
            _groups_to_read(con, key, group, marked.get(key, []), turn)
            if marked is not None and group is not None
            else None
        )
        if groups is None:
            where = ""
        elif groups:
            where = f"where {_in_groups(group, groups)}"
        else:
            where = "where false"
        con.execute(
            f"insert into _publish_current select ?, ?, {key_column}, count(*), "
            f"sum({row_hash}), now() from {source} {where} group by all",
            list(key),
        )
        if groups is not None:
            con.execute(
                "insert into _publish_current "
                "select schema_name, table_name, k, n, h, checked_at from _publish_previous as p "
                "where schema_name = ? and table_name = ? "
                "and not exists (select 1 from _publish_reread as r where r.k is not distinct from p.k)",
                list(key),
            )


def _groups_to_read(
    con: duckdb.DuckDBPyConnection,
    key: tuple[str, str],
    group: str,
    marks: list[tuple[date | None, date | None]],
    turn: int,
) -> list[date | None] | None:
    """The groups of a table whose fingerprints must be computed again (in
    ``_publish_reread``): those the journal marks, those whose row count differs from
    the previous snapshot's (new, emptied, or changed by a write the journal missed),
    and ``RECHECKED_DAYS`` more in turn: the file's ``turn``-th nightly publish takes
    the next ones in order (each file, snapshot or spare, counts its own: the two
    alternate, and a turn shared by both would leave half of the days to each when a
    table holds a multiple of four days; found by review), so every day is checked
    within 2 x days / RECHECKED_DAYS nights. None: every group (a
    table marked whole, or one the previous snapshot holds no fingerprints of)."""
    if any(first is None and last is None for first, last in marks):
        return None
    known = con.execute(
        "select count(*) from _publish_previous where schema_name = ? and table_name = ? "
        "and checked_at is not null",
        list(key),
    ).fetchone()[0]
    if not known:
        return None
    con.execute(
        f"create or replace temp table _publish_counts as select {_quote(group)}::date as k, "
        f"count(*) as n from {_name(_WAREHOUSE, *key)} group by all"
    )
    ranges = " or ".join("k between coalesce(?::date, k) and coalesce(?::date, k)" for _ in marks)
    con.execute(
        f"""
        create or replace temp table _publish_reread as
        select coalesce(c.k, p.k) as k
        from _publish_counts as c
        full outer join (
            select k, n from _publish_previous where schema_name = ? and table_name = ?
        ) as p on c.k is not distinct from p.k
        where c.n is distinct from p.n
        union
        select k from _publish_counts where {ranges or "false"}
        union
        select k from (
            select
                k,
                row_number() over (order by k nulls first) - 1 as position,
                count(*) over () as groups
            from _publish_previous where schema_name = ? and table_name = ?
        )
        where (position - ? % groups + groups) % groups < {RECHECKED_DAYS}
        """,
        [*key, *[day for mark in marks for day in mark], *key, turn * RECHECKED_DAYS],
    )
    return [k for (k,) in con.execute("select k from _publish_reread order by k").fetchall()]


def _in_groups(group: str, groups: list[date | None]) -> str:
    """SQL: the row's ``group`` is one of ``groups`` (None: NULL); a literal list, which
    DuckDB's scan checks against each row group's min and max."""
    days = [f"date '{day.isoformat()}'" for day in groups if day is not None]
    parts = [f"{_quote(group)} in ({', '.join(days)})"] if days else []
    if len(days) < len(groups):
        parts.append(f"{_quote(group)} is null")
    return "(" + " or ".join(parts) + ")"


def _store_fingerprints(con: duckdb.DuckDBPyConnection, snap: str, position: _Position) -> None:
    """The warehouse's fingerprints, which the snapshot now matches, for the next publish,
    with the journal entry they cover and the file's turn."""
    seq, recorded_at = position.journal if position.journal is not None else (None, None)
    con.execute(
        f"create or replace table {_name(snap, 'main', FINGERPRINT_TABLE)} as "
        "select *, ?::varchar as duckdb_version, ?::bigint as journal_seq, "
        "?::timestamptz as journal_recorded_at, ?::bigint as recheck_turn from _publish_current",
        [duckdb.__version__, seq, recorded_at, position.turn],
    )
    for temporary in (
        "_publish_current",
        "_publish_previous",
        "_publish_groups",
        "_publish_old",
        "_publish_new",
        "_publish_counts",
        "_publish_reread",
    ):
        con.execute(f"drop table if exists {temporary}")


def _refuse_unmirrored(con: duckdb.DuckDBPyConnection, catalog: str) -> None:
    probes = {
        "sequences": "select count(*) from duckdb_sequences() where database_name = ?",
        "macros": "select count(*) from duckdb_functions() where database_name = ? "
        "and not internal",
        "types": "select count(*) from duckdb_types() where database_name = ? and not internal",
        "indexes": "select count(*) from duckdb_indexes() where database_name = ?",
        "comments": "select count(*) from duckdb_columns() where database_name = ? "
        "and comment is not null",
        "table comments": "select count(*) from duckdb_tables() where database_name = ? "
        "and comment is not null",
        "view comments": "select count(*) from duckdb_views() where database_name = ? "
        "and comment is not null",
    }
    for kind, probe in probes.items():
        if con.execute(probe, [catalog]).fetchone()[0]:
            raise _NotMirrored(kind)


def _schemas(con: duckdb.DuckDBPyConnection, catalog: str) -> set[str]:
    rows = con.execute(
        "select schema_name from duckdb_schemas() where database_name = ? and not internal",
        [catalog],
    ).fetchall()
    return {row[0] for row in rows}


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[tuple[str, str], str]:
    """(schema, table) -> the table's CREATE statement (columns, types, order, constraints)."""
    rows = con.execute(
        "select schema_name, table_name, sql from duckdb_tables() "
        "where database_name = ? and not internal and not temporary",
        [catalog],
    ).fetchall()
    return {(schema, table): sql for schema, table, sql in rows}


def _copy_table(
    con: duckdb.DuckDBPyConnection, snap: str, key: tuple[str, str], sql: str, replace: bool
) -> None:
    if replace:
        con.execute(f"drop table {_name(snap, *key)}")
    con.execute(f"use {_name(snap)}")
    con.execute(sql)  # the warehouse's own CREATE TABLE, unqualified by catalog
    con.execute(f"insert into {_name(snap, *key)} select * from {_name(_WAREHOUSE, *key)}")


def _copy_differing_groups(
    con: duckdb.DuckDBPyConnection, snap: str, key: tuple[str, str]
) -> int | None:
    """Bring the groups of rows whose fingerprints differ up to the warehouse; the number
    of groups, or None when the whole table should be copied instead.

    Within those groups only the rows that differ are deleted and inserted
    (:func:`_differing_rows`): a nightly's window changes a few of its days' rows (a
    recontact found, an outcome settled), and a deleted row is dead weight in the file
    until the table is rewritten. The table is copied whole when most of it changed, or
    when the update would leave more than ``_MAX_DEAD_SHARE`` of its stored rows deleted."""
    columns, group = _columns(con, key)
    source, target = _name(_WAREHOUSE, *key), _name(snap, *key)
    con.execute(
        """
        create or replace temp table _publish_groups as
        select coalesce(w.k, s.k) as k, coalesce(w.n, 0) as n, coalesce(s.n, 0) as n_before
        from (select * from _publish_current where schema_name = $1 and table_name = $2) as w
        full outer join (
            select * from _publish_previous where schema_name = $1 and table_name = $2
        ) as s on w.k is not distinct from s.k
        where w.n is distinct from s.n or w.h is distinct from s.h
        """,
        list(key),
    )
    count, rows, rows_before = con.execute(
        "select count(*), coalesce(sum(n), 0), coalesce(sum(n_before), 0) from _publish_groups"
    ).fetchone()
    if count == 0:
        return 0
    total = con.execute(
        "select coalesce(sum(n), 0) from _publish_current where schema_name = ? and table_name = ?",
        list(key),
    ).fetchone()[0]
    # Whole when the changed groups are nearly the table (matching rows would read it
    # all twice); else by the rows that differ, below: a 13-day window's recontacts and
    # finality touch most days of a young table while changing a fifth of its rows,
    # and by group share fct_conversations was copied whole every night from 14 to 22
    # of a 100k/day warehouse (3.2 s of a 5.8 s publish on night 19).
    if group is None or rows > _ALL_GROUPS_SHARE * total:
        return None
    matches = "exists (select 1 from _publish_groups as g where g.k is not distinct from r.{})"
    in_groups = matches.format(_quote(group))
    stored, live = _stored_and_live_rows(con, snap, key)
    if stored - live > _MAX_DEAD_SHARE * (stored + rows):
        return None  # over the bound whatever the rows' matching finds: skip it
    by_rows = _differing_rows(con, columns, source, target, in_groups)
    deleted, inserted = by_rows if by_rows is not None else (rows_before, rows)
    if inserted > _WHOLE_TABLE_SHARE * total:
        return None
    if stored - live + deleted > _MAX_DEAD_SHARE * (stored + inserted):
        return None
    if by_rows is None:
        con.execute(f"delete from {target} as r where {in_groups}")
        con.execute(f"insert into {target} select * from {source} as r where {in_groups}")
    else:
        row_hash = _row_hash(columns)
        con.execute(
            f"delete from {target} where rowid in "
            "(select rid from _publish_old as o anti join _publish_new as n on o.h = n.h)"
        )
        con.execute(
            f"insert into {target} select * from {source} as r "
            f"where {in_groups} and {row_hash} not in (select h from _publish_old)"
        )
    con.execute("drop table if exists _publish_old")
    con.execute("drop table if exists _publish_new")
    return int(count)


def _differing_rows(
    con: duckdb.DuckDBPyConnection,
    columns: list[tuple[str, str]],
    source: str,
    target: str,
    in_groups: str,
) -> tuple[int, int] | None:
    """The rows of the changed groups that differ, matched by their 64-bit hash (as the
    fingerprints are): the snapshot's rows without an equal warehouse row, by rowid, in
    ``_publish_old``'s anti join with ``_publish_new``, and the count of rows to delete
    and to insert. None (match the whole groups instead) when a hash repeats on either
    side, where matching by hash alone would not count copies of one row, or when a
    column named ``rowid`` hides DuckDB's."""
    if "rowid" in (name.lower() for name, _ in columns):
        return None
    row_hash = _row_hash(columns)
    con.execute(
        "create or replace temp table _publish_old as "
        f"select rowid as rid, {row_hash} as h from {target} as r where {in_groups}"
    )
    con.execute(
        "create or replace temp table _publish_new as "
        f"select {row_hash} as h from {source} as r where {in_groups}"
    )
    repeated = con.execute(
        "select (select count(*) - count(distinct h) from _publish_old) "
        "+ (select count(*) - count(distinct h) from _publish_new)"
    ).fetchone()[0]
    if repeated:
        return None
    deleted, inserted = con.execute(
        "select (select count(*) from _publish_old as o anti join _publish_new as n on o.h = n.h), "
        "(select count(*) from _publish_new as n anti join _publish_old as o on o.h = n.h)"
    ).fetchone()
    return int(deleted), int(inserted)


def _stored_and_live_rows(
    con: duckdb.DuckDBPyConnection, snap: str, key: tuple[str, str]
) -> tuple[int, int]:
    """The rows the snapshot's table stores, deleted ones included (DuckDB's
    ``estimated_size``: a deleted row stays in its row group until the table is
    rewritten), and its live rows as the previous publish fingerprinted them."""
    stored = con.execute(
        "select estimated_size from duckdb_tables() "
        "where database_name = ? and schema_name = ? and table_name = ?",
        [snap, *key],
    ).fetchone()[0]
    live = con.execute(
        "select coalesce(sum(n), 0) from _publish_previous where schema_name = ? and table_name = ?",
        list(key),
    ).fetchone()[0]
    return int(stored), int(live)


def _columns(
    con: duckdb.DuckDBPyConnection, key: tuple[str, str]
) -> tuple[list[tuple[str, str]], str | None]:
    """The table's columns in order (name, type), and the one its rows are grouped by:
    its ``partition_date`` column, else its first DATE column, else None (one group)."""
    columns = table_columns(con, _WAREHOUSE, *key)
    return columns, group_column(columns)


def _row_hash(columns: list[tuple[str, str]], alias: str | None = "r") -> str:
    """The 64-bit hash of a row, for the fingerprints and for matching rows. DuckDB's
    ``hash`` gives NULL, ``[]`` and ``[NULL]`` one hash, ``[[1], [2]]`` and ``[[1, 2]]``
    another, and ``([1], [2])`` the hash of ``([1, 2], [])`` in two list columns. A list
    of plain values is hashed with its length, which tells those apart (every list of
    up to four elements from NULL, 0, 1, 2, alone and in pairs of columns, hashes apart:
    tests/core/test_publish_incremental.py); any other nested value (a list of lists, a
    fixed-size array, struct, map, union) as its JSON text, which costs 2.5x as much: on
    night 31 of a 100k/day warehouse, 0.73 CPU-s for the judgements' two lists as JSON
    against 0.28 with their lengths."""
    prefix = f"{alias}." if alias else ""
    parts = []
    for name, data_type in columns:
        column = f"{prefix}{_quote(name)}"
        if _flat_list(data_type):
            parts.append(f"{column}, len({column})")
        elif _nested(data_type):
            parts.append(f"to_json({column})")
        else:
            parts.append(column)
    return f"hash({', '.join(parts)})"


def _nested(data_type: str) -> bool:
    return data_type.endswith("]") or data_type.startswith(("STRUCT", "MAP", "UNION"))


def _flat_list(data_type: str) -> bool:
    """A variable-length list of plain values (``VARCHAR[]``, ``INTEGER[]``), not a list
    of lists, a fixed-size array (``INTEGER[3]``) or a list of structs."""
    return data_type.endswith("[]") and not _nested(data_type[:-2])


def _create_views(con: duckdb.DuckDBPyConnection, snap: str) -> None:
    """The warehouse's views; one over a view not created yet is retried after the others
    (DuckDB's catalog order is not the order they depend on each other)."""
    pending = con.execute(
        "select schema_name, sql from duckdb_views() where database_name = ? and not internal "
        "order by schema_name, view_name",
        [_WAREHOUSE],
    ).fetchall()
    while pending:
        failed = []
        for schema, sql in pending:
            try:
                con.execute(f"use {_name(snap, schema)}")
                con.execute(sql)
            except duckdb.CatalogException:
                failed.append((schema, sql))
        if len(failed) == len(pending):
            raise _NotMirrored("views")
        pending = failed


def _name(*parts: str) -> str:
    return ".".join(_quote(part) for part in parts)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _database_name(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_database()").fetchone()[0]
