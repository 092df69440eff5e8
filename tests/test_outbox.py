"""The outbox on the real Redis (on a queue of the test's own, see tests/celery_helpers.py): a
task recorded with its transaction is sent once after the commit, never if it rolls back; a
claimed row is left to its sender until the lease runs out; what cannot be sent waits."""

from __future__ import annotations

import datetime
import json

import pytest
import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from otscustoms.outbox import services as outbox
from otscustoms.outbox.models import OutboxMessage
from otscustoms.outbox.tasks import drain

pytestmark = pytest.mark.django_db


def queued(queue: str) -> list[dict]:
    """The task messages waiting in ``queue``: their Celery headers (task name, arguments)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    return [json.loads(raw)["headers"] for raw in client.lrange(queue, 0, -1)]


def test_sent_once_after_the_commit(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox.enqueue(drain)
    assert queued(broker) == []  # nothing before the commit
    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1 and message.error == ""
    assert [headers["task"] for headers in queued(broker)] == ["outbox.drain"]
    assert outbox.send(message) is False  # already sent: a second sender sends nothing
    assert outbox.drain() == 0
    assert len(queued(broker)) == 1


def test_a_rolled_back_change_queues_nothing(broker, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(drain)
        raise RuntimeError("the change failed")
    assert callbacks == [] and not OutboxMessage.objects.exists()
    assert queued(broker) == []


def test_a_claimed_message_is_left_to_its_sender_until_its_lease_runs_out(broker):
    message = OutboxMessage.objects.create(task="outbox.drain", claimed_at=timezone.now())
    assert outbox.drain() == 0 and outbox.send(message) is False
    expired = timezone.now() - outbox.LEASE - datetime.timedelta(seconds=1)
    OutboxMessage.objects.update(claimed_at=expired)
    assert outbox.drain() == 1
    assert len(queued(broker)) == 1


def test_what_cannot_be_sent_waits_with_its_error(broker):
    OutboxMessage.objects.create(task="no.such.task", args=[1])
    assert outbox.drain() == 0
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.claimed_at is None
    assert message.attempts == 1 and message.error.startswith("NotRegistered")
    assert queued(broker) == []


def test_sent_messages_are_forgotten_after_a_week(broker):
    now = timezone.now()
    old = OutboxMessage.objects.create(task="outbox.drain", sent_at=now - outbox.KEEP_SENT)
    recent = OutboxMessage.objects.create(task="outbox.drain", sent_at=now)
    outbox.drain()
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk
