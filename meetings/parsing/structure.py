"""Splitting a bundle into documents, and reading meetings, agenda, participants, decisions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .deadlines import MONTH, parse_date
from .deadlines import WEEKDAY as _WEEKDAY
from .gazetteer import CITIES
from .normalize import ITEM_HEADING, Paragraph, fold, is_caps, is_list_item
from .parties import PartyResolver
from .types import DocumentType, ParsedAgendaItem, ParsedParticipant, Signatory

_KEYWORDS: tuple[tuple[str, DocumentType], ...] = (
    (r"(?:agreed\s+|draft\s+)?minutes(?:\s+of\b.*)?", "agreed_minutes"),
    (r"summary\s+record(?:\s+of\b.*)?|record\s+of\s+(?:the\s+)?meeting.*|outcome\s+document", "agreed_minutes"),
    (r"protocol(?:\s+of\b.*)?", "protocol"),
    (r"(?:provisional\s+|draft\s+|annotated\s+)?agenda(?:\s+of\b.*)?", "agenda"),
    (r"(?:joint\s+|provisional\s+)?list\s+of\s+(?:participants|delegates|delegations)", "participants"),
    (r"(?:joint\s+|draft\s+)?(?:action|implementation|work)\s+plan(?:\s+(?:of|for|on)\b.*)?", "other"),
)  # fmt: skip
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
# acronyms of bodies that stay in capitals when a heading in capitals is cased
_ACRONYMS = {
    "OTS", "ECO", "WCO", "CIS", "SCO", "CAREC", "EAEU", "EU", "UN", "UNECE", "OSCE", "TIR",
    "ASEAN", "OIC", "BSEC", "GCC", "GUAM", "CICA", "TRACECA", "ADB", "NTCA", "WTO", "CCC",
}  # fmt: skip
_SMALL = {"of", "the", "on", "and", "for", "in", "a", "an", "to", "at", "with"}
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


_HONORIFIC = re.compile(
    r"^((?:(?:H\.\s?E\.|Amb\.|Ambassador|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?|Prof\.?|Professor|"
    r"Lt\.?\s?Col\.|Lieutenant\s+(?:General|Colonel)|Colonel|Col\.|General|Gen\.|"
    r"Major\s+General|Maj\.|Captain|Capt\.|Sir|Madam|Mme\.?|Excellency)(?=[\s,])[\s,]+)+)"
)
_DECISIONS_LEAD = re.compile(
    r"(?:agreed|decided|resolved|concluded)\s+(?:on|upon|as)?\s*(?:the\s+)?follow|"
    r"(?:agreed|decided)\s+as\s+follows|following\s+(?:decisions|conclusions|recommendations)|"
    r"^(?:agreed|decided|decisions|conclusions)\s*:$|\b(?:agreed|decided|resolved)\s*:$",
    re.IGNORECASE,
)
_DECISIONS_END = re.compile(
    r"^(?:it\s+is\s+hereby\s+certified|signed\s+(?:on|in|at)|done\s+(?:on|in|at)|"
    r"in\s+witness\s+whereof|following\s+the\s+meeting,|this\s+(?:protocol|minutes)\s+(?:was|were|is))",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+(.*)$", re.DOTALL)
# a point numbered under its agenda item: "1.2. The Kazakh side shall ..."
_SUB_NUMBERED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.?\s+(.*)$", re.DOTALL)
# a decision's number: "3.", "3)", "IV.", "Article 3" (alone on its line or before the text)
_DECISION_NUMBER = re.compile(
    r"^\s*(?:(?:Article|Art\.)\s+(\d{1,2}|[IVX]{1,6})\.?(?:\s+(.*))?$|(\d{1,2})[.)]\s+(.*)$"
    r"|([IVX]{1,6})\.\s+([A-Z].*)$|\(([a-z])\)\s+(.*)$)",
    re.DOTALL,
)


def _decision_number(text: str) -> tuple[str, int, str] | None:
    m = _DECISION_NUMBER.match(text)
    if not m:
        return None
    token = m[1] or m[3] or m[5] or m[7]
    if m[7]:
        value: int | None = ord(token) - ord("a") + 1
    else:
        value = int(token) if token.isdigit() else roman_to_int(token)
    if not value:
        return None
    return token, value, (m[2] or m[4] or m[6] or m[8] or "").strip()


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
    number: int
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
    for rx in (BODY_SESSION_RX, NAMED_ROUND_RX):
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


@dataclass
class RawDocument:
    type: DocumentType
    start: int  # 0-based line index, inclusive
    end: int  # exclusive
    heading_end: int  # first body line index
    title: str = ""
    meeting_refs: list[MeetingRef] = field(default_factory=list)


def _keyword_type(line: str) -> DocumentType | None:
    stripped = line.strip().strip("*_ ").rstrip(":")
    if not stripped or not is_caps(stripped) or len(stripped) > 140:
        return None
    for rx, doc_type in _KEYWORDS:
        if re.fullmatch(rx, stripped, re.IGNORECASE):
            return doc_type
    return None


def _is_heading_line(line: str) -> bool:
    s = line.strip()
    return (
        not s
        or (is_caps(s) and not is_list_item(s))
        or bool(PLACE_DATE_LINE.match(s))
        or bool(DATE_LINE.match(s))
        or is_place_line(s)
        or bool(ANNEX_LINE.match(s))
    )


def _document_title(lines: list[str], start: int, end: int, keyword: int) -> str:
    """The heading as one title, cased as a whole ("PROTOCOL" / "OF THE NINTH MEETING ..." →
    "Protocol of the Ninth Meeting ..."). A type keyword under the meeting's name ("XII
    MEETING OF ..." / "AGREED MINUTES") leads: "Agreed Minutes of the XII Meeting of ..."."""

    def text(lo: int, hi: int) -> str:
        return " ".join(
            s
            for i in range(lo, hi)
            if (s := lines[i].strip()) and not is_place_or_date_line(s) and not ANNEX_LINE.match(s)
        )

    before, own = text(start, keyword), text(keyword, end)
    refs = find_meeting_refs(before) if before else []
    if refs and refs[0].start <= 4 and not re.match(r"(?i)of\b", text(keyword + 1, end)):
        meeting = re.sub(r"(?i)^the\s+", "", before)
        return f"{title_case(own)} of the {title_case(meeting)}"
    return title_case(" ".join(p for p in (before, own) if p))


