"""The OpenAPI schema: valid, served with a local Swagger UI, matched by real responses (the
fuzzing of every operation is in test_api_fuzz.py)."""

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec
from rest_framework.test import APIClient

from actions.models import Commitment
from tests.factories import delegate, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(db):
    response = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi(spec):
    validate_spec(spec)
    paths = set(spec["paths"])
    assert {
        "/api/v1/parties/",
        "/api/v1/meetings/{code}/",
        "/api/v1/decisions/",
        "/api/v1/documents/",
        "/api/v1/commitments/",
        "/api/v1/commitments/{id}/",
        "/api/v1/commitments/{id}/status/",
        "/api/v1/commitments/{commitment_pk}/updates/",
        "/api/v1/commitments.csv",
        "/api/v1/commitments/{commitment_pk}/shares/{code}/",
        "/api/v1/commitments/{commitment_pk}/shares/{code}/status/",
        "/api/v1/commitments/{commitment_pk}/shares/{code}/updates/",
        "/api/v1/commitments/{commitment_pk}/updates/{id}/review/",
        "/api/v1/commitments/{commitment_pk}/extensions/",
        "/api/v1/extensions/",
        "/api/v1/extensions/{id}/",
        "/api/v1/extensions/{id}/decision/",
    } <= paths
    assert "tokenAuth" in spec["components"]["securitySchemes"]


def test_every_commitment_filter_is_described(spec):
    params = {p["name"]: p for p in spec["paths"]["/api/v1/commitments/"]["get"]["parameters"]}
    for name in (
        "party",
        "status",
        "meeting",
        "series",
        "due_before",
        "due_after",
        "overdue",
        "precision",
        "updated_since",
        "search",
        "ordering",
        "page",
        "page_size",
    ):
        assert params[name].get("description"), name
    csv_params = {p["name"] for p in spec["paths"]["/api/v1/commitments.csv"]["get"]["parameters"]}
    assert {"party", "status", "overdue", "ordering"} <= csv_params


