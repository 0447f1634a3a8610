"""Loading the rule file (``rules.yaml``) and a lint configuration, with clear errors.

A rule file or configuration that does not validate raises :class:`RuleError`
naming the rule and the key, so ``closedloop kb lint --config`` can exit 2 with a
message the author can act on instead of a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

Category = Literal[
    "spelling",
    "date",
    "time",
    "currency",
    "phone",
    "unit",
    "vocabulary",
    "address",
    "legal",
    "readability",
    "link",
]
CATEGORIES: tuple[str, ...] = (
    "spelling",
    "date",
    "time",
    "currency",
    "phone",
    "unit",
    "vocabulary",
    "address",
    "legal",
    "readability",
    "link",
)
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
# --fix rewrites only what cannot change meaning: spellings and date/time formats.
FIXABLE_CATEGORIES = frozenset({"spelling", "date", "time"})
WORD_LISTS = frozenset({"british_spelling"})
MATCHERS = ("words", "word_list", "pattern", "check")
RULE_KEYS = frozenset(
    {
        "id",
        "category",
        "severity",
        "message",
        "suggestion",
        *MATCHERS,
        "transform",
        "fix",
        "allow",
        "unless_article_matches",
        "params",
        "requires",
        "anchor",
        "after_number",
    }
)
BUILTIN_RULES = Path(__file__).with_name("rules.yaml")


class RuleError(ValueError):
    """A rule file or lint configuration is invalid."""


@dataclass(frozen=True)
class Rule:
    """One lint rule as written in the rule file."""

    id: str
    category: str
    severity: str
    message: str
    suggestion: str
    words: dict[str, str] | None = None
    word_list: str | None = None
    pattern: re.Pattern[str] | None = None
    check: str | None = None
    transform: str | None = None
    fix: bool = False
    allow: tuple[re.Pattern[str], ...] = ()
    unless_article_matches: re.Pattern[str] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    requires: tuple[str, ...] = ()
    anchor: str | None = None
    after_number: re.Pattern[str] | None = None


@dataclass(frozen=True)
class LintConfig:
    """What a team tunes without editing rules: switches, thresholds, severities.

    ``disable`` holds rule ids or whole categories. ``readability_grade`` is the
    Flesch-Kincaid grade above which an article is flagged (the pipeline passes its
    setting; 8 is the usual target for consumer help content).
    """

    disable: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)
    readability_grade: float = 8.0
    max_sentence_words: int = 30
    rules_file: Path = BUILTIN_RULES


CONFIG_KEYS = frozenset({"disable", "severity", "readability_grade", "max_sentence_words", "rules"})


def load_rules(path: Path = BUILTIN_RULES) -> tuple[Rule, ...]:
    """Read and validate a rule file; raise :class:`RuleError` on the first problem."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise RuleError(f"{path}: cannot read the rule file ({type(error).__name__})") from None
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        where = f" near line {line + 1}" if line is not None else ""
        raise RuleError(f"{path}: not valid YAML{where}") from None
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise RuleError(f"{path}: expected a mapping with a `rules:` list")
    rules = [_rule(entry, index, path) for index, entry in enumerate(document["rules"])]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"{path}: rule id {rule.id!r} is used twice")
        seen.add(rule.id)
    return tuple(rules)


def load_config(path: Path | None) -> LintConfig:
    """Read a lint configuration file (``--config``); None gives the defaults."""
    if path is None:
        return LintConfig()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError) as error:
        raise RuleError(f"{path}: cannot read the configuration ({type(error).__name__})") from None
    except yaml.YAMLError:
        raise RuleError(f"{path}: not valid YAML") from None
    if not isinstance(document, dict):
        raise RuleError(f"{path}: expected a mapping of settings")
    unknown = sorted(set(document) - CONFIG_KEYS)
    if unknown:
        raise RuleError(f"{path}: unknown keys {unknown}; known: {sorted(CONFIG_KEYS)}")
    disable = document.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(item, str) for item in disable):
        raise RuleError(f"{path}: `disable` must be a list of rule ids or categories")
    severity = document.get("severity", {})
    if not isinstance(severity, dict) or not all(
        isinstance(key, str) and value in SEVERITIES for key, value in severity.items()
    ):
        raise RuleError(f"{path}: `severity` maps rule ids to one of {list(SEVERITIES)}")
    grade = document.get("readability_grade", LintConfig.readability_grade)
    words = document.get("max_sentence_words", LintConfig.max_sentence_words)
    if isinstance(grade, bool) or not isinstance(grade, int | float) or grade <= 0:
        raise RuleError(f"{path}: `readability_grade` must be a positive number")
    if isinstance(words, bool) or not isinstance(words, int) or words <= 0:
        raise RuleError(f"{path}: `max_sentence_words` must be a positive whole number")
    rules_file = BUILTIN_RULES
    if "rules" in document:
        rules_file = (path.parent / str(document["rules"])).resolve()
    return LintConfig(
        disable=frozenset(disable),
        severity=dict(severity),
        readability_grade=float(grade),
        max_sentence_words=words,
        rules_file=rules_file,
    )


