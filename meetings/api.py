"""/api/v1/meetings/, /decisions/ and /documents/: what was agreed, where it is written."""

from __future__ import annotations

import json

from django import forms
from django.db import connection
from django.db.models import Prefetch
from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from meetings.models import (
    AgendaItem,
    Decision,
    Document,
    Meeting,
    Participant,
    meeting_code,
    meeting_display_name,
)
from otscustoms.api import meeting_url, pk_url, request_timestamp_field
from otscustoms.urls_many import reverse_for_codes
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


# A meeting with everything its detail nests, in one statement: the nested lists are JSON
# built by PostgreSQL, in the fields and order of the nested serializers (and the models'
# orderings, id last). The same through the ORM (prefetches and model instances, or
# JSONObject subqueries) cost 6-14 ms to build and compile; this ~1 ms (issue 8). Single
# values of other rows (a parent's number, a document's key) are scalar subqueries rather
# than joins: half the planning time.
MEETING_DETAIL_SQL = """
SELECT m.number, m.title, m.start_date, m.end_date, m.date_text, m.year, m.city, m.status,
       m.updated_at, s.code AS series_code, s.name AS series_name,
       h.code AS host_code, h.name AS host_name,
       (SELECT json_agg(json_build_object(
                 'number', a.number, 'title', a.title,
                 'parent', (SELECT parent.number FROM meetings_agendaitem parent
                             WHERE parent.id = a.parent_id),
                 'order', a."order") ORDER BY a."order", a.id)
          FROM meetings_agendaitem a
         WHERE a.meeting_id = m.id)::text AS agenda,
       (SELECT json_agg(json_build_object(
                 'party', party.code, 'name', person.name, 'honorific', pa.honorific,
                 'title', pa.title, 'organisation', pa.organisation, 'order', pa."order",
                 'is_head', pa.is_head) ORDER BY party."order", pa."order", pa.id)
          FROM meetings_participant pa
          JOIN parties_party party ON party.id = pa.party_id
          JOIN parties_person person ON person.id = pa.person_id
         WHERE pa.meeting_id = m.id)::text AS participants,
       (SELECT json_agg(json_build_object(
                 'id', d.id, 'meeting', s.code || '-' || m.number, 'number', d.number,
                 'text', d.text,
                 'agenda_item', (SELECT a.number FROM meetings_agendaitem a
                                  WHERE a.id = d.agenda_item_id),
                 'document', (SELECT doc.key FROM meetings_document doc
                               WHERE doc.id = d.document_id))
                 ORDER BY d.number, d.id)
          FROM meetings_decision d
         WHERE d.meeting_id = m.id)::text AS decisions,
       (SELECT json_agg(json_build_object(
                 'id', doc.id, 'meeting', s.code || '-' || m.number, 'key', doc.key,
                 'type', doc.type, 'title', doc.title, 'reference', doc.reference, 'date', doc.date,
                 'place', doc.place, 'annex', doc.annex, 'order', doc."order")
                 ORDER BY doc."order", doc.id)
          FROM meetings_document doc
         WHERE doc.meeting_id = m.id)::text AS documents
  FROM meetings_meeting m
  JOIN meetings_meetingseries s ON s.id = m.series_id
  LEFT JOIN parties_party h ON h.id = m.host_id
 WHERE s.code = %(series)s AND m.number = %(number)s"""


def meeting_detail_row(code: str) -> dict:
    """The meeting HCA-9 as a dict of its columns, its series and host, and its agenda,
    participants, decisions and documents as lists of dicts. Meeting.DoesNotExist if none."""
    series, _sep, number = code.rpartition("-")
    series, number = series.upper(), int(number)  # as Meeting.objects.by_code()
    with connection.cursor() as cursor:
        cursor.execute(MEETING_DETAIL_SQL, {"series": series, "number": number})
        found = cursor.fetchone()
        if found is None:
            raise Meeting.DoesNotExist(f"No meeting {code}.")
        row = dict(zip([column.name for column in cursor.description], found, strict=True))
    for nested in ("agenda", "participants", "decisions", "documents"):
        row[nested] = json.loads(row[nested]) if row[nested] else []
    return row