def test_swagger_ui_is_served_locally(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn." not in page and "unpkg" not in page


def body_schema(spec, path, method, status):
    content = spec["paths"][path][method]["responses"][str(status)]["content"]
    return {"components": spec["components"], **content["application/json"]["schema"]}


def assert_matches(spec, path, method, status, body):
    errors = list(OAS31Validator(body_schema(spec, path, method, status)).iter_errors(body))
    assert not errors, [(list(e.absolute_path), e.message) for e in errors[:5]]


def test_responses_match_the_schema(seeded, spec, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    api = APIClient()
    api.force_authenticate(staff())
    commitment = Commitment.objects.for_party("TR", role="responsible").first()
    reads = [
        ("/api/v1/parties/", "/api/v1/parties/"),
        ("/api/v1/parties/{code}/", "/api/v1/parties/TR/"),
        ("/api/v1/meetings/", "/api/v1/meetings/"),
        ("/api/v1/meetings/{code}/", "/api/v1/meetings/HCA-9/"),
        ("/api/v1/decisions/", "/api/v1/decisions/"),
        ("/api/v1/documents/", "/api/v1/documents/"),
        ("/api/v1/commitments/", "/api/v1/commitments/?page_size=500"),
        ("/api/v1/commitments/{id}/", f"/api/v1/commitments/{commitment.pk}/"),
    ]
    for template, url in reads:
        response = api.get(url)
        assert response.status_code == 200, url
        assert_matches(spec, template, "get", 200, response.json())
    document = api.get("/api/v1/documents/").json()["results"][0]
    assert_matches(spec, "/api/v1/documents/{id}/", "get", 200, api.get(document["url"]).json())
    decision = api.get("/api/v1/decisions/").json()["results"][0]
    assert_matches(spec, "/api/v1/decisions/{id}/", "get", 200, api.get(decision["url"]).json())

    member = APIClient()
    member.force_authenticate(delegate(commitment.responsible[0], username="tr"))
    updates = f"/api/v1/commitments/{commitment.pk}/updates/"
    report = member.post(updates, {"note": "Concept drafted"})
    assert report.status_code == 201
    assert_matches(spec, "/api/v1/commitments/{commitment_pk}/updates/", "post", 201, report.json())
    listing = member.get(updates).json()
    assert_matches(spec, "/api/v1/commitments/{commitment_pk}/updates/", "get", 200, listing)
    status = member.post(f"/api/v1/commitments/{commitment.pk}/status/", {"status": "submitted"})
    assert status.status_code == 200
    assert_matches(spec, "/api/v1/commitments/{id}/status/", "post", 200, status.json())
    edit = api.patch(
        f"/api/v1/commitments/{commitment.pk}/",
        {"deadline_text": "by 1 April 2024", "version": status.json()["version"]},
    )
    assert edit.status_code == 200
    assert_matches(spec, "/api/v1/commitments/{id}/", "patch", 200, edit.json())


def test_share_and_extension_answers_match_the_schema(seeded, spec, settings, tmp_path):
    from parties.models import Party

    settings.MEDIA_ROOT = tmp_path
    boss = APIClient()
    boss.force_authenticate(staff())
    turkey = APIClient()
    turkey.force_authenticate(delegate(Party.objects.get(code="TR"), username="tr"))
    c02 = Commitment.objects.get(meeting__series__code="HCA", meeting__number=9, reference="C02")
    share = f"/api/v1/commitments/{c02.pk}/shares/TR/"
    template = "/api/v1/commitments/{commitment_pk}/shares/{code}/"

    report = turkey.post(f"{share}updates/", {"note": "Sent", "status": "submitted"})
    assert report.status_code == 201
    assert_matches(spec, f"{template}updates/", "post", 201, report.json())
    assert_matches(spec, f"{template}updates/", "get", 200, turkey.get(f"{share}updates/").json())
    assert_matches(spec, template, "get", 200, turkey.get(share).json())
    review = boss.post(
        f"/api/v1/commitments/{c02.pk}/updates/{report.json()['id']}/review/",
        {"accept": True, "mark_done": True},
        format="json",
    )
    assert review.status_code == 200
    assert_matches(
        spec, "/api/v1/commitments/{commitment_pk}/updates/{id}/review/", "post", 200, review.json()
    )
    moved = boss.post(f"/api/v1/commitments/{c02.pk}/shares/KZ/status/", {"status": "waived"})
    assert moved.status_code == 200
    assert_matches(spec, f"{template}status/", "post", 200, moved.json())

    extensions = f"/api/v1/commitments/{c02.pk}/extensions/"
    whole = boss.post(extensions, {"deadline": "2024-06-30", "reason": "Postponed"})
    asked = turkey.post(extensions, {"deadline": "2024-09-30", "reason": "Elections"})
    refused = turkey.post(extensions, {"deadline": "2024-10-31", "reason": "Later"})
    for answer in (whole, asked, refused):
        assert answer.status_code == 201
        assert_matches(
            spec, "/api/v1/commitments/{commitment_pk}/extensions/", "post", 201, answer.json()
        )
    decision = "/api/v1/extensions/{id}/decision/"
    refusal = boss.post(f"/api/v1/extensions/{refused.json()['id']}/decision/", {"approve": False})
    assert refusal.status_code == 200
    assert_matches(spec, decision, "post", 200, refusal.json())
    listing = turkey.get("/api/v1/extensions/").json()
    assert {e["state"] for e in listing["results"]} == {"approved", "pending", "refused"}
    assert_matches(spec, "/api/v1/extensions/", "get", 200, listing)
    assert_matches(
        spec, "/api/v1/extensions/{id}/", "get", 200, turkey.get(asked.json()["url"]).json()
    )
    body = turkey.get(f"/api/v1/commitments/{c02.pk}/").json()
    assert len(body["extensions"]) == 3 and body["shares"]
    assert_matches(spec, "/api/v1/commitments/{id}/", "get", 200, body)
