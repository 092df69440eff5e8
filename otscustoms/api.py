"""What every endpoint of /api/v1/ shares: pagination and how errors are answered."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from otscustoms.concurrency import StaleVersionError
from otscustoms.idempotency import KeyReused


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    page_size_query_description = "Rows per page: 50 unless given, at most 500."

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        # DRF writes OpenAPI 3.0's `nullable`; the schema is 3.1, where null is a type.
        for link in ("next", "previous"):
            described["properties"][link].pop("nullable", None)
            described["properties"][link]["type"] = ["string", "null"]
        return described


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
