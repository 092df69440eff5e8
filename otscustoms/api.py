"""What every endpoint of /api/v1/ shares: pagination and how errors are answered."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from otscustoms.concurrency import StaleVersionError
from otscustoms.idempotency import KeyReused


class Pagination(PageNumberPagination):
    """`page` and `page_size` are read strictly. DRF would ignore a page size it cannot read
    and answer 404 for a page number it cannot: a client's typo would pass unnoticed or look
    like the end of the list. Here either is a 400 naming the parameter; a page past the last
    is still a 404, and a page size above 500 still reads as 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    page_size_query_description = "Rows per page: 50 unless given, at most 500."

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return min(_whole_number(self.page_size_query_param, raw), self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        return _whole_number(self.page_query_param, raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        # DRF writes OpenAPI 3.0's `nullable`; the schema is 3.1, where null is a type.
        for link in ("next", "previous"):
            described["properties"][link].pop("nullable", None)
            described["properties"][link]["type"] = ["string", "null"]
        return described


class ContentNegotiation(DefaultContentNegotiation):
    """An unknown `?format=` is a 400 naming the parameter, where DRF answers a bare 404."""

    def filter_renderers(self, renderers, format):
        offered = [renderer for renderer in renderers if renderer.format == format]
        if not offered:
            formats = ", ".join(renderer.format for renderer in renderers)
            raise exceptions.ValidationError(
                {
                    api_settings.URL_FORMAT_OVERRIDE: [
                        _("“%(value)s” is not offered here: use one of %(formats)s.")
                        % {"value": format, "formats": formats}
                    ]
                }
            )
        return offered


def _whole_number(name: str, raw: str) -> int:
    try:
        number = int(raw) if raw.isascii() and raw.isdigit() else 0
    except ValueError:  # more digits than int() reads: no page is that far either
        number = 0
    if number < 1:
        raise exceptions.ValidationError(
            {name: [_("“%(value)s” is not a whole number from 1 up.") % {"value": raw[:40]}]}
        )
    return number


class StaleVersion(exceptions.APIException):
    """The row changed since the client read it; the client must re-read and re-apply."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "stale_version"

    def __init__(self, error: StaleVersionError, status_code: int = status.HTTP_409_CONFLICT):
        self.status_code = status_code
        super().__init__(str(error))
        self.current_version = error.current


class IdempotencyKeyReused(exceptions.APIException):
    """As the Idempotency-Key draft standard answers a key sent with another request."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_code = "version_required"
    default_detail = (
        "Send the version you edited, as 'version' in the body or as an If-Match header "
        "with the ETag you read, so that nobody's change is overwritten."
    )


def _validation_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def exception_handler(exc, context):
    """The services speak Django (ValidationError, PermissionDenied, StaleVersionError);
    translate them so that a client gets 400 with field errors, 403 with the service's
    message, 409 for a stale version and 422 for a reused idempotency key — never a 500."""
    if isinstance(exc, KeyReused):
        exc = IdempotencyKeyReused(str(exc.message))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, StaleVersionError):
        exc = StaleVersion(exc)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, StaleVersion):
        response.data["current_version"] = exc.current_version
    return response


def not_found(request, exception):
    """The 404 of a URL no route matches (a malformed code or id included): JSON under
    /api/, like every other answer of the API; the site's page everywhere else."""
    if request.path_info.startswith(reverse("api:api-root")):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, to show a person.")


class StaleVersionErrorSerializer(ErrorSerializer):
    current_version = serializers.IntegerField(help_text="The version stored now.")


# A 400's body: each invalid parameter or field (or `non_field_errors`) with its problems, or
# `detail` alone when the request could not be read at all (a body that is not JSON).
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
    },
}

ERRORS = {
    400: OpenApiResponse(
        FIELD_ERRORS, description="A parameter or field is invalid; the body names each one."
    ),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in and no valid token."),
    403: OpenApiResponse(ErrorSerializer, description="Signed in but not allowed; says why."),
    404: OpenApiResponse(ErrorSerializer, description="No such resource, or no such page."),
    409: OpenApiResponse(
        StaleVersionErrorSerializer,
        description="`version` is stale: someone changed it since you read.",
    ),
    412: OpenApiResponse(
        StaleVersionErrorSerializer,
        description="If-Match is stale: someone changed it since you read.",
    ),
    415: OpenApiResponse(
        ErrorSerializer, description="The body is not JSON, a form or multipart form data."
    ),
    428: OpenApiResponse(
        ErrorSerializer, description="Neither `version` nor If-Match was sent: nothing is saved."
    ),
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The error answers an operation documents, for extend_schema(responses=...)."""
    return {code: ERRORS[code] for code in codes}


def read_only_schema(list_serializer, detail_serializer):
    """A read-only viewset's answers: a filtered, paginated list (400 for a bad filter or page
    parameter, 404 past the last page) and one resource (404 for an unknown one)."""
    return extend_schema_view(
        list=extend_schema(responses={200: list_serializer, **error_responses(400, 401, 404)}),
        retrieve=extend_schema(responses={200: detail_serializer, **error_responses(401, 404)}),
    )
