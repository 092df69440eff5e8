"""The free texts a user sends have one limit each, the same on the web, in the API and in
the services (otscustoms/limits.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from actions import services
from actions.api.serializers import (
    CommitmentEditSerializer,
    ProgressReportSerializer,
    StatusChangeSerializer,
)
from actions.forms import CommitmentForm, ProgressReportForm, ReviewForm, StatusForm
from actions.models import StatusUpdate
from meetings.forms import AgendaItemForm, DecisionForm
from otscustoms.limits import ACTION_MAX, AGENDA_TITLE_MAX, DECISION_TEXT_MAX, NOTE_MAX
from tests.factories import CommitmentFactory, MeetingFactory, PartyFactory, delegate, staff

pytestmark = pytest.mark.django_db

TOO_LONG_NOTE = "x" * (NOTE_MAX + 1)


@pytest.fixture
def turkey():
    return PartyFactory(code="TR", name="Türkiye")


@pytest.fixture
def commitment(turkey):
    return CommitmentFactory(responsible=[turkey])


def test_the_web_form_refuses_a_note_one_character_too_long(client, turkey, commitment):
    client.force_login(delegate(turkey))
    url = reverse("actions:commitment-report", args=[commitment.pk])
    response = client.post(url, {"note": TOO_LONG_NOTE})
    assert response.status_code == 400
    assert f"at most {NOTE_MAX} characters" in response.content.decode()
    assert not StatusUpdate.objects.exists()
    assert client.post(url, {"note": "x" * NOTE_MAX}).status_code == 302


def test_the_api_refuses_the_same_note(turkey, commitment):
    api = APIClient()
    api.force_login(delegate(turkey))
    response = api.post(
        f"/api/v1/commitments/{commitment.pk}/updates/", {"note": TOO_LONG_NOTE}, format="json"
    )
    assert response.status_code == 400
    assert "note" in response.json()
    assert not StatusUpdate.objects.exists()


def test_web_and_api_share_the_limits():
    assert ProgressReportForm().fields["note"].max_length == NOTE_MAX
    assert ProgressReportSerializer().fields["note"].max_length == NOTE_MAX
    assert StatusForm().fields["note"].max_length == NOTE_MAX
    assert StatusChangeSerializer().fields["note"].max_length == NOTE_MAX
    assert ReviewForm().fields["note"].max_length == NOTE_MAX
    edit, form = CommitmentEditSerializer().fields, CommitmentForm().fields
    assert edit["action"].max_length == form["action"].max_length == ACTION_MAX
    assert edit["note"].max_length == NOTE_MAX
    for name in ("responsible_text", "deadline_text", "due_event", "reference"):
        assert edit[name].max_length == form[name].max_length, name


def test_the_form_fields_tell_the_browser_the_limit():
    assert f'maxlength="{NOTE_MAX}"' in str(ProgressReportForm()["note"])
    assert f'maxlength="{ACTION_MAX}"' in str(CommitmentForm()["action"])


def test_status_and_review_notes_are_limited_on_the_web(client, turkey, commitment):
    client.force_login(staff())
    response = client.post(
        reverse("actions:commitment-status", args=[commitment.pk]),
        {"status": "in_progress", "note": TOO_LONG_NOTE, "version": commitment.version},
    )
    assert response.status_code == 400
    report = services.progress_report_create(
        commitment=commitment, user=delegate(turkey), note="Done"
    )
    response = client.post(
        reverse("actions:report-review", args=[report.pk]),
        {"decision": "accept", "note": TOO_LONG_NOTE},
    )
    assert f"at most {NOTE_MAX} characters" in response.content.decode()
    report.refresh_from_db()
    assert report.review_state == "pending"


def test_the_services_refuse_whatever_path_the_text_came_by(turkey, commitment):
    user = delegate(turkey)
    with pytest.raises(ValidationError) as refused:
        services.progress_report_create(commitment=commitment, user=user, note=TOO_LONG_NOTE)
    assert "note" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.commitment_update_status(
            commitment=commitment, user=user, status="in_progress", note=TOO_LONG_NOTE
        )
    with pytest.raises(ValidationError) as refused:
        services.commitment_update(
            commitment=commitment,
            user=staff(),
            expected_version=commitment.version,
            action="y" * (ACTION_MAX + 1),
        )
    assert "action" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.commitment_create(
            meeting=commitment.meeting, action="y" * (ACTION_MAX + 1), responsible=[turkey]
        )


def test_meeting_forms_limit_decision_texts_and_agenda_titles():
    meeting = MeetingFactory()
    decision = DecisionForm({"number": 1, "text": "d" * (DECISION_TEXT_MAX + 1)}, meeting=meeting)
    assert not decision.is_valid() and "text" in decision.errors
    item = AgendaItemForm(
        {"number": "1", "title": "t" * (AGENDA_TITLE_MAX + 1), "order": 1}, meeting=meeting
    )
    assert not item.is_valid() and "title" in item.errors
