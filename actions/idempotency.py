"""Progress reports made again with the same idempotency key (see otscustoms.idempotency):
the first one is the answer, and a key never names two reports."""

from __future__ import annotations

from django.db import IntegrityError

from actions.models import Commitment, StatusUpdate
from otscustoms.idempotency import KeyReused


def earlier_report(*, user, key: str, commitment: Commitment, note: str) -> StatusUpdate | None:
    """The report ``user`` already made with ``key``, or None. KeyReused if the key named
    another request: a report on another commitment, or with another note."""
    earlier = StatusUpdate.objects.filter(author=user, idempotency_key=key).first()
    if earlier is None:
        return None
    if earlier.commitment_id != commitment.pk or earlier.note != note:
        raise KeyReused()
    return earlier


def save_report(update: StatusUpdate) -> None:
    """Save a new report. Two requests with one key on two commitments at once both find no
    earlier report (each waits only on its own commitment's lock); the database's unique
    constraint refuses the second."""
    try:
        update.save()
    except IntegrityError as exc:
        if update.idempotency_key is None:
            raise
        raise KeyReused() from exc
