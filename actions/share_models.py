"""A party's share of a commitment, and deadline extensions.

A joint obligation ("The Parties will submit…") is followed party by party: each responsible
party's link to the commitment is its *share*, with its own status and version. Partners' links
carry no status. The commitment's own status is derived from its shares (``derive_status``),
except that the Secretariat may cancel or supersede a whole commitment.

The deadline agreed at the meeting is kept as agreed (``Commitment.agreed_deadline`` and
``deadline_text``); an extension moves the effective deadline of the whole commitment
(``Commitment.deadline``) or of one share (``CommitmentParty.deadline``), and is recorded with
its reason, author and time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from otscustoms.limits import NOTE_MAX
from parties.models import Party


class Role(models.TextChoices):
    RESPONSIBLE = "responsible", _("Responsible")
    PARTNER = "partner", _("Partner")


class ShareStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted for review")
    DONE = "done", _("Done")
    WAIVED = "waived", _("Waived")

    @classmethod
    def active(cls) -> list[str]:
        return [cls.OPEN, cls.IN_PROGRESS, cls.SUBMITTED]

    @classmethod
    def finished(cls) -> list[str]:
        return [cls.DONE, cls.WAIVED]


# Which share status may follow which: the Secretariat's machine, and the delegation's part of it.
SHARE_TRANSITIONS: dict[str, set[str]] = {
    ShareStatus.OPEN: {
        ShareStatus.IN_PROGRESS,
        ShareStatus.SUBMITTED,
        ShareStatus.DONE,
        ShareStatus.WAIVED,
    },
    ShareStatus.IN_PROGRESS: {
        ShareStatus.OPEN,
        ShareStatus.SUBMITTED,
        ShareStatus.DONE,
        ShareStatus.WAIVED,
    },
    ShareStatus.SUBMITTED: {ShareStatus.IN_PROGRESS, ShareStatus.DONE, ShareStatus.WAIVED},
    ShareStatus.DONE: {ShareStatus.IN_PROGRESS},
    ShareStatus.WAIVED: {ShareStatus.OPEN},
}
DELEGATION_SHARE_TRANSITIONS: dict[str, set[str]] = {
    ShareStatus.OPEN: {ShareStatus.IN_PROGRESS, ShareStatus.SUBMITTED},
    ShareStatus.IN_PROGRESS: {ShareStatus.SUBMITTED},
    ShareStatus.SUBMITTED: {ShareStatus.IN_PROGRESS},
}


def derive_status(share_statuses: Iterable[str], current: str) -> str:
    """The commitment's status from its shares' statuses. A cancelled or superseded commitment
    stays so: that is the Secretariat's decision on the whole, not the parties' progress."""
    from actions.models import Status

    if current in (Status.CANCELLED, Status.SUPERSEDED):
        return current
    statuses = list(share_statuses)
    if not statuses:
        return current
    unfinished = [s for s in statuses if s not in ShareStatus.finished()]
    if not unfinished:
        return Status.DONE
    if all(s == ShareStatus.SUBMITTED for s in unfinished):
        return Status.SUBMITTED
    if len(unfinished) < len(statuses) or any(s != ShareStatus.OPEN for s in unfinished):
        return Status.IN_PROGRESS
    return Status.OPEN


class CommitmentParty(models.Model):
    """A party named by a commitment. With the role "responsible" it is that party's share."""

    commitment = models.ForeignKey(
        "actions.Commitment", on_delete=models.CASCADE, related_name="links"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="commitment_links")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    status = models.CharField(
        _("share status"),
        max_length=12,
        choices=ShareStatus.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_("The party's own progress; partners have no share and no status."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)
    deadline = models.DateField(
        _("extended deadline"),
        null=True,
        blank=True,
        help_text=_("This party's own deadline after an extension; else the commitment's."),
    )
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["role", "party__order"]
        verbose_name = _("responsible or partner party")
        verbose_name_plural = _("responsible and partner parties")
        constraints = [
            models.UniqueConstraint("commitment", "party", name="commitment_party_once"),
            models.CheckConstraint(
                condition=(Q(role="responsible") & ~Q(status=""))
                | (Q(role="partner") & Q(status="")),
                name="share_status_for_responsible_only",
            ),
        ]
        indexes = [
            models.Index(fields=["party", "role", "commitment"], name="commitment_party_role"),
            models.Index(fields=["party", "status", "deadline"], name="share_party_status"),
        ]

    def __str__(self) -> str:
        return f"{self.party.code} ({self.role})"

    def save(self, *args, **kwargs) -> None:
        # A share starts open; a partner's link has no status (the admin's inline and the
        # test factories name only the role).
        if self.role == Role.RESPONSIBLE and not self.status:
            self.status = ShareStatus.OPEN
        elif self.role == Role.PARTNER:
            self.status = ""
        super().save(*args, **kwargs)

    @property
    def is_share(self) -> bool:
        return self.role == Role.RESPONSIBLE

    @property
    def is_active(self) -> bool:
        return self.status in ShareStatus.active()

    @property
    def effective_deadline(self) -> datetime.date | None:
        """The share's own extended deadline, else the commitment's (read with the link)."""
        return self.deadline or self.commitment.deadline

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        deadline = self.effective_deadline
        today = today or datetime.date.today()
        return (
            self.is_active
            and self.commitment.status not in ("cancelled", "superseded")
            and deadline is not None
            and deadline < today
        )


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class DeadlineExtension(models.Model):
    """A deadline moved after the meeting: for the whole commitment (no party) or for one
    party's share. Made by the Secretariat (approved at once) or requested by a delegation
    for its own share and decided by the Secretariat."""

    commitment = models.ForeignKey(
        "actions.Commitment", on_delete=models.CASCADE, related_name="extensions"
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadline_extensions",
        help_text=_("The party whose share is extended; empty for the whole commitment."),
    )
    deadline = models.DateField(_("new deadline"))
    previous_deadline = models.DateField(_("deadline before"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=NOTE_MAX)
    state = models.CharField(
        _("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="extensions_requested"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="extensions_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), max_length=NOTE_MAX, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        indexes = [
            models.Index(fields=["state"], name="extension_pending", condition=Q(state="pending")),
        ]

    def __str__(self) -> str:
        whose = self.party.code if self.party_id else "all"
        return f"{self.commitment_id} {whose} → {self.deadline.isoformat()}"
