"""Read endpoints of /api/v1/ and every commitment filter, on the HCA-9/WG-12 record."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from actions.models import Commitment, CommitmentSource, Status
from tests.factories import CommitmentFactory, DocumentFactory, PartyFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(seeded):
    api = APIClient()
    api.force_authenticate(UserFactory(username="reader"))
    return api


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_gets_401_with_token_challenge(seeded):
    response = APIClient().get("/api/v1/commitments/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_parties_list_and_detail(client):
    codes = [p["code"] for p in client.get("/api/v1/parties/").json()["results"]]
    assert {"TR", "UZ", "OTS"} <= set(codes)
    turkey = client.get("/api/v1/parties/tr/").json()
    assert turkey["name"] == "Türkiye"
    assert client.get("/api/v1/parties/ZZ/").status_code == 404


def test_meeting_detail_nests_agenda_participants_decisions(client):
    listing = client.get("/api/v1/meetings/", {"series": "hca"}).json()["results"]
    codes = [m["code"] for m in listing]
    assert "HCA-9" in codes and all(code.startswith("HCA-") for code in codes)
    hca9 = client.get("/api/v1/meetings/HCA-9/").json()
    assert hca9["city"] == "Tashkent"
    assert hca9["agenda"] and hca9["participants"] and hca9["decisions"] and hca9["documents"]
    assert [d["number"] for d in hca9["decisions"]] == sorted(
        d["number"] for d in hca9["decisions"]
    )
    assert client.get("/api/v1/meetings/HCA-99/").status_code == 404


@pytest.mark.parametrize("query", [{}, {"format": "json"}])
def test_meeting_detail_answer_in_full(client, query):
    """A meeting without host or dates whose agenda has a sub-item; decisions with and without
    agenda item and document; lists in their order whatever the order of creation."""
    from django.utils.dateparse import parse_datetime

    from tests.factories import (
        AgendaItemFactory,
        DecisionFactory,
        MeetingFactory,
        ParticipantFactory,
        PersonFactory,
    )

    odd = MeetingFactory(
        number=77,
        start_date=None,
        end_date=None,
        date_text="to be agreed",
        year=2031,
        host=None,
        city="",
        status="planned",
    )
    later, first = PartyFactory(code="QB", order=90), PartyFactory(code="QA", order=80)
    parent = AgendaItemFactory(meeting=odd, number="3", title="Cooperation", order=2)
    sub = AgendaItemFactory(meeting=odd, number="3.1", parent=parent, title="Transit", order=3)
    for party, order, name in [(later, 1, "Cem"), (first, 2, "Berik"), (first, 1, "Ali")]:
        ParticipantFactory(
            meeting=odd, party=party, order=order, person=PersonFactory(name=name), honorific="Mr"
        )
    annex = DocumentFactory(meeting=odd, key="annex", title="Annex", order=2, text="Long text")
    minutes = DocumentFactory(
        meeting=odd, key="minutes", date=datetime.date(2031, 5, 6), order=1, place="Baku"
    )
    second = DecisionFactory(
        meeting=odd, number=2, text="Agreed.", agenda_item=sub, document=minutes
    )
    first_decision = DecisionFactory(meeting=odd, number=1, text="Noted.")

    answer = client.get("/api/v1/meetings/hca-77/", query).json()

    suffix = "?format=json" if query else ""
    api = "http://testserver/api/v1"
    assert list(answer) == [  # in the order the schema lists them
        *("code", "name", "series", "number", "title", "start_date", "end_date", "date_text"),
        *("year", "city", "host", "status", "updated_at", "url", "web_url"),
        *("agenda", "participants", "decisions", "documents"),
    ]
    assert parse_datetime(answer.pop("updated_at")) == odd.updated_at
    assert answer == {
        "code": "HCA-77",
        "name": f"77th {odd.series.name}",
        "series": "HCA",
        "number": 77,
        "title": "",
        "start_date": None,
        "end_date": None,
        "date_text": "to be agreed",
        "year": 2031,
        "city": "",
        "host": None,
        "status": "planned",
        "url": f"{api}/meetings/HCA-77/{suffix}",
        "web_url": "http://testserver/meetings/HCA-77/",
        "agenda": [
            {"number": "3", "title": "Cooperation", "parent": None, "order": 2},
            {"number": "3.1", "title": "Transit", "parent": "3", "order": 3},
        ],
        "participants": [
            {
                "party": party,
                "name": name,
                "honorific": "Mr",
                "title": "",
                "organisation": "",
                "order": order,
                "is_head": False,
            }
            for party, name, order in [("QA", "Ali", 1), ("QA", "Berik", 2), ("QB", "Cem", 1)]
        ],
        "decisions": [
            {
                "id": first_decision.pk,
                "meeting": "HCA-77",
                "number": 1,
                "text": "Noted.",
                "agenda_item": None,
                "document": None,
                "url": f"{api}/decisions/{first_decision.pk}/{suffix}",
            },
            {
                "id": second.pk,
                "meeting": "HCA-77",
                "number": 2,
                "text": "Agreed.",
                "agenda_item": "3.1",
                "document": "minutes",
                "url": f"{api}/decisions/{second.pk}/{suffix}",
            },
        ],
        "documents": [
            {
                "id": document.pk,
                "meeting": "HCA-77",
                "key": document.key,
                "type": "agreed_minutes",
                "title": document.title,
                "reference": "",
                "date": date,
                "place": place,
                "annex": "",
                "order": document.order,
                "url": f"{api}/documents/{document.pk}/{suffix}",
            }
            for document, date, place in [(minutes, "2031-05-06", "Baku"), (annex, None, "")]
        ],
    }


def test_meeting_detail_shows_an_edited_decision_at_once(client):
    from meetings import services
    from meetings.models import Decision

    hca9 = client.get("/api/v1/meetings/HCA-9/").json()
    first = Decision.objects.get(pk=hca9["decisions"][0]["id"])
    services.decision_update(
        decision=first, user=staff(), expected_version=first.version, text="Amended."
    )
    again = client.get("/api/v1/meetings/HCA-9/").json()
    assert again["decisions"][0]["text"] == "Amended."
    assert again["decisions"][1:] == hca9["decisions"][1:]


def test_decisions_and_documents(client):
    decisions = client.get("/api/v1/decisions/", {"meeting": "WG-12"}).json()
    assert decisions["count"] > 0
    assert {d["meeting"] for d in decisions["results"]} == {"WG-12"}
    assert client.get("/api/v1/decisions/", {"meeting": "wg-12"}).json() == decisions
    for path in ("/api/v1/decisions/", "/api/v1/documents/"):
        refused = client.get(path, {"meeting": "nonsense"})
        assert refused.status_code == 400
        assert refused.json() == {"meeting": ["nonsense is not a meeting code like HCA-9."]}
    docs = client.get("/api/v1/documents/", {"type": "protocol"}).json()["results"]
    assert docs and {d["type"] for d in docs} == {"protocol"}
    detail = client.get(docs[0]["url"]).json()
    assert "text" in detail and "text" not in docs[0]


def test_commitment_item_carries_deadline_sources_and_links(client):
    row = client.get("/api/v1/commitments/", {"meeting": "HCA-9"}).json()["results"][0]
    commitment = Commitment.objects.get(pk=row["id"])
    assert row["deadline"] == commitment.deadline.isoformat()
    assert row["deadline_precision"] == commitment.deadline_precision
    assert row["deadline_text"] == commitment.deadline_text
    assert row["meeting"]["code"] == "HCA-9"
    assert row["version"] == commitment.version
    assert row["sources"] and {"document_key", "document_type", "paragraph", "quote"} <= set(
        row["sources"][0]
    )
    assert row["links"]["web"].endswith(commitment.get_absolute_url())
    assert row["links"]["api"].endswith(f"/api/v1/commitments/{commitment.pk}/")
    detail = client.get(row["links"]["api"])
    assert detail["ETag"] == f'"{commitment.version}"'


def test_filter_party_covers_responsible_and_partner(client):
    expected = set(Commitment.objects.for_party("TR").values_list("pk", flat=True))
    assert expected
    assert ids(client.get("/api/v1/commitments/", {"party": "tr", "page_size": 500})) == expected
    responsible = ids(client.get("/api/v1/commitments/", {"party": "OTS", "role": "responsible"}))
    everything = ids(client.get("/api/v1/commitments/", {"party": "OTS", "page_size": 500}))
    assert responsible < everything  # the Secretariat is a partner in some
    response = client.get("/api/v1/commitments/", {"party": "XX"})
    assert response.status_code == 400 and "party" in response.json()


def test_filter_status_several(client):
    done = CommitmentFactory(status=Status.DONE)
    cancelled = CommitmentFactory(status=Status.CANCELLED)
    got = ids(client.get("/api/v1/commitments/?status=done&status=cancelled"))
    assert got == {done.pk, cancelled.pk}
    assert client.get("/api/v1/commitments/", {"status": "finished"}).status_code == 400


def test_filter_meeting_series_precision_dates_search(client):
    def q(**params):
        return ids(client.get("/api/v1/commitments/", {**params, "page_size": 500}))

    all_ = Commitment.objects
    assert q(meeting="WG-12") == set(
        all_.filter(meeting__series__code="WG").values_list("pk", flat=True)
    )
    assert q(series="hca") == set(
        all_.filter(meeting__series__code="HCA").values_list("pk", flat=True)
    )
    assert q(meeting="WG-12").isdisjoint(q(series="HCA"))
    assert q(precision="month") == set(
        all_.filter(deadline_precision="month").values_list("pk", flat=True)
    )
    assert q(due_before="2024-03-01") == set(
        all_.filter(deadline__lte="2024-03-01").values_list("pk", flat=True)
    )
    assert q(due_after="2024-03-01") == set(
        all_.filter(deadline__gte="2024-03-01").values_list("pk", flat=True)
    )
    special = CommitmentFactory(action="Translate the Silk Road brochure into Türkçe")
    assert q(search="silk road brochure") == {special.pk}
    assert client.get("/api/v1/commitments/", {"due_before": "March"}).status_code == 400
    assert client.get("/api/v1/commitments/", {"meeting": "HCA"}).status_code == 400


def test_filter_overdue_uses_today(client):
    late = CommitmentFactory(deadline=datetime.date(2024, 1, 31), status=Status.IN_PROGRESS)
    done = CommitmentFactory(deadline=datetime.date(2024, 1, 31), status=Status.DONE)
    future = CommitmentFactory(deadline=datetime.date(2024, 3, 31))
    with time_machine.travel(datetime.datetime(2024, 2, 15, 12, tzinfo=datetime.UTC)):
        overdue = ids(client.get("/api/v1/commitments/", {"overdue": "true", "page_size": 500}))
        not_overdue = ids(
            client.get("/api/v1/commitments/", {"overdue": "false", "page_size": 500})
        )
    assert late.pk in overdue and done.pk not in overdue and future.pk not in overdue
    assert {done.pk, future.pk} <= not_overdue and late.pk not in not_overdue


def test_filter_updated_since(client):
    Commitment.objects.update(updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    fresh = CommitmentFactory()
    assert ids(client.get("/api/v1/commitments/", {"updated_since": "2024-06-01T00:00:00Z"})) == {
        fresh.pk
    }


def test_ordering(client):
    def order(key):
        response = client.get("/api/v1/commitments/", {"ordering": key, "page_size": 500})
        return response.json()["results"]

    deadlines = [r["deadline"] for r in order("deadline") if r["deadline"]]
    assert deadlines == sorted(deadlines)
    back = [r["deadline"] for r in order("-deadline") if r["deadline"]]
    assert back == sorted(back, reverse=True)
    party_first = [r["responsible"][0]["code"] for r in order("party") if r["responsible"]]
    from parties.models import Party

    rank = {p.code: p.order for p in Party.objects.all()}
    assert [rank[c] for c in party_first] == sorted(rank[c] for c in party_first)
    meetings = [r["meeting"]["code"] for r in order("meeting")]
    assert meetings == sorted(meetings, key=lambda c: (c.split("-")[0], int(c.split("-")[1])))
    updated = [r["updated_at"] for r in order("-updated")]
    assert updated == sorted(updated, reverse=True)
    assert client.get("/api/v1/commitments/", {"ordering": "action"}).status_code == 400


def test_pagination_default_50_max_500(db):
    party = PartyFactory(code="TR")
    CommitmentFactory.create_batch(60, responsible=[party])
    api = APIClient()
    api.force_authenticate(staff())
    page = api.get("/api/v1/commitments/").json()
    assert page["count"] == 60 and len(page["results"]) == 50 and page["next"]
    assert len(api.get("/api/v1/commitments/", {"page_size": 10}).json()["results"]) == 10
    assert len(api.get("/api/v1/commitments/", {"page_size": 9999}).json()["results"]) == 60
    assert api.get("/api/v1/commitments/", {"page": 99}).status_code == 404


@pytest.mark.parametrize("query", [{}, {"format": "json"}])
def test_commitment_rows_nest_parties_meetings_and_sources_in_order(client, query):
    """Every commitment of the seed record plus one with partners, a due meeting, no
    deadline and sources in two documents: the list and the detail give the same row."""
    from django.urls import reverse

    from meetings.models import Meeting
    from parties.models import Party

    odd = CommitmentFactory(
        meeting=Meeting.objects.select_related("series").by_code("WG-12"),
        due_meeting=Meeting.objects.select_related("series").by_code("HCA-9"),
        deadline=None,
        deadline_precision="event",
        reference="",
        responsible=[Party.objects.get(code="TR")],
        partners=[Party.objects.get(code="UZ"), Party.objects.get(code="KZ")],
    )
    # Sources in CommitmentSource's order: the document's order first (the later document
    # here), then the document, then the paragraph.
    first, later = DocumentFactory(meeting=odd.meeting, order=9), DocumentFactory(order=1)
    for document, paragraph in [(first, "4"), (later, "12"), (first, "2"), (later, "3")]:
        CommitmentSource.objects.create(commitment=odd, document=document, paragraph=paragraph)
    rows = client.get("/api/v1/commitments/", {"page_size": 500, **query}).json()["results"]
    assert len(rows) == Commitment.objects.count() > 20
    for row in rows:
        api_url = "http://testserver" + reverse("api:commitment-detail", kwargs={"pk": row["id"]})
        assert row["links"]["api"].split("?")[0] == api_url
        assert row["links"]["web"] == f"http://testserver/commitments/{row['id']}/"
    odd_row = next(row for row in rows if row["id"] == odd.pk)
    assert {p["code"] for p in odd_row["partners"]} == {"UZ", "KZ"}
    assert odd_row["due_meeting"]["url"].startswith("http://testserver/api/v1/meetings/HCA-9/")
    assert odd_row["deadline"] is None and odd_row["decision"] is None
    assert [(s["document_key"], s["paragraph"]) for s in odd_row["sources"]] == [
        (later.key, "12"),
        (later.key, "3"),
        (first.key, "2"),
        (first.key, "4"),
    ]
    assert any(row["decision"] for row in rows) and any(row["sources"] for row in rows)
    if query:
        assert odd_row["meeting"]["url"].endswith("/api/v1/meetings/WG-12/?format=json")
    # The detail answer is the same row.
    assert client.get(f"/api/v1/commitments/{odd.pk}/", query).json() == odd_row
