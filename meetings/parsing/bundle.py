"""parse_bundle: a minutes bundle (text) in, a ParsedBundle out.

The steps, each in its own function: split the text into documents and read each
(``bundle_documents``); attach agendas and participants lists to their meetings; find the
units obligations are stated in (``bundle_units``); extract the commitments; assemble.
"""

from __future__ import annotations

import re

from .attendees import attending_people
from .bundle_documents import DocumentReader, MeetingData, label_annexes
from .bundle_units import bundle_units
from .commitments import extract_commitments
from .errors import InputError
from .normalize import Paragraph, clean_lines, fold
from .parties import PartyRegister, PartyResolver
from .provisional import MeetingChoice, provisional, settle
from .structure import RawDocument, parse_agenda, parse_participants, split_documents
from .types import ParsedBundle, ParsedCommitment, ParsedDocument, ParsedMeeting

MAX_CHARS = 2_000_000
NO_MEETING = (
    "No meeting recognised: looked for a heading or sentence such as "
    "'9th Meeting of the Heads of Customs Administrations' or 'XII Meeting of the "
    "Working Group ...' (an ordinal or roman number, then 'meeting/session of ...')."
)


def parse_bundle(
    text: str,
    *,
    register: PartyRegister | None = None,
    source_name: str = "",
    meeting: MeetingChoice | None = None,
) -> ParsedBundle:
    """Parse a bundle of meeting documents. ``meeting`` is the meeting the user chose for the
    documents that name none; without it, minutes that name no meeting are read under a
    provisional one (see ``provisional``). Raises InputError when the text holds neither a
    meeting nor anything minutes have."""
    lines = clean_lines(_checked(text))
    resolver = PartyResolver(register)
    secretariat = (register.secretariat if register else None) or "OTS"
    warnings: list[str] = []
    chosen = meeting.ref() if meeting is not None else None

    reader = DocumentReader(lines, resolver, secretariat, chosen)
    for raw in split_documents(lines) or [
        RawDocument("other", 0, len(lines), 0, source_name or "Document")
    ]:
        reader.read(raw)
    documents = label_annexes(reader.documents, reader.paragraphs)
    meetings = reader.meetings
    if not meetings:
        if meeting is not None:
            raise InputError(NO_MEETING)
        # minutes of a body that numbers no meeting: read them under a provisional one
        choice = provisional(lines[: reader.documents[0].end_line], source_name)
        return parse_bundle(text, register=register, source_name=source_name, meeting=choice)
    if meeting is not None and meeting.start_date and chosen and chosen.code in meetings:
        data = meetings[chosen.code]  # the register's date for minutes that give none
        data.start, data.end = meeting.start_date, meeting.end_date or meeting.start_date

    _attach_lists(documents, reader.paragraphs, meetings, resolver, secretariat)
    people = attending_people(lines, documents, meetings, resolver)
    for data in meetings.values():
        data.parties = _meeting_parties(data, register, secretariat)
    # meetings of one bundle are held together: one that names no attendance has the others'
    together = tuple(sorted({c for d in meetings.values() for c in d.parties}))
    for data in meetings.values():
        data.parties = data.parties or together
    units = bundle_units(
        lines, documents, reader.paragraphs, meetings, reader.signing_dates, resolver, warnings
    )
    commitments = extract_commitments(units, resolver, _next_events(meetings), people)
    if not commitments:
        warnings.append("No commitments found.")
    bundle = ParsedBundle(
        documents=tuple(documents),
        meetings=tuple(_parsed_meeting(d) for d in meetings.values()),
        parties_mentioned=_mentioned(meetings, commitments),
        commitments=tuple(commitments),
        warnings=tuple(warnings),
    )
    return settle(bundle, meeting)


def _checked(text: str) -> str:
    if not isinstance(text, str):
        raise InputError("Expected text.")
    if not text.strip():
        raise InputError("The document is empty.")
    if len(text) > MAX_CHARS:
        raise InputError(f"The text is too long ({len(text)} characters, limit {MAX_CHARS}).")
    return text


def _attach_lists(
    documents: list[ParsedDocument],
    doc_paragraphs: list[list[Paragraph]],
    meetings: dict[str, MeetingData],
    resolver: PartyResolver,
    secretariat: str,
) -> None:
    """An agenda belongs to its first meeting; a list of participants to every meeting it
    names (one list often serves two meetings held back to back)."""
    for doc, paragraphs in zip(documents, doc_paragraphs, strict=True):
        targets = [meetings[c] for c in doc.meetings if c in meetings]
        if doc.type == "agenda" and targets:
            targets[0].agenda = parse_agenda(paragraphs)
        elif doc.type == "participants":
            people = parse_participants(paragraphs, resolver, secretariat)
            for data in targets:
                data.participants = people


def _meeting_parties(
    data: MeetingData, register: PartyRegister | None, secretariat: str
) -> tuple[str, ...]:
    codes = [p.party_code for p in data.participants if p.party_code] or list(data.opening_parties)
    states = []
    for code in codes:
        if code == secretariat or code in states:
            continue
        kind = register.get(code).kind if register and register.get(code) else None
        if register is not None and kind is not None and kind not in ("member", "observer"):
            continue  # guests and other bodies are not "Parties"
        states.append(code)
    return tuple(sorted(states))


def _next_events(meetings: dict[str, MeetingData]) -> dict[str, str]:
    """Each series of the bundle -> the event "the next meeting of <series>" means."""
    next_event = {}
    for data in sorted(meetings.values(), key=lambda d: d.number or 0):
        next_event[fold(re.sub(r"^(?:the\s+)", "", data.series_name, flags=re.IGNORECASE))] = (
            f"next {data.series_code} meeting ({data.series_code}-{data.number + 1})"
            if data.number is not None
            else "next meeting"  # of minutes that number no meeting
        )
    return next_event


def _mentioned(
    meetings: dict[str, MeetingData], commitments: list[ParsedCommitment]
) -> tuple[str, ...]:
    mentioned: set[str] = set()
    for data in meetings.values():
        mentioned.update(data.parties)
        mentioned.update(p.party_code for p in data.participants if p.party_code)
    for c in commitments:
        mentioned.update(code for code in c.responsible if code)
        mentioned.update(c.partners)
    return tuple(sorted(mentioned))


def _parsed_meeting(d: MeetingData) -> ParsedMeeting:
    return ParsedMeeting(
        code=d.code,
        series_name=d.series_name,
        series_code=d.series_code,
        number=d.number,
        start_date=d.start,
        end_date=d.end,
        city=d.city,
        country=d.country,
        chair=d.chair,
        agenda=d.agenda,
        participants=tuple(d.participants),
        decisions=tuple(d.decisions),
        parties=d.parties,
    )
