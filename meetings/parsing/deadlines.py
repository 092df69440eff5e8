"""Deadline phrases: find them in a sentence and say which day they mean.

The date of a deadline is the LAST day that satisfies the phrase ("in February 2024" ->
2024-02-29, "before 1 March 2024" -> 2024-02-29); the precision says how exact the phrase is.
"by the end of <period>" names an exact day, so its precision is "day".
A phrase tied to a later meeting has no date but a ``due_event``.
"""

from __future__ import annotations

import datetime as dt
import re

from .dates import (
    CAP_MONTH,
    DM,
    FULL_DATE,
    H_SHORT,
    HALF,
    MD,
    MONTH,
    MONTH_YEAR,
    NUMBERS,
    ORDINALS,
    PERIOD,
    Q_SHORT,
    QUARTER,
    WEEKDAY,
    YEAR,
    add_months,
    in_year,
    last_day,
    month_number,
    parse_date,
    period_end,
    period_start,
)
from .normalize import straight_quotes
from .types import Deadline, Precision

_BY = r"(?:(?:deadline|due\s+date|term)(?:\s*[-:])?|by|until|till|untill|not\s+later\s+than|no\s+later\s+than|on\s+or\s+before|before|prior\s+to|up\s+to|through|latest\s+by|at\s+the\s+latest\s+by)(?:\s+(?:COB|EOD|close\s+of\s+business|end\s+of\s+(?:the\s+)?day)(?:\s+on)?)?"
_BEFORE = re.compile(r"^(?:before|prior\s+to)", re.IGNORECASE)
_IN = r"(?:in\s+the\s+course\s+of|over\s+the\s+course\s+of|in\s+the\s+year|during|within|throughout|in)"
_EVENT_PREP = r"(?:at|before|by|to|for|until|till|prior\s+to|ahead\s+of|in\s+time\s+for|during|on\s+the\s+occasion\s+of)"
_EVENT_NOUN = (
    r"(?:meeting|session|conference|summit|sitting|round|council|committee|board|plenary|assembly)"
)
_ORDINAL_WORD = (
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
)
_EVENT_END = r"(?=\s*[,.;:()\"]|\s+(?:for|to|and|in|by|with|which|that|where|so)\b|\s*$)"
# which part of a month: "early May" ends on the 10th, "mid-March" on the 15th
_PART_DAY = {"early": 10, "beginning": 10, "start": 10, "mid": 15, "middle": 15}
_NUMBER_WORD = "|".join(sorted(NUMBERS, key=len, reverse=True))
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
        # a numbered meeting still to come: "at the 12th Meeting of the Heads of ...", "by the
        # Twelfth Session" (whether it is still to come is for the caller, who knows the meeting)
        "event",
        re.compile(
            rf"\b{_EVENT_PREP}\s+(?:the\s+|its\s+|their\s+)?"
            rf"(?P<ev>(?:\d{{1,3}}(?:st|nd|rd|th)|{_ORDINAL_WORD})\s+(?:[\w-]+\s+){{0,3}}?{_EVENT_NOUN}"
            r"(?:\s+of\s+(?:the\s+)?(?P<series>[^,.;:()\"]{3,90}?))?)" + _EVENT_END,
            re.IGNORECASE,
        ),
    ),
    (
        # the next meeting named by the body's acronym: "by the next PMC", "at the next PSC"
        "event",
        re.compile(
            rf"\b{_EVENT_PREP}\s+(?:the\s+|its\s+|their\s+)?"
            r"(?P<ev>(?:next|forthcoming|upcoming|following)\s+(?-i:[A-Z]{2,6}))(?![\w-])",
            re.IGNORECASE,
        ),
    ),
    (
        # part of a month, the year inferred from the meeting's when not written: "by mid-March",
        # "in early May 2025", "at the end of September", "before the end of June"
        "part",
        re.compile(
            rf"\b(?:(?:{_BY}|in|at|during|around|from)\s+)?(?:the\s+)?"
            r"(?P<part>early|mid|late|beginning\s+of|start\s+of|middle\s+of|end(?:\s+of)?)[\s-]*"
            rf"(?:the\s+month\s+of\s+)?(?P<month>{CAP_MONTH})(?:,?\s+(?P<year>{YEAR}))?(?![\w-]|\s+\d)",
            re.IGNORECASE,
        ),
    ),
    (
        # a quarter without its year: "by the end of Q3", "in the second quarter" (the year of
        # the meeting, or the next when that quarter is over)
        "quarter",
        re.compile(
            r"\b(?:(?:by|in|during|before|until|within)\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?"
            r"(?:(?-i:Q)(?P<q>[1-4])|(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)"
            r"(?!\s*(?:of\s+)?(?:19|20)\d{2}|\w)",
            re.IGNORECASE,
        ),
    ),
    (
        # a month without its year: "by March", "in May" (the year of the meeting or the next)
        "month",
        re.compile(
            rf"\b(?P<prep>{_BY}|in|during)\s+(?:the\s+month\s+of\s+)?(?P<month>{CAP_MONTH})"
            r"(?!,?\s*\d|[\w-])",
            re.IGNORECASE,
        ),
    ),
    (
        # "in the week of 15-18 June", "during the week commencing 9 March 2026", "w/c 15 June"
        "week",
        re.compile(
            r"\b(?:(?:in|during|for|by)\s+)?(?:the\s+week\s+(?:of|beginning|commencing|starting(?:\s+on)?)|w/c)\s+"
            rf"(?:{WEEKDAY})?(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|to|–)\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?"
            rf"\s+(?P<month>{MONTH})(?:,?\s+(?P<year>{YEAR}))?",
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
            rf"(?P<what>{FULL_DATE}|{PERIOD}|{YEAR}|{DM}|{MD})",
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
            rf"\b(?:within|in)\s+(?:a\s+period\s+of\s+|the\s+next\s+)?"
            rf"(?P<n>\d{{1,3}}|{_NUMBER_WORD})(?:\s*\((?:\d{{1,3}}|[a-z-]+)\))?\s+(?P<unit>{_UNIT})"
            r"(?:['’]s?\s+time)?(?P<tail>\s+(?:from|after|of|following)\s+[^,.;]{0,60})?",
            re.IGNORECASE,
        ),
    ),
    (
        "week_of",
        re.compile(
            r"\b(?:(?:by|before|during|in)\s+)?(?:the\s+)?(?:end\s+of\s+)?(?P<which>this|next)\s+week\b",
            re.IGNORECASE,
        ),
    ),
    (
        "day_month",
        # "by 15/03", "by 15.03" (not "grew by 2.1%")
        re.compile(
            rf"\b(?:{_BY})\s+(?:(?P<d>[0-3]?\d)/(?P<m>[01]?\d)|(?P<d2>[0-3]\d)\.(?P<m2>[01]\d))"
            r"(?![./]?\d|\s*(?:%|per\s*cent|percent|million|billion|thousand))",
            re.IGNORECASE,
        ),
    ),
    ("on", re.compile(rf"\bon\s+(?P<what>{FULL_DATE})", re.IGNORECASE)),
    # a day of the meeting's year: "freeze the scope on 30 June" (a day already past is no
    # deadline: "the minutes of the meeting on 6 May were agreed")
    ("on_day", re.compile(rf"\bon\s+(?:the\s+)?(?P<what>{DM}|{MD})", re.IGNORECASE)),
]
_PAST_MARKERS = re.compile(
    r"\b(?:signed|held|dated|adopted|concluded|hosted|established|launched|initiated|since|"
    r"took\s+place|was|were|had|has\s+been|have\s+been|entered\s+into\s+force)\b[^,.;]{0,40}$",
    re.IGNORECASE,
)


