"""Building the configured judge."""

from __future__ import annotations

import pytest

from pipelines.judge.learned import LearnedJudgeUnavailable
from pipelines.judge.registry import make_judge
from pipelines.llm.client import ChatClient, LLMSettings


def test_each_name_builds_its_judge(tmp_path):
    assert make_judge("signals").name == "signals"
    client = ChatClient(LLMSettings(base_url="http://127.0.0.1:9/v1", model="m"))
    llm = make_judge("llm", llm_client=client, llm_sample_rate=0.1)
    assert (llm.name, llm.sample_rate) == ("llm", 0.1)
    with pytest.raises(LearnedJudgeUnavailable, match="no trained model"):
        make_judge("learned", model_dir=tmp_path)


def test_missing_pieces_and_unknown_names_are_clear_errors():
    with pytest.raises(ValueError, match="model directory"):
        make_judge("learned")
    with pytest.raises(ValueError, match="llm_base_url"):
        make_judge("llm")
    with pytest.raises(ValueError, match="known: signals, learned, llm"):
        make_judge("oracle")
