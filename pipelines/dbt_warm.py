"""A warm dbt for the run's dbt steps: one process imports dbt once, and every dbt
invocation of the run is a fork of it instead of a new interpreter.

A run invokes dbt twice (the judge sits between the two dbt steps), and each
``dbt build`` subprocess spent ~3 CPU s importing dbt-core and its adapter before doing
anything (docs/performance.md, *The fixed cost: what runs while dbt works*). The dbt
resource (``pipelines/defs/dbt.py``) starts :class:`WarmDbt` when the run starts, so the
imports happen once, beside the run's first steps, and runs ``closedloop-dbt`` (the
console script :func:`launch`) as its dbt executable. The launcher hands its arguments,
working directory, environment and standard streams to the warm process, which forks a
child that runs dbt's own command line (``dbt.cli.main.cli``, what the ``dbt`` script
runs) with them; the launcher forwards SIGINT/SIGTERM to the child and exits with its
exit code. dbt's arguments, environment, output and artifacts are the same as a cold
``dbt``'s; when no warm process is announced or it cannot be reached, the launcher
simply executes the venv's ``dbt``.

Stdlib only at import: the launcher starts in a few milliseconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import sys
from pathlib import Path

# Written into a dbt invocation's target folder ($DBT_TARGET_PATH) by the resource: the
# warm process's socket. The launcher finds it there, so nothing is set in os.environ.
ANNOUNCE_FILE = ".warm-dbt-socket"
LAUNCHER = "closedloop-dbt"
_HEADER = 8  # bytes of the request's length, before the JSON request


def venv_dbt() -> str:
    """The venv's own ``dbt`` script, beside this interpreter."""
    return str(Path(sys.executable).with_name("dbt"))


class WarmDbt:
    """The warm dbt process of one run (start, announce per invocation, stop)."""

    def __init__(self, process: object, folder: Path) -> None:
        self._process = process
        self._folder = folder
        self.socket_path = folder / "dbt.sock"

    @classmethod
    def start(cls) -> WarmDbt:
        """Start the warm process: it imports dbt in the background while the run goes
        on; its stdin is this process's pipe, so it exits when this process ends."""
        import subprocess
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="closedloop-dbt-"))  # 0700
        process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.dbt_warm", str(folder / "dbt.sock")],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # The run's process group, as a cold dbt subprocess was: killing the run's
            # group (Ctrl-C, a supervisor's SIGKILL) reaches the warm process and the
            # dbt it forked. A dbt left running after its run was killed would go on
            # writing the warehouse and hold its lock against the next run.
            # dagster-dbt runs dbt with unbuffered output to stream its events; the
            # children inherit the interpreter's setting from this process.
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        return cls(process, folder)

    def announce(self, target: Path) -> None:
        """Tell the launcher of an invocation writing to ``target`` where to connect."""
        target.mkdir(parents=True, exist_ok=True)
        (target / ANNOUNCE_FILE).write_text(str(self.socket_path))

    def stop(self) -> None:
        import shutil
        import subprocess

        process: subprocess.Popen[bytes] = self._process  # type: ignore[assignment]
        if process.stdin is not None:
            process.stdin.close()  # the warm process's signal to exit
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(self._folder, ignore_errors=True)


# ---------------------------------------------------------------- the warm process


def serve(path: str) -> None:
    """Listen on ``path``; for each request fork a child that runs dbt, report its pid
    and then its exit code. Exits when stdin closes (the run process ended)."""
    # A Ctrl-C at the terminal reaches the whole group: the forked dbt takes it (its
    # handler is reset), this process lives on until the run closes its pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    os.chmod(path, 0o600)
    server.listen(1)
    # What every dbt build imports, once (dbt's command line, the DuckDB adapter, the
    # parser and the build task); connections made meanwhile wait in the backlog.
    import dbt.adapters.duckdb
    import dbt.cli.main
    import dbt.parser.manifest
    import dbt.task.build  # noqa: F401

    while True:
        ready, _, _ = select.select([server, sys.stdin], [], [])
        if sys.stdin in ready:
            return  # EOF: the run process closed the pipe or died
        connection, _ = server.accept()
        with connection:
            if not _serve_one(server, connection):
                return


