"""REST authentication with the access tokens of ``parties.tokens``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from parties.models import TokenScope
from parties.tokens import access_token_authenticate


class AccessTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <secret>`` (or ``Bearer <secret>``), an API-scope token.

    Listed first in the settings so that an anonymous request gets 401 with a
    ``WWW-Authenticate`` header (DRF answers 403 when the first class has no header)."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as 'Authorization: Token <your token>'.")
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token has invalid characters.")) from exc
        token = access_token_authenticate(raw, scope=TokenScope.API)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked token."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Token realm="api"'


try:  # The schema documents the scheme; the extension registers itself on import.
    from drf_spectacular.extensions import OpenApiAuthenticationExtension
except ImportError:  # pragma: no cover - drf-spectacular is a dependency
    pass
else:

    class AccessTokenScheme(OpenApiAuthenticationExtension):
        target_class = "parties.authentication.AccessTokenAuthentication"
        name = "tokenAuth"

        def get_security_definition(self, auto_schema):
            return {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "An API token created at /settings/tokens/, sent as "
                "`Authorization: Token <token>` (or `Bearer <token>`).",
            }
