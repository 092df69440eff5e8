"""Writes to meetings, agenda items, decisions and participants, for the pages, the API and
the importer alike. Same pattern as ``actions.services``: staff only, optimistic locking
(``expected_version``), validation before saving; simple-history records who changed what."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import models, transaction

from meetings.models import AgendaItem, Decision, Meeting, Participant
from otscustoms.concurrency import bump_version, lock_for_update
from parties.models import Party
from parties.permissions import require_secretariat

M = TypeVar("M", bound=models.Model)

MEETING_FIELDS = (
    "series",
    "number",
    "title",
    "start_date",
    "end_date",
    "date_text",
    "year",
    "city",
    "host",
    "chair",
    "status",
)
AGENDA_ITEM_FIELDS = ("parent", "number", "title", "order")
DECISION_FIELDS = ("document", "number", "text", "agenda_item")
PARTICIPANT_FIELDS = (
    "party",
    "person",
    "honorific",
    "title",
    "organisation",
    "order",
    "is_head",
)


def _check_fields(changes: dict[str, Any], allowed: Sequence[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} here.")


def _create(model: type[M], *, user, allowed: Sequence[str], fields: dict[str, Any]) -> M:
    require_secretariat(user)
    _check_fields({k: v for k, v in fields.items() if k != "meeting"}, allowed)
    instance = model(**fields)
    # Model validation (constraints included) names the field at fault instead of an
    # IntegrityError turning into a 500.
    instance.full_clean()
    instance.save()
    return instance


def _update(
    instance: M, *, user, expected_version: int | None, allowed: Sequence[str], changes: dict
) -> M:
    require_secretariat(user)
    _check_fields(changes, allowed)
    locked = lock_for_update(instance, expected_version=expected_version)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    bump_version(locked)
    locked.save()
    instance.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def meeting_create(*, user, parties: Sequence[Party] = (), **fields: Any) -> Meeting:
    from actions.services import link_next_meeting

    meeting = _create(Meeting, user=user, allowed=MEETING_FIELDS, fields=fields)
    if parties:
        meeting.parties.set(parties)
    link_next_meeting(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    user,
    expected_version: int | None,
    parties: Sequence[Party] | None = None,
    **changes: Any,
) -> Meeting:
    """Edit a meeting; commitments due 'at' it follow a changed start date."""
    from actions.services import meeting_commitments_follow_date

    old_start = Meeting.objects.values_list("start_date", flat=True).get(pk=meeting.pk)
    locked = _update(
        meeting,
        user=user,
        expected_version=expected_version,
        allowed=MEETING_FIELDS,
        changes=changes,
    )
    if parties is not None:
        locked.parties.set(parties)
    if locked.start_date != old_start and locked.start_date is not None:
        meeting_commitments_follow_date(meeting=locked)
    return locked


@transaction.atomic
def agenda_item_create(*, user, meeting: Meeting, **fields: Any) -> AgendaItem:
    return _create(
        AgendaItem, user=user, allowed=AGENDA_ITEM_FIELDS, fields={"meeting": meeting, **fields}
    )


@transaction.atomic
def agenda_item_update(
    *, agenda_item: AgendaItem, user, expected_version: int | None, **changes: Any
) -> AgendaItem:
    return _update(
        agenda_item,
        user=user,
        expected_version=expected_version,
        allowed=AGENDA_ITEM_FIELDS,
        changes=changes,
    )


@transaction.atomic
def decision_create(*, user, meeting: Meeting, **fields: Any) -> Decision:
    return _create(
        Decision, user=user, allowed=DECISION_FIELDS, fields={"meeting": meeting, **fields}
    )


@transaction.atomic
def decision_update(
    *, decision: Decision, user, expected_version: int | None, **changes: Any
) -> Decision:
    return _update(
        decision,
        user=user,
        expected_version=expected_version,
        allowed=DECISION_FIELDS,
        changes=changes,
    )


@transaction.atomic
def participant_create(*, user, meeting: Meeting, **fields: Any) -> Participant:
    return _create(
        Participant, user=user, allowed=PARTICIPANT_FIELDS, fields={"meeting": meeting, **fields}
    )


@transaction.atomic
def participant_update(
    *, participant: Participant, user, expected_version: int | None, **changes: Any
) -> Participant:
    return _update(
        participant,
        user=user,
        expected_version=expected_version,
        allowed=PARTICIPANT_FIELDS,
        changes=changes,
    )
