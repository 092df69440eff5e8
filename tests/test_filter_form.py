"""The commitment filters: one vocabulary for the web list and the API, checked with a
message naming the problem."""

import datetime

import pytest

from actions.filters import RECENT_MEETINGS, CommitmentFilter
from actions.models import Commitment, Status
from tests.factories import CommitmentFactory, MeetingFactory, PartyFactory, staff


def test_meeting_field_suggests_only_recent_meetings(client, db):
    for number in range(RECENT_MEETINGS + 5):
        MeetingFactory(number=number + 1)
    client.force_login(staff())
    text = client.get("/commitments/").content.decode()
    assert 'list="meeting-codes"' in text
    datalist = text.split('<datalist id="meeting-codes">')[1].split("</datalist>")[0]
    assert datalist.count("<option") == RECENT_MEETINGS


def test_meeting_code_is_normalised_and_must_exist(db):
    meeting = MeetingFactory(number=9)
    found = CommitmentFilter({"meeting": f" {meeting.code.lower()} "}, Commitment.objects.all())
    assert found.is_valid(), found.errors
    assert found.form.cleaned_data["meeting"] == meeting.code
    unknown = CommitmentFilter({"meeting": f"{meeting.series.code}-99"}, Commitment.objects.all())
    assert unknown.errors["meeting"] == [f"No meeting {meeting.series.code}-99 in the register."]


def test_bad_meeting_code_is_named_on_the_page(client, db):
    client.force_login(staff())
    response = client.get("/commitments/?meeting=ninth")
    assert response.status_code == 200
    assert "“NINTH” is not a meeting code: write the series and number, as HCA-9." in (
        response.content.decode()
    )


def test_bad_meeting_code_is_a_400_naming_the_parameter_in_the_api(client, db):
    client.force_login(staff())
    response = client.get("/api/v1/commitments/?meeting=ninth")
    assert response.status_code == 400
    assert "meeting" in response.json()


@pytest.mark.parametrize("prefix", ["/commitments/", "/api/v1/commitments/"])
def test_web_list_and_api_take_the_same_parameters(client, db, prefix):
    tr, kz = PartyFactory(code="TR"), PartyFactory(code="KZ")
    mine = CommitmentFactory(
        responsible=[tr], deadline=datetime.date(2024, 5, 10), action="Draft the rules"
    )
    CommitmentFactory(responsible=[kz], deadline=datetime.date(2024, 5, 10))
    CommitmentFactory(responsible=[tr], deadline=datetime.date(2025, 1, 1))
    CommitmentFactory(responsible=[tr], deadline=datetime.date(2024, 5, 10), status=Status.DONE)
    client.force_login(staff())
    query = "party=tr&status=active&due_after=2024-05-01&due_before=2024-05-31&search=draft rules"
    response = client.get(f"{prefix}?{query}")
    assert response.status_code == 200
    if prefix.startswith("/api/"):
        assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    else:
        assert [c.pk for c in response.context["page"].object_list] == [mine.pk]


def test_dates_in_the_wrong_order_are_named(client, db):
    client.force_login(staff())
    page = client.get("/commitments/?due_after=2024-06-01&due_before=2024-05-01")
    assert "“Due until” is before “Due from”." in page.content.decode()
    api = client.get("/api/v1/commitments/?due_after=2024-06-01&due_before=2024-05-01")
    assert api.status_code == 400 and "due_before" in api.json()


def test_status_groups_and_several_statuses(db):
    today = datetime.date.today()
    late = CommitmentFactory(deadline=today - datetime.timedelta(days=3))
    later = CommitmentFactory(deadline=today + datetime.timedelta(days=3))
    undated = CommitmentFactory(deadline=None, deadline_precision="", deadline_text="")
    done = CommitmentFactory(status=Status.DONE)
    cancelled = CommitmentFactory(status=Status.CANCELLED)

    def ids(**params):
        found = CommitmentFilter(params, Commitment.objects.all())
        assert found.is_valid(), found.errors
        return set(found.qs.values_list("pk", flat=True))

    assert ids(status=["overdue"]) == {late.pk}
    assert ids(status=["active"]) == {late.pk, later.pk, undated.pk}
    assert ids(status=["closed"]) == {done.pk, cancelled.pk}
    assert ids(status=["done", "overdue"]) == {done.pk, late.pk}
    assert ids(overdue="false") == {later.pk, undated.pk, done.pk, cancelled.pk}


def test_web_filter_bar_keeps_the_parameters_it_does_not_show(client, db):
    client.force_login(staff())
    text = client.get("/commitments/?series=HCA&precision=month").content.decode()
    assert '<input type="hidden" name="series" value="HCA"' in text
    assert '<input type="hidden" name="precision" value="month"' in text