NOTE_START = re.compile(
    r"^(?:Ref\.?\s*(?:No)?\.?\s*:|Our\s+Ref|Note\s+(?:Verbale\s+)?No\.?\s*:?)|presents\s+(?:its|his)\s+compliments",
    re.IGNORECASE,
)
NOTE_CLOSING = re.compile(r"avails\s+itself|highest\s+consideration|assurances", re.IGNORECASE)


def split_documents(lines: list[str]) -> list[RawDocument]:
    docs: list[RawDocument] = []
    floor = 0
    first_text = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first_text is None:
        return []
    head = [
        i
        for i in range(first_text, min(len(lines), first_text + 40))
        if NOTE_START.search(lines[i])
    ]
    if head:
        end = None
        closing = next(
            (i for i in range(head[0], len(lines)) if NOTE_CLOSING.search(lines[i])),
            None,
        )
        if closing is not None:
            for i in range(closing, min(len(lines), closing + 30)):
                s = lines[i].strip()
                if PLACE_DATE_LINE.match(s) and parse_date_range(s)[0]:
                    end = i + 1
                    break
            if end is None:
                end = closing + 1
        if end is not None:
            docs.append(RawDocument("note_verbale", first_text, end, first_text, "Note verbale"))
            floor = end
    for idx in range(floor, len(lines)):
        doc_type = _keyword_type(lines[idx])
        if doc_type is None:
            continue
        if docs and docs[-1].start <= idx < docs[-1].heading_end:
            continue  # "AGENDA" inside a heading block already taken
        start = idx
        while start - 1 >= floor and _is_heading_line(lines[start - 1]):
            start -= 1
        while start < idx and not lines[start].strip():
            start += 1
        # after the keyword: adjacent caps lines ("OF THE NINTH MEETING ..."), then, across
        # blank lines, only a date/place line; a caps line after a blank is body (a delegation)
        heading_end = idx + 1
        while (
            heading_end < len(lines)
            and lines[heading_end].strip()
            and _is_heading_line(lines[heading_end])
        ):
            heading_end += 1
        probe = heading_end
        while probe < len(lines) and not lines[probe].strip():
            probe += 1
        while probe < len(lines) and is_place_or_date_line(lines[probe].strip()):
            heading_end = probe = probe + 1
        if docs and docs[-1].type != "note_verbale" or docs and docs[-1].end > start:
            docs[-1].end = min(docs[-1].end, start) if docs[-1].type == "note_verbale" else start
        title = _document_title(lines, start, heading_end, idx)
        docs.append(RawDocument(doc_type, start, len(lines), heading_end, title))
        floor = heading_end
    for doc in docs:
        doc.end = max(doc.end, doc.heading_end)
    return docs


