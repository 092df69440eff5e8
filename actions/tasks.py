"""Celery tasks: thin wrappers over actions.reminders, which holds the logic and its reasons."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from actions import reminders


def _day(today: str | None) -> datetime.date:
    return datetime.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(name="actions.sweep_reminders")
def sweep_reminders(today: str | None = None) -> dict:
    """The daily beat task: record today's reminders, hand recipients to workers in batches."""
    result = reminders.sweep(today=_day(today))
    return {"due": len(result.planned), "batches": len(result.queued)}


@shared_task(name="actions.requeue_undelivered")
def requeue_undelivered(today: str | None = None) -> int:
    """The frequent beat task: retry failed sends and rows whose worker died."""
    return len(reminders.requeue_undelivered(today=_day(today)))


@shared_task(name="actions.deliver_reminders")
def deliver_reminders(recipient_ids: list[int], delivery: str, today: str) -> int:
    """A worker's batch. Safe to run twice (a retried or redelivered task): rows are claimed."""
    return reminders.deliver_batch(
        recipient_ids=recipient_ids, delivery=delivery, today=_day(today)
    )
