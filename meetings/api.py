"""/api/v1/meetings/, /decisions/ and /documents/: what was agreed, where it is written."""

from __future__ import annotations

from django import forms
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from meetings.models import AgendaItem, Decision, Document, Meeting, Participant
from otscustoms.api import ContentNegotiation, read_only_schema
from otscustoms.converters import MEETING_CODE
from parties.api import PartyRefSerializer


class MeetingRefSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, help_text="Series and number, e.g. HCA-9.")
    url = serializers.HyperlinkedIdentityField(
        view_name="api:meeting-detail", lookup_field="code", read_only=True
    )

    class Meta:
        model = Meeting
        fields = ["code", "url"]


class MeetingSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, help_text="Series and number, e.g. HCA-9.")
    name = serializers.CharField(source="display_name", read_only=True)
    series = serializers.CharField(source="series.code", read_only=True)
    host = PartyRefSerializer(read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:meeting-detail", lookup_field="code", read_only=True
    )
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "code",
            "name",
            "series",
            "number",
            "title",
            "start_date",
            "end_date",
            "date_text",
            "year",
            "city",
            "host",
            "status",
            "updated_at",
            "url",
            "web_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, meeting: Meeting) -> str:
        return self.context["request"].build_absolute_uri(meeting.get_absolute_url())


class AgendaItemSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(
        source="parent.number", read_only=True, allow_null=True, help_text="Number of the item."
    )

    class Meta:
        model = AgendaItem
        fields = ["number", "title", "parent", "order"]


class ParticipantSerializer(serializers.ModelSerializer):
    party = serializers.CharField(source="party.code", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Participant
        fields = ["party", "name", "honorific", "title", "organisation", "order", "is_head"]


class DecisionSerializer(serializers.ModelSerializer):
    meeting = serializers.CharField(source="meeting.code", read_only=True)
    agenda_item = serializers.CharField(
        source="agenda_item.number", read_only=True, allow_null=True
    )
    document = serializers.CharField(
        source="document.key", read_only=True, allow_null=True, help_text="Key of the document."
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:decision-detail", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "meeting", "number", "text", "agenda_item", "document", "url"]


class DocumentSerializer(serializers.ModelSerializer):
    meeting = serializers.CharField(source="meeting.code", read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:document-detail", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "meeting",
            "key",
            "type",
            "title",
            "reference",
            "date",
            "place",
            "annex",
            "order",
            "url",
        ]


class DocumentDetailSerializer(DocumentSerializer):
    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "addressees", "signatories", "text"]


class MeetingDetailSerializer(MeetingSerializer):
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "agenda",
            "participants",
            "decisions",
            "documents",
        ]


def detail_prefetches() -> list[Prefetch]:
    """What MeetingDetailSerializer nests, each list in its order within the one meeting (the
    models' orderings start with the meeting, which would join it and its series). The nested
    rows' meeting is the meeting itself, set by the prefetch."""
    return [
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.select_related("parent").order_by("order", "id"),
        ),
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related("party", "person").order_by(
                "party__order", "order", "id"
            ),
        ),
        # Of a decision's document only the key: not its full text on every decision's row.
        Prefetch(
            "decisions",
            queryset=Decision.objects.select_related("agenda_item", "document")
            .only("meeting", "number", "text", "agenda_item__number", "document__key")
            .order_by("number", "id"),
        ),
        # Not a document's text, addressees or signatories, which only its own detail shows.
        Prefetch(
            "documents",
            queryset=Document.objects.only(
                "meeting", "key", "type", "title", "reference", "date", "place", "annex", "order"
            ).order_by("order", "id"),
        ),
    ]


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class MeetingFilter(filters.FilterSet):
    series = filters.CharFilter(
        field_name="series__code", lookup_expr="iexact", help_text="Series code, e.g. HCA or WG."
    )
    year = YearFilter(
        method="filter_year",
        min_value=1900,
        max_value=2999,
        help_text="Meetings held (or planned) in this year.",
    )

    class Meta:
        model = Meeting
        fields = ["series", "status", "year"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_date__year=value) | queryset.filter(
            start_date__isnull=True, year=value
        )


@read_only_schema(MeetingSerializer, MeetingDetailSerializer)
class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Meetings, newest first. The detail view (by code, e.g. HCA-9) nests the agenda, the
    list of participants, the decisions and the documents."""

    content_negotiation_class = ContentNegotiation
    lookup_field = "code"
    lookup_value_regex = MEETING_CODE
    filterset_class = MeetingFilter

    def get_queryset(self):
        meetings = Meeting.objects.select_related("series", "host")
        if self.action == "retrieve":
            meetings = meetings.prefetch_related(*detail_prefetches())
        return meetings

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    def get_object(self):
        try:
            meeting = self.get_queryset().by_code(self.kwargs["code"])
        except (Meeting.DoesNotExist, ValueError) as exc:
            raise Http404(f"No meeting {self.kwargs['code']}.") from exc
        self.check_object_permissions(self.request, meeting)
        return meeting


class DecisionFilter(filters.FilterSet):
    meeting = filters.CharFilter(method="filter_meeting", help_text="Meeting code, e.g. HCA-9.")

    class Meta:
        model = Decision
        fields = ["meeting"]

    def filter_meeting(self, queryset, name, value):
        try:
            meetings = Meeting.objects.filter_code(value)
        except ValueError as exc:
            raise serializers.ValidationError(
                {name: [_("%(value)s is not a meeting code like HCA-9.") % {"value": value}]}
            ) from exc
        return queryset.filter(meeting__in=meetings)


@read_only_schema(DecisionSerializer, DecisionSerializer)
class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Numbered decisions of the minutes, with their full text."""

    queryset = Decision.objects.select_related("meeting__series", "agenda_item", "document")
    content_negotiation_class = ContentNegotiation
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter


class DocumentFilter(DecisionFilter):
    class Meta:
        model = Document
        fields = ["meeting", "type"]


@read_only_schema(DocumentSerializer, DocumentDetailSerializer)
class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Documents of the meetings (minutes, protocol, agenda, participants, notes verbales).
    The list leaves out the full text; the detail has it."""

    content_negotiation_class = ContentNegotiation
    queryset = Document.objects.select_related("meeting__series")
    filterset_class = DocumentFilter

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer
