"""Secretariat staff can use the admin for every model of the register."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from meetings.models import Meeting

pytestmark = pytest.mark.django_db

REGISTER_APPS = {"parties", "meetings", "actions"}


@pytest.fixture
def staff_client(client, django_user_model, seeded):
    user = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(user)
    return client


def test_every_register_model_is_in_the_admin():
    for model in apps.get_models():
        if model._meta.app_label in REGISTER_APPS and not model.__name__.startswith("Historical"):
            if model._meta.auto_created:
                continue
            assert model in admin.site._registry or model.__name__ in {
                "PartyAlias",
                "PersonAlias",
                "CommitmentParty",
                "CommitmentSource",
            }, model


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label in REGISTER_APPS],
    ids=lambda m: m.__name__,
)
def test_changelists_search_and_change_pages_open(staff_client, model):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "Türkiye"}).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert staff_client.get(change).status_code == 200


def test_meeting_page_shows_decisions_and_participants_inline(staff_client):
    meeting = Meeting.objects.by_code("HCA-9")
    response = staff_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('name="decisions-') > 0
    assert 'name="decisions-TOTAL_FORMS" value="11"' in content
    assert 'name="participants-TOTAL_FORMS" value="26"' in content
    assert "UÇARMAK" in content


def test_delegate_cannot_open_the_admin(client, django_user_model):
    user = django_user_model.objects.create_user("d", "d@example.org", "pw")
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_admin_date_change_moves_commitments_due_at_the_meeting(staff_client, rf):
    """Setting HCA-10's date in the admin gives C03/C11 ("at the next meeting") that date."""
    import datetime

    from django.contrib.auth import get_user_model

    from actions.models import Commitment
    from meetings.admin import MeetingAdmin

    meeting = Meeting.objects.by_code("HCA-10")
    model_admin = MeetingAdmin(Meeting, admin.site)
    request = rf.post("/")
    request.user = get_user_model().objects.get(username="boss")
    form_class = model_admin.get_form(request, meeting, change=True)
    data = {
        field: getattr(meeting, f"{field}_id", None) or getattr(meeting, field, "") or ""
        for field in form_class.base_fields
        if field != "parties"
    }
    data.update(start_date="2024-10-03", end_date="2024-10-03", status="held")
    data["parties"] = list(meeting.parties.values_list("pk", flat=True))
    form = form_class(data, instance=meeting)
    assert form.is_valid(), form.errors
    version = meeting.version
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    meeting.refresh_from_db()
    assert meeting.version == version + 1
    due = Commitment.objects.filter(reference__in=["C03", "C11"], due_meeting=meeting)
    assert due.count() == 2
    assert set(due.values_list("deadline", flat=True)) == {datetime.date(2024, 10, 3)}
    assert set(due.values_list("agreed_deadline", flat=True)) == {datetime.date(2024, 10, 3)}
