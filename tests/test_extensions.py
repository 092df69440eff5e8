"""Deadline extensions keep the agreed deadline and move the effective one; "at the next
meeting" commitments take that meeting's date."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions import services
from actions.filters import CommitmentFilter
from actions.models import Commitment, DeadlineExtension, Reminder, StatusUpdate
from meetings import services as meeting_services
from meetings.models import Meeting
from parties.models import Party
from tests.factories import CommitmentFactory, MeetingFactory, PartyFactory, delegate, staff

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 5, 1)


@pytest.fixture
def c02(seeded):
    return Commitment.objects.get(meeting__series__code="HCA", meeting__number=9, reference="C02")


def overdue_for(code: str) -> set[str]:
    filtered = CommitmentFilter({"party": code, "overdue": "true"}, Commitment.objects.all())
    assert filtered.is_valid(), filtered.errors
    return set(filtered.qs.values_list("reference", flat=True))


def test_a_requested_extension_once_approved_moves_that_share_only(c02, time_machine):
    time_machine.move_to(TODAY)
    tr, kz = Party.objects.get(code="TR"), Party.objects.get(code="KZ")
    boss = staff("boss")
    assert "C02" in overdue_for("TR") and "C02" in overdue_for("KZ")
    request = services.extension_create(
        commitment=c02,
        user=delegate(tr),
        deadline=datetime.date(2024, 9, 30),
        reason="Parliament ratifies in September",
    )
    assert request.state == "pending" and request.party == tr
    asked = StatusUpdate.objects.filter(kind="deadline").latest("id")
    assert set(
        Reminder.objects.filter(status_update=asked).values_list("recipient", flat=True)
    ) == {boss.pk}
    assert "C02" in overdue_for("TR")  # nothing moves before the Secretariat decides
    services.extension_decide(extension=request, user=boss, approve=True, note="Agreed")
    c02.refresh_from_db()
    share = c02.links.get(party=tr)
    assert share.deadline == datetime.date(2024, 9, 30)
    assert "C02" not in overdue_for("TR") and "C02" in overdue_for("KZ")
    assert c02.deadline_text == "until 1 April 2024"
    assert c02.agreed_deadline == c02.deadline == datetime.date(2024, 4, 1)
    decision = StatusUpdate.objects.filter(kind="deadline").latest("id")
    assert decision.party == tr and told(decision) == {"TR"}
    assert kz not in {r.party for r in Reminder.objects.filter(status_update=decision)}


def told(update) -> set[str]:
    return set(Reminder.objects.filter(status_update=update).values_list("party__code", flat=True))


def test_a_refused_request_moves_nothing(c02):
    tr = Party.objects.get(code="TR")
    request = services.extension_create(
        commitment=c02, user=delegate(tr), deadline=datetime.date(2024, 9, 30), reason="Later"
    )
    services.extension_decide(extension=request, user=staff("boss"), approve=False)
    assert c02.links.get(party=tr).deadline is None
    assert DeadlineExtension.objects.get().state == "refused"
    with pytest.raises(ValidationError, match="already been decided"):
        services.extension_decide(extension=request, user=staff("boss"), approve=True)


def test_the_secretariat_extends_the_whole_commitment_at_once(c02):
    services.extension_create(
        commitment=c02,
        user=staff("boss"),
        deadline=datetime.date(2025, 6, 30),
        reason="Decided at HCA-10",
    )
    c02.refresh_from_db()
    assert c02.deadline == datetime.date(2025, 6, 30) and c02.is_extended
    assert (c02.agreed_deadline, c02.deadline_text) == (
        datetime.date(2024, 4, 1),
        "until 1 April 2024",
    )


def test_a_delegation_cannot_extend_another_party_or_ask_for_less_time(c02):
    tr, kz = Party.objects.get(code="TR"), Party.objects.get(code="KZ")
    with pytest.raises(PermissionDenied):
        services.extension_create(
            commitment=c02, user=delegate(tr), deadline=datetime.date(2025, 1, 1), reason="x",
            party=kz,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="later than the deadline"):
        services.extension_create(
            commitment=c02, user=delegate(tr), deadline=datetime.date(2024, 3, 1), reason="x"
        )
    with pytest.raises(ValidationError, match="Say why"):
        services.extension_create(
            commitment=c02, user=delegate(tr), deadline=datetime.date(2025, 1, 1), reason=" "
        )
    with pytest.raises(PermissionDenied):
        request = services.extension_create(
            commitment=c02, user=delegate(tr), deadline=datetime.date(2025, 1, 1), reason="x"
        )
        services.extension_decide(extension=request, user=delegate(tr, "tr2"), approve=True)


def test_an_edit_corrects_the_agreed_deadline_and_keeps_an_extension():
    tr = PartyFactory(code="TR")
    boss = staff("boss")
    commitment = CommitmentFactory(responsible=[tr])
    services.extension_create(
        commitment=commitment, user=boss, deadline=datetime.date(2024, 12, 31), reason="x"
    )
    services.commitment_update(
        commitment=commitment,
        user=boss,
        expected_version=None,
        deadline=datetime.date(2024, 3, 15),
        deadline_text="by 15 March 2024",
    )
    commitment.refresh_from_db()
    assert commitment.agreed_deadline == datetime.date(2024, 3, 15)
    assert commitment.deadline == datetime.date(2024, 12, 31)


def test_setting_the_next_meeting_date_dates_what_is_due_at_it():
    tr = PartyFactory(code="TR")
    boss = staff("boss")
    hca9 = MeetingFactory(number=9)
    due = CommitmentFactory(
        meeting=hca9,
        responsible=[tr],
        deadline=None,
        deadline_precision="event",
        deadline_text="at the next meeting",
        due_event="next meeting of the HCA",
    )
    hca10 = meeting_services.meeting_create(
        user=boss, series=hca9.series, number=10, title="10th meeting"
    )
    due.refresh_from_db()
    assert due.due_meeting == hca10 and due.deadline is None
    meeting_services.meeting_update(
        meeting=Meeting.objects.get(pk=hca10.pk),
        user=boss,
        expected_version=None,
        start_date=datetime.date(2024, 10, 8),
    )
    due.refresh_from_db()
    assert due.deadline == due.agreed_deadline == datetime.date(2024, 10, 8)
    assert due.deadline_text == "at the next meeting"


def test_the_deadline_reads_as_agreed_with_the_extension_in_force(c02):
    from actions.templatetags.otsweb import agreed_and_extended

    tr = Party.objects.get(code="TR")
    services.extension_create(
        commitment=c02,
        user=staff("boss"),
        deadline=datetime.date(2025, 6, 30),
        reason="Translation pending",
        party=tr,
    )
    read = Commitment.objects.with_related().get(pk=c02.pk)
    assert agreed_and_extended(read, tr.pk) == (
        "until 1 April 2024 — extended to 30 June 2025: Translation pending"
    )
    assert agreed_and_extended(read) == "until 1 April 2024"
    assert read.deadline_for(tr.pk) == datetime.date(2025, 6, 30)


def test_a_whole_extension_past_a_share_extension_takes_the_share_along(c02):
    tr, boss = Party.objects.get(code="TR"), staff("boss")
    services.extension_create(
        commitment=c02, user=boss, deadline=datetime.date(2024, 9, 30), reason="TR", party=tr
    )

    def due(**params) -> bool:
        filtered = CommitmentFilter({"party": "TR", **params}, Commitment.objects.all())
        assert filtered.is_valid(), filtered.errors
        return filtered.qs.filter(pk=c02.pk).exists()

    assert due(due_after="2024-09-01", due_before="2024-09-30")
    assert not due(due_before="2024-04-30")
    services.extension_create(
        commitment=c02, user=boss, deadline=datetime.date(2025, 6, 30), reason="All"
    )
    c02.refresh_from_db()
    assert c02.links.get(party=tr).deadline is None
    assert Commitment.objects.with_related().get(pk=c02.pk).deadline_for(tr.pk) == (
        datetime.date(2025, 6, 30)
    )
    assert due(due_after="2025-06-01", due_before="2025-06-30")


def test_a_commitment_made_due_at_a_dated_meeting_takes_its_date():
    tr = PartyFactory(code="TR")
    later = MeetingFactory(number=12, start_date=datetime.date(2025, 5, 20), end_date=None)
    commitment = CommitmentFactory(responsible=[tr], deadline=None, deadline_precision="")
    services.commitment_update(
        commitment=commitment, user=staff("boss"), expected_version=None, due_meeting=later
    )
    commitment.refresh_from_db()
    assert commitment.deadline == commitment.agreed_deadline == datetime.date(2025, 5, 20)
    assert commitment.deadline_precision == "event"
