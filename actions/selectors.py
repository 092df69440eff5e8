"""Reads behind the pages (and reusable by the API): filtering commitments, the dashboards,
the timeline. Every function takes ``today`` when the answer depends on it."""

from __future__ import annotations

import datetime
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import Count, F, Max, Q, QuerySet

from actions.models import Commitment, CommitmentParty, ReviewState, Role, Status, StatusUpdate
from actions.querysets import ListRow
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
    elif status == "closed":
        qs = qs.filter(status__in=Status.closed())
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


HOME_ROWS = 20


@dataclass
class ObligationGroup:
    key: str
    rows: list[Commitment]
    total: int
    query: str  # the commitment list's filters that show the whole group


@dataclass
class PartyObligations:
    """One party's obligations in the four groups of its home page: the first rows of each
    (most urgent first; the most recently closed for ``done``) and how many there are."""

    party: Party
    today: datetime.date
    overdue: list[Commitment] = field(default_factory=list)
    due_soon: list[Commitment] = field(default_factory=list)
    later: list[Commitment] = field(default_factory=list)
    done: list[Commitment] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def groups(self) -> list[ObligationGroup]:
        soon = self.today + datetime.timedelta(days=DUE_SOON_DAYS)
        base = f"party={self.party.code}&role={Role.RESPONSIBLE}"
        queries = {
            "overdue": f"{base}&status=overdue",
            "due_soon": f"{base}&status=active&due_from={self.today}&due_to={soon}",
            "later": f"{base}&status=active&due_from={soon + datetime.timedelta(days=1)}",
            "done": f"{base}&status=closed",
        }
        return [
            ObligationGroup(key, getattr(self, key), self.totals.get(key, 0), queries[key])
            for key in ("overdue", "due_soon", "later", "done")
        ]


def party_obligations(
    *,
    party: Party,
    today: datetime.date,
    limit: int = HOME_ROWS,
    with_links: bool = True,
    cached: bool = False,
) -> PartyObligations:
    """The commitments the party is responsible for, grouped, the first ``limit`` of each.

    Whatever their number: the four totals in one ``COUNT … FILTER``; the ids of
    each group's first rows in one ``UNION ALL`` of five bounded reads; those rows with their
    links (the tables show no sources): 4 queries, 3 without ``with_links`` (the rows and
    their meetings only). With ``cached``, the totals (their aggregate visits each of the
    party's commitments: ~20 ms for TR's 5,000 at 100,000) are kept in the cache under the
    register's last change, as ``status_by_party`` keeps its counts: 1 query on a hit."""
    result = PartyObligations(party=party, today=today)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    mine = Commitment.objects.for_party(party, role=Role.RESPONSIBLE).order_by()
    closed = Q(status__in=Status.closed())
    is_overdue = ~closed & Q(deadline__lt=today)
    is_soon = ~closed & Q(deadline__gte=today, deadline__lte=soon)
    is_later = ~closed & (Q(deadline__gt=soon) | Q(deadline__isnull=True))

    def totals() -> dict[str, int]:
        return mine.aggregate(
            overdue=Count("id", filter=is_overdue),
            due_soon=Count("id", filter=is_soon),
            later=Count("id", filter=is_later),
            done=Count("id", filter=closed),
        )

    if cached:
        result.totals = _cached(party_totals_name(party.pk), today, totals)
    else:
        result.totals = totals()
    # 'later' is read in two parts, the dated then the undated: with `deadline > soon OR
    # deadline IS NULL` PostgreSQL walked the (deadline, id) index from its start, filtering
    # ~86,000 rows for TR at 100,000 commitments (29 of the page's ~35 ms of SQL, issue 8);
    # `deadline > soon` is a range of that index. Undated rows sort last, so the extra ones
    # are cut below.
    groups = {
        "overdue": [(is_overdue, ("deadline", "id"))],
        "due_soon": [(is_soon, ("deadline", "id"))],
        "later": [
            (~closed & Q(deadline__gt=soon), ("deadline", "id")),
            (~closed & Q(deadline__isnull=True), ("id",)),
        ],
        "done": [(closed, ("-updated_at", "-id"))],
    }
    bounded = [
        mine.filter(where).order_by(*order).values_list("id", flat=True)[:limit]
        for key, reads in groups.items()
        if result.totals[key]
        for where, order in reads
    ]
    if not bounded:
        return result
    if len(bounded) > 1 and connection.features.supports_slicing_ordering_in_compound:
        ids = list(bounded[0].union(*bounded[1:], all=True))
    else:  # one read per group where UNION takes no LIMIT in its parts (SQLite: make run)
        ids = [pk for read in bounded for pk in read]
    rows = Commitment.objects.filter(pk__in=ids)
    # The delegation home's cards show no parties or sources: without them, 2 queries and
    # ~700 model instances fewer for ~90 rows (issue 8).
    rows = rows.for_web_list() if with_links else rows.select_related("meeting__series")
    for commitment in rows.order_by(F("deadline").asc(nulls_last=True), "id"):
        if commitment.status in Status.closed():
            result.done.append(commitment)
        elif commitment.deadline is not None and commitment.deadline < today:
            result.overdue.append(commitment)
        elif commitment.deadline is not None and commitment.deadline <= soon:
            result.due_soon.append(commitment)
        else:
            result.later.append(commitment)
    del result.later[limit:]  # the undated read's rows beyond the first ``limit`` of the group
    # the recently closed first, as they were picked
    result.done.sort(key=lambda c: (c.updated_at, c.pk), reverse=True)
    return result


