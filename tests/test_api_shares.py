"""Each party's share of a commitment over REST: reading the shares, moving one, reporting on
one, and who may do which."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from actions.models import Commitment, CommitmentParty, Reminder, StatusUpdate
from parties.models import Party
from tests.factories import CommitmentFactory, PartyFactory, delegate, staff

pytestmark = pytest.mark.django_db
KEY = "5f0c8a52-2d7e-4b8e-9a43-0d4b6b0c1f11"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


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


def share_url(commitment, code: str, tail: str = "") -> str:
    return f"/api/v1/commitments/{commitment.pk}/shares/{code}/{tail}"


def told(update_id: int) -> set[str]:
    reminders = Reminder.objects.filter(status_update_id=update_id)
    return set(reminders.values_list("party__code", flat=True))


def test_turkey_submits_its_share_and_the_secretariat_accepts_it(c02):
    turkey, boss = as_user(delegate(party("TR"))), as_user(staff("boss"))
    delegate(party("KZ"))  # someone Kazakh who must not hear of Türkiye's acceptance

    submitted = turkey.post(
        share_url(c02, "TR", "updates/"),
        {"note": "Our proposals were sent on 20 March", "status": "submitted", "version": 1},
    )
    assert submitted.status_code == 201, submitted.content
    report = submitted.json()
    assert (report["party"], report["kind"], report["new_status"]) == (
        "TR",
        "progress",
        "submitted",
    )
    assert submitted["ETag"] == '"2"'  # the share's version now

    review = boss.post(
        f"/api/v1/commitments/{c02.pk}/updates/{report['id']}/review/",
        {"accept": True, "mark_done": True, "note": "Thank you"},
        format="json",
    )
    assert review.status_code == 200, review.content
    assert review.json()["review_state"] == "accepted"

    body = turkey.get(f"/api/v1/commitments/{c02.pk}/").json()
    shares = shares_of(body)
    assert len(shares) == 6
    assert shares["TR"]["status"] == "done" and shares["TR"]["version"] == 3
    assert shares["KZ"]["status"] == "open" and shares["KZ"]["version"] == 1
    assert body["status"] == "in_progress" != "done"
    acceptance = StatusUpdate.objects.filter(commitment=c02, kind="review").latest("id")
    assert told(acceptance.pk) == {"TR"}

    # The share's own progress: Türkiye's report, the review and the status change, newest
    # first; nothing of another party's share.
    listed = turkey.get(share_url(c02, "TR", "updates/")).json()["results"]
    assert [u["kind"] for u in listed] == ["review", "status", "progress"]
    assert {u["party"] for u in listed} == {"TR"}
    assert turkey.get(share_url(c02, "KZ", "updates/")).json()["results"] == []


def test_the_secretariat_marks_a_share_done_through_its_status(c02):
    boss = as_user(staff("boss"))
    response = boss.post(
        share_url(c02, "tr", "status/"), {"status": "done", "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert shares_of(body)["TR"]["status"] == "done"
    assert shares_of(body)["KZ"]["status"] == "open"
    assert body["status"] == "in_progress"
    assert response["ETag"] == f'"{body["version"]}"'
    share = boss.get(share_url(c02, "TR"))
    assert share.json()["status"] == "done" and share["ETag"] == '"2"'


def test_a_share_reads_its_own_deadline_and_overdue_state(c02, time_machine):
    time_machine.move_to(datetime.date(2024, 5, 1))
    CommitmentParty.objects.filter(commitment=c02, party__code="TR").update(
        deadline=datetime.date(2024, 9, 30)
    )
    body = as_user(staff()).get(f"/api/v1/commitments/{c02.pk}/").json()
    shares = shares_of(body)
    assert shares["TR"]["deadline"] == "2024-09-30" and shares["TR"]["is_overdue"] is False
    assert shares["KZ"]["deadline"] == "2024-04-01" and shares["KZ"]["is_overdue"] is True
    assert body["deadline"] == "2024-04-01"
    assert body["agreed_deadline"] == {
        "date": "2024-04-01",
        "precision": "day",
        "text": "until 1 April 2024",
    }


# who -> status code of a move of Türkiye's share, and the reason a 403 gives
SHARE_PERMISSIONS = {
    "anonymous": (None, 401, ""),
    "Türkiye": ("TR", 200, ""),
    "Kazakhstan": ("KZ", 403, "only on its own party's share, not on Türkiye's"),
    "the Secretariat's partner delegation": ("OTS", 403, "your delegation is responsible"),
    "the Secretariat": ("staff", 200, ""),
}


@pytest.mark.parametrize("who", SHARE_PERMISSIONS)
def test_who_may_move_a_share(who, c02):
    code, expected, reason = SHARE_PERMISSIONS[who]
    user = None if code is None else staff() if code == "staff" else delegate(party(code))
    response = as_user(user).post(
        share_url(c02, "TR", "status/"), {"status": "in_progress", "version": 1}, format="json"
    )
    assert response.status_code == expected, response.content
    share = CommitmentParty.objects.get(commitment=c02, party__code="TR")
    if expected == 200:
        assert share.status == "in_progress" and share.version == 2
    else:
        assert share.status == "open" and share.version == 1
        assert reason in response.json()["detail"]


@pytest.mark.parametrize("who", SHARE_PERMISSIONS)
def test_who_may_report_on_a_share(who, c02):
    code, expected, reason = SHARE_PERMISSIONS[who]
    user = None if code is None else staff() if code == "staff" else delegate(party(code))
    response = as_user(user).post(
        share_url(c02, "TR", "updates/"),
        {"note": "Draft sent", "attachment": SimpleUploadedFile("draft.pdf", b"%PDF-1.4")},
        format="multipart",
    )
    expected = 201 if expected == 200 else expected
    assert response.status_code == expected, response.content
    reports = StatusUpdate.objects.filter(commitment=c02, kind="progress")
    if expected == 201:
        assert reports.get().party.code == "TR"
        assert response.json()["attachment"].endswith("/attachment/")
    else:
        assert not reports.exists()
        assert reason in response.json()["detail"]


def test_a_delegation_cannot_close_its_own_share(c02):
    response = as_user(delegate(party("TR"))).post(
        share_url(c02, "TR", "status/"), {"status": "done"}, format="json"
    )
    assert response.status_code == 400
    assert "A delegation cannot move its share" in response.json()["status"][0]


def test_a_stale_share_version_is_409_and_a_stale_if_match_412(c02):
    boss = as_user(staff())
    first = boss.post(share_url(c02, "TR", "status/"), {"status": "in_progress", "version": 1})
    assert first.status_code == 200
    stale = boss.post(share_url(c02, "TR", "status/"), {"status": "submitted", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert "Türkiye's share was changed by someone else" in stale.json()["detail"]
    stale_report = boss.post(share_url(c02, "TR", "updates/"), {"note": "x", "version": 1})
    assert stale_report.status_code == 409 and stale_report.json()["current_version"] == 2
    if_match = boss.post(
        share_url(c02, "TR", "status/"), {"status": "submitted"}, HTTP_IF_MATCH='"1"'
    )
    assert if_match.status_code == 412 and if_match.json()["current_version"] == 2
    fresh = boss.post(
        share_url(c02, "TR", "status/"),
        {"status": "submitted"},
        HTTP_IF_MATCH=boss.get(share_url(c02, "TR"))["ETag"],
    )
    assert fresh.status_code == 200
    # Another share's version is its own: Kazakhstan's is still 1.
    kz = boss.post(share_url(c02, "KZ", "status/"), {"status": "in_progress", "version": 1})
    assert kz.status_code == 200
    assert not StatusUpdate.objects.filter(commitment=c02, kind="progress").exists()


def test_unknown_party_or_one_without_a_share_is_404(c02):
    PartyFactory(code="ZZZ", name="Nowhere")
    boss = as_user(staff())
    for url in (
        share_url(c02, "QQ"),
        share_url(c02, "QQ", "status/"),
        share_url(c02, "OTS", "updates/"),
        share_url(c02, "ZZZ", "status/"),
        share_url(c02, "T1", "status/"),
        "/api/v1/commitments/999999/shares/TR/status/",
    ):
        response = boss.post(url, {"status": "done"}) if "status" in url else boss.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"]
    assert "No party QQ" in boss.get(share_url(c02, "QQ")).json()["detail"]
    assert "OTS has no share" in boss.get(share_url(c02, "OTS")).json()["detail"]


def test_bad_input_names_the_field(c02):
    boss = as_user(staff())
    bad = boss.post(share_url(c02, "TR", "status/"), {"status": "finished", "version": 0})
    assert bad.status_code == 400 and {"status", "version"} <= set(bad.json())
    closed = boss.post(share_url(c02, "TR", "status/"), {"status": "cancelled"})
    assert closed.status_code == 400 and "status" in closed.json()
    empty = boss.post(share_url(c02, "TR", "updates/"), {}, format="multipart")
    assert empty.status_code == 400
    assert empty.json() == {"note": ["Write what was done, or attach the evidence."]}
    fake_pdf = boss.post(
        share_url(c02, "TR", "updates/"),
        {"attachment": SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>")},
        format="multipart",
    )
    assert fake_pdf.status_code == 400 and "attachment" in fake_pdf.json()
    key = boss.post(share_url(c02, "TR", "updates/"), {"note": "x"}, HTTP_IDEMPOTENCY_KEY="")
    assert key.status_code == 400 and "Idempotency-Key" in key.json()
    garbage = boss.post(
        share_url(c02, "TR", "status/"), {"status": "in_progress"}, HTTP_IF_MATCH="yesterday"
    )
    assert garbage.status_code == 400 and "If-Match" in garbage.json()


def test_a_report_retried_with_its_key_is_made_once(c02):
    turkey = as_user(delegate(party("TR")))
    headers = {"HTTP_IDEMPOTENCY_KEY": KEY}
    first = turkey.post(share_url(c02, "TR", "updates/"), {"note": "Sent"}, **headers)
    again = turkey.post(share_url(c02, "TR", "updates/"), {"note": "Sent"}, **headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    other = turkey.post(share_url(c02, "TR", "updates/"), {"note": "Other"}, **headers)
    assert other.status_code == 422
    assert StatusUpdate.objects.filter(commitment=c02, kind="progress").count() == 1


def test_a_key_used_on_one_share_is_not_a_report_on_another(c02):
    boss = as_user(staff())
    headers = {"HTTP_IDEMPOTENCY_KEY": KEY}
    assert boss.post(share_url(c02, "TR", "updates/"), {"note": "Sent"}, **headers).status_code
    other = boss.post(share_url(c02, "KZ", "updates/"), {"note": "Sent"}, **headers)
    assert other.status_code == 422
    reports = StatusUpdate.objects.filter(commitment=c02, kind="progress")
    assert list(reports.values_list("party__code", flat=True)) == ["TR"]


def test_review_is_for_the_secretariat_and_only_once(c02):
    report = as_user(delegate(party("TR"))).post(
        share_url(c02, "TR", "updates/"), {"note": "Sent", "status": "submitted"}
    )
    url = f"/api/v1/commitments/{c02.pk}/updates/{report.json()['id']}/review/"
    refused = as_user(delegate(party("TR"), "tr2")).post(url, {"accept": True}, format="json")
    assert refused.status_code == 403
    assert "Only the Secretariat reviews" in refused.json()["detail"]
    boss = as_user(staff())
    undecided = boss.post(url, {"note": "?"})  # a form without `accept` says nothing
    assert undecided.status_code == 400 and "accept" in undecided.json()
    returned = boss.post(url, {"accept": False, "note": "Attach the letter"}, format="json")
    assert returned.status_code == 200 and returned.json()["review_state"] == "rejected"
    share = CommitmentParty.objects.get(commitment=c02, party__code="TR")
    assert share.status == "in_progress"  # back from submitted
    again = boss.post(url, {"accept": True}, format="json")
    assert again.status_code == 400 and "already been reviewed" in str(again.json())
    status_change = StatusUpdate.objects.filter(commitment=c02, kind="status").latest("id")
    not_a_report = boss.post(
        f"/api/v1/commitments/{c02.pk}/updates/{status_change.pk}/review/",
        {"accept": True},
        format="json",
    )
    assert not_a_report.status_code == 400
    assert not_a_report.json() == {"non_field_errors": ["Only a progress report is reviewed."]}
    elsewhere = CommitmentFactory(responsible=[party("TR")])
    wrong = boss.post(
        f"/api/v1/commitments/{elsewhere.pk}/updates/{report.json()['id']}/review/",
        {"accept": True},
        format="json",
    )
    assert wrong.status_code == 404


def references(api, **query) -> set[str]:
    response = api.get("/api/v1/commitments/", {"page_size": 500, **query})
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


def test_with_a_party_the_filters_read_its_share(c02, time_machine):
    time_machine.move_to(datetime.date(2024, 5, 1))
    boss = as_user(staff())
    open_for_kz = references(boss, party="KZ", status="open")
    assert "C02" in open_for_kz
    boss.post(share_url(c02, "TR", "status/"), {"status": "done"})
    # Türkiye's share is done: C02 is no longer open, active or overdue for Türkiye, and
    # still all three for Kazakhstan, though the commitment as a whole is in progress.
    assert references(boss, party="KZ", status="open") == open_for_kz
    assert "C02" not in references(boss, party="TR", status="open")
    assert "C02" in references(boss, party="TR", status="closed")
    assert "C02" not in references(boss, party="TR", overdue="true")
    assert "C02" in references(boss, party="TR", overdue="false")
    assert "C02" in references(boss, party="KZ", overdue="true")
    assert "C02" in references(boss, party="KZ", status="overdue")
    assert "C02" not in references(boss, status="open")
    assert "C02" in references(boss, status="in_progress")
    boss.post(share_url(c02, "KZ", "status/"), {"status": "waived"})
    assert "C02" in references(boss, party="KZ", status="waived")
    assert "C02" not in references(boss, party="UZ", status="waived")


def test_with_a_party_the_deadline_filters_read_its_extended_deadline(c02):
    boss = as_user(staff())
    extended = boss.post(
        f"/api/v1/commitments/{c02.pk}/extensions/",
        {"deadline": "2024-09-30", "reason": "Elections", "party": "TR"},
        format="json",
    )
    assert extended.status_code == 201
    window = {"due_after": "2024-09-01", "due_before": "2024-09-30"}
    assert "C02" in references(boss, party="TR", **window)
    assert "C02" not in references(boss, party="KZ", **window)
    assert "C02" not in references(boss, **window)  # the whole commitment is due 1 April
    assert "C02" in references(boss, party="KZ", due_before="2024-04-01")
    assert "C02" not in references(boss, party="TR", due_before="2024-04-01")
    bad = boss.get(
        "/api/v1/commitments/",
        {"party": "TR", "due_after": "2024-10-01", "due_before": "2024-09-01", "status": "shiny"},
    )
    assert bad.status_code == 400 and {"due_before", "status"} <= set(bad.json())


def test_a_share_history_is_its_party_and_the_secretariat_s(c02):
    kazakhs, boss = as_user(delegate(party("KZ"))), as_user(staff())
    report = kazakhs.post(share_url(c02, "KZ", "updates/"), {"note": "Draft sent"})
    returned = boss.post(
        f"/api/v1/commitments/{c02.pk}/updates/{report.json()['id']}/review/",
        {"accept": False, "note": "The annex is missing"},
        format="json",
    )
    assert returned.status_code == 200
    boss.post(share_url(c02, "TR", "status/"), {"status": "in_progress", "note": "Started"})

    def kinds(api, url):
        response = api.get(url)
        assert response.status_code == 200, response.content
        return [(u["party"], u["kind"]) for u in response.json()["results"]]

    everything = [("TR", "status"), ("KZ", "review"), ("KZ", "progress")]
    whole = f"/api/v1/commitments/{c02.pk}/updates/"
    assert kinds(boss, whole) == everything
    assert kinds(kazakhs, whole) == everything[1:]
    # Türkiye reads Kazakhstan's progress, not the note returning its report.
    turkey = as_user(delegate(party("TR")))
    assert kinds(turkey, whole) == [("TR", "status"), ("KZ", "progress")]
    assert kinds(turkey, share_url(c02, "KZ", "updates/")) == [("KZ", "progress")]
    assert kinds(kazakhs, share_url(c02, "KZ", "updates/")) == everything[1:]
    assert kinds(as_user(delegate(party("AZ"))), whole) == [("KZ", "progress")]