def is_place_or_date_line(text: str) -> bool:
    return bool(text) and bool(
        PLACE_DATE_LINE.match(text) or DATE_LINE.match(text) or is_place_line(text)
    )


def heading_place_date(
    lines: list[str], doc: RawDocument
) -> tuple[dt.date | None, dt.date | None, str]:
    """The place and dates under a heading: one "Baku, 5-6 March 2025" line, or a place line
    and a date line ("Tehran, Islamic Republic of Iran" / "10-11 December 2024")."""
    date_only: tuple[dt.date | None, dt.date | None] = (None, None)
    place_only = ""
    for i in range(doc.start, min(doc.heading_end + 6, doc.end)):
        s = lines[i].strip()
        m = PLACE_DATE_LINE.match(s)
        if m:
            date_text, place = place_date(m)
            start, end = parse_date_range(date_text)
            if start:
                return start, end, place
        if DATE_LINE.match(s) and date_only[0] is None:
            date_only = parse_date_range(s)
        elif is_place_line(s) and not place_only:
            place_only = s
    if date_only[0] is not None:
        return date_only[0], date_only[1], place_only
    return None, None, ""


# ---------------------------------------------------------------- agenda and participants


def parse_agenda(paragraphs: list[Paragraph]) -> tuple[ParsedAgendaItem, ...]:
    items: list[tuple[str, str, list[ParsedAgendaItem]]] = []
    for para in paragraphs:
        # an item and its " - sub items" may share a paragraph when no blank line separates them
        for chunk in re.split(r"(?<=[:;.])\s+(?=[-•]\s)", para.text):
            m = _NUMBERED.match(chunk)
            sub = re.match(r"^\s*(?:[-•–]|\(?[a-z]\)|\d{1,2}\.\d{1,2}\.?)\s+(.*)$", chunk)
            if m:
                items.append((m[1], m[2].strip(), []))
            elif sub and items:
                number, _, children = items[-1]
                children.append(
                    ParsedAgendaItem(f"{number}.{len(children) + 1}", sub[1].strip().rstrip(";."))
                )
    return tuple(ParsedAgendaItem(n, t, tuple(c)) for n, t, c in items)


def parse_participant(text: str) -> tuple[str, str, str]:
    text = text.strip()
    m = _HONORIFIC.match(text)
    honorific = ""
    if m:
        honorific = re.sub(r"\s*,\s*$", "", m[1].strip())
        text = text[m.end() :]
    parts = re.split(r"\s+-\s+|\s*[-–]\s+(?=[A-Z])", text, maxsplit=1)
    if len(parts) == 1:
        parts = text.split(",", 1)
    name = parts[0].strip().strip(",")
    title = parts[1].strip().rstrip(".").strip() if len(parts) > 1 else ""
    return honorific, name, title


