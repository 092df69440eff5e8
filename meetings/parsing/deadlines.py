"""Deadline phrases: find them in a sentence and say which day they mean.

The date of a deadline is the LAST day that satisfies the phrase ("in February 2024" ->
2024-02-29, "before 1 March 2024" -> 2024-02-29); the precision says how exact the phrase is.
"by the end of <period>" names an exact day, so its precision is "day".
A phrase tied to a later meeting has no date but a ``due_event``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .normalize import straight_quotes
from .types import Deadline, Precision

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty-five": 45, "sixty": 60, "ninety": 90,
}  # fmt: skip
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4, "last": 4}  # fmt: skip

MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?)(?![a-z])"
)
WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+"
YEAR = r"(?:19|20)\d{2}(?![\d-])"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DMY = rf"(?:{WEEKDAY})?(?:the\s+)?{DAY}(?:\s+of)?\s+{MONTH},?\s+{YEAR}"
_MDY = rf"(?:{WEEKDAY})?{MONTH}\s+(?:the\s+)?{DAY},?\s+{YEAR}"
_NUM = r"(?:[12]\d|3[01]|0?[1-9])[./](?:1[0-2]|0?[1-9])[./](?:19|20)\d{2}(?!\d)"
_ISO = r"(?:19|20)\d{2}-(?:1[0-2]|0[1-9])-(?:[12]\d|3[01]|0[1-9])(?!\d)"
_DM = rf"(?:{WEEKDAY})?(?:the\s+)?{DAY}(?:\s+of)?\s+{MONTH}(?!,?\s+\d)"
_MD = rf"(?:{WEEKDAY})?{MONTH}\s+{DAY}(?![\d,]|\s*,?\s*\d)"
FULL_DATE = rf"(?:{_DMY}|{_MDY}|{_NUM}|{_ISO})"
MONTH_YEAR = rf"(?:the\s+month\s+of\s+)?{MONTH},?\s+{YEAR}"
QUARTER = (
    rf"(?:the\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th|last)\s+quarter\s+(?:of\s+)?{YEAR}"
)
HALF = rf"(?:the\s+)?(?:first|second|1st|2nd)\s+half\s+(?:of\s+)?{YEAR}"
Q_SHORT = rf"(?:Q[1-4]|[1-4]Q)\s*(?:of\s+)?{YEAR}"
H_SHORT = rf"H[12]\s*(?:of\s+)?{YEAR}"
PERIOD = rf"(?:{QUARTER}|{HALF}|{Q_SHORT}|{H_SHORT}|{MONTH_YEAR})"

_BY = r"(?:(?:deadline|due\s+date|term)(?:\s*[-:])?|by|until|till|untill|not\s+later\s+than|no\s+later\s+than|on\s+or\s+before|before|prior\s+to|up\s+to|through|latest\s+by|at\s+the\s+latest\s+by)"
_BEFORE = re.compile(r"^(?:before|prior\s+to)", re.IGNORECASE)
_IN = r"(?:in\s+the\s+course\s+of|over\s+the\s+course\s+of|in\s+the\s+year|during|within|throughout|in)"
_EVENT_PREP = r"(?:at|before|by|to|for|until|till|prior\s+to|ahead\s+of|in\s+time\s+for|during|on\s+the\s+occasion\s+of)"
_EVENT_NOUN = r"(?:meeting|session|conference|summit|sitting|round|council)"
_NUMBER_WORD = "|".join(sorted(_NUMBERS, key=len, reverse=True))
_UNIT = r"(?:working\s+days?|business\s+days?|calendar\s+days?|days?|weeks?|months?|years?)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "event",
        re.compile(
            rf"\b{_EVENT_PREP}\s+(?:the\s+|its\s+|their\s+)?"
            rf"(?P<ev>(?:next|forthcoming|upcoming|following|subsequent)\s+(?:[\w-]+\s+){{0,3}}?"
            rf"{_EVENT_NOUN}s?"
            r"(?:\s+of\s+(?:the\s+)?(?P<series>[^,.;:()\"]{3,90}?))?)"
            r"(?=\s*[,.;:()\"]|\s+(?:for|to|and|in|by|with|which|that|where|so)\b|\s*$)",
            re.IGNORECASE,
        ),
    ),
    (
        "end_of",
        re.compile(
            rf"\b(?:(?:{_BY})\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?"
            rf"(?P<what>{QUARTER}|{HALF}|{MONTH_YEAR}|{YEAR}|(?:this|the|current|next)\s+year"
            r"|the\s+current\s+year|(?:this|the|current|next)\s+month)",
            re.IGNORECASE,
        ),
    ),
    (
        "by",
        re.compile(
            rf"\b(?P<prep>{_BY})\s+(?:the\s+)?"
            rf"(?P<what>{FULL_DATE}|{PERIOD}|{YEAR}|{_DM}|{_MD})",
            re.IGNORECASE,
        ),
    ),
    (
        "in",
        re.compile(rf"\b(?P<prep>{_IN})\s+(?P<what>{PERIOD}|{YEAR})", re.IGNORECASE),
    ),
    ("short", re.compile(rf"\b(?P<what>{Q_SHORT}|{H_SHORT})", re.IGNORECASE)),
    (
        "within",
        re.compile(
            rf"\bwithin\s+(?:a\s+period\s+of\s+|the\s+next\s+)?"
            rf"(?P<n>\d{{1,3}}|{_NUMBER_WORD})(?:\s*\((?:\d{{1,3}}|[a-z-]+)\))?\s+(?P<unit>{_UNIT})"
            r"(?P<tail>\s+(?:from|after|of|following)\s+[^,.;]{0,60})?",
            re.IGNORECASE,
        ),
    ),
    ("on", re.compile(rf"\bon\s+(?P<what>{FULL_DATE})", re.IGNORECASE)),
]
_PAST_MARKERS = re.compile(
    r"\b(?:signed|held|dated|adopted|concluded|hosted|established|launched|initiated|since|"
    r"took\s+place|was|were|had|has\s+been|have\s+been|entered\s+into\s+force)\b[^,.;]{0,40}$",
    re.IGNORECASE,
)


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_number(token: str) -> int:
    return _MONTHS[token.lower().rstrip(".")]


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
            return dt.date(int(m[3]), _month_number(m[2]), int(m[1]))
        if m := re.fullmatch(
            rf"({MONTH})\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", s
        ):
            return dt.date(int(m[3]), _month_number(m[1]), int(m[2]))
        m = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({MONTH})", s)
        m2 = re.fullmatch(rf"({MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?", s)
        if (m or m2) and reference_date is not None:
            day, month = (
                (int(m[1]), _month_number(m[2])) if m else (int(m2[2]), _month_number(m2[1]))
            )
            year = reference_date.year
            candidate = dt.date(year, month, day) if _valid(year, month, day) else None
            if candidate is None or candidate < reference_date:
                year += 1
                while not _valid(year, month, day):  # 29 February
                    year += 1
                candidate = dt.date(year, month, day)
            return candidate
    except (ValueError, KeyError):
        return None
    return None


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _period_end(what: str) -> tuple[dt.date, Precision] | None:
    """Last day of a quarter, half, month-year or year expression."""
    s = " ".join(what.lower().split())
    year_m = re.search(r"(?:19|20)\d{2}", s)
    if not year_m:
        return None
    year = int(year_m[0])
    if m := re.search(r"(first|second|third|fourth|1st|2nd|3rd|4th|last)\s+quarter", s):
        q = _ORDINALS[m[1]]
        return _last_day(year, q * 3), "quarter"
    if m := re.search(r"\b(?:q([1-4])|([1-4])q)\b", s):
        q = int(m[1] or m[2])
        return _last_day(year, q * 3), "quarter"
    if m := re.search(r"(first|second|1st|2nd)\s+half", s):
        return _last_day(year, 6 * _ORDINALS[m[1]]), "half"
    if m := re.search(r"\bh([12])\b", s):
        return _last_day(year, 6 * int(m[1])), "half"
    if m := re.search(MONTH, s):
        return _last_day(year, _month_number(m[0])), "month"
    return dt.date(year, 12, 31), "year"


def _interpret(
    kind: str,
    m: re.Match[str],
    reference_date: dt.date | None,
    signing_date: dt.date | None = None,
) -> tuple[dt.date | None, Precision | None, str | None] | None:
    if kind == "event":
        return None, None, " ".join(m["ev"].split())
    if kind == "end_of":
        what = m["what"].lower()
        if re.search(r"(this|the|current)\s+year", what):
            return (
                (dt.date(reference_date.year, 12, 31) if reference_date else None),
                "day",
                None,
            )
        if "next year" in what:
            return (
                (dt.date(reference_date.year + 1, 12, 31) if reference_date else None),
                "day",
                None,
            )
        if "month" in what:
            if reference_date is None:
                return None, "day", None
            base = _add_months(reference_date, 1) if "next" in what else reference_date
            return _last_day(base.year, base.month), "day", None
        end = _period_end(what)
        return (end[0], "day", None) if end else None
    if kind in ("by", "on"):
        what = m["what"]
        before = kind == "by" and bool(_BEFORE.match(m["prep"]))
        day = parse_date(what, reference_date=reference_date)
        if day is not None or re.search(r"\d", what) and not re.search(YEAR, what):
            if day is None:  # a day and month with no reference year to anchor them
                return None, "day", None
            return (day - dt.timedelta(days=1) if before else day), "day", None
        if re.fullmatch(YEAR, what.strip()):
            year = int(what.strip())
            return dt.date(year - 1 if before else year, 12, 31), "year", None
        end = _period_end(what)
        if end is None:
            return None
        if before:  # "before March 2024": the day before the period starts
            start = _period_start(end[0], end[1])
            return start - dt.timedelta(days=1), end[1], None
        return end[0], end[1], None
    if kind in ("in", "short"):
        end = _period_end(m["what"])
        return (end[0], end[1], None) if end else None
    if kind == "within":
        unit = m["unit"].lower()
        n_text = m["n"].lower()
        n = int(n_text) if n_text.isdigit() else _NUMBERS.get(n_text, 0)
        tail = " ".join((m["tail"] or "").split())
        if signing_date is not None and re.search(r"(?i)\bsign", tail):
            reference_date = signing_date  # "within 30 days from the date of signing"
        elif tail and not re.search(
            r"(?i)\b(?:sign|meeting|session|protocol|minutes|record|hereof|today|adoption)", tail
        ):
            # "within one month of its receipt", "within 10 working days of the completion": a
            # period counted from an event of its own, whose date the minutes do not give
            return None, None, f"within {m['n']} {unit} {tail}"
        if reference_date is None:
            return None, "day", None
        if "working" in unit or "business" in unit:
            day, left = reference_date, n
            while left > 0:
                day += dt.timedelta(days=1)
                if day.weekday() < 5:
                    left -= 1
            return day, "day", None
        if unit.startswith(("day", "calendar")):
            return reference_date + dt.timedelta(days=n), "day", None
        if unit.startswith("week"):
            return reference_date + dt.timedelta(weeks=n), "day", None
        if unit.startswith("month"):
            return _add_months(reference_date, n), "day", None
        return _add_months(reference_date, 12 * n), "day", None
    return None


def _period_start(end: dt.date, precision: Precision) -> dt.date:
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}.get(precision, 1)
    return _add_months(dt.date(end.year, end.month, 1), -(months - 1))


def find_deadlines(
    sentence: str,
    *,
    reference_date: dt.date | None = None,
    signing_date: dt.date | None = None,
) -> list[Deadline]:
    """Deadline phrases in ``sentence``, in order, without overlaps.

    With a ``reference_date`` (the meeting or signing date), dates before it are past
    references ("signed on 11 November 2022", "in 1998"), not deadlines, and are left out;
    so are dates introduced by a past-tense verb ("held on ...").
    """
    text = straight_quotes(sentence)
    found: list[tuple[int, int, Deadline]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            meaning = _interpret(kind, m, reference_date, signing_date)
            if meaning is None:
                continue
            day, precision, event = meaning
            if kind in ("on", "in") and _PAST_MARKERS.search(
                text[max(0, m.start() - 60) : m.start()]
            ):
                continue
            if day is not None and reference_date is not None and day < reference_date:
                continue
            phrase = sentence[m.start() : m.end()].strip()
            phrase = re.sub(r"[\s,]+$", "", phrase)
            found.append(
                (
                    m.start(),
                    m.end(),
                    Deadline(phrase, day, precision, event, m.start(), m.end()),
                )
            )
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    result: list[Deadline] = []
    last_end = -1
    for start, end, deadline in found:
        if start >= last_end:
            result.append(deadline)
            last_end = end
    return result


def parse_deadline(text: str, *, reference_date: dt.date | None = None) -> Deadline | None:
    """The deadline a phrase means, or None if it names none.

    >>> parse_deadline("by the end of 2023").date
    datetime.date(2023, 12, 31)
    """
    if not text or not text.strip():
        return None
    text = text[:2000]
    found = find_deadlines(text, reference_date=reference_date)
    if found:
        return found[0]
    bare = text.strip().rstrip(".;,")
    day = parse_date(bare, reference_date=reference_date)
    if day is not None:
        return Deadline(bare, day, "day", None, 0, len(bare))
    return None
