"""Access tokens for API clients and calendar feeds: created, looked up and revoked here.

The secret is ``ots_`` + 32 random bytes (URL-safe). Only its SHA-256 is stored: the secret is
long and random, so a fast hash is enough (unlike passwords, there is nothing to brute-force)
and lookups stay a single indexed query."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from parties.models import AccessToken, TokenScope

TOKEN_PREFIX = "ots_"
# Writing last_used_at on every request would turn each API read into a write; a minute of
# precision is plenty to tell whether a token is still in use.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def access_token_create(*, user, name: str, scope: str = TokenScope.API) -> tuple[AccessToken, str]:
    """Create a token; returns it with the secret, which cannot be recovered afterwards."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the program that uses it."})
    if len(name) > 100:
        raise ValidationError({"name": "Keep the name under 100 characters."})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": f"Unknown scope {scope!r}."})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user, scope=scope, name=name, key_hash=hash_token(raw), prefix=raw[:10]
    )
    return token, raw


@transaction.atomic
def access_token_revoke(*, token: AccessToken, user) -> AccessToken:
    if token.user_id != user.pk:
        raise PermissionDenied("You may revoke only your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def calendar_token_regenerate(*, user) -> tuple[AccessToken, str]:
    """One calendar token per user: a new one revokes the old, so a leaked feed URL dies."""
    AccessToken.objects.filter(
        user=user, scope=TokenScope.CALENDAR, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    return access_token_create(user=user, name="Calendar feeds", scope=TokenScope.CALENDAR)


def access_token_authenticate(raw: str, *, scope: str) -> AccessToken | None:
    """The live token with this secret and scope (with its user), or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        AccessToken.objects.live()
        .select_related("user")
        .filter(key_hash=hash_token(raw), scope=scope)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
