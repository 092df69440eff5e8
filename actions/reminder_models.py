"""Reminders and change notifications: one row per thing to tell one person, recorded before
it is sent and claimed before sending. Import them from ``actions.models``, which loads this
module once its own models are defined."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from actions.models import Role
from parties.models import Party


class ReminderState(models.TextChoices):
    """pending → sending (claimed, with a lease) → sent | failed (retried until the last
    attempt) | skipped (no longer true when its turn came: the deadline moved, it was closed)."""

    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("In the daily digest")


class Reminder(models.Model):
    """One thing to tell one person, recorded before it is sent and claimed before sending.

    Deadline reminders are unique per (commitment, recipient, kind, deadline), change
    notifications per (status update, recipient), the weekly overdue summary per (recipient,
    week day): running the sweep twice, or two workers at once, can only find the row already
    there. ``kind`` is ``before-30`` … ``before-1``, ``due-today``, ``overdue-14`` (days late),
    ``month-start``, ``overdue-summary`` or ``change``.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        help_text=_("The delegation through which the recipient is concerned."),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, blank=True)
    commitment = models.ForeignKey(
        "actions.Commitment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    status_update = models.ForeignKey(
        "actions.StatusUpdate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text=_("The change this notification tells about."),
    )
    kind = models.CharField(_("kind"), max_length=24)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    due_on = models.DateField(_("due on"), help_text=_("The day it is (or was) to be sent."))
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.DIGEST
    )
    state = models.CharField(
        _("state"), max_length=8, choices=ReminderState.choices, default=ReminderState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                "commitment",
                "recipient",
                "kind",
                "deadline",
                name="reminder_once",
                condition=Q(status_update__isnull=True, commitment__isnull=False),
            ),
            models.UniqueConstraint(
                "status_update",
                "recipient",
                name="notification_once",
                condition=Q(status_update__isnull=False),
            ),
            models.UniqueConstraint(
                "recipient",
                "kind",
                "due_on",
                name="summary_once",
                condition=Q(commitment__isnull=True),
            ),
        ]
        indexes = [
            # What the sweep and the workers look for: rows still to deliver, per recipient.
            models.Index(
                fields=["recipient", "delivery", "due_on"],
                name="reminder_undelivered",
                condition=Q(state__in=["pending", "sending", "failed"]),
            ),
            models.Index(fields=["state", "due_on"], name="reminder_state_due"),
            models.Index(fields=["claim_token"], name="reminder_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id} on {self.due_on}"

    @property
    def kind_label(self) -> str:
        return reminder_kind_label(self.kind)


def reminder_kind_label(kind: str) -> str:
    if kind.startswith("before-"):
        days = int(kind.removeprefix("before-"))
        return (
            _("%(days)s days before the deadline") % {"days": days}
            if days != 1
            else _("1 day before the deadline")
        )
    if kind == "due-today":
        return str(_("Due today"))
    if kind.startswith("overdue-") and kind != "overdue-summary":
        days = int(kind.removeprefix("overdue-"))
        return _("Overdue by %(days)s days") % {"days": days}
    return str(
        {
            "month-start": _("Due this month"),
            "overdue-summary": _("Weekly overdue summary"),
            "change": _("Change"),
        }.get(kind, kind)
    )
