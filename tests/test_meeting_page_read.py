"""The meeting page reads its rows in one statement on PostgreSQL (meetings.page_read) and
through the ORM elsewhere (issue 8). Both must give the same page, for the Secretariat and for
a delegation: the page is rendered both ways on an awkward meeting and compared."""

import datetime
import re

import pytest
from django.db import connection

from actions.models import CommitmentSource
from meetings import views
from tests.factories import (
    AgendaItemFactory,
    CommitmentFactory,
    DecisionFactory,
    DocumentFactory,
    MeetingFactory,
    ParticipantFactory,
    PartyFactory,
    delegate,
    staff,
)


@pytest.fixture
def meeting(db):
    assert connection.vendor == "postgresql", "this compares the PostgreSQL read with the ORM's"
    tr = PartyFactory(code="TR", name="Türkiye", order=4)
    kz = PartyFactory(code="KZ", name="Kazakhstan & <Co>", order=2)
    hu = PartyFactory(code="HU", name="Hungary", order=9)
    meeting = MeetingFactory(number=9)
    later = MeetingFactory(number=10)
    minutes = DocumentFactory(meeting=meeting, key="hca_minutes", order=1)
    DocumentFactory(meeting=meeting, key="hca_protocol", order=0, annex="Annex 2")
    first = AgendaItemFactory(meeting=meeting, number="1", order=1, title="Opening <of> UÇARMAK")
    AgendaItemFactory(meeting=meeting, number="1.1", order=2, parent=first)
    AgendaItemFactory(meeting=meeting, number="2", order=3)
    decided = DecisionFactory(meeting=meeting, number=2, agenda_item=first, text="A\nB <i>")
    DecisionFactory(meeting=meeting, number=1, agenda_item=first)
    loose = DecisionFactory(meeting=meeting, number=3, agenda_item=None)
    CommitmentFactory(
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
    CommitmentFactory(
        meeting=meeting,
        decision=loose,
        reference="C03",
        action="Done",
        status="done",
        deadline=datetime.date(2023, 12, 31),
        deadline_precision="year",
        responsible=[tr],
    )
    for i, party in enumerate([tr, kz, tr, hu]):
        ParticipantFactory(meeting=meeting, party=party, order=i, is_head=i == 0)
    return meeting


def without_csrf(html: str) -> str:
    """The page without its CSRF tokens, which are masked anew on every response."""
    html = re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)


@pytest.mark.parametrize("who", [staff, delegate])
def test_one_statement_gives_the_page_the_orm_gives(client, meeting, monkeypatch, who):
    user = who() if who is staff else who(meeting.participants.first().party)
    client.force_login(user)
    url = f"/meetings/{meeting.code}/"
    one_statement = without_csrf(client.get(url).content.decode())
    monkeypatch.setattr(views, "meeting_rows", views._meeting_rows_orm)
    through_orm = without_csrf(client.get(url).content.decode())
    assert one_statement == through_orm
    for shown in ("Report by KHAKİMOV", "Kazakhstan &amp; &lt;Co&gt;", "Annex 2", "A<br>B"):
        assert shown in one_statement
