"""Progress on commitments: a delegation moves and reports on its own party's share, the
Secretariat reviews each share and decides on the whole commitment. Re-exported by
``actions.services``, through which every write goes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import reminders
from actions.evidence import check_evidence, stored_name
from actions.idempotency import earlier_report, save_report
from actions.models import (
    SHARE_TRANSITIONS,
    TRANSITIONS,
    Commitment,
    ReviewState,
    ShareStatus,
    Status,
    StatusUpdate,
    UpdateKind,
)
from actions.shares import lock_share, move_share, refresh_status, share_update_status
from otscustoms.concurrency import bump_version, check_version, lock_for_update
from otscustoms.limits import NOTE_MAX, check_length
from parties.permissions import is_secretariat, require_secretariat, user_party_id

# The Secretariat's decisions on a whole commitment; every other status is the shares'.
WHOLE = (Status.CANCELLED, Status.SUPERSEDED)


def can_report_on(user, commitment: Commitment) -> bool:
    """Secretariat staff, or a member of a delegation with a share of the commitment."""
    if is_secretariat(user):
        return True
    party_id = user_party_id(user)
    if party_id is None:
        return False
    # The links read with the commitment when they were (with_related), else one query.
    return party_id in commitment.responsible_party_ids


def _report_party(user, commitment: Commitment, party_id: int | None) -> int | None:
    """Whose share a report or status change concerns: a delegation's own; for the
    Secretariat the party it names, or the only share when there is one."""
    if not is_secretariat(user):
        own = user_party_id(user)
        if party_id is not None and party_id != own:
            raise PermissionDenied(_("A delegation may report only on its own party's share."))
        return own
    if party_id is not None:
        return party_id
    shares = commitment.responsible_party_ids
    return next(iter(shares)) if len(shares) == 1 else None


@transaction.atomic
def commitment_update_status(
    *,
    commitment: Commitment,
    user,
    status: str,
    note: str = "",
    expected_version: int | None = None,
) -> StatusUpdate:
    """A status for the whole commitment. From a delegation it moves the delegation's own
    share. From the Secretariat, "cancelled" and "superseded" (and reopening from them) apply
    to the commitment itself; any other status is given to every share that may take it."""
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status %(status)r.") % {"status": status}})
    check_length("note", note, NOTE_MAX)
    if not can_report_on(user, commitment):
        raise PermissionDenied(_("You may change the status only of your delegation's share."))
    if not is_secretariat(user):
        locked = lock_for_update(commitment, expected_version=expected_version)
        if status not in ShareStatus.values:
            raise ValidationError(
                {"status": _("A delegation cannot set “%(s)s”.") % {"s": Status(status).label}}
            )
        update = share_update_status(
            commitment=locked, party=user_party_id(user), user=user, status=status, note=note
        )
        commitment.__dict__.update(locked.__dict__)
        return update
    locked = lock_for_update(commitment, expected_version=expected_version)
    old = locked.status
    if status in WHOLE or old in WHOLE:
        if status not in TRANSITIONS.get(old, set()):
            raise ValidationError(
                {
                    "status": _("A commitment cannot go from “%(old)s” to “%(new)s”.")
                    % {"old": locked.get_status_display(), "new": Status(status).label}
                }
            )
        locked.status = status
        bump_version(locked)
        locked.save(update_fields=["status", "version", "updated_at"])
        if status not in WHOLE:
            locked.status = Status.OPEN
            refresh_status(locked)
    else:
        _move_every_share(locked, user=user, status=status)
    commitment.__dict__.update(locked.__dict__)
    update = StatusUpdate.objects.create(
        commitment=locked,
        author=user,
        kind=UpdateKind.STATUS,
        old_status=old,
        new_status=locked.status,
        note=note,
    )
    reminders.notify_change(update=update, actor=user)
    return update


def _move_every_share(locked: Commitment, *, user, status: str) -> None:
    moved = 0
    for share in locked.links.select_for_update(of=("self",)).select_related("party"):
        if share.is_share and status in SHARE_TRANSITIONS.get(share.status, set()):
            share.commitment = locked
            move_share(share, user=user, status=status)
            moved += 1
    if not moved:
        raise ValidationError(
            {"status": _("No party's share can go to “%(new)s”.") % {"new": Status(status).label}}
        )
    refresh_status(locked)


@transaction.atomic
def progress_report_create(
    *,
    commitment: Commitment,
    user,
    note: str,
    attachment: UploadedFile | None = None,
    status: str | None = None,
    expected_version: int | None = None,
    idempotency_key: str | None = None,
    party_id: int | None = None,
    expected_share_version: int | None = None,
) -> StatusUpdate:
    """A delegation reports progress on its own share, with optional evidence; the report
    awaits the Secretariat's review. The Secretariat may report on a party's share it names.
    A report already made with the same ``idempotency_key`` is returned, not made again."""
    if not can_report_on(user, commitment):
        raise PermissionDenied(_("You may report progress only on your delegation's share."))
    note = (note or "").strip()
    if not note and not attachment:
        raise ValidationError({"note": _("Write what was done, or attach the evidence.")})
    check_length("note", note, NOTE_MAX)
    # The forms check the file too; this guard holds for every other path to a report.
    evidence_type = (
        check_evidence(attachment, field="attachment") if attachment is not None else None
    )
    # Locked before the key is looked up: a retry racing the request it repeats waits here
    # for it, then finds its report. The version is checked after: the first one moved it.
    locked = lock_for_update(commitment, expected_version=None)
    if idempotency_key:
        earlier = earlier_report(user=user, key=idempotency_key, commitment=commitment, note=note)
        if earlier is not None:
            return earlier
    check_version(locked, expected_version)
    if locked.status in Status.closed():
        raise ValidationError(
            {
                "status": _("This commitment is %(status)s.")
                % {"status": locked.get_status_display().lower()}
            }
        )
    concerned = _report_party(user, commitment, party_id)
    old = new = ""
    if concerned is not None:
        share = lock_share(locked, concerned, expected_version=expected_share_version)
        if share.status in ShareStatus.finished():
            raise ValidationError(
                {
                    "status": _("%(party)s's share is %(status)s.")
                    % {"party": share.party.name, "status": share.get_status_display().lower()}
                }
            )
        old = share.status
        new = status or (ShareStatus.IN_PROGRESS if old == ShareStatus.OPEN else old)
        if new != old:
            move_share(share, user=user, status=new)
        refresh_status(locked)
        commitment.__dict__.update(locked.__dict__)
    update = StatusUpdate(
        commitment=locked,
        author=user,
        party_id=concerned,
        kind=UpdateKind.PROGRESS,
        old_status=old,
        new_status=new,
        note=note,
        review_state=ReviewState.PENDING,
        idempotency_key=idempotency_key or None,
    )
    if evidence_type is not None:
        update.original_name = (attachment.name or "")[-255:]
        update.attachment.save(stored_name(evidence_type), attachment, save=False)
    save_report(update)
    reminders.notify_change(update=update, actor=user)
    return update


@transaction.atomic
def progress_report_review(
    *, update: StatusUpdate, user, accept: bool, note: str = "", mark_done: bool = False
) -> StatusUpdate:
    """The Secretariat accepts a report (optionally marking the reporting party's share done)
    or returns it. Only the party whose share it is hears of the decision."""
    require_secretariat(user)
    check_length("note", note, NOTE_MAX)
    locked = StatusUpdate.objects.select_for_update().get(pk=update.pk)
    if locked.review_state != ReviewState.PENDING:
        raise ValidationError(_("This report has already been reviewed."))
    locked.review_state = ReviewState.ACCEPTED if accept else ReviewState.REJECTED
    locked.reviewed_by = user
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["review_state", "reviewed_by", "reviewed_at"])
    commitment = locked.commitment
    party_id = locked.party_id
    share = commitment.share_for(party_id) if party_id is not None else None
    if share is not None:
        if accept and mark_done and share.status != ShareStatus.DONE:
            share_update_status(
                commitment=commitment, party=party_id, user=user, status=ShareStatus.DONE, note=note
            )
        elif not accept and share.status == ShareStatus.SUBMITTED:
            share_update_status(
                commitment=commitment,
                party=party_id,
                user=user,
                status=ShareStatus.IN_PROGRESS,
                note=note,
            )
    review = StatusUpdate.objects.create(
        commitment=commitment,
        author=user,
        party_id=party_id,
        kind=UpdateKind.REVIEW,
        note=note
        or (_("Report accepted.") if accept else _("Report returned for more information.")),
        # The review's own outcome, which its notice names ("… was accepted").
        review_state=locked.review_state,
    )
    reminders.notify_change(update=review, actor=user)
    update.__dict__.update(locked.__dict__)
    return locked
