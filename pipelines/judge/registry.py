"""The judge named in settings, built from values the caller loaded (no settings read here)."""

from __future__ import annotations

from pathlib import Path

from pipelines.judge.base import Judge
from pipelines.judge.learned import LearnedJudge
from pipelines.judge.llm import LLMJudge
from pipelines.judge.signals import SignalsJudge
from pipelines.llm.client import ChatClient

JUDGE_NAMES = ("signals", "learned", "llm")


def make_judge(
    name: str,
    *,
    model_dir: Path | None = None,
    llm_client: ChatClient | None = None,
    llm_sample_rate: float = 1.0,
) -> Judge:
    """``signals`` needs nothing; ``learned`` needs ``model_dir`` (and raises
    ``LearnedJudgeUnavailable`` until a model is trained there); ``llm`` needs a client."""
    if name == "signals":
        return SignalsJudge()
    if name == "learned":
        if model_dir is None:
            raise ValueError("judge 'learned' needs the model directory")
        return LearnedJudge(model_dir)
    if name == "llm":
        if llm_client is None:
            raise ValueError("judge 'llm' needs llm_base_url and llm_model in the settings")
        return LLMJudge(llm_client, sample_rate=llm_sample_rate)
    raise ValueError(f"unknown judge {name!r}; known: {', '.join(JUDGE_NAMES)}")