def _serve_one(server: socket.socket, connection: socket.socket) -> bool:
    """Run one request's dbt to its end; False when the run process is gone (the warm
    process then exits)."""
    data, fds, _, _ = socket.recv_fds(connection, 1 << 16, 3)
    if len(fds) != 3 or len(data) < _HEADER:
        for fd in fds:
            os.close(fd)
        return True
    size = int.from_bytes(data[:_HEADER], "big")
    while len(data) < _HEADER + size:
        chunk = connection.recv(1 << 16)
        if not chunk:
            return True
        data += chunk
    request = json.loads(data[_HEADER:])
    pid = os.fork()
    if pid == 0:
        server.close()
        connection.close()
        _run_dbt(request, fds)  # never returns
    for fd in fds:
        os.close(fd)
    connection.sendall(f"{pid}\n".encode())
    status, run_alive = _wait_for(pid, connection)
    with contextlib.suppress(OSError):  # the launcher may be gone
        connection.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
    return run_alive


def _wait_for(pid: int, connection: socket.socket) -> tuple[int, bool]:
    """Wait for the forked dbt; end it when its launcher or the run process goes away
    (the launcher's connection closes, or the run's pipe on stdin: a killed run's dbt
    must not go on writing the warehouse). Its wait status, and whether the run lives."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status, True
        ready, _, _ = select.select([connection, sys.stdin], [], [], 0.2)
        run_gone = sys.stdin in ready and not os.read(sys.stdin.fileno(), 1)
        launcher_gone = connection in ready and not _peek(connection)
        if run_gone or launcher_gone:
            return _end(pid), not run_gone


def _peek(connection: socket.socket) -> bytes:
    try:
        return connection.recv(1, socket.MSG_PEEK)
    except OSError:
        return b""


def _end(pid: int) -> int:
    """SIGTERM, then SIGKILL after 5 s, to the forked dbt; its wait status."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    for _ in range(50):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        select.select([], [], [], 0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


def _run_dbt(request: dict[str, object], fds: list[int]) -> None:
    """In the forked child: become the launcher's dbt process and run dbt's CLI."""
    code = 1
    try:
        for number, fd in enumerate(fds):
            os.dup2(fd, number)
            os.close(fd)
        os.chdir(str(request["cwd"]))
        os.environ.clear()
        os.environ.update(request["env"])  # type: ignore[arg-type]
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        sys.argv = ["dbt", *request["args"]]  # type: ignore[misc]
        from dbt.cli.main import cli

        try:
            cli(prog_name="dbt")  # the name the dbt script's usage messages give
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # the reader may be gone
                stream.flush()
        os._exit(code)


# ---------------------------------------------------------------- the launcher


def launch() -> None:
    """``closedloop-dbt ARGS``: run ``dbt ARGS`` in the run's warm process if one is
    announced in ``$DBT_TARGET_PATH``, else exactly as the venv's ``dbt``."""
    args = sys.argv[1:]
    connection = _connect()
    if connection is None:
        os.execv(venv_dbt(), [venv_dbt(), *args])
    request = json.dumps({"args": args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    try:
        socket.send_fds(connection, [len(request).to_bytes(_HEADER, "big") + request], [0, 1, 2])
        reader = connection.makefile("r")
        pid_line = reader.readline()
    except OSError:
        pid_line = ""
    if not pid_line.strip():  # the warm process is gone before starting dbt: run it cold
        os.execv(venv_dbt(), [venv_dbt(), *args])
    pid = int(pid_line)

    def forward(signum: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    code_line = reader.readline()
    if not code_line.strip():
        sys.stderr.write("closedloop-dbt: the warm dbt process ended during the invocation\n")
        sys.exit(1)
    sys.exit(int(code_line))


def _connect() -> socket.socket | None:
    target = os.environ.get("DBT_TARGET_PATH")
    if not target:
        return None
    try:
        path = (Path(target) / ANNOUNCE_FILE).read_text().strip()
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(path)
    except (OSError, ValueError):
        return None
    return connection


if __name__ == "__main__":
    serve(sys.argv[1])
