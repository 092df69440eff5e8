"""Signing in with a username and password: Django's ModelBackend, with the signed-in user of
each request, and their delegation, read from the cache (issue 8)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_delete

# A change made without save() (a queryset update) reaches signed-in requests within this.
USER_CACHE_SECONDS = 60


def _key(user_id) -> str:
    return f"auth-user:{user_id}"


def _version() -> int | str:
    # The tests give each test its own version: their rolled-back users' ids come again.
    return getattr(settings, "AUTH_USER_CACHE_VERSION", 1)


class CachedUserBackend(ModelBackend):
    """ModelBackend whose ``get_user()`` (once per signed-in request) reads the user from the
    cache rather than the database, with their membership and its party (which every page
    reads: parties.permissions.user_party) already attached. Every save or delete of a user,
    of a membership or of a party drops the entries concerned (signals below), so a
    deactivation, a new password (which also ends the user's other sessions), a change of
    the staff flag or of delegation applies at the user's next request."""

    def get_user(self, user_id):
        from parties.permissions import _membership

        user = cache.get(_key(user_id), version=_version())
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            _membership(user)  # kept in the user's relation cache, and pickled with it
            cache.set(_key(user_id), user, USER_CACHE_SECONDS, version=_version())
        return user if self.user_can_authenticate(user) else None


def forget_user(sender, instance, **kwargs) -> None:
    cache.delete(_key(instance.pk), version=_version())


def forget_member(sender, instance, **kwargs) -> None:
    cache.delete(_key(instance.user_id), version=_version())


def forget_party_members(sender, instance, **kwargs) -> None:
    from parties.models import Membership

    users = Membership.objects.filter(party_id=instance.pk).values_list("user_id", flat=True)
    cache.delete_many([_key(user_id) for user_id in users], version=_version())


def connect_signals() -> None:
    from parties.models import Membership, Party

    for sender, receiver, name in (
        (get_user_model(), forget_user, "user"),
        (Membership, forget_member, "membership"),
        (Party, forget_party_members, "party"),
    ):
        post_save.connect(receiver, sender=sender, dispatch_uid=f"parties.forget_{name}_saved")
        # A party's memberships go with it (CASCADE): its members are forgotten before.
        signal = pre_delete if sender is Party else post_delete
        signal.connect(receiver, sender=sender, dispatch_uid=f"parties.forget_{name}_gone")
