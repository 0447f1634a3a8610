"""Record machinery shared by development chat sets 3-7 (bench/pii_chat_dev*_templates.py).

Each set keeps its own templates, name lists, fill and ambiguity test; this module turns
fills into records and checks them:

- ``check_record``: spans in bounds, trimmed, on word boundaries, not overlapping, of
  the set's kinds, and (when the fill reports them) equal to the values filled in;
- ``RecordBuilder``: n fills per template, skipping texts already used, ambiguous texts
  and (optionally) fills that repeat a name of the same template; one message per
  negative template;
- ``run_main``: the sets' command line (JSONL to argv[1], counts and samples).

What differs between sets comes in as parameters and callbacks. The builder calls a
set's fill exactly when and as often as the set's own loops used to, so the random
number sequence, and with it every record, is what it was: adding, dropping or
reordering a fill call here changes every set.

Each record: {"text": ..., "spans": [[kind, start, end], ...], "context": template id}.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

Span = list[Any]  # [kind, start, end]: a list, as the JSONL has it


class Record(TypedDict):
    text: str
    spans: list[Span]
    context: str


Values = list[str] | None  # the planted values in span order; None: the fill does not say
Filled = tuple[str, list[Span], Values]  # (text, spans, values)
Fill = Callable[[str], Filled]
RecordCheck = Callable[[Record, Values], None]  # a set's check(record, values): asserts
ValueCheck = Callable[[Record, str, str], None]  # (record, kind, span text): asserts
Ambiguity = Callable[[str, list[Span]], bool]  # (text, spans): False if mislabelled
ValueKeys = Callable[[str], set[str]]  # the keys of one value, e.g. its words

# Fills of one template tried before the build fails (the template cannot give n_fill
# new, unambiguous texts); sets 3 and 4 allow 200.
DEFAULT_MAX_TRIES = 300
# Fills of one negative template tried for a text not yet in the set; if none is new,
# the builder's assertion names the template.
NEGATIVE_TRIES = 50


def check_record(
    record: Record,
    kinds: Collection[str],
    values: Values = None,
    check_value: ValueCheck | None = None,
) -> None:
    """Assert that a record is well formed: each span of one of ``kinds``, in bounds,
    trimmed, on word boundaries and clear of the others; ``check_value`` (a set's own
    shape checks) passes for each span's text; and, if ``values`` is given, the spans
    cover exactly the values that were filled in, in order."""
    text = record["text"]
    assert isinstance(text, str) and text
    taken: list[tuple[int, int]] = []
    for kind, start, end in record["spans"]:
        assert kind in kinds, kind
        _check_span_edges(record, start, end)
        _check_clear_of(record, start, end, taken)
        taken.append((start, end))
        if check_value is not None:
            check_value(record, kind, text[start:end])
    if values is not None:
        _check_values(record, values)


def _check_span_edges(record: Record, start: int, end: int) -> None:
    """In bounds, no surrounding space, and no letter or digit glued on either side (a
    span that cuts a word would score a detector against half a token)."""
    text = record["text"]
    assert 0 <= start < end <= len(text), (record, start, end)
    value = text[start:end]
    assert value == value.strip() and value, (record, value)
    assert start == 0 or not text[start - 1].isalnum(), (record, value)
    assert end == len(text) or not text[end].isalnum(), (record, value)


def _check_clear_of(record: Record, start: int, end: int, taken: list[tuple[int, int]]) -> None:
    for taken_start, taken_end in taken:
        assert end <= taken_start or start >= taken_end, ("overlap", record)


def _check_values(record: Record, values: Sequence[str]) -> None:
    text = record["text"]
    assert len(values) == len(record["spans"]), record
    for (_, start, end), value in zip(record["spans"], values, strict=True):
        assert text[start:end] == value, (record, value)


def fill_without_values(fill: Callable[[str], tuple[str, list[Span]]]) -> Fill:
    """Adapt a fill that returns (text, spans) to the builder: it reports no values, so
    nothing is compared with them and no per-template key can be taken from them."""

    def fill_reporting_no_values(template: str) -> Filled:
        text, spans = fill(template)
        return text, spans, None

    return fill_reporting_no_values


def every_text_unambiguous(text: str, spans: list[Span]) -> bool:
    """For sets without an ambiguity test: every fill is labelled right."""
    return True


@dataclass
class RecordBuilder:
    """Collects one set's records in order; no text occurs twice in the set.

    ``fill`` fills a template; ``check`` is the set's record check (see
    ``check_record``); ``unambiguous`` rejects fills whose labels would be wrong (a
    planted word that also occurs outside its span); ``value_keys``, if given, keeps a
    template's fills from repeating a key (a name, a name's word) of its earlier fills.
    """

    fill: Fill
    check: RecordCheck
    unambiguous: Ambiguity = every_text_unambiguous
    value_keys: ValueKeys | None = None
    max_tries: int = DEFAULT_MAX_TRIES
    records: list[Record] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def add_templates(
        self, templates: Sequence[str], prefix: str, n_fill: int, expect_kind: str
    ) -> None:
        """``n_fill`` records per template, each planting at least one ``expect_kind``
        span, with contexts ``{prefix}_01``, ``{prefix}_02``, ..."""
        assert len(set(templates)) == len(templates), prefix
        for number, template in enumerate(templates, 1):
            self._add_fills(template, f"{prefix}_{number:02d}", n_fill, expect_kind)

    def _add_fills(self, template: str, context: str, n_fill: int, expect_kind: str) -> None:
        keys_used: set[str] = set()  # by this template's records so far
        made = tries = 0
        while made < n_fill:
            tries += 1
            assert tries < self.max_tries, context
            text, spans, values = self.fill(template)
            if text in self.seen or not self.unambiguous(text, spans):
                continue
            keys = self._keys(values)
            if keys_used & keys:
                continue
            keys_used |= keys
            record: Record = {"text": text, "spans": spans, "context": context}
            self.check(record, values)
            assert any(kind == expect_kind for kind, _, _ in spans), context
            self._keep(record)
            made += 1

    def _keys(self, values: Values) -> set[str]:
        keys: set[str] = set()
        if self.value_keys is not None and values:
            for value in values:
                keys |= self.value_keys(value)
        return keys

    def add_negatives(self, templates: Sequence[str]) -> None:
        """One record without spans per template, contexts ``neg_001``, ``neg_002``, ..."""
        assert len(set(templates)) == len(templates)
        for number, template in enumerate(templates, 1):
            text, spans, values = self._fill_unseen(template)
            # values: [] from a fill that reports them, None from one that does not
            assert not spans and not values and text not in self.seen, template
            record: Record = {"text": text, "spans": [], "context": f"neg_{number:03d}"}
            self.check(record, values)
            self._keep(record)

    def _fill_unseen(self, template: str) -> Filled:
        """The first of up to NEGATIVE_TRIES fills whose text is new, else the last."""
        for _ in range(NEGATIVE_TRIES):
            text, spans, values = self.fill(template)
            if text not in self.seen:
                break
        return text, spans, values

    def _keep(self, record: Record) -> None:
        self.seen.add(record["text"])
        self.records.append(record)


def run_main(
    build: Callable[[], list[Record]],
    *,
    count_negatives: bool = True,
    extra_lines: Callable[[list[Record]], Iterable[str]] | None = None,
    n_samples: int = 5,
) -> None:
    """A set's command line: build (twice, to catch a set that does not reseed its
    random generator), write the records as JSONL to argv[1] if given, print the
    report (see ``report_lines``)."""
    records = build()
    assert build() == records, "not deterministic"
    if len(sys.argv) > 1:
        write_jsonl(records, sys.argv[1])
    for line in report_lines(
        records, count_negatives=count_negatives, extra_lines=extra_lines, n_samples=n_samples
    ):
        print(line)


def write_jsonl(records: Iterable[Record], path: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def report_lines(
    records: list[Record],
    *,
    count_negatives: bool = True,
    extra_lines: Callable[[list[Record]], Iterable[str]] | None = None,
    n_samples: int = 5,
) -> list[str]:
    """Counts per template group and span kind, messages with several spans, the set's
    ``extra_lines``, then ``n_samples`` records (the same ones on every run)."""
    groups = Counter(record["context"].split("_")[0] for record in records)
    span_kinds = Counter(kind for record in records for kind, _, _ in record["spans"])
    lines = [
        f"messages: {len(records)}",
        f"messages per template group: {dict(groups)}",
        f"spans per kind: {dict(span_kinds)}",
    ]
    if count_negatives:
        lines.append(f"negative messages: {sum(1 for r in records if not r['spans'])}")
    lines.append(f"messages with >1 span: {sum(1 for r in records if len(r['spans']) > 1)}")
    if extra_lines is not None:
        lines.extend(extra_lines(records))
    if n_samples:
        lines.append("samples:")
        samples = random.Random(0).sample(records, n_samples)
        lines.extend(json.dumps(record, ensure_ascii=False) for record in samples)
    return lines
