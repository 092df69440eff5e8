"""Deadline reminders and change notifications, each sent exactly once (see README, "Reminders").

Three steps, each safe to run twice or concurrently:

1. ``sweep(today=...)`` (the daily beat task) works out which reminders fall due today with a
   fixed number of set-based queries and records them as ``Reminder`` rows. The unique
   constraints make a second sweep (another tick, a retried task) find them already there.
2. It then hands the recipients with undelivered rows to workers, in batches, after commit.
3. ``deliver_to`` claims a recipient's rows (row locks in id order + a conditional UPDATE that
   only takes rows still pending, failed, or whose lease ran out), commits the claim, sends ONE
   email with all of them, then marks them sent. A second worker finds nothing to claim.

The email and the database cannot commit together: a worker killed after the SMTP server
accepted the message but before ``sent`` is written sends it again once the lease expires.
That window is the few milliseconds between the two; every other failure (killed before or
during the send, SMTP refusal) is retried and never lost.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Min, Q
from django.template.loader import render_to_string
from django.utils import timezone

from actions.models import (
    Commitment,
    CommitmentParty,
    Delivery,
    Precision,
    Reminder,
    ReminderState,
    Role,
    StatusUpdate,
    UpdateKind,
)
from otscustoms.outbox import services as outbox
from parties.models import Membership, NotificationMode

logger = logging.getLogger(__name__)

# A month/quarter/half-year/year deadline ("in January 2024", "by the end of 2023") is also
# reminded on the first day of the month it ends in: its holder thinks of it as "this month".
MONTH_START_PRECISIONS = (Precision.MONTH, Precision.QUARTER, Precision.HALF, Precision.YEAR)
SUMMARY_KIND = "overdue-summary"
CHANGE_KIND = "change"


# ---------------------------------------------------------------------------------------------
# The rules: pure functions of the deadline and today.


def reminder_kinds(
    *,
    deadline: datetime.date,
    precision: str,
    today: datetime.date,
    days_before: Sequence[int] | None = None,
    overdue_every: int | None = None,
) -> list[str]:
    """The reminders due ``today`` for an active commitment with this deadline."""
    days_before = settings.REMINDER_DAYS_BEFORE if days_before is None else days_before
    overdue_every = settings.REMINDER_OVERDUE_EVERY_DAYS if overdue_every is None else overdue_every
    days_left = (deadline - today).days
    kinds: list[str] = []
    if days_left in days_before:
        kinds.append("due-today" if days_left == 0 else f"before-{days_left}")
    elif days_left < 0 and overdue_every > 0 and -days_left % overdue_every == 0:
        kinds.append(f"overdue-{-days_left}")
    if (
        not kinds
        and precision in MONTH_START_PRECISIONS
        and today.day == 1
        and (today.year, today.month) == (deadline.year, deadline.month)
    ):
        kinds.append("month-start")
    return kinds


def _due_filter(today: datetime.date, earliest_overdue: datetime.date | None) -> Q:
    """A SQL pre-filter selecting exactly the deadlines ``reminder_kinds`` can fire on today,
    so the sweep reads the few due rows through the (status, deadline) index, not all."""
    dates = {today + datetime.timedelta(days=d) for d in settings.REMINDER_DAYS_BEFORE}
    every = settings.REMINDER_OVERDUE_EVERY_DAYS
    if earliest_overdue is not None and every > 0:
        day = today - datetime.timedelta(days=every)
        while day >= earliest_overdue:
            dates.add(day)
            day -= datetime.timedelta(days=every)
    q = Q(deadline__in=sorted(dates))
    if today.day == 1:
        q |= Q(
            deadline_precision__in=MONTH_START_PRECISIONS,
            deadline__year=today.year,
            deadline__month=today.month,
        )
    return q


def remindable_commitments():
    """Active commitments with a date; those due at a meeting only once it has a date."""
    return (
        Commitment.objects.active()
        .filter(deadline__isnull=False)
        .exclude(
            deadline_precision=Precision.EVENT,
            due_meeting__isnull=False,
            due_meeting__start_date__isnull=True,
        )
    )


# ---------------------------------------------------------------------------------------------
# The sweep: record what is due, then hand recipients to workers.


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
    # 1: the earliest overdue deadline bounds the weekly repetitions to look for.
    earliest = remindable_commitments().filter(deadline__lt=today).aggregate(d=Min("deadline"))["d"]
    due = remindable_commitments().filter(_due_filter(today, earliest))
    # 2: the due commitments with their responsible and partner parties, in one join.
    links = list(
        CommitmentParty.objects.filter(commitment__in=due).values_list(
            "commitment_id",
            "commitment__deadline",
            "commitment__deadline_precision",
            "party_id",
            "role",
        )
    )
    # 3: who in those delegations wants reminders.
    members: dict[int, list[int]] = defaultdict(list)
    for user_id, party_id in (
        Membership.objects.filter(
            party_id__in={link[3] for link in links},
            receive_reminders=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user_id", "party_id")
    ):
        members[party_id].append(user_id)
    planned = [
        Planned(user_id, party_id, role, commitment_id, kind, deadline)
        for commitment_id, deadline, precision, party_id, role in links
        for kind in reminder_kinds(deadline=deadline, precision=precision, today=today)
        for user_id in members[party_id]
    ]
    if today.weekday() == settings.REMINDER_SUMMARY_WEEKDAY:
        # 4: the Secretariat's weekly summary of everything overdue.
        planned += [
            Planned(user_id, None, "", None, SUMMARY_KIND, None)
            for user_id in staff_users().values_list("id", flat=True)
        ]
    return planned


def staff_users():
    return get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")


def _chunks(items: Iterable, size: int) -> Iterator[list]:
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
    batch = settings.REMINDER_BATCH_SIZE
    with transaction.atomic():
        for chunk in _chunks(planned, batch):
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
                _queue_delivery(recipient_ids, delivery, today)
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
        for chunk in _chunks(ids, settings.REMINDER_BATCH_SIZE)
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
        _queue_delivery(recipient_ids, delivery, today)
    return batches


def _queue_delivery(recipient_ids: list[int], delivery: str, today: datetime.date) -> None:
    from actions.tasks import deliver_reminders

    # Sent after commit (a worker must find the rows this transaction recorded), through the
    # outbox: with the broker down the change still commits, and the task goes out later.
    outbox.enqueue(deliver_reminders, recipient_ids, delivery, today.isoformat())


# ---------------------------------------------------------------------------------------------
# Delivery: claim, send one email, mark.


def claim(*, recipient_id: int, delivery: str, today: datetime.date) -> uuid.UUID | None:
    """Take this recipient's deliverable rows for this worker; commit before sending.

    The rows are locked in id order, so two workers on one recipient queue up behind each
    other instead of each taking a part, and the UPDATE re-checks the claimable condition, so
    the second finds nothing left (this also holds on SQLite, which ignores the row lock)."""
    token = uuid.uuid4()
    now = timezone.now()
    with transaction.atomic():
        candidates = Reminder.objects.filter(
            claimable(now), recipient_id=recipient_id, delivery=delivery, due_on__lte=today
        )
        ids = list(candidates.select_for_update().order_by("id").values_list("id", flat=True))
        if not ids:
            return None
        taken = candidates.filter(id__in=ids).update(
            state=ReminderState.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    return token if taken else None


def deliver_to(*, recipient, delivery: str, today: datetime.date, connection=None) -> bool:
    """Send ``recipient`` one email with everything claimable for them. True if one was sent."""
    # Call outside a transaction (as the tasks and send_reminders do): the claim must be
    # committed before the send, or another worker could not see it.
    token = claim(recipient_id=recipient.pk, delivery=delivery, today=today)
    if token is None:
        return False
    rows = list(
        Reminder.objects.filter(claim_token=token).select_related(
            "party", "status_update__author", "status_update__party"
        )
    )
    try:
        message = build_message(recipient=recipient, rows=rows, today=today, token=token)
        if message is None:
            return False
        message.connection = connection
        message.send()
    except Exception as exc:  # SMTP refusal, template bug...: record it, retry later
        logger.exception("Reminder email to %s failed", recipient.pk)
        Reminder.objects.filter(claim_token=token, state=ReminderState.SENDING).update(
            state=ReminderState.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return False
    marked = Reminder.objects.filter(claim_token=token, state=ReminderState.SENDING).update(
        state=ReminderState.SENT, sent_at=timezone.now(), error=""
    )
    if marked != len(rows):
        # Only if sending outlasted the lease and another worker re-claimed rows.
        logger.warning("Reminder lease expired while sending to %s", recipient.pk)
    return True


def deliver_batch(*, recipient_ids: Sequence[int], delivery: str, today: datetime.date) -> int:
    """A worker's batch: one email per recipient, one SMTP connection for the batch."""
    users = get_user_model().objects.filter(pk__in=recipient_ids).select_related("membership")
    sent = 0
    with get_connection() as connection:
        for user in users:
            sent += deliver_to(
                recipient=user, delivery=delivery, today=today, connection=connection
            )
    return sent


