"""Writes over REST: the permission matrix, validation, and optimistic concurrency."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from actions.models import Commitment, Status, StatusUpdate
from parties.tokens import access_token_create
from tests.factories import CommitmentFactory, PartyFactory, delegate, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def turkey():
    return PartyFactory(code="TR", name="Türkiye")


@pytest.fixture
def commitment(turkey):
    return CommitmentFactory(
        responsible=[turkey], partners=[PartyFactory(code="OTS", kind="secretariat")]
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def as_user(user):
    api = APIClient()
    if user is not None:
        api.force_login(user)
    return api


def with_token(user):
    _token, secret = access_token_create(user=user, name="test client")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return api


# role -> (how the client is built, may report or change status, may edit)
MATRIX = {
    "anonymous": (lambda tr: APIClient(), 401, 401),
    "delegate of responsible party": (lambda tr: as_user(delegate(tr)), "ok", 403),
    "delegate of another party": (
        lambda tr: as_user(delegate(PartyFactory(code="KZ"))),
        403,
        403,
    ),
    "delegate of partner party": (
        lambda tr: as_user(delegate(PartyFactory(code="OTS"), username="ots-member")),
        403,
        403,
    ),
    "secretariat": (lambda tr: as_user(staff()), "ok", "ok"),
    "token client of responsible party": (
        lambda tr: with_token(delegate(tr, username="tr-robot")),
        "ok",
        403,
    ),
    "token client of secretariat": (lambda tr: with_token(staff("staff-robot")), "ok", "ok"),
}


def callers(turkey):
    return _Lazy(turkey)


class _Lazy:
    def __init__(self, turkey):
        self.turkey = turkey

    def __getitem__(self, role):
        build, report, edit = MATRIX[role]
        return build(self.turkey), report, edit


ROLES = [
    "anonymous",
    "delegate of responsible party",
    "delegate of another party",
    "delegate of partner party",
    "secretariat",
    "token client of responsible party",
    "token client of secretariat",
]


@pytest.mark.parametrize("role", ROLES)
def test_progress_report_permission_matrix(role, commitment, turkey):
    api, expected, _edit = callers(turkey)[role]
    response = api.post(
        f"/api/v1/commitments/{commitment.pk}/updates/",
        {"note": "Draft concept sent", "attachment": SimpleUploadedFile("c.pdf", b"%PDF-1.4")},
        format="multipart",
    )
    commitment.refresh_from_db()
    if expected == "ok":
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["kind"] == "progress" and body["review_state"] == "pending"
        assert body["attachment"].endswith(f"/commitments/reports/{body['id']}/attachment/")
        assert commitment.status == Status.IN_PROGRESS
        assert response["ETag"] == f'"{commitment.version}"'
    else:
        assert response.status_code == expected
        assert response.json()["detail"]
        assert commitment.status == Status.OPEN
        assert not StatusUpdate.objects.exists()
    if expected == 403:
        assert "delegation is responsible" in response.json()["detail"]


@pytest.mark.parametrize("role", ROLES)
def test_status_change_permission_matrix(role, commitment, turkey):
    api, expected, _edit = callers(turkey)[role]
    response = api.post(
        f"/api/v1/commitments/{commitment.pk}/status/",
        {"status": "submitted", "note": "All done on our side", "version": commitment.version},
        format="json",
    )
    commitment.refresh_from_db()
    if expected == "ok":
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "submitted" == commitment.status
        assert response.json()["version"] == commitment.version == 2
    else:
        assert response.status_code == expected
        assert commitment.status == Status.OPEN and commitment.version == 1


@pytest.mark.parametrize("role", ROLES)
def test_edit_permission_matrix(role, commitment, turkey):
    api, _report, expected = callers(turkey)[role]
    response = api.patch(
        f"/api/v1/commitments/{commitment.pk}/",
        {"deadline": "2024-04-01", "deadline_text": "by 1 April 2024", "version": 1},
        format="json",
    )
    commitment.refresh_from_db()
    if expected == "ok":
        assert response.status_code == 200, response.content
        assert response.json()["deadline_text"] == "by 1 April 2024"
        assert str(commitment.deadline) == "2024-04-01" and commitment.version == 2
        assert commitment.updates.get().kind == "deadline"
    else:
        assert response.status_code == expected
        if expected == 403:
            assert response.json()["detail"] == "Only Secretariat staff may edit a commitment."
        assert commitment.deadline_text == "by 1 March 2024" and commitment.version == 1


def test_delegate_cannot_close_own_commitment(commitment, turkey):
    response = as_user(delegate(turkey)).post(
        f"/api/v1/commitments/{commitment.pk}/status/", {"status": "done"}, format="json"
    )
    assert response.status_code == 400
    assert "A delegation cannot move its share" in response.json()["status"][0]


def test_validation_errors_name_fields(commitment):
    api = as_user(staff())
    bad_status = api.post(
        f"/api/v1/commitments/{commitment.pk}/status/", {"status": "finished"}, format="json"
    )
    assert bad_status.status_code == 400 and "status" in bad_status.json()
    empty = api.post(f"/api/v1/commitments/{commitment.pk}/updates/", {}, format="multipart")
    assert empty.status_code == 400
    assert empty.json() == {"note": ["Write what was done, or attach the evidence."]}
    edits = {
        "deadline": "1 March",
        "responsible": ["ZZ"],
        "due_meeting": "HCA-99",
        "version": 0,
    }
    invalid = api.patch(f"/api/v1/commitments/{commitment.pk}/", edits, format="json")
    assert invalid.status_code == 400
    assert {"deadline", "responsible", "due_meeting", "version"} <= set(invalid.json())
    no_precision = api.patch(
        f"/api/v1/commitments/{commitment.pk}/",
        {"deadline_precision": "", "version": 1},
        format="json",
    )
    assert no_precision.status_code == 400
    assert "deadline_precision" in no_precision.json()
    no_one = api.patch(
        f"/api/v1/commitments/{commitment.pk}/", {"responsible": [], "version": 1}, format="json"
    )
    assert no_one.status_code == 400 and "responsible" in no_one.json()
    commitment.refresh_from_db()
    assert commitment.version == 1
    assert api.post("/api/v1/commitments/999999/status/", {"status": "done"}).status_code == 404


def test_stale_version_in_body_is_409_and_changes_nothing(commitment):
    api = as_user(staff())
    first = api.patch(
        f"/api/v1/commitments/{commitment.pk}/", {"action": "First edit", "version": 1}
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = api.patch(
        f"/api/v1/commitments/{commitment.pk}/", {"action": "Second edit", "version": 1}
    )
    assert second.status_code == 409
    assert "changed by someone else" in second.json()["detail"]
    assert second.json()["current_version"] == 2
    stale_status = api.post(
        f"/api/v1/commitments/{commitment.pk}/status/", {"status": "done", "version": 1}
    )
    assert stale_status.status_code == 409
    stale_report = api.post(
        f"/api/v1/commitments/{commitment.pk}/updates/", {"note": "x", "version": 1}
    )
    assert stale_report.status_code == 409
    commitment.refresh_from_db()
    assert commitment.action == "First edit" and commitment.status == Status.OPEN
    assert commitment.version == 2
    assert not StatusUpdate.objects.filter(kind__in=["status", "progress"]).exists()


def test_stale_if_match_is_412_and_fresh_one_succeeds(commitment):
    api = as_user(staff())
    etag = api.get(f"/api/v1/commitments/{commitment.pk}/")["ETag"]
    Commitment.objects.filter(pk=commitment.pk).update(version=5)  # someone else saved
    stale = api.patch(
        f"/api/v1/commitments/{commitment.pk}/", {"action": "Mine"}, HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412 and stale.json()["current_version"] == 5
    fresh = api.patch(
        f"/api/v1/commitments/{commitment.pk}/", {"action": "Mine"}, HTTP_IF_MATCH='"5"'
    )
    assert fresh.status_code == 200 and fresh["ETag"] == '"6"'
    garbage = api.patch(
        f"/api/v1/commitments/{commitment.pk}/", {"action": "x"}, HTTP_IF_MATCH="yesterday"
    )
    assert garbage.status_code == 400 and "If-Match" in garbage.json()


def test_edit_without_version_is_refused(commitment):
    response = as_user(staff()).patch(
        f"/api/v1/commitments/{commitment.pk}/", {"action": "Blind edit"}, format="json"
    )
    assert response.status_code == 428
    commitment.refresh_from_db()
    assert commitment.action != "Blind edit"


def test_revoked_or_unknown_token_is_401(commitment, turkey):
    from parties.tokens import access_token_revoke

    user = delegate(turkey)
    token, secret = access_token_create(user=user, name="old")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/commitments/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    access_token_revoke(token=token, user=user)
    assert api.get("/api/v1/commitments/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Token ots_not-a-real-token")
    response = api.get("/api/v1/commitments/")
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_updates_list_newest_first(commitment, turkey):
    api = as_user(delegate(turkey))
    api.post(f"/api/v1/commitments/{commitment.pk}/updates/", {"note": "first"})
    api.post(f"/api/v1/commitments/{commitment.pk}/updates/", {"note": "second"})
    notes = [
        u["note"]
        for u in api.get(f"/api/v1/commitments/{commitment.pk}/updates/").json()["results"]
    ]
    assert notes == ["second", "first"]
    assert api.get("/api/v1/commitments/999999/updates/").status_code == 404
