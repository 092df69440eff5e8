"""How commitments and their progress reports look over REST, and what writes accept."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actions.models import (
    Commitment,
    CommitmentSource,
    Precision,
    Role,
    Status,
    StatusUpdate,
    is_overdue,
)
from meetings.models import Meeting
from otscustoms.api import meeting_url, pk_url, request_timestamp_field
from otscustoms.urls_many import reverse_for_pks
from parties.api import PartyRefSerializer
from parties.models import Party


class SourceSerializer(serializers.ModelSerializer):
    document_key = serializers.CharField(source="document.key", read_only=True)
    document_type = serializers.CharField(source="document.type", read_only=True)
    document_title = serializers.CharField(source="document.title", read_only=True)

    class Meta:
        model = CommitmentSource
        fields = ["document_key", "document_type", "document_title", "paragraph", "quote"]


class DecisionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:decision-detail", read_only=True)


class MeetingCodeSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="e.g. HCA-9")
    url = serializers.HyperlinkedIdentityField(
        view_name="api:meeting-detail", lookup_field="code", read_only=True
    )


class LinksSerializer(serializers.Serializer):
    api = serializers.URLField(help_text="This commitment in the API.")
    web = serializers.URLField(help_text="This commitment's page in the browser.")
    updates = serializers.URLField(help_text="Its progress reports and status changes.")


class CommitmentSerializer(serializers.ModelSerializer):
    """One obligation. Every field is read from the rows ``with_related()`` fetches."""

    meeting = MeetingCodeSerializer(read_only=True, help_text="Where it was agreed.")
    decision = DecisionRefSerializer(read_only=True, allow_null=True)
    responsible = PartyRefSerializer(many=True, read_only=True)
    partners = PartyRefSerializer(many=True, read_only=True)
    due_meeting = MeetingCodeSerializer(
        read_only=True, allow_null=True, help_text="Due at this meeting (precision 'event')."
    )
    sources = SourceSerializer(many=True, read_only=True)
    is_overdue = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back with a change (or as If-Match: its ETag)."
    )
    links = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [
            "id",
            "reference",
            "action",
            "responsible_text",
            "responsible",
            "partners",
            "deadline",
            "deadline_precision",
            "deadline_text",
            "due_event",
            "due_meeting",
            "meeting",
            "decision",
            "sources",
            "status",
            "is_overdue",
            "version",
            "created_at",
            "updated_at",
            "links",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, commitment: Commitment) -> bool:
        return commitment.is_overdue(self.context.get("today"))

    @extend_schema_field(LinksSerializer)
    def get_links(self, commitment: Commitment) -> dict[str, str]:
        urls = self._urls()
        return {
            "api": urls.commitment(commitment.pk),
            "web": urls.web(commitment.pk),
            "updates": urls.updates(commitment.pk),
        }

    def _urls(self) -> RowUrls:
        # The list serializer reuses one child for every row: reverse once per request.
        if getattr(self, "_row_urls", None) is None:
            self._row_urls = RowUrls(self.context["request"])
        return self._row_urls

    def _timestamp(self) -> serializers.DateTimeField:
        # created_at and updated_at as the ModelSerializer's DateTimeFields give them, with
        # the time zone looked up once per request instead of twice per row (0.4 ms a page).
        if getattr(self, "_timestamp_field", None) is None:
            self._timestamp_field = request_timestamp_field()
        return self._timestamp_field

    def to_representation(self, row: dict) -> dict:
        """A row of ``Commitment.objects.rows()`` completed by ``with_row_details()``, as the
        declared fields describe it (the schema is read from them), built by hand: DRF's
        field-by-field walk with nested serializers for the meeting, decision, parties and
        sources cost three times the SQL of a page of 50 (issue 8). tests/test_api_read.py
        checks it against DRF's generic walk over the model."""
        urls, timestamp = self._urls(), self._timestamp()
        pk = row["id"]
        decision_id = row["decision_id"]
        return {
            "id": pk,
            "reference": row["reference"],
            "action": row["action"],
            "responsible_text": row["responsible_text"],
            "responsible": [
                {"code": link["code"], "name": link["name"]}
                for link in row["party_rows"]
                if link["role"] == Role.RESPONSIBLE
            ],
            "partners": [
                {"code": link["code"], "name": link["name"]}
                for link in row["party_rows"]
                if link["role"] == Role.PARTNER
            ],
            "deadline": row["deadline"].isoformat() if row["deadline"] else None,
            "deadline_precision": row["deadline_precision"],
            "deadline_text": row["deadline_text"],
            "due_event": row["due_event"],
            "due_meeting": urls.meeting_ref(row["due_meeting_code"]),
            "meeting": urls.meeting_ref(row["meeting_code"]),
            "decision": (
                None
                if decision_id is None
                else {
                    "id": decision_id,
                    "number": row["decision_number"],
                    "url": urls.decision(decision_id),
                }
            ),
            "sources": [
                {
                    "document_key": source["document_key"],
                    "document_type": source["document_type"],
                    "document_title": source["document_title"],
                    "paragraph": source["paragraph"],
                    "quote": source["quote"],
                }
                for source in row["source_rows"]
            ],
            "status": row["status"],
            "is_overdue": is_overdue(row["status"], row["deadline"], self.context["today"]),
            "version": row["version"],
            "created_at": timestamp.to_representation(row["created_at"]),
            "updated_at": timestamp.to_representation(row["updated_at"]),
            "links": {
                "api": urls.commitment(pk),
                "web": urls.web(pk),
                "updates": urls.updates(pk),
            },
        }


