"""Delivery: a worker claims a recipient's rows, sends ONE email with all of them, marks them.

The claim locks the rows in id order and moves them with a conditional UPDATE that only takes
rows still pending, failed, or whose lease ran out; it commits before the send, so a second
worker finds nothing to claim. The email and the database cannot commit together: a worker
killed after the SMTP server accepted the message but before ``sent`` is written sends it
again once the lease expires (a few milliseconds' window); every other failure is retried."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from actions.models import Reminder, ReminderState
from actions.reminders.messages import build_message
from actions.reminders.sweep import claimable

logger = logging.getLogger(__name__)


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
