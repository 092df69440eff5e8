"""A feed's file is kept in the cache under its ETag: asked again while nothing in it changed,
it is served without reading the commitments, in a number of queries that does not grow
with the feed."""

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parties.tokens import calendar_token_regenerate
from tests.factories import CommitmentFactory, PartyFactory, delegate

pytestmark = pytest.mark.django_db

# Only the query that reads the events selects this column (the ETag's aggregate does not).
EVENT_COLUMN = '"actions_commitment"."action"'


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://register.example.org"


def reads_events(queries: CaptureQueriesContext) -> bool:
    return any(EVENT_COLUMN in query["sql"] for query in queries.captured_queries)


def uids(body: bytes) -> set[str]:
    return {str(e["UID"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


@pytest.mark.parametrize("rows", [5, 120])
def test_an_unchanged_feed_is_served_from_the_cache(rows, client, django_assert_num_queries):
    turkey = PartyFactory(code="TR", name="Türkiye")
    CommitmentFactory.create_batch(rows, responsible=[turkey], partners=[PartyFactory()])
    _token, secret = calendar_token_regenerate(user=delegate(turkey))

    # 1 token (+ user), 1 last-used stamp, 1 party, 1 aggregate of the feed (the ETag), 1
    # series and party codes (the ETag), 1 commitments (+ meeting, series, decision, the
    # party's link), 1 their party links (+ parties), 1 their approved extensions
    with django_assert_num_queries(8) as first:
        built = client.get("/calendar/party/TR.ics", {"token": secret})
    assert reads_events(first)
    assert built.status_code == 200 and built.content.count(b"BEGIN:VEVENT") == rows

    # 1 token (+ user; its last use was stamped a moment ago), 1 party, 1 aggregate, 1 codes:
    # the same ETag, so the same file, from the cache
    with django_assert_num_queries(4) as again:
        cached = client.get("/calendar/party/TR.ics", {"token": secret})
    assert not reads_events(again)
    assert cached.status_code == 200
    assert cached.content == built.content
    assert cached["ETag"] == built["ETag"]
    assert cached["Content-Type"] == "text/calendar; charset=utf-8"
    assert cached["Content-Disposition"] == 'inline; filename="TR.ics"'


def test_a_delegates_own_feed_is_its_partys_cached_file(client):
    turkey = PartyFactory(code="TR", name="Türkiye")
    CommitmentFactory.create_batch(3, responsible=[turkey])
    _token, secret = calendar_token_regenerate(user=delegate(turkey))
    party = client.get("/calendar/party/TR.ics", {"token": secret})
    with CaptureQueriesContext(connection) as queries:
        mine = client.get("/calendar/me.ics", {"token": secret})
    assert not reads_events(queries)
    assert mine.content == party.content and mine["ETag"] == party["ETag"]
    assert mine["Content-Disposition"] == 'inline; filename="my-deadlines.ics"'


def test_feeds_of_the_same_name_and_figures_do_not_share_a_file(client):
    """Two parties of one name, each with one commitment of its own and one they share
    (made last, so the latest change of both feeds): the same number of commitments,
    versions, latest changes and calendar name, yet different events."""
    first, second = PartyFactory(code="AA", name="Twin"), PartyFactory(code="BB", name="Twin")
    own_first = CommitmentFactory(responsible=[first])
    own_second = CommitmentFactory(responsible=[second])
    shared = CommitmentFactory(responsible=[first, second])
    _token, secret = calendar_token_regenerate(user=delegate(first))

    one = client.get("/calendar/party/AA.ics", {"token": secret})
    other = client.get("/calendar/party/BB.ics", {"token": secret})
    host = "register.example.org"
    assert uids(one.content) == {f"commitment-{c.pk}@{host}" for c in (own_first, shared)}
    assert uids(other.content) == {f"commitment-{c.pk}@{host}" for c in (own_second, shared)}
    assert one["ETag"] != other["ETag"]