class RowUrls:
    """The absolute URLs of a commitment row, each kind reversed once per request (see
    ``otscustoms.urls_many``): ~250 reverse() and build_absolute_uri() calls per page of 50
    cost more than the page's SQL (issue 8)."""

    def __init__(self, request):
        absolute = request.build_absolute_uri
        self.commitment = reverse_for_pks("api:commitment-detail", absolute=absolute)
        self.web = reverse_for_pks("actions:commitment-detail", absolute=absolute)
        self.updates = reverse_for_pks("api:commitment-updates-list", absolute=absolute)
        # The nested refs were DRF hyperlinked fields: rest_framework's reverse(), which also
        # keeps a ?format= override of the request.
        self.decision = pk_url(request, "api:decision-detail")
        self._meeting = meeting_url(request)

    def meeting_ref(self, code: str | None) -> dict | None:
        if code is None:
            return None
        return {"code": code, "url": self._meeting(code)}


class StatusUpdateSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username", read_only=True)
    party = serializers.CharField(source="party.code", read_only=True, allow_null=True)
    attachment = serializers.FileField(read_only=True, allow_null=True, use_url=True)

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "kind",
            "old_status",
            "new_status",
            "note",
            "attachment",
            "author",
            "party",
            "review_state",
            "created_at",
        ]


class VersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "help_text",
            "The version you read. If the commitment changed since, nothing is saved and the "
            "answer is 409. An If-Match header with the ETag does the same (412).",
        )
        super().__init__(**kwargs)


class ProgressReportSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=10000, help_text="What was done."
    )
    attachment = serializers.FileField(
        required=False,
        allow_empty_file=False,
        help_text=f"Evidence, up to {settings.MAX_UPLOAD_MB} MB.",
    )
    status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        help_text="Move the commitment along with the report (default: in progress).",
    )
    version = VersionField()

    def validate_attachment(self, value):
        if value.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise serializers.ValidationError(f"Attach at most {settings.MAX_UPLOAD_MB} MB.")
        return value


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    version = VersionField()


class CommitmentEditSerializer(serializers.Serializer):
    """What the Secretariat may change on a commitment (PATCH: send only what changes)."""

    action = serializers.CharField(required=False, max_length=10000)
    responsible_text = serializers.CharField(required=False, allow_blank=True, max_length=300)
    responsible = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Party.objects.all(),
        many=True,
        required=False,
        help_text="Codes of the responsible parties.",
    )
    partners = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Party.objects.all(),
        many=True,
        required=False,
        help_text="Codes of the partner parties.",
    )
    deadline = serializers.DateField(required=False, allow_null=True)
    deadline_precision = serializers.ChoiceField(
        choices=Precision.choices, required=False, allow_blank=True
    )
    deadline_text = serializers.CharField(required=False, allow_blank=True, max_length=200)
    due_event = serializers.CharField(required=False, allow_blank=True, max_length=200)
    due_meeting = serializers.CharField(
        required=False, allow_null=True, help_text="Code of the meeting it is due at, e.g. HCA-10."
    )
    reference = serializers.CharField(required=False, allow_blank=True, max_length=40)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10000,
        default="",
        help_text="Why, recorded when the deadline moves.",
    )
    version = VersionField()

    def validate_due_meeting(self, value: str | None) -> Meeting | None:
        if not value:
            return None
        try:
            return Meeting.objects.select_related("series").by_code(value)
        except (Meeting.DoesNotExist, ValueError) as exc:
            raise serializers.ValidationError(f"No meeting {value!r}.") from exc
