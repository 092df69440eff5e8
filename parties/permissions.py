"""Who may do what (docs/design.md, 'Who may do what'), in one place for views, API and admin."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from parties.models import Party


def is_secretariat(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Secretariat staff: Django staff users. They may change everything."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def require_secretariat(user, message: str = "Only Secretariat staff may do this.") -> None:
    """Raise PermissionDenied (shown as 403 with ``message``) unless the user is staff."""
    from django.core.exceptions import PermissionDenied

    if not is_secretariat(user):
        raise PermissionDenied(message)


def user_membership(user):
    """The user's membership with its party, read once per request in one query (and kept in
    the user's own relation cache, so ``user.membership`` reuses it)."""
    from django.db.models import Prefetch, prefetch_related_objects

    from parties.models import Membership

    prefetch_related_objects(
        [user], Prefetch("membership", queryset=Membership.objects.select_related("party"))
    )
    return getattr(user, "membership", None)


def user_party(user: AbstractBaseUser | AnonymousUser) -> Party | None:
    """The delegation the user belongs to, or None. Cached on the user object."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_party_cache"):
        membership = user_membership(user)
        user._party_cache = membership.party if membership else None
    return user._party_cache


def user_party_id(user: AbstractBaseUser | AnonymousUser) -> int | None:
    if not user.is_authenticated:
        return None
    membership = user_membership(user)
    return membership.party_id if membership else None


def can_see_evidence(user, *, responsible_party_ids, shared: bool) -> bool:
    """Evidence attached to a progress report: the Secretariat, and delegations responsible
    for the commitment; partners and other delegations only once the Secretariat shares it;
    guests never, shared or not."""
    from parties.models import PartyKind

    if is_secretariat(user):
        return True
    party = user_party(user)
    if party is None or party.kind == PartyKind.GUEST:
        return False
    return shared or party.pk in set(responsible_party_ids)


def can_see_extension(user, *, party_id: int | None, approved: bool) -> bool:
    """A deadline extension in force is for everyone who sees the commitment; a request
    still pending, or refused, for the Secretariat and the delegation whose share it is."""
    if approved or is_secretariat(user):
        return True
    return party_id is not None and party_id == user_party_id(user)
