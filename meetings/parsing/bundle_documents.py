"""The documents of a bundle, one at a time: what each is, which meetings it belongs to, its
date, place, reference and signatories, and what it says about its meetings (dates, city,
chair, who attended)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from .deadlines import FULL_DATE, parse_date
from .headings import title_date
from .normalize import Paragraph, split_paragraphs
from .parties import PartyResolver
from .structure import (
    PLACE_DATE_LINE,
    MeetingRef,
    RawDocument,
    annex_references,
    find_meeting_refs,
    heading_annex,
    heading_place_date,
    is_place_or_date_line,
    parse_date_range,
    place_date,
    signatories,
    split_place,
)
from .types import ParsedAgendaItem, ParsedDecision, ParsedDocument, ParsedParticipant

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
ADDRESS = re.compile(
    r"^(?:Ministry|Embassy|Permanent\s+Mission|CC\s*:|To\s*:|Customs\s+Administrations?\s+of|Copy\s+to)",
    re.IGNORECASE,
)
# the sentence of the opening that says who took part
_ATTENDED = re.compile(
    r"(?i)attended\s+by|participation\s+of|delegations\s+of|attended\s+the\s+(?:meeting|session)|"
    r"^present\s*:|^participants\s*:|participants\s+included|(?:countries|states)\s+attended|"
    r"composed\s+of\s+the|delegation\s+(?:was|were)\s+(?:headed|led)\s+by"
)
_LABEL = re.compile(r"^(?P<label>date|dates|venue|place)\s*:\s*(?P<value>\S.*)$", re.IGNORECASE)
# "Signed on 6 March 2025 in Baku", "Done in Tashkent on 14 January 2025"
_SIGNED = re.compile(
    rf"(?:Signed|Done)\s+(?:on\s+)?(?P<date>(?i:{FULL_DATE}))\s+(?:in|at)\s+(?P<city>[A-Z][\w'-]+)"
)
_SIGNED_IN = re.compile(
    rf"(?:Signed|Done)\s+(?:in|at)\s+(?P<city>[A-Z][\w'-]+)\s+on\s+(?P<date>(?i:{FULL_DATE}))"
)
_MINUTES_LIKE = ("agreed_minutes", "protocol", "other")


@dataclass
class MeetingData:
    """What the bundle says about one meeting, gathered document by document."""

    code: str
    series_name: str
    series_code: str
    number: int | None  # None for a meeting the minutes do not number (provisional)
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


@dataclass
class _Dating:
    """When and where a document says it was made."""

    date: dt.date | None = None
    end: dt.date | None = None
    place: str = ""


def _opening_place_date(opening: list[str]) -> _Dating:
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
                return _Dating(first, last, where)
        if m := _LABEL.match(text):
            if m["label"].lower().startswith("date") and start is None:
                start, end = parse_date_range(m["value"])
            elif m["label"].lower() in ("venue", "place") and not place:
                place = m["value"].split(",")[0].strip()
    if start is not None:
        return _Dating(start, end, place)
    return _Dating()


def _lines_of(lines: list[str], paragraphs: list[Paragraph]) -> list[str]:
    return [line for p in paragraphs for line in lines[p.start_line - 1 : p.end_line]]


class DocumentReader:
    """Reads the documents of a bundle in order; ``documents``, ``paragraphs`` (of each
    document), ``meetings`` and ``signing_dates`` (document index -> day signed) grow as it
    goes, because an annex belongs to the meeting of the document before it."""

    def __init__(
        self,
        lines: list[str],
        resolver: PartyResolver,
        secretariat: str,
        chosen: MeetingRef | None = None,
    ) -> None:
        self.lines = lines
        self.resolver = resolver
        self.secretariat = secretariat
        self.chosen = chosen  # the meeting of documents that name none, when one is chosen
        self.meetings: dict[str, MeetingData] = {}
        self.documents: list[ParsedDocument] = []
        self.paragraphs: list[list[Paragraph]] = []
        self.signing_dates: dict[int, dt.date | None] = {}
        self._keys: set[str] = set()

    def read(self, raw: RawDocument) -> None:
        body_start = raw.start if raw.type == "note_verbale" else raw.heading_end
        paragraphs = split_paragraphs(self.lines, body_start, raw.end)
        codes = self._meeting_codes(raw, paragraphs)
        opening_text = " ".join(p.text for p in paragraphs[:3])
        dating = self._dating(raw, paragraphs, opening_text)
        reference, addressees = "", ()
        if raw.type == "note_verbale":
            reference, addressees = self._note_verbale(raw, paragraphs, dating)
        self._signed(paragraphs, dating)
        if dating.date is None and raw.type != "note_verbale":
            # "Minutes of the meeting of 4 March 2025": a date in the heading's first lines
            dating.date = dating.end = title_date(self.lines[raw.start : raw.end])
        self.documents.append(
            ParsedDocument(
                key=document_key(raw.type, codes, self._keys, raw.title),
                type=raw.type,
                title=raw.title,
                meeting=codes[0] if codes else None,
                reference=reference,
                date=dating.date,
                place=dating.place,
                signatories=(
                    signatories(self.lines, paragraphs) if raw.type in _MINUTES_LIKE else ()
                ),
                start_line=raw.start + 1,
                end_line=raw.end,
                text="\n".join(self.lines[raw.start : raw.end]).strip(),
                meetings=tuple(codes),
                addressees=addressees,
                annex=heading_annex(self.lines, raw.start, raw.heading_end),
            )
        )
        self.paragraphs.append(paragraphs)
        self._meeting_facts(raw, codes, dating, paragraphs, opening_text)

    # which meetings ---------------------------------------------------------------------
    def _refs(self, raw: RawDocument, paragraphs: list[Paragraph]) -> list[MeetingRef]:
        # the place and date lines are not part of the title ("... CHINA" / "Almaty, 22 May")
        # and end the name before them: "... CHINA" / "Almaty, 22 May 2025" / "LIST OF ..."
        heading = " ".join(
            ";" if is_place_or_date_line(line.strip()) else line
            for line in self.lines[raw.start : raw.heading_end]
        )
        refs = find_meeting_refs(heading)
        if refs:
            return refs
        # a place/date line right under the name (no blank line between) ends the name:
        # "... between Georgia and the Republic of Azerbaijan" / "Tbilisi, 3-4 April 2025"
        opening = " ".join(
            ";" if is_place_or_date_line(line.strip()) else line.strip()
            for line in _lines_of(self.lines, paragraphs[:3])
        )
        refs = find_meeting_refs(opening)
        if not refs and self.chosen is not None and raw.type != "note_verbale":
            return [self.chosen]
        return refs if raw.type == "note_verbale" else refs[:1]

    def _meeting_codes(self, raw: RawDocument, paragraphs: list[Paragraph]) -> list[str]:
        codes: list[str] = []
        for ref in self._refs(raw, paragraphs):
            if ref.code not in codes:
                codes.append(ref.code)
            if raw.type != "note_verbale":
                self.meetings.setdefault(
                    ref.code, MeetingData(ref.code, ref.series_name, ref.series_code, ref.number)
                )
        if not codes and raw.type in ("agenda", "participants", "other") and self.documents:
            # an annex headed only "Annex 1 / AGENDA" belongs to the meeting of the document
            # it is annexed to: the one before it in the bundle
            codes = next(
                (
                    list(d.meetings[:1])
                    for d in reversed(self.documents)
                    if d.type != "note_verbale"
                ),
                [],
            )
        return codes

    # when and where ---------------------------------------------------------------------
    def _dating(self, raw: RawDocument, paragraphs: list[Paragraph], opening: str) -> _Dating:
        date, end, place = heading_place_date(self.lines, raw)
        dating = _Dating(date, end, place)
        if dating.date is None and raw.type != "note_verbale":
            dating = _opening_place_date(_lines_of(self.lines, paragraphs[:8]))
        held = _HELD.search(opening) or _HELD_IN.search(opening)
        if dating.date is None and raw.type in _MINUTES_LIKE and held:
            dating.date = dating.end = parse_date(held["date"])
            dating.place = dating.place or (held["city"] or "")
        return dating

    def _note_verbale(
        self, raw: RawDocument, paragraphs: list[Paragraph], dating: _Dating
    ) -> tuple[str, tuple[str, ...]]:
        """Its reference number and addressees; a closing "Istanbul, 21 December 2023" line
        is the day and place it was sent."""
        reference = ""
        if m := _REF.search("\n".join(self.lines[raw.start : raw.end])):
            reference = m["ref"]
        if pm := PLACE_DATE_LINE.match(self.lines[raw.end - 1].strip()):
            date_text, dating.place = place_date(pm)
            dating.date = parse_date_range(date_text)[0]
        addressees = tuple(
            line.strip()
            for p in paragraphs
            if ADDRESS.match(p.text)
            for line in self.lines[p.start_line - 1 : p.end_line]
            if line.strip()
        )
        return reference, addressees

    def _signed(self, paragraphs: list[Paragraph], dating: _Dating) -> None:
        body_text = " ".join(p.text for p in paragraphs)
        signed = _SIGNED.search(body_text) or _SIGNED_IN.search(body_text)
        if not signed:
            return
        self.signing_dates[len(self.documents)] = parse_date(signed["date"])
        if dating.date is None:
            dating.date, dating.place = parse_date(signed["date"]), signed["city"]

    # what it says about its meetings ----------------------------------------------------
    def _meeting_facts(
        self,
        raw: RawDocument,
        codes: list[str],
        dating: _Dating,
        paragraphs: list[Paragraph],
        opening_text: str,
    ) -> None:
        # a document about one meeting wins over a joint one (participants list)
        single = len(codes) == 1 and raw.type != "note_verbale"
        for code in codes:
            data = self.meetings.get(code)
            if data is None:
                continue
            if dating.date and (data.start is None or (single and raw.type != "participants")):
                data.start, data.end = dating.date, dating.end or dating.date
            if dating.place and not data.city and raw.type != "note_verbale":
                data.city, data.country = split_place(dating.place, self.resolver)
            if (m := _CHAIR.search(opening_text)) and not data.chair and single:
                data.chair = m["name"]
            if raw.type in _MINUTES_LIKE and single and not data.opening_parties:
                data.opening_parties = self._opening_parties(data, paragraphs)

    def _opening_parties(self, data: MeetingData, paragraphs: list[Paragraph]) -> tuple[str, ...]:
        found: tuple[str | None, ...] = ()
        for p in paragraphs[:6]:
            if _ATTENDED.search(p.text):
                found = self.resolver.named_states(p.text)
                if any(c and c != self.secretariat for c in found):
                    break
        # a bilateral named by its parties: "Joint Customs Commission between Georgia and the
        # Republic of Azerbaijan"
        if not any(found) and (m := re.search(r"(?i)\bbetween\s+(.+)$", data.series_name)):
            found = self.resolver.named_states(m[1])
        return tuple(c for c in found if c and c != self.secretariat)


def label_annexes(
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


def document_key(doc_type: str, codes: list[str], taken: set[str], title: str = "") -> str:
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
