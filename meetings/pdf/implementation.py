"""The implementation report of a meeting (item 9 of the HCA-9 minutes): every commitment of
the meeting with who is responsible, the deadline as agreed and extended, the status with its
parties' shares, and every progress note; then a summary by party and share status.

The rows are flattened here into plain strings, a cell's lines separated by newlines, so the
template (pdf/implementation_report.html) writes one text run per cell and calls nothing per
row: on a thousand rows, each extra inline box or include is measurable layout time."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import Commitment, ShareStatus, Status, StatusUpdate
from actions.querysets import cited_sources, deadline_extensions, party_links
from actions.templatetags.otsweb import agreed_and_extended
from meetings.models import DocumentType, Meeting
from meetings.pdf.documents import PrintDocument, _running, _when_where

WHOLE_CLOSED = (Status.CANCELLED, Status.SUPERSEDED)
# The summary's columns: a party's share is counted under its own status, unless the whole
# commitment was cancelled or superseded; the last line counts each commitment once.
SUMMARY_STATUSES = [*ShareStatus.values, Status.CANCELLED.value, Status.SUPERSEDED.value]


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "j M Y")


def labels(*choices) -> dict[str, str]:
    """Choice labels translated once per document: ``get_FOO_display()`` hashes the field's
    lazy choices on every call, a measurable part of building a thousand rows."""
    return {value: str(label) for group in choices for value, label in group}


def report_commitments(meeting: Meeting):
    """The meeting's commitments with everything a row prints, in five queries whatever their
    number: the rows (+ meeting, series, decision, due meeting), their party links, sources,
    approved extensions, and progress notes (+ party)."""
    notes = (
        StatusUpdate.objects.exclude(note="").select_related("party").order_by("created_at", "id")
    )
    return (
        Commitment.objects.filter(meeting=meeting)
        .order_by("reference", "id")
        .select_related("meeting__series", "decision", "due_meeting__series")
        .prefetch_related(
            party_links(),
            cited_sources(),
            deadline_extensions(),
            Prefetch("updates", queryset=notes, to_attr="notes"),
        )
    )


def _reference(c: Commitment) -> str:
    if c.decision_id is None:
        return c.reference
    return f"{c.reference}\n" + _("Dec. %(number)s") % {"number": c.decision.number}


def _action(c: Commitment, names: dict[str, str]) -> str:
    lines = [c.action]
    sources = []
    for s in c.cited_sources():
        where = names.get(s.document.type, s.document.type)
        if s.document.annex:
            where += f" ({s.document.annex})"
        if s.paragraph:
            where += f" ¶{s.paragraph}"
        sources.append(where)
    if sources:
        lines.append(_("Source: %(sources)s") % {"sources": "; ".join(sources)})
    for u in c.notes:
        when = _day(timezone.localdate(u.created_at))
        if u.party_id is not None:
            when += f" · {u.party.code}"
        lines.append(f"{when}: {u.note}")
    return "\n".join(lines)


def _parties(c: Commitment) -> str:
    text = ", ".join(p.code for p in c.responsible)
    partners = ", ".join(p.code for p in c.partners)
    if partners:
        text += "\n" + _("with %(parties)s") % {"parties": partners}
    return text


def _deadline(c: Commitment) -> str:
    lines = []
    agreed = agreed_and_extended(c)
    if agreed:
        lines.append(agreed)
    if c.deadline is not None:
        lines.append(_day(c.deadline))
    if c.due_meeting_id is not None:
        lines.append(_("at %(meeting)s") % {"meeting": c.due_meeting.code})
    return "\n".join(lines) or _("none set")


def _status(c: Commitment, overdue: bool, names: dict[str, str]) -> str:
    lines = [names[c.status]]
    if overdue:
        lines.append(_("overdue"))
    shares = c.shares
    if len(shares) > 1 and c.status not in WHOLE_CLOSED:
        lines.append(
            ngettext("%(done)d of %(n)d party done", "%(done)d of %(n)d parties done", len(shares))
            % {"done": c.shares_finished, "n": len(shares)}
        )
    return "\n".join(lines)


def _summary(commitments: list[Commitment], today: datetime.date) -> list[dict]:
    """Per party with a share: its shares by status, their total and how many are overdue."""
    parties, counts = {}, Counter()
    for c in commitments:
        for share in c.shares:
            parties[share.party_id] = share.party
            status = c.status if c.status in WHOLE_CLOSED else share.status
            counts[share.party_id, status] += 1
            counts[share.party_id, "overdue"] += share.is_overdue(today)
    return [
        {
            "party": party,
            "cells": [counts[party.pk, s] for s in SUMMARY_STATUSES],
            "total": sum(counts[party.pk, s] for s in SUMMARY_STATUSES),
            "overdue": counts[party.pk, "overdue"],
        }
        for party in sorted(parties.values(), key=lambda p: (p.order, p.name))
    ]


def implementation_report(meeting: Meeting, *, today: datetime.date) -> PrintDocument:
    commitments = list(report_commitments(meeting))
    overdue = {c.pk: c.is_overdue(today) for c in commitments}
    names = labels(DocumentType.choices, ShareStatus.choices, Status.choices)
    rows = [
        (
            _reference(c),
            _action(c, names),
            _parties(c),
            _deadline(c),
            _status(c, overdue[c.pk], names),
        )
        for c in commitments
    ]
    by_status = Counter(c.status for c in commitments)
    return PrintDocument(
        kind="implementation-report",
        template="pdf/implementation_report.html",
        title=_("Implementation of the decisions of the %(meeting)s")
        % {"meeting": meeting.display_name},
        filename=f"{meeting.code}_implementation-report_{today.isoformat()}.pdf",
        running_meeting=_running(meeting),
        reference=_("%(code)s · Implementation report") % {"code": meeting.code},
        subject=_("%(n)d commitments of %(code)s, status as of %(day)s")
        % {"n": len(rows), "code": meeting.code, "day": today.isoformat()},
        keywords=[meeting.code, "implementation report"],
        size=len(rows),
        context={
            "meeting": meeting,
            "today": today,
            "when_where": _when_where(meeting),
            "rows": rows,
            "statuses": [names[s] for s in SUMMARY_STATUSES],
            "summary": _summary(commitments, today),
            "totals": [by_status[s] for s in SUMMARY_STATUSES],
            "total": len(rows),
            "overdue": sum(overdue.values()),
        },
    )