def parse_participants(
    paragraphs: list[Paragraph], resolver: PartyResolver, secretariat: str
) -> list[ParsedParticipant]:
    people: list[ParsedParticipant] = []
    party_text, party_code, organization = "", None, ""
    count = 0
    started = False
    for para in paragraphs:
        text = para.text.strip()
        if re.fullmatch(
            r"(?i)(?:joint\s+|provisional\s+)?list\s+of\s+(?:participants|delegates|delegations)",
            text,
        ):
            started = True
            continue
        m = _NUMBERED.match(text)
        if m and started is not None:
            count += 1
            honorific, name, title = parse_participant(m[2])
            people.append(
                ParsedParticipant(
                    party_code,
                    party_text,
                    honorific,
                    name,
                    title,
                    int(m[1]),
                    organization,
                    para.start_line,
                )
            )
        elif is_caps(text) and len(text) < 70 and not re.search(r"\d", text):
            party_text, organization, count = title_case(text), "", 0
            folded = fold(text)
            if "secretariat" in folded:
                party_code = secretariat
            else:
                found = resolver.resolve(text)
                party_code = found.codes[0] if found.codes else resolver.country_code(text)
        elif party_text and count == 0 and len(text) < 160:
            organization = text
    return people


# ---------------------------------------------------------------- decisions


@dataclass
class Section:
    number: str
    title: str
    paragraphs: list[Paragraph]
    heading_mode: bool = False
    agenda_item: str | None = None  # the "On item 2." heading it stands under


def item_sections(paragraphs: list[Paragraph]) -> list[Section]:
    """Decisions grouped under agenda item headings ("On item 1. <title>", "Item 2: <title>"):
    each sub-numbered point ("1.1.", "1.2.") is a decision of its own under its item; an item
    without sub-numbered points is one decision (its body)."""
    sections: list[Section] = []
    item: tuple[str, str] | None = None
    for para in paragraphs:
        text = para.text.strip()
        if _DECISIONS_END.match(text):
            break
        if m := ITEM_HEADING.match(text):
            item = (m[1], m[2].strip().rstrip(".:;"))
            sections.append(Section(m[1], item[1], [], True, m[1]))
            continue
        sub = _SUB_NUMBERED.match(text)
        if item and sub and sub[1] == item[0]:
            body = Paragraph(sub[3].strip(), para.start_line, para.end_line)
            sections.append(Section(f"{sub[1]}.{sub[2]}", item[1], [body], False, item[0]))
        elif sections:
            sections[-1].paragraphs.append(para)
    # an item heading whose points are numbered under it is no decision itself
    return [s for s in sections if s.paragraphs]


def decision_sections(paragraphs: list[Paragraph]) -> tuple[list[Section], bool]:
    """Numbered decisions after "agreed on the following:" (continuations belong to the number
    before); without such a lead, numbered agenda-titled sections with their body text."""
    lead = next(
        (
            i
            for i, p in enumerate(paragraphs)
            if _DECISIONS_LEAD.search(p.text) and p.text.rstrip().endswith(":")
        ),
        None,
    )
    sections: list[Section] = []
    heading_mode = lead is None
    start = 0 if lead is None else lead + 1
    headings = [i for i, p in enumerate(paragraphs[start:], start) if ITEM_HEADING.match(p.text)]
    if len(headings) >= 2:
        return item_sections(paragraphs[headings[0] :]), True
    last = 0
    for para in paragraphs[start:]:
        text = para.text.strip()
        if _DECISIONS_END.match(text):
            break
        number = _decision_number(text)
        if number and (not sections or number[1] == last + 1):
            token, last, rest = number
            sentence = len(rest.split()) >= 8 and rest.rstrip().endswith((".", ";"))
            if heading_mode:
                # a numbered paragraph of a report ("6. The delegation of Türkiye undertook to
                # ...") reads as a heading too: its sentence is also its first body paragraph
                own = [Paragraph(rest, para.start_line, para.end_line)] if sentence else []
                sections.append(Section(token, rest, own, True))
            else:
                body = Paragraph(rest, para.start_line, para.end_line)
                sections.append(Section(token, "", [body] if rest else []))
        elif sections:
            sections[-1].paragraphs.append(para)
    for section in sections if heading_mode else ():
        # a heading with a body of its own ("1. Discussion on ..." / its paragraphs) is only a
        # title; one followed by nothing but the next heading is the paragraph itself
        own, rest = section.paragraphs[:1], section.paragraphs[1:]
        if (
            own
            and own[0].text == section.title
            and any(p.text.rstrip().endswith((".", ";", ":")) for p in rest)
        ):
            section.paragraphs = rest
    return sections, heading_mode


