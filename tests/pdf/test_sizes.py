"""A report heavy with text goes to the worker even with few commitments; its weight costs
one query whatever the number of rows."""

import pytest

from actions.models import Commitment
from actions.services import progress_report_create
from meetings.models import ReportJob
from meetings.pdf.sizes import weigh
from otscustoms.limits import NOTE_MAX
from tests.factories import (
    CommitmentFactory,
    MeetingFactory,
    PartyFactory,
    UserFactory,
    delegate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting_with_notes():
    """Three commitments of Türkiye; the first with two notes, of 1 000 and 3 000 characters."""
    tr = PartyFactory(code="TR")
    meeting = MeetingFactory(number=9)
    rows = [
        CommitmentFactory(meeting=meeting, responsible=[tr], action="a" * 100) for _ in range(3)
    ]
    user = delegate(tr)
    progress_report_create(commitment=rows[0], user=user, note="n" * 1000)
    progress_report_create(commitment=rows[0], user=user, note="m" * 3000)
    return meeting, tr


def test_weight_counts_actions_and_the_notes_the_report_prints(
    meeting_with_notes, django_assert_num_queries
):
    meeting, _tr = meeting_with_notes
    with django_assert_num_queries(1):
        every_note = weigh(meeting.commitments.all(), all_notes=True)
    assert (every_note.commitments, every_note.text) == (3, 300 + 1000 + 3000)
    # Reports that print only each commitment's latest note weigh only that one.
    latest = weigh(Commitment.objects.filter(meeting=meeting), all_notes=False)
    assert (latest.commitments, latest.text) == (3, 300 + 3000)
    assert weigh(Commitment.objects.none(), all_notes=True).text == 0


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/HCA-9/implementation-report.pdf",
        "/parties/TR/obligations.pdf",
        "/reports/series/HCA.pdf",
    ],
)
def test_few_commitments_with_long_notes_are_rendered_by_the_worker(
    client, settings, meeting_with_notes, url
):
    meeting, tr = meeting_with_notes
    for commitment in meeting.commitments.all():
        for _ in range(3):
            progress_report_create(commitment=commitment, user=delegate(tr), note="z" * NOTE_MAX)
    settings.PDF_ASYNC_THRESHOLD = 300  # three commitments: far below it
    settings.PDF_ASYNC_TEXT_THRESHOLD = 25_000  # three notes of 10 000 characters: above
    client.force_login(UserFactory(username="reader"))
    response = client.get(url)
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.size == 3


def test_a_light_report_is_still_rendered_in_the_request(client, settings, meeting_with_notes):
    settings.PDF_ASYNC_TEXT_THRESHOLD = 25_000  # 4 300 characters: below
    client.force_login(UserFactory(username="reader"))
    response = client.get("/meetings/HCA-9/implementation-report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert not ReportJob.objects.exists()
