"""Who was there, as minutes of other bodies say it: "Present: Jane Thompson (JT, chair), ...",
"Members present: Ms Abena Owusu, Programme Director; ...", "Apologies: Lars Nilsson (LN)", a
"Participants" table with a Name column, or an "Attendees" heading over one line per
delegation ("- Australia: Stephanie Foster PSM, Secretary, Department of Home Affairs; ...").

Owners written as names or initials resolve to these people; those present are the meeting's
participants."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .normalize import fold
from .owners import HEADS, HONORIFIC, Person, initials_of
from .parties import PartyResolver
from .tables import RULE, cells
from .types import ParsedDocument, ParsedParticipant

if TYPE_CHECKING:
    from .bundle_documents import MeetingData

_LABEL = re.compile(
    r"(?i)^\s*(?:[-*•]\s*)?(?P<label>present|members\s+present|attendees|attending|attendance|"
    r"participants|in\s+attendance|also\s+present|also\s+attending|apologies(?:\s+(?:for\s+absence|received))?|"
    r"absent|excused|regrets|chair(?:man|person|ed\s+by)?|co-?chairs?|secretary|minutes|"
    r"minute[- ]?taker|note[- ]?taker|rapporteur)\s*:\s*(?P<value>\S.*)$"
)
_HEADING = re.compile(
    r"(?i)^(?:#+\s*)?(?:\d{1,2}[.)]\s*)?(?:attendees|participants|present|attendance|"
    r"members\s+present|list\s+of\s+participants|attendance\s+list)\s*:?$"
)
_ABSENT = re.compile(r"(?i)^(?:apologies|absent|excused|regrets)")
_POST_NOMINAL = re.compile(r"(?:\s+(?:[A-Z]{2,4}|OBE|MBE|CBE|PhD))+$")
_PERSON = re.compile(
    rf"^(?P<hon>(?:{HONORIFIC}\s+)*)(?P<name>[A-ZÀ-Ý][\w'’-]+(?:\s+(?:[A-ZÀ-Ý][\w'’-]+|[A-Z]\.|van|von|de|der|bin)){{1,3}})$"
)
_HEAD_WORD = re.compile(rf"(?i)^(?:{HEADS})$")
_INITIALS = re.compile(r"^[A-Z]{2,4}$")


@dataclass(frozen=True)
class Attendee:
    person: Person
    honorific: str
    present: bool
    party_text: str
    line: int


def _split(value: str) -> list[str]:
    """Entries of a list: by ";" when there is one, else by commas outside parentheses."""
    if ";" in value:
        return [v.strip() for v in value.split(";") if v.strip()]
    out, depth, buf = [], 0, ""
    for ch in value:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            out.append(buf.strip())
            buf = ""
        else:
            buf += ch
    return [v for v in (*out, buf.strip()) if v]


def _wraps(value: str, nxt: str, line: str) -> bool:
    """Whether ``nxt`` continues a list of names cut at the end of ``line`` (a full line, or
    one ending inside a name, a parenthesis or after a comma)."""
    nxt = nxt.strip()
    if len(line.strip()) >= 70 and nxt and not _LABEL.match(nxt) and not _HEADING.match(nxt):
        return not re.match(r"^(?:[-*•]|\d{1,2}[.)])\s", nxt)
    if (
        not nxt
        or _LABEL.match(nxt)
        or _HEADING.match(nxt)
        or re.match(r"^(?:[-*•]|\d{1,2}[.)])\s", nxt)
    ):
        return False
    return (
        value.rstrip().endswith((",", ";", "("))
        or value.count("(") > value.count(")")
        or nxt[:1].islower()
    )


def entry(text: str) -> tuple[Person, str] | None:
    """ "Jane Thompson (JT, chair)", "Ms Abena Owusu, Programme Director", "Michael Outram APM,
    Commissioner, Australian Border Force (ABF)" → the person and the honorific; None when the
    entry names no one ("representatives of the border agencies")."""
    text = text.strip().rstrip(".")
    notes = ""
    if m := re.match(r"^([^(),]+?)\s*\(([^()]*)\)(.*)$", text):
        text, notes = f"{m[1]}{m[3]}", m[2]
    head, *rest = [p.strip() for p in text.split(",")]
    head = _POST_NOMINAL.sub("", head.strip())
    m = _PERSON.match(head)
    if m is None or any(_HEAD_WORD.match(w) for w in m["name"].split()):
        return None
    tokens = [t.strip() for t in notes.split(",") if t.strip()]
    initials = next((t for t in tokens if _INITIALS.match(t)), "") or initials_of(m["name"])
    title = next((t for t in tokens if not _INITIALS.match(t)), "")
    title = ", ".join(p for p in (title, *rest[:1]) if p)
    organization = ", ".join(rest[1:])
    return Person(m["name"], initials, title, organization), m["hon"].strip()


def _table(rows: list[list[str]]) -> list[tuple[str, str, str]]:
    """(name, title, organisation) of a participants table with a Name column."""
    head = [fold(c) for c in rows[0]]
    name = next((i for i, c in enumerate(head) if "name" in c), None)
    if name is None:
        return []
    org = next((i for i, c in enumerate(head) if re.search(r"organi[sz]ation|institution|agency|country|delegation", c)), None)  # fmt: skip
    role = next((i for i, c in enumerate(head) if re.search(r"role|title|position|function", c)), None)  # fmt: skip
    out = []
    for row in rows[1:]:
        if len(row) != len(head) or set("".join(row)) <= set("-: "):
            continue
        out.append(
            (row[name], row[role] if role is not None else "", row[org] if org is not None else "")
        )
    return out


def attendees(lines: list[str], start: int, end: int) -> list[Attendee]:
    """The people listed between ``start`` and ``end`` (0-based line indexes)."""
    found: list[Attendee] = []
    section = False
    table: list[list[str]] = []

    def add(value: str, line: int, present: bool, party: str = "") -> None:
        for part in _split(value):
            prefix = re.match(r"^([A-Z][^:;]{1,60}):\s*(.+)$", part)
            if prefix:  # "Australia: Stephanie Foster PSM, ..."
                party, part = prefix[1], prefix[2]
            got = entry(part)
            if got is not None:
                found.append(Attendee(got[0], got[1], present, party, line))

    stop = min(end, len(lines))
    for i in range(start, stop):
        text = lines[i].strip()
        if row := cells(text):
            table.append(row)
            continue
        if table and RULE.fullmatch(text):  # the "|---|---|" under the header
            continue
        if table:
            for name, title, org in _table(table):
                if got := entry(name):
                    person = Person(got[0].name, got[0].initials, title, org)
                    found.append(Attendee(person, got[1], True, org, i))
            table = []
        if m := _LABEL.match(text):
            value, j = m["value"], i + 1
            # a list wrapped over lines: "Present: ..., Tom Becker (German" / "Customs), ..."
            while j < stop and _wraps(value, lines[j], lines[j - 1]):
                value, j = f"{value} {lines[j].strip()}", j + 1
            add(value, i + 1, not _ABSENT.match(m["label"]))
            section = False
        elif _HEADING.match(text):
            section = True
        elif section and (
            re.match(r"^[-*•]\s+", text) or re.match(r"^[A-Z][^:;]{1,60}:\s*\S", text)
        ):
            # "- Australia: Stephanie Foster PSM, ...", "Member State (MS): Mr. Rimantas ..."
            add(re.sub(r"^[-*•]\s+", "", text), i + 1, True)
        elif section and text:
            section = False
    return found


def participants(found: list[Attendee], resolver: PartyResolver) -> list[ParsedParticipant]:
    """Those present, in the order listed, each with the party their delegation names."""
    out = []
    for order, a in enumerate((a for a in found if a.present), start=1):
        where = a.party_text or a.person.organization
        codes = resolver.resolve(where).state_codes if where else ()
        code = codes[0] if codes else None
        out.append(
            ParsedParticipant(
                party_code=code,
                party_text=a.party_text,
                honorific=a.honorific,
                name=a.person.name,
                title=a.person.title,
                order=order,
                organization=a.person.organization,
                line=a.line,
                initials=a.person.initials,
            )
        )
    return out


def attending_people(
    lines: list[str],
    documents: list[ParsedDocument],
    meetings: Mapping[str, MeetingData],
    resolver: PartyResolver,
) -> dict[str | None, tuple[Person, ...]]:
    """Everyone each meeting lists, by meeting code: its participants and whoever the minutes
    themselves name as present, excused or chairing (other bodies list them there: "Present:
    ..."). A meeting with no list of participants takes those present as its participants."""
    people: dict[str | None, tuple[Person, ...]] = {}
    for doc in documents:
        data = meetings.get(doc.meeting or "")
        if data is None or doc.type not in ("agreed_minutes", "other"):
            continue
        found = attendees(lines, doc.start_line - 1, doc.end_line)
        people[data.code] = people.get(data.code, ()) + tuple(a.person for a in found)
        if not data.participants:
            data.participants = participants(found, resolver)
    for data in meetings.values():
        people[data.code] = people.get(data.code, ()) + tuple(
            Person(p.name, p.initials, p.title, p.organization) for p in data.participants
        )
    return people