@dataclass
class UrgentCommitments:
    """The Secretariat's two urgent lists, each cut to its first rows, with its full total."""

    today: datetime.date
    overdue: list[ListRow]
    overdue_total: int
    due_soon: list[ListRow]
    due_soon_total: int

    @property
    def soon_until(self) -> datetime.date:
        return self.today + datetime.timedelta(days=DUE_SOON_DAYS)

    @property
    def overdue_query(self) -> str:
        """The commitment list's filters that show every overdue commitment."""
        return "status=overdue"

    @property
    def due_soon_query(self) -> str:
        return (
            f"status=active&due_from={self.today.isoformat()}&due_to={self.soon_until.isoformat()}"
        )


def urgent_commitments(*, today: datetime.date, limit: int = HOME_ROWS) -> UrgentCommitments:
    """The first ``limit`` overdue (longest overdue first) and due-soon (soonest first)
    commitments, and how many there are of each: one COUNT … FILTER query for both totals
    (answered from the (status, deadline) index), then each bounded list walks the
    (deadline, id) index as plain rows, and one statement completes both lists (``ListRow``,
    as the commitment list page reads its rows): 4 queries whatever the register's size, fewer
    when a list is empty."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    active = Commitment.objects.active()
    totals = active.filter(deadline__lte=soon).aggregate(
        overdue=Count("id", filter=Q(deadline__lt=today)),
        due_soon=Count("id", filter=Q(deadline__gte=today)),
    )
    rows = Commitment.objects.order_by("deadline", "id")
    overdue = list(rows.overdue(today).rows()[:limit]) if totals["overdue"] else []
    due_soon = list(rows.due_between(today, soon).rows()[:limit]) if totals["due_soon"] else []
    listed = ListRow.page(overdue + due_soon)  # disjoint: before and from today
    return UrgentCommitments(
        today=today,
        overdue=listed[: len(overdue)],
        overdue_total=totals["overdue"],
        due_soon=listed[len(overdue) :],
        due_soon_total=totals["due_soon"],
    )


@dataclass
class PartyStatusRow:
    party: Party
    counts: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# A backstop only: every change the application makes shows at once (see _cached).
STATUS_COUNTS_TTL = 300
# Counts the deletions of commitments and changes of their party links, which do not move
# the register's max(updated_at) (see register_changed).
REGISTER_GENERATION_KEY = "register_generation"


def cache_key(
    name: str, today: datetime.date, last: datetime.datetime | None, generation: int
) -> str:
    """The cache key of ``_cached(name, today, …)`` while the register's last change is
    ``last`` and its generation ``generation`` (the bench's floors read the same entries)."""
    stamp = last.isoformat() if last else "empty"
    return f"{name}:{today.isoformat()}:{stamp}:{generation}"


def party_totals_name(party_id: int) -> str:
    return f"party_totals:{party_id}"


STATUS_COUNTS_NAME = "status_by_party"


def register_generation() -> int:
    return cache.get(REGISTER_GENERATION_KEY, 0)


def _next_generation() -> None:
    cache.add(REGISTER_GENERATION_KEY, 0, timeout=None)
    try:
        cache.incr(REGISTER_GENERATION_KEY)
    except ValueError:  # evicted between the two calls
        cache.set(REGISTER_GENERATION_KEY, 1, timeout=None)


def register_changed(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Receiver of the deletion of a commitment and of any change to its party links (see
    ActionsConfig.ready): moves the register to its next generation once the transaction
    commits, so the cached counts are read afresh. Once per transaction, however many rows
    a cascade deletes; not at all if it rolls back."""
    # Django's list of the callbacks waiting for this commit, as (savepoint ids, callback,
    # robust); a rolled-back savepoint takes its own out of it.
    pending = getattr(transaction.get_connection(using), "run_on_commit", ())
    if not any(callback[1] is _next_generation for callback in pending):
        transaction.on_commit(_next_generation, using=using, robust=True)


def _cached(name: str, today: datetime.date, compute):
    """``compute()``, kept in the cache under the day, the register's last change
    (``max(updated_at)``, an index lookup) and its generation: a new or changed commitment
    gives a new key at once (its ``updated_at``), and so does a deleted commitment or a
    changed party link (``register_changed``). Changes made outside the application (SQL
    by hand) show within ``STATUS_COUNTS_TTL`` seconds."""
    last = Commitment.objects.aggregate(last=Max("updated_at"))["last"]
    key = cache_key(name, today, last, register_generation())
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, STATUS_COUNTS_TTL)
    return value


def _status_counts(today: datetime.date) -> dict[int, dict[str, int]]:
    late = Q(commitment__status__in=Status.active(), commitment__deadline__lt=today)
    counts = (
        CommitmentParty.objects.filter(role=Role.RESPONSIBLE)
        .values("party_id")
        .order_by()
        .annotate(
            late=Count("id", filter=late),
            **{f"n_{s}": Count("id", filter=Q(commitment__status=s)) for s in Status.values},
        )
    )
    return {row.pop("party_id"): row for row in counts}


def status_by_party(*, today: datetime.date, cached: bool = False) -> list[PartyStatusRow]:
    """Counts of responsible commitments per party and status, and the overdue among them.

    One aggregate over the party links (``COUNT(*) FILTER (WHERE …)`` per status, grouped by
    party: one row per party), then the parties. The aggregate joins every link to its
    commitment (~80 ms at 100,000 commitments, whatever the indexes), so with ``cached`` the
    counts are kept in the cache under the register's last change and generation (see
    ``_cached``): any change the application makes shows at once.
    2 queries uncached, 2 (cache hit) or 3 cached."""
    by_party = (
        _cached(STATUS_COUNTS_NAME, today, lambda: _status_counts(today))
        if cached
        else _status_counts(today)
    )
    parties = Party.objects.filter(pk__in=by_party.keys()).order_by("order", "name")
    return [
        PartyStatusRow(
            party=p,
            counts={s: by_party[p.pk][f"n_{s}"] for s in Status.values},
            overdue=by_party[p.pk]["late"],
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