def meeting_detail_answer(row: dict, request) -> dict:
    """A ``meeting_detail_row()`` as MeetingDetailSerializer gives the meeting (the schema
    is read from its declared fields), built by hand like the commitment rows (issue 8);
    tests/test_api_read.py checks it against DRF's generic walk over the model."""
    code = meeting_code(row["series_code"], row["number"])
    decision_url = pk_url(request, "api:decision-detail")
    document_url = pk_url(request, "api:document-detail")
    web_url = reverse_for_codes("meetings:detail", absolute=request.build_absolute_uri)
    return {
        "code": code,
        "name": meeting_display_name(row["series_name"], row["number"]),
        "series": row["series_code"],
        "number": row["number"],
        "title": row["title"],
        "start_date": row["start_date"].isoformat() if row["start_date"] else None,
        "end_date": row["end_date"].isoformat() if row["end_date"] else None,
        "date_text": row["date_text"],
        "year": row["year"],
        "city": row["city"],
        "host": (
            None
            if row["host_code"] is None
            else {"code": row["host_code"], "name": row["host_name"]}
        ),
        "status": row["status"],
        "updated_at": request_timestamp_field().to_representation(row["updated_at"]),
        "url": meeting_url(request)(code),
        "web_url": web_url(code),
        "agenda": row["agenda"],
        "participants": row["participants"],
        "decisions": [
            {**decision, "url": decision_url(decision["id"])} for decision in row["decisions"]
        ],
        "documents": [
            {**document, "url": document_url(document["id"])} for document in row["documents"]
        ],
    }


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


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Meetings, newest first. The detail view (by code, e.g. HCA-9) nests the agenda, the
    list of participants, the decisions and the documents."""

    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9]+-[0-9]+"
    filterset_class = MeetingFilter

    def get_queryset(self):
        qs = Meeting.objects.select_related("series", "host")
        if self.action == "retrieve":  # on databases other than PostgreSQL, see retrieve()
            qs = qs.prefetch_related(
                Prefetch("agenda_items", AgendaItem.objects.select_related("parent")),
                Prefetch("participants", Participant.objects.select_related("party", "person")),
                Prefetch(
                    "decisions",
                    Decision.objects.select_related("meeting__series", "agenda_item", "document"),
                ),
                Prefetch("documents", Document.objects.select_related("meeting__series")),
            )
        return qs

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    def get_object(self):
        try:
            meeting = self.get_queryset().by_code(self.kwargs["code"])
        except (Meeting.DoesNotExist, ValueError) as exc:
            raise Http404(f"No meeting {self.kwargs['code']}.") from exc
        self.check_object_permissions(self.request, meeting)
        return meeting

    def retrieve(self, request, *args, **kwargs):
        if connection.vendor != "postgresql":  # SQLite (make run): the nested serializers
            return super().retrieve(request, *args, **kwargs)
        # One statement for the meeting and all it nests (meeting_detail_row). Meetings have
        # no object-level permission: reading is open to anyone signed in.
        try:
            row = meeting_detail_row(self.kwargs["code"])
        except (Meeting.DoesNotExist, ValueError) as exc:
            raise Http404(f"No meeting {self.kwargs['code']}.") from exc
        return Response(meeting_detail_answer(row, request))


class DecisionFilter(filters.FilterSet):
    meeting = filters.CharFilter(method="filter_meeting", help_text="Meeting code, e.g. HCA-9.")

    class Meta:
        model = Decision
        fields = ["meeting"]

    def filter_meeting(self, queryset, name, value):
        series, _sep, number = value.rpartition("-")
        if not number.isdigit():
            raise serializers.ValidationError({"meeting": f"{value!r} is not a code like HCA-9."})
        return queryset.filter(meeting__series__code=series.upper(), meeting__number=int(number))


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Numbered decisions of the minutes, with their full text."""

    queryset = Decision.objects.select_related("meeting__series", "agenda_item", "document")
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter


class DocumentFilter(DecisionFilter):
    class Meta:
        model = Document
        fields = ["meeting", "type"]


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Documents of the meetings (minutes, protocol, agenda, participants, notes verbales).
    The list leaves out the full text; the detail has it."""

    queryset = Document.objects.select_related("meeting__series")
    filterset_class = DocumentFilter

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer
