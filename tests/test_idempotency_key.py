"""A progress report sent again with the same idempotency key (a client retrying after a lost
answer, a double click on the form) is made once and answered as the first time."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from actions.models import StatusUpdate
from tests.factories import CommitmentFactory, PartyFactory, delegate, staff
from tests.test_redis_down import redis_stopped

pytestmark = pytest.mark.django_db

KEY = "0b8e4f3c-6a0e-4f55-9d7e-2f1c1f3a9e21"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def turkey():
    return PartyFactory(code="TR", name="Türkiye")


@pytest.fixture
def commitment(turkey):
    return CommitmentFactory(responsible=[turkey])


@pytest.fixture
def api(turkey):
    client = APIClient()
    client.force_login(delegate(turkey))
    return client


def post(api, commitment, note="Concept drafted", **headers):
    return api.post(
        f"/api/v1/commitments/{commitment.pk}/updates/", {"note": note}, headers=headers
    )


def test_a_retry_with_the_same_key_answers_the_first_report(api, commitment):
    first = post(api, commitment, **{"Idempotency-Key": KEY})
    again = post(api, commitment, **{"Idempotency-Key": KEY})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert StatusUpdate.objects.filter(commitment=commitment).count() == 1
    # Without a key, the same request is another report.
    assert post(api, commitment).status_code == 201
    assert StatusUpdate.objects.filter(commitment=commitment).count() == 2


def test_a_retry_is_answered_although_the_first_request_moved_the_version(api, commitment):
    headers = {"Idempotency-Key": KEY, "If-Match": f'"{commitment.version}"'}
    first = post(api, commitment, **headers)
    again = post(api, commitment, **headers)
    assert first.status_code == again.status_code == 201, again.content
    assert again.json()["id"] == first.json()["id"]
    assert post(api, commitment, **{"If-Match": headers["If-Match"]}).status_code == 412


def test_a_retry_while_redis_is_down_is_stored_once(
    api, commitment, django_capture_on_commit_callbacks
):
    staff("boss")
    with redis_stopped(), django_capture_on_commit_callbacks(execute=True):
        first = post(api, commitment, **{"Idempotency-Key": KEY})
        again = post(api, commitment, **{"Idempotency-Key": KEY})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert StatusUpdate.objects.filter(commitment=commitment).count() == 1


def test_a_key_names_one_request(api, commitment, turkey):
    assert post(api, commitment, **{"Idempotency-Key": KEY}).status_code == 201
    other_note = post(api, commitment, "Something else", **{"Idempotency-Key": KEY})
    assert other_note.status_code == 422
    assert "already used" in other_note.json()["detail"]
    other_commitment = post(
        api, CommitmentFactory(responsible=[turkey]), **{"Idempotency-Key": KEY}
    )
    assert other_commitment.status_code == 422
    assert StatusUpdate.objects.count() == 1
    # Keys are each user's own: a colleague's key may be the same string.
    colleague = APIClient()
    colleague.force_login(delegate(turkey, "delegate-tr-2"))
    assert post(colleague, commitment, **{"Idempotency-Key": KEY}).status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", "clé"])
def test_a_malformed_key_is_refused(api, commitment, key):
    response = post(api, commitment, **{"Idempotency-Key": key})
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not StatusUpdate.objects.exists()


def test_the_longest_key_is_taken(api, commitment):
    assert post(api, commitment, **{"Idempotency-Key": "k" * 255}).status_code == 201


def test_the_form_sent_twice_makes_one_report(client, turkey, commitment):
    client.force_login(delegate(turkey))
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert 'type="hidden" name="idempotency_key"' in page
    form = {"note": "Concept drafted", "idempotency_key": KEY}
    url = reverse("actions:commitment-report", args=[commitment.pk])
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    assert StatusUpdate.objects.filter(commitment=commitment).count() == 1
    # Each page shows the form with a key of its own.
    assert KEY not in client.get(commitment.get_absolute_url()).content.decode()


def test_the_header_is_documented(client):
    spec = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = spec["paths"]["/api/v1/commitments/{commitment_pk}/updates/"]["post"]
    header = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
    assert "Idempotency-Key" in header and header["Idempotency-Key"]["description"]
    assert "422" in operation["responses"]
