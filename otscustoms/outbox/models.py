"""Celery tasks recorded in the database by the transaction that asks for them (an outbox).

A write that commits has its task whether or not the broker answers at that moment: the task
is sent once the transaction commits, and if the broker cannot take it then, the row stays
pending until the beat task ``outbox.drain`` sends it (see ``outbox.services``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """pending (``sent_at`` empty) → claimed by one sender (``claimed_at``, a lease) → sent."""

    task = models.CharField(_("task"), max_length=200, help_text=_("The Celery task's name."))
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # What the drain reads each minute: the few rows not sent yet, oldest first.
            models.Index(fields=["id"], name="outbox_pending", condition=Q(sent_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)!r}"
