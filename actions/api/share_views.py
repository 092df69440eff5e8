"""/api/v1/commitments/{id}/shares/{code}/: one responsible party's share of a commitment, its
status and its progress reports."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status, viewsets
from rest_framework.response import Response

from actions import services
from actions.api.permissions import CommitmentWritePermission, require_share_access
from actions.api.serializers import CommitmentSerializer, StatusUpdateSerializer
from actions.api.share_serializers import (
    ShareReportSerializer,
    ShareSerializer,
    ShareStatusChangeSerializer,
)
from actions.api.views import (
    IDEMPOTENCY_KEY,
    WRITE_ERRORS,
    CommitmentUpdateViewSet,
    commitment_answer,
    etag,
    expected_version,
    idempotency_key,
)
from actions.models import Commitment, CommitmentParty
from otscustoms.api import ContentNegotiation, StaleVersion, error_responses
from otscustoms.concurrency import StaleVersionError
from otscustoms.converters import PARTY_CODE
from otscustoms.idempotency import KeyReused
from parties.models import Party

PARTY = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=f"^{PARTY_CODE}$",
    description="Code of a party responsible for the commitment, e.g. TR (any case).",
)
SHARE_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The share's ETag, as GET of the share answers it. If the share changed "
    "since, nothing is saved: 412.",
)


class StaleShare(StaleVersion):
    """The share changed since the client read it."""

    def __init__(self, error: StaleVersionError, share: CommitmentParty, status_code: int):
        super().__init__(error, status_code=status_code)
        self.detail = exceptions.ErrorDetail(
            _(
                "%(party)s's share was changed by someone else (you sent version %(expected)s, "
                "it is now at version %(current)s). Read it again, then apply your change."
            )
            % {"party": share.party.name, "expected": error.expected, "current": error.current},
            code=self.default_code,
        )


class ShareLookup:
    """The share of the party the URL's code names (404), of the commitment the view's
    ``get_commitment()`` reads (404, then 403 for a write by a delegation that has no share
    of it)."""

    def get_share(self) -> CommitmentParty:
        if not hasattr(self, "_share"):
            commitment = self.get_commitment()
            code = self.kwargs["code"].upper()
            share = next((s for s in commitment.shares if s.party.code == code), None)
            if share is None:
                if not Party.objects.filter(code=code).exists():
                    raise exceptions.NotFound(_("No party %(code)s.") % {"code": code})
                raise exceptions.NotFound(
                    _("%(code)s has no share of this commitment: it is not responsible for it.")
                    % {"code": code}
                )
            self._share = share
        return self._share

    def writable_share(self) -> CommitmentParty:
        """The share, if the user may act on it: 403 with the reason before the body is read."""
        share = self.get_share()
        require_share_access(self.request.user, share)
        return share

    def call_on_share(self, service, share: CommitmentParty, stale_status: int, **kwargs):
        try:
            return service(**kwargs)
        except StaleVersionError as exc:
            raise StaleShare(exc, share, stale_status) from exc


@extend_schema(tags=["commitments"], parameters=[PARTY])
class ShareViewSet(ShareLookup, viewsets.GenericViewSet):
    """One party's share of a commitment: its status, version and deadline."""

    content_negotiation_class = ContentNegotiation
    permission_classes = [*viewsets.GenericViewSet.permission_classes, CommitmentWritePermission]
    responsible_only_message = gettext_lazy(
        "You may change the status only of shares of commitments your delegation is "
        "responsible for."
    )
    queryset = CommitmentParty.objects.none()  # for the schema; get_share() reads it
    serializer_class = ShareSerializer
    pagination_class = None
    filter_backends: list = []

    def get_commitment(self) -> Commitment:
        if not hasattr(self, "_commitment"):
            self._commitment = get_object_or_404(
                Commitment.objects.with_related(), pk=self.kwargs["commitment_pk"]
            )
            self.check_object_permissions(self.request, self._commitment)
        return self._commitment

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(
        responses={200: ShareSerializer, **error_responses(401, 404)},
        description="The share, with its version as ETag: send it back as If-Match (or as "
        "`version`) with a change of this share.",
    )
    def retrieve(self, request, *args, **kwargs):
        share = self.get_share()
        data = self.get_serializer(share).data
        return Response(data, headers={"ETag": etag(share.version)})

    @extend_schema(
        request=ShareStatusChangeSerializer,
        parameters=[SHARE_IF_MATCH],
        responses={200: CommitmentSerializer, **WRITE_ERRORS},
        description="Move one party's share to another status; the commitment's status "
        "follows from its shares. A delegation moves only its own share (open → in progress "
        "→ submitted, and back from submitted); the Secretariat any share, to any status of "
        "the share's machine (done, waived, reopened). Send the share's `version` (409 if "
        "stale) or If-Match with its ETag (412). Answers the commitment as it is now.",
    )
    def change_status(self, request, *args, **kwargs):
        commitment = self.get_commitment()
        share = self.writable_share()
        change = ShareStatusChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        version, stale_status = expected_version(request, change.validated_data.get("version"))
        self.call_on_share(
            services.share_update_status,
            share,
            stale_status,
            commitment=commitment,
            party=share.party_id,
            user=request.user,
            status=change.validated_data["status"],
            note=change.validated_data["note"],
            expected_version=version,
        )
        return commitment_answer(request, commitment)


