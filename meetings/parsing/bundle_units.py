"""The units commitments are read from: each numbered decision of minutes and protocols, each
row of an action table, each request of a note verbale. The decisions of a meeting are
recorded on its ``MeetingData`` as they are found."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .bundle_documents import ADDRESS, MeetingData
from .commitments import Unit
from .normalize import Paragraph, is_list_item
from .parties import PartyResolver
from .structure import Section, best_agenda_match, decision_sections
from .tables import table_rows
from .types import ParsedAgendaItem, ParsedDecision, ParsedDocument

_PARTY_START = re.compile(r"\s+(?:to|will|shall)\s+[a-z]")


@dataclass(frozen=True)
class _Setting:
    """What every unit of one document shares."""

    doc: ParsedDocument
    meeting: MeetingData | None
    parties: tuple[str, ...]
    reference_date: dt.date | None
    order: int
    host_country: str | None
    signing_date: dt.date | None

    def unit(
        self, number: str, paragraphs: tuple[Paragraph, ...], *, restated: bool = False
    ) -> Unit:
        return Unit(
            self.doc.key,
            self.doc.type,
            self.doc.meeting,
            number,
            paragraphs,
            self.reference_date,
            self.parties,
            self.order,
            self.host_country,
            self.signing_date,
            restated,
        )


def bundle_units(
    lines: list[str],
    documents: list[ParsedDocument],
    doc_paragraphs: list[list[Paragraph]],
    meetings: dict[str, MeetingData],
    signing_dates: dict[int, dt.date | None],
    resolver: PartyResolver,
    warnings: list[str],
) -> list[Unit]:
    units: list[Unit] = []
    for order, (doc, paragraphs) in enumerate(zip(documents, doc_paragraphs, strict=True)):
        meeting = meetings.get(doc.meeting or "")
        reference_date = (meeting.start if meeting else None) or doc.date
        if doc.type == "note_verbale":
            reference_date = doc.date or reference_date  # a request counts from the note
        setting = _Setting(
            doc=doc,
            meeting=meeting,
            parties=meeting.parties if meeting else _fallback_parties(doc, meetings),
            reference_date=reference_date,
            order=order,
            host_country=meeting.country if meeting else None,
            signing_date=signing_dates.get(order) or (meeting.end if meeting else None),
        )
        if doc.type == "note_verbale":
            units.extend(_note_units(setting, paragraphs, resolver))
        elif doc.type in ("agreed_minutes", "protocol", "other"):
            units.extend(_minutes_units(setting, lines, paragraphs, warnings))
    return units


def _fallback_parties(doc: ParsedDocument, meetings: dict[str, MeetingData]) -> tuple[str, ...]:
    for code in doc.meetings:
        if code in meetings:
            return meetings[code].parties
    first = next(iter(meetings.values()), None)
    return first.parties if first else ()


def _minutes_units(
    setting: _Setting, lines: list[str], paragraphs: list[Paragraph], warnings: list[str]
) -> list[Unit]:
    doc = setting.doc
    units: list[Unit] = []
    rows = table_rows(lines, doc.start_line - 1, doc.end_line)
    if rows:  # an action plan table: one unit per row, numbered as in the table
        paragraphs = [p for p in paragraphs if " | " not in p.text]
        units.extend(
            # a row of an action table restates what the minutes say
            setting.unit(
                row.number, (Paragraph(row.sentence, row.line + 1, row.line + 1),), restated=True
            )
            for row in rows
        )
    sections, _ = decision_sections(paragraphs)
    if not sections:
        if rows and not paragraphs:
            return units
        warnings.append(f"{doc.key}: no numbered decisions found; every paragraph was read.")
        units.extend(setting.unit(str(i), (para,)) for i, para in enumerate(paragraphs, start=1))
        return units
    meeting = setting.meeting
    headings = {s.agenda_item: s.title for s in sections if s.agenda_item}
    if meeting is not None and headings and not meeting.agenda:
        # no agenda of its own: the "On item N. <title>" headings are the agenda
        meeting.agenda = tuple(ParsedAgendaItem(n, t) for n, t in headings.items())
    for section in sections:
        body = section.paragraphs or [Paragraph(section.title, 0, 0)]
        if meeting is not None:
            meeting.decisions.append(_decision(section, doc, meeting, body[0].start_line))
        units.append(setting.unit(section.number, tuple(body)))
    return units


def _decision(section: Section, doc: ParsedDocument, meeting: MeetingData, line: int):
    text = "\n\n".join(p.text for p in section.paragraphs) or section.title
    agenda_item = section.agenda_item or (
        best_agenda_match(section.title, meeting.agenda) if section.title else None
    )
    return ParsedDecision(section.number, text, doc.key, agenda_item, section.title, line)


def _starts_obligation(body: str, resolver: PartyResolver) -> bool:
    return any(
        resolver.is_party_expression(body[: m.start()]) for m in _PARTY_START.finditer(body[:120])
    )


def _note_units(
    setting: _Setting, paragraphs: list[Paragraph], resolver: PartyResolver
) -> list[Unit]:
    """Request bullets of a note verbale, numbered 1..n; bullets under a lead ending in ':'
    belong to it, even when the address block cuts the list."""
    groups: list[list[Paragraph]] = []
    lead_open = False
    for para in paragraphs:
        text = para.text.strip()
        if ADDRESS.match(text):
            continue
        if not is_list_item(text):
            # a paragraph of prose closes the lead; the address block does not
            if groups and not text.lower().startswith(("ministry", "cc")):
                lead_open = False
            continue
        body = re.sub(r"^\s*[-•–·▪●*]\s+", "", text)
        if lead_open and not _starts_obligation(body, resolver):
            groups[-1].append(para)
            continue
        groups.append([para])
        lead_open = text.endswith(":")
    # a note verbale's units carry neither a host country nor a signing date
    plain = _Setting(
        setting.doc, setting.meeting, setting.parties, setting.reference_date, setting.order,
        None, None,
    )  # fmt: skip
    return [plain.unit(str(i), tuple(group)) for i, group in enumerate(groups, start=1)]
