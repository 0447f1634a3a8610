"""The rule file and lint configuration: validated with messages that name the problem."""

from __future__ import annotations

import pytest

from pipelines.knowledge.linter import Linter
from pipelines.knowledge.rules import (
    BUILTIN_RULES,
    CATEGORIES,
    RuleError,
    load_config,
    load_rules,
)

VALID = """rules:
  - id: vocabulary.lorry
    category: vocabulary
    severity: warning
    words: {lorry: truck}
    message: British word
    suggestion: "{replacement}"
"""


def test_builtin_rules_cover_every_category_and_only_safe_rules_fix():
    rules = load_rules(BUILTIN_RULES)
    assert {rule.category for rule in rules} == set(CATEGORIES)
    assert {rule.category for rule in rules if rule.fix} <= {"spelling", "date", "time"}
    assert len({rule.id for rule in rules}) == len(rules)


def test_a_team_rule_file_replaces_the_builtin_rules(tmp_path):
    (tmp_path / "rules.yaml").write_text(VALID)
    (tmp_path / "lint.yaml").write_text("rules: rules.yaml\n")
    linter = Linter(load_config(tmp_path / "lint.yaml"))
    found = linter.lint("The lorry is late, the colour is wrong.")
    assert [(f.rule, f.text, f.suggestion) for f in found] == [
        ("vocabulary.lorry", "lorry", "truck")
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("category: vocabulary", "category: words"), "category must be one of"),
        (("severity: warning", "severity: fatal"), "severity must be one of"),
        (
            ("    words: {lorry: truck}\n", "    words: {lorry: truck}\n    pattern: lorry\n"),
            "exactly one of",
        ),
        (
            ("    words: {lorry: truck}\n", "    pattern: '(lorry'\n"),
            "not a valid regular expression",
        ),
        (
            ("    words: {lorry: truck}\n", "    words: {lorry: truck}\n    fix: true\n"),
            "may set fix",
        ),
        (
            ("    words: {lorry: truck}\n", "    words: {lorry: truck}\n    colour: red\n"),
            "unknown keys",
        ),
        (
            ("    words: {lorry: truck}\n", "    pattern: lorry\n    after_number: '[.]'\n"),
            "needs `anchor: number`",
        ),
        (
            ("    words: {lorry: truck}\n", "    words: {lorry: truck}\n    requires: [Lorry]\n"),
            "lowercase",
        ),
        (("    message: British word\n", ""), "`message` is required"),
    ],
)
def test_invalid_rules_are_rejected_with_the_rule_and_key(tmp_path, change, message):
    path = tmp_path / "rules.yaml"
    path.write_text(VALID.replace(*change))
    with pytest.raises(RuleError, match=message) as error:
        load_rules(path)
    assert "vocabulary.lorry" in str(error.value)


def test_duplicate_ids_unknown_transforms_and_broken_yaml(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(VALID + VALID.split("rules:\n", 1)[1])
    with pytest.raises(RuleError, match="used twice"):
        load_rules(path)
    path.write_text(
        VALID.replace("    words: {lorry: truck}\n", "    pattern: lorry\n    transform: nope\n")
    )
    with pytest.raises(RuleError, match="unknown transform"):
        Linter(rules=load_rules(path))
    path.write_text("rules: [unclosed\n")
    with pytest.raises(RuleError, match="not valid YAML"):
        load_rules(path)


def test_config_values_are_checked(tmp_path):
    path = tmp_path / "lint.yaml"
    for text, message in [
        ("readability_grade: -1\n", "positive number"),
        ("max_sentence_words: 2.5\n", "whole number"),
        ("severity: {time.24_hour: loud}\n", "severity"),
        ("- a list\n", "mapping"),
    ]:
        path.write_text(text)
        with pytest.raises(RuleError, match=message):
            load_config(path)
    path.write_text("readability_grade: 10\nmax_sentence_words: 20\n")
    config = load_config(path)
    assert (config.readability_grade, config.max_sentence_words) == (10.0, 20)
