"""Write printed documents to a directory: every document of a meeting, a party's
obligations, or the series report."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting, MeetingSeries
from meetings.pdf import documents
from meetings.pdf.rendering import DEFAULT_ARCHIVAL_VARIANT, render_document
from parties.models import Party


class Command(BaseCommand):
    help = (
        "Write PDFs: --meeting HCA-9 (minutes, protocol, participants, agenda, implementation "
        "report), --party TR (its obligations), --series HCA (open commitments of the series)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meeting", action="append", default=[], metavar="CODE")
        parser.add_argument("--party", action="append", default=[], metavar="CODE")
        parser.add_argument("--series", action="append", default=[], metavar="CODE")
        parser.add_argument("--out", default=".", help="Directory to write to (created).")
        parser.add_argument(
            "--archival",
            action="store_true",
            help=f"Also write the minutes and protocol as {DEFAULT_ARCHIVAL_VARIANT}.",
        )
        parser.add_argument(
            "--today", help="Report date, YYYY-MM-DD (default: today).", default=None
        )

    def handle(self, *args, meeting, party, series, out, archival, today, **options):
        if not (meeting or party or series):
            raise CommandError("Say what to export: --meeting CODE, --party CODE or --series CODE.")
        try:
            today = datetime.date.fromisoformat(today) if today else datetime.date.today()
        except ValueError as exc:
            raise CommandError(f"--today: {today!r} is not a date (YYYY-MM-DD)") from exc
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        jobs: list[tuple[documents.PrintDocument, str | None]] = []
        for code in meeting:
            try:
                found = documents.meeting_by_code(code)
            except Meeting.DoesNotExist as exc:
                raise CommandError(f"--meeting: no meeting {code!r} (e.g. HCA-9)") from exc
            for kind in documents.MEETING_DOCUMENTS:
                doc = documents.meeting_document(kind, found, today=today)
                jobs.append((doc, None))
                if archival and kind in documents.ARCHIVAL_DOCUMENTS:
                    jobs.append((doc, DEFAULT_ARCHIVAL_VARIANT))
        for code in party:
            try:
                found = Party.objects.get(code=code.upper())
            except Party.DoesNotExist as exc:
                raise CommandError(f"--party: no party {code!r} (e.g. TR)") from exc
            jobs.append((documents.party_obligations(found, today=today), None))
        for code in series:
            try:
                found = MeetingSeries.objects.get(code=code.upper())
            except MeetingSeries.DoesNotExist as exc:
                raise CommandError(f"--series: no meeting series {code!r} (e.g. HCA)") from exc
            jobs.append((documents.series_report(found, today=today), None))
        for doc, variant in jobs:
            name = doc.filename
            if variant:
                name = name.replace(".pdf", "_pdfa.pdf")
            path = out / name
            path.write_bytes(render_document(doc, variant=variant))
            self.stdout.write(f"{path}")
