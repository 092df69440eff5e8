"""Constraints the database enforces, whatever writes to it."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from actions.models import Commitment, CommitmentParty, Role
from meetings.models import AgendaItem, Decision, Meeting, Participant
from parties.models import Party, PartyAlias
from tests.factories import (
    CommitmentFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    ParticipantFactory,
    PartyFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def _violates(fn) -> bool:
    try:
        with transaction.atomic():
            fn()
    except IntegrityError:
        return True
    return False


def test_meeting_number_is_unique_in_its_series():
    hca = MeetingSeriesFactory(code="HCA")
    wg = MeetingSeriesFactory(code="WG", name="Working Group")
    MeetingFactory(series=hca, number=9)
    assert _violates(lambda: MeetingFactory(series=hca, number=9))
    MeetingFactory(series=wg, number=9)  # the same number in another series is fine
    assert Meeting.objects.filter(number=9).count() == 2


def test_meeting_cannot_end_before_it_starts():
    assert _violates(
        lambda: MeetingFactory(
            start_date=datetime.date(2023, 12, 13), end_date=datetime.date(2023, 12, 10)
        )
    )


def test_meeting_code_and_lookup():
    meeting = MeetingFactory(series=MeetingSeriesFactory(code="HCA"), number=9)
    assert meeting.code == "HCA-9"
    assert Meeting.objects.by_code("hca-9") == meeting


def test_party_code_must_be_upper_case_letters():
    assert _violates(lambda: Party.objects.create(code="tr", name="x", kind="member"))
    assert _violates(lambda: Party.objects.create(code="T1", name="x", kind="member"))


def test_party_alias_is_unique_ignoring_case():
    party = PartyFactory(code="TR")
    PartyAlias.objects.create(party=party, name="Turkish side")
    assert _violates(lambda: PartyAlias.objects.create(party=party, name="TURKISH SIDE"))


def test_agenda_number_unique_in_meeting():
    meeting = MeetingFactory()
    AgendaItem.objects.create(meeting=meeting, number="2", title="a")
    assert _violates(lambda: AgendaItem.objects.create(meeting=meeting, number="2", title="b"))


def test_decision_number_unique_in_meeting():
    meeting = MeetingFactory()
    Decision.objects.create(meeting=meeting, number=1, text="a")
    assert _violates(lambda: Decision.objects.create(meeting=meeting, number=1, text="b"))


def test_person_takes_part_once_per_meeting():
    participant = ParticipantFactory()
    assert _violates(
        lambda: Participant.objects.create(
            meeting=participant.meeting,
            party=participant.party,
            person=participant.person,
            order=99,
        )
    )
    assert _violates(
        lambda: Participant.objects.create(
            meeting=participant.meeting,
            party=participant.party,
            person=PersonFactory(),
            order=participant.order,
        )
    )


def test_dated_commitment_needs_a_precision():
    assert _violates(
        lambda: CommitmentFactory(deadline=datetime.date(2024, 1, 1), deadline_precision="")
    )


def test_party_linked_once_per_commitment():
    party = PartyFactory()
    commitment = CommitmentFactory(responsible=[party])
    assert _violates(
        lambda: CommitmentParty.objects.create(
            commitment=commitment, party=party, role=Role.PARTNER
        )
    )


def test_commitment_reference_unique_in_meeting():
    commitment = CommitmentFactory(reference="C01")
    assert _violates(lambda: CommitmentFactory(meeting=commitment.meeting, reference="C01"))
    CommitmentFactory(reference="")
    CommitmentFactory(meeting=commitment.meeting, reference="")
    assert Commitment.objects.filter(reference="").count() == 2
