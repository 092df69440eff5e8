"""Work the application does for a user over time: printed reports rendered by the worker, and
drafts of imported minutes awaiting review. Import them from ``meetings.models``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    IMPLEMENTATION_REPORT = "implementation_report", _("Implementation report of a meeting")
    SERIES_REPORT = "series_report", _("Open commitments of a meeting series")
    PARTY_OBLIGATIONS = "party_obligations", _("Obligations of a party")
    IMPLEMENTATION_MATRIX = "implementation_matrix", _("Implementation matrix")


class ReportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being rendered")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportJob(models.Model):
    """A large printed report rendered by a Celery worker rather than in the web request.

    ``params`` holds what the document builder needs (meeting or series or party code,
    filters, and the day the report was asked for), so the worker renders exactly what was
    requested even if it runs later."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=ReportKind.choices)
    params = models.JSONField(_("parameters"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ReportJobStatus.choices, default=ReportJobStatus.QUEUED
    )
    size = models.PositiveIntegerField(_("commitments"), default=0)
    title = models.CharField(_("title"), max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        indexes = [models.Index(fields=["kind", "status"], name="reportjob_kind_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("pdf:job", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportJobStatus.DONE, ReportJobStatus.FAILED)


class ImportDraft(models.Model):
    """An uploaded minutes bundle waiting for the Secretariat's review. Nothing else is written
    until the draft is confirmed; the text is kept so confirming re-parses exactly what was
    reviewed."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    filename = models.CharField(_("file name"), max_length=255, blank=True)
    text = models.TextField(_("text"))
    parsed = models.JSONField(_("parsed structure"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    summary = models.JSONField(_("import summary"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import draft")
        verbose_name_plural = _("import drafts")

    def __str__(self) -> str:
        return self.filename or f"Pasted text #{self.pk}"


class ImportedCommitment(models.Model):
    """Which commitment an extracted obligation became, keyed by a stable content key (first
    source document + paragraph + ordinal), with the values as last parsed. Re-importing
    compares the new parse with ``parsed`` and writes only what the *bundle* changed, so the
    Secretariat's review corrections survive; a null commitment means it was dropped in
    review and stays dropped."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="import_keys"
    )
    key = models.CharField(_("import key"), max_length=120)
    commitment = models.OneToOneField(
        "actions.Commitment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_key",
    )
    parsed = models.JSONField(_("values as last parsed"), default=dict)

    class Meta:
        ordering = ["meeting", "key"]
        verbose_name = _("imported commitment")
        verbose_name_plural = _("imported commitments")
        constraints = [
            models.UniqueConstraint("meeting", "key", name="import_key_unique_in_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.key}"
