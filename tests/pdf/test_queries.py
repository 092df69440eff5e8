"""Loading a report's data takes a fixed number of queries, whatever its length."""

import datetime

import pytest

from meetings.pdf import documents
from tests.factories import CommitmentFactory, MeetingFactory, PartyFactory

TODAY = datetime.date(2024, 3, 15)


@pytest.mark.parametrize("rows", [2, 12])
def test_implementation_report_queries_are_constant(db, django_assert_num_queries, rows):
    meeting = MeetingFactory()
    party, other = PartyFactory(code="TR"), PartyFactory(code="AZ")
    for _ in range(rows):
        CommitmentFactory(meeting=meeting, responsible=[party], partners=[other])
    # 1 commitments (+ meeting, series, decision, due meeting), 1 party links (+ party),
    # 1 sources (+ document), 1 approved extensions, 1 progress notes (+ party).
    with django_assert_num_queries(5):
        doc = documents.implementation_report(meeting, today=TODAY)
    assert doc.size == rows


@pytest.mark.parametrize("rows", [2, 12])
def test_obligations_and_series_report_queries_are_constant(db, django_assert_num_queries, rows):
    meeting = MeetingFactory()
    party = PartyFactory(code="TR")
    for _ in range(rows):
        CommitmentFactory(meeting=meeting, responsible=[party])
    # 1 commitments (+ related rows, the party's share and its latest note), 1 party links,
    # 1 sources, 1 approved extensions.
    with django_assert_num_queries(4):
        assert documents.party_obligations(party, today=TODAY).size == rows
    # 1 commitments (+ related rows and latest note), 1 party links, 1 sources.
    with django_assert_num_queries(3):
        assert documents.series_report(meeting.series, today=TODAY).size == rows
