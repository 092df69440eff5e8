"""Importing the minutes of the next meeting dates what the previous one left "at the next
meeting"."""

import datetime
import io

import pytest
from django.core.management import call_command

from actions.models import Commitment

HCA10 = """AGREED MINUTES OF THE 10TH MEETING OF THE HEADS OF CUSTOMS ADMINISTRATIONS OF THE
ORGANIZATION OF TURKIC STATES

The 10th Meeting of the Heads of Customs Administrations of the Organization of Turkic States
was held on 8 October 2024 in Baku, the Republic of Azerbaijan.

1. The Parties took note of the implementation of the decisions of the 9th Meeting.
"""


@pytest.mark.django_db
def test_importing_the_next_meetings_minutes_dates_what_was_due_at_it(seeded, tmp_path):
    due = Commitment.objects.filter(
        meeting__series__code="HCA", meeting__number=9, due_meeting__number=10
    )
    assert due.exists() and set(due.values_list("deadline", flat=True)) == {None}
    path = tmp_path / "hca10.txt"
    path.write_text(HCA10, encoding="utf-8")
    out = io.StringIO()
    call_command("import_minutes", str(path), stdout=out, stderr=io.StringIO())
    dates = set(due.values_list("deadline", "agreed_deadline"))
    assert dates == {(datetime.date(2024, 10, 8), datetime.date(2024, 10, 8))}, out.getvalue()
    assert all("next" in event for event in due.values_list("due_event", flat=True))
