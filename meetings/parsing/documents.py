"""Splitting a bundle into its documents: a note verbale, then documents headed by a type
keyword in capitals (AGREED MINUTES, PROTOCOL, AGENDA, LIST OF PARTICIPANTS ...)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .annexes import ANNEX_LINE
from .gazetteer import COUNTRIES
from .headings import DATE_LINE, PLACE_DATE_LINE, is_place_line, parse_date_range, place_date
from .meeting_refs import MeetingRef, find_meeting_refs, title_case
from .normalize import fold, is_caps, is_list_item
from .types import DocumentType

_KEYWORDS: tuple[tuple[str, DocumentType], ...] = (
    (r"(?:agreed\s+|draft\s+)?minutes(?:\s+of\b.*)?", "agreed_minutes"),
    (r"summary\s+record(?:\s+of\b.*)?|record\s+of\s+(?:the\s+)?meeting.*|outcome\s+document", "agreed_minutes"),
    (r"protocol(?:\s+of\b.*)?", "protocol"),
    (r"(?:provisional\s+|draft\s+|annotated\s+)?agenda(?:\s+of\b.*)?", "agenda"),
    (r"(?:joint\s+|provisional\s+)?list\s+of\s+(?:participants|delegates|delegations)", "participants"),
    (r"(?:joint\s+|draft\s+)?(?:action|implementation|work)\s+plan(?:\s+(?:of|for|on)\b.*)?", "other"),
)  # fmt: skip


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


def _is_country(line: str) -> bool:
    return fold(line.strip().strip("*_ ")) in _COUNTRY_NAMES


_COUNTRY_NAMES = {fold(n) for _c, name, others, _a in COUNTRIES for n in (name, *others)}


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
            and not _is_country(lines[heading_end])  # "AZERBAIJAN": a delegation of the list
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
