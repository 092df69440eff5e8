"""A party's obligations, printed: each of its shares by the share's own status and effective
deadline (its extension, else the commitment's), grouped overdue / due in the next 30 days /
later (or undated) / done or closed, with the deadline as agreed and the extension in force,
and the latest progress reported on that share.

Written in the language active when it is built (the request's, or the one a report job
was asked in); the template renders in the document's language, wherever it is rendered."""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from actions.models import Commitment, Role, ShareStatus, Status, StatusUpdate
from actions.querysets import deadline_extensions
from actions.templatetags.otsweb import agreed_and_extended
from actions.templatetags.share_tags import shares_progress
from meetings.models import Meeting
from meetings.pdf.documents import DUE_SOON_DAYS, BadFilter, PrintDocument, _for_name
from parties.models import Party

# The Secretariat's decisions on a whole commitment: they close every share of it.
WHOLE = (Status.CANCELLED, Status.SUPERSEDED)
STATUSES = [*ShareStatus.values, *(s.value for s in WHOLE)]


def parse_share_statuses(values: list[str]) -> list[str]:
    """`?status=open,in_progress` or repeated `?status=`: a share's statuses, or cancelled
    and superseded (of the whole commitment); unknown names are refused."""
    statuses = [v.strip() for value in values for v in value.split(",") if v.strip()]
    unknown = [s for s in statuses if s not in STATUSES]
    if unknown:
        raise BadFilter(
            f"status: unknown value {', '.join(unknown)!s}; use one of {', '.join(STATUSES)}"
        )
    return statuses


def obligations_queryset(
    party: Party, *, meeting: Meeting | None = None, statuses: list[str] | None = None
):
    """The commitments the party holds a share of, with the share joined in (``share_status``,
    ``due``: see ``with_party_link``); ``statuses`` reads the share's status, or the whole
    commitment's for cancelled and superseded."""
    queryset = Commitment.objects.with_party_link(party, role=Role.RESPONSIBLE)
    if meeting is not None:
        queryset = queryset.filter(meeting=meeting)
    if statuses:
        shares = [s for s in statuses if s in ShareStatus.values]
        wanted = Q(status__in=[s for s in statuses if s in WHOLE])
        if shares:
            wanted |= Q(share_status__in=shares) & ~Q(status__in=WHOLE)
        queryset = queryset.filter(wanted)
    return queryset


def _rows(queryset, party: Party, *, today: datetime.date) -> list[Commitment]:
    """The rows with everything they show, in 4 queries whatever their number: the rows
    (+ meeting, series, decision, due meeting, the party's share, its latest progress note),
    the party links, the sources, the approved extensions."""
    latest = (
        StatusUpdate.objects.filter(commitment=OuterRef("pk"))
        .filter(Q(party=party) | Q(party__isnull=True))
        .exclude(note="")
        .order_by("-created_at", "-id")
    )
    queryset = (
        queryset.with_related()
        .prefetch_related(deadline_extensions())
        .annotate(
            latest_note=Subquery(latest.values("note")[:1]),
            latest_note_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by(F("due").asc(nulls_last=True), "meeting__start_date", "reference", "id")
    )
    rows = list(queryset)
    for row in rows:
        row.share = row.share_for(party.pk)
        row.overdue = row.share.is_overdue(today)
        row.closed = not row.share.is_active or row.status in WHOLE
        row.status_label = row.get_status_display() if row.status in WHOLE else None
        row.status_label = row.status_label or row.share.get_status_display()
        row.extended = row.extension_for(party.pk) is not None
        row.agreed = agreed_and_extended(row, party.pk) if row.extended else ""
        row.progress = shares_progress(row) if len(row.shares) > 1 else ""
        row.partner_codes = ", ".join(p.code for p in row.partners)
    return rows


def party_obligations(
    party: Party,
    *,
    today: datetime.date,
    meeting: Meeting | None = None,
    statuses: list[str] | None = None,
    language: str | None = None,
) -> PrintDocument:
    """Every share of the party, grouped by urgency (see the module's docstring)."""
    language = language or translation.get_language() or "en"
    with translation.override(language):
        return _document(party, today=today, meeting=meeting, statuses=statuses, lang=language)


def _document(party, *, today, meeting, statuses, lang) -> PrintDocument:
    shares = obligations_queryset(party, meeting=meeting, statuses=statuses)
    rows = _rows(shares, party, today=today)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    groups: dict[str, list] = {"overdue": [], "due": [], "later": [], "done": []}
    for row in rows:
        if row.closed:
            groups["done"].append(row)
        elif row.overdue:
            groups["overdue"].append(row)
        elif row.due is not None and row.due <= soon:
            groups["due"].append(row)
        else:
            groups["later"].append(row)
    day, soon_day = date_format(today, "j F Y"), date_format(soon, "j F Y")
    labels = {
        "overdue": _("Overdue"),
        "due": _("Due in the next %(days)s days (by %(date)s)")
        % {"days": DUE_SOON_DAYS, "date": soon_day},
        "later": _("Later or without a fixed date"),
        "done": _("Done or closed"),
    }
    filters = []
    if meeting is not None:
        filters.append(_("agreed at %(meeting)s") % {"meeting": meeting.code})
    if statuses:
        names = dict([*ShareStatus.choices, *Status.choices])
        filters.append(
            _("status %(statuses)s")
            % {"statuses": ", ".join(str(names[s]).lower() for s in statuses)}
        )
    suffix = f"_{meeting.code}" if meeting is not None else ""
    return PrintDocument(
        kind="obligations",
        template="pdf/obligations.html",
        title=_("Obligations of %(party)s") % {"party": _for_name(party)},
        filename=f"{party.code}_obligations{suffix}_{today.isoformat()}.pdf",
        running_meeting=_("%(party)s · obligations as of %(date)s")
        % {"party": party.name, "date": day},
        reference=_("%(code)s · Obligations") % {"code": party.code},
        subject=_("%(n)s shares of %(party)s, as of %(date)s")
        % {"n": len(rows), "party": party.name, "date": today.isoformat()},
        keywords=[party.code, party.name, "obligations"],
        size=len(rows),
        lang=lang,
        context={
            "party": party,
            "today": today,
            "filters": filters,
            "groups": [(key, labels[key], groups[key]) for key in groups],
            "count": len(rows),
        },
    )
