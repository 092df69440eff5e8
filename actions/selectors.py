"""Reads behind the pages (and reusable by the API): filtering commitments, the dashboards,
the timeline. Every function takes ``today`` when the answer depends on it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Count, F, Max, Q, QuerySet, prefetch_related_objects

from actions.models import (
    Commitment,
    CommitmentParty,
    ReviewState,
    Role,
    ShareStatus,
    Status,
    StatusUpdate,
)
from actions.querysets import deadline_extensions, party_links
from meetings.models import Meeting
from parties.models import Party

DUE_SOON_DAYS = 30
# The Secretariat's decisions on a whole commitment: they close every share of it.
WHOLE_DECISIONS = (Status.CANCELLED, Status.SUPERSEDED)


HOME_ROWS = 20


@dataclass
class ObligationGroup:
    key: str
    rows: list[Commitment]
    total: int
    query: str  # the commitment list's filters that show the whole group


@dataclass
class PartyObligations:
    """One party's shares in the four groups of its home page, by the share's status and
    effective deadline: the first rows of each (most urgent first; the most recently finished
    for ``done``) and how many there are. Each row is a commitment with ``share``, the
    party's share of it."""

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
        # With a party, the list's status and deadline filters read that party's share.
        base = f"party={self.party.code}&role={Role.RESPONSIBLE}"
        queries = {
            "overdue": f"{base}&status=overdue",
            "due_soon": f"{base}&status=active&due_after={self.today}&due_before={soon}",
            "later": f"{base}&status=active&due_after={soon + datetime.timedelta(days=1)}",
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
    with_extensions: bool = False,
    cached: bool = False,
) -> PartyObligations:
    """The party's shares, grouped by the share's status and effective deadline (its own
    extension, else the commitment's), the first ``limit`` of each. A share done or waived, or
    of a commitment cancelled or superseded as a whole, is in ``done``.

    Whatever their number: the four totals in one ``COUNT … FILTER``, a bounded read per
    non-empty group (two for 'later' when its dated rows do not fill it), with ``with_links``
    one more for the rows' party links (each row's ``share`` among them), and with
    ``with_extensions`` one for their approved extensions (where the deadline is written as
    agreed, with the extension). With ``cached``, the totals (their aggregate visits every
    share of the party) are kept in the cache under the register's last change, which every
    change of a share or an extension moves, as ``status_by_party`` keeps its counts."""
    result = PartyObligations(party=party, today=today)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    mine = Commitment.objects.with_party_link(party, role=Role.RESPONSIBLE).order_by()
    closed = Q(share_status__in=ShareStatus.finished()) | Q(status__in=WHOLE_DECISIONS)
    active = Q(share_status__in=ShareStatus.active()) & ~Q(status__in=WHOLE_DECISIONS)
    is_overdue = active & Q(due__lt=today)
    is_soon = active & Q(due__gte=today, due__lte=soon)
    undated = Q(due__isnull=True)
    is_later = active & (Q(due__gt=soon) | undated)

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
    # Each group is its own bounded read. 'later' is read in two parts, the dated then the
    # undated: with `due > soon OR due IS NULL` the database reads every earlier row first;
    # `due > soon` is a range. The extra undated rows are cut below.
    by_due = (F("due").asc(nulls_last=True), "id")
    reads = {
        "overdue": [(is_overdue, by_due)],
        "due_soon": [(is_soon, by_due)],
        "later": [(active & Q(due__gt=soon), by_due), (active & undated, ("id",))],
        "done": [(closed, ("-link_changed", "-id"))],
    }
    rows = mine.select_related("meeting__series")
    for key, parts in reads.items():
        wanted = min(limit, result.totals[key])
        found: list[Commitment] = []
        for where, order in parts:
            if len(found) < wanted:
                found += rows.filter(where).order_by(*order)[: wanted - len(found)]
        setattr(result, key, found)
    if with_links:
        shown = [*result.overdue, *result.due_soon, *result.later, *result.done]
        extensions = [deadline_extensions()] if with_extensions else []
        prefetch_related_objects(shown, party_links(), *extensions)
        for row in shown:
            row.share = row.share_for(party.pk)
    return result


@dataclass
class UrgentCommitments:
    """The Secretariat's two urgent lists, each cut to its first rows, with its full total."""

    today: datetime.date
    overdue: list[Commitment]
    overdue_total: int
    due_soon: list[Commitment]
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
            f"status=active&due_after={self.today.isoformat()}"
            f"&due_before={self.soon_until.isoformat()}"
        )


