"""The write services: permissions, the status machine, optimistic locking, history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from actions import services
from actions.models import ReviewState, Status, StatusUpdate, UpdateKind
from otscustoms.concurrency import StaleVersionError
from tests.factories import CommitmentFactory, MeetingFactory, PartyFactory, delegate, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def turkey():
    return PartyFactory(code="TR", name="Türkiye")


@pytest.fixture
def commitment(turkey):
    return CommitmentFactory(
        responsible=[turkey], partners=[PartyFactory(code="OTS", kind="secretariat")]
    )


def test_delegate_reports_progress_on_own_party_commitment(commitment, turkey, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = delegate(turkey)
    update = services.progress_report_create(
        commitment=commitment,
        user=user,
        note="Concept drafted",
        attachment=SimpleUploadedFile("concept.pdf", b"%PDF-1.4 test"),
    )
    commitment.refresh_from_db()
    assert commitment.status == Status.IN_PROGRESS
    assert update.review_state == ReviewState.PENDING
    assert update.party == turkey
    assert update.original_name == "concept.pdf"
    assert update.attachment.name.endswith(".pdf") and "concept" not in update.attachment.name


def test_delegate_cannot_edit_other_party_commitment(commitment):
    other = delegate(PartyFactory(code="KZ"))
    with pytest.raises(PermissionDenied):
        services.progress_report_create(commitment=commitment, user=other, note="x")
    with pytest.raises(PermissionDenied):
        services.commitment_update_status(commitment=commitment, user=other, status="in_progress")
    assert StatusUpdate.objects.count() == 0


def test_partner_party_cannot_report(commitment):
    secretariat_delegate = delegate(commitment.partners[0], username="ots-member")
    with pytest.raises(PermissionDenied):
        services.progress_report_create(commitment=commitment, user=secretariat_delegate, note="x")


def test_delegate_cannot_close_a_commitment(commitment, turkey):
    with pytest.raises(ValidationError, match="A delegation cannot move its share"):
        services.commitment_update_status(
            commitment=commitment, user=delegate(turkey), status=Status.DONE
        )


def test_status_machine_refuses_wrong_transition(commitment):
    boss = staff()
    services.commitment_update_status(commitment=commitment, user=boss, status=Status.DONE)
    with pytest.raises(ValidationError, match="No party's share can go to"):
        services.commitment_update_status(commitment=commitment, user=boss, status=Status.SUBMITTED)


def test_stale_version_is_refused_and_nothing_changes(commitment):
    boss = staff()
    read_version = commitment.version
    services.commitment_update(
        commitment=commitment, user=boss, expected_version=read_version, action="New text"
    )
    assert commitment.version == read_version + 1
    with pytest.raises(StaleVersionError, match="changed by someone else"):
        services.commitment_update(
            commitment=commitment, user=boss, expected_version=read_version, action="Old tab"
        )
    commitment.refresh_from_db()
    assert commitment.action == "New text"


def test_moving_a_deadline_is_recorded(commitment):
    boss = staff()
    services.commitment_update(
        commitment=commitment,
        user=boss,
        expected_version=commitment.version,
        deadline=datetime.date(2024, 4, 1),
        deadline_text="by 1 April 2024",
    )
    update = StatusUpdate.objects.get(kind=UpdateKind.DEADLINE)
    assert "by 1 March 2024" in update.note and "by 1 April 2024" in update.note
    assert commitment.history.count() >= 1


def test_delegate_cannot_edit_commitment_fields(commitment, turkey):
    with pytest.raises(PermissionDenied):
        services.commitment_update(
            commitment=commitment, user=delegate(turkey), expected_version=None, action="x"
        )


def test_review_accepts_and_closes(commitment, turkey):
    report = services.progress_report_create(
        commitment=commitment, user=delegate(turkey), note="Done", status=Status.SUBMITTED
    )
    services.progress_report_review(update=report, user=staff(), accept=True, mark_done=True)
    commitment.refresh_from_db()
    report.refresh_from_db()
    assert commitment.status == Status.DONE
    assert report.review_state == ReviewState.ACCEPTED
    with pytest.raises(ValidationError, match="already been reviewed"):
        services.progress_report_review(update=report, user=staff(), accept=False)


def test_returned_report_moves_back_to_in_progress(commitment, turkey):
    report = services.progress_report_create(
        commitment=commitment, user=delegate(turkey), note="Draft", status=Status.SUBMITTED
    )
    services.progress_report_review(update=report, user=staff(), accept=False, note="More")
    commitment.refresh_from_db()
    assert commitment.status == Status.IN_PROGRESS


def test_empty_report_is_refused(commitment, turkey):
    with pytest.raises(ValidationError, match="Write what was done"):
        services.progress_report_create(commitment=commitment, user=delegate(turkey), note="  ")


def test_commitment_needs_a_responsible_party():
    with pytest.raises(ValidationError, match="at least one responsible"):
        services.commitment_create(meeting=MeetingFactory(), action="Do it", responsible=[])


def test_deadline_follows_the_meeting_it_is_tied_to(turkey):
    later = MeetingFactory(start_date=None, end_date=None, status="planned")
    commitment = services.commitment_create(
        meeting=MeetingFactory(),
        action="Report",
        responsible=[turkey],
        due_meeting=later,
        due_event="next meeting",
    )
    assert commitment.deadline is None and commitment.deadline_precision == "event"
    later.start_date = later.end_date = datetime.date(2024, 10, 3)
    later.save()
    assert services.meeting_commitments_follow_date(meeting=later) == 1
    commitment.refresh_from_db()
    assert commitment.deadline == datetime.date(2024, 10, 3)
