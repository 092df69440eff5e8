"""Every write to commitments goes through these functions: views, the admin, the API and
the importer call the same ones, so permissions, the status machine, optimistic locking and
history are enforced in one place."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from actions import reminders
from actions.extensions import (  # noqa: F401
    clear_overtaken_shares,
    extension_create,
    extension_decide,
)
from actions.models import (
    Commitment,
    CommitmentParty,
    CommitmentSource,
    Precision,
    Role,
    ShareStatus,
    Status,
    StatusUpdate,
    UpdateKind,
)

# The status machine and progress reports, re-exported: callers write through this module.
from actions.progress import (  # noqa: F401
    can_report_on,
    commitment_update_status,
    progress_report_create,
    progress_report_review,
)
from actions.shares import refresh_status, share_update_status  # noqa: F401
from meetings.models import Decision, Document, Meeting
from otscustoms.concurrency import bump_version, lock_for_update
from otscustoms.limits import ACTION_MAX, NOTE_MAX, check_length
from parties.models import Party
from parties.permissions import require_secretariat


@dataclass(frozen=True)
class SourceRef:
    document: Document
    paragraph: str = ""
    quote: str = ""


def _validate_deadline(deadline: datetime.date | None, precision: str) -> None:
    if deadline is not None and not precision:
        raise ValidationError({"deadline_precision": "A dated deadline needs a precision."})
    if precision and precision not in Precision.values:
        raise ValidationError({"deadline_precision": f"Unknown precision {precision!r}."})


def _set_parties(
    commitment: Commitment,
    responsible: Iterable[Party],
    partners: Iterable[Party],
    *,
    share_status: str = ShareStatus.OPEN,
) -> None:
    """Name the commitment's responsible parties and partners. A party that stays responsible
    keeps its share (status, version, extended deadline); a new one starts at
    ``share_status``."""
    responsible = list(dict.fromkeys(responsible))
    partners = [p for p in dict.fromkeys(partners) if p not in responsible]
    if not responsible:
        raise ValidationError({"responsible": "A commitment needs at least one responsible party."})
    wanted = {p.pk: Role.RESPONSIBLE for p in responsible} | {p.pk: Role.PARTNER for p in partners}
    current = {
        link.party_id: link for link in CommitmentParty.objects.filter(commitment=commitment)
    }
    CommitmentParty.objects.filter(
        commitment=commitment, party_id__in=[pk for pk in current if pk not in wanted]
    ).delete()
    for party_id, link in current.items():
        role = wanted.get(party_id)
        if role is not None and role != link.role:
            link.role = role
            link.status = share_status if role == Role.RESPONSIBLE else ""
            link.deadline = None
            link.save(update_fields=["role", "status", "deadline", "updated_at"])
    CommitmentParty.objects.bulk_create(
        [
            CommitmentParty(
                commitment=commitment,
                party_id=party_id,
                role=role,
                status=share_status if role == Role.RESPONSIBLE else "",
            )
            for party_id, role in wanted.items()
            if party_id not in current
        ]
    )


@transaction.atomic
def commitment_create(
    *,
    meeting: Meeting,
    action: str,
    responsible: Sequence[Party],
    partners: Sequence[Party] = (),
    responsible_text: str = "",
    deadline: datetime.date | None = None,
    deadline_precision: str = "",
    deadline_text: str = "",
    due_meeting: Meeting | None = None,
    due_event: str = "",
    decision: Decision | None = None,
    reference: str = "",
    sources: Sequence[SourceRef] = (),
    status: str = Status.OPEN,
) -> Commitment:
    action = action.strip()
    if not action:
        raise ValidationError({"action": "Say what must be done."})
    check_length("action", action, ACTION_MAX)
    if due_meeting is not None and due_meeting.start_date and deadline is None:
        deadline, deadline_precision = due_meeting.start_date, Precision.EVENT
    if due_meeting is not None or due_event:
        deadline_precision = deadline_precision or Precision.EVENT
    _validate_deadline(deadline, deadline_precision)
    commitment = Commitment.objects.create(
        meeting=meeting,
        decision=decision,
        reference=reference,
        action=action,
        responsible_text=responsible_text,
        deadline=deadline,
        deadline_precision=deadline_precision,
        agreed_deadline=deadline,
        agreed_precision=deadline_precision,
        deadline_text=deadline_text,
        due_meeting=due_meeting,
        due_event=due_event,
        status=status,
    )
    # An imported status ("done" in the minutes) is every share's; cancelled and superseded
    # are the commitment's own.
    share_status = status if status in ShareStatus.values else ShareStatus.OPEN
    _set_parties(commitment, responsible, partners, share_status=share_status)
    _add_sources(commitment, sources)
    return commitment


# The deadline fields a form or the importer writes are the deadline as agreed.
AGREED = {"deadline": "agreed_deadline", "deadline_precision": "agreed_precision"}

EDITABLE_FIELDS = (
    "action",
    "responsible_text",
    "deadline",
    "deadline_precision",
    "deadline_text",
    "due_meeting",
    "due_event",
    "decision",
    "reference",
)


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    user,
    expected_version: int | None,
    responsible: Sequence[Party] | None = None,
    partners: Sequence[Party] | None = None,
    note: str = "",
    **changes,
) -> Commitment:
    """Edit a commitment (Secretariat only). A moved deadline is recorded as an update."""
    require_secretariat(user)
    locked = lock_for_update(commitment, expected_version=expected_version)
    _apply_changes(
        locked, user=user, responsible=responsible, partners=partners, note=note, changes=changes
    )
    commitment.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def commitment_import_update(
    *,
    commitment: Commitment,
    user=None,
    responsible: Sequence[Party] | None = None,
    partners: Sequence[Party] | None = None,
    sources: Sequence[SourceRef] = (),
    note: str = "",
    **changes,
) -> Commitment:
    """The minutes importer's write: what a re-imported bundle changed, through the same
    validation, versioning and deadline history as ``commitment_update``. ``user`` may be None
    for the command line (trusted like a migration); a moved deadline is then recorded only if
    a user is named. Sources are only added: a hand-added citation is never removed."""
    if user is not None:
        require_secretariat(user)
    locked = lock_for_update(commitment, expected_version=None)
    if changes or responsible is not None or partners is not None:
        _apply_changes(
            locked,
            user=user,
            responsible=responsible,
            partners=partners,
            note=note,
            changes=changes,
        )
    _add_sources(locked, sources)
    commitment.__dict__.update(locked.__dict__)
    return locked


def _add_sources(commitment: Commitment, sources: Sequence[SourceRef]) -> None:
    CommitmentSource.objects.bulk_create(
        [
            CommitmentSource(
                commitment=commitment, document=s.document, paragraph=s.paragraph, quote=s.quote
            )
            for s in sources
        ],
        ignore_conflicts=True,
    )


def _apply_changes(
    locked: Commitment,
    *,
    user,
    responsible: Sequence[Party] | None,
    partners: Sequence[Party] | None,
    note: str,
    changes: dict,
) -> None:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))} here.")
    # An edit corrects the deadline as agreed; moving it after the meeting is an extension
    # (actions.extensions), which keeps the agreed one beside it.
    old_deadline = (locked.agreed_deadline, locked.agreed_precision, locked.deadline_text)
    extended = locked.deadline != locked.agreed_deadline
    for field, value in changes.items():
        setattr(locked, AGREED.get(field, field), value)
    due_at = changes.get("due_meeting")
    if due_at is not None and due_at.start_date and "deadline" not in changes:
        # Now due at a meeting with a date (the form, the API): that date, as agreed.
        locked.agreed_deadline, locked.agreed_precision = due_at.start_date, Precision.EVENT
    _validate_deadline(locked.agreed_deadline, locked.agreed_precision)
    if not extended:
        locked.deadline, locked.deadline_precision = locked.agreed_deadline, locked.agreed_precision
    if not locked.action.strip():
        raise ValidationError({"action": "Say what must be done."})
    check_length("action", locked.action, ACTION_MAX)
    check_length("note", note, NOTE_MAX)
    bump_version(locked)
    locked.save()
    clear_overtaken_shares(locked)
    if responsible is not None or partners is not None:
        current = list(locked.links.select_related("party"))
        _set_parties(
            locked,
            responsible
            if responsible is not None
            else [c.party for c in current if c.role == Role.RESPONSIBLE],
            partners
            if partners is not None
            else [c.party for c in current if c.role == Role.PARTNER],
        )
        refresh_status(locked)
    new_deadline = (locked.agreed_deadline, locked.agreed_precision, locked.deadline_text)
    if new_deadline != old_deadline and user is not None:
        moved = StatusUpdate.objects.create(
            commitment=locked,
            author=user,
            kind=UpdateKind.DEADLINE,
            note=note
            or reminders.deadline_correction_note(
                old_deadline,
                new_deadline,
                extended_to=locked.deadline if locked.is_extended else None,
            ),
        )
        reminders.notify_change(update=moved, actor=user)


@transaction.atomic
def link_next_meeting(*, meeting: Meeting) -> int:
    """The previous meeting of the series agreed things "at the next meeting" before this one
    was in the register: they are due at this one now, and take its date if it has one."""
    linked = Commitment.objects.filter(
        meeting__series=meeting.series_id,
        meeting__number=meeting.number - 1,
        due_meeting__isnull=True,
        agreed_precision=Precision.EVENT,
        due_event__icontains="next",
    ).update(due_meeting=meeting)
    if linked and meeting.start_date:
        meeting_commitments_follow_date(meeting=meeting)
    return linked


@transaction.atomic
def meeting_commitments_follow_date(*, meeting: Meeting) -> int:
    """Commitments due at ``meeting`` take its date once it is set (or moved): as agreed, and
    as their deadline unless it was extended."""
    qs = Commitment.objects.filter(due_meeting=meeting).exclude(agreed_deadline=meeting.start_date)
    count = 0
    for commitment in qs.select_for_update():
        if commitment.deadline == commitment.agreed_deadline:
            commitment.deadline = meeting.start_date
            commitment.deadline_precision = Precision.EVENT
        commitment.agreed_deadline = meeting.start_date
        commitment.agreed_precision = Precision.EVENT
        bump_version(commitment)
        commitment.save()
        clear_overtaken_shares(commitment)
        count += 1
    return count
