"""The peer of /api/v1/commitments/: the commitment list a Django team writes first, to time the
project's API against.

DRF's generic pieces only: a nested ``ModelSerializer`` over a queryset with
``select_related`` and a plain ``prefetch_related`` into the related managers, the same
FilterSet, pagination class, authentication and permissions as the API. Its JSON is the
API's, byte for byte but for the page links, which name its own path (the bench checks that
before timing it). Mounted only for the bench (``actions.bench.urls``).
"""

from __future__ import annotations

from django.utils import timezone
from rest_framework import mixins, serializers, viewsets
from rest_framework.reverse import reverse

from actions.api.views import CommitmentViewSet as ApiViewSet
from actions.models import Commitment, CommitmentSource
from meetings.models import Decision, Meeting
from parties.models import Party

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


class CommitmentSerializer(serializers.ModelSerializer):
    meeting = MeetingSerializer(read_only=True)
    decision = DecisionSerializer(read_only=True)
    responsible = PartySerializer(many=True, read_only=True)
    partners = PartySerializer(many=True, read_only=True)
    due_meeting = MeetingSerializer(read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
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

    def get_is_overdue(self, commitment: Commitment) -> bool:
        return commitment.is_overdue(timezone.localdate())

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
    ).prefetch_related("links__party", "sources__document")
    serializer_class = CommitmentSerializer
    # The API's own sign-in, permissions, filters (CommitmentFilter), pagination
    # (otscustoms.api.Pagination) and renderers, whatever they become: only the read and the
    # serialiser differ.
    authentication_classes = ApiViewSet.authentication_classes
    permission_classes = ApiViewSet.permission_classes
    filter_backends = ApiViewSet.filter_backends
    filterset_class = ApiViewSet.filterset_class
    pagination_class = ApiViewSet.pagination_class
    renderer_classes = ApiViewSet.renderer_classes
