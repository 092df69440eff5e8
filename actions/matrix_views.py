"""The implementation matrix as a page, a PDF, a CSV and an XLSX, over the same filters
(``actions.matrix.MatrixFilter``: a meeting or a series, and the register's other filters).

Every signed-in user may see it, guests included: it shows statuses and the notes of progress
reports, never their evidence (``parties.permissions.can_see_evidence``)."""

from __future__ import annotations

import dataclasses

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions.matrix import (
    BadMatrixFilter,
    MatrixFilter,
    build_matrix,
    build_rows,
    matrix_commitments,
    matrix_filter,
    matrix_parties,
)
from actions.matrix_exports import XLSX_TYPE, matrix_csv, matrix_xlsx
from actions.models import Commitment
from meetings.models import ReportKind
from meetings.pdf import sizes
from meetings.pdf.matrix import implementation_matrix, job_params
from meetings.pdf.views import _render_or_queue

PAGE_SIZE = 50


def _bad_request(exc: Exception) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")


@require_GET
@login_required
def matrix_page(request: HttpRequest) -> HttpResponse:
    """The filter form and, once a meeting or series is named, the matrix a page at a time
    (the columns are those of the whole matrix, so they stay put from page to page)."""
    filtered = MatrixFilter(request.GET or None, queryset=Commitment.objects.in_register_order())
    today = timezone.localdate()
    context = {"filter": filtered, "form": filtered.form, "today": today}
    status = 200
    if filtered.is_valid():
        parties = matrix_parties(filtered.qs)
        page = Paginator(matrix_commitments(filtered.qs), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            parties=parties,
            page=page,
            rows=build_rows(page.object_list, parties, today=today),
            query=query.urlencode(),
            exports=[
                (label, f"{reverse(name)}?{query.urlencode()}")
                for label, name in (
                    ("PDF", "actions:matrix-pdf"),
                    ("CSV", "actions:matrix-csv"),
                    ("XLSX", "actions:matrix-xlsx"),
                )
            ],
        )
    elif filtered.is_bound:
        status = 400
    return render(request, "actions/implementation_matrix.html", context, status=status)


def _filename(filtered: MatrixFilter, extension: str) -> str:
    data = filtered.form.cleaned_data
    code = data.get("meeting") or (data.get("series") or "").upper()
    return f"{code}_implementation-matrix_{timezone.localdate().isoformat()}.{extension}"


@require_GET
@login_required
def matrix_pdf(request: HttpRequest) -> HttpResponse:
    """Rendered in the request, or above the printed reports' thresholds by a worker, with
    the job's progress page (meetings.pdf.views). A row of the matrix weighs as its cells:
    the reference, action and deadline, and one per party column."""
    try:
        filtered = matrix_filter(request.GET)
    except BadMatrixFilter as exc:
        return _bad_request(exc)
    today = timezone.localdate()
    return _render_or_queue(
        request,
        kind=ReportKind.IMPLEMENTATION_MATRIX,
        params=job_params(request.GET, today=today),
        weight=dataclasses.replace(
            sizes.weigh(filtered.qs, all_notes=False),
            row_cells=3 + len(matrix_parties(filtered.qs)),
        ),
        build=lambda: implementation_matrix(filtered, today=today),
    )


@require_GET
@login_required
def matrix_csv_view(request: HttpRequest) -> HttpResponse:
    try:
        filtered = matrix_filter(request.GET)
    except BadMatrixFilter as exc:
        return _bad_request(exc)
    matrix = build_matrix(filtered.qs, today=timezone.localdate())
    response = HttpResponse(matrix_csv(matrix), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(filtered, "csv")}"'
    return response


@require_GET
@login_required
def matrix_xlsx_view(request: HttpRequest) -> HttpResponse:
    try:
        filtered = matrix_filter(request.GET)
    except BadMatrixFilter as exc:
        return _bad_request(exc)
    matrix = build_matrix(filtered.qs, today=timezone.localdate())
    response = HttpResponse(matrix_xlsx(matrix), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(filtered, "xlsx")}"'
    return response
