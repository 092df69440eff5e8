"""The status machine and progress reports: a delegation moves and reports on its own
commitments, the Secretariat reviews. Re-exported by ``actions.services``, through which every
write goes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from actions import reminders
from actions.evidence import check_evidence, stored_name
from actions.idempotency import earlier_report, save_report
from actions.models import (
    DELEGATION_TRANSITIONS,
    TRANSITIONS,
    Commitment,
    ReviewState,
    Status,
    StatusUpdate,
    UpdateKind,
)
from otscustoms.concurrency import bump_version, check_version, lock_for_update
from otscustoms.limits import NOTE_MAX, check_length
from parties.permissions import is_secretariat, require_secretariat, user_party_id


def can_report_on(user, commitment: Commitment) -> bool:
    """Secretariat staff, or a member of a delegation responsible for the commitment."""
    if is_secretariat(user):
        return True
    party_id = user_party_id(user)
    if party_id is None:
        return False
    # The links read with the commitment when they were (with_related), else one query.
    return party_id in commitment.responsible_party_ids


def move_status(locked: Commitment, *, user, status: str) -> None:
    """One step of the status machine on a row already locked: the Secretariat may take any
    allowed transition, a delegation only its own few (DELEGATION_TRANSITIONS)."""
    staff = is_secretariat(user)
    allowed = TRANSITIONS if staff else DELEGATION_TRANSITIONS
    if status not in allowed.get(locked.status, set()):
        raise ValidationError(
            {
                "status": f"A commitment cannot go from “{locked.get_status_display()}” to "
                f"“{Status(status).label}”" + ("" if staff else " by a delegation") + "."
            }
        )
    locked.status = status
    bump_version(locked)
    locked.save(update_fields=["status", "version", "updated_at"])


@transaction.atomic
def commitment_update_status(
    *,
    commitment: Commitment,
    user,
    status: str,
    note: str = "",
    expected_version: int | None = None,
) -> StatusUpdate:
    """Move a commitment through the status machine; delegations only on their own ones."""
    if status not in Status.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    check_length("note", note, NOTE_MAX)
    if not can_report_on(user, commitment):
        raise PermissionDenied("You may change the status only of your delegation's commitments.")
    locked = lock_for_update(commitment, expected_version=expected_version)
    old = locked.status
    move_status(locked, user=user, status=status)
    commitment.__dict__.update(locked.__dict__)
    update = StatusUpdate.objects.create(
        commitment=locked,
        author=user,
        party_id=user_party_id(user),
        kind=UpdateKind.STATUS,
        old_status=old,
        new_status=status,
        note=note,
    )
    reminders.notify_change(update=update, actor=user)
    return update


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
) -> StatusUpdate:
    """A delegation reports progress, with optional evidence; it awaits Secretariat review.
    A report already made with the same ``idempotency_key`` is returned, not made again."""
    if not can_report_on(user, commitment):
        raise PermissionDenied("You may report progress only on your delegation's commitments.")
    note = (note or "").strip()
    if not note and not attachment:
        raise ValidationError({"note": "Write what was done, or attach the evidence."})
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
            {"status": f"This commitment is {locked.get_status_display().lower()}."}
        )
    old = locked.status
    new = status or (Status.IN_PROGRESS if old == Status.OPEN else old)
    if new != old:
        move_status(locked, user=user, status=new)
        commitment.__dict__.update(locked.__dict__)
    update = StatusUpdate(
        commitment=locked,
        author=user,
        party_id=user_party_id(user),
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
    """The Secretariat accepts (optionally closing the commitment) or returns a report."""
    require_secretariat(user)
    check_length("note", note, NOTE_MAX)
    locked = StatusUpdate.objects.select_for_update().get(pk=update.pk)
    if locked.review_state != ReviewState.PENDING:
        raise ValidationError("This report has already been reviewed.")
    locked.review_state = ReviewState.ACCEPTED if accept else ReviewState.REJECTED
    locked.reviewed_by = user
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["review_state", "reviewed_by", "reviewed_at"])
    commitment = locked.commitment
    if accept and mark_done and commitment.status != Status.DONE:
        commitment_update_status(commitment=commitment, user=user, status=Status.DONE, note=note)
    elif not accept and commitment.status == Status.SUBMITTED:
        commitment_update_status(
            commitment=commitment, user=user, status=Status.IN_PROGRESS, note=note
        )
    review = StatusUpdate.objects.create(
        commitment=commitment,
        author=user,
        kind=UpdateKind.REVIEW,
        note=note or ("Report accepted." if accept else "Report returned for more information."),
    )
    reminders.notify_change(update=review, actor=user)
    update.__dict__.update(locked.__dict__)
    return locked
