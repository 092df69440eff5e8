"""Who reported what, when: progress reports with their evidence, reviews and status
changes, on a commitment or on one party's share of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from actions.models import Status
from actions.share_models import ShareStatus
from otscustoms.idempotency import MAX_LENGTH as MAX_KEY_LENGTH
from otscustoms.idempotency import validate_key
from otscustoms.limits import NOTE_MAX
from parties.models import Party


class UpdateKind(models.TextChoices):
    PROGRESS = "progress", _("Progress report")
    STATUS = "status", _("Status change")
    DEADLINE = "deadline", _("Deadline change")
    REVIEW = "review", _("Review")


class ReviewState(models.TextChoices):
    NONE = "", _("No review needed")
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Returned")


UPDATE_STATUSES = [*Status.choices, (ShareStatus.WAIVED.value, ShareStatus.WAIVED.label)]


def attachment_path(instance: StatusUpdate, filename: str) -> str:
    return f"evidence/{instance.commitment_id}/{filename}"


class StatusUpdate(models.Model):
    """Who reported what, when: progress reports with evidence, and every status change."""

    commitment = models.ForeignKey(
        "actions.Commitment", on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="status_updates"
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_updates",
        help_text=_("The party whose share it concerns; empty for the whole commitment."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=UpdateKind.choices)
    # A commitment's or a share's status: the share's "waived" is the one of its own.
    old_status = models.CharField(max_length=12, choices=UPDATE_STATUSES, blank=True)
    new_status = models.CharField(max_length=12, choices=UPDATE_STATUSES, blank=True)
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    # Stored under a random name (actions.evidence); the name it was sent with is kept for
    # the download. Who may download it: parties.permissions.can_see_evidence.
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, blank=True)
    original_name = models.CharField(
        _("file name as sent"), max_length=255, blank=True, default="", db_default=""
    )
    shared = models.BooleanField(
        _("evidence shared with all delegations"),
        default=False,
        db_default=False,
        help_text=_("Otherwise only the Secretariat and the responsible parties may open it."),
    )
    review_state = models.CharField(
        max_length=10, choices=ReviewState.choices, default=ReviewState.NONE, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_updates",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    idempotency_key = models.CharField(
        max_length=MAX_KEY_LENGTH,
        null=True,
        blank=True,
        editable=False,
        validators=[validate_key],
        help_text=_("The client's name for the request that made it: a retry finds it here."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        constraints = [
            models.UniqueConstraint(
                "author",
                "idempotency_key",
                name="update_idempotency_key_once",
                condition=Q(idempotency_key__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["commitment", "-created_at"], name="update_commitment_recent"),
            models.Index(
                fields=["review_state"],
                name="update_pending_review",
                condition=Q(review_state="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.commitment_id} by {self.author}"
