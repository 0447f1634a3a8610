"""One writer per data home: an exclusive lock file that names its holder.

Two ``closedloop run`` of one home would both ingest (writing raw files under the same
temporary names) and one would then fail on DuckDB's lock halfway. A run therefore takes
``<home>/.closedloop.lock`` before it writes anything and releases it when it ends.

filelock's ``MarkerSoftFileLock`` does the work: the lock file records the holder's pid,
host and process start token, and a lock whose holder process is dead on this host
(``kill -9``, a crash, a reboot) is broken by the next run, while a live holder (even
one reusing a dead holder's pid) is not. A lock held from another host cannot be
checked from here: the message says how to remove it by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import MarkerSoftFileLock, Timeout

from pipelines.config import Paths

LOCK_NAME = ".closedloop.lock"


class HomeInUse(RuntimeError):
    """Another live process holds the data home's lock."""


class HomeNotWritable(RuntimeError):
    """The data home (or its lock file) cannot be created or written."""


def lock_path(paths: Paths) -> Path:
    return paths.home / LOCK_NAME


@contextmanager
def exclusive_home(paths: Paths) -> Iterator[None]:
    """Hold the data home's lock for the ``with`` block, or raise at once:
    :class:`HomeInUse` naming the holder, :class:`HomeNotWritable` with the reason."""
    path = lock_path(paths)
    lock = MarkerSoftFileLock(path, timeout=0, mode=0o600)
    try:
        paths.home.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise HomeInUse(_held_message(lock, path)) from None
    except OSError as error:
        raise HomeNotWritable(
            f"cannot write the data home {paths.home}: {error.strerror or type(error).__name__}; "
            "point --home / CLOSEDLOOP_HOME at a writable directory or fix its permissions"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _held_message(lock: MarkerSoftFileLock, path: Path) -> str:
    owner = lock.owner
    holder = f"process {owner.pid} on host {owner.hostname}" if owner else "another process"
    return (
        f"the data home {path.parent} is in use by {holder} (lock file {path}); two runs of "
        "one home would interleave their writes. Wait for it to finish. A holder that died "
        "on this host is detected and its lock taken over automatically; if the holder was "
        f"on another host and is gone, delete {path}."
    )
