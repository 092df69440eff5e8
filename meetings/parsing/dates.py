"""Calendar vocabulary and arithmetic for deadlines: month names, date spellings, the last day
of a month, quarter, half or year, and a year inferred from the meeting's date."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .normalize import straight_quotes
from .types import Precision

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty-five": 45, "sixty": 60, "ninety": 90,
}  # fmt: skip
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4, "last": 4}  # fmt: skip

MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?)(?![a-z])"
)
# a month written with its capital, for phrases where a lower-case "may" or "march" would be a
# verb: "by mid-March", "in early May", "at the end of September"
CAP_MONTH = (
    r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?))(?![a-z])"
)
WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+"
YEAR = r"(?:19|20)\d{2}(?![\d-])"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DMY = rf"(?:{WEEKDAY})?(?:the\s+)?{DAY}(?:\s+of)?\s+{MONTH},?\s+{YEAR}"
_MDY = rf"(?:{WEEKDAY})?{MONTH}\s+(?:the\s+)?{DAY},?\s+{YEAR}"
_NUM = r"(?:[12]\d|3[01]|0?[1-9])[./](?:1[0-2]|0?[1-9])[./](?:19|20)\d{2}(?!\d)"
_ISO = r"(?:19|20)\d{2}-(?:1[0-2]|0[1-9])-(?:[12]\d|3[01]|0[1-9])(?!\d)"
DM = rf"(?:{WEEKDAY})?(?:the\s+)?{DAY}(?:\s+of)?\s+{MONTH}(?!,?\s+\d)"
MD = rf"(?:{WEEKDAY})?{MONTH}\s+{DAY}(?![\d,]|\s*,?\s*\d)"
FULL_DATE = rf"(?:{_DMY}|{_MDY}|{_NUM}|{_ISO})"
MONTH_YEAR = rf"(?:the\s+month\s+of\s+)?{MONTH},?\s+{YEAR}"
QUARTER = (
    rf"(?:the\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th|last)\s+quarter\s+(?:of\s+)?{YEAR}"
)
HALF = rf"(?:the\s+)?(?:first|second|1st|2nd)\s+half\s+(?:of\s+)?{YEAR}"
Q_SHORT = rf"(?:Q[1-4]|[1-4]Q)\s*(?:of\s+)?{YEAR}"
H_SHORT = rf"H[12]\s*(?:of\s+)?{YEAR}"
PERIOD = rf"(?:{QUARTER}|{HALF}|{Q_SHORT}|{H_SHORT}|{MONTH_YEAR})"


def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_date(text: str, *, reference_date: dt.date | None = None) -> dt.date | None:
    """A single calendar date in any of the supported spellings; None if it is not one."""
    s = straight_quotes(text).strip().lower()
    s = re.sub(rf"^{WEEKDAY}", "", s)
    s = re.sub(r"^the\s+", "", s)
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", s):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if m := re.fullmatch(
            rf"(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({MONTH}),?\s+(\d{{4}})", s
        ):
            return dt.date(int(m[3]), month_number(m[2]), int(m[1]))
        if m := re.fullmatch(
            rf"({MONTH})\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", s
        ):
            return dt.date(int(m[3]), month_number(m[1]), int(m[2]))
        m = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({MONTH})", s)
        m2 = re.fullmatch(rf"({MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?", s)
        if (m or m2) and reference_date is not None:
            day, month = (int(m[1]), month_number(m[2])) if m else (int(m2[2]), month_number(m2[1]))
            year = reference_date.year
            candidate = dt.date(year, month, day) if valid(year, month, day) else None
            if candidate is None or candidate < reference_date:
                year += 1
                while not valid(year, month, day):  # 29 February
                    year += 1
                candidate = dt.date(year, month, day)
            return candidate
    except (ValueError, KeyError):
        return None
    return None


def valid(year: int, month: int, day: int) -> bool:
    return 1 <= day <= calendar.monthrange(year, month)[1]


def period_end(what: str) -> tuple[dt.date, Precision] | None:
    """Last day of a quarter, half, month-year or year expression."""
    s = " ".join(what.lower().split())
    year_m = re.search(r"(?:19|20)\d{2}", s)
    if not year_m:
        return None
    year = int(year_m[0])
    if m := re.search(r"(first|second|third|fourth|1st|2nd|3rd|4th|last)\s+quarter", s):
        q = ORDINALS[m[1]]
        return last_day(year, q * 3), "quarter"
    if m := re.search(r"\b(?:q([1-4])|([1-4])q)\b", s):
        q = int(m[1] or m[2])
        return last_day(year, q * 3), "quarter"
    if m := re.search(r"(first|second|1st|2nd)\s+half", s):
        return last_day(year, 6 * ORDINALS[m[1]]), "half"
    if m := re.search(r"\bh([12])\b", s):
        return last_day(year, 6 * int(m[1])), "half"
    if m := re.search(MONTH, s):
        return last_day(year, month_number(m[0])), "month"
    return dt.date(year, 12, 31), "year"


def period_start(end: dt.date, precision: Precision) -> dt.date:
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}.get(precision, 1)
    return add_months(dt.date(end.year, end.month, 1), -(months - 1))


def month_number(token: str) -> int:
    return MONTHS[token.lower().rstrip(".")]


def in_year(
    month: int, day: int | None, year: int | None, reference_date: dt.date | None
) -> dt.date | None:
    """Day ``day`` (None: the last) of ``month``, in ``year`` or, when the phrase gives none,
    the first such day on or after the meeting ("at the end of January" said in November is
    next January's). None without a year to anchor it."""
    if year is None:
        if reference_date is None:
            return None
        year = reference_date.year
        if _day_of(year, month, day) < reference_date:
            year += 1
    return _day_of(year, month, day)


def _day_of(year: int, month: int, day: int | None) -> dt.date:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day or last, last))
