"""Writes on a party's share of a commitment: its status, and the commitment's status derived
from its shares. Re-exported by ``actions.services``, through which every write goes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import reminders
from actions.models import (
    DELEGATION_SHARE_TRANSITIONS,
    SHARE_TRANSITIONS,
    Commitment,
    CommitmentParty,
    Role,
    ShareStatus,
    StatusUpdate,
    UpdateKind,
    derive_status,
)
from otscustoms.concurrency import bump_version, check_version
from otscustoms.limits import NOTE_MAX, check_length
from parties.models import Party
from parties.permissions import is_secretariat, user_party_id


def can_act_on_share(user, party_id: int) -> bool:
    """The Secretariat on every share; a delegation on its own party's share only."""
    return is_secretariat(user) or (party_id is not None and user_party_id(user) == party_id)


def lock_share(
    commitment: Commitment, party: Party | int, *, expected_version: int | None = None
) -> CommitmentParty:
    """The party's share of ``commitment`` under a row lock, its version checked. Call inside
    atomic(). A party that is not responsible (a partner, or not named) has no share."""
    party_id = party if isinstance(party, int) else party.pk
    share = (
        CommitmentParty.objects.select_for_update(of=("self",))
        .select_related("party")
        .filter(commitment=commitment, party_id=party_id, role=Role.RESPONSIBLE)
        .first()
    )
    if share is None:
        raise ValidationError({"party": _("This party has no share of the commitment.")})
    check_version(share, expected_version)
    share.commitment = commitment
    return share


def move_share(share: CommitmentParty, *, user, status: str) -> None:
    """One step of the share's status machine, on a locked share."""
    staff = is_secretariat(user)
    allowed = SHARE_TRANSITIONS if staff else DELEGATION_SHARE_TRANSITIONS
    if status not in allowed.get(share.status, set()):
        message = (
            _("%(party)s's share cannot go from “%(old)s” to “%(new)s”.")
            if staff
            else _("A delegation cannot move its share from “%(old)s” to “%(new)s”.")
        )
        raise ValidationError(
            {
                "status": message
                % {
                    "party": share.party.name,
                    "old": share.get_status_display(),
                    "new": ShareStatus(status).label,
                }
            }
        )
    share.status = status
    bump_version(share)
    share.save(update_fields=["status", "version", "updated_at"])


def refresh_status(commitment: Commitment) -> bool:
    """Derive the commitment's status from its shares and save it, with its version moved when
    the status changed. The commitment is saved either way, so that its ``updated_at`` (which
    the caches and the API's validators follow) moves with every share."""
    statuses = CommitmentParty.objects.filter(
        commitment=commitment, role=Role.RESPONSIBLE
    ).values_list("status", flat=True)
    derived = derive_status(statuses, commitment.status)
    if derived != commitment.status:
        commitment.status = derived
        bump_version(commitment)
        commitment.save(update_fields=["status", "version", "updated_at"])
        return True
    # Touched without a history record of its own: the share's change is in the share.
    commitment.updated_at = timezone.now()
    Commitment.objects.filter(pk=commitment.pk).update(updated_at=commitment.updated_at)
    return False


@transaction.atomic
def share_update_status(
    *,
    commitment: Commitment,
    party: Party | int,
    user,
    status: str,
    note: str = "",
    expected_version: int | None = None,
) -> StatusUpdate:
    """Move one party's share: a delegation its own, the Secretariat any. ``expected_version``
    is the share's."""
    if status not in ShareStatus.values:
        raise ValidationError(
            {"status": _("Unknown share status %(status)r.") % {"status": status}}
        )
    check_length("note", note, NOTE_MAX)
    party_id = party if isinstance(party, int) else party.pk
    if not can_act_on_share(user, party_id):
        raise PermissionDenied(_("A delegation may change only its own party's share."))
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if locked.status in ("cancelled", "superseded"):
        raise ValidationError(
            {
                "status": _("This commitment is %(status)s.")
                % {"status": locked.get_status_display()}
            }
        )
    share = lock_share(locked, party_id, expected_version=expected_version)
    old = share.status
    move_share(share, user=user, status=status)
    refresh_status(locked)
    commitment.__dict__.update(locked.__dict__)
    update = StatusUpdate.objects.create(
        commitment=locked,
        author=user,
        party_id=party_id,
        kind=UpdateKind.STATUS,
        old_status=old,
        new_status=status,
        note=note,
    )
    reminders.notify_change(update=update, actor=user)
    return update
