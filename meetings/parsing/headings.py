"""Place and date lines of a heading: "Baku, 5-6 March 2025", "(11 December 2023, Tashkent)",
"Tehran, Islamic Republic of Iran" / "10-11 December 2024"."""

from __future__ import annotations

import datetime as dt
import re

from .dates import FULL_DATE, MONTH, parse_date
from .dates import WEEKDAY as _WEEKDAY
from .gazetteer import CITIES
from .normalize import fold
from .parties import PartyResolver

_DATE_RANGE = re.compile(
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+(?P<m1>{MONTH}))?(?:\s+(?P<y1>\d{{4}}))?"
    rf"\s*(?:-|to|–)\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH}),?\s+(?P<y2>\d{{4}})"
    rf"|(?P<m3>{MONTH})\s+(?P<d3>\d{{1,2}})\s*-\s*(?P<d4>\d{{1,2}}),?\s+(?P<y3>\d{{4}})"
    rf"|(?P<single>(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}})|(?:{MONTH}\s+\d{{1,2}},?\s+\d{{4}})"
    r"|\d{1,2}\.\d{1,2}\.\d{4})",
    re.IGNORECASE,
)
_PLACE = r"[A-ZÀ-Ý](?:[^\W\d_]|['. -]){1,40}"
# "Baku, 5-6 March 2025", "5 March 2025, Baku", "Shusha, Republic of Azerbaijan, 18 October
# 2024", "Tashkent city   14 January 2025" (a date pushed to the right margin)
PLACE_DATE_LINE = re.compile(
    r"^\(?\s*(?:(?P<date1>[^,()]*\d{4})\s*,\s*(?P<place1>[A-Z][^()\d]{1,60}?)"
    rf"|(?P<place2>{_PLACE}(?:,\s*{_PLACE})?),\s*(?P<date2>[^,()]*\d{{4}})"
    rf"|(?P<place3>{_PLACE}?)\s+(?P<date3>(?i:(?:{_WEEKDAY})?\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}})?"
    rf"\s+{MONTH},?\s+\d{{4}})|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}))\s*\)?\s*$"
)
DATE_LINE = re.compile(rf"^(?:{_WEEKDAY})?(?:{_DATE_RANGE.pattern})\.?$", re.IGNORECASE)


def place_date(m: re.Match[str]) -> tuple[str, str]:
    """(date text, place) of a PLACE_DATE_LINE match; "Tashkent city" is Tashkent."""
    date = m["date1"] or m["date2"] or m["date3"] or ""
    place = (m["place1"] or m["place2"] or m["place3"] or "").strip()
    return date, re.sub(r"(?i)\s+city$", "", place)


def is_place_line(text: str) -> bool:
    """A heading line naming only the place: "Tehran, Islamic Republic of Iran"."""
    if not re.fullmatch(rf"{_PLACE}(?:,\s*{_PLACE})*", text):
        return False
    return fold(re.sub(r"(?i)\s+city$", "", text.split(",")[0].strip())) in CITIES


def parse_date_range(text: str) -> tuple[dt.date | None, dt.date | None]:
    m = _DATE_RANGE.search(text)
    if not m:
        return None, None
    if m["single"]:
        day = parse_date(m["single"])
        return day, day
    if m["m3"]:
        y = int(m["y3"])
        return parse_date(f"{m['d3']} {m['m3']} {y}"), parse_date(f"{m['d4']} {m['m3']} {y}")
    end = parse_date(f"{m['d2']} {m['m2']} {m['y2']}")
    start = parse_date(f"{m['d1']} {m['m1'] or m['m2']} {m['y1'] or m['y2']}")
    if start and end and start > end and not m["y1"]:  # "30 December - 2 January 2024"
        start = start.replace(year=start.year - 1)
    return start, end


def split_place(place: str, resolver: PartyResolver) -> tuple[str, str | None]:
    parts = [p.strip() for p in place.split(",") if p.strip()]
    if not parts:
        return "", None
    city = parts[0]
    country = resolver.country_code(parts[-1]) if len(parts) > 1 else None
    return city, country or CITIES.get(fold(city))


_FULL_DATE = re.compile(rf"(?i)\b{FULL_DATE}")


def title_date(lines: list[str]) -> dt.date | None:
    """The first full date in the first lines of a document's heading ("Minutes of the meeting
    of 4 March 2025 (videoconference)"), where no place and date line gives one."""
    heads = [line for line in lines if line.strip()][:4]
    for line in heads:
        if m := _FULL_DATE.search(line):
            return parse_date(m[0])
    return None