def best_agenda_match(title: str, agenda: tuple[ParsedAgendaItem, ...]) -> str | None:
    """The agenda item a WG minutes heading repeats (word overlap; headings are copied)."""
    key = set(re.findall(r"\w+", fold(title)))
    best, best_ratio = None, 0.0
    for item in agenda:
        other = set(re.findall(r"\w+", fold(item.title)))
        ratio = len(key & other) / max(1, len(key | other))
        if ratio > best_ratio:
            best, best_ratio = item.number, ratio
    return best if best_ratio >= 0.6 else None


_FOR_LINE = re.compile(r"^(?:for|on\s+behalf\s+of)\s+(?P<party>\S.*?)\s*:?$", re.IGNORECASE)


def _is_name(text: str) -> bool:
    """Two to five capitalised words, no digits: "Shahin Baghirov", "Ágota KRISKÓ"."""
    words = text.split()
    return 2 <= len(words) <= 5 and all(
        w[0].isupper() and not any(ch.isdigit() for ch in w) for w in words
    )


def signature_block(block: list[str]) -> Signatory | None:
    """One block of a signature page: an optional "For the Republic of ..." line, then the
    honorific and name, then the title (the following lines, joined). A name and title on one
    line ("Dr. X - Deputy Secretary General", "Dr. X, Deputy ...") are split as in a list of
    participants. None when the block does not start with a name."""
    rows = [re.sub(r"\*\*|__", "", line).strip().rstrip(",").strip() for line in block]
    rows = [row for row in rows if row]
    on_behalf = ""
    if len(rows) > 1 and (m := _FOR_LINE.match(rows[0])):
        on_behalf, rows = m["party"], rows[1:]
    if not rows or len(rows) > 8 or ANNEX_LINE.match(rows[0]):
        return None
    honorific, name, inline_title = parse_participant(rows[0])
    name = name.strip().rstrip(",").strip()
    words = name.split()
    # with an honorific, particles may be lower case ("Dr. Ahmet bin Ali")
    named = _is_name(name) or (
        bool(honorific)
        and 1 <= len(words) <= 6
        and words[0][0].isupper()
        and words[-1][0].isupper()
        and not re.search(r"\d", name)
    )
    if not named:
        return None
    title = " ".join(part for part in (inline_title, *rows[1:]) if part)
    title = re.sub(r"\s+", " ", title).strip().rstrip(",").strip()
    return Signatory(name=name, honorific=honorific, title=title, on_behalf=on_behalf)


def signatories(lines: list[str], paragraphs: list[Paragraph]) -> tuple[Signatory, ...]:
    """The signature blocks after the signing / certification line. Blocks are read from the
    lines (separated by blank lines), not from paragraphs: a name in capitals above a title in
    mixed case would otherwise fall into two paragraphs. A lone "For the Republic of ..." block
    belongs to the block below it."""
    idx = next(
        (
            i
            for i, p in enumerate(paragraphs)
            if _DECISIONS_END.match(p.text.strip()) and not p.text.lower().startswith("following")
        ),
        None,
    )
    if idx is None:
        return ()
    first, last = paragraphs[idx].end_line, paragraphs[-1].end_line  # 1-based, inclusive
    blocks: list[list[str]] = [[]]
    for line in lines[first:last]:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    found: list[Signatory] = []
    pending = ""
    for block in blocks:
        if not block:
            continue
        if len(block) == 1 and (m := _FOR_LINE.match(block[0].strip().strip("*_ "))):
            pending = m["party"]
            continue
        signatory = signature_block(block)
        if signatory is not None:
            if pending and not signatory.on_behalf:
                signatory = Signatory(signatory.name, signatory.honorific, signatory.title, pending)
            found.append(signatory)
        pending = ""
    return tuple(found)


