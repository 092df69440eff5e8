"""Commitments (who must do what by when), where they are stated, and their progress."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actions.querysets import CommitmentQuerySet
from actions.share_models import (
    DELEGATION_SHARE_TRANSITIONS,
    SHARE_TRANSITIONS,
    CommitmentParty,
    DeadlineExtension,
    ExtensionState,
    Role,
    ShareStatus,
    derive_status,
)
from meetings.models import Decision, Document, Meeting, Versioned
from otscustoms.limits import ACTION_MAX
from parties.models import Party


class Precision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("Half-year")
    YEAR = "year", _("Year")
    EVENT = "event", _("At a meeting")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted for review")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    SUPERSEDED = "superseded", _("Superseded")

    @classmethod
    def active(cls) -> list[str]:
        """Statuses in which the obligation still has to be met (and can be overdue)."""
        return [cls.OPEN, cls.IN_PROGRESS, cls.SUBMITTED]

    @classmethod
    def closed(cls) -> list[str]:
        return [cls.DONE, cls.CANCELLED, cls.SUPERSEDED]


# The state machine: which status may follow which. The services refuse anything else.
TRANSITIONS: dict[str, set[str]] = {
    Status.OPEN: {
        Status.IN_PROGRESS,
        Status.SUBMITTED,
        Status.DONE,
        Status.CANCELLED,
        Status.SUPERSEDED,
    },
    Status.IN_PROGRESS: {
        Status.OPEN,
        Status.SUBMITTED,
        Status.DONE,
        Status.CANCELLED,
        Status.SUPERSEDED,
    },
    Status.SUBMITTED: {Status.IN_PROGRESS, Status.DONE, Status.CANCELLED, Status.SUPERSEDED},
    Status.DONE: {Status.IN_PROGRESS},
    Status.CANCELLED: {Status.OPEN},
    Status.SUPERSEDED: {Status.OPEN},
}
# What a delegation may do to its own party's commitments; the rest is for the Secretariat.
DELEGATION_TRANSITIONS: dict[str, set[str]] = {
    Status.OPEN: {Status.IN_PROGRESS, Status.SUBMITTED},
    Status.IN_PROGRESS: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.IN_PROGRESS},
}


class Commitment(Versioned):
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="commitments",
        help_text=_("The meeting at which it was agreed."),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        help_text=_("The decision it is extracted from."),
    )
    reference = models.CharField(
        _("reference"),
        max_length=40,
        blank=True,
        help_text=_("A stable label within its meeting, e.g. C01."),
    )
    action = models.TextField(_("action"), max_length=ACTION_MAX, help_text=_("What must be done."))
    responsible_text = models.CharField(
        _("responsible, as written"), max_length=300, blank=True, help_text="Turkish side"
    )
    parties = models.ManyToManyField(
        Party, through="CommitmentParty", related_name="commitments", blank=True
    )
    deadline = models.DateField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("The last day that satisfies the deadline phrase."),
    )
    deadline_precision = models.CharField(
        _("deadline precision"), max_length=8, choices=Precision.choices, blank=True
    )
    deadline_text = models.CharField(
        _("deadline as written"), max_length=200, blank=True, help_text="by 1 March 2024"
    )
    agreed_deadline = models.DateField(
        _("agreed deadline"),
        null=True,
        blank=True,
        help_text=_("The date the meeting agreed; the deadline moves only by an extension."),
    )
    agreed_precision = models.CharField(
        _("agreed deadline precision"),
        max_length=8,
        choices=Precision.choices,
        blank=True,
        default="",
        db_default="",
    )
    due_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments_due",
        help_text=_("Due at this later meeting; the deadline follows its date once set."),
    )
    due_event = models.CharField(
        _("due at"), max_length=200, blank=True, help_text="next meeting of the HCA"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[])

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | ~Q(deadline_precision=""),
                name="commitment_dated_has_precision",
            ),
            models.UniqueConstraint(
                "meeting",
                "reference",
                name="commitment_reference_unique_in_meeting",
                condition=~Q(reference=""),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="commitment_status_deadline"),
            models.Index(fields=["meeting", "deadline"], name="commitment_meeting_deadline"),
            # The register's order (REGISTER_ORDER): a page walks this index instead of
            # sorting every row.
            models.Index(fields=["deadline", "id"], name="commitment_deadline_id"),
        ]

    def __str__(self) -> str:
        return self.action[:80]

    def get_absolute_url(self) -> str:
        return reverse("actions:commitment-detail", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs) -> None:
        # A new commitment's deadline is the one agreed, whoever creates it (the services, the
        # admin, the fixtures).
        if self.pk is None and self.agreed_deadline is None and not self.agreed_precision:
            self.agreed_deadline, self.agreed_precision = self.deadline, self.deadline_precision
        super().save(*args, **kwargs)

    # The helpers below read the prefetched links when present (see
    # CommitmentQuerySet.with_related) so list pages stay at a constant query count.
    def _links(self) -> list[CommitmentParty]:
        prefetched = getattr(self, "link_list", None)  # with_related() or for_web_list()
        return prefetched if prefetched is not None else list(self.links.all())

    def cited_sources(self) -> list[CommitmentSource]:
        prefetched = getattr(self, "source_list", None)  # with_related()
        return prefetched if prefetched is not None else list(self.sources.all())

    def approved_extensions(self) -> list[DeadlineExtension]:
        """Its approved extensions, oldest first (prefetched by ``deadline_extensions()``)."""
        prefetched = getattr(self, "extension_list", None)
        if prefetched is not None:
            return prefetched
        return list(self.extensions.filter(state=ExtensionState.APPROVED).order_by("id"))

    def extension_for(self, party_id: int | None = None) -> DeadlineExtension | None:
        """The extension in force: the party's own when its share was extended, else the
        latest one of the whole commitment."""
        extensions = self.approved_extensions()
        if party_id is not None:
            share = self.share_for(party_id)
            if share is not None and share.deadline is not None:
                own = [e for e in extensions if e.party_id == party_id]
                if own:
                    return own[-1]
        whole = [e for e in extensions if e.party_id is None]
        return whole[-1] if whole and self.is_extended else None

    def deadline_for(self, party_id: int | None = None) -> datetime.date | None:
        """The effective deadline of the party's share, or of the whole commitment."""
        share = self.share_for(party_id) if party_id is not None else None
        return (share.deadline if share is not None else None) or self.deadline

    @property
    def shares(self) -> list[CommitmentParty]:
        """Each responsible party's share, in the parties' order."""
        return [link for link in self._links() if link.role == Role.RESPONSIBLE]

    def share_for(self, party_id: int | None) -> CommitmentParty | None:
        return next((s for s in self.shares if s.party_id == party_id), None)

    @property
    def shares_finished(self) -> int:
        return sum(1 for s in self.shares if s.status in ShareStatus.finished())

    @property
    def is_extended(self) -> bool:
        return self.agreed_deadline != self.deadline and self.deadline is not None

    @property
    def responsible(self) -> list[Party]:
        return [link.party for link in self._links() if link.role == Role.RESPONSIBLE]

    @property
    def responsible_party_ids(self) -> set[int]:
        return {link.party_id for link in self._links() if link.role == Role.RESPONSIBLE}

    @property
    def partners(self) -> list[Party]:
        return [link.party for link in self._links() if link.role == Role.PARTNER]

    @property
    def is_active(self) -> bool:
        return self.status in Status.active()

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return is_overdue(self.status, self.deadline, today or datetime.date.today())