# ---------------------------------------------------------------------------------------------
# The email.


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}"


def build_message(
    *, recipient, rows: list[Reminder], today: datetime.date, token: uuid.UUID | None = None
) -> EmailMultiAlternatives | None:
    """One email for all of ``rows``; stale reminders (deadline moved, commitment closed) are
    marked skipped and left out. None if nothing is left to say."""
    commitments = Commitment.objects.with_related().in_bulk(
        {r.commitment_id for r in rows if r.commitment_id}
    )
    reminders, changes, stale, summary = [], [], [], None
    for row in rows:
        commitment = commitments.get(row.commitment_id)
        if row.kind == SUMMARY_KIND:
            summary = overdue_by_party(today=row.due_on)
        elif row.kind == CHANGE_KIND:
            changes.append({"row": row, "commitment": commitment, "update": row.status_update})
        elif commitment is None or not commitment.is_active or commitment.deadline != row.deadline:
            stale.append(row.pk)
        else:
            reminders.append(
                {
                    "row": row,
                    "commitment": commitment,
                    "overdue": commitment.is_overdue(today),
                    "partner": row.role == Role.PARTNER,
                }
            )
    if stale:
        Reminder.objects.filter(pk__in=stale).update(
            state=ReminderState.SKIPPED,
            error="No longer due: the deadline moved or the commitment was closed.",
        )
    if summary is not None and not summary:
        Reminder.objects.filter(claim_token=token, kind=SUMMARY_KIND).update(
            state=ReminderState.SKIPPED, error="Nothing overdue."
        )
        summary = None
    if not (reminders or changes or summary):
        return None
    # Overdue first, then by deadline; one commitment once even if reminded twice.
    reminders.sort(key=lambda r: (not r["overdue"], r["commitment"].deadline, r["commitment"].pk))
    for item in reminders + changes:
        if item["commitment"] is not None:
            item["url"] = _absolute(item["commitment"].get_absolute_url())
    overdue = sum(r["overdue"] for r in reminders)
    context = {
        "recipient": recipient,
        "today": today,
        "reminders": reminders,
        "changes": changes,
        "summary": summary,
        "overdue_count": overdue,
        "site_url": settings.SITE_URL,
        "log_url": _absolute("/reminders/"),
    }
    subject = _subject(reminders=reminders, changes=changes, summary=summary, today=today)
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("actions/email/digest.txt", context),
        to=[recipient.email],
        headers={"X-OTS-Reminder-Ids": ",".join(str(r.pk) for r in rows if r.pk not in stale)},
    )
    message.attach_alternative(render_to_string("actions/email/digest.html", context), "text/html")
    return message


