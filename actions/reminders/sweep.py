"""The daily sweep: work out with a fixed number of set-based queries which reminders fall due
today, record them as ``Reminder`` rows (the unique constraints make a second sweep find them
there), then hand the recipients with undelivered rows to workers, in batches, after commit.

A reminder is about one responsible party's *share*: each party is reminded of its own
unfinished shares, by its own effective deadline (its extension, else the commitment's), and
no longer once it has done its share. Partners have no share, hence no deadline reminders;
they hear of changes to the whole commitment (``notify``)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Case, F, Min, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from actions.models import (
    CommitmentParty,
    Delivery,
    Precision,
    Reminder,
    ReminderState,
    Role,
    ShareStatus,
    Status,
)
from actions.reminders.rules import (
    MONTH_START_PRECISIONS,
    SUMMARY_KIND,
    due_dates,
    reminder_kinds,
)
from otscustoms.outbox import services as outbox
from parties.models import Membership


def remindable_shares() -> QuerySet[CommitmentParty]:
    """Unfinished shares of active commitments, each with ``due``, its effective deadline (the
    share's own once extended, else the commitment's), and ``due_precision`` (a day once
    extended: an extension names a date). A share due at a meeting counts once that meeting
    has a date."""
    return (
        CommitmentParty.objects.filter(
            role=Role.RESPONSIBLE,
            status__in=ShareStatus.active(),
            commitment__status__in=Status.active(),
        )
        .exclude(
            deadline__isnull=True,
            commitment__deadline_precision=Precision.EVENT,
            commitment__due_meeting__isnull=False,
            commitment__due_meeting__start_date__isnull=True,
        )
        .annotate(
            due=Coalesce(F("deadline"), F("commitment__deadline"), output_field=models.DateField()),
            due_precision=Case(
                When(deadline__isnull=False, then=Value(Precision.DAY.value)),
                default=F("commitment__deadline_precision"),
                output_field=models.CharField(),
            ),
        )
        .filter(due__isnull=False)
    )


def _due_filter(today: datetime.date, earliest_overdue: datetime.date | None) -> Q:
    """Exactly the shares ``reminder_kinds`` can fire on today, so that the sweep reads the
    few due rows, not all of them."""
    q = Q(due__in=due_dates(today, earliest_overdue))
    if today.day == 1:
        q |= Q(
            due_precision__in=MONTH_START_PRECISIONS,
            due__year=today.year,
            due__month=today.month,
        )
    return q


@dataclass(frozen=True)
class Planned:
    recipient_id: int
    party_id: int | None
    role: str
    commitment_id: int | None
    kind: str
    deadline: datetime.date | None


def plan(*, today: datetime.date) -> list[Planned]:
    """Every reminder due today, in a fixed number of queries (3, +1 on the summary day)."""
    shares = remindable_shares()
    # 1: the earliest overdue share bounds the weekly repetitions to look for.
    earliest = shares.filter(due__lt=today).aggregate(d=Min("due"))["d"]
    # 2: the shares due today, with their commitment's deadline, in one join.
    due = list(
        shares.filter(_due_filter(today, earliest)).values_list(
            "commitment_id", "due", "due_precision", "party_id"
        )
    )
    # 3: who in those delegations wants reminders.
    members: dict[int, list[int]] = defaultdict(list)
    for user_id, party_id in (
        Membership.objects.filter(
            party_id__in={share[3] for share in due},
            receive_reminders=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user_id", "party_id")
    ):
        members[party_id].append(user_id)
    planned = [
        Planned(user_id, party_id, Role.RESPONSIBLE, commitment_id, kind, deadline)
        for commitment_id, deadline, precision, party_id in due
        for kind in reminder_kinds(deadline=deadline, precision=precision, today=today)
        for user_id in members[party_id]
    ]
    if today.weekday() == settings.REMINDER_SUMMARY_WEEKDAY:
        # 4: the Secretariat's weekly summary of every overdue share.
        planned += [
            Planned(user_id, None, "", None, SUMMARY_KIND, None)
            for user_id in staff_users().values_list("id", flat=True)
        ]
    return planned


def staff_users():
    return get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")


def chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class SweepResult:
    today: datetime.date
    planned: list[Planned]
    queued: list[tuple[str, list[int]]]


def sweep(*, today: datetime.date, dry_run: bool = False, queue: bool = True) -> SweepResult:
    """Record today's reminders (idempotent) and queue delivery to everyone with undelivered
    ones. With ``queue=False`` the caller delivers (``send_reminders`` does, synchronously)."""
    planned = plan(today=today)
    if dry_run:
        return SweepResult(today, planned, [])
    with transaction.atomic():
        for chunk in chunks(planned, settings.REMINDER_BATCH_SIZE):
            # ON CONFLICT DO NOTHING: rows another sweep already recorded stay as they are.
            Reminder.objects.bulk_create(
                [
                    Reminder(
                        recipient_id=p.recipient_id,
                        party_id=p.party_id,
                        role=p.role,
                        commitment_id=p.commitment_id,
                        kind=p.kind,
                        deadline=p.deadline,
                        due_on=today,
                        delivery=Delivery.DIGEST,
                    )
                    for p in chunk
                ],
                ignore_conflicts=True,
            )
        queued = undelivered_batches(today=today)
        if queue:
            for delivery, recipient_ids in queued:
                queue_delivery(recipient_ids, delivery, today)
    return SweepResult(today, planned, queued)


def claimable(now: datetime.datetime | None = None) -> Q:
    """Rows a worker may take: never tried, failed but with attempts left, or claimed by a
    worker whose lease ran out (it died, or hangs) — never one being sent right now."""
    now = now or timezone.now()
    expired = now - datetime.timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
    retry = Q(attempts__lt=settings.REMINDER_MAX_ATTEMPTS)
    return (
        Q(state=ReminderState.PENDING)
        | Q(state=ReminderState.FAILED) & retry
        | Q(state=ReminderState.SENDING, claimed_at__lt=expired) & retry
    )


def undelivered_batches(
    *, today: datetime.date, retries_only: bool = False
) -> list[tuple[str, list[int]]]:
    """(delivery, recipient ids) in batches: one query, whatever the number of rows."""
    rows = Reminder.objects.filter(claimable(), due_on__lte=today)
    if retries_only:
        # Between two daily sweeps: immediate notifications, and digests already under way
        # that failed or lost their worker. Pending digest rows wait for the daily digest.
        rows = rows.filter(Q(delivery=Delivery.IMMEDIATE) | Q(attempts__gt=0))
    by_delivery: dict[str, list[int]] = defaultdict(list)
    for recipient_id, delivery in (
        rows.order_by("recipient_id").values_list("recipient_id", "delivery").distinct()
    ):
        by_delivery[delivery].append(recipient_id)
    return [
        (delivery, chunk)
        for delivery, ids in sorted(by_delivery.items())
        for chunk in chunks(ids, settings.REMINDER_BATCH_SIZE)
    ]


def requeue_undelivered(*, today: datetime.date) -> list[tuple[str, list[int]]]:
    """The frequent beat task: retry what failed or lost its worker; give up after the last
    attempt so the log shows it."""
    expired = timezone.now() - datetime.timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
    Reminder.objects.filter(
        state=ReminderState.SENDING,
        claimed_at__lt=expired,
        attempts__gte=settings.REMINDER_MAX_ATTEMPTS,
    ).update(state=ReminderState.FAILED, error="Worker lost on the last attempt.")
    batches = undelivered_batches(today=today, retries_only=True)
    for delivery, recipient_ids in batches:
        queue_delivery(recipient_ids, delivery, today)
    return batches


def queue_delivery(recipient_ids: list[int], delivery: str, today: datetime.date) -> None:
    from actions.tasks import deliver_reminders

    # Sent after commit (a worker must find the rows this transaction recorded), through the
    # outbox: with the broker down the change still commits, and the task goes out later.
    outbox.enqueue(deliver_reminders, recipient_ids, delivery, today.isoformat())
