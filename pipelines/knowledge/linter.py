"""The US-norms linter: runs the rules of ``rules.yaml`` over an article or a bot answer.

Speed comes from touching as little text in Python as possible (the target is
10,000 articles of 800 words in 30 s on one core):

- word lists: a set intersection of the text's words with the listed words, then
  positions only for the words found; phrases are looked up by their rarest word;
- pattern rules run over the whole prose only when their regex can skip ahead to a
  fixed first character; ``anchor: number`` rules are tried only where a number
  starts, and ``requires`` rules only around their needles;
- checks (phone numbers, links, readability) share per-text results.

See ``prepare.py`` for what is never linted (code, quoted UI strings, URLs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipelines.knowledge.article import Article
from pipelines.knowledge.checks import CHECKS, CheckContext
from pipelines.knowledge.prepare import PreparedText
from pipelines.knowledge.rules import LintConfig, Rule, RuleError, load_rules
from pipelines.knowledge.spelling import british_spellings, derived_us_spelling
from pipelines.knowledge.transforms import TRANSFORMS, MatchContext, Replacement

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# Rules with `requires` search this far around each needle (matches are shorter).
REQUIRES_WINDOW = 100
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_ACRONYM = re.compile(r"\b[A-Z0-9]*[A-Z][A-Z0-9]+\b")


@dataclass(frozen=True)
class Finding:
    """One problem: where, which rule, the offending text and the suggested fix.

    ``replacement`` is what ``--fix`` writes over ``start:end`` of the linted text;
    it is None unless the rule allows fixing and the fix cannot change the meaning.
    """

    rule: str
    category: str
    severity: str
    line: int
    column: int
    start: int
    end: int
    text: str
    message: str
    suggestion: str
    replacement: str | None = None


@dataclass(frozen=True)
class _Entry:
    key: str
    replacement: str
    words: int
    case_sensitive: bool
    regex: re.Pattern[str] | None  # None: a single word, compared token by token
    # Phrases are looked up by their rarest word ("basket" in "your basket"), which
    # sits this many characters after the phrase's start.
    anchor: str = ""
    anchor_offset: int = 0
    # All words of the phrase: it can only match a text that has every one of them.
    tokens: frozenset[str] = frozenset()


class Linter:
    """Rules loaded and compiled once; :meth:`lint` is then cheap per text."""

    def __init__(self, config: LintConfig | None = None, rules: Sequence[Rule] | None = None):
        self.config = config or LintConfig()
        loaded = tuple(rules) if rules is not None else load_rules(self.config.rules_file)
        for rule in loaded:
            if rule.transform is not None and rule.transform not in TRANSFORMS:
                raise RuleError(f"rule {rule.id!r}: unknown transform {rule.transform!r}")
            if rule.check is not None and rule.check not in CHECKS:
                raise RuleError(f"rule {rule.id!r}: unknown check {rule.check!r}")
        disabled = self.config.disable
        self.rules = tuple(r for r in loaded if r.id not in disabled and r.category not in disabled)
        self._order = {rule.id: index for index, rule in enumerate(self.rules)}
        self._word_rules = frozenset(rule.id for rule in self.rules if rule.words or rule.word_list)
        self._index = self._word_index()
        self._spelling = next((r for r in self.rules if r.word_list == "british_spelling"), None)

    # ------------------------------------------------------------------ public
    def lint(
        self,
        text: str,
        *,
        locale: str = "en-US",
        ignore: Iterable[str] = (),
        line_offset: int = 0,
    ) -> list[Finding]:
        """All findings in ``text`` (Markdown or plain), sorted by position."""
        prepared = PreparedText(text)
        ignored = set(ignore)
        gate = prepared.gate_text
        active = [
            rule
            for rule in self.rules
            if rule.id not in ignored
            and rule.category not in ignored
            and (not rule.requires or any(map(gate.__contains__, rule.requires)))
            and not (
                rule.unless_article_matches is not None
                and rule.unless_article_matches.search(prepared.prose)
            )
        ]
        active_ids = {rule.id for rule in active}
        findings = [
            *self._word_findings(prepared, active_ids),
            *(
                finding
                for rule in active
                if rule.pattern is not None
                for finding in self._pattern_findings(rule, prepared, locale)
            ),
            *(
                finding
                for rule in active
                if rule.check is not None
                for finding in self._check_findings(rule, prepared, locale, line_offset)
            ),
        ]
        kept = _without_contained(findings, self._word_rules)
        kept.sort(key=lambda f: (f.start, self._order[f.rule]))
        if line_offset:
            kept = [_shift(finding, line_offset) for finding in kept]
        return kept

    def lint_article(self, article: Article) -> list[Finding]:
        return self.lint(
            article.body,
            locale=article.locale,
            ignore=article.lint_ignore,
            line_offset=article.body_line - 1,
        )

    # ------------------------------------------------------------------ word lists
    def _word_index(self) -> dict[str, list[tuple[Rule, list[_Entry]]]]:
        index: dict[str, dict[str, list[_Entry]]] = {}
        for rule in self.rules:
            words = british_spellings() if rule.word_list == "british_spelling" else rule.words
            for key, replacement in (words or {}).items():
                entry = _entry(key, replacement)
                index.setdefault(entry.anchor, {}).setdefault(rule.id, []).append(entry)
        by_id = {rule.id: rule for rule in self.rules}
        return {
            token: [
                (by_id[rule_id], sorted(entries, key=lambda e: (-e.words, -len(e.key))))
                for rule_id, entries in rules.items()
            ]
            for token, rules in index.items()
        }

    def _word_findings(self, prepared: PreparedText, active: set[str]) -> Iterator[Finding]:
        """Word-list findings: set intersection first, positions only for the words found.

        ``str.split`` and a set intersection (both C speed) tell which listed words the
        text has at all; ``str.find`` then locates just those. Within a rule the longest
        match wins ("parcel lockers" over "parcel"); across rules matches may overlap,
        so "driving licence" (vocabulary) and "licence" (spelling) both report.
        """
        tokens = prepared.token_set
        spelling = self._spelling if self._spelling and self._spelling.id in active else None
        anchors = tokens & self._index.keys()
        derived = {
            token: us
            for token in tokens
            if spelling is not None
            and "is" in token
            and token not in anchors
            and (us := derived_us_spelling(token)) is not None
        }
        if not anchors and not derived:
            return
        text, lowered = prepared.prose, prepared.lowered
        candidates: list[tuple[int, int, Rule, str]] = []
        for token in anchors:
            rules = [
                (rule, possible)
                for rule, entries in self._index[token]
                if rule.id in active
                and (possible := [entry for entry in entries if entry.tokens <= tokens])
            ]
            for position in _word_positions(lowered, token) if rules else ():
                for rule, entries in rules:
                    for entry in entries:
                        span = _entry_match(entry, text, position, len(token))
                        if span is not None:
                            replacement = _match_case(text[span[0] : span[1]], entry)
                            candidates.append((span[0], span[1], rule, replacement))
        if spelling is not None:
            for token, us in derived.items():
                for position in _word_positions(lowered, token):
                    end = position + len(token)
                    replacement = _match_case(text[position:end], _entry(token, us))
                    candidates.append((position, end, spelling, replacement))
        candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        done: dict[str, int] = {}
        for start, end, rule, replacement in candidates:
            if done.get(rule.id, -1) > start:
                continue
            done[rule.id] = end
            yield self._finding(rule, prepared, start, end, Replacement(replacement), {})

    # ------------------------------------------------------------------ patterns, checks
    def _pattern_findings(
        self, rule: Rule, prepared: PreparedText, locale: str
    ) -> Iterator[Finding]:
        assert rule.pattern is not None
        transform = TRANSFORMS[rule.transform] if rule.transform else None
        context = MatchContext(prepared.prose, locale, rule.params)
        for match in _matches(rule, prepared):
            if match.end() == match.start():
                continue
            if any(allowed.fullmatch(match.group()) for allowed in rule.allow):
                continue
            groups = {name: value or "" for name, value in match.groupdict().items()}
            if transform is None:
                replacement = Replacement(
                    rule.suggestion.format(match=match.group(), **groups), safe=False
                )
            else:
                found = transform(match, context)
                if found is None:
                    continue
                replacement = found
            start = match.start() if replacement.start is None else replacement.start
            yield self._finding(rule, prepared, start, match.end(), replacement, groups)

    def _check_findings(
        self, rule: Rule, prepared: PreparedText, locale: str, line_offset: int
    ) -> Iterator[Finding]:
        assert rule.check is not None
        context = CheckContext(
            locale,
            rule.params,
            self.config.readability_grade,
            self.config.max_sentence_words,
            line_offset,
        )
        for hit in CHECKS[rule.check](prepared, context):
            yield self._finding(rule, prepared, hit.start, hit.end, hit.replacement, {})

    def _finding(
        self,
        rule: Rule,
        prepared: PreparedText,
        start: int,
        end: int,
        replacement: Replacement,
        groups: dict[str, str],
    ) -> Finding:
        line, column = prepared.position(start)
        original = prepared.original[start:end]
        fields = {
            **groups,
            **replacement.fields,
            "match": original,
            "replacement": replacement.text,
        }
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=self.config.severity.get(rule.id, rule.severity),
            line=line,
            column=column,
            start=start,
            end=end,
            text=replacement.fields.get("text", original),
            message=rule.message,
            suggestion=rule.suggestion.format_map(_Missing(fields)),
            replacement=replacement.text if rule.fix and replacement.safe else None,
        )


class _Missing(dict[str, str]):
    """Template fields a finding does not have render as nothing, not a KeyError."""

    def __missing__(self, key: str) -> str:
        return ""


def _entry(key: str, replacement: str) -> _Entry:
    # Deferred: wordfreq's import walks its caller's stack (pipelines/defs/preload.py).
    from wordfreq import zipf_frequency

    tokens = list(_TOKEN.finditer(key.lower()))
    case_sensitive = bool(_ACRONYM.search(key))
    if len(tokens) == 1 and tokens[0].group() == key.lower():
        return _Entry(
            key, replacement, 1, case_sensitive, None, key.lower(), 0, frozenset([key.lower()])
        )
    rarest = min(tokens, key=lambda token: zipf_frequency(token.group(), "en"))
    canonical = " ".join(key.split())
    source = r"\s".join(re.escape(part) for part in canonical.split(" "))
    source = source.replace("'", "['’]")
    flags = 0 if case_sensitive else re.IGNORECASE
    regex = re.compile(source + r"(?![\w])", flags)
    offset = len(" ".join(key.lower().split())[: rarest.start()]) if rarest.start() else 0
    words = frozenset(token.group() for token in tokens)
    return _Entry(
        key, replacement, len(tokens), case_sensitive, regex, rarest.group(), offset, words
    )


def _matches(rule: Rule, prepared: PreparedText) -> Iterator[re.Match[str]]:
    """The rule's matches: where numbers start (``anchor: number``), near the words it
    ``requires``, or anywhere."""
    assert rule.pattern is not None
    if rule.requires:
        yield from _matches_near(rule.pattern, prepared, rule.requires)
        return
    if rule.anchor != "number":
        yield from rule.pattern.finditer(prepared.prose)
        return
    match_at = rule.pattern.match
    text = prepared.prose
    follows = rule.after_number
    if follows is None:
        starts = [start for start, _ in prepared.numbers]
    else:
        groups = prepared.numbers_by_follower
        starts = sorted(
            start for char in groups if _follows(follows, char) for start in groups[char]
        )
    done = -1
    for start in starts:
        if start < done:
            continue
        match = match_at(text, start)
        if match is not None:
            done = match.end()
            yield match


@lru_cache(maxsize=4096)
def _follows(allowed: re.Pattern[str], follower: str) -> bool:
    return allowed.fullmatch(follower) is not None


def _matches_near(
    pattern: re.Pattern[str], prepared: PreparedText, needles: Sequence[str]
) -> Iterator[re.Match[str]]:
    """Matches within ``REQUIRES_WINDOW`` characters of a needle (every match holds one).

    A case-insensitive regex cannot skip ahead to a first character, so scanning a
    whole article costs ~0.2 ms per rule; "purchase" or "ring" occur in most
    articles, but scanning a few hundred characters around them is cheap.
    """
    text = prepared.prose
    positions = sorted(  # gate_text has one extra character in front
        position - 1
        for needle in needles
        for position in _all_positions(prepared.gate_text, needle)
    )
    windows: list[list[int]] = []
    for position in positions:
        start, end = max(0, position - REQUIRES_WINDOW), max(0, position) + REQUIRES_WINDOW
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    for start, end in windows:
        end = min(end, len(text))
        for match in pattern.finditer(text, start, end):
            if end < len(text) and match.end() > end - REQUIRES_WINDOW // 4:
                # Lookaheads cannot see past a window's end: match again without it.
                full = pattern.match(text, match.start())
                if full is None:
                    continue
                match = full
            yield match


def _all_positions(text: str, needle: str) -> Iterator[int]:
    position = text.find(needle)
    while position != -1:
        yield position
        position = text.find(needle, position + 1)


def _word_positions(lowered: str, word: str) -> Iterator[int]:
    """Where ``word`` occurs as a whole word (not inside a longer word)."""
    return (match.start() for match in _whole_word(word).finditer(lowered))


@lru_cache(maxsize=4096)
def _whole_word(word: str) -> re.Pattern[str]:
    # The word first, its left edge checked after: the regex engine then jumps to
    # occurrences of the word instead of trying every position.
    escaped = re.escape(word)
    return re.compile(rf"{escaped}(?<![a-z0-9]{escaped})(?![a-z0-9])")


def _entry_match(entry: _Entry, text: str, position: int, length: int) -> tuple[int, int] | None:
    """The span of the entry around its anchor word at ``position``, or None.

    Phrase words are separated by exactly one whitespace character here (a space
    or the line break of a wrapped paragraph), which keeps the anchor's offset fixed.
    """
    if entry.regex is None:
        word = text[position : position + length]
        same = word == entry.key if entry.case_sensitive else word.lower() == entry.key.lower()
        return (position, position + length) if same else None
    start = position - entry.anchor_offset
    if start < 0 or (start > 0 and text[start - 1].isalnum()):
        return None
    found = entry.regex.match(text, start)
    return (start, found.end()) if found else None


def _match_case(original: str, entry: _Entry) -> str:
    replacement = entry.replacement
    # Acronyms and proper nouns (keys written capitalized, "Ombudsman") keep the
    # replacement as written; otherwise the capital comes from the sentence start.
    if entry.case_sensitive or not original or entry.key[:1].isupper():
        return replacement
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[0].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _without_contained(findings: list[Finding], word_rules: frozenset[str]) -> list[Finding]:
    """Drop a word-list finding that a more specific finding of its category covers.

    "EUR 4" is a non-US amount; the currency word list would also flag "EUR" in it.
    """
    kept = []
    by_category: dict[str, list[Finding]] = {}
    for finding in findings:
        by_category.setdefault(finding.category, []).append(finding)
    for finding in findings:
        covered = finding.rule in word_rules and any(
            other is not finding
            and other.category == finding.category
            and other.rule != finding.rule
            and other.start <= finding.start
            and finding.end <= other.end
            and (
                other.rule not in word_rules
                or other.end - other.start > finding.end - finding.start
            )
            for other in by_category[finding.category]
        )
        if not covered:
            kept.append(finding)
    return kept


def _shift(finding: Finding, lines: int) -> Finding:
    return Finding(**{**finding.__dict__, "line": finding.line + lines})
