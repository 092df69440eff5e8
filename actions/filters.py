"""The one filter vocabulary of commitment lists: the web list and timeline, the API list, its
CSV export. The same parameter names in every URL, validated by the same form."""

from __future__ import annotations

import datetime
import functools

from django import forms
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters import rest_framework as filters

from actions.models import Commitment, CommitmentParty, Precision, Role, ShareStatus, Status
from meetings.forms import DATE_WIDGET
from meetings.models import Meeting, parse_meeting_code
from parties.models import Party

# Groups of statuses the pages link to, beside the statuses themselves.
STATUS_GROUPS = [
    ("active", _("Still to do")),
    ("overdue", _("Overdue")),
    ("closed", _("Done or closed")),
]
SHARE_WAIVED = (ShareStatus.WAIVED.value, ShareStatus.WAIVED.label)
# With a party, these filters read the party's share rather than the whole commitment.
SHARE_FILTERS = ("status", "overdue", "due_after", "due_before")
WHOLE = (Status.CANCELLED, Status.SUPERSEDED)
MAX_SEARCH_WORDS = 8
RECENT_MEETINGS = 50


def party_choices() -> list[tuple[str, str]]:
    return list(Party.objects.order_by("order", "name").values_list("code", "name"))


class CodeChoiceField(filter_fields.ChoiceField):
    """A party code whatever its case: tr is TR."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class MeetingCodeField(forms.CharField):
    """A meeting code (HCA-9) of a meeting in the register."""

    def clean(self, value):
        value = super().clean(value).strip().upper()
        if not value:
            return ""
        try:
            parse_meeting_code(value)
        except ValueError as exc:
            raise forms.ValidationError(
                _("“%(code)s” is not a meeting code: write the series and number, as HCA-9."),
                params={"code": value},
            ) from exc
        if not Meeting.objects.filter_code(value).exists():
            raise forms.ValidationError(
                _("No meeting %(code)s in the register."), params={"code": value}
            )
        return value


class InstantField(filter_fields.IsoDateTimeField):
    """An ISO 8601 time, read as an instant in UTC.

    Python takes offsets of up to ±23:59 and years down to 1, but PostgreSQL refuses an offset
    past ±15:59 and the database error would be a 500 (or a CSV cut off after its header).
    No clock is set more than 14 hours from UTC, so a larger offset is a mistake; the
    instant is then handed on in UTC, so that no offset reaches the database at all."""

    MAX_OFFSET = datetime.timedelta(hours=14)
    default_error_messages = {
        "offset": _(
            "“%(value)s” has an offset of more than 14 hours from UTC: no time zone is that far."
        ),
        "out_of_range": _("“%(value)s” is out of range: it is not in the years 1 to 9999 UTC."),
    }

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        if abs(moment.utcoffset()) > self.MAX_OFFSET:
            raise forms.ValidationError(
                self.error_messages["offset"], code="offset", params={"value": value}
            )
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError as exc:
            raise forms.ValidationError(
                self.error_messages["out_of_range"], code="out_of_range", params={"value": value}
            ) from exc


class InstantFilter(filters.IsoDateTimeFilter):
    field_class = InstantField


class PartyFilter(filters.ChoiceFilter):
    field_class = CodeChoiceField


class MeetingFilter(filters.CharFilter):
    field_class = MeetingCodeField


class OneAtATimeSelect(forms.SelectMultiple):
    """A single <select> in the page's filter bar for a filter that takes several values
    (repeat the parameter) from other clients; its blank option means no filter."""

    allow_multiple_selected = False

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name) or []
        return [value for value in ([values] if isinstance(values, str) else values) if value]


class CommitmentFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("due_after"), data.get("due_before")
        if start and end and end < start:
            self.add_error("due_before", _("“Due until” is before “Due from”."))
        return data


class RegisterOrdering(filters.OrderingFilter):
    """`meeting` sorts by the meeting's date, then series and number; `party` by the first
    responsible party in the OTS order. Undated rows come last either way, and the id ends
    every order so that pages neither skip nor repeat a row."""

    EXPANSIONS = {
        "meeting": ["meeting__start_date", "meeting__series__code", "meeting__number"],
        "party": ["first_party_order", "first_party_code"],
    }

    def get_ordering_value(self, param: str) -> list:
        descending = param.startswith("-")
        name = param.lstrip("-")
        fields = self.EXPANSIONS.get(name) or [super().get_ordering_value(name)]
        return [
            F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_last=True) for f in fields
        ]

    def filter(self, qs, value):
        params = [param for param in value or () if param.strip("-")]
        if not params:
            return qs
        if any(param.lstrip("-") == "party" for param in params):
            qs = with_party_sort(qs)  # two subqueries per row: only when sorting by party
        ordering = [term for param in params for term in self.get_ordering_value(param)]
        return qs.order_by(*ordering, "id")


def with_party_sort(queryset):
    """Annotate the first responsible party, in the order of the OTS lists, for sorting."""
    first = CommitmentParty.objects.filter(
        commitment=OuterRef("pk"), role=Role.RESPONSIBLE
    ).order_by("party__order", "party__code")
    return queryset.annotate(
        first_party_order=Subquery(first.values("party__order")[:1]),
        first_party_code=Subquery(first.values("party__code")[:1]),
    )


class CommitmentFilter(filters.FilterSet):
    search = filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        help_text="Words in the action, the deadline as written, the responsible parties as "
        "written, or a reference: every word must match.",
    )
    party = PartyFilter(
        label=_("Party"),
        choices=party_choices,
        empty_label=_("Any party"),
        method="filter_party",
        help_text="Party code (TR, KZ, OTS...): commitments it is responsible for or a partner in.",
    )
    role = filters.ChoiceFilter(
        label=_("As"),
        choices=Role.choices,
        empty_label=_("Responsible or partner"),
        method="filter_noop",
        help_text="With `party`: only where the party has this role.",
    )
    status = filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=[*STATUS_GROUPS, *Status.choices, SHARE_WAIVED],
        method="filter_status",
        widget=OneAtATimeSelect,
        help_text="One or several statuses (repeat the parameter); `active` (open, in "
        "progress or submitted), `overdue` (active and past the deadline) or `closed`. With "
        "`party`, the status of that party's share (`waived` is a share's only).",
    )
    meeting = MeetingFilter(
        label=_("Meeting"),
        method="filter_meeting",
        max_length=24,
        widget=forms.TextInput(
            attrs={"placeholder": "HCA-9", "autocomplete": "off", "list": "meeting-codes"}
        ),
        help_text="Code of the meeting that agreed it, e.g. HCA-9.",
    )
    due_after = filters.DateFilter(
        label=_("Due from"),
        method="filter_due",
        widget=DATE_WIDGET,
        help_text="Deadline on or after this date (with `party`, that party's deadline).",
    )
    due_before = filters.DateFilter(
        label=_("Due until"),
        method="filter_due",
        widget=DATE_WIDGET,
        help_text="Deadline on or before this date (with `party`, that party's deadline).",
    )
    # Not in the page's filter bar; kept by it when a link sets them.
    series = filters.CharFilter(
        field_name="meeting__series__code",
        lookup_expr="iexact",
        widget=forms.HiddenInput,
        help_text="Code of the meeting series, e.g. HCA or WG.",
    )
    overdue = filters.BooleanFilter(
        method="filter_overdue",
        widget=forms.HiddenInput,
        help_text="true: still active and past the deadline (today in the server's time zone); "
        "false: everything else. With `party`, that party's share and deadline.",
    )
    precision = filters.MultipleChoiceFilter(
        field_name="deadline_precision",
        choices=Precision.choices,
        distinct=False,
        widget=forms.MultipleHiddenInput,
        help_text="Precision of the deadline: day, month, quarter, half (year), year or event.",
    )
    updated_since = InstantFilter(
        field_name="updated_at",
        lookup_expr="gte",
        widget=forms.HiddenInput,
        help_text="Changed at or after this ISO 8601 time: for clients that sync.",
    )
    ordering = RegisterOrdering(
        fields=(
            ("deadline", "deadline"),
            ("meeting", "meeting"),
            ("party", "party"),
            ("updated_at", "updated"),
        ),
        help_text="deadline, meeting, party or updated; prefix with - to reverse.",
    )

    class Meta:
        model = Commitment
        fields = []
        form = CommitmentFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when first needed, then kept: validating and rendering each read the choices.
        self.form.fields["party"].choices = functools.cache(party_choices)
        status = self.form.fields["status"]
        status.widget.choices = [("", _("Any status")), *status.choices]

    def filter_search(self, queryset, name: str, value: str):
        for word in value.split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(
                Q(action__icontains=word)
                | Q(deadline_text__icontains=word)
                | Q(responsible_text__icontains=word)
                | Q(reference__iexact=word)
            )
        return queryset

    def share_party(self) -> str | None:
        """The party whose share the status and deadline filters read: the one asked for,
        unless only its partner links are."""
        data = self.form.cleaned_data
        if data.get("party") and data.get("role") != Role.PARTNER:
            return data["party"]
        return None

    def filter_party(self, queryset, name: str, value: str):
        data = self.form.cleaned_data
        if self.share_party() and any(data.get(f) not in (None, "", []) for f in SHARE_FILTERS):
            if data.get("due_before"):
                # A share's own deadline is never before the commitment's (see
                # actions.extensions), so this bound holds for both and lets the register's
                # (deadline, id) index narrow the rows before the share is looked at.
                queryset = queryset.filter(deadline__lte=data["due_before"])
            return queryset.with_share(value, self.share_conditions())
        return queryset.for_party(value, role=data.get("role") or None)

    def share_conditions(self) -> Q:
        """The share filters as one condition on the party's share, its ``status`` and
        ``due``; a commitment cancelled or superseded as a whole is closed for every share."""
        data, today = self.form.cleaned_data, timezone.localdate()
        whole_closed = Q(commitment_status__in=WHOLE)
        share = Q()
        if data.get("status"):
            wanted = Q()
            for status in data["status"]:
                if status == "active":
                    wanted |= Q(status__in=ShareStatus.active()) & ~whole_closed
                elif status == "closed":
                    wanted |= Q(status__in=ShareStatus.finished()) | whole_closed
                elif status == "overdue":
                    wanted |= Q(status__in=ShareStatus.active(), due__lt=today) & ~whole_closed
                elif status in WHOLE:
                    wanted |= Q(commitment_status=status)
                else:
                    wanted |= Q(status=status) & ~whole_closed
            share &= wanted
        if data.get("overdue") is not None:
            overdue = Q(status__in=ShareStatus.active(), due__lt=today) & ~whole_closed
            share &= overdue if data["overdue"] else ~overdue
        if data.get("due_after"):
            share &= Q(due__gte=data["due_after"])
        if data.get("due_before"):
            share &= Q(due__lte=data["due_before"])
        return share

    def filter_noop(self, queryset, name: str, value: str):
        return queryset  # read by filter_party

    def filter_status(self, queryset, name: str, value: list[str]):
        if self.share_party():
            return queryset  # read by filter_party
        wanted = Q()
        for status in value:
            if status == "active":
                wanted |= Q(status__in=Status.active())
            elif status == "closed":
                wanted |= Q(status__in=Status.closed())
            elif status == "overdue":
                wanted |= Q(status__in=Status.active(), deadline__lt=timezone.localdate())
            else:
                wanted |= Q(status=status)
        return queryset.filter(wanted)

    def filter_due(self, queryset, name: str, value: datetime.date):
        if self.share_party():
            return queryset  # read by filter_party
        lookup = "deadline__gte" if name == "due_after" else "deadline__lte"
        return queryset.filter(**{lookup: value})

    def filter_meeting(self, queryset, name: str, value: str):
        series, number = parse_meeting_code(value)
        return queryset.filter(meeting__series__code=series, meeting__number=number)

    def filter_overdue(self, queryset, name: str, value: bool):
        if self.share_party():
            return queryset  # read by filter_party
        overdue = Q(status__in=Status.active(), deadline__lt=timezone.localdate())
        return queryset.filter(overdue if value else ~overdue)

    def meeting_suggestions(self) -> list[str]:
        """The most recent meeting codes, suggested by the meeting field: a list of every
        meeting would grow with the register, and the field takes any code."""
        recent = Meeting.objects.select_related("series").only("number", "series__code")
        return [meeting.code for meeting in recent[:RECENT_MEETINGS]]
