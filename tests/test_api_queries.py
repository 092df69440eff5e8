"""Commitment lists (API, CSV, calendar) cost the same number of queries for 5 or 500 rows."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from actions.models import CommitmentSource, DeadlineExtension
from parties.models import Party
from parties.tokens import calendar_token_regenerate
from tests.factories import CommitmentFactory, DocumentFactory, PartyFactory, delegate, staff

pytestmark = pytest.mark.django_db

# What a page's rows need besides their own row (with its meeting, series, decision and due
# meeting, joined): 1 party links (the shares among them) with their parties, 1 sources with
# their documents.
ROW_DETAILS = 2
# ... and in the API 1 more: the extensions of the rows, with their parties.
API_ROW_DETAILS = ROW_DETAILS + 1
SHARE_CODES = ["TR", "KZ", "KG", "UZ", "AZ", "HU"]


def make_commitments(n, shares=1):
    responsible = [PartyFactory(code=code) for code in SHARE_CODES[:shares]]
    ots = PartyFactory(code="OTS", kind="secretariat")
    commitments = CommitmentFactory.create_batch(n, responsible=responsible, partners=[ots])
    document = DocumentFactory(meeting=commitments[0].meeting)
    CommitmentSource.objects.bulk_create(
        CommitmentSource(commitment=c, document=document, paragraph="4") for c in commitments
    )
    return commitments


def extend_every_share(commitments):
    """Each share extended once and asked once more: approved and pending rows to read."""
    boss = staff("boss")
    DeadlineExtension.objects.bulk_create(
        DeadlineExtension(
            commitment=commitment,
            party_id=link.party_id,
            deadline=datetime.date(2024, 6, 30),
            previous_deadline=commitment.deadline,
            reason="More time",
            state=state,
            requested_by=boss,
        )
        for commitment in commitments
        for link in commitment.links.filter(role="responsible")
        for state in ("approved", "pending")
    )


def as_read(user):
    """The user read again, as a request reads it: without its membership in memory."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(staff())  # no session or token lookup in the count
    return client


@pytest.mark.parametrize("rows", [5, 120])
def test_commitment_list_queries_constant(rows, api, django_assert_num_queries):
    make_commitments(rows)
    # 1 count for the paginator, 1 page of commitments, their details
    with django_assert_num_queries(2 + API_ROW_DETAILS):
        response = api.get("/api/v1/commitments/", {"page_size": 500})
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize(("rows", "shares"), [(5, 1), (5, 6), (60, 6)])
def test_commitment_list_queries_constant_in_shares_and_extensions(
    rows, shares, django_assert_num_queries
):
    extend_every_share(make_commitments(rows, shares))
    api = APIClient()
    # Read again, as a request reads its user: without its membership in memory.
    api.force_authenticate(as_read(delegate(Party.objects.get(code="TR"))))
    # 1 the reader's delegation (whose pending requests it sees), then the plain list's
    with django_assert_num_queries(1 + 2 + API_ROW_DETAILS):
        response = api.get("/api/v1/commitments/", {"page_size": 500})
    results = response.json()["results"]
    assert len(results) == rows
    assert all(len(row["shares"]) == shares for row in results)
    # Every share's extension in force; of the requests, Türkiye's own only.
    assert all(len(row["extensions"]) == shares + 1 for row in results)


@pytest.mark.parametrize("shares", [1, 6])
def test_commitment_detail_queries_constant_in_shares(shares, api, django_assert_num_queries):
    [commitment] = make_commitments(1, shares)
    extend_every_share([commitment])
    # 1 the commitment, its details
    with django_assert_num_queries(1 + API_ROW_DETAILS):
        response = api.get(f"/api/v1/commitments/{commitment.pk}/")
    assert len(response.json()["shares"]) == shares
    assert len(response.json()["extensions"]) == 2 * shares


@pytest.mark.parametrize("rows", [5, 120])
def test_filtered_list_queries_constant(rows, api, django_assert_num_queries):
    make_commitments(rows)
    # 1 the party codes the filter accepts, then the queries of the plain list
    with django_assert_num_queries(3 + API_ROW_DETAILS):
        response = api.get(
            "/api/v1/commitments/",
            {"page_size": 500, "party": "TR", "status": "open", "ordering": "party"},
        )
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [5, 120])
def test_csv_export_queries_constant(rows, api, django_assert_num_queries):
    make_commitments(rows)
    # 1 chunk of up to 500 commitments (+ meeting, series, decision, due meeting), then
    # the chunk's details
    with django_assert_num_queries(1 + ROW_DETAILS):
        response = api.get("/api/v1/commitments.csv")
        body = b"".join(response.streaming_content)
    assert body.count(b"\n") == rows + 1


@pytest.mark.parametrize("rows", [5, 120])
def test_calendar_feed_queries_constant(rows, client, django_assert_num_queries):
    make_commitments(rows)
    _token, secret = calendar_token_regenerate(user=staff())
    # 1 token (+ user), 1 last-used stamp, 1 membership of the user; for the ETag 1 aggregate
    # of the feed's commitments and 1 the series' and parties' codes; then 1 the commitments
    # (+ meeting, series, decision), 1 their party links (+ parties) and 1 their approved
    # extensions
    with django_assert_num_queries(8):
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


@pytest.mark.parametrize("reports", [2, 40])
def test_share_updates_queries_constant(reports, django_assert_num_queries, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from actions import services

    settings.MEDIA_ROOT = tmp_path
    [commitment] = make_commitments(1, shares=6)
    turkey, kazakhstan = Party.objects.get(code="TR"), Party.objects.get(code="KZ")
    author, boss = delegate(turkey), staff()
    for i in range(reports):
        services.progress_report_create(
            commitment=commitment,
            user=author,
            note=f"Step {i}",
            attachment=SimpleUploadedFile("step.pdf", b"%PDF-1.4"),
        )
        services.progress_report_create(
            commitment=commitment, user=boss, note=f"For KZ {i}", party_id=kazakhstan.pk
        )
    api = APIClient()
    api.force_authenticate(as_read(author))
    # 1 the commitment (+ meeting, series, decision, due meeting), its party links and its
    # sources; 1 count and 1 page of the share's updates (+ author, party); 1 the reader's
    # delegation (who may download evidence)
    with django_assert_num_queries(3 + 2 + 1):
        response = api.get(f"/api/v1/commitments/{commitment.pk}/shares/TR/updates/")
    assert response.json()["count"] == reports
    assert all(update["attachment"] for update in response.json()["results"])
    # 1 the commitment, its party links and its sources: the share is among the links
    with django_assert_num_queries(3):
        assert api.get(f"/api/v1/commitments/{commitment.pk}/shares/TR/").status_code == 200


@pytest.mark.parametrize("rows", [2, 40])
def test_extension_list_queries_constant(rows, django_assert_num_queries):
    extend_every_share(make_commitments(rows, shares=2))
    api = APIClient()
    api.force_authenticate(as_read(delegate(Party.objects.get(code="KZ"))))
    # 1 the reader's delegation, 1 the party codes the filter accepts, 1 count, 1 page of
    # extensions (+ party)
    with django_assert_num_queries(4):
        response = api.get("/api/v1/extensions/", {"page_size": 500, "party": "KZ"})
    assert response.json()["count"] == 2 * rows  # Kazakhstan's approved and pending
