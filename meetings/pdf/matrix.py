"""The implementation matrix as a printed document (item 9 of the HCA-9 minutes: the outcomes
the Secretariat submits to the next meeting). The rows come from ``actions.matrix``; this
module names the document and flattens each row to the few strings the template prints, so
that the template writes one text run per cell and calls nothing per row."""

from __future__ import annotations

import datetime
from collections import Counter

from django.http import QueryDict
from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from actions.matrix import Matrix, MatrixFilter, build_matrix, matrix_filter, short_action
from actions.models import ShareStatus
from meetings.models import Meeting, MeetingSeries
from meetings.pdf.documents import PrintDocument, _running

# The matrix's filters the document names in its subtitle, beside the meeting or series.
NAMED_FILTERS = ("party", "role", "status", "search", "due_after", "due_before", "overdue")


def _scope(filtered: MatrixFilter) -> tuple[str, str, str]:
    """(title, file-name code, running header) of the meeting or series the matrix covers."""
    data = filtered.form.cleaned_data
    if data.get("meeting"):
        meeting = Meeting.objects.select_related("series").by_code(data["meeting"])
        title = _("Implementation matrix of the decisions of the %(meeting)s") % {
            "meeting": meeting.display_name
        }
        return title, meeting.code, _running(meeting)
    series = MeetingSeries.objects.get(code__iexact=data["series"])
    title = _("Implementation matrix of the %(series)s") % {"series": series.name}
    return title, series.code, f"{series.name} ({series.code})"


def _filters_named(filtered: MatrixFilter) -> str:
    data = filtered.form.cleaned_data
    named = []
    for name in NAMED_FILTERS:
        value = data.get(name)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = ", ".join(value)
        named.append(f"{name} {value}")
    return "; ".join(named)


def printed_rows(matrix: Matrix) -> list[tuple[str, str, str, list[str]]]:
    """Each row as (reference, action, deadline, cell texts): plain strings, so the template's
    loop only prints."""
    return [
        (row.reference, short_action(row.action), row.deadline, [c.text for c in row.cells])
        for row in matrix.rows
    ]


def _summary(matrix: Matrix) -> str:
    shares = Counter(c.status for row in matrix.rows for c in row.cells if c.is_share)
    overdue = sum(c.overdue for row in matrix.rows for c in row.cells)
    total = sum(shares.values())
    finished = sum(shares[s] for s in ShareStatus.finished())
    return _(
        "%(rows)s; %(shares)s, of which %(finished)s done or waived and %(overdue)s overdue."
    ) % {
        "rows": ngettext("%(n)d commitment", "%(n)d commitments", len(matrix.rows))
        % {"n": len(matrix.rows)},
        "shares": ngettext("%(n)d party's share", "%(n)d parties' shares", total) % {"n": total},
        "finished": finished,
        "overdue": overdue,
    }


def implementation_matrix(filtered: MatrixFilter, *, today: datetime.date) -> PrintDocument:
    title, code, running = _scope(filtered)
    matrix = build_matrix(filtered.qs, today=today)
    as_of = formats.date_format(today, "j F Y")
    return PrintDocument(
        kind="implementation-matrix",
        template="pdf/matrix.html",
        title=title,
        filename=f"{code}_implementation-matrix_{today.isoformat()}.pdf",
        running_meeting=running,
        reference=_("%(code)s · Implementation matrix") % {"code": code},
        subject=_("%(n)d commitments of %(code)s by party, status as of %(day)s")
        % {"n": len(matrix.rows), "code": code, "day": today.isoformat()},
        keywords=[code, "implementation matrix"],
        lang=(get_language() or "en").split("-")[0],
        size=len(matrix.rows),
        context={
            "matrix": matrix,
            "parties": matrix.parties,
            "rows": printed_rows(matrix),
            "landscape": matrix.landscape,
            "as_of": as_of,
            "filters": _filters_named(filtered),
            "summary": _summary(matrix),
        },
    )


def job_params(data: QueryDict, *, today: datetime.date) -> dict:
    """What a worker needs to print the same matrix later: the filter parameters as asked
    (sorted, so the same request finds its job again) and the day."""
    known = MatrixFilter.base_filters
    filters = {name: data.getlist(name) for name in sorted(known) if data.getlist(name)}
    return {"filters": filters, "today": today.isoformat()}


def from_params(params: dict) -> PrintDocument:
    data = QueryDict(mutable=True)
    for name, values in params["filters"].items():
        data.setlist(name, values)
    today = datetime.date.fromisoformat(params["today"])
    return implementation_matrix(matrix_filter(data), today=today)