def urgent_commitments(*, today: datetime.date, limit: int = HOME_ROWS) -> UrgentCommitments:
    """The first ``limit`` overdue (longest overdue first) and due-soon (soonest first)
    commitments, and how many there are of each: one COUNT … FILTER query for both totals
    (answered from the (status, deadline) index), then each bounded list walks the
    (deadline, id) index as plain rows, then their party links (each party's share) and their
    approved extensions: 5 queries whatever the register's size, fewer when a list is
    empty."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    active = Commitment.objects.active()
    totals = active.filter(deadline__lte=soon).aggregate(
        overdue=Count("id", filter=Q(deadline__lt=today)),
        due_soon=Count("id", filter=Q(deadline__gte=today)),
    )
    rows = Commitment.objects.select_related("meeting__series").in_register_order()
    overdue = list(rows.overdue(today)[:limit]) if totals["overdue"] else []
    due_soon = list(rows.due_between(today, soon)[:limit]) if totals["due_soon"] else []
    prefetch_related_objects([*overdue, *due_soon], party_links(), deadline_extensions())
    return UrgentCommitments(
        today=today,
        overdue=overdue,
        overdue_total=totals["overdue"],
        due_soon=due_soon,
        due_soon_total=totals["due_soon"],
    )


def status_columns() -> list[tuple[str, str]]:
    """The columns of the status-by-party table: a share's statuses, then the Secretariat's
    decisions on a whole commitment (which close every share of it)."""
    whole = [(s.value, s.label) for s in (Status.CANCELLED, Status.SUPERSEDED)]
    return [*ShareStatus.choices, *whole]


@dataclass
class PartyStatusRow:
    party: Party
    counts: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(status, count) in the order of the table's columns."""
        return [(status, self.counts.get(status, 0)) for status, _label in status_columns()]


# A backstop only: every change the application makes shows at once (see _cached).
STATUS_COUNTS_TTL = 300
# Counts the deletions of commitments and changes of their party links, which do not move
# the register's max(updated_at) (see register_changed).
REGISTER_GENERATION_KEY = "register_generation"


def cache_key(
    name: str, today: datetime.date, last: datetime.datetime | None, generation: int
) -> str:
    """The cache key of ``_cached(name, today, …)`` while the register's last change is
    ``last`` and its generation ``generation``."""
    stamp = last.isoformat() if last else "empty"
    return f"{name}:{today.isoformat()}:{stamp}:{generation}"


# Named after what they count (shares), so that no entry cached for the former counts of
# whole commitments is read as theirs.
def party_totals_name(party_id: int) -> str:
    return f"party_share_totals:{party_id}"


STATUS_COUNTS_NAME = "share_status_by_party"


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
    commits, so the cached counts are read afresh; not at all if it rolls back. A cascade
    moves it once per row, which only costs a cache increment each."""
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
    whole = Q(commitment__status__in=WHOLE_DECISIONS)
    # The share's effective deadline: its own once extended, else the commitment's.
    late = (
        Q(status__in=ShareStatus.active())
        & ~whole
        & (Q(deadline__lt=today) | Q(deadline__isnull=True, commitment__deadline__lt=today))
    )
    counts = (
        CommitmentParty.objects.filter(role=Role.RESPONSIBLE)
        .values("party_id")
        .order_by()
        .annotate(
            late=Count("id", filter=late),
            **{f"n_{s}": Count("id", filter=Q(status=s) & ~whole) for s in ShareStatus.values},
            **{f"n_{s}": Count("id", filter=Q(commitment__status=s)) for s in WHOLE_DECISIONS},
        )
    )
    return {row.pop("party_id"): row for row in counts}


def status_by_party(*, today: datetime.date, cached: bool = False) -> list[PartyStatusRow]:
    """Each party's shares counted by status (a commitment cancelled or superseded as a
    whole counts as that), and the overdue among them, by each share's effective deadline.

    One aggregate over the shares (``COUNT(*) FILTER (WHERE …)`` per status, grouped by
    party: one row per party), then the parties. The aggregate joins every share to its
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
    columns = [status for status, _label in status_columns()]
    return [
        PartyStatusRow(
            party=p,
            counts={s: by_party[p.pk][f"n_{s}"] for s in columns},
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


def timeline(
    qs: QuerySet[Commitment], *, party: str | None = None
) -> dict[datetime.date | None, list[Commitment]]:
    """Commitments grouped by the month of their deadline (first day of month as key),
    undated ones last under ``None``. With a party's code, by the deadline of that party's
    share where it has one (an extension may move it to another month)."""
    dated: list[tuple[datetime.date | None, Commitment]] = []
    for commitment in qs.in_register_order():
        share = (
            next((s for s in commitment.shares if s.party.code == party), None) if party else None
        )
        dated.append((share.effective_deadline if share else commitment.deadline, commitment))
    dated.sort(key=lambda row: (row[0] is None, row[0] or datetime.date.min))
    months: dict[datetime.date | None, list[Commitment]] = {}
    for deadline, commitment in dated:
        months.setdefault(deadline.replace(day=1) if deadline else None, []).append(commitment)
    return months
