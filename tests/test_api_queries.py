"""Commitment lists (API, CSV, calendar) cost the same number of queries for 5 or 500 rows."""

import pytest
from rest_framework.test import APIClient

from actions.models import CommitmentSource
from parties.tokens import calendar_token_regenerate
from tests.factories import CommitmentFactory, DocumentFactory, PartyFactory, staff

pytestmark = pytest.mark.django_db

# What a page's rows need besides their own row (with its meeting, series, decision and due
# meeting, joined): 1 party links with their parties, 1 sources with their documents.
ROW_DETAILS = 2


def make_commitments(n):
    tr, ots = PartyFactory(code="TR"), PartyFactory(code="OTS", kind="secretariat")
    commitments = CommitmentFactory.create_batch(n, responsible=[tr], partners=[ots])
    document = DocumentFactory(meeting=commitments[0].meeting)
    CommitmentSource.objects.bulk_create(
        CommitmentSource(commitment=c, document=document, paragraph="4") for c in commitments
    )


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(staff())  # no session or token lookup in the count
    return client


@pytest.mark.parametrize("rows", [5, 500])
def test_commitment_list_queries_constant(rows, api, django_assert_num_queries):
    make_commitments(rows)
    # 1 count for the paginator, 1 page of commitments, their details
    with django_assert_num_queries(2 + ROW_DETAILS):
        response = api.get("/api/v1/commitments/", {"page_size": 500})
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [5, 500])
def test_filtered_list_queries_constant(rows, api, django_assert_num_queries):
    make_commitments(rows)
    # 1 the party codes the filter accepts, then the queries of the plain list
    with django_assert_num_queries(3 + ROW_DETAILS):
        response = api.get(
            "/api/v1/commitments/",
            {"page_size": 500, "party": "TR", "status": "open", "ordering": "party"},
        )
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [5, 500])
def test_csv_export_queries_constant(rows, api, django_assert_num_queries):
    make_commitments(rows)
    # 1 chunk of up to 500 commitments (+ meeting, series, decision, due meeting), then
    # the chunk's details
    with django_assert_num_queries(1 + ROW_DETAILS):
        response = api.get("/api/v1/commitments.csv")
        body = b"".join(response.streaming_content)
    assert body.count(b"\n") == rows + 1


@pytest.mark.parametrize("rows", [5, 500])
def test_calendar_feed_queries_constant(rows, client, django_assert_num_queries):
    make_commitments(rows)
    _token, secret = calendar_token_regenerate(user=staff())
    # 1 token (+ user), 1 last-used stamp, 1 membership of the user; for the ETag 1 aggregate
    # of the feed's commitments and 1 the series' and parties' codes; then 1 the commitments
    # (+ meeting, series, decision) and 1 their responsible parties' codes
    with django_assert_num_queries(7):
        response = client.get("/calendar/me.ics", {"token": secret})
    assert response.content.count(b"BEGIN:VEVENT") == rows


def test_list_count_reads_commitments_alone(api):
    """The paginator counts the filtered commitments only: a join for a column the rows
    show (the decision's number) doubled the count's time at 100,000 commitments."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_commitments(3)
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/commitments/", {"updated_since": "2000-01-01T00:00:00Z"})
    count = next(q["sql"] for q in queries if "COUNT(" in q["sql"])
    assert "JOIN" not in count and "meetings_" not in count


@pytest.mark.parametrize("rows", [5, 50])
def test_meeting_detail_queries_constant(rows, api, django_assert_num_queries):
    from meetings.models import Decision
    from tests.factories import AgendaItemFactory
    from tests.web_helpers import build_register

    meeting, _tr, _kz = build_register(rows)
    item = meeting.agenda_items.get()
    for i in range(rows):
        AgendaItemFactory(meeting=meeting, parent=item, number=f"1.{i}", order=i + 1)
        DocumentFactory(meeting=meeting, order=i)
    Decision.objects.filter(meeting=meeting).update(document=meeting.documents.first())
    # 1 the meeting (+ series, host), 1 its agenda items (+ parent), 1 participants (+ party,
    # person), 1 decisions (+ agenda item, document), 1 documents
    with django_assert_num_queries(5):
        response = api.get(f"/api/v1/meetings/{meeting.code}/")
    answer = response.json()
    assert [len(answer[key]) for key in ("agenda", "participants", "decisions", "documents")] == [
        rows + 1,
        rows,
        rows,
        rows + 1,
    ]
    assert {d["document"] for d in answer["decisions"]} == {answer["documents"][0]["key"]}
    assert answer["agenda"][-1]["parent"] == "1"
