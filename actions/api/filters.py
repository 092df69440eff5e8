"""The whitelisted filters and orderings of commitment lists (API, CSV export, feeds)."""

from __future__ import annotations

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError

from actions.models import Commitment, CommitmentParty, Precision, Role, Status
from parties.models import Party


def meeting_code_parts(value: str, *, field: str) -> tuple[str, int]:
    series, _sep, number = value.strip().rpartition("-")
    if not series or not number.isdigit():
        raise ValidationError({field: [f"{value!r} is not a meeting code like HCA-9."]})
    return series.upper(), int(number)


class MeetingOrdering(filters.OrderingFilter):
    """`meeting` sorts by the meeting's date, then series and number; `party` by the first
    responsible party in the OTS order. Both fall back to the deadline for a stable order."""

    EXPANSIONS = {
        "meeting": ["meeting__start_date", "meeting__series__code", "meeting__number"],
        "party": ["first_party_order", "first_party_code"],
    }

    def get_ordering_value(self, param: str):
        descending = param.startswith("-")
        name = param.lstrip("-")
        if name in self.EXPANSIONS:
            return [
                F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
                for field in self.EXPANSIONS[name]
            ]
        value = super().get_ordering_value(param)
        field = value.lstrip("-")
        return F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        ordering = []
        if any(param.lstrip("-") == "party" for param in value):
            qs = with_party_sort(qs)  # two subqueries per row: only when sorting by party
        for param in value:
            expanded = self.get_ordering_value(param)
            ordering.extend(expanded if isinstance(expanded, list) else [expanded])
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
    party = filters.CharFilter(
        method="filter_party",
        help_text="Party code (TR, KZ, OTS...): commitments it is responsible for or a partner in.",
    )
    role = filters.ChoiceFilter(
        method="filter_noop",
        choices=Role.choices,
        help_text="With `party`: only where the party has this role.",
    )
    # distinct=False: both filter a column of the commitment itself, so no join can repeat a
    # row, and django-filter's default SELECT DISTINCT over every column (and COUNT over that)
    # cost the filtered list a third of its time at 100,000 commitments (issue 8).
    status = filters.MultipleChoiceFilter(
        distinct=False,
        choices=Status.choices,
        help_text="One or several statuses (repeat the parameter).",
    )
    meeting = filters.CharFilter(
        method="filter_meeting", help_text="Code of the meeting that agreed it, e.g. HCA-9."
    )
    series = filters.CharFilter(
        field_name="meeting__series__code",
        lookup_expr="iexact",
        help_text="Code of the meeting series, e.g. HCA or WG.",
    )
    due_before = filters.DateFilter(
        field_name="deadline", lookup_expr="lte", help_text="Deadline on or before this date."
    )
    due_after = filters.DateFilter(
        field_name="deadline", lookup_expr="gte", help_text="Deadline on or after this date."
    )
    overdue = filters.BooleanFilter(
        method="filter_overdue",
        help_text="true: still active and past the deadline (today in the server's time zone); "
        "false: everything else.",
    )
    precision = filters.MultipleChoiceFilter(
        distinct=False,
        field_name="deadline_precision",
        choices=Precision.choices,
        help_text="Precision of the deadline: day, month, quarter, half (year), year or event.",
    )
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Changed at or after this ISO 8601 time: for clients that sync.",
    )
    search = filters.CharFilter(
        field_name="action", lookup_expr="icontains", help_text="Words in the action text."
    )
    ordering = MeetingOrdering(
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

    def filter_party(self, queryset, name, value):
        code = value.strip().upper()
        if not Party.objects.filter(code=code).exists():
            raise ValidationError({"party": [f"No party with the code {value!r}."]})
        return queryset.for_party(code, role=self.form.cleaned_data.get("role") or None)

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_party

    def filter_meeting(self, queryset, name, value):
        series, number = meeting_code_parts(value, field="meeting")
        return queryset.filter(meeting__series__code=series, meeting__number=number)

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = queryset.overdue(today)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))
