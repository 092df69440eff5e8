"""Render every document of HCA-9 once per test module: WeasyPrint layout is the slow part,
and the checks only read the bytes."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

# A fixed report day: C01 (by 1 March 2024) is overdue, C02 (until 1 April 2024) due within
# 30 days, C07 (in the course of 2024) later.
TODAY = datetime.date(2024, 3, 15)


class Pdf:
    """The bytes of one PDF and what a reader sees in it."""

    def __init__(self, data: bytes, filename: str = ""):
        self.data = data
        self.filename = filename
        self.reader = PdfReader(io.BytesIO(data))
        self.pages = [page.extract_text() or "" for page in self.reader.pages]
        # Words wrap across lines: compare on single-spaced text.
        self.text = re.sub(r"\s+", " ", " ".join(self.pages))

    @property
    def page_count(self) -> int:
        return len(self.reader.pages)

    def fonts(self) -> dict[str, dict]:
        """BaseFont name → its descendant font descriptor, over every page."""
        found = {}
        for page in self.reader.pages:
            fonts = page["/Resources"].get("/Font", {})
            for ref in fonts.values():
                font = ref.get_object()
                descendant = font["/DescendantFonts"][0].get_object()
                found[str(font["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
        return found


def make_progress(meeting_code: str = "HCA-9") -> None:
    """A progress report on C01 by the Turkish delegation and C14 done, as the Secretariat
    would record them, through the services."""
    from actions.models import Commitment, Status
    from actions.services import commitment_update_status, progress_report_create
    from meetings.models import Meeting
    from parties.models import Party
    from tests.factories import delegate, staff

    meeting = Meeting.objects.by_code(meeting_code)
    c01 = Commitment.objects.get(meeting=meeting, reference="C01")
    progress_report_create(
        commitment=c01,
        user=delegate(Party.objects.get(code="TR")),
        note="Draft concept circulated to the Parties on 20 February 2024 (Note 2024-77).",
    )
    c14 = Commitment.objects.get(meeting=meeting, reference="C14")
    commitment_update_status(commitment=c14, user=staff(), status=Status.DONE, note="Held.")


@pytest.fixture(scope="module")
def hca9(django_db_setup, django_db_blocker):
    """Every printed document of HCA-9 (and TR's obligations, the HCA series report), with
    the facts the tests compare them with; the database is rolled back afterwards."""
    from actions.models import Commitment
    from meetings.models import Document, MeetingSeries
    from meetings.pdf import documents
    from meetings.pdf.rendering import render_document
    from parties.models import Party

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_fixtures", verbosity=0)
        make_progress()
        meeting = documents.meeting_by_code("HCA-9")
        built = {
            kind: documents.meeting_document(kind, meeting, today=TODAY)
            for kind in documents.MEETING_DOCUMENTS
        }
        built["obligations-TR"] = documents.party_obligations(
            Party.objects.get(code="TR"), today=TODAY
        )
        built["series-HCA"] = documents.series_report(
            MeetingSeries.objects.get(code="HCA"), today=TODAY
        )
        pdfs = {kind: Pdf(render_document(doc), doc.filename) for kind, doc in built.items()}
        pdfs["protocol-pdfa"] = Pdf(render_document(built["protocol"], variant="pdf/a-3b"))
        pdfs["minutes-pdfa"] = Pdf(render_document(built["minutes"], variant="pdf/a-3b"))
        facts = {
            "participants": [
                (p.party.name, p.honorific, p.person.name, p.title)
                for p in meeting.participants.select_related("party", "person").order_by(
                    "party__order", "order"
                )
            ],
            "decisions": list(meeting.decisions.order_by("number").values_list("number", "text")),
            "protocol_signatories": Document.objects.get(
                meeting=meeting, type="protocol"
            ).signatories,
            "minutes_signatories": Document.objects.get(
                meeting=meeting, type="agreed_minutes"
            ).signatories,
            "commitments": list(
                Commitment.objects.filter(meeting=meeting).values(
                    "reference", "deadline_text", "deadline", "status"
                )
            ),
            "agenda": list(meeting.agenda_items.values_list("number", "title")),
        }
        transaction.set_rollback(True)
    return pdfs, facts
