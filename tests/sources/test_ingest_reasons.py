"""Every reason code the ingest can produce is described in code and in the docs."""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.pii.identifiers import looks_personal
from pipelines.sources import normalize, reasons
from schemas.transcripts import conversation_schema, event_schema

DOCS = Path(__file__).resolve().parents[2] / "docs" / "ingestion.md"


def test_reasons_emitted_by_sql_and_contract_are_known_and_documented():
    sql = normalize._EXPLAINED_SQL + normalize._CONV_SQL
    emitted = set(re.findall(r"then '([a-z_]+)'", sql)) - {"message"}
    emitted |= {c.name for c in event_schema().checks + conversation_schema(looks_personal).checks}
    emitted |= {
        check.name
        for schema in (event_schema(), conversation_schema(looks_personal))
        for column in schema.columns.values()
        for check in column.checks
    }
    assert emitted <= set(reasons.DESCRIPTIONS), emitted - set(reasons.DESCRIPTIONS)
    documented = DOCS.read_text()
    missing = [code for code in reasons.DESCRIPTIONS if f"`{code}`" not in documented]
    assert not missing, f"reason codes missing from docs/ingestion.md: {missing}"