def _rule(entry: object, index: int, path: Path) -> Rule:
    if not isinstance(entry, dict):
        raise RuleError(f"{path}: rule #{index + 1} is not a mapping")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RuleError(f"{path}: rule #{index + 1} has no id")
    where = f"{path}: rule {rule_id!r}"
    unknown = sorted(set(entry) - RULE_KEYS)
    if unknown:
        raise RuleError(f"{where}: unknown keys {unknown}")
    for key in ("category", "severity", "message", "suggestion"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise RuleError(f"{where}: `{key}` is required")
    if entry["category"] not in CATEGORIES:
        raise RuleError(f"{where}: category must be one of {list(CATEGORIES)}")
    if entry["severity"] not in SEVERITIES:
        raise RuleError(f"{where}: severity must be one of {list(SEVERITIES)}")
    matchers = [key for key in MATCHERS if key in entry]
    if len(matchers) != 1:
        raise RuleError(f"{where}: needs exactly one of {list(MATCHERS)}")
    fix = entry.get("fix", False)
    if fix and entry["category"] not in FIXABLE_CATEGORIES:
        raise RuleError(f"{where}: only {sorted(FIXABLE_CATEGORIES)} rules may set fix")
    params = entry.get("params", {})
    if not isinstance(params, dict):
        raise RuleError(f"{where}: `params` must be a mapping")
    words = entry.get("words")
    if words is not None and (
        not isinstance(words, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in words.items())
    ):
        raise RuleError(f"{where}: `words` maps words or phrases to their US replacement")
    if words is not None and not all(key[:1].isalnum() for key in words):
        raise RuleError(f"{where}: every entry of `words` must start with a letter or digit")
    word_list = entry.get("word_list")
    if word_list is not None and word_list not in WORD_LISTS:
        raise RuleError(f"{where}: word_list must be one of {sorted(WORD_LISTS)}")
    requires = entry.get("requires", [])
    if not isinstance(requires, list) or not all(
        isinstance(item, str) and item and item == item.lower() for item in requires
    ):
        raise RuleError(f"{where}: `requires` must be a list of lowercase strings")
    anchor = entry.get("anchor")
    if anchor is not None and (anchor != "number" or "pattern" not in entry):
        raise RuleError(f"{where}: `anchor` can only be `number`, on a pattern rule")
    if "after_number" in entry and anchor != "number":
        raise RuleError(f"{where}: `after_number` needs `anchor: number`")
    allow = entry.get("allow", [])
    if not isinstance(allow, list):
        raise RuleError(f"{where}: `allow` must be a list of regular expressions")
    return Rule(
        id=rule_id,
        category=entry["category"],
        severity=entry["severity"],
        message=entry["message"],
        suggestion=entry["suggestion"],
        words=words,
        word_list=word_list,
        pattern=_compile(entry.get("pattern"), where, "pattern"),
        check=entry.get("check"),
        transform=entry.get("transform"),
        fix=bool(fix),
        allow=tuple(
            pattern for item in allow if (pattern := _compile(item, where, "allow")) is not None
        ),
        unless_article_matches=_compile(
            entry.get("unless_article_matches"), where, "unless_article_matches"
        ),
        params=params,
        requires=tuple(requires),
        anchor=anchor,
        after_number=_compile(entry.get("after_number"), where, "after_number"),
    )


def _compile(source: object, where: str, key: str) -> re.Pattern[str] | None:
    if source is None:
        return None
    if not isinstance(source, str):
        raise RuleError(f"{where}: `{key}` must be a string")
    try:
        return re.compile(source)
    except re.error as error:
        raise RuleError(f"{where}: `{key}` is not a valid regular expression ({error})") from None
