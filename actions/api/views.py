"""/api/v1/commitments/ and /api/v1/commitments/{id}/updates/."""

from __future__ import annotations

import itertools

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import StreamingHttpResponse
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
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from actions import evidence_access, services
from actions.api.permissions import CommitmentWritePermission, updates_visible_to
from actions.api.renderers import CSVRenderer
from actions.api.serializers import (
    CommitmentEditSerializer,
    CommitmentSerializer,
    EvidenceShareSerializer,
    ProgressReportSerializer,
    StatusChangeSerializer,
    StatusUpdateSerializer,
)
from actions.api.share_serializers import ReviewSerializer
from actions.exports import commitments_csv
from actions.filters import CommitmentFilter
from actions.models import Commitment, StatusUpdate, UpdateKind
from actions.querysets import extension_history
from otscustoms import idempotency
from otscustoms.api import (
    ContentNegotiation,
    PreconditionRequired,
    StaleVersion,
    error_responses,
)
from otscustoms.concurrency import StaleVersionError

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you read. If the commitment changed since, nothing is saved: 412.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Your name for this report, e.g. a UUID: 1 to 255 printable ASCII characters. "
    "Send it again with a retried request (a timeout, a lost answer) and the report the first "
    "request made is answered, not made twice. A key already used for another report: 422.",
)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 412, 415)


def api_commitments():
    """Commitments as the API answers them: ``for_api()`` and their extensions, one query
    for all the rows."""
    return Commitment.objects.for_api().prefetch_related(extension_history())


def commitment_answer(request, commitment: Commitment) -> Response:
    """After a write: the commitment as it is now, as GET answers it, with its ETag."""
    fresh = get_object_or_404(api_commitments(), pk=commitment.pk)
    context = {"request": request, "today": timezone.localdate()}
    data = CommitmentSerializer(fresh, context=context).data
    return Response(data, headers={"ETag": etag(fresh.version)})


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(request, body_version: int | None) -> tuple[int | None, int]:
    """The version the client edited, from If-Match (answered 412 if stale) or from the body
    (409 if stale). `If-Match: *` or nothing means 'whatever is there'."""
    header = request.headers.get("If-Match", "").strip()
    if header and header != "*":
        value = header.removeprefix("W/").strip('"')
        if not value.isdigit():
            raise ValidationError({"If-Match": [f"{header!r} is not an ETag of this API."]})
        return int(value), status.HTTP_412_PRECONDITION_FAILED
    return body_version, status.HTTP_409_CONFLICT


def idempotency_key(request) -> str | None:
    """The Idempotency-Key header, if sent; 400 if it cannot be one."""
    key = request.headers.get(idempotency.HEADER)
    if key is not None:
        try:
            idempotency.validate_key(key)
        except DjangoValidationError as exc:
            raise ValidationError({idempotency.HEADER: exc.messages}) from exc
    return key


def call_versioned(service, *, stale_status: int, **kwargs):
    try:
        return service(**kwargs)
    except StaleVersionError as exc:
        raise StaleVersion(exc, status_code=stale_status) from exc


