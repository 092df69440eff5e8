"""PDF views: thin — find the object, let documents.py load and name it, render or queue."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET

from meetings.models import Meeting, MeetingSeries, ReportJob, ReportJobStatus, ReportKind
from meetings.pdf import documents, sizes
from meetings.pdf.rendering import ARCHIVAL_VARIANTS, DEFAULT_ARCHIVAL_VARIANT, render_document
from meetings.pdf.services import report_job_request, today
from parties.models import Party


def _pdf_response(document: documents.PrintDocument, *, variant: str | None = None):
    pdf = render_document(document, variant=variant)
    name = document.filename
    if variant:
        name = name.replace(".pdf", "_pdfa.pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    # inline: opens in the browser's viewer; the name is what "Save" proposes.
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _meeting(code: str) -> Meeting:
    try:
        return documents.meeting_by_code(code)
    except Meeting.DoesNotExist as exc:
        raise Http404(f"No meeting {code}") from exc


def _archival_variant(request) -> str | None:
    """`?variant=pdf/a-3b` or `?archival=1` (PDF/A-3b)."""
    variant = request.GET.get("variant", "").strip().lower()
    if variant:
        if variant not in ARCHIVAL_VARIANTS:
            raise documents.BadFilter(
                f"variant: {variant!r} is not offered; use one of {', '.join(ARCHIVAL_VARIANTS)}"
            )
        return variant
    if request.GET.get("archival", "").lower() in ("1", "true", "yes", "on"):
        return DEFAULT_ARCHIVAL_VARIANT
    return None


def _bad_request(exc: Exception) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")


@require_GET
@login_required
def meeting_pdf(request, code: str, kind: str):
    """Minutes, protocol (both with an archival PDF/A variant), participants, agenda."""
    meeting = _meeting(code)
    try:
        variant = _archival_variant(request)
        if variant and kind not in documents.ARCHIVAL_DOCUMENTS:
            raise documents.BadFilter(
                "variant: an archival PDF/A is made of the minutes and the protocol only"
            )
    except documents.BadFilter as exc:
        return _bad_request(exc)
    return _pdf_response(documents.meeting_document(kind, meeting, today=today()), variant=variant)


def _render_or_queue(request, *, kind: str, params: dict, weight: sizes.Weight, build):
    """Render in the request, or — above PDF_ASYNC_THRESHOLD commitments (counted in rows of
    a register report, ``Weight.rows``) or PDF_ASYNC_TEXT_THRESHOLD characters of text — hand
    the report to a worker and send the browser to the job's progress page."""
    if (
        weight.rows > settings.PDF_ASYNC_THRESHOLD
        or weight.text > settings.PDF_ASYNC_TEXT_THRESHOLD
    ):
        job = report_job_request(
            kind=kind, params=params, size=weight.commitments, user=request.user
        )
        return redirect(job)
    return _pdf_response(build())


@require_GET
@login_required
def implementation_report_pdf(request, code: str):
    meeting = _meeting(code)
    day = today()
    return _render_or_queue(
        request,
        kind=ReportKind.IMPLEMENTATION_REPORT,
        params={"meeting": meeting.code, "today": day.isoformat()},
        weight=sizes.weigh(meeting.commitments.all(), all_notes=True),
        build=lambda: documents.implementation_report(meeting, today=day),
    )


@require_GET
@login_required
def series_report_pdf(request, code: str):
    series = get_object_or_404(MeetingSeries, code=code.upper())
    day = today()
    return _render_or_queue(
        request,
        kind=ReportKind.SERIES_REPORT,
        params={"series": series.code, "today": day.isoformat()},
        weight=sizes.weigh(documents.series_queryset(series), all_notes=False),
        build=lambda: documents.series_report(series, today=day),
    )


@require_GET
@login_required
def party_obligations_pdf(request, code: str):
    """The party's shares; `?meeting=HCA-9` and `?status=open,in_progress` (the share's
    status) narrow the list. Written in the request's language, also by a worker."""
    party = get_object_or_404(Party, code=code.upper())
    meeting = None
    try:
        if request.GET.get("meeting"):
            try:
                meeting = documents.meeting_by_code(request.GET["meeting"])
            except Meeting.DoesNotExist as exc:
                raise documents.BadFilter(
                    f"meeting: no meeting {request.GET['meeting']!r} (e.g. HCA-9)"
                ) from exc
        statuses = documents.parse_share_statuses(request.GET.getlist("status"))
    except documents.BadFilter as exc:
        return _bad_request(exc)
    day = today()
    return _render_or_queue(
        request,
        kind=ReportKind.PARTY_OBLIGATIONS,
        params={
            "party": party.code,
            "meeting": meeting.code if meeting else "",
            "statuses": statuses,
            "today": day.isoformat(),
            "language": translation.get_language(),
        },
        weight=sizes.weigh(
            documents.obligations_queryset(party, meeting=meeting, statuses=statuses),
            all_notes=False,
        ),
        build=lambda: documents.party_obligations(
            party, today=day, meeting=meeting, statuses=statuses or None
        ),
    )


@require_GET
@login_required
def report_job(request, pk):
    """Progress page of a queued report; it reloads itself until the file is ready. With
    htmx polling only the status fragment is returned."""
    job = get_object_or_404(ReportJob, pk=pk)
    template = "pdf/_job_status.html" if request.headers.get("HX-Request") else "pdf/job.html"
    return render(request, template, {"job": job, "poll_seconds": 2})


@require_GET
@login_required
def report_job_file(request, pk):
    job = get_object_or_404(ReportJob, pk=pk, status=ReportJobStatus.DONE)
    if not job.file:
        raise Http404("The file of this report is gone.")
    return FileResponse(
        job.file.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=job.filename,
    )
