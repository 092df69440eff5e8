"""Deadline extensions over REST: the Secretariat extends, a delegation asks for more time on its
own share and the Secretariat decides; the deadline as agreed stays as agreed."""

import datetime

import pytest
from rest_framework.test import APIClient

from actions.models import Commitment, DeadlineExtension, Reminder, StatusUpdate
from parties.models import Party
from tests.factories import CommitmentFactory, PartyFactory, delegate, staff

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 5, 1)


@pytest.fixture
def c02(seeded):
    return Commitment.objects.get(meeting__series__code="HCA", meeting__number=9, reference="C02")


def as_user(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_login(user)
    return api


def party(code: str) -> Party:
    return Party.objects.get(code=code)


def shares_of(body: dict) -> dict[str, dict]:
    return {share["party"]: share for share in body["shares"]}


def ask(api, commitment, **body):
    return api.post(f"/api/v1/commitments/{commitment.pk}/extensions/", body, format="json")


def overdue_for(api, code: str) -> set[str]:
    response = api.get("/api/v1/commitments/", {"party": code, "overdue": "true", "page_size": 500})
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


def test_a_requested_extension_once_approved_moves_that_share_only(c02, time_machine):
    time_machine.move_to(TODAY)
    turkey, kazakhs, boss = (
        as_user(delegate(party("TR"))),
        as_user(delegate(party("KZ"))),
        as_user(staff("boss")),
    )
    assert "C02" in overdue_for(turkey, "TR") and "C02" in overdue_for(turkey, "KZ")

    asked = ask(turkey, c02, deadline="2024-09-30", reason="Parliament ratifies in September")
    assert asked.status_code == 201, asked.content
    request = asked.json()
    assert (request["state"], request["party"], request["commitment"]) == ("pending", "TR", c02.pk)
    assert request["previous_deadline"] == "2024-04-01" and request["decided_at"] is None
    # The request is Türkiye's and the Secretariat's business until it is decided.
    url = f"/api/v1/commitments/{c02.pk}/"
    assert [e["state"] for e in turkey.get(url).json()["extensions"]] == ["pending"]
    assert boss.get(url).json()["extensions"] == turkey.get(url).json()["extensions"]
    assert kazakhs.get(url).json()["extensions"] == []
    assert kazakhs.get(request["url"]).status_code == 404
    assert "C02" in overdue_for(turkey, "TR")  # nothing moves before the decision

    decided = boss.post(
        f"/api/v1/extensions/{request['id']}/decision/",
        {"approve": True, "note": "Agreed"},
        format="json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["state"] == "approved" and decided.json()["decision_note"] == "Agreed"

    body = kazakhs.get(url).json()
    shares = shares_of(body)
    assert shares["TR"]["deadline"] == "2024-09-30" and shares["TR"]["is_overdue"] is False
    assert shares["KZ"]["deadline"] == "2024-04-01" and shares["KZ"]["is_overdue"] is True
    assert shares["TR"]["version"] == 2 and shares["KZ"]["version"] == 1
    assert body["deadline"] == "2024-04-01"
    assert body["agreed_deadline"]["text"] == "until 1 April 2024"
    assert body["agreed_deadline"]["date"] == "2024-04-01"
    [extension] = body["extensions"]  # in force: everyone sees it
    assert extension["party"] == "TR" and extension["deadline"] == "2024-09-30"
    assert extension["reason"] == "Parliament ratifies in September"
    assert extension["decided_at"] is not None
    assert "C02" not in overdue_for(kazakhs, "TR") and "C02" in overdue_for(kazakhs, "KZ")
    decision = StatusUpdate.objects.filter(commitment=c02, kind="deadline").latest("id")
    told = Reminder.objects.filter(status_update=decision).values_list("party__code", flat=True)
    assert set(told) == {"TR"}


def test_the_secretariat_extends_at_once(c02):
    boss = as_user(staff())
    whole = ask(boss, c02, deadline="2024-06-30", reason="Postponed by the HCA", party=None)
    assert whole.status_code == 201, whole.content
    assert (whole.json()["state"], whole.json()["party"]) == ("approved", None)
    share = ask(boss, c02, deadline="2024-12-31", reason="Elections", party="kz")
    assert share.status_code == 201 and share.json()["party"] == "KZ"
    assert share.json()["previous_deadline"] == "2024-06-30"
    body = boss.get(f"/api/v1/commitments/{c02.pk}/").json()
    assert body["deadline"] == "2024-06-30"
    assert body["agreed_deadline"] == {
        "date": "2024-04-01",
        "precision": "day",
        "text": "until 1 April 2024",
    }
    assert shares_of(body)["KZ"]["deadline"] == "2024-12-31"
    assert shares_of(body)["TR"]["deadline"] == "2024-06-30"
    assert [(e["party"], e["state"]) for e in body["extensions"]] == [
        (None, "approved"),
        ("KZ", "approved"),
    ]


def test_a_refused_request_moves_nothing_and_stays_with_whom_it_concerns(c02):
    turkey = as_user(delegate(party("TR")))
    request = ask(turkey, c02, deadline="2024-09-30", reason="More time").json()
    boss = as_user(staff())
    refused = boss.post(
        f"/api/v1/extensions/{request['id']}/decision/", {"approve": False}, format="json"
    )
    assert refused.status_code == 200 and refused.json()["state"] == "refused"
    body = turkey.get(f"/api/v1/commitments/{c02.pk}/").json()
    assert shares_of(body)["TR"]["deadline"] == "2024-04-01"
    assert [e["state"] for e in body["extensions"]] == ["refused"]
    assert as_user(delegate(party("KZ"))).get(request["url"]).status_code == 404
    again = boss.post(
        f"/api/v1/extensions/{request['id']}/decision/", {"approve": True}, format="json"
    )
    assert again.status_code == 400 and "already been decided" in str(again.json())


def test_who_may_extend_and_decide(c02):
    turkey, kazakhs = as_user(delegate(party("TR"))), as_user(delegate(party("KZ")))
    assert ask(APIClient(), c02, deadline="2024-09-30", reason="x").status_code == 401
    other = ask(kazakhs, c02, deadline="2024-09-30", reason="For Türkiye", party="TR")
    assert other.status_code == 403 and "own share" in other.json()["detail"]
    elsewhere = CommitmentFactory(responsible=[party("UZ")])
    outsider = ask(turkey, elsewhere, deadline="2024-09-30", reason="x")
    assert outsider.status_code == 403
    assert "your delegation is responsible" in outsider.json()["detail"]
    own = ask(turkey, c02, deadline="2024-09-30", reason="More time", party=None)
    assert own.status_code == 201 and own.json()["party"] == "TR"  # its own share
    decision = f"/api/v1/extensions/{own.json()['id']}/decision/"
    itself = turkey.post(decision, {"approve": True}, format="json")
    assert itself.status_code == 403
    assert itself.json()["detail"] == "Only the Secretariat decides on extensions."
    assert DeadlineExtension.objects.get().state == "pending"


def test_bad_input_names_the_field(c02):
    boss = as_user(staff())
    PartyFactory(code="ZZZ", name="Nowhere")
    cases = [
        ({"reason": "x"}, "deadline"),
        ({"deadline": "30 June", "reason": "x"}, "deadline"),
        ({"deadline": "2024-03-01", "reason": "Earlier"}, "deadline"),
        ({"deadline": "2024-09-30"}, "reason"),
        ({"deadline": "2024-09-30", "reason": "   "}, "reason"),
        ({"deadline": "2024-09-30", "reason": "x", "party": "QQ"}, "party"),
        ({"deadline": "2024-09-30", "reason": "x", "party": "ZZZ"}, "party"),  # no share
        ({"deadline": "2024-09-30", "reason": "x", "party": 7}, "party"),
    ]
    for body, field in cases:
        response = ask(boss, c02, **body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json(), (body, response.json())
    assert not DeadlineExtension.objects.exists()
    assert ask(boss, Commitment(pk=999999), deadline="2024-09-30", reason="x").status_code == 404
    request = ask(as_user(delegate(party("TR"))), c02, deadline="2024-09-30", reason="x")
    decision = f"/api/v1/extensions/{request.json()['id']}/decision/"
    unsaid = boss.post(decision, {"note": "Fine"})  # a form without `approve` decides nothing
    assert unsaid.status_code == 400 and "approve" in unsaid.json()
    assert boss.post(decision, {"approve": "maybe"}, format="json").status_code == 400
    assert boss.post("/api/v1/extensions/999999/decision/", {"approve": True}).status_code == 404
    assert DeadlineExtension.objects.get().state == "pending"


def test_the_extension_list_shows_each_reader_what_it_may_see(c02):
    boss = as_user(staff())
    ask(boss, c02, deadline="2024-06-30", reason="Postponed", party="UZ")
    ask(as_user(delegate(party("TR"))), c02, deadline="2024-09-30", reason="Türkiye asks")
    ask(as_user(delegate(party("KZ"))), c02, deadline="2024-10-31", reason="Kazakhstan asks")

    def listed(api, **query):
        response = api.get("/api/v1/extensions/", query)
        assert response.status_code == 200, response.content
        return [(e["party"], e["state"]) for e in response.json()["results"]]

    everything = [("UZ", "approved"), ("TR", "pending"), ("KZ", "pending")]
    assert listed(boss) == everything
    assert listed(boss, state="pending") == everything[1:]
    assert listed(boss, party="kz") == [("KZ", "pending")]
    assert listed(as_user(delegate(party("TR"), "tr2"))) == everything[:2]
    assert listed(as_user(delegate(party("AZ")))) == everything[:1]
    bad = boss.get("/api/v1/extensions/", {"state": "maybe", "party": "QQ"})
    assert bad.status_code == 400 and {"state", "party"} <= set(bad.json())
