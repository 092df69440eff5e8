"""Deadline extensions over REST: /api/v1/commitments/{id}/extensions/ to extend or ask for
more time, /api/v1/extensions/ to read them and decide on requests."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from actions import services
from actions.api.permissions import CommitmentWritePermission
from actions.api.share_serializers import (
    ExtensionDecisionSerializer,
    ExtensionRequestSerializer,
    ExtensionSerializer,
)
from actions.filters import PartyFilter, party_choices
from actions.models import Commitment, DeadlineExtension, ExtensionState
from otscustoms.api import ContentNegotiation, error_responses, read_only_schema
from parties.permissions import is_secretariat, user_party_id

EXTENSION_ERRORS = error_responses(400, 401, 403, 404, 415)


def visible_extensions(user):
    """The extensions ``user`` may read (as ``parties.permissions.can_see_extension`` judges
    one): every one for the Secretariat; for a delegation, those in force and its own
    party's requests and refusals."""
    extensions = DeadlineExtension.objects.select_related("party")
    if is_secretariat(user):
        return extensions
    party_id = user_party_id(user)
    own = Q(party_id=party_id) if party_id is not None else Q(pk__in=[])
    return extensions.filter(Q(state=ExtensionState.APPROVED) | own)


@extend_schema(tags=["commitments"])
class CommitmentExtensionViewSet(viewsets.GenericViewSet):
    """Extend a commitment's deadline, or ask for more time on a share."""

    content_negotiation_class = ContentNegotiation
    permission_classes = [*viewsets.GenericViewSet.permission_classes, CommitmentWritePermission]
    responsible_only_message = gettext_lazy(
        "You may ask for more time only on commitments your delegation is responsible for."
    )
    queryset = DeadlineExtension.objects.none()  # for the schema
    serializer_class = ExtensionSerializer

    @extend_schema(
        request=ExtensionRequestSerializer,
        responses={201: ExtensionSerializer, **EXTENSION_ERRORS},
        description="From the Secretariat: an extension applied at once, to the share of the "
        "`party` named or (`party` null) to the whole commitment. From a delegation: a request "
        "for more time on its own share, `pending` until the Secretariat decides "
        "(POST /api/v1/extensions/{id}/decision/). The deadline as agreed never changes; the "
        "new deadline must be later than the one in force.",
    )
    def create(self, request, *args, **kwargs):
        commitment = get_object_or_404(
            Commitment.objects.with_related(), pk=self.kwargs["commitment_pk"]
        )
        self.check_object_permissions(request, commitment)
        asked = ExtensionRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        extension = services.extension_create(
            commitment=commitment, user=request.user, **asked.validated_data
        )
        body = self.get_serializer(extension).data
        return Response(body, status=status.HTTP_201_CREATED)


class ExtensionFilter(filters.FilterSet):
    state = filters.ChoiceFilter(
        choices=ExtensionState.choices, help_text="pending, approved or refused."
    )
    party = PartyFilter(
        field_name="party__code",
        choices=party_choices,
        help_text="Code of the party whose share was extended (TR, KZ...).",
    )

    class Meta:
        model = DeadlineExtension
        fields = ["state", "party"]


@extend_schema(tags=["commitments"])
@read_only_schema(ExtensionSerializer, ExtensionSerializer)
class ExtensionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deadline extensions, oldest request first. Those in force are for everyone; a request
    and a refusal only for the Secretariat and the delegation whose share it concerns."""

    content_negotiation_class = ContentNegotiation
    serializer_class = ExtensionSerializer
    filterset_class = ExtensionFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DeadlineExtension.objects.none()
        return visible_extensions(self.request.user).order_by("requested_at", "id")

    @extend_schema(
        request=ExtensionDecisionSerializer,
        responses={200: ExtensionSerializer, **EXTENSION_ERRORS},
        description="Approve (and apply) or refuse a delegation's request. Secretariat only; "
        "the delegation is told either way. A request already decided: 400.",
    )
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        extension = self.get_object()
        if not is_secretariat(request.user):
            raise exceptions.PermissionDenied(_("Only the Secretariat decides on extensions."))
        decision = ExtensionDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        services.extension_decide(extension=extension, user=request.user, **decision.validated_data)
        return Response(self.get_serializer(extension).data)
