"""Change notifications: recorded in the changing transaction, sent after it commits.

Who hears of a change: the Secretariat of a delegation's report, status change or extension
request; of the Secretariat's change to one party's share (a review, a status, an extension
decided), that party alone; of a change to the whole commitment, every party it names,
partners included: they have no share, but follow the commitment's progress."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from actions.models import Delivery, Reminder, StatusUpdate, UpdateKind
from actions.reminders.rules import CHANGE_KIND
from actions.reminders.sweep import queue_delivery, staff_users
from parties.models import Membership, NotificationMode


def _delegations_told(update: StatusUpdate):
    links = Q(
        party__commitment_links__commitment=update.commitment_id,
        user__is_active=True,
    )
    if update.party_id is None:
        return Membership.objects.filter(links)
    return Membership.objects.filter(links, party_id=update.party_id)


def notify_change(*, update: StatusUpdate, actor) -> list[Reminder]:
    """Tell the other side about ``update`` (see the module's docstring). Each recipient's
    ``notification_mode`` picks an email at once or the next morning's digest."""
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
        queue_delivery(immediate, Delivery.IMMEDIATE, today)
    return created
