"""A bad request parameter gets a 4xx naming it: never a 500 from the database, and never a
200 that is cut short or silently ignores the parameter."""

import pytest
from django.test import Client

from tests.factories import CommitmentFactory, PartyFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def turkey():
    return PartyFactory(code="TR", name="Türkiye")


@pytest.fixture
def commitment(turkey):
    return CommitmentFactory(responsible=[turkey])


@pytest.fixture
def browser():
    client = Client()
    client.force_login(staff())
    return client


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