def _subject(*, reminders, changes, summary, today: datetime.date) -> str:
    parts = []
    overdue = sum(r["overdue"] for r in reminders)
    if overdue:
        parts.append(f"{overdue} overdue")
    if len(reminders) > overdue:
        parts.append(f"{len(reminders) - overdue} due soon")
    if changes:
        parts.append(f"{len(changes)} change{'s' if len(changes) != 1 else ''}")
    if summary:
        parts.append("weekly overdue summary")
    return f"OTS customs register — {', '.join(parts)} ({today.isoformat()})"


def overdue_by_party(*, today: datetime.date) -> list[dict]:
    """Everything overdue, grouped by responsible party (the Secretariat's weekly summary)."""
    groups: dict[int, dict] = {}
    for commitment in Commitment.objects.overdue(today).with_related().order_by("deadline", "id"):
        for party in commitment.responsible or [None]:
            key = party.pk if party else 0
            group = groups.setdefault(key, {"party": party, "commitments": []})
            group["commitments"].append(
                {
                    "commitment": commitment,
                    "url": _absolute(commitment.get_absolute_url()),
                    "days_late": (today - commitment.deadline).days,
                }
            )
    return sorted(
        groups.values(),
        key=lambda g: (
            g["party"] is None,
            (g["party"].order, g["party"].name) if g["party"] else (),
        ),
    )


