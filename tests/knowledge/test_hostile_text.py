"""Any text lints without an error, and every finding points at the text it reports."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.knowledge.linter import Linter

LINTER = Linter()
PIECES = st.sampled_from(
    [
        "colour ",
        "31/03/2026 ",
        "17:30 ",
        "£5 ",
        "+44 20 7946 0958 ",
        "5 km ",
        "ring us ",
        "postcode ",
        "GDPR ",
        "http://x.co.uk/en-gb/a ",
        "```\n",
        "`",
        '"',
        "\n",
        "\n\n",
        "# ",
        "- ",
        "| ",
        "[a](",
        ")",
        "e.g. ",
        "Flat 4B ",
        "12 Main Street, Town 1234 ",
        "half five ",
        "\u00a0",
        "é",
        "’",
        "0",
        "A4 paper ",
        "<!-- ",
        "-->",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40),
    st.sampled_from(["en-US", "en-GB", "en", "", "xx_YY_zz"]),
)
def test_lint_never_fails_and_findings_point_at_their_text(pieces, locale):
    text = "".join(pieces)
    for finding in LINTER.lint(text, locale=locale):
        assert 0 <= finding.start <= finding.end <= len(text)
        if not finding.text.startswith("Flesch-Kincaid"):
            assert text[finding.start : finding.end] == finding.text
        assert finding.suggestion
