"""Evidence is private: downloaded only through a view that checks who asks, only as an
attachment, never from /media/; the API shows its link only to those who may follow it."""

from __future__ import annotations

import importlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve, reverse
from rest_framework.test import APIClient

from actions.models import StatusUpdate
from actions.services import progress_report_create
from parties.models import PartyKind
from tests.factories import CommitmentFactory, PartyFactory, delegate, staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 the renovated concept"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    """Türkiye responsible, Kazakhstan partner, Uzbekistan not involved, Georgia a guest,
    and Türkiye's report with a PDF."""
    tr = PartyFactory(code="TR", name="Türkiye")
    kz = PartyFactory(code="KZ", name="Kazakhstan")
    uz = PartyFactory(code="UZ", name="Uzbekistan")
    ge = PartyFactory(code="GE", name="Georgia", kind=PartyKind.GUEST)
    commitment = CommitmentFactory(responsible=[tr], partners=[kz])
    users = {
        "staff": staff(),
        "responsible": delegate(tr),
        "partner": delegate(kz),
        "other member": delegate(uz),
        "guest": delegate(ge),
    }
    report = progress_report_create(
        commitment=commitment,
        user=users["responsible"],
        note="Concept sent",
        attachment=SimpleUploadedFile("Silk road concept.pdf", PDF),
    )
    return commitment, report, users


def download(client, user, report):
    client.force_login(user)
    return client.get(reverse("actions:report-attachment", args=[report.pk]))


# who: (before sharing, after sharing)
WHO_MAY_DOWNLOAD = {
    "staff": (200, 200),
    "responsible": (200, 200),
    "partner": (403, 200),
    "other member": (403, 200),
    "guest": (403, 403),
}


@pytest.mark.parametrize("who", WHO_MAY_DOWNLOAD)
def test_download_permission_before_and_after_sharing(client, world, who):
    _commitment, report, users = world
    before, after = WHO_MAY_DOWNLOAD[who]
    assert download(client, users[who], report).status_code == before
    StatusUpdate.objects.filter(pk=report.pk).update(shared=True)
    assert download(client, users[who], report).status_code == after


def test_anonymous_users_are_sent_to_sign_in(client, world):
    _commitment, report, _users = world
    response = client.get(reverse("actions:report-attachment", args=[report.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_download_is_an_attachment_under_its_original_name_never_sniffed(client, world):
    _commitment, report, users = world
    response = download(client, users["responsible"], report)
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Silk road concept.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert "Silk" not in report.attachment.name  # stored under a random name


def test_a_page_stored_before_types_were_checked_is_served_as_bytes_to_download(client, world):
    commitment, _report, users = world
    old = StatusUpdate(commitment=commitment, author=users["responsible"], kind="progress")
    old.attachment.save("old.html", ContentFile(b"<script>alert(1)</script>"), save=True)
    response = download(client, users["responsible"], old)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_media_urls_are_not_served_even_in_debug(client, world):
    _commitment, report, users = world
    client.force_login(users["staff"])
    media_path = f"/media/{report.attachment.name}"
    urls = importlib.import_module("otscustoms.urls")
    try:
        # The URLconf as a DEBUG process would build it.
        with override_settings(DEBUG=True):
            importlib.reload(urls)
            clear_url_caches()
            with pytest.raises(Resolver404):
                resolve(media_path)
            assert client.get(media_path).status_code == 404
    finally:
        importlib.reload(urls)
        clear_url_caches()


def test_the_commitment_page_links_evidence_only_for_those_who_may_open_it(client, world):
    commitment, report, users = world
    link = reverse("actions:report-attachment", args=[report.pk])
    client.force_login(users["responsible"])
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert link in page and "Silk road concept.pdf" in page
    assert reverse("actions:report-share", args=[report.pk]) not in page
    for who in ("partner", "guest"):
        client.force_login(users[who])
        page = client.get(commitment.get_absolute_url()).content.decode()
        assert link not in page and "Silk road concept.pdf" not in page
        assert "Evidence is attached" in page


def test_staff_share_and_unshare_on_the_commitment_page(client, world):
    commitment, report, users = world
    share = reverse("actions:report-share", args=[report.pk])
    client.force_login(users["staff"])
    assert share in client.get(commitment.get_absolute_url()).content.decode()
    assert client.post(share, {"shared": "on"}).status_code == 302
    report.refresh_from_db()
    assert report.shared
    assert download(client, users["partner"], report).status_code == 200
    client.force_login(users["staff"])
    client.post(share, {})
    report.refresh_from_db()
    assert not report.shared


def test_only_staff_may_share(client, world):
    _commitment, report, users = world
    client.force_login(users["responsible"])
    response = client.post(reverse("actions:report-share", args=[report.pk]), {"shared": "on"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert not report.shared


# The API ---------------------------------------------------------------------------------


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_login(user)
    return api


def listed_attachment(user, commitment) -> str | None:
    response = api_as(user).get(f"/api/v1/commitments/{commitment.pk}/updates/")
    assert response.status_code == 200
    (body,) = [u for u in response.json()["results"] if u["kind"] == "progress"]
    return body["attachment"]


@pytest.mark.parametrize("who", WHO_MAY_DOWNLOAD)
def test_the_api_gives_the_link_only_to_those_who_may_follow_it(world, who):
    commitment, report, users = world
    before, after = WHO_MAY_DOWNLOAD[who]
    url = f"http://testserver/commitments/reports/{report.pk}/attachment/"
    assert listed_attachment(users[who], commitment) == (url if before == 200 else None)
    StatusUpdate.objects.filter(pk=report.pk).update(shared=True)
    assert listed_attachment(users[who], commitment) == (url if after == 200 else None)


def test_staff_share_evidence_over_the_api(world):
    commitment, report, users = world
    url = f"/api/v1/commitments/{commitment.pk}/updates/{report.pk}/"
    response = api_as(users["staff"]).patch(url, {"shared": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["shared"] is True
    assert listed_attachment(users["partner"], commitment) is not None
    response = api_as(users["staff"]).patch(url, {"shared": False}, format="json")
    assert response.json()["shared"] is False


def test_delegations_may_not_share_over_the_api(world):
    commitment, report, users = world
    url = f"/api/v1/commitments/{commitment.pk}/updates/{report.pk}/"
    response = api_as(users["responsible"]).patch(url, {"shared": True}, format="json")
    assert response.status_code == 403
    assert "share evidence" in response.json()["detail"]
    report.refresh_from_db()
    assert not report.shared


def test_sharing_needs_a_boolean_and_an_attachment(world):
    commitment, report, users = world
    api = api_as(users["staff"])
    url = f"/api/v1/commitments/{commitment.pk}/updates/{report.pk}/"
    assert api.patch(url, {}, format="json").status_code == 400
    plain = progress_report_create(commitment=commitment, user=users["staff"], note="No file")
    response = api.patch(
        f"/api/v1/commitments/{commitment.pk}/updates/{plain.pk}/", {"shared": True}, format="json"
    )
    assert response.status_code == 400
    assert "no attachment" in str(response.json())


def test_the_api_refuses_an_html_page_as_evidence(world):
    commitment, _report, users = world
    response = api_as(users["responsible"]).post(
        f"/api/v1/commitments/{commitment.pk}/updates/",
        {"note": "x", "attachment": SimpleUploadedFile("report.pdf", b"<!doctype html><p>")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "HTML" in response.json()["attachment"][0]
