"""The beat task sending what the outbox still holds (see outbox.services)."""

from celery import shared_task

from otscustoms.outbox import services


@shared_task(name="outbox.drain", ignore_result=True)
def drain() -> int:
    return services.drain()
