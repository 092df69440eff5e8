"""Reads behind the pages (and reusable by the API): filtering commitments, the dashboards,
the timeline. Every function takes ``today`` when the answer depends on it."""

from __future__ import annotations

import datetime
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from actions.models import Commitment, CommitmentParty, ReviewState, Role, Status, StatusUpdate
from meetings.models import Meeting
from parties.models import Party

DUE_SOON_DAYS = 30


def _parse_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def filter_commitments(
    qs: QuerySet[Commitment], params: Mapping[str, str], *, today: datetime.date
) -> QuerySet[Commitment]:
    """Apply the list filters shared by the pages and the API.

    ``params`` keys (all optional): ``party`` (code; responsible or partner), ``role``
    (responsible/partner, narrows ``party``), ``status`` (a Status value, or ``overdue`` /
    ``active``), ``meeting`` (code, HCA-9), ``due_from`` / ``due_to`` (ISO dates), ``q`` (words
    in the action, the deadline phrase or the reference). Unknown values filter nothing out
    rather than fail: forms validate and name bad input before this is called."""
    party = (params.get("party") or "").strip().upper()
    if party:
        role = params.get("role") or None
        qs = qs.for_party(party, role=role if role in Role.values else None)
    status = (params.get("status") or "").strip()
    if status == "overdue":
        qs = qs.overdue(today)
    elif status == "active":
        qs = qs.active()
    elif status in Status.values:
        qs = qs.filter(status=status)
    meeting = (params.get("meeting") or "").strip().upper()
    if meeting:
        series_code, _sep, number = meeting.rpartition("-")
        if number.isdigit():
            qs = qs.filter(meeting__series__code=series_code, meeting__number=int(number))
        else:
            qs = qs.none()
    due_from = _parse_date(params.get("due_from"))
    if due_from:
        qs = qs.filter(deadline__gte=due_from)
    due_to = _parse_date(params.get("due_to"))
    if due_to:
        qs = qs.filter(deadline__lte=due_to)
    for word in (params.get("q") or "").split()[:8]:
        qs = qs.filter(
            Q(action__icontains=word)
            | Q(deadline_text__icontains=word)
            | Q(reference__iexact=word)
            | Q(responsible_text__icontains=word)
        )
    return qs


@dataclass
class PartyObligations:
    """One party's obligations in the four groups of its home page."""

    party: Party
    today: datetime.date
    overdue: list[Commitment] = field(default_factory=list)
    due_soon: list[Commitment] = field(default_factory=list)
    later: list[Commitment] = field(default_factory=list)
    done: list[Commitment] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, list[Commitment]]]:
        return [
            ("overdue", self.overdue),
            ("due_soon", self.due_soon),
            ("later", self.later),
            ("done", self.done),
        ]


def party_obligations(*, party: Party, today: datetime.date) -> PartyObligations:
    """The commitments the party is responsible for, grouped; 3 queries whatever their number."""
    result = PartyObligations(party=party, today=today)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    rows = Commitment.objects.for_party(party, role=Role.RESPONSIBLE).with_related()
    for commitment in rows.order_by("deadline", "id"):
        if commitment.status in Status.closed():
            result.done.append(commitment)
        elif commitment.deadline is not None and commitment.deadline < today:
            result.overdue.append(commitment)
        elif commitment.deadline is not None and commitment.deadline <= soon:
            result.due_soon.append(commitment)
        else:
            result.later.append(commitment)
    return result


@dataclass
class PartyStatusRow:
    party: Party
    counts: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def status_by_party(*, today: datetime.date) -> list[PartyStatusRow]:
    """Counts of responsible commitments per party and status (2 queries: counts, parties)."""
    counts = (
        CommitmentParty.objects.filter(role=Role.RESPONSIBLE)
        .values("party_id", "commitment__status")
        .annotate(
            n=Count("id"),
            late=Count(
                "id",
                filter=Q(commitment__status__in=Status.active(), commitment__deadline__lt=today),
            ),
        )
    )
    by_party: dict[int, dict[str, int]] = {}
    overdue: dict[int, int] = {}
    for row in counts:
        by_party.setdefault(row["party_id"], {})[row["commitment__status"]] = row["n"]
        overdue[row["party_id"]] = overdue.get(row["party_id"], 0) + row["late"]
    parties = Party.objects.filter(pk__in=by_party.keys()).order_by("order", "name")
    return [
        PartyStatusRow(
            party=p,
            counts={s: by_party[p.pk].get(s, 0) for s in Status.values},
            overdue=overdue.get(p.pk, 0),
        )
        for p in parties
    ]


def pending_reviews(*, limit: int = 10) -> QuerySet[StatusUpdate]:
    return (
        StatusUpdate.objects.filter(review_state=ReviewState.PENDING)
        .select_related("commitment__meeting__series", "author", "party")
        .order_by("-created_at")[:limit]
    )


def upcoming_meetings(*, today: datetime.date, limit: int = 5) -> QuerySet[Meeting]:
    """Planned meetings: dated ones from today on, then those whose date is still open."""
    return (
        Meeting.objects.filter(Q(start_date__gte=today) | Q(start_date__isnull=True))
        .exclude(status="cancelled")
        .select_related("series", "host")
        .order_by("start_date", "year", "series__code", "number")[:limit]
    )


def timeline(qs: QuerySet[Commitment]) -> OrderedDict[datetime.date | None, list[Commitment]]:
    """Commitments grouped by the month of their deadline (first day of month as key),
    undated ones last under ``None``."""
    months: OrderedDict[datetime.date | None, list[Commitment]] = OrderedDict()
    undated: list[Commitment] = []
    for commitment in qs.order_by("deadline", "id"):
        if commitment.deadline is None:
            undated.append(commitment)
        else:
            months.setdefault(commitment.deadline.replace(day=1), []).append(commitment)
    if undated:
        months[None] = undated
    return months
