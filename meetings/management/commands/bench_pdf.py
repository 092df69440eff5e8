"""How long printing takes: the HCA-9 protocol, and the implementation report and matrix of
1,000 commitments built in a transaction that is rolled back (nothing stays in the database).

Each render is split into data (queries, building the context), template (Django → HTML),
layout (WeasyPrint: parse, style, fonts, pages) and write (WeasyPrint: PDF bytes); the
process's CPU time is printed beside the wall-clock total, which other work on the machine
stretches."""

from __future__ import annotations

import datetime
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actions.matrix import matrix_filter
from actions.models import (
    Commitment,
    CommitmentParty,
    CommitmentSource,
    Role,
    ShareStatus,
    Status,
    StatusUpdate,
    UpdateKind,
)
from meetings.models import Document, DocumentType, Meeting, MeetingSeries
from meetings.pdf import documents
from meetings.pdf.matrix import implementation_matrix
from meetings.pdf.rendering import RenderTimings, html_to_pdf, render_document
from parties.models import Party

TODAY = datetime.date(2024, 6, 1)


class Command(BaseCommand):
    help = "Time the rendering of the HCA-9 protocol and of a 1,000-commitment report and matrix."

    def add_arguments(self, parser):
        parser.add_argument("--meeting", default="HCA-9")
        parser.add_argument("--commitments", type=int, default=1000)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument(
            "--only",
            choices=["protocol", "report", "matrix"],
            action="append",
            help="time only these documents (default: all three)",
        )

    def handle(self, *args, meeting, commitments, repeat, only, **options):
        only = set(only or ["protocol", "report", "matrix"])
        try:
            found = documents.meeting_by_code(meeting)
        except Meeting.DoesNotExist as exc:
            raise CommandError(f"--meeting: no meeting {meeting!r}; run load_fixtures") from exc
        # Untimed: loading WeasyPrint and Pango would count against the first document's CPU.
        html_to_pdf('<html lang="en"><body></body></html>')
        if "protocol" in only:
            self._report(f"{found.code} protocol", lambda: documents.protocol(found), repeat)
        if not only & {"report", "matrix"}:
            return
        with transaction.atomic():
            scratch = self._scratch_meeting(found.series, commitments)
            if "report" in only:
                self._report(
                    f"implementation report, {commitments} commitments",
                    lambda: documents.implementation_report(scratch, today=TODAY),
                    max(1, repeat - 1),
                )
            if "matrix" in only:
                self._report(
                    f"implementation matrix, {commitments} commitments",
                    lambda: implementation_matrix(
                        matrix_filter({"meeting": scratch.code}), today=TODAY
                    ),
                    max(1, repeat - 1),
                )
            transaction.set_rollback(True)

    def _report(self, label: str, build, repeat: int) -> None:
        runs = []
        for _ in range(repeat):
            timings = RenderTimings()
            cpu = time.process_time()
            started = time.perf_counter()
            document = build()
            timings.data = time.perf_counter() - started
            render_document(document, timings=timings)
            timings.extra["cpu"] = time.process_time() - cpu
            runs.append(timings)

        def median(attr: str) -> float:
            return statistics.median(getattr(t, attr) for t in runs)

        cpu = [t.extra["cpu"] for t in runs]
        outside = median("data") + median("template")
        weasy = median("layout") + median("write")
        self.stdout.write(
            f"{label}: {runs[0].pages} pages, median of {repeat}: "
            f"data {median('data'):.3f} s, template {median('template'):.3f} s, "
            f"WeasyPrint layout {median('layout'):.3f} s + write {median('write'):.3f} s, "
            f"total {median('total'):.3f} s (CPU {statistics.median(cpu):.3f} s); "
            f"outside WeasyPrint {100 * outside / (outside + weasy):.1f} %"
        )

    def _scratch_meeting(self, series: MeetingSeries, count: int) -> Meeting:
        """A throw-away meeting with ``count`` commitments, a source each, 2-3 responsible
        parties and a progress note on every third. Bulk inserts: the services' checks add
        nothing to a benchmark and would take longer than the render."""
        number = (Meeting.objects.filter(series=series).order_by("-number").first().number) + 100
        meeting = Meeting.objects.create(
            series=series,
            number=number,
            title="Benchmark meeting",
            start_date=datetime.date(2024, 1, 10),
            end_date=datetime.date(2024, 1, 10),
            city="Bakı",
            status="held",
        )
        minutes = Document.objects.create(
            meeting=meeting, type=DocumentType.AGREED_MINUTES, title="Minutes", key="bench"
        )
        parties = list(Party.objects.states())
        user = get_user_model().objects.create(username=f"bench-{number}")
        statuses = [Status.OPEN, Status.IN_PROGRESS, Status.SUBMITTED, Status.DONE]
        share_statuses = [ShareStatus.OPEN, ShareStatus.IN_PROGRESS, ShareStatus.DONE]
        rows = Commitment.objects.bulk_create(
            Commitment(
                meeting=meeting,
                reference=f"B{i:04d}",
                action=(
                    f"Submit to the Secretariat the proposals on item {i} of the Road Map "
                    "for the exchange of customs information (Şenel, Uçarmak, Khakİmov)"
                ),
                responsible_text="The Parties",
                deadline=datetime.date(2024, 1 + i % 12, 1 + i % 28),
                deadline_precision="day",
                deadline_text=f"by {1 + i % 28} {datetime.date(2024, 1 + i % 12, 1):%B} 2024",
                status=statuses[i % len(statuses)],
            )
            for i in range(count)
        )
        # bulk_create skips CommitmentParty.save(), which gives a share its first status.
        CommitmentParty.objects.bulk_create(
            CommitmentParty(
                commitment=c,
                party=parties[(i + k) % len(parties)],
                role=Role.RESPONSIBLE,
                status=share_statuses[(i + k) % len(share_statuses)],
            )
            for i, c in enumerate(rows)
            for k in range(2 + i % 2)
        )
        CommitmentSource.objects.bulk_create(
            CommitmentSource(commitment=c, document=minutes, paragraph=str(1 + i % 20))
            for i, c in enumerate(rows)
        )
        StatusUpdate.objects.bulk_create(
            StatusUpdate(
                commitment=c,
                author=user,
                party=parties[i % len(parties)],
                kind=UpdateKind.PROGRESS,
                note="Draft sent to the Parties for comments; a national working group meets.",
            )
            for i, c in enumerate(rows)
            if i % 3 == 0
        )
        return meeting
