"""A bad request parameter gets a 4xx naming it: never a 500 from the database, and never a
200 that is cut short or silently ignores the parameter."""

import datetime

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import CommitmentFactory, PartyFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def turkey():
    return PartyFactory(code="TR", name="Türkiye")


@pytest.fixture
def commitment(turkey):
    return CommitmentFactory(responsible=[turkey])


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(staff())
    return client


@pytest.fixture
def browser():
    client = Client()
    client.force_login(staff())
    return client


def rows(response) -> int:
    assert response.status_code == 200, response.content
    return len(response.json()["results"])


@pytest.mark.parametrize("url", ["/api/v1/commitments/", "/api/v1/commitments.csv"])
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        # PostgreSQL refuses offsets past ±15:59 ("time zone displacement out of range").
        ("2024-01-01T00:00:00+18:00", "more than 14 hours from UTC"),
        ("2024-01-01T00:00:00-14:30", "more than 14 hours from UTC"),
        # In UTC these are before the year 1 or after 9999, which Python cannot hold.
        ("0001-01-01T00:00:00+14:00", "out of range"),
        ("9999-12-31T23:59:59-14:00", "out of range"),
        ("yesterday", "valid date/time"),
    ],
)
def test_updated_since_out_of_range_is_a_400_naming_it(api, commitment, url, value, problem):
    accept = "text/csv" if url.endswith(".csv") else "application/json"
    response = api.get(url, {"updated_since": value}, HTTP_ACCEPT=accept)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["updated_since"]
    assert problem in response.json()["updated_since"][0]


@pytest.mark.parametrize("hours", [14, -12, 5.75, 0])
def test_updated_since_reads_every_offset_a_clock_has(api, commitment, hours):
    changed = commitment.updated_at.astimezone(datetime.timezone(datetime.timedelta(hours=hours)))
    minute = datetime.timedelta(minutes=1)
    since = {"updated_since": (changed - minute).isoformat()}
    assert rows(api.get("/api/v1/commitments/", since)) == 1
    since = {"updated_since": (changed + minute).isoformat()}
    assert rows(api.get("/api/v1/commitments/", since)) == 0


@pytest.mark.parametrize("ordering", ["deadline,", ",", "-deadline,,party", ""])
def test_ordering_with_empty_parts_ignores_them(api, commitment, ordering):
    assert rows(api.get("/api/v1/commitments/", {"ordering": ordering})) == 1
    response = api.get("/api/v1/commitments.csv", {"ordering": ordering})
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).splitlines()) == 2  # header and the row


@pytest.mark.parametrize("ordering", ["action", "-", "--deadline", "deadline,action"])
def test_ordering_by_anything_else_is_a_400(api, commitment, ordering):
    for url in ("/api/v1/commitments/", "/api/v1/commitments.csv"):
        response = api.get(url, {"ordering": ordering})
        assert response.status_code == 400, url
        assert list(response.json()) == ["ordering"]


def test_csv_export_checks_every_filter_before_the_first_byte(api, commitment):
    """The two reproductions together: both named, in JSON, whatever the client accepts."""
    response = api.get(
        "/api/v1/commitments.csv",
        {"updated_since": "2024-01-01T00:00:00+18:00", "ordering": "action"},
        HTTP_ACCEPT="text/csv",
    )
    assert response.status_code == 400
    assert not response.streaming
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"updated_since", "ordering"}


@pytest.mark.parametrize(
    "url",
    [
        "/parties/T%00R/",
        "/parties/T%00R/obligations.pdf",
        "/calendar/party/T%00R.ics",
        "/calendar/party/T-R.ics",
        "/meetings/HCA-9%00/",
        "/meetings/HCA%00-9/minutes.pdf",
        "/meetings/HCA-9/documents/note%00/",
        "/meetings/HCA-9/decisions%00/new/",
        "/reports/series/HC%00A.pdf",
    ],
)
def test_codes_in_urls_take_only_what_a_code_can_be(browser, commitment, url):
    assert browser.get(url).status_code == 404


def test_codes_in_urls_still_take_any_case(browser, turkey):
    assert browser.get("/parties/tr/").status_code == 200
    assert browser.get("/parties/TR/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/parties/T%00R/",
        "/api/v1/meetings/HCA-9%00/",
        "/api/v1/commitments/-1/updates/",
        "/api/v1/nothing-here/",
    ],
)
def test_unknown_api_urls_answer_json(api, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "-5"}, "page_size"),
        ({"page_size": ""}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "first"}, "page"),
        ({"page": "9" * 5000}, "page"),
        ({"format": "xml"}, "format"),
        ({"search": "a\x00b"}, "search"),
        ({"meeting": "HCA-9\x00"}, "meeting"),
    ],
)
def test_unreadable_list_parameters_are_a_400_naming_them(api, commitment, query, name):
    response = api.get("/api/v1/commitments/", query)
    assert response.status_code == 400
    assert list(response.json()) == [name]


def test_pages_past_the_last_are_still_a_404(api, commitment):
    assert api.get("/api/v1/commitments/", {"page": "2"}).status_code == 404
    assert rows(api.get("/api/v1/commitments/", {"page": "last"})) == 1


def test_web_list_shows_a_bad_filter_instead_of_failing(browser, commitment):
    response = browser.get("/commitments/", {"updated_since": "2024-01-01T00:00:00+18:00"})
    assert response.status_code == 200
    assert "updated_since: “2024-01-01T00:00:00+18:00” has an offset" in response.text
