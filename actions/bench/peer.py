"""The peer of /api/v1/commitments/: the commitment list a Django team writes first, to time the
project's API against.

DRF's generic pieces only: a nested ``ModelSerializer`` over a queryset with
``select_related`` and a plain ``prefetch_related`` into the related managers, the API's
FilterSet and the project's pagination class, sign-in and permissions. Its JSON is the
API's, byte for byte but for the page links, which name its own path (the bench checks that
before timing it). Mounted only for the bench (``actions.bench.urls``).
"""

from __future__ import annotations

from django.utils import timezone
from rest_framework import mixins, serializers, viewsets
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from actions.filters import CommitmentFilter
from actions.models import Commitment, CommitmentParty, CommitmentSource, DeadlineExtension
from meetings.models import Decision, Meeting
from otscustoms.api import Pagination
from parties.models import Party
from parties.permissions import can_see_extension

PEER_PATH = "/bench/peer/commitments/"


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["code", "name"]


class MeetingSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail", lookup_field="code")

    class Meta:
        model = Meeting
        fields = ["code", "url"]


class DecisionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:decision-detail")

    class Meta:
        model = Decision
        fields = ["id", "number", "url"]


class SourceSerializer(serializers.ModelSerializer):
    document_key = serializers.CharField(source="document.key")
    document_type = serializers.CharField(source="document.type")
    document_title = serializers.CharField(source="document.title")

    class Meta:
        model = CommitmentSource
        fields = ["document_key", "document_type", "document_title", "paragraph", "quote"]


class ShareSerializer(serializers.ModelSerializer):
    party = serializers.CharField(source="party.code")
    deadline = serializers.DateField(source="effective_deadline")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = CommitmentParty
        fields = ["party", "status", "version", "deadline", "is_overdue", "updated_at"]

    def get_is_overdue(self, share: CommitmentParty) -> bool:
        return share.is_overdue(timezone.localdate())


class AgreedDeadlineSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="agreed_deadline")
    precision = serializers.CharField(source="agreed_precision")
    text = serializers.CharField(source="deadline_text")

    class Meta:
        model = Commitment
        fields = ["date", "precision", "text"]


class ExtensionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:extension-detail")
    party = serializers.CharField(source="party.code", allow_null=True)

    class Meta:
        model = DeadlineExtension
        fields = [
            "id",
            "url",
            "commitment",
            "party",
            "deadline",
            "previous_deadline",
            "reason",
            "state",
            "requested_at",
            "decided_at",
            "decision_note",
        ]


class CommitmentSerializer(serializers.ModelSerializer):
    meeting = MeetingSerializer(read_only=True)
    decision = DecisionSerializer(read_only=True)
    responsible = PartySerializer(many=True, read_only=True)
    partners = PartySerializer(many=True, read_only=True)
    due_meeting = MeetingSerializer(read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    agreed_deadline = AgreedDeadlineSerializer(source="*", read_only=True)
    extensions = serializers.SerializerMethodField()
    shares = ShareSerializer(many=True, read_only=True)
    is_overdue = serializers.SerializerMethodField()
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

    def get_is_overdue(self, commitment: Commitment) -> bool:
        return commitment.is_overdue(timezone.localdate())

    def get_extensions(self, commitment: Commitment) -> list[dict]:
        user = self.context["request"].user
        visible = [
            extension
            for extension in commitment.extensions.all()
            if can_see_extension(
                user, party_id=extension.party_id, approved=extension.state == "approved"
            )
        ]
        return ExtensionSerializer(visible, many=True, context=self.context).data

    def get_links(self, commitment: Commitment) -> dict[str, str]:
        request = self.context["request"]
        return {
            "api": reverse("api:commitment-detail", kwargs={"pk": commitment.pk}, request=request),
            "web": request.build_absolute_uri(commitment.get_absolute_url()),
            "updates": reverse(
                "api:commitment-updates-list",
                kwargs={"commitment_pk": commitment.pk},
                request=request,
            ),
        }


class CommitmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    # The model's default order (deadline, id) is the API's register order on PostgreSQL,
    # which puts undated rows last by itself.
    queryset = Commitment.objects.select_related(
        "meeting__series", "decision", "due_meeting__series"
    ).prefetch_related("links__party", "sources__document", "extensions__party")
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter
    pagination_class = Pagination
    # Sign-in, permissions, filter backend and renderers: the project's REST_FRAMEWORK
    # defaults, as the API's view has them (its one more permission concerns writes). Named
    # here rather than taken from that view, so that what the API does of its own to be
    # faster (a paginator of its own, say) shows in vs_peer instead of being copied.
    authentication_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    permission_classes = api_settings.DEFAULT_PERMISSION_CLASSES
    filter_backends = api_settings.DEFAULT_FILTER_BACKENDS
    renderer_classes = api_settings.DEFAULT_RENDERER_CLASSES
