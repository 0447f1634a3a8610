"""The guideline document and the code agree on the version and the labels."""

from __future__ import annotations

from pathlib import Path

import yaml

from schemas.labels import ALLOWED_VALUES, FIELDS, GUIDELINE_VERSION

GUIDELINES = Path(__file__).parents[2] / "docs" / "annotation-guidelines.md"


def test_front_matter_version_is_the_code_constant():
    front_matter = GUIDELINES.read_text().split("---")[1]
    assert str(yaml.safe_load(front_matter)["guideline_version"]) == GUIDELINE_VERSION


def test_every_field_and_choice_is_documented():
    text = GUIDELINES.read_text()
    for spec in FIELDS:
        assert f"`{spec.name}`" in text, spec.name
    for name, choices in ALLOWED_VALUES.items():
        heading = next(
            line for line in text.splitlines() if line.startswith("### ") and f"`{name}`" in line
        )
        assert all(choice in heading for choice in choices), heading
