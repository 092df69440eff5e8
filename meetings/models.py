"""Meeting series, meetings, their documents, agendas, participants and decisions."""

from __future__ import annotations

import re

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from otscustoms.limits import AGENDA_TITLE_MAX, DECISION_TEXT_MAX
from parties.models import Party, Person


class Versioned(models.Model):
    """Optimistic locking: every write through a service bumps ``version``; a write that
    names an older version is refused (see ``otscustoms.concurrency``)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class MeetingSeries(models.Model):
    name = models.CharField(
        _("name"), max_length=200, help_text=_("Meeting of the Heads of Customs Administrations")
    )
    code = models.CharField(
        _("short code"),
        max_length=12,
        unique=True,
        help_text=_("HCA, WG: a meeting is then called HCA-9."),
    )
    organisation = models.CharField(
        _("organisation"), max_length=200, default="Organization of Turkic States", blank=True
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z0-9]{1,12}$"), name="series_code_upper"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


MEETING_CODE = re.compile(r"([A-Z0-9]{1,12})-([0-9]{1,6})")


def parse_meeting_code(code: str) -> tuple[str, int]:
    """HCA-9 → ("HCA", 9), whatever the case and surrounding blanks. ValueError names the
    code when it is not a series code, a hyphen and a number."""
    found = MEETING_CODE.fullmatch(str(code).strip().upper())
    if found is None:
        raise ValueError(f"{code!r} is not a meeting code like HCA-9.")
    return found[1], int(found[2])


class MeetingQuerySet(models.QuerySet):
    def by_code(self, code: str) -> Meeting:
        """HCA-9 → the 9th meeting of the HCA series; ValueError for a malformed code."""
        series_code, number = parse_meeting_code(code)
        return self.get(series__code=series_code, number=number)

    def filter_code(self, code: str) -> MeetingQuerySet:
        """The meeting of a code (ValueError for a malformed one), as a queryset."""
        series_code, number = parse_meeting_code(code)
        return self.filter(series__code=series_code, number=number)


class Meeting(Versioned):
    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, related_name="meetings")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_text = models.CharField(
        _("date as agreed"),
        max_length=200,
        blank=True,
        help_text=_("While no date is fixed: 'to be agreed through diplomatic channels'."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Known before the exact dates are.")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    host = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host party"),
    )
    chair = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_meetings",
        verbose_name=_("chair"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    parties = models.ManyToManyField(
        Party,
        blank=True,
        related_name="meetings",
        verbose_name=_("parties"),
        help_text=_("The delegations taking part; 'the Parties' of its decisions."),
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-start_date", "series__code", "-number"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint("series", "number", name="meeting_number_unique_in_series"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="meeting_number_positive"),
        ]
        indexes = [models.Index(fields=["start_date"], name="meeting_start_date")]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"code": self.code})

    @property
    def code(self) -> str:
        return meeting_code(self.series.code, self.number)

    @property
    def display_name(self) -> str:
        return meeting_display_name(self.series.name, self.number)


def meeting_code(series_code: str, number: int) -> str:
    """HCA and 9 → HCA-9 (also for rows read without a model)."""
    return f"{series_code}-{number}"


def meeting_display_name(series_name: str, number: int) -> str:
    return f"{_ordinal(number)} {series_name}"


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class DocumentType(models.TextChoices):
    NOTE_VERBALE = "note_verbale", _("Note verbale")
    AGREED_MINUTES = "agreed_minutes", _("Agreed minutes")
    PROTOCOL = "protocol", _("Protocol")
    AGENDA = "agenda", _("Agenda")
    PARTICIPANTS = "participants", _("List of participants")
    OTHER = "other", _("Other")


class Document(Versioned):
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_("Empty for a document about several meetings, such as a covering note."),
    )
    type = models.CharField(_("type"), max_length=20, choices=DocumentType.choices)
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("reference number"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    annex = models.CharField(_("annex"), max_length=20, blank=True, help_text="Annex I")
    addressees = models.TextField(_("addressees"), blank=True)
    signatories = models.JSONField(
        _("signatories"), default=list, blank=True, help_text=_("Names and titles as signed.")
    )
    text = models.TextField(_("full text"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(
        _("key"),
        max_length=60,
        help_text=_("Stable name within its meeting or bundle: hca_minutes, note."),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                "meeting",
                "key",
                name="document_key_unique_in_meeting",
                condition=Q(meeting__isnull=False),
            ),
            models.UniqueConstraint(
                "reference",
                name="document_reference_unique",
                condition=~Q(reference=""),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(Versioned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    number = models.CharField(_("number"), max_length=20, help_text="2, or 2.1 for a sub-item")
    title = models.TextField(_("title"), max_length=AGENDA_TITLE_MAX)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint("meeting", "number", name="agenda_number_unique_in_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:80]}"


class Participant(Versioned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    honorific = models.CharField(_("honorific"), max_length=40, blank=True)
    title = models.CharField(_("title / position"), max_length=300, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order in delegation"), default=1)
    is_head = models.BooleanField(_("head of delegation"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["meeting", "party__order", "order"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint("meeting", "person", name="participant_once_per_meeting"),
            models.UniqueConstraint(
                "meeting", "party", "order", name="participant_order_unique_in_delegation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.honorific} {self.person.name}".strip()


class Decision(Versioned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        help_text=_("Where the decision is recorded (the agreed minutes)."),
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"), max_length=DECISION_TEXT_MAX)
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint("meeting", "number", name="decision_number_unique_in_meeting"),
            models.CheckConstraint(condition=Q(number__gte=1), name="decision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting.code} decision {self.number}"


# Report jobs and import drafts live in a module of their own; importing them here registers
# them with the app and keeps ``meetings.models`` the one place to import models from.
from meetings.job_models import (  # noqa: E402, F401
    ImportDraft,
    ImportedCommitment,
    ReportJob,
    ReportJobStatus,
    ReportKind,
)
