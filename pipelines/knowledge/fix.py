"""``--fix``: write the safe replacements (spelling, date and time formats) into a text."""

from __future__ import annotations

from collections.abc import Sequence

from pipelines.knowledge.linter import Finding


def apply_fixes(text: str, findings: Sequence[Finding]) -> tuple[str, int]:
    """``text`` with every finding's replacement written, and how many were applied.

    Only findings that carry a ``replacement`` are applied (the linter sets one only
    for rules marked ``fix`` whose fix cannot change the meaning). Where two
    overlap, the earlier one wins and the other is left for a person.
    """
    parts: list[str] = []
    cursor = 0
    applied = 0
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.replacement is None or finding.start < cursor:
            continue
        parts.append(text[cursor : finding.start])
        parts.append(finding.replacement)
        cursor = finding.end
        applied += 1
    parts.append(text[cursor:])
    return "".join(parts), applied
