"""What an ingest run did, per day and per source file, and the quarantine thresholds.

Every message here is built from counts, reason codes and file labels (personal file
names digested), never from record values, so it may be logged and printed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pipelines.pii.identifiers import safe_file_label
from pipelines.sources import reasons

# What a source file whose bad share is above the threshold does to the run: "fail" it
# (after writing, like a bad day), or "warn" (the report lists it; callers print it).
FileThresholdMode = Literal["fail", "warn"]


@dataclass(frozen=True)
class AuditRow:
    """What happened to the records of one source file in one partition."""

    partition_date: date
    source_file: str
    records_read: int
    records_loaded: int
    records_quarantined: int
    reason_counts: dict[str, int]


def _bad(counts: Counter[str]) -> int:
    """Quarantined records that are bad data (a superseded delivery is not)."""
    return sum(n for reason, n in counts.items() if reason not in reasons.NOT_BAD_DATA)


@dataclass(frozen=True)
class FileOutcome:
    """One source file over the run's days: what was read, loaded and why not."""

    source_file: str
    records_read: int
    records_loaded: int
    records_quarantined: int
    reason_counts: dict[str, int]

    @property
    def bad_share(self) -> float:
        bad = _bad(Counter(self.reason_counts))
        return bad / self.records_read if self.records_read else 0.0

    def top_reasons(self, n: int = 3) -> list[tuple[str, int]]:
        """The most frequent bad-data reasons (root causes: not sibling_rejected)."""
        counts = Counter(
            {
                reason: count
                for reason, count in self.reason_counts.items()
                if reason not in reasons.NOT_BAD_DATA and reason != reasons.SIBLING_REJECTED
            }
        )
        return counts.most_common(n)

    def describe(self) -> str:
        top = ", ".join(f"{reason}={count}" for reason, count in self.top_reasons()) or "none"
        return (
            f"{safe_file_label(self.source_file)}: {self.records_quarantined} of "
            f"{self.records_read} records quarantined ({self.bad_share:.1%} bad; top reasons: "
            f"{top})"
        )


@dataclass(frozen=True)
class IngestReport:
    """What a run did: audit rows per (day, file), loaded counts per day, and shares.

    ``files_over_threshold``: source files whose bad share is above the quarantine
    threshold (when the file threshold only warns, the caller must show them).
    ``files_from_cache``: of the ``files_scanned``, those whose judgment came from the
    judged-file cache (the ``ingest_cache`` setting) instead of being judged again.
    """

    days: tuple[date, ...]
    audit: tuple[AuditRow, ...]
    conversations_loaded: dict[date, int]
    events_loaded: dict[date, int]
    files_scanned: int
    files_over_threshold: tuple[FileOutcome, ...] = ()
    files_from_cache: int = 0

    @property
    def records_read(self) -> int:
        return sum(row.records_read for row in self.audit)

    @property
    def records_loaded(self) -> int:
        return sum(row.records_loaded for row in self.audit)

    @property
    def records_quarantined(self) -> int:
        return sum(row.records_quarantined for row in self.audit)

    def reason_counts(self, day: date | None = None) -> Counter[str]:
        counts: Counter[str] = Counter()
        for row in self.audit:
            if day is None or row.partition_date == day:
                counts.update(row.reason_counts)
        return counts

    @property
    def quarantined_share(self) -> dict[date, float]:
        """Bad records / records read, per day; superseded deliveries are not bad data."""
        shares: dict[date, float] = {}
        for day in self.days:
            read = sum(row.records_read for row in self.audit if row.partition_date == day)
            shares[day] = _bad(self.reason_counts(day)) / read if read else 0.0
        return shares

    def file_outcomes(self) -> list[FileOutcome]:
        """Per source file over the run's days, the most quarantined first; what a run
        summary prints so a source that vanished is seen, not diluted by the others."""
        read: Counter[str] = Counter()
        loaded: Counter[str] = Counter()
        counts: dict[str, Counter[str]] = {}
        for row in self.audit:
            read[row.source_file] += row.records_read
            loaded[row.source_file] += row.records_loaded
            counts.setdefault(row.source_file, Counter()).update(row.reason_counts)
        outcomes = [
            FileOutcome(
                source_file=name,
                records_read=read[name],
                records_loaded=loaded[name],
                records_quarantined=read[name] - loaded[name],
                reason_counts=dict(sorted(counts[name].items())),
            )
            for name in read
        ]
        return sorted(outcomes, key=lambda o: (-o.bad_share, -o.records_read, o.source_file))


def over_threshold(report: IngestReport, threshold: float) -> tuple[FileOutcome, ...]:
    """Source files whose bad share is above ``threshold`` (the day threshold's unit is a
    day's records, which one large file can dilute until a small one vanishes)."""
    return tuple(o for o in report.file_outcomes() if o.bad_share > threshold)


class QuarantineThresholdExceeded(RuntimeError):
    """A partition's, or a source file's, bad share is above ``Settings.quarantine_threshold``."""

    def __init__(self, report: IngestReport, threshold: float) -> None:
        self.report = report
        self.threshold = threshold
        lines = []
        for day, share in sorted(report.quarantined_share.items()):
            if share > threshold:
                top = ", ".join(
                    f"{reason}={n}"
                    for reason, n in report.reason_counts(day).most_common()
                    if reason not in reasons.NOT_BAD_DATA
                )
                lines.append(f"{day}: {share:.1%} of records quarantined (top reasons: {top})")
        lines.extend(f"file {outcome.describe()}" for outcome in report.files_over_threshold)
        super().__init__(
            f"quarantined share above threshold {threshold:.1%}; the quarantine is written "
            f"under raw/quarantine/ for inspection:\n  " + "\n  ".join(lines)
        )