def _interpret(
    kind: str,
    m: re.Match[str],
    reference_date: dt.date | None,
    signing_date: dt.date | None = None,
) -> tuple[dt.date | None, Precision | None, str | None] | None:
    if kind == "event":
        return None, None, " ".join(m["ev"].split())
    if kind == "part":
        part = m["part"].split()[0].lower()
        year = int(m["year"]) if m["year"] else None
        day = in_year(month_number(m["month"]), _PART_DAY.get(part), year, reference_date)
        return day, "day", None
    if kind == "quarter":
        q = int(m["q"]) if m["q"] else ORDINALS[m["qw"].lower()]
        day = in_year(3 * q, None, None, reference_date)
        return day, "day" if re.search(r"(?i)\bend\b", m.group()) else "quarter", None
    if kind == "month":
        month = month_number(m["month"])
        if _BEFORE.match(m["prep"]):  # "before June": the last day of May
            start = in_year(month, 1, None, reference_date)
            return (start - dt.timedelta(days=1) if start else None), "month", None
        return in_year(month, None, None, reference_date), "month", None
    if kind == "week":
        year = int(m["year"]) if m["year"] else None
        first = in_year(month_number(m["month"]), int(m["d1"]), year, reference_date)
        if first is None:
            return None, "day", None
        if m["d2"]:  # "15-18 June": the range ends on the 18th (of the next month if lower)
            last = first.replace(day=1) + dt.timedelta(days=int(m["d2"]) - 1)
            return (last if last >= first else add_months(last, 1)), "day", None
        return first + dt.timedelta(days=4), "day", None  # the working week it begins
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
            base = add_months(reference_date, 1) if "next" in what else reference_date
            return last_day(base.year, base.month), "day", None
        end = period_end(what)
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
        end = period_end(what)
        if end is None:
            return None
        if before:  # "before March 2024": the day before the period starts
            start = period_start(end[0], end[1])
            return start - dt.timedelta(days=1), end[1], None
        return end[0], end[1], None
    if kind == "week_of":  # the Friday of that week
        if reference_date is None:
            return None, "day", None
        friday = reference_date + dt.timedelta(days=(4 - reference_date.weekday()) % 7)
        return friday + dt.timedelta(weeks=m["which"].lower() == "next"), "day", None
    if kind == "day_month":
        month, day = int(m["m"] or m["m2"]), int(m["d"] or m["d2"])
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            return None
        return in_year(month, day, None, reference_date), "day", None
    if kind == "on_day":
        if reference_date is None:
            return None
        day = parse_date(f"{m['what']} {reference_date.year}")
        return (day, "day", None) if day and day >= reference_date else None
    if kind in ("in", "short"):
        end = period_end(m["what"])
        return (end[0], end[1], None) if end else None
    if kind == "within":
        unit = m["unit"].lower()
        n_text = m["n"].lower()
        n = int(n_text) if n_text.isdigit() else NUMBERS.get(n_text, 0)
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
            return add_months(reference_date, n), "day", None
        return add_months(reference_date, 12 * n), "day", None
    return None


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
            if kind in ("on", "on_day", "in", "month") and _PAST_MARKERS.search(
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


_ORDINAL_VALUES = {word: i for i, word in enumerate(_ORDINAL_WORD.split("|"), start=1)}


def numbered_event(phrase: str) -> int | None:
    """The number of a numbered meeting ("12th Meeting of ..." → 12, "twelfth session" → 12)."""
    m = re.match(r"(?i)(\d{1,3})(?:st|nd|rd|th)\b|([a-z]+)\b", phrase.strip())
    if m is None:
        return None
    return int(m[1]) if m[1] else _ORDINAL_VALUES.get(m[2].lower())
