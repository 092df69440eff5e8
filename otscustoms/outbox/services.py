"""Queue Celery tasks through the outbox (``outbox.models``).

``enqueue`` is called inside the transaction that makes a change; the task is sent after that
commits. Sending claims the row first (a conditional UPDATE), so the request that made the
change and a drain running at the same moment never both send it; a sender that dies after
claiming holds it for ``LEASE`` only. Every failure to send leaves the row pending: a request
whose change committed answers success even while the broker is down.
"""

from __future__ import annotations

import datetime
import logging

from celery import Task
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from otscustoms.celery import app as celery_app
from otscustoms.outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

# Far longer than a send takes (a few milliseconds, REDIS_TIMEOUT at worst).
LEASE = datetime.timedelta(minutes=1)
# Sent rows are kept this long, to see in the admin what went out.
KEEP_SENT = datetime.timedelta(days=7)
DRAIN_BATCH = 500


def enqueue(task: Task, *args) -> OutboxMessage:
    """Record ``task(*args)`` (JSON arguments) in the current transaction, and send it once
    the transaction commits; nothing is sent if it rolls back. The task is passed, not its
    name, so that its module is imported, and the task registered, in this process too."""
    message = OutboxMessage.objects.create(task=task.name, args=list(args))
    transaction.on_commit(lambda: send(message), robust=True)
    return message


def broker_connection():
    """A broker connection of its own, tried once with short timeouts: with the broker down,
    sending fails in at most REDIS_TIMEOUT seconds, where Celery's defaults retry for ~20."""
    timeout = settings.REDIS_TIMEOUT
    return celery_app.connection_for_write(
        connect_timeout=timeout,
        transport_options={
            "max_retries": 0,
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
        },
    )


def broker_reachable() -> bool:
    try:
        with broker_connection() as connection:
            connection.ensure_connection(max_retries=0)
    except OperationalError:
        return False
    return True


def _claimable(now: datetime.datetime) -> Q:
    return Q(sent_at__isnull=True) & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))


def send(message: OutboxMessage) -> bool:
    """Hand ``message`` to the broker, unless another sender holds it or sent it. True if
    this call sent it."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(_claimable(now), pk=message.pk).update(
        claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    mine = OutboxMessage.objects.filter(pk=message.pk, claimed_at=now)
    try:
        with broker_connection() as connection:
            # No result is stored: nobody reads it, and the result backend would retry for
            # ~20 s more when Redis is down.
            celery_app.tasks[message.task].apply_async(
                args=message.args, connection=connection, retry=False, ignore_result=True
            )
    except Exception as exc:  # broker down, unknown task...: the next drain tries again
        logger.warning("Outbox message %s (%s) not sent: %s", message.pk, message.task, exc)
        mine.update(claimed_at=None, error=f"{type(exc).__name__}: {exc}"[:2000])
        return False
    mine.update(sent_at=timezone.now(), error="")
    return True


def drain(*, limit: int = DRAIN_BATCH) -> int:
    """Send what is still pending (the broker was down, or a sender died), oldest first, and
    forget what was sent long ago. The beat task ``outbox.drain``; returns how many went out."""
    now = timezone.now()
    OutboxMessage.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    pending = list(OutboxMessage.objects.filter(_claimable(now)).order_by("id")[:limit])
    return sum(send(message) for message in pending)
