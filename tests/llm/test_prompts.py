"""Prompt files: parsed, versioned by content, rendered with every placeholder filled."""

from __future__ import annotations

import pytest

from pipelines.judge.llm import PROMPT_FILE
from pipelines.llm.prompts import load_prompt

PROMPT = """---
name: demo
version: 3
---

## system

You judge things. Answer {"verdict": ...}.

## user

Look at {transcript}
"""


def test_repository_prompt_loads():
    prompt = load_prompt(PROMPT_FILE)
    assert prompt.version.startswith("resolution-judge@1+")
    messages = prompt.render(transcript="[0] customer: hi")
    assert messages[0]["role"] == "system" and "JSON" in messages[0]["content"]
    assert messages[1]["content"].endswith("[0] customer: hi")


def test_version_changes_with_the_content(tmp_path):
    path = tmp_path / "p.md"
    path.write_text(PROMPT)
    first = load_prompt(path)
    path.write_text(PROMPT.replace("You judge things.", "You judge conversations."))
    second = load_prompt(path)
    assert first.version.startswith("demo@3+") and second.version.startswith("demo@3+")
    assert first.version != second.version


def test_json_braces_survive_and_missing_values_are_errors(tmp_path):
    path = tmp_path / "p.md"
    path.write_text(PROMPT)
    prompt = load_prompt(path)
    assert '{"verdict": ...}' in prompt.render(transcript="x")[0]["content"]
    with pytest.raises(ValueError, match="transcript"):
        prompt.render()


def test_malformed_prompt_files_are_errors(tmp_path):
    path = tmp_path / "p.md"
    path.write_text("## system\nhi\n")
    with pytest.raises(ValueError, match="front matter"):
        load_prompt(path)
    path.write_text(PROMPT.replace("## user", "## users"))
    with pytest.raises(ValueError, match="section"):
        load_prompt(path)