def is_overdue(status: str, deadline: datetime.date | None, today: datetime.date) -> bool:
    """Still to be met and past its deadline (also for rows read without a model)."""
    return status in Status.active() and deadline is not None and deadline < today


class CommitmentSource(models.Model):
    """One place where the commitment is stated: a document and its paragraph."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="sources")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="citations")
    paragraph = models.CharField(_("paragraph"), max_length=20, blank=True)
    quote = models.TextField(_("quoted sentence"), blank=True)

    class Meta:
        ordering = ["document__order", "document_id", "paragraph"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(
                "commitment", "document", "paragraph", name="commitment_source_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.key} {self.paragraph}".strip()


# Progress reports and reminders live in modules of their own; importing them here registers
# them with the app and keeps ``actions.models`` the one place to import models from.
from actions.reminder_models import (  # noqa: E402
    Delivery,
    Reminder,
    ReminderState,
    reminder_kind_label,
)
from actions.update_models import (  # noqa: E402
    UPDATE_STATUSES,
    ReviewState,
    StatusUpdate,
    UpdateKind,
    attachment_path,
)

__all__ = [
    "Commitment",
    "CommitmentParty",
    "CommitmentSource",
    "DELEGATION_SHARE_TRANSITIONS",
    "DeadlineExtension",
    "ExtensionState",
    "SHARE_TRANSITIONS",
    "ShareStatus",
    "derive_status",
    "Delivery",
    "Precision",
    "Reminder",
    "ReminderState",
    "ReviewState",
    "Role",
    "Status",
    "StatusUpdate",
    "UPDATE_STATUSES",
    "UpdateKind",
    "attachment_path",
    "is_overdue",
    "reminder_kind_label",
]
