"""Deadline extensions: the Secretariat extends a whole commitment or one party's share; a
delegation asks for more time on its own share and the Secretariat decides. The agreed
deadline is never changed here. Re-exported by ``actions.services``."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import reminders
from actions.models import (
    Commitment,
    DeadlineExtension,
    ExtensionState,
    Precision,
    Status,
    StatusUpdate,
    UpdateKind,
)
from actions.shares import lock_share
from actions.templatetags.otsweb import long_date
from otscustoms.concurrency import bump_version, lock_for_update
from otscustoms.limits import NOTE_MAX, check_length
from parties.models import Party
from parties.permissions import is_secretariat, require_secretariat, user_party_id


@transaction.atomic
def extension_create(
    *,
    commitment: Commitment,
    user,
    deadline: datetime.date,
    reason: str,
    party: Party | None = None,
) -> DeadlineExtension:
    """From the Secretariat, an extension applied at once (to ``party``'s share, or to the
    whole commitment when no party is named). From a delegation, a request for its own share,
    which waits for the Secretariat's decision."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the deadline is extended.")})
    check_length("reason", reason, NOTE_MAX)
    staff = is_secretariat(user)
    if not staff:
        own = user_party_id(user)
        if own is None or (party is not None and party.pk != own):
            raise PermissionDenied(_("A delegation may ask for more time only on its own share."))
        party = Party.objects.get(pk=own)
    locked = lock_for_update(commitment, expected_version=None)
    if locked.status in Status.closed():
        raise ValidationError(
            {"deadline": _("This commitment is %(s)s.") % {"s": locked.get_status_display()}}
        )
    current = locked.deadline
    if party is not None:
        share = lock_share(locked, party)
        current = share.deadline or locked.deadline
    if current is not None and deadline <= current:
        raise ValidationError(
            {
                "deadline": _("An extension must be later than the deadline now, %(d)s.")
                % {"d": long_date(current)}
            }
        )
    extension = DeadlineExtension.objects.create(
        commitment=locked,
        party=party,
        deadline=deadline,
        previous_deadline=current,
        reason=reason,
        requested_by=user,
    )
    if staff:
        _decide(extension, user=user, approve=True, note="")
    else:
        update = StatusUpdate.objects.create(
            commitment=locked,
            author=user,
            party=party,
            kind=UpdateKind.DEADLINE,
            note=_("%(party)s asks to extend its deadline to %(date)s: %(reason)s")
            % {"party": party.name, "date": long_date(deadline), "reason": reason},
        )
        reminders.notify_change(update=update, actor=user)
    commitment.__dict__.update(locked.__dict__)
    return extension


@transaction.atomic
def extension_decide(
    *, extension: DeadlineExtension, user, approve: bool, note: str = ""
) -> DeadlineExtension:
    """The Secretariat approves (and applies) or refuses a delegation's request."""
    require_secretariat(user, _("Only the Secretariat decides on extensions."))
    check_length("note", note, NOTE_MAX)
    locked = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    if locked.state != ExtensionState.PENDING:
        raise ValidationError(_("This request has already been decided."))
    _decide(locked, user=user, approve=approve, note=note)
    extension.__dict__.update(locked.__dict__)
    return locked


def _decide(extension: DeadlineExtension, *, user, approve: bool, note: str) -> None:
    extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    extension.decided_by = user
    extension.decided_at = timezone.now()
    extension.decision_note = note
    extension.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    commitment = lock_for_update(extension.commitment, expected_version=None)
    if approve:
        _apply(extension, commitment)
        words = _("Deadline extended to %(date)s: %(reason)s")
    else:
        words = _("Extension to %(date)s refused.")
    message = words % {"date": long_date(extension.deadline), "reason": extension.reason}
    update = StatusUpdate.objects.create(
        commitment=commitment,
        author=user,
        party_id=extension.party_id,
        kind=UpdateKind.DEADLINE,
        note=f"{message} {note}".strip(),
    )
    reminders.notify_change(update=update, actor=user)


def clear_overtaken_shares(commitment: Commitment) -> None:
    """A share's own deadline is later than the commitment's, or it is gone: once the whole
    commitment is given as long or longer, the share follows the commitment again. The party
    filters rely on it (a share is never due before its commitment)."""
    if commitment.deadline is not None:
        commitment.links.filter(deadline__lte=commitment.deadline).update(deadline=None)


def _apply(extension: DeadlineExtension, commitment: Commitment) -> None:
    if extension.party_id is None:
        commitment.deadline = extension.deadline
        commitment.deadline_precision = Precision.DAY
        bump_version(commitment)
        commitment.save(update_fields=["deadline", "deadline_precision", "version", "updated_at"])
        clear_overtaken_shares(commitment)
        return
    share = lock_share(commitment, extension.party_id)
    share.deadline = extension.deadline
    bump_version(share)
    share.save(update_fields=["deadline", "version", "updated_at"])
    # The commitment's validators and cached pages follow its updated_at.
    commitment.save(update_fields=["updated_at"])
