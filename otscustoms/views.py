import secrets

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from actions import selectors
from actions.models import ShareStatus, Status
from otscustoms.outbox import services as outbox
from parties.models import Party
from parties.permissions import is_secretariat, user_party

# Colours of the status chart, one per column of the status table (a share's statuses, then
# the decisions on a whole commitment); each passes WCAG AA against white with its label
# beside it.
STATUS_COLOURS = {
    ShareStatus.OPEN: "#8c959f",
    ShareStatus.IN_PROGRESS: "#0b5cad",
    ShareStatus.SUBMITTED: "#8250df",
    ShareStatus.DONE: "#1a7f37",
    ShareStatus.WAIVED: "#57606a",
    Status.CANCELLED: "#d0d7de",
    Status.SUPERSEDED: "#bf8700",
}
CHART_BAR_WIDTH = 400


def status_chart(rows: list[selectors.PartyStatusRow]) -> dict:
    """Stacked horizontal bars, one per party (its shares by status), laid out here so the
    page needs no script. Coordinates are strings so that the SVG keeps its decimal point in
    every language."""
    largest = max((row.total for row in rows), default=0) or 1
    columns = selectors.status_columns()
    bars = []
    for index, row in enumerate(rows):
        x, rects = 0.0, []
        for status, label in columns:
            count = row.counts.get(status, 0)
            if count:
                width = CHART_BAR_WIDTH * count / largest
                rects.append(
                    {
                        "x": str(round(x, 1)),
                        "width": str(round(width, 1)),
                        "colour": STATUS_COLOURS[status],
                        "label": label,
                        "count": count,
                    }
                )
                x += width
        bars.append({"y": index * 28, "party": row.party, "total": row.total, "rects": rects})
    return {
        "bars": bars,
        "height": len(rows) * 28 + 4,
        "width": CHART_BAR_WIDTH + 200,
        "legend": [(label, STATUS_COLOURS[status]) for status, label in columns],
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context: dict = {"today": today}
    if is_secretariat(request.user):
        rows = selectors.status_by_party(today=today, cached=True)
        context.update(
            urgent=selectors.urgent_commitments(today=today),
            status_rows=rows,
            statuses=selectors.status_columns(),
            chart=status_chart(rows),
            pending=list(selectors.pending_reviews()),
            meetings=list(selectors.upcoming_meetings(today=today)),
        )
        return render(request, "home_staff.html", context)
    party = user_party(request.user)
    if party is not None:
        context["obligations"] = selectors.party_obligations(
            party=party, today=today, with_extensions=True, cached=True
        )
    context["meetings"] = list(selectors.upcoming_meetings(today=today))
    return render(request, "home.html", context)


def _database_up() -> bool:
    try:
        Party.objects.exists()
    except DatabaseError:
        return False
    return True


def _cache_up() -> bool:
    # A value written and read back, not a ping: the cache ignores its own errors (see
    # settings.CACHES), so only reading back what was written shows that it answered. A key
    # of this call's own, so that two checks at once cannot read each other's value.
    key, token = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, token, timeout=10)
    return cache.get(key) == token


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and docker compose: the database, the cache and the broker, each
    "ok" or "down"; 503 if one is down. Without Redis the site still serves (the database
    answers for the cache, tasks wait in the outbox), but it is not well, and this says
    which part is missing. A Redis that does not answer costs REDIS_TIMEOUT per call (three
    calls), so the check ends within the health checks' own timeouts."""
    checks = {
        "database": _database_up(),
        "cache": _cache_up(),
        "broker": outbox.broker_reachable(),
    }
    return JsonResponse(
        {name: "ok" if up else "down" for name, up in checks.items()},
        status=200 if all(checks.values()) else 503,
    )
