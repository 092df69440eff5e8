"""Idempotency keys: the client's name for one write, so that a retried request (a timeout, a
lost answer, a double click) is answered with what the first one did instead of being done
twice. The API takes one in the ``Idempotency-Key`` header (an IETF draft, as Stripe's API
has it); the web form of progress reports sends one in a hidden field."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEADER = "Idempotency-Key"
MAX_LENGTH = 255


def validate_key(value: str) -> None:
    """1 to MAX_LENGTH printable ASCII characters: what a header carries unchanged."""
    if not (0 < len(value) <= MAX_LENGTH and value.isascii() and value.isprintable()):
        raise ValidationError(
            _("An idempotency key is 1 to %(max)s printable ASCII characters.")
            % {"max": MAX_LENGTH},
            code="invalid",
        )


class KeyReused(ValidationError):
    """The key names an earlier write that was not this one: the client reused a key."""

    def __init__(self) -> None:
        super().__init__(
            _("This idempotency key was already used for a different request."),
            code="idempotency_key_reused",
        )
