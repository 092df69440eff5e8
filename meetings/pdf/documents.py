"""What each printed document shows: the data, loaded in a fixed number of queries, and its
names (title, file name, running header). Rendering is in ``rendering.py``.

Every builder returns a ``PrintDocument`` whose context is fully evaluated (lists, not lazy
querysets), so the time spent loading data is separate from template and layout time."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import OuterRef, Subquery

from actions.models import Commitment, StatusUpdate
from meetings.models import (
    AgendaItem,
    Decision,
    Document,
    DocumentType,
    Meeting,
    MeetingSeries,
    Participant,
)
from parties.models import Party

AUTHOR = "Secretariat of the Organization of Turkic States"
DUE_SOON_DAYS = 30

# The documents of one meeting, in the order `export_pdf --meeting` writes them.
MEETING_DOCUMENTS = ("minutes", "protocol", "participants", "agenda", "implementation-report")
ARCHIVAL_DOCUMENTS = ("minutes", "protocol")


@dataclass
class PrintDocument:
    kind: str
    template: str
    title: str
    filename: str
    running_meeting: str  # left of the running header
    reference: str  # right of the running header
    subject: str
    context: dict
    author: str = AUTHOR
    lang: str = "en"
    keywords: list[str] = field(default_factory=list)
    size: int = 0  # commitments listed: what decides whether a worker renders it


class BadFilter(ValueError):
    """A query parameter that names nothing: the view answers 400 with this message."""


def meeting_by_code(code: str) -> Meeting:
    """HCA-9 → the meeting; Meeting.DoesNotExist for anything else (ValueError included)."""
    try:
        return Meeting.objects.select_related("series", "host", "chair").by_code(code)
    except ValueError as exc:
        raise Meeting.DoesNotExist(f"No meeting {code!r}") from exc


def _when_where(meeting: Meeting) -> str:
    if meeting.start_date:
        days = meeting.start_date.strftime("%-d %B %Y")
        if meeting.end_date and meeting.end_date != meeting.start_date:
            days = f"{meeting.start_date.strftime('%-d')}–{meeting.end_date.strftime('%-d %B %Y')}"
    else:
        days = meeting.date_text or (str(meeting.year) if meeting.year else "")
    return ", ".join(part for part in (days, meeting.city) if part)


def _running(meeting: Meeting) -> str:
    return f"{meeting.code} · {meeting.display_name}"


def _document(meeting: Meeting, type_: str) -> Document | None:
    return meeting.documents.filter(type=type_).order_by("order", "id").first()


def _date_tag(day: datetime.date | None) -> str:
    return day.isoformat() if day else "undated"


# --- Text of the source documents ------------------------------------------------------

_NUMBERED = re.compile(r"^\d+\.\s")
_CLOSING_STARTS = ("Following the Meeting", "It is hereby certified", "Signed on")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def _is_heading(paragraph: str) -> bool:
    """The document's own title lines, which the PDF sets itself: upper case, bold-marked,
    or the '(11 December 2023, Tashkent)' line."""
    plain = paragraph.strip("*").strip()
    letters = [c for c in plain if c.isalpha()]
    return bool(letters) and (
        all(c.isupper() for c in letters) or (plain.startswith("(") and plain.endswith(")"))
    )


def split_minutes_text(text: str) -> tuple[list[str], list[str]]:
    """(preamble, closing) of the minutes or protocol as written: the paragraphs before the
    first numbered decision, without the title lines, and the closing formula
    ('Following the Meeting...', 'It is hereby certified...', 'Signed on...')."""
    paragraphs = _paragraphs(text)
    preamble = []
    for paragraph in paragraphs:
        if _NUMBERED.match(paragraph):
            break
        if not _is_heading(paragraph):
            preamble.append(paragraph)
    closing = [p for p in paragraphs if p.startswith(_CLOSING_STARTS)]
    return preamble, closing


# --- Meeting documents -----------------------------------------------------------------


def _decisions(meeting: Meeting) -> list[Decision]:
    return list(meeting.decisions.select_related("agenda_item").order_by("number"))


def _for_name(party: Party) -> str:
    """'For the Republic of Azerbaijan', 'For the Kyrgyz Republic', 'For Hungary'."""
    name = party.official_name or party.name
    needs_article = any(w in name for w in ("Republic", "Secretariat", "Organization"))
    return f"the {name}" if needs_article and not name.startswith("the ") else name


def _signature_blocks(meeting: Meeting, signatories: list[dict]) -> list[dict]:
    """Signature blocks as signed (Document.signatories); without them, one per head of
    delegation of the meeting's parties, in the meeting's order (Annex III)."""
    if not signatories:
        heads = (
            Participant.objects.filter(meeting=meeting, is_head=True)
            .select_related("party", "person")
            .order_by("party__order", "order")
        )
        signatories = [
            {
                "party": p.party.code,
                "honorific": p.honorific,
                "name": p.person.name,
                "title": p.title,
            }
            for p in heads
        ]
    codes = {s.get("party", "") for s in signatories}
    names = {p.code: _for_name(p) for p in Party.objects.filter(code__in=codes)}
    return [
        {
            "for": names.get(s.get("party", ""), ""),
            "honorific": s.get("honorific", ""),
            "name": s.get("name", ""),
            "title": s.get("title", ""),
        }
        for s in signatories
    ]


def _formal_document(meeting: Meeting, kind: str) -> PrintDocument:
    type_, label = {
        "minutes": (DocumentType.AGREED_MINUTES, "Agreed Minutes"),
        "protocol": (DocumentType.PROTOCOL, "Protocol"),
    }[kind]
    source = _document(meeting, type_)
    title = source.title if source else f"{label} of the {meeting.display_name}"
    day = (source.date if source else None) or meeting.start_date
    preamble, closing = split_minutes_text(source.text if source else "")
    if kind == "protocol" and not any(p.startswith("Signed on") for p in closing) and day:
        closing.append(f"Signed on {day.strftime('%-d %B %Y')} in {meeting.city}.")
    signatures = _signature_blocks(meeting, source.signatories if source else [])
    decisions = _decisions(meeting)
    annex = source.annex if source else ""
    reference = f"{meeting.code} · {label}" + (f" ({annex})" if annex else "")
    return PrintDocument(
        kind=kind,
        template=f"pdf/{kind}.html",
        title=title,
        filename=f"{meeting.code}_{kind}_{_date_tag(day)}.pdf",
        running_meeting=_running(meeting),
        reference=reference,
        subject=f"{label} of {meeting.code}: {len(decisions)} decisions",
        keywords=[meeting.code, label, meeting.series.organisation],
        context={
            "meeting": meeting,
            "source": source,
            "label": label,
            "annex": annex,
            "when_where": _when_where(meeting),
            "preamble": preamble,
            "decisions": decisions,
            "closing": closing,
            "signatures": signatures,
        },
    )


def minutes(meeting: Meeting) -> PrintDocument:
    return _formal_document(meeting, "minutes")


def protocol(meeting: Meeting) -> PrintDocument:
    return _formal_document(meeting, "protocol")


def participants(meeting: Meeting) -> PrintDocument:
    source = _document(meeting, DocumentType.PARTICIPANTS)
    rows = list(
        Participant.objects.filter(meeting=meeting)
        .select_related("party", "person")
        .order_by("party__order", "party__name", "order")
    )
    delegations = [
        {"party": party, "organisation": members[0].organisation, "members": members}
        for party, members in ((p, list(m)) for p, m in groupby(rows, key=lambda r: r.party))
    ]
    annex = source.annex if source else ""
    day = (source.date if source else None) or meeting.start_date
    return PrintDocument(
        kind="participants",
        template="pdf/participants.html",
        title=f"List of participants of the {meeting.display_name}",
        filename=f"{meeting.code}_participants_{_date_tag(day)}.pdf",
        running_meeting=_running(meeting),
        reference=f"{meeting.code} · List of participants" + (f" ({annex})" if annex else ""),
        subject=f"{len(rows)} participants in {len(delegations)} delegations",
        keywords=[meeting.code, "List of participants"],
        context={
            "meeting": meeting,
            "annex": annex,
            "when_where": _when_where(meeting),
            "delegations": delegations,
            "count": len(rows),
        },
    )


def agenda(meeting: Meeting) -> PrintDocument:
    source = _document(meeting, DocumentType.AGENDA)
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "id"))
    children: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    for item in items:
        item.sub_items = children.get(item.pk, [])
    annex = source.annex if source else ""
    day = (source.date if source else None) or meeting.start_date
    return PrintDocument(
        kind="agenda",
        template="pdf/agenda.html",
        title=source.title if source else f"Agenda of the {meeting.display_name}",
        filename=f"{meeting.code}_agenda_{_date_tag(day)}.pdf",
        running_meeting=_running(meeting),
        reference=f"{meeting.code} · Agenda" + (f" ({annex})" if annex else ""),
        subject=f"Agenda of {meeting.code}: {len(items)} items",
        keywords=[meeting.code, "Agenda"],
        context={
            "meeting": meeting,
            "annex": annex,
            "when_where": _when_where(meeting),
            "items": children.get(None, []),
        },
    )


# --- Registers of commitments ----------------------------------------------------------


def _commitment_rows(queryset, *, today: datetime.date) -> list:
    """The commitments with everything a report row shows, in 3 queries whatever their
    number: the rows (+ meeting, series, decision, due meeting, latest progress note), the
    party links, the sources."""
    latest = (
        StatusUpdate.objects.filter(commitment=OuterRef("pk"))
        .exclude(note="")
        .order_by("-created_at", "-id")
    )
    queryset = queryset.with_related().annotate(
        latest_note=Subquery(latest.values("note")[:1]),
        latest_note_at=Subquery(latest.values("created_at")[:1]),
    )
    rows = list(queryset)
    for row in rows:
        row.overdue = row.is_overdue(today)
        row.responsible_codes = ", ".join(p.code for p in row.responsible)
        row.partner_codes = ", ".join(p.code for p in row.partners)
    return rows


def implementation_report(meeting: Meeting, *, today: datetime.date) -> PrintDocument:
    """Item 9 of the HCA-9 minutes (built in ``implementation.py``, which builds on this
    module)."""
    from meetings.pdf import implementation

    return implementation.implementation_report(meeting, today=today)


def series_queryset(series: MeetingSeries):
    return Commitment.objects.filter(meeting__series=series).active()


def series_report(series: MeetingSeries, *, today: datetime.date) -> PrintDocument:
    """Every commitment still open (overdue ones marked) across the meetings of a series:
    what the next meeting's item 'Implementing the decisions of the previous meetings' needs."""
    rows = _commitment_rows(
        series_queryset(series).order_by(
            "meeting__start_date", "meeting__number", "deadline", "reference", "id"
        ),
        today=today,
    )
    meetings = [
        {"meeting": meeting, "rows": list(items), "when_where": _when_where(meeting)}
        for meeting, items in groupby(rows, key=lambda r: r.meeting)
    ]
    for group in meetings:
        group["overdue"] = sum(r.overdue for r in group["rows"])
    return PrintDocument(
        kind="series-report",
        template="pdf/series_report.html",
        title=f"Open commitments of the {series.name}",
        filename=f"{series.code}_series-report_{today.isoformat()}.pdf",
        running_meeting=f"{series.name} ({series.code})",
        reference=f"{series.code} · Open commitments as of {today.isoformat()}",
        subject=f"{len(rows)} open commitments of {series.code}, as of {today.isoformat()}",
        keywords=[series.code, "implementation", "open commitments"],
        size=len(rows),
        context={
            "series": series,
            "today": today,
            "meetings": meetings,
            "total": len(rows),
            "overdue": sum(r.overdue for r in rows),
        },
    )


