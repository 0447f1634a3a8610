"""Whether a dimension label (source, bot_version, intent) holds personal data."""

from __future__ import annotations

import re

from pipelines.pii import detect

# Version labels carry release dates ("release-20260301-00012", "2025.03.1" in calendar
# versioning), which the detector's digit patterns read as phone or card numbers. A span
# without letters that holds a year of this century followed by a month is such a stamp,
# not a person's number ("2015550133" is not: 55 is no month).
_DATE_STAMP = re.compile(r"(?<!\d)20\d\d[-._]?(?:0[1-9]|1[0-2])")


def label_is_personal(label: str) -> bool:
    """True when the PII detector (every entity type, as for message text) finds
    personal data in a dimension label, release-date stamps aside."""
    for span in detect(label):
        found = label[span.start : span.end]
        if any(c.isalpha() for c in found) or not _DATE_STAMP.search(found):
            return True
    return False
