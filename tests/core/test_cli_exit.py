"""The `closedloop` script exits without the interpreter's teardown (seconds after a
pipeline run) but keeps what an exit does for others: running threads are joined, exit
handlers run, output is flushed, and the exit status is the command's."""

from __future__ import annotations

import subprocess
import sys

import pytest

SCRIPT = """
import atexit, sys, threading, time
import pipelines.cli.main as cli

def command(prog_name):
    atexit.register(lambda: print("exit handler ran"))
    def late():
        time.sleep(0.5)
        print("thread finished")
    threading.Thread(target=late).start()
    print("buffered output", end="")
    sys.exit(EXIT)

cli.app = command
cli.entry()
print("never reached")
"""


@pytest.mark.parametrize(("exit_value", "status"), [("3", 3), ("None", 0), ("'bad input'", 1)])
def test_entry_exits_with_the_command_s_status_after_threads_and_exit_handlers(
    exit_value: str, status: int
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.replace("EXIT", exit_value)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == status
    assert done.stdout.startswith("buffered output")
    assert "thread finished" in done.stdout
    assert "exit handler ran" in done.stdout
    assert "never reached" not in done.stdout
    if status == 1:
        assert "bad input" in done.stderr


def test_the_script_s_usage_errors_keep_their_status() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--start", "x", "--end", "y"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "expected YYYY-MM-DD" in done.stdout + done.stderr