# ---------------------------------------------------------------------------------------------
# Change notifications: recorded in the changing transaction, sent after it commits.


def _delegations_told(update: StatusUpdate):
    """Who hears of the Secretariat's change: about one party's share, that party alone;
    about the whole commitment, every party it names, partners included: they follow its
    progress without a share of their own."""
    links = Q(
        party__commitment_links__commitment=update.commitment_id,
        user__is_active=True,
    )
    if update.party_id is None:
        return Membership.objects.filter(links)
    return Membership.objects.filter(links, party_id=update.party_id)


def notify_change(*, update: StatusUpdate, actor) -> list[Reminder]:
    """Tell the other side about ``update``: the Secretariat about a delegation's report or
    status change, the responsible delegations about the Secretariat's review, status change
    or moved deadline. Each recipient's ``notification_mode`` picks immediate or digest."""
    commitment = update.commitment
    to_staff = update.kind == UpdateKind.PROGRESS or (
        update.kind in (UpdateKind.STATUS, UpdateKind.DEADLINE) and not actor.is_staff
    )
    if to_staff:
        audience = [
            (user_id, party_id, mode or NotificationMode.IMMEDIATE, "")
            for user_id, party_id, mode in staff_users().values_list(
                "id", "membership__party_id", "membership__notification_mode"
            )
        ]
    else:
        audience = [
            (user_id, party_id, mode, role)
            for user_id, party_id, mode, role in _delegations_told(update)
            .exclude(user__email="")
            .values_list(
                "user_id", "party_id", "notification_mode", "party__commitment_links__role"
            )
        ]
    today = timezone.localdate()
    rows = [
        Reminder(
            recipient_id=user_id,
            party_id=party_id,
            role=role,
            commitment=commitment,
            status_update=update,
            kind=CHANGE_KIND,
            deadline=commitment.deadline,
            delivery=Delivery.IMMEDIATE if mode == NotificationMode.IMMEDIATE else Delivery.DIGEST,
            # A digest reader gets today's changes in tomorrow morning's digest.
            due_on=today if mode == NotificationMode.IMMEDIATE else today + datetime.timedelta(1),
        )
        for user_id, party_id, mode, role in audience
        if user_id != actor.pk
    ]
    created = Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    immediate = sorted({r.recipient_id for r in rows if r.delivery == Delivery.IMMEDIATE})
    if immediate:
        _queue_delivery(immediate, Delivery.IMMEDIATE, today)
    return created
