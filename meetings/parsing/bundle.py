"""parse_bundle: a minutes bundle (text) in, a ParsedBundle out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from .commitments import Unit, extract_commitments
from .deadlines import FULL_DATE, parse_date
from .errors import InputError
from .normalize import Paragraph, clean_lines, fold, is_list_item, split_paragraphs
from .parties import PartyRegister, PartyResolver
from .structure import (
    PLACE_DATE_LINE,
    RawDocument,
    annex_references,
    best_agenda_match,
    decision_sections,
    find_meeting_refs,
    heading_annex,
    heading_place_date,
    is_place_or_date_line,
    parse_agenda,
    parse_date_range,
    parse_participants,
    place_date,
    signatories,
    split_documents,
    split_place,
)
from .tables import table_rows
from .types import (
    ParsedAgendaItem,
    ParsedBundle,
    ParsedDecision,
    ParsedDocument,
    ParsedMeeting,
    ParsedParticipant,
)

MAX_CHARS = 2_000_000
_REF = re.compile(
    r"(?:Ref\.?\s*(?:No)?\.?|Our\s+Ref\.?|Note\s+(?:Verbale\s+)?No\.?)\s*:?\s*(?P<ref>[A-Za-z0-9][\w/.-]*\w)",
    re.IGNORECASE,
)
_HELD = re.compile(
    rf"\b(?:held|convened|hosted|took\s+place)\b[^.]{{0,160}}?\bon\s+(?P<date>{FULL_DATE})"
    r"(?:\s+in\s+(?P<city>(?-i:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)))?",
    re.IGNORECASE,
)
_HELD_IN = re.compile(
    rf"\bheld\s+in\s+(?P<city>[A-Z][\w'-]+)(?:,\s*[A-Z][\w'-]+)?\s+on\s+(?P<date>{FULL_DATE})"
)
_CHAIR = re.compile(
    r"chaired\s+by\s+(?:(?:H\.E\.|Mr\.|Ms\.|Mrs\.|Dr\.|Ambassador|Amb\.)\s+)*"
    r"(?P<name>[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,3})"
)
_ADDRESS = re.compile(
    r"^(?:Ministry|Embassy|Permanent\s+Mission|CC\s*:|To\s*:|Customs\s+Administrations?\s+of|Copy\s+to)",
    re.IGNORECASE,
)
# "Signed on 6 March 2025 in Baku", "Done in Tashkent on 14 January 2025"
# the sentence of the opening that says who took part
_ATTENDED = re.compile(
    r"(?i)attended\s+by|participation\s+of|delegations\s+of|attended\s+the\s+(?:meeting|session)|"
    r"^present\s*:|^participants\s*:|participants\s+included|(?:countries|states)\s+attended|"
    r"composed\s+of\s+the|delegation\s+(?:was|were)\s+(?:headed|led)\s+by"
)
_LABEL = re.compile(r"^(?P<label>date|dates|venue|place)\s*:\s*(?P<value>\S.*)$", re.IGNORECASE)


def _opening_place_date(opening: list[str]) -> tuple[dt.date | None, dt.date | None, str]:
    """The place and date under a title that is not a heading in capitals: a "Geneva, 11-13
    February 2025" paragraph, or labelled lines ("Date: 18 March 2025" / "Venue: Bishkek,
    Kyrgyz Republic")."""
    start = end = None
    place = ""
    for line in opening:
        text = line.strip()
        if m := PLACE_DATE_LINE.match(text):
            date_text, where = place_date(m)
            first, last = parse_date_range(date_text)
            if first:
                return first, last, where
        if m := _LABEL.match(text):
            if m["label"].lower().startswith("date") and start is None:
                start, end = parse_date_range(m["value"])
            elif m["label"].lower() in ("venue", "place") and not place:
                place = m["value"].split(",")[0].strip()
    if start is not None:
        return start, end, place
    return None, None, ""


