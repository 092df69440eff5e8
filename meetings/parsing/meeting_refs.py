"""Meeting references: "9th Meeting of the Heads of ...", "XII MEETING OF ...", "the Working
Party ... held its 168th session"; ordinals, roman numerals, series names and codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import fold, is_caps

_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty-second": 22,
    "twenty-third": 23, "twenty-fourth": 24, "twenty-fifth": 25, "thirtieth": 30,
}  # fmt: skip
_ORD = (
    r"(?P<ord>\d{1,3}(?:st|nd|rd|th|-?th)?|"
    + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
    + r"|[IVXLC]{1,7})"
)
MEETING_RX = re.compile(
    rf"(?<![\w-]){_ORD}\s+(?P<pre>(?-i:(?:[A-Z][\w-]*\s+){{1,4}}?))?"
    r"(?:(?:joint|regular|extraordinary|annual|plenary|ordinary)\s+)?"
    r"(?P<kind>meeting|session|conference|round)\s+of\s+(?:the\s+)?"
    r"(?P<series>[^,.;:()\n\"]{4,120}?)"
    r"(?=\s+of\s+the\s+organi[sz]ation|\s+of\s+the\s+ots\b|\s+\(|\s+(?:was|is|were|will|held|hosted|"
    r"and\s+(?:the\s+)?\d|and\s+(?:the\s+)?[IVXLC]+\s|and\s+(?:the\s+)?(?:"
    + "|".join(_ORDINAL_WORDS)
    + r")\b|on\s+\d|in\s+[A-Z]|to\s+be|which|that|at\s|\d)|\s*[,.;:()\"]|\s*$)",
    re.IGNORECASE,
)
# the body named before its number: "Report of the Working Party on ... on its 168th session",
# "The Working Party on ... (WP.30) held its 168th session"
BODY_SESSION_RX = re.compile(
    rf"\b(?i:the)\s+(?P<series>(?-i:[A-Z])[^,.;:()\n\"]{{3,120}}?)\s*(?:\([^()]{{1,20}}\)\s*)?"
    rf"(?i:held|on|at)\s+(?i:its)\s+{_ORD}\s+(?P<kind>(?i:session|meeting))\b"
)
# a numbered body with no "meeting of": "Third EU–Central Asia Customs Dialogue"
NAMED_ROUND_RX = re.compile(
    rf"(?<![\w-])(?i:{_ORD})\s+(?P<series>(?:(?:[A-Z][\w'’–-]*|of|on|for|and|the|in)\s+){{0,7}}?"
    r"(?:Dialogue|Forum|Summit|Consultations|Round\s+Table|Colloquium|Symposium|Conference))\b"
)
# a body's name between its number and "Meeting", as a title writes it: "Minutes of the 4th
# Project Steering Committee Meeting" (every word of the name capitalised)
TITLED_RX = re.compile(
    rf"(?<![\w-])(?i:{_ORD})\s+(?P<series>(?:[A-Z][\w'’&-]*\s+(?:(?:of|on|for|and|the)\s+)?){{1,6}}?)"
    r"(?P<kind>Meeting|Session|MEETING|SESSION|meeting|session)\b"
)
# acronyms of bodies that stay in capitals when a heading in capitals is cased
_ACRONYMS = {
    "OTS", "ECO", "WCO", "CIS", "SCO", "CAREC", "EAEU", "EU", "UN", "UNECE", "OSCE", "TIR",
    "ASEAN", "OIC", "BSEC", "GCC", "GUAM", "CICA", "TRACECA", "ADB", "NTCA", "WTO", "CCC",
}  # fmt: skip
_SMALL = {"of", "the", "on", "and", "for", "in", "a", "an", "to", "at", "with"}


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(text: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(text.upper()):
        value = _ROMAN.get(ch)
        if value is None:
            return None
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total or None


def ordinal_to_int(token: str) -> int | None:
    low = token.lower()
    if m := re.match(r"\d+", low):
        return int(m[0])
    if low in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[low]
    if token.isupper() and re.fullmatch(r"[IVXLC]+", token):
        return roman_to_int(token)
    return None


def title_case(text: str) -> str:
    words = text.split()
    if not is_caps(text):
        return " ".join(words)
    out = []
    for i, word in enumerate(words):
        low = word.replace("İ", "i").lower()  # Turkish capital dotted I, not "i" + dot
        if re.fullmatch(r"[IVXLC]+", word) and roman_to_int(word) or word.strip("()") in _ACRONYMS:
            out.append(word)
        else:
            out.append(low if i and low in _SMALL else low[:1].upper() + low[1:])
    return " ".join(out)


def series_code(series_name: str) -> str:
    key = fold(series_name)
    if key.startswith("working group"):
        return "WG"
    letters = [
        w[0].upper() for w in re.findall(r"[A-Za-z][\w'-]*", series_name) if w.lower() not in _SMALL
    ]
    return "".join(letters)[:8] or "MTG"


@dataclass(frozen=True)
class MeetingRef:
    code: str
    series_name: str
    series_code: str
    number: int | None  # None for a meeting the minutes do not number
    start: int
    end: int


def find_meeting_refs(text: str) -> list[MeetingRef]:
    refs = []
    for m in MEETING_RX.finditer(text):
        number = ordinal_to_int(m["ord"])
        if number is None or number > 500:
            continue
        name = title_case(re.sub(r"^(?:the)\s+", "", m["series"].strip(), flags=re.IGNORECASE))
        if m["pre"]:  # "29th WCO Europe Regional Meeting of Heads of ...": the words lead
            pre = re.sub(
                r"(?i)^(?:joint|regular|extraordinary|annual|plenary|ordinary)\s+", "", m["pre"]
            )
            name = title_case(f"{pre}{m['kind']} of {m['series'].strip()}")
            if is_caps(pre) != is_caps(m["series"]):
                name = f"{pre.strip()} {m['kind'].title()} of {name.split(' of ', 1)[1]}"
        elif m["kind"].lower() == "conference":
            name = f"Conference of {name}"
        if len(name) < 4 or re.match(r"(?i)^(?:the\s+)?\d", name):
            continue
        code = series_code(name)
        refs.append(MeetingRef(f"{code}-{number}", name, code, number, m.start(), m.end()))
    if refs:
        return refs
    for rx in (BODY_SESSION_RX, NAMED_ROUND_RX, TITLED_RX):
        for m in rx.finditer(text):
            number = ordinal_to_int(m["ord"])
            name = title_case(m["series"].strip())
            if number is None or number > 500 or len(name) < 4:
                continue
            code = series_code(name)
            refs.append(MeetingRef(f"{code}-{number}", name, code, number, m.start(), m.end()))
        if refs:
            return refs
    return refs
