"""How commitments and their progress reports look over REST, and what writes accept."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from actions.api.share_serializers import (
    AgreedDeadlineSerializer,
    ExtensionSerializer,
    ShareSerializer,
)
from actions.evidence import check_evidence
from actions.evidence_access import can_download
from actions.models import Commitment, CommitmentSource, Precision, Status, StatusUpdate
from meetings.models import Decision, Meeting
from otscustoms.limits import ACTION_MAX, NOTE_MAX
from parties.api import PartyRefSerializer
from parties.models import Party


class SourceSerializer(serializers.ModelSerializer):
    document_key = serializers.CharField(source="document.key", read_only=True)
    document_type = serializers.CharField(source="document.type", read_only=True)
    document_title = serializers.CharField(source="document.title", read_only=True)

    class Meta:
        model = CommitmentSource
        fields = ["document_key", "document_type", "document_title", "paragraph", "quote"]


class DecisionRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:decision-detail")

    class Meta:
        model = Decision
        fields = ["id", "number", "url"]


class MeetingCodeSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, help_text="e.g. HCA-9")
    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail", lookup_field="code")

    class Meta:
        model = Meeting
        fields = ["code", "url"]


class LinksSerializer(serializers.Serializer):
    api = serializers.URLField(help_text="This commitment in the API.")
    web = serializers.URLField(help_text="This commitment's page in the browser.")
    updates = serializers.URLField(help_text="Its progress reports and status changes.")


class CommitmentSerializer(serializers.ModelSerializer):
    """One obligation, read from the rows ``Commitment.objects.with_related()`` fetches."""

    meeting = MeetingCodeSerializer(read_only=True, help_text="Where it was agreed.")
    decision = DecisionRefSerializer(read_only=True, allow_null=True)
    responsible = PartyRefSerializer(many=True, read_only=True)
    partners = PartyRefSerializer(many=True, read_only=True)
    due_meeting = MeetingCodeSerializer(
        read_only=True, allow_null=True, help_text="Due at this meeting (precision 'event')."
    )
    # The prefetched list itself: through the cited_sources() method DRF would inspect the
    # method's signature for every row.
    sources = SourceSerializer(source="source_list", many=True, read_only=True)
    is_overdue = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        read_only=True, help_text="Send it back with a change (or as If-Match: its ETag)."
    )
    status = serializers.ChoiceField(
        choices=Status.choices,
        read_only=True,
        help_text="Derived from the shares (done when every share is done or waived), unless "
        "the Secretariat cancelled or superseded the whole commitment.",
    )
    deadline = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The effective deadline of the whole commitment: the agreed one, or the "
        "latest extension of it. A share may have its own (see `shares`).",
    )
    agreed_deadline = AgreedDeadlineSerializer(
        source="*", read_only=True, help_text="The deadline as the meeting agreed it."
    )
    shares = ShareSerializer(
        many=True,
        read_only=True,
        help_text="Each responsible party's share, with its own status, version and deadline.",
    )
    extensions = ExtensionSerializer(
        many=True,
        read_only=True,
        help_text="Extensions in force, oldest first; requests and refusals too, for the "
        "Secretariat and the delegation whose share they concern.",
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
            "agreed_deadline",
            "extensions",
            "due_event",
            "due_meeting",
            "meeting",
            "decision",
            "sources",
            "status",
            "shares",
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
        request, pk = self.context["request"], {"pk": commitment.pk}
        return {
            "api": reverse("api:commitment-detail", kwargs=pk, request=request),
            "web": request.build_absolute_uri(commitment.get_absolute_url()),
            "updates": reverse(
                "api:commitment-updates-list",
                kwargs={"commitment_pk": commitment.pk},
                request=request,
            ),
        }


class StatusUpdateSerializer(serializers.ModelSerializer):
    """One update. ``context["commitment"]``, when given, is the updates' commitment read
    with its party links, so that judging who may download costs no query per row."""

    author = serializers.CharField(source="author.get_username", read_only=True)
    party = serializers.CharField(source="party.code", read_only=True, allow_null=True)
    attachment = serializers.SerializerMethodField(
        help_text="Download link of the evidence; null when there is none or when you may "
        "not open it (evidence is for the Secretariat and the responsible parties, unless "
        "shared)."
    )
    shared = serializers.BooleanField(
        read_only=True, help_text="The Secretariat shared the evidence with all delegations."
    )

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "kind",
            "old_status",
            "new_status",
            "note",
            "attachment",
            "shared",
            "author",
            "party",
            "review_state",
            "created_at",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_attachment(self, update: StatusUpdate) -> str | None:
        request = self.context["request"]
        commitment = self.context.get("commitment") or update.commitment
        if not can_download(request.user, commitment, update):
            return None
        return reverse("actions:report-attachment", kwargs={"pk": update.pk}, request=request)


class EvidenceShareSerializer(serializers.Serializer):
    shared = serializers.BooleanField(
        help_text="true: every delegation (guests excepted) may download the evidence; false: "
        "only the Secretariat and the parties responsible for the commitment."
    )


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
        required=False, allow_blank=True, max_length=NOTE_MAX, help_text="What was done."
    )
    attachment = serializers.FileField(
        required=False,
        allow_empty_file=False,
        help_text=f"Evidence, up to {settings.MAX_UPLOAD_MB} MB: PDF, Word, Excel, PowerPoint "
        "(also .doc, .xls, .ppt), OpenDocument, PNG, JPEG, GIF, WebP, plain UTF-8 text or ZIP, "
        "judged by the content, not the name.",
    )
    status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        help_text="Move the commitment along with the report (default: in progress).",
    )
    version = VersionField()

    def validate_attachment(self, value):
        check_evidence(value)
        return value


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX, default="")
    version = VersionField()


def _model_max(field: str) -> int:
    """The length the model allows, so the API refuses exactly what the web form refuses."""
    return Commitment._meta.get_field(field).max_length


class CommitmentEditSerializer(serializers.Serializer):
    """What the Secretariat may change on a commitment (PATCH: send only what changes)."""

    action = serializers.CharField(required=False, max_length=ACTION_MAX)
    responsible_text = serializers.CharField(
        required=False, allow_blank=True, max_length=_model_max("responsible_text")
    )
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
    deadline_text = serializers.CharField(
        required=False, allow_blank=True, max_length=_model_max("deadline_text")
    )
    due_event = serializers.CharField(
        required=False, allow_blank=True, max_length=_model_max("due_event")
    )
    due_meeting = serializers.CharField(
        required=False, allow_null=True, help_text="Code of the meeting it is due at, e.g. HCA-10."
    )
    reference = serializers.CharField(
        required=False, allow_blank=True, max_length=_model_max("reference")
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX,
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