@extend_schema(tags=["commitments"])
@extend_schema_view(
    list=extend_schema(responses={200: CommitmentSerializer, **error_responses(400, 401, 404)}),
    retrieve=extend_schema(responses={200: CommitmentSerializer, **error_responses(401, 404)}),
)
class CommitmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Commitments: who must do what by when, where it was agreed and where it is written.

    Reads are open to anyone signed in. Each responsible party has a share, with its own
    status, version and deadline; the commitment's status follows from its shares. Delegations
    move and report on their own party's share; the Secretariat edits commitments, reviews
    each share and extends deadlines. Every write takes the `version` you read."""

    content_negotiation_class = ContentNegotiation
    permission_classes = [*viewsets.GenericViewSet.permission_classes, CommitmentWritePermission]
    filterset_class = CommitmentFilter
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        # The party-sort annotation is added by the ordering filter, only for ordering=party.
        if getattr(self, "action", None) == "export_csv":
            return Commitment.objects.for_api().in_register_order()  # no extensions in it
        return api_commitments().in_register_order()

    def get_serializer_class(self):
        return CommitmentSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_renderers(self):
        if getattr(self, "action", None) == "export_csv" or self.kwargs.get("format") == "csv":
            return [CSVRenderer(), JSONRenderer()]
        return super().get_renderers()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and isinstance(response.accepted_renderer, CSVRenderer):
            # Only an error of the export is a Response here (its rows are streamed): JSON,
            # like every other error of the API, whatever the client accepts.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response

    def retrieve(self, request, *args, **kwargs):
        commitment = self.get_object()
        data = self.get_serializer(commitment).data
        return Response(data, headers={"ETag": etag(commitment.version)})

    def _answer(self, commitment: Commitment) -> Response:
        """After a write: the commitment as it is now, with the ETag the next write matches."""
        return self.retrieve(self.request, pk=commitment.pk)

    @extend_schema(
        request=CommitmentEditSerializer,
        parameters=[IF_MATCH],
        responses={200: CommitmentSerializer, **WRITE_ERRORS, **error_responses(428)},
        description="Edit a commitment (Secretariat only). Send the `version` you read, or "
        "If-Match with its ETag; without either the answer is 428. A moved deadline is "
        "recorded in the commitment's updates.",
    )
    def partial_update(self, request, *args, **kwargs):
        commitment = self.get_object()
        edit = CommitmentEditSerializer(data=request.data, partial=True)
        edit.is_valid(raise_exception=True)
        changes = dict(edit.validated_data)
        version, stale_status = expected_version(request, changes.pop("version", None))
        if version is None:
            raise PreconditionRequired()
        note = changes.pop("note", "")
        responsible = changes.pop("responsible", None)
        partners = changes.pop("partners", None)
        call_versioned(
            services.commitment_update,
            stale_status=stale_status,
            commitment=commitment,
            user=request.user,
            expected_version=version,
            responsible=responsible,
            partners=partners,
            note=note,
            **changes,
        )
        return self._answer(commitment)

    @extend_schema(
        request=StatusChangeSerializer,
        parameters=[IF_MATCH],
        responses={200: CommitmentSerializer, **WRITE_ERRORS},
        description="A status for the whole commitment. From a delegation it moves its own "
        "party's share (open → in progress → submitted, and back from submitted). From the "
        "Secretariat, cancelled and superseded (and reopening) apply to the commitment itself; "
        "any other status goes to every share that may take it. To move one share, POST "
        "…/shares/{code}/status/. `version` and If-Match are the commitment's.",
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        commitment = self.get_object()
        change = StatusChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        version, stale_status = expected_version(request, change.validated_data.get("version"))
        call_versioned(
            services.commitment_update_status,
            stale_status=stale_status,
            commitment=commitment,
            user=request.user,
            status=change.validated_data["status"],
            note=change.validated_data["note"],
            expected_version=version,
        )
        return self._answer(commitment)

    @extend_schema(
        filters=True,
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="UTF-8 with a byte order mark; one line per commitment, streamed.",
            ),
            **error_responses(400, 401),
        },
        description="The filtered list (same filters and ordering as the list) as CSV, "
        "without pagination.",
    )
    def export_csv(self, request, *args, **kwargs):
        # Every filter is validated here (a 400 naming it), and the header and first rows are
        # read before the response starts: once its first line is sent, an error can only cut
        # the file short under a 200.
        commitments = self.filter_queryset(self.get_queryset())
        lines = commitments_csv(
            commitments,
            absolute_url=request.build_absolute_uri,
            party=request.query_params.get("party") or None,
        )
        first = list(itertools.islice(lines, 2))
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in itertools.chain(first, lines)),
            content_type="text/csv; charset=utf-8",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="commitments-{stamp}.csv"'
        return response


@extend_schema(tags=["commitments"])
@extend_schema_view(
    list=extend_schema(responses={200: StatusUpdateSerializer, **error_responses(400, 401, 404)})
)
class CommitmentUpdateViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Progress reports and status changes of one commitment, newest first."""

    serializer_class = StatusUpdateSerializer
    staff_only_messages = {
        "partial_update": "Only Secretariat staff may share evidence.",
        "review": gettext_lazy("Only the Secretariat reviews progress reports."),
    }
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    content_negotiation_class = ContentNegotiation
    permission_classes = [*viewsets.GenericViewSet.permission_classes, CommitmentWritePermission]
    queryset = StatusUpdate.objects.none()  # for the schema; get_queryset() scopes it

    def get_commitment(self) -> Commitment:
        if not hasattr(self, "_commitment"):
            self._commitment = get_object_or_404(
                Commitment.objects.with_related(), pk=self.kwargs["commitment_pk"]
            )
            self.check_object_permissions(self.request, self._commitment)
        return self._commitment

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StatusUpdate.objects.none()
        updates = StatusUpdate.objects.filter(commitment=self.get_commitment())
        return updates.filter(updates_visible_to(self.request.user)).select_related(
            "author", "party"
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            # Read once with its party links: who may download each update's evidence.
            context["commitment"] = self.get_commitment()
        return context

    @extend_schema(
        request={"multipart/form-data": ProgressReportSerializer},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        responses={
            201: StatusUpdateSerializer,
            **WRITE_ERRORS,
            422: OpenApiResponse(description="The Idempotency-Key named another report."),
        },
        description="Report progress, with a note and/or an attachment (multipart). Allowed "
        "to the Secretariat and to delegations responsible for the commitment; a delegation's "
        "report is on its own party's share (the Secretariat's on the only share, if there is "
        "one: to name the share, POST …/shares/{code}/updates/). The report awaits the "
        "Secretariat's review; an open share moves to 'in progress'. With an Idempotency-Key, "
        "a retried request answers the report the first one made.",
    )
    def create(self, request, *args, **kwargs):
        commitment = self.get_commitment()
        key = idempotency_key(request)
        report = ProgressReportSerializer(data=request.data)
        report.is_valid(raise_exception=True)
        data = report.validated_data
        version, stale_status = expected_version(request, data.get("version"))
        update = call_versioned(
            services.progress_report_create,
            stale_status=stale_status,
            commitment=commitment,
            user=request.user,
            note=data.get("note", ""),
            attachment=data.get("attachment"),
            status=data.get("status"),
            expected_version=version,
            idempotency_key=key,
        )
        body = StatusUpdateSerializer(update, context=self.get_serializer_context()).data
        return Response(
            body, status=status.HTTP_201_CREATED, headers={"ETag": etag(commitment.version)}
        )

    @extend_schema(
        request=EvidenceShareSerializer,
        responses={200: StatusUpdateSerializer, **WRITE_ERRORS},
        description="Share a report's evidence with all delegations (guests excepted), or "
        "take it back to the Secretariat and the responsible parties. Secretariat only.",
    )
    def partial_update(self, request, *args, **kwargs):
        self.get_commitment()  # 404 for no such commitment, 403 unless staff
        update = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        share = EvidenceShareSerializer(data=request.data)
        share.is_valid(raise_exception=True)
        evidence_access.evidence_share(
            update=update, user=request.user, shared=share.validated_data["shared"]
        )
        return Response(StatusUpdateSerializer(update, context=self.get_serializer_context()).data)

    @extend_schema(
        request=ReviewSerializer,
        responses={200: StatusUpdateSerializer, **WRITE_ERRORS},
        description="Accept a progress report (with `mark_done`, the reporting party's share "
        "is done) or return it (a submitted share goes back to in progress). Secretariat only; "
        "the party whose report it is is told.",
    )
    def review(self, request, *args, **kwargs):
        self.get_commitment()  # 404 for no such commitment, 403 unless staff
        update = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        if update.kind != UpdateKind.PROGRESS:
            raise ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [_("Only a progress report is reviewed.")]}
            )
        review = ReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        services.progress_report_review(update=update, user=request.user, **review.validated_data)
        return Response(StatusUpdateSerializer(update, context=self.get_serializer_context()).data)
