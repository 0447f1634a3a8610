"""The landing zone as ingest sees it: which entries a run reads and how a file is opened.

Landing folders are filled by people and other systems, so nothing in them is trusted.
Only regular files are read, never through a symlink (a link would pull ``/etc/passwd``
or another home's unscrubbed raw data into this home), and never by name through DuckDB,
which expands ``[ab].csv`` or ``*.csv`` as a pattern and reads other files: each file is
opened here once, checked on the open descriptor, and readers get ``/dev/fd/N``.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from pipelines.config import Paths

SUPPORTED_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv", ".csv.gz", ".parquet", ".json")
_DAY_FOLDER = re.compile(r"^dt=(\d{4}-\d{2}-\d{2})$")


class NotARegularFile(OSError):
    """A landing entry that is a symlink, FIFO, socket, device or folder link."""


def is_supported_name(name: str) -> bool:
    return name.lower().endswith(SUPPORTED_SUFFIXES)


def day_of_folder(name: str) -> date | None:
    """The delivery day a landing folder is named for (``dt=YYYY-MM-DD``), else None."""
    match = _DAY_FOLDER.match(name)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:  # dt=2025-02-30
        return None


def landing_day(paths: Paths, path: Path) -> date | None:
    """The delivery day of an entry inside ``landing/dt=YYYY-MM-DD/`` (or of that folder
    itself, refused when it is a link); None for a stray entry directly in ``landing/``
    or in a folder not named for a real day."""
    return day_of_folder(path.relative_to(paths.landing).parts[0])


def day_entries(folder: Path) -> list[Path]:
    """What a landing day folder delivers: its supported regular files (sub-folders
    included) and every entry that is not a regular file or folder (symlinks, FIFOs,
    sockets, devices), which ingest refuses as ``not_a_regular_file`` rather than
    ignoring them silently. Nothing is followed through a link."""
    if folder.is_symlink():
        return [folder]
    if not folder.is_dir():
        return []
    found: list[Path] = []
    # A sub-folder that cannot be listed is kept as an entry: opening it fails, and it
    # is quarantined as unreadable instead of skipped.
    for root, dirs, files in os.walk(
        folder, followlinks=False, onerror=lambda error: found.append(Path(error.filename))
    ):
        for name in dirs:
            if os.path.islink(os.path.join(root, name)):
                found.append(Path(root, name))
        for name in files:
            path = Path(root, name)
            mode = path.lstat().st_mode
            if not stat.S_ISREG(mode) or is_supported_name(name):
                found.append(path)
    return found


def landing_entries(paths: Paths, days: list[date]) -> list[Path]:
    """Every entry of the landing folders of ``days``, in delivery order: modification
    time (of the entry itself, not a link's target), then path."""
    found: list[Path] = []
    for day in days:
        found.extend(day_entries(paths.landing_day(day)))
    return sorted(found, key=lambda p: (p.lstat().st_mtime_ns, str(p)))


def all_landing_entries(paths: Paths) -> Iterator[Path]:
    """Entries of every ``dt=`` folder named for a real day; stray files directly in
    ``landing/`` and other folders belong to no delivery day and are not read."""
    if not paths.landing.is_dir():
        return
    for child in sorted(paths.landing.iterdir()):
        if day_of_folder(child.name) is not None:
            yield from day_entries(child)


@dataclass(frozen=True)
class LandingFile:
    """A landing file opened for reading; ``name`` (its real name) picks the adapter."""

    name: str
    fd: int

    @property
    def reader_path(self) -> str:
        """A path naming exactly this open file, with no pattern characters, for DuckDB."""
        return f"/dev/fd/{self.fd}"

    def stream(self) -> BinaryIO:
        """The file's bytes from the start; close it after use (the descriptor stays)."""
        os.lseek(self.fd, 0, os.SEEK_SET)
        return os.fdopen(os.dup(self.fd), "rb")

    def head(self, n_bytes: int) -> bytes:
        return os.pread(self.fd, n_bytes, 0)


@contextmanager
def open_landing_file(path: Path) -> Iterator[LandingFile]:
    """Open a landing file without following a symlink or blocking on a FIFO.

    Raises NotARegularFile for anything but a regular file, checked on the opened
    descriptor so the entry cannot be swapped between the check and the read.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotARegularFile(errno.ELOOP, "a symbolic link") from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO, socket or device"
            raise NotARegularFile(errno.EINVAL, kind)
        yield LandingFile(path.name, fd)
    finally:
        os.close(fd)
