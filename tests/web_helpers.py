"""Builders shared by the web tests: a small register with N commitments."""

from __future__ import annotations

import datetime
from pathlib import Path

from actions.models import CommitmentSource
from tests.factories import (
    AgendaItemFactory,
    CommitmentFactory,
    DecisionFactory,
    DocumentFactory,
    MeetingFactory,
    ParticipantFactory,
    PartyFactory,
)

# Screenshots written by the browser tests, listed at the end of the run (tests/conftest.py).
SCREENSHOTS_TAKEN: list[Path] = []


def build_register(n: int, *, first_deadline=datetime.date(2024, 1, 10)):
    """One meeting with ``n`` decisions, each with a commitment of TR (KZ as partner) and a
    source, plus ``n`` participants; deadlines a week apart from ``first_deadline``."""
    tr = PartyFactory(code="TR", name="Türkiye", order=4)
    kz = PartyFactory(code="KZ", name="Kazakhstan", order=2)
    meeting = MeetingFactory(number=9)
    document = DocumentFactory(meeting=meeting, key="hca_minutes")
    item = AgendaItemFactory(meeting=meeting, number="1")
    for i in range(n):
        decision = DecisionFactory(meeting=meeting, number=i + 1, agenda_item=item)
        commitment = CommitmentFactory(
            meeting=meeting,
            decision=decision,
            reference=f"C{i + 1:02d}",
            deadline=first_deadline + datetime.timedelta(days=7 * i),
            responsible=[tr],
            partners=[kz],
        )
        CommitmentSource.objects.create(
            commitment=commitment, document=document, paragraph=str(i + 1), quote="by 1 March"
        )
        ParticipantFactory(meeting=meeting, party=tr if i % 2 else kz, order=i + 1)
    return meeting, tr, kz