@extend_schema(tags=["commitments"], parameters=[PARTY])
@extend_schema_view(
    list=extend_schema(
        responses={200: StatusUpdateSerializer, **error_responses(400, 401, 404)},
        description="The progress reports, reviews, status and deadline changes of one "
        "party's share, newest first.",
    )
)
class ShareUpdateViewSet(ShareLookup, CommitmentUpdateViewSet):
    """Progress reports on one party's share of a commitment, newest first."""

    responsible_only_message = gettext_lazy(
        "You may report progress only on shares of commitments your delegation is responsible for."
    )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return super().get_queryset()
        return super().get_queryset().filter(party_id=self.get_share().party_id)

    @extend_schema(
        request={"multipart/form-data": ShareReportSerializer},
        parameters=[SHARE_IF_MATCH, IDEMPOTENCY_KEY],
        responses={
            201: StatusUpdateSerializer,
            **WRITE_ERRORS,
            422: OpenApiResponse(description="The Idempotency-Key named another report."),
        },
        description="Report progress on one party's share, with a note and/or an attachment "
        "(multipart): a delegation on its own share, the Secretariat on any. The report awaits "
        "the Secretariat's review; an open share moves to 'in progress', or to the `status` "
        "sent (`submitted`: the share is fulfilled). `version` and If-Match are the share's "
        "(409, 412 if stale). With an Idempotency-Key, a retried request answers the report "
        "the first one made. The answer's ETag is the share's new version.",
    )
    def create(self, request, *args, **kwargs):
        commitment = self.get_commitment()
        share = self.writable_share()
        key = idempotency_key(request)
        report = ShareReportSerializer(data=request.data)
        report.is_valid(raise_exception=True)
        data = report.validated_data
        version, stale_status = expected_version(request, data.get("version"))
        update = self.call_on_share(
            services.progress_report_create,
            share,
            stale_status,
            commitment=commitment,
            user=request.user,
            note=data.get("note", ""),
            attachment=data.get("attachment"),
            status=data.get("status"),
            idempotency_key=key,
            party_id=share.party_id,
            expected_share_version=version,
        )
        if update.party_id != share.party_id:
            # The key made a report on another party's share: another request.
            raise KeyReused()
        now = CommitmentParty.objects.filter(pk=share.pk).values_list("version", flat=True)
        body = StatusUpdateSerializer(update, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"ETag": etag(now.get())})
