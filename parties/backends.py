"""Signing in with a username and password: Django's ModelBackend, with the signed-in user of
each request read from the cache (issue 8)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

# A change made without save() (a queryset update) reaches signed-in requests within this.
USER_CACHE_SECONDS = 60


def _key(user_id) -> str:
    return f"auth-user:{user_id}"


def _version() -> int | str:
    # The tests give each test its own version: their rolled-back users' ids come again.
    return getattr(settings, "AUTH_USER_CACHE_VERSION", 1)


class CachedUserBackend(ModelBackend):
    """ModelBackend whose ``get_user()`` (once per signed-in request) reads the user from the
    cache rather than the database. Every save or delete of a user drops its entry (signals
    below), so a deactivation, a new password (which also ends the user's other sessions) or
    a change of the staff flag applies at the user's next request."""

    def get_user(self, user_id):
        user = cache.get(_key(user_id), version=_version())
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            cache.set(_key(user_id), user, USER_CACHE_SECONDS, version=_version())
        return user if self.user_can_authenticate(user) else None


def forget_user(sender, instance, **kwargs) -> None:
    cache.delete(_key(instance.pk), version=_version())


def connect_signals() -> None:
    user_model = get_user_model()
    post_save.connect(forget_user, sender=user_model, dispatch_uid="parties.forget_user_saved")
    post_delete.connect(forget_user, sender=user_model, dispatch_uid="parties.forget_user_gone")
