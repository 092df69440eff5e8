"""The meeting page: each decision under its agenda item with the cards of its commitments,
the delegations and the documents; edit links for the Secretariat only; in the reader's
language. The timeline's cards are written by the same template."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings

from actions.models import CommitmentSource
from tests.factories import (
    AgendaItemFactory,
    CommitmentFactory,
    DecisionFactory,
    DocumentFactory,
    MeetingFactory,
    ParticipantFactory,
    PartyFactory,
    PersonFactory,
    delegate,
    staff,
)

TODAY = datetime.date(2024, 2, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2024, 2, 20, 12, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def record(db):
    """HCA-9: agenda items 1 (decisions 1 and 2), 1.1 and 2; decision 3 on no agenda item;
    three commitments, four participants of three parties, two documents."""
    tr = PartyFactory(code="TR", name="Türkiye", order=4)
    kz = PartyFactory(code="KZ", name="Kazakhstan & <Co>", order=2)
    hu = PartyFactory(code="HU", name="Hungary", order=9)
    meeting = MeetingFactory(number=9)
    later = MeetingFactory(number=10, start_date=None, end_date=None)
    minutes = DocumentFactory(meeting=meeting, key="hca_minutes", order=1, text="Full text")
    DocumentFactory(
        meeting=meeting, key="hca_protocol", type="protocol", title="Protocol", annex="Annex 2"
    )
    first = AgendaItemFactory(meeting=meeting, number="1", order=1, title="Opening <of> UÇARMAK")
    sub = AgendaItemFactory(meeting=meeting, number="1.1", order=2, parent=first, title="Sub")
    AgendaItemFactory(meeting=meeting, number="2", order=3, title="Closing")
    decided = DecisionFactory(meeting=meeting, number=2, agenda_item=first, text="A\nB <i>")
    bare = DecisionFactory(meeting=meeting, number=1, agenda_item=first, text="Noted.")
    loose = DecisionFactory(meeting=meeting, number=3, agenda_item=None, text="Loose.")
    c01 = CommitmentFactory(
        meeting=meeting,
        decision=decided,
        reference="C01",
        action="Report by KHAKİMOV",
        deadline=datetime.date(2024, 3, 1),
        responsible=[hu, tr],
        partners=[kz],
    )
    undated = CommitmentFactory(
        meeting=meeting,
        decision=decided,
        reference="",
        action="At the next meeting",
        deadline=None,
        deadline_precision="",
        due_meeting=later,
        responsible=[],
    )
    CommitmentSource.objects.create(commitment=undated, document=minutes, paragraph="4")
    c03 = CommitmentFactory(
        meeting=meeting,
        decision=loose,
        reference="C03",
        action="Done",
        status="done",
        deadline=datetime.date(2023, 12, 31),
        deadline_precision="year",
        responsible=[kz],
    )
    people = {}
    for i, (party, name) in enumerate([(tr, "Ali"), (kz, "Berik"), (tr, "Cem"), (hu, "Dóra")]):
        people[name] = ParticipantFactory(
            meeting=meeting, party=party, order=i, is_head=i == 0, person=PersonFactory(name=name)
        )
    return {
        "meeting": meeting,
        "parties": (tr, kz, hu),
        "items": (first, sub),
        "decisions": (bare, decided, loose),
        "commitments": (c01, undated, c03),
        "participants": people,
    }


def page(client, user, language: str | None = None) -> str:
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/meetings/HCA-9/")
    assert response.status_code == 200
    return response.content.decode()


def article(html: str, number: int) -> str:
    found = re.search(
        rf'<article class="decision" id="decision-{number}">(.*?)</article>', html, re.S
    )
    assert found, f"no decision {number}"
    return found[1]


def cards(html: str) -> list[str]:
    return re.findall(r'<li class="card[^"]*">(.*?)</li>', html, re.S)


def test_decisions_sit_under_their_agenda_items_in_number_order(client, record):
    html = page(client, delegate(record["parties"][0]))
    first, sub = html.index("Opening &lt;of&gt; UÇARMAK"), html.index("1.1.")
    assert first < html.index('id="decision-1"') < html.index('id="decision-2"') < sub
    unlinked = html.index("Decisions not linked to an agenda item")
    assert html.index("Closing") < unlinked < html.index('id="decision-3"')
    assert html.count('<article class="decision"') == 3


def test_each_decision_shows_its_text_and_the_cards_of_its_commitments(client, record):
    c01, undated, c03 = record["commitments"]
    html = page(client, delegate(record["parties"][0]))
    second = article(html, 2)
    assert "<p>A<br>B &lt;i&gt;</p>" in second
    report, next_meeting = cards(second)
    assert f'<a href="/commitments/{c01.pk}/">C01 Report by KHAKİMOV</a>' in report
    # responsible parties in their order (partners are not shown), deadline, status
    meta = re.sub(r"\s+", " ", report.split('<div class="meta">')[1])
    assert meta.startswith("Türkiye, Hungary · in 10 days — 1 March 2024 · ")
    assert '<span class="status status-open">Open</span>' in meta
    assert "Kazakhstan" not in report
    assert f'<a href="/commitments/{undated.pk}/">At the next meeting</a>' in next_meeting
    assert "at the next meeting ·" in next_meeting
    assert '<ul class="cards">' not in article(html, 1)  # no commitment, no list
    (done,) = cards(article(html, 3))
    assert "C03 Done" in done and "Kazakhstan &amp; &lt;Co&gt; · 2023 ·" in done
    assert "status-done" in done and "status-overdue" not in done


def test_a_late_commitment_is_marked_overdue_on_its_card(client, record):
    with time_machine.travel(datetime.datetime(2024, 3, 5, 12, tzinfo=datetime.UTC)):
        html = page(client, delegate(record["parties"][0]))
    report, _next = cards(article(html, 2))
    assert "4 days overdue — 1 March 2024" in report
    assert '<span class="status status-overdue">Overdue</span>' in report


def test_delegations_in_party_order_and_documents_in_their_order(client, record):
    html = page(client, delegate(record["parties"][0]))
    delegations = re.findall(r'<div class="delegation">\s*<h3>(.*?)</h3>(.*?)</div>', html, re.S)
    assert [name for name, _members in delegations] == [
        "Kazakhstan &amp; &lt;Co&gt;",
        "Türkiye",
        "Hungary",
    ]
    turkiye = delegations[1][1]
    assert turkiye.index("Ali") < turkiye.index("Cem") and "(head)" in turkiye
    documents = html.split('id="documents-h"')[1]
    assert documents.index("Protocol</a> — Annex 2") < documents.index("Agreed minutes</a>")
    assert '<a href="/meetings/HCA-9/protocol.pdf">PDF' in documents
    assert "Full text" not in html


def test_delegates_see_no_edit_links(client, record):
    html = page(client, delegate(record["parties"][0]))
    assert "edit-links" not in html and "/edit/" not in html and "/history/" not in html
    assert "/commitments/new/" not in html


def test_staff_see_edit_history_and_add_commitment_links_that_work(client, record):
    meeting = record["meeting"]
    first, _sub = record["items"]
    _bare, decided, _loose = record["decisions"]
    ali = record["participants"]["Ali"]
    html = page(client, staff())
    second = article(html, 2)
    edit = f"/meetings/HCA-9/decisions/{decided.pk}/edit/"
    history = f"/meetings/HCA-9/decisions/{decided.pk}/history/"
    add = f"/commitments/new/?meeting=HCA-9&amp;decision={decided.pk}"
    assert f'<a href="{edit}">Edit<span class="visually-hidden"> decision 2</span></a>' in second
    assert f'<a href="{history}">History<span class="visually-hidden"> of decision 2' in second
    assert f'<a href="{add}">Add commitment</a>' in second
    assert html.count('<span class="edit-links">') == 3 + 3  # agenda items, decisions
    assert f'href="/meetings/HCA-9/agenda/{first.pk}/edit/"' in html
    assert f'href="/meetings/HCA-9/agenda/{first.pk}/history/"' in html
    assert f'href="/meetings/HCA-9/participants/{ali.pk}/edit/"' in html
    for url in (edit, history, add.replace("&amp;", "&")):
        assert client.get(url).status_code == 200, url
    assert meeting.decisions.count() == 3


def test_the_page_speaks_the_readers_language(client, record):
    html = page(client, staff(), language="ru")
    second = article(html, 2)
    assert "Решение 2" in second and "Decision 2" not in second
    assert ">Изменить<" in second and ">История<" in second
    assert "Открыто" in second  # the status of C01
    assert "1 марта 2024" in second


def test_the_timeline_cards_link_each_commitment_and_mark_late_ones(client, record):
    c01, undated, c03 = record["commitments"]
    client.force_login(delegate(record["parties"][0]))
    with time_machine.travel(datetime.datetime(2024, 3, 5, 12, tzinfo=datetime.UTC)):
        html = client.get("/commitments/timeline/").content.decode()
    late = re.search(
        rf'<li class="card overdue"><a href="/commitments/{c01.pk}/">([^<]*)</a>', html
    )
    assert late and late[1] == "Report by KHAKİMOV"  # no reference away from its meeting
    assert f'<li class="card"><a href="/commitments/{c03.pk}/">Done</a>' in html
    assert f'<li class="card"><a href="/commitments/{undated.pk}/">' in html
