from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString

from actions import selectors
from actions.models import Status
from otscustoms.urls_many import reverse_for_codes
from parties.permissions import is_secretariat, user_party

# Colours of the status chart; each passes WCAG AA against white with its label beside it.
STATUS_COLOURS = {
    Status.OPEN: "#8c959f",
    Status.IN_PROGRESS: "#0b5cad",
    Status.SUBMITTED: "#8250df",
    Status.DONE: "#1a7f37",
    Status.CANCELLED: "#d0d7de",
    Status.SUPERSEDED: "#bf8700",
}
CHART_BAR_WIDTH = 400


def status_chart(rows: list[selectors.PartyStatusRow]) -> dict:
    """Stacked horizontal bars, one per party, laid out here so the page needs no script.

    ~200 rects: written here with each text escaped once (a template loop cost ~10 ms and
    format_html per rect another few, issue 8); str() of the floats also keeps the SVG's
    decimal point in every language."""
    largest = max((row.total for row in rows), default=0) or 1
    labels = {status: escape(status.label) for status in Status}
    bars = []
    for index, row in enumerate(rows):
        x = 0.0
        name = escape(row.party.name)
        rects = []
        for status in Status:
            count = row.counts.get(status.value, 0)
            if not count:
                continue
            width = CHART_BAR_WIDTH * count / largest
            rects.append(
                f'<rect x="{round(x, 1)}" y="2" width="{round(width, 1)}" height="20" '
                f'fill="{STATUS_COLOURS[status]}"><title>{name} — {labels[status]}: {count}'
                "</title></rect>"
            )
            x += width
        bars.append(
            {
                "y": index * 28,
                "party": row.party,
                "total": row.total,
                "rects": SafeString("".join(rects)),
            }
        )
    return {
        "bars": bars,
        "height": len(rows) * 28 + 4,
        "width": CHART_BAR_WIDTH + 200,
        "legend": [(s.label, STATUS_COLOURS[s]) for s in Status],
    }


def status_table_rows(rows: list[selectors.PartyStatusRow]) -> SafeString:
    """The body of the Secretariat's status-by-party table: a row per party, each count a link
    to those commitments. ~250 cells, built here with each text escaped once: the template
    loop with a {% url %} and a lookup per cell cost ~15 ms of the page (issue 8)."""
    list_url = escape(reverse("actions:commitment-list"))
    party_url = reverse_for_codes("parties:detail")
    lines = []
    for row in rows:
        code = escape(row.party.code)
        cells = "".join(
            f'<td><a href="{list_url}?party={code}&amp;status={s}">{n}</a></td>'
            if n
            else "<td>0</td>"
            for s, n in ((s, row.counts.get(s, 0)) for s in Status.values)
        )
        late = (
            f'<a class="late" href="{list_url}?party={code}&amp;status=overdue">{row.overdue}</a>'
            if row.overdue
            else "0"
        )
        detail = escape(party_url(row.party.code))
        lines.append(
            f'<tr><th scope="row"><a href="{detail}">{escape(row.party.name)}</a></th>{cells}'
            f"<td>{late}</td><td>{row.total}</td></tr>"
        )
    return SafeString("\n".join(lines))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context: dict = {"today": today}
    if is_secretariat(request.user):
        rows = selectors.status_by_party(today=today, cached=True)
        context.update(
            urgent=selectors.urgent_commitments(today=today),
            status_rows=rows,
            status_table=status_table_rows(rows),
            statuses=list(Status),
            chart=status_chart(rows),
            pending=list(selectors.pending_reviews()),
            meetings=list(selectors.upcoming_meetings(today=today)),
        )
        return render(request, "home_staff.html", context)
    party = user_party(request.user)
    if party is not None:
        context["obligations"] = selectors.party_obligations(
            party=party, today=today, with_links=False, cached=True
        )
    context["meetings"] = list(selectors.upcoming_meetings(today=today))
    return render(request, "home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and docker compose: answers only if the database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