_SIGNED = re.compile(
    rf"(?:Signed|Done)\s+(?:on\s+)?(?P<date>(?i:{FULL_DATE}))\s+(?:in|at)\s+(?P<city>[A-Z][\w'-]+)"
)
_SIGNED_IN = re.compile(
    rf"(?:Signed|Done)\s+(?:in|at)\s+(?P<city>[A-Z][\w'-]+)\s+on\s+(?P<date>(?i:{FULL_DATE}))"
)
_PARTY_START = re.compile(r"\s+(?:to|will|shall)\s+[a-z]")


@dataclass
class _MeetingData:
    code: str
    series_name: str
    series_code: str
    number: int
    start: dt.date | None = None
    end: dt.date | None = None
    city: str = ""
    country: str | None = None
    chair: str = ""
    agenda: tuple[ParsedAgendaItem, ...] = ()
    participants: list[ParsedParticipant] = field(default_factory=list)
    decisions: list[ParsedDecision] = field(default_factory=list)
    parties: tuple[str, ...] = ()
    opening_parties: tuple[str, ...] = ()


def parse_bundle(
    text: str, *, register: PartyRegister | None = None, source_name: str = ""
) -> ParsedBundle:
    """Parse a bundle of meeting documents. Raises InputError when no meeting is recognisable."""
    if not isinstance(text, str):
        raise InputError("Expected text.")
    if not text.strip():
        raise InputError("The document is empty.")
    if len(text) > MAX_CHARS:
        raise InputError(f"The text is too long ({len(text)} characters, limit {MAX_CHARS}).")
    lines = clean_lines(text)
    resolver = PartyResolver(register)
    secretariat = (register.secretariat if register else None) or "OTS"
    warnings: list[str] = []

    raws = split_documents(lines)
    if not raws:
        raws = [RawDocument("other", 0, len(lines), 0, source_name or "Document")]
    meetings: dict[str, _MeetingData] = {}
    documents: list[ParsedDocument] = []
    doc_paragraphs: list[list[Paragraph]] = []
    keys: set[str] = set()
    signing_dates: dict[int, dt.date | None] = {}  # document index -> the day it was signed

    for raw in raws:
        body_start = raw.start if raw.type == "note_verbale" else raw.heading_end
        paragraphs = split_paragraphs(lines, body_start, raw.end)
        # the place and date lines are not part of the title ("... CHINA" / "Almaty, 22 May")
        # and end the name before them: "... CHINA" / "Almaty, 22 May 2025" / "LIST OF ..."
        heading = " ".join(
            ";" if is_place_or_date_line(line.strip()) else line
            for line in lines[raw.start : raw.heading_end]
        )
        refs = find_meeting_refs(heading)
        if not refs:
            # a place/date line right under the name (no blank line between) ends the name:
            # "... between Georgia and the Republic of Azerbaijan" / "Tbilisi, 3-4 April 2025"
            opening = " ".join(
                ";" if is_place_or_date_line(line.strip()) else line.strip()
                for p in paragraphs[:3]
                for line in lines[p.start_line - 1 : p.end_line]
            )
            refs = find_meeting_refs(opening)
            if raw.type != "note_verbale":
                refs = refs[:1]
        codes: list[str] = []
        for ref in refs:
            if ref.code not in codes:
                codes.append(ref.code)
            if raw.type != "note_verbale":
                meetings.setdefault(
                    ref.code,
                    _MeetingData(ref.code, ref.series_name, ref.series_code, ref.number),
                )
        if not codes and raw.type in ("agenda", "participants", "other") and documents:
            # an annex headed only "Annex 1 / AGENDA" belongs to the meeting of the document
            # it is annexed to: the one before it in the bundle
            codes = next(
                (list(d.meetings[:1]) for d in reversed(documents) if d.type != "note_verbale"),
                [],
            )
        date, end_date, place = heading_place_date(lines, raw)
        if date is None and raw.type != "note_verbale":
            date, end_date, place = _opening_place_date(
                [line for p in paragraphs[:8] for line in lines[p.start_line - 1 : p.end_line]]
            )
        opening_text = " ".join(p.text for p in paragraphs[:3])
        held = _HELD.search(opening_text) or _HELD_IN.search(opening_text)
        if date is None and raw.type in ("agreed_minutes", "protocol", "other") and held:
            date = end_date = parse_date(held["date"])
            place = place or (held["city"] or "")
        reference = ""
        addressees: tuple[str, ...] = ()
        if raw.type == "note_verbale":
            if m := _REF.search("\n".join(lines[raw.start : raw.end])):
                reference = m["ref"]
            closing = lines[raw.end - 1].strip()
            if pm := PLACE_DATE_LINE.match(closing):
                date_text, place = place_date(pm)
                date = parse_date_range(date_text)[0]
            addressees = tuple(
                line.strip()
                for p in paragraphs
                if _ADDRESS.match(p.text)
                for line in lines[p.start_line - 1 : p.end_line]
                if line.strip()
            )
        body_text = " ".join(p.text for p in paragraphs)
        signed = _SIGNED.search(body_text) or _SIGNED_IN.search(body_text)
        if signed:
            signing_dates[len(documents)] = parse_date(signed["date"])
        if signed and date is None:
            date, place = parse_date(signed["date"]), signed["city"]
        key = _document_key(raw.type, codes, keys, raw.title)
        signers = (
            signatories(lines, paragraphs)
            if raw.type in ("protocol", "agreed_minutes", "other")
            else ()
        )
        documents.append(
            ParsedDocument(
                key=key,
                type=raw.type,
                title=raw.title,
                meeting=codes[0] if codes else None,
                reference=reference,
                date=date,
                place=place,
                signatories=signers,
                start_line=raw.start + 1,
                end_line=raw.end,
                text="\n".join(lines[raw.start : raw.end]).strip(),
                meetings=tuple(codes),
                addressees=addressees,
                annex=heading_annex(lines, raw.start, raw.heading_end),
            )
        )
        doc_paragraphs.append(paragraphs)
        # meeting facts: a document about one meeting wins over a joint one (participants list)
        single = len(codes) == 1 and raw.type != "note_verbale"
        for code in codes:
            data = meetings.get(code)
            if data is None:
                continue
            if date and (data.start is None or (single and raw.type != "participants")):
                data.start, data.end = date, end_date or date
            if place and not data.city and raw.type != "note_verbale":
                data.city, data.country = split_place(place, resolver)
            if (m := _CHAIR.search(opening_text)) and not data.chair and single:
                data.chair = m["name"]
            if (
                raw.type in ("agreed_minutes", "protocol", "other")
                and single
                and not data.opening_parties
            ):
                found: tuple[str | None, ...] = ()
                for p in paragraphs[:6]:
                    if _ATTENDED.search(p.text):
                        found = resolver.resolve(p.text).codes
                        if any(c and c != secretariat for c in found):
                            break
                # a bilateral named by its parties: "Joint Customs Commission between Georgia
                # and the Republic of Azerbaijan"
                if not any(found) and (m := re.search(r"(?i)\bbetween\s+(.+)$", data.series_name)):
                    found = resolver.resolve(m[1]).codes
                data.opening_parties = tuple(c for c in found if c and c != secretariat)

    documents = _label_annexes(documents, doc_paragraphs)

    if not meetings:
        raise InputError(
            "No meeting recognised: looked for a heading or sentence such as "
            "'9th Meeting of the Heads of Customs Administrations' or 'XII Meeting of the "
            "Working Group ...' (an ordinal or roman number, then 'meeting/session of ...')."
        )

    # agenda, participants, decisions
    for doc, paragraphs in zip(documents, doc_paragraphs, strict=True):
        targets = [meetings[c] for c in doc.meetings if c in meetings]
        if doc.type == "agenda" and targets:
            targets[0].agenda = parse_agenda(paragraphs)
        elif doc.type == "participants":
            people = parse_participants(paragraphs, resolver, secretariat)
            for data in targets:
                data.participants = people
    for data in meetings.values():
        data.parties = _meeting_parties(data, register, secretariat)

    units: list[Unit] = []
    for order, (doc, paragraphs) in enumerate(zip(documents, doc_paragraphs, strict=True)):
        meeting = meetings.get(doc.meeting or "")
        parties = meeting.parties if meeting else _fallback_parties(doc, meetings)
        ref_date = (meeting.start if meeting else None) or doc.date
        host_country = meeting.country if meeting else None
        signing_date = signing_dates.get(order) or (meeting.end if meeting else None)
        if doc.type == "note_verbale":
            ref_date = doc.date or ref_date
            units.extend(_note_units(doc, paragraphs, resolver, ref_date, parties, order))
        elif doc.type in ("agreed_minutes", "protocol", "other"):
            rows = table_rows(lines, doc.start_line - 1, doc.end_line)
            if rows:  # an action plan table: one unit per row, numbered as in the table
                paragraphs = [p for p in paragraphs if " | " not in p.text]
                units.extend(
                    Unit(doc.key, doc.type, doc.meeting, row.number,
                         (Paragraph(row.sentence, row.line + 1, row.line + 1),),
                         ref_date, parties, order, host_country, signing_date)
                    for row in rows
                )  # fmt: skip
            sections, _ = decision_sections(paragraphs)
            if not sections and rows and not paragraphs:
                continue
            if not sections:
                warnings.append(
                    f"{doc.key}: no numbered decisions found; every paragraph was read."
                )
                for i, para in enumerate(paragraphs, start=1):
                    units.append(
                        Unit(
                            doc.key,
                            doc.type,
                            doc.meeting,
                            str(i),
                            (para,),
                            ref_date,
                            parties,
                            order,
                            host_country,
                            signing_date,
                        )
                    )
                continue
            headings = {s.agenda_item: s.title for s in sections if s.agenda_item}
            if meeting is not None and headings and not meeting.agenda:
                # no agenda of its own: the "On item N. <title>" headings are the agenda
                meeting.agenda = tuple(ParsedAgendaItem(n, t) for n, t in headings.items())
            for section in sections:
                body = section.paragraphs or [Paragraph(section.title, 0, 0)]
                text = "\n\n".join(p.text for p in section.paragraphs) or section.title
                agenda_item = section.agenda_item or (
                    best_agenda_match(section.title, meeting.agenda)
                    if meeting and section.title
                    else None
                )
                if meeting is not None:
                    meeting.decisions.append(
                        ParsedDecision(
                            section.number,
                            text,
                            doc.key,
                            agenda_item,
                            section.title,
                            body[0].start_line,
                        )
                    )
                units.append(
                    Unit(
                        doc.key,
                        doc.type,
                        doc.meeting,
                        section.number,
                        tuple(body),
                        ref_date,
                        parties,
                        order,
                        host_country,
                        signing_date,
                    )
                )

    next_event = {}
    for data in sorted(meetings.values(), key=lambda d: d.number):
        next_event[fold(re.sub(r"^(?:the\s+)", "", data.series_name, flags=re.IGNORECASE))] = (
            f"next {data.series_code} meeting ({data.series_code}-{data.number + 1})"
        )
    commitments = extract_commitments(units, resolver, next_event)

    mentioned: set[str] = set()
    for data in meetings.values():
        mentioned.update(data.parties)
        mentioned.update(p.party_code for p in data.participants if p.party_code)
    for c in commitments:
        mentioned.update(code for code in c.responsible if code)
        mentioned.update(c.partners)
    parsed_meetings = tuple(
        ParsedMeeting(
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
        for d in meetings.values()
    )
    if not commitments:
        warnings.append("No commitments found.")
    return ParsedBundle(
        documents=tuple(documents),
        meetings=parsed_meetings,
        parties_mentioned=tuple(sorted(mentioned)),
        commitments=tuple(commitments),
        warnings=tuple(warnings),
    )


def _label_annexes(
    documents: list[ParsedDocument], doc_paragraphs: list[list[Paragraph]]
) -> list[ParsedDocument]:
    """Annex labels from the bundle's own references ("... are attached herewith (Annex-I and
    Annex-II)", "signed the Protocol of the 9th Meeting ... (Annex III)"). The document named
    is the one of that type for the meeting the words name, else for the referring document's
    meeting. A document's own "Annex II" heading wins; otherwise the first reference does."""
    labels = {i: d.annex for i, d in enumerate(documents) if d.annex}
    for referrer, paragraphs in zip(documents, doc_paragraphs, strict=True):
        for para in paragraphs:
            for ref in annex_references(para.text):
                codes = [r.code for r in find_meeting_refs(ref.clause)]
                codes += [c for c in (referrer.meeting,) if c]
                target = next(
                    (
                        i
                        for code in codes
                        for i, d in enumerate(documents)
                        if d.type == ref.doc_type and d is not referrer and code in d.meetings
                    ),
                    None,
                )
                if target is not None:
                    labels.setdefault(target, ref.label)
    return [
        replace(d, annex=labels[i]) if labels.get(i, "") != d.annex else d
        for i, d in enumerate(documents)
    ]


def _document_key(doc_type: str, codes: list[str], taken: set[str], title: str = "") -> str:
    if doc_type == "note_verbale":
        base = "note"
    elif doc_type == "participants":
        base = "participants"
    else:
        prefix = codes[0].rsplit("-", 1)[0].lower() if codes else "doc"
        kind = {"agreed_minutes": "minutes"}.get(doc_type, doc_type)
        if doc_type == "other" and re.search(r"(?i)\baction\s+plan\b", title):
            kind = "action_plan"
        base = f"{prefix}_{kind}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


def _meeting_parties(
    data: _MeetingData, register: PartyRegister | None, secretariat: str
) -> tuple[str, ...]:
    codes = [p.party_code for p in data.participants if p.party_code] or list(data.opening_parties)
    states = []
    for code in codes:
        if code == secretariat or code in states:
            continue
        kind = register.get(code).kind if register and register.get(code) else None
        if register is not None and kind not in ("member", "observer"):
            continue  # guests and other bodies are not "Parties"
        states.append(code)
    return tuple(sorted(states))


def _fallback_parties(doc: ParsedDocument, meetings: dict[str, _MeetingData]) -> tuple[str, ...]:
    for code in doc.meetings:
        if code in meetings:
            return meetings[code].parties
    first = next(iter(meetings.values()), None)
    return first.parties if first else ()


def _note_units(
    doc: ParsedDocument,
    paragraphs: list[Paragraph],
    resolver: PartyResolver,
    ref_date: dt.date | None,
    parties: tuple[str, ...],
    order: int,
) -> list[Unit]:
    """Request bullets of a note verbale, numbered 1..n; bullets under a lead ending in ':'
    belong to it, even when the address block cuts the list."""
    groups: list[list[Paragraph]] = []
    lead_open = False
    for para in paragraphs:
        text = para.text.strip()
        if _ADDRESS.match(text):
            continue
        if not is_list_item(text):
            if groups and not text.lower().startswith(("ministry", "cc")):
                lead_open = lead_open and False
            continue
        body = re.sub(r"^\s*[-•–·▪●*]\s+", "", text)
        starts_obligation = False
        for m in _PARTY_START.finditer(body[:120]):
            if resolver.is_party_expression(body[: m.start()]):
                starts_obligation = True
                break
        if lead_open and not starts_obligation:
            groups[-1].append(para)
            continue
        groups.append([para])
        lead_open = text.endswith(":")
    return [
        Unit(
            doc.key,
            "note_verbale",
            doc.meeting,
            str(i),
            tuple(group),
            ref_date,
            parties,
            order,
        )
        for i, group in enumerate(groups, start=1)
    ]
