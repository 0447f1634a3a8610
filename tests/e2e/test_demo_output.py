"""`closedloop demo` prints progress and a summary, not library noise; the full log,
dbt's lines included, is in a file under the home."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
CLI = Path(sys.executable).with_name("closedloop")


def test_the_demo_terminal_shows_progress_and_where_to_look(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    # No CLOSEDLOOP_* settings or key: the demo creates its home and its PII key file.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOSEDLOOP_")}
    result = subprocess.run(
        [str(CLI), "demo", "--days", "1", "--per-day", "30", "--home", str(home)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    terminal = result.stdout + result.stderr
    assert result.returncode == 0, terminal[-3000:]
    for noise in ("Warning", " START ", " PASS ", "Incident(", "datetime.date("):
        assert noise not in terminal, noise
    assert "1/3 generating" in terminal and "3/3 done" in terminal
    assert "Where to look" in terminal and str(home / "reports") in terminal
    log = Path(re.search(r"full log of the run:\s+(\S+)", terminal).group(1))  # type: ignore[union-attr]
    assert log.is_relative_to(home) and log.is_file()
    text = log.read_text()
    assert 'Finished execution of run for "nightly"' in text  # the whole run, off the terminal
    # dbt's own lines (one per model and test) are kept off the terminal, in its log
    # under the home (issue 12 #6: owner-only, never the repo's dbt_project/logs).
    dbt_logs = list((home / "dbt").rglob("dbt.log"))
    assert dbt_logs and any(" PASS " in path.read_text() for path in dbt_logs)
    # a new home's PII key is created (and logged) by the scrub step, not elsewhere
    created = [line for line in text.splitlines() if "created a new PII" in line]
    assert len(created) == 1 and " scrubbed_transcripts " in created[0], created