# ---------------------------------------------------------------- annexes

_ROMAN_OF = [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip
_ANNEX_TOKEN = r"(?:No\.?\s*)?(?P<n>[IVXLC]{1,7}|\d{1,2}|[A-Z])\b"
ANNEX_LINE = re.compile(rf"^\(?(?i:annex)(?:\s*-\s*|\s+){_ANNEX_TOKEN}\)?\.?$")
_ANNEX_WORD = re.compile(r"\b(?i:annex(?:es)?)\b")
_ANNEX_NEXT = re.compile(rf"\s*(?:-\s*)?{_ANNEX_TOKEN}")
_ANNEX_AND = re.compile(r"\s*(?:,|&|\band\b)\s*(?=(?:[IVXLC]{1,7}|\d{1,2})\b)")
_ANNEXED: tuple[tuple[str, DocumentType], ...] = (
    (r"list\s+of\s+(?:the\s+)?(?:participants|delegates|delegations)|participants'?\s+list", "participants"),
    (r"\bagenda\b", "agenda"),
    (r"\bprotocol\b", "protocol"),
    (r"\b(?:agreed\s+|draft\s+)?minutes\b|\bsummary\s+record\b", "agreed_minutes"),
)  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"])")


def annex_label(token: str) -> str:
    """ "3", "III", "iii" → "Annex III"; a letter stays a letter ("Annex B")."""
    if token.isdigit():
        number, roman = int(token), ""
        for value, letters in _ROMAN_OF:
            while number >= value:
                roman, number = roman + letters, number - value
        return f"Annex {roman}" if roman else ""
    return f"Annex {token.upper()}"


def heading_annex(lines: list[str], start: int, end: int) -> str:
    """An "Annex II" / "ANNEX-3" line in a document's heading."""
    for i in range(start, end):
        if m := ANNEX_LINE.match(lines[i].strip().strip("*_ ")):
            return annex_label(m["n"])
    return ""


@dataclass(frozen=True)
class AnnexReference:
    doc_type: DocumentType
    label: str
    clause: str  # the words after the mention, naming the meeting where they do


def annex_references(text: str) -> list[AnnexReference]:
    """What a paragraph says is annexed: "The agenda ... and the list of participants ... are
    attached herewith (Annex-I and Annex-II)" → agenda: Annex I, participants: Annex II.
    Within one sentence, the n-th document named takes the n-th label when the counts agree;
    otherwise each label goes to the document named nearest before it."""
    found: list[AnnexReference] = []
    for sentence in _SENTENCE_END.split(text):
        labels: list[tuple[int, str]] = []
        for word in _ANNEX_WORD.finditer(sentence):
            pos = word.end()
            while m := _ANNEX_NEXT.match(sentence, pos):
                if label := annex_label(m["n"]):
                    labels.append((word.start(), label))
                pos = m.end()
                more = _ANNEX_AND.match(sentence, pos)
                if not more:
                    break
                pos = more.end()
        if not labels:
            continue
        mentions = sorted(
            (m.start(), m.end(), doc_type)
            for rx, doc_type in _ANNEXED
            for m in re.finditer(rx, sentence, re.IGNORECASE)
        )
        # "the Protocol of ..." and "the draft Protocol" are one mention, not two
        mentions = [m for i, m in enumerate(mentions) if not i or m[0] >= mentions[i - 1][1]]
        if not mentions:
            continue
        if len(mentions) == len(labels):
            pairs = list(zip(mentions, labels, strict=True))
        else:
            pairs = []
            for at, label in labels:
                before = [m for m in mentions if m[0] < at]
                if before:
                    pairs.append((before[-1], (at, label)))
        for (_start, end, doc_type), (at, label) in pairs:
            clause = sentence[end:at] if at > end else ""
            found.append(AnnexReference(doc_type, label, clause))
    return found
