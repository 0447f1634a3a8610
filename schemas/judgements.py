"""The contract of a judge's output: one row per conversation and judge.

Here rather than in ``pipelines.judge`` because two owners share it: the judges build
their rows with it, and ``pipelines.warehouse.tables`` derives the table's DDL from it.
"""

from __future__ import annotations

import pyarrow as pa

VERDICTS = ("resolved", "unresolved", "unsure")

# The rows of the `conversation_judgements` table.
JUDGEMENT_SCHEMA = pa.schema(
    [
        pa.field("conversation_id", pa.string(), nullable=False),
        pa.field("partition_date", pa.date32(), nullable=False),
        pa.field("judge", pa.string(), nullable=False),
        pa.field("judge_version", pa.string(), nullable=False),
        pa.field("verdict", pa.string(), nullable=False),
        pa.field("score", pa.float64(), nullable=False),
        pa.field("reasons", pa.list_(pa.string()), nullable=False),
        pa.field("evidence", pa.list_(pa.int32()), nullable=False),
    ]
)

# What one LLM call cost (the `llm_usage` table): cached answers cost 0.
LLM_USAGE_SCHEMA = pa.schema(
    [
        pa.field("partition_date", pa.date32(), nullable=False),
        pa.field("conversation_id", pa.string(), nullable=False),
        pa.field("model", pa.string(), nullable=False),
        pa.field("prompt_version", pa.string(), nullable=False),
        pa.field("prompt_tokens", pa.int64(), nullable=False),
        pa.field("completion_tokens", pa.int64(), nullable=False),
        pa.field("cost_usd", pa.float64(), nullable=False),
        pa.field("cached", pa.bool_(), nullable=False),
    ]
)
