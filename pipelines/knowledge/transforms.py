"""Functions that turn a rule's regex match into its US replacement.

A rule names one in ``transform:``. Each gets the match and its context and returns
a :class:`Replacement`, or None when the match is not what the rule is about (an
impossible date, a decimal that is not a price). ``safe`` says whether ``--fix`` may
write the replacement without a human choosing between readings.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class Replacement:
    """The US form of a match. ``start`` widens the finding backwards over words the
    regex could not begin with cheaply (the weekday in "Friday 12th December")."""

    text: str
    safe: bool = True
    fields: dict[str, str] = field(default_factory=dict)
    start: int | None = None


@dataclass(frozen=True)
class MatchContext:
    """What a transform may look at besides the match: the prose, locale and params."""

    text: str
    locale: str
    params: dict[str, Any]


Transform = Callable[[re.Match[str], MatchContext], Replacement | None]

MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
MONTH_ABBREVIATIONS = {
    "Jan": "January",
    "Feb": "February",
    "Mar": "March",
    "Apr": "April",
    "Jun": "June",
    "Jul": "July",
    "Aug": "August",
    "Sep": "September",
    "Sept": "September",
    "Oct": "October",
    "Nov": "November",
    "Dec": "December",
}
WEEKDAYS = {
    "Mon": "Monday",
    "Tue": "Tuesday",
    "Tues": "Tuesday",
    "Wed": "Wednesday",
    "Thu": "Thursday",
    "Thur": "Thursday",
    "Thurs": "Thursday",
    "Fri": "Friday",
    "Sat": "Saturday",
    "Sun": "Sunday",
}
# Regions whose all-numeric dates are month-first; an article without a region, or
# from a region that mixes both orders (Canada), gives no reading to rely on.
MONTH_FIRST_REGIONS = frozenset({"US", "PH", "FM", "MH", "PW"})
MIXED_REGIONS = frozenset({"CA"})
NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
}


# ---------------------------------------------------------------------------- dates
def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _valid_day(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    return day <= calendar.monthrange(year if year is not None else 2024, month)[1]


def _us_date(year: int | None, month: int, day: int) -> str:
    text = f"{calendar.month_name[month]} {day}"
    return f"{text}, {year}" if year is not None else text


def _numeric_parts(match: re.Match[str]) -> tuple[int, int, int] | None:
    # Two-digit years only with slashes: "1.2.10" and "4-12-26" are versions and codes.
    if match["sep"] != "/" and len(match["year"]) == 2:
        return None
    return int(match["first"]), int(match["second"]), _year(match["year"])


def day_first_date(match: re.Match[str], context: MatchContext) -> Replacement | None:
    parts = _numeric_parts(match)
    if parts is None:
        return None
    day, month, year = parts
    if day <= 12 or not _valid_day(year, month, day):
        return None
    return Replacement(_us_date(year, month, day))


def ambiguous_numeric_date(match: re.Match[str], context: MatchContext) -> Replacement | None:
    parts = _numeric_parts(match)
    if parts is None:
        return None
    first, second, year = parts
    if first == second or not (1 <= first <= 12 and 1 <= second <= 12):
        return None
    region = _region(context.locale)
    if region in MONTH_FIRST_REGIONS:
        return Replacement(_us_date(year, first, second), True, {"reading": "month/day"})
    if region is None or region in MIXED_REGIONS:
        return Replacement(
            _us_date(year, first, second),
            False,
            {"reading": "month/day; check: the article's locale does not say"},
        )
    return Replacement(
        _us_date(year, second, first), True, {"reading": f"day/month, as in {context.locale}"}
    )


_BEFORE_DAY = re.compile(
    r"(?:\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues?"
    r"|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.?,?\s+)?(?:\bthe\s+)?$"
)


def month_first_date(match: re.Match[str], context: MatchContext) -> Replacement | None:
    month_name = MONTH_ABBREVIATIONS.get(match["month"], match["month"])
    month = MONTHS[month_name]
    day = int(match["day"])
    year = int(match["year"]) if match["year"] else None
    if not _valid_day(year, month, day):
        return None
    text = _us_date(year, month, day)
    before = _BEFORE_DAY.search(context.text, max(0, match.start() - 16), match.start())
    start = before.start() if before and before.group() else None
    if before and before["weekday"]:
        text = f"{WEEKDAYS.get(before['weekday'], before['weekday'])}, {text}"
    return Replacement(text, start=start)


def iso_date(match: re.Match[str], context: MatchContext) -> Replacement | None:
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    if not _valid_day(year, month, day):
        return None
    return Replacement(_us_date(year, month, day))


def _region(locale: str) -> str | None:
    parts = locale.strip().replace("_", "-").split("-")
    return parts[1].upper() if len(parts) > 1 and len(parts[1]) == 2 else None


# ---------------------------------------------------------------------------- times
def _clock(hour: int, minute: int, meridiem: str | None = None) -> str:
    """US clock time in AP style: 9 a.m., 5:30 p.m., noon, midnight."""
    if meridiem is None:
        meridiem = "a.m." if hour % 24 < 12 else "p.m."
    if minute == 0 and hour in (0, 24):
        return "midnight"
    if minute == 0 and hour == 12:
        return "noon"
    twelve = hour % 12 or 12
    return f"{twelve} {meridiem}" if minute == 0 else f"{twelve}:{minute:02d} {meridiem}"


def _guess_meridiem(hour: int) -> str:
    # Support hours: 7-11 are mornings, 12-6 afternoons; a guess, so never auto-fixed.
    return "a.m." if 7 <= hour <= 11 else "p.m."


def twelve_hour_time(match: re.Match[str], context: MatchContext) -> Replacement | None:
    hour, minute = int(match["hour"]), int(match["minute"])
    if hour > 24:
        return None
    leading_zero = len(match["hour"]) == 2 and match["hour"].startswith("0")
    if not (match["sep"] == "h" or hour >= 13 or hour in (0, 24) or leading_zero):
        return None  # 1:00-12:59 without a.m./p.m. is time.no_meridiem's
    if hour == 24 and minute:
        return None
    return Replacement(_clock(hour, minute))


_TIME_CUE_BEFORE = re.compile(
    r"(?:\b(?:at|from|to|until|till|between|by|before|after|and|or|opens?|closes?)\s+|[–-]\s*)$",
    re.IGNORECASE,
)
_TIME_CUE_AFTER = re.compile(
    r"^\s*(?:[–-]|to\b|until\b|and\b|(?:GMT|BST|CET|CEST|IST|AEST|AEDT|NZST|SAST)\b)"
)


def dotted_time(match: re.Match[str], context: MatchContext) -> Replacement | None:
    hour, minute = int(match["hour"]), int(match["minute"])
    if hour > 23:
        return None
    if match["meridiem"]:
        if not 1 <= hour <= 12:
            return None
        return Replacement(_clock(hour, minute, f"{match['meridiem'].lower()}.m."))
    # Without a.m./p.m. "9.30" is a time only where the sentence says so; prices and
    # decimals ("costs 9.30", "version 2.15") have neither a cue nor quarter-hour minutes.
    before = context.text[max(0, match.start() - 12) : match.start()]
    after = context.text[match.end() : match.end() + 8]
    if minute % 15 or not (_TIME_CUE_BEFORE.search(before) or _TIME_CUE_AFTER.match(after)):
        return None
    if hour >= 13 or hour == 0:
        return Replacement(_clock(hour, minute))
    return Replacement(_clock(hour, minute, _guess_meridiem(hour)), safe=False)


def meridiem_guess(match: re.Match[str], context: MatchContext) -> Replacement | None:
    hour, minute = int(match["hour"]), int(match["minute"])
    if not 1 <= hour <= 12 or match["hour"].startswith("0"):
        return None  # 24-hour forms are time.24_hour's
    guess = _clock(hour, minute, _guess_meridiem(hour))
    other = _clock(hour, minute, "p.m." if guess.endswith("a.m.") else "a.m.")
    if guess in ("noon", "midnight"):
        return Replacement(guess, safe=False)
    return Replacement(f"{guess} (or {other})", safe=False)


def spoken_time(match: re.Match[str], context: MatchContext) -> Replacement | None:
    word = match["hour"].lower()
    hour = NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word)
    kind = " ".join(match["kind"].lower().split())
    if kind in ("half", "half past"):
        minute = 30
    elif kind == "quarter past":
        minute = 15
    else:
        hour, minute = (hour - 1) or 12, 45
    return Replacement(_clock(hour, minute, _guess_meridiem(hour)), safe=False)


@lru_cache(maxsize=256)
def _words_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive whole-word regex for a rule's list of cue words."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?i)\b(?:{alternatives})\b")


_PER_PERIOD = re.compile(r"(?i)\s*(?:a|per|/)\s*(?:month|year|week|day)")


# ---------------------------------------------------------------------------- money
_AMOUNT = re.compile(r"\d[\d,.]*\d|\d")


def _us_amount(raw: str) -> str | None:
    """'6,95' -> '6.95', '10.000,50' -> '10,000.50', '1,299' -> '1,299'."""
    found = _AMOUNT.search(raw)
    if found is None:
        return None
    number = found.group()
    decimal = re.search(r"[.,](\d{2})$", number)
    whole, cents = (number[: decimal.start()], decimal.group(1)) if decimal else (number, "")
    digits = re.sub(r"[.,]", "", whole)
    if not digits:
        return None
    text = f"{int(digits):,}"
    return f"{text}.{cents}" if cents else text


def dollar_amount(match: re.Match[str], context: MatchContext) -> Replacement | None:
    start = match.start()
    before = context.text[start - 1 : start] if start else ""
    if before.isalnum() or before == "_":
        return None  # "EUR4" inside a word or code, not a price
    amount = _us_amount(match.group())
    if not amount:
        return None
    return Replacement(f"${amount}", safe=False, start=start - 1 if before == "$" else None)


def pence_to_cents(match: re.Match[str], context: MatchContext) -> Replacement | None:
    pence = int(match["amount"])
    return Replacement(f"${pence / 100:.2f} (the US price)", safe=False)


def amount_without_symbol(match: re.Match[str], context: MatchContext) -> Replacement | None:
    cues = context.params.get("cue_words", [])
    before = context.text[max(0, match.start() - 30) : match.start()]
    after = context.text[match.end() : match.end() + 14]
    if not (_words_regex(tuple(cues)).search(before) or _PER_PERIOD.match(after)):
        return None
    amount = _us_amount(match.group())
    return Replacement(f"${amount}", safe=False) if amount else None


# ---------------------------------------------------------------------------- phone
def emergency_number(match: re.Match[str], context: MatchContext) -> Replacement | None:
    start = match.start("number") - match.start()
    text = match.group()
    return Replacement(f"{text[:start]}911", safe=False)


# ---------------------------------------------------------------------------- units
# metric unit -> (US unit singular, plural, factor); temperatures are handled apart.
_CONVERSIONS: dict[str, tuple[str, str, float]] = {
    "km": ("mile", "miles", 0.621371),
    "km/h": ("mph", "mph", 0.621371),
    "kg": ("lb", "lb", 2.20462),
    "g": ("oz", "oz", 0.035274),
    "cm": ("in", "in", 0.393701),
    "mm": ("in", "in", 0.0393701),
    "m": ("ft", "ft", 3.28084),
    "l": ("qt", "qt", 1.05669),
    "ml": ("fl oz", "fl oz", 0.033814),
    "t": ("ton", "tons", 1.10231),
    "ha": ("acre", "acres", 2.47105),
}
_UNIT_KEYS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), key)
    for pattern, key in (
        (r"^(?:km/h|kph)$", "km/h"),
        (r"^(?:km|kilomet(?:re|er)s?)$", "km"),
        (r"^(?:kgs?|kilos?|kilo(?:gram|gramme)s?)$", "kg"),
        (r"^(?:g|grams?|grammes?)$", "g"),
        (r"^(?:cm|centimet(?:re|er)s?)$", "cm"),
        (r"^(?:mm|millimet(?:re|er)s?)$", "mm"),
        (r"^(?:m|met(?:re|er)s?)$", "m"),
        (r"^(?:ml|millilit(?:re|er)s?)$", "ml"),
        (r"^(?:litres?|liters?)$", "l"),
        (r"^tonnes?$", "t"),
        (r"^hectares?$", "ha"),
    )
)
_US_UNITS = (
    r"(?:mi|miles?|mph|lbs?|pounds?|oz|ounces?|in|inch(?:es)?|ft|feet|foot|yd|yards?"
    r"|°\s?F|degrees? F(?:ahrenheit)?|gal(?:lons?)?|qt|quarts?|fl\.? oz|acres?|tons?)"
)
_US_BEFORE = re.compile(rf"\d[\d.,]*\s?{_US_UNITS}\.?\s*[(\[]\s*$")
_US_AFTER = re.compile(rf"^\s*[(\[]\s*(?:about\s+|approx\.?\s+|~)?\d[\d.,]*\s?{_US_UNITS}\b")


def metric_to_us(match: re.Match[str], context: MatchContext) -> Replacement | None:
    before = context.text[max(0, match.start() - 25) : match.start()]
    after = context.text[match.end() : match.end() + 30]
    if _US_BEFORE.search(before) or _US_AFTER.match(after):
        return None  # already given in US units, metric alongside
    amount = float(match["amount"].replace(",", "."))
    unit = re.sub(r"\s", "", match["unit"])
    original = match.group()
    if "C" in unit or "centigrade" in unit.lower():
        return Replacement(f"{_number(amount * 9 / 5 + 32)}°F ({original})", safe=False)
    key = next((key for regex, key in _UNIT_KEYS if regex.match(unit)), None)
    if key is None:
        return None
    singular, plural, factor = _CONVERSIONS[key]
    value = amount * factor
    name = singular if _number(value) == "1" else plural
    return Replacement(f"{_number(value)} {name} ({original})", safe=False)


def _number(value: float) -> str:
    if abs(value) < 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{round(value):,}"


_PAPER = {
    "A0": "36 × 48 in",
    "A1": "24 × 36 in",
    "A2": "18 × 24 in",
    "A3": "tabloid (11 × 17 in)",
    "A4": "US Letter (8.5 × 11 in)",
    "A5": "half letter (5.5 × 8.5 in)",
    "A6": "4 × 6 in",
}


def paper_size(match: re.Match[str], context: MatchContext) -> Replacement | None:
    cues = context.params.get("cue_words", [])
    window = context.text[max(0, match.start() - 30) : match.end() + 30]
    if not _words_regex(tuple(cues)).search(window):
        return None
    return Replacement(_PAPER[match.group()], safe=False)


# ---------------------------------------------------------------------------- words
def idiom(match: re.Match[str], context: MatchContext) -> Replacement | None:
    text = match.group()
    lowered = text.lower()
    if lowered.startswith("lodg"):
        return Replacement(re.sub(r"(?i)^lodg(?:e|ed|es|ing)", "file", text), safe=False)
    if "revert" in lowered:
        if "back" in lowered:
            return Replacement("reply", safe=False)
        return Replacement(re.sub(r"(?i)revert", "get back to you", text), safe=False)
    if "up" in lowered.split():
        return Replacement("follow up", safe=False)
    return Replacement("follow up on it", safe=False)


def apartment(match: re.Match[str], context: MatchContext) -> Replacement | None:
    if match["number"]:
        return Replacement(f"Apt. {match['number']}", safe=False)
    lowered = " ".join(match.group().lower().split())
    if lowered.startswith("flat"):
        return Replacement("apartment number", safe=False)
    if lowered in ("block of flats", "apartment block"):
        return Replacement("apartment building", safe=False)
    return Replacement(re.sub(r"(?i)flat$", "apartment", match.group()), safe=False)


def region_field(match: re.Match[str], context: MatchContext) -> Replacement | None:
    start = context.text.rfind("\n", 0, match.start()) + 1
    end = context.text.find("\n", match.end())
    line = context.text[start : end if end != -1 else len(context.text)]
    word = " ".join(match["word"].lower().split())
    others = tuple(cue for cue in context.params.get("context_words", []) if cue.lower() != word)
    if not _words_regex(others).search(line):
        return None
    return Replacement("city" if word in ("suburb", "post town", "posttown") else "state", False)


TRANSFORMS: dict[str, Transform] = {
    function.__name__: function
    for function in (
        day_first_date,
        ambiguous_numeric_date,
        month_first_date,
        iso_date,
        twelve_hour_time,
        dotted_time,
        meridiem_guess,
        spoken_time,
        dollar_amount,
        pence_to_cents,
        amount_without_symbol,
        emergency_number,
        metric_to_us,
        paper_size,
        idiom,
        apartment,
        region_field,
    )
}