# --- Sizes (decide in the request whether a worker renders) and jobs --------------------


def meeting_document(kind: str, meeting: Meeting, *, today: datetime.date) -> PrintDocument:
    if kind == "implementation-report":
        return implementation_report(meeting, today=today)
    builders = {
        "minutes": minutes,
        "protocol": protocol,
        "participants": participants,
        "agenda": agenda,
    }
    return builders[kind](meeting)


def from_params(kind: str, params: dict) -> PrintDocument:
    """Rebuild a document from a ReportJob's parameters (in the worker)."""
    from meetings.models import ReportKind

    today = datetime.date.fromisoformat(params["today"])
    if kind == ReportKind.IMPLEMENTATION_REPORT:
        return implementation_report(meeting_by_code(params["meeting"]), today=today)
    if kind == ReportKind.SERIES_REPORT:
        return series_report(MeetingSeries.objects.get(code=params["series"]), today=today)
    if kind == ReportKind.IMPLEMENTATION_MATRIX:
        from meetings.pdf import matrix  # it builds on this module

        return matrix.from_params(params)
    if kind == ReportKind.PARTY_OBLIGATIONS:
        meeting = meeting_by_code(params["meeting"]) if params.get("meeting") else None
        return party_obligations(
            Party.objects.get(code=params["party"]),
            today=today,
            meeting=meeting,
            statuses=params.get("statuses") or None,
            language=params.get("language"),
        )
    raise ValueError(f"Unknown report kind {kind!r}")


# A party's obligations are its shares, in a module of their own; importing them here keeps
# this module the one place the views and the worker build documents from.
from meetings.pdf.obligations import (  # noqa: E402, F401
    obligations_queryset,
    parse_share_statuses,
    party_obligations,
)
