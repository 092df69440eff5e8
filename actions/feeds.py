"""iCalendar (RFC 5545) feeds of deadlines, for the calendars delegations already use.

Calendar programs cannot sign in, so a feed URL carries the user's secret calendar token
(``?token=``, see /settings/tokens/); a signed-in browser may open it without one."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from actions.models import Commitment, Precision, Status
from parties.models import Party, TokenScope
from parties.permissions import is_secretariat, user_party
from parties.tokens import access_token_authenticate

# A cancelled or superseded obligation leaves the calendar; a done one stays, marked done.
FEED_STATUSES = [*Status.active(), Status.DONE]
PRODID = "-//Organization of Turkic States//otscustoms register//EN"


def feed_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "otscustoms"


def commitment_event(commitment: Commitment, *, host: str) -> icalendar.Event:
    """One all-day event on the deadline (the last day of a month or year deadline). The UID
    never changes; SEQUENCE is the commitment's version, which every write bumps, so a moved
    deadline reaches subscribed calendars as an update of the same event."""
    parties = ", ".join(p.code for p in commitment.responsible) or commitment.responsible_text
    phrase = commitment.deadline_text or _precision_words(commitment)
    summary = f"{commitment.action[:120]} — {phrase}"
    if parties:
        summary = f"[{parties}] {summary}"
    if commitment.status == Status.DONE:
        summary = f"✓ {summary}"
    event = icalendar.Event()
    event.add("uid", f"commitment-{commitment.pk}@{host}")
    event.add("summary", summary)
    event.add("dtstart", commitment.deadline)
    event.add("dtend", commitment.deadline + datetime.timedelta(days=1))
    event.add("dtstamp", commitment.updated_at)
    event.add("last-modified", commitment.updated_at)
    event.add("created", commitment.created_at)
    event.add("sequence", commitment.version)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    event.add("status", "CONFIRMED")
    event.add("categories", [commitment.meeting.code, commitment.get_status_display()])
    url = settings.SITE_URL + commitment.get_absolute_url()
    event.add("url", url)
    lines = [
        commitment.action,
        "",
        f"Deadline: {commitment.deadline_text or commitment.deadline.isoformat()}"
        f" ({commitment.get_deadline_precision_display().lower()} precision)",
        f"Responsible: {parties or '—'}",
        f"Agreed at: {commitment.meeting.code}"
        + (f", decision {commitment.decision.number}" if commitment.decision else ""),
        f"Status: {commitment.get_status_display()}",
        url,
    ]
    event.add("description", "\n".join(lines))
    return event


def _precision_words(commitment: Commitment) -> str:
    if commitment.deadline_precision == Precision.MONTH:
        return f"in {commitment.deadline:%B %Y}"
    if commitment.deadline_precision == Precision.YEAR:
        return f"in {commitment.deadline.year}"
    return f"by {commitment.deadline.day} {commitment.deadline:%B %Y}"


def build_calendar(commitments: Iterable[Commitment], *, name: str) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    host = feed_host()
    for commitment in commitments:
        cal.add_component(commitment_event(commitment, host=host))
    return cal.to_ical()


def feed_commitments():
    """Dated commitments, as the feeds list them: 3 queries whatever their number."""
    return (
        Commitment.objects.with_related()
        .filter(deadline__isnull=False, status__in=FEED_STATUSES)
        .order_by("deadline", "id")
    )


def _feed_user(request: HttpRequest):
    raw = request.GET.get("token", "")
    if raw:
        token = access_token_authenticate(raw, scope=TokenScope.CALENDAR)
        return token.user if token else None
    return request.user if request.user.is_authenticated else None


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def _unauthorised(request: HttpRequest) -> HttpResponse:
    if request.GET.get("token"):
        return HttpResponse(
            "Unknown or revoked calendar token. Create a new feed link at /settings/tokens/.",
            status=401,
            content_type="text/plain; charset=utf-8",
        )
    return redirect_to_login(request.get_full_path())


@require_GET
def party_feed(request: HttpRequest, code: str) -> HttpResponse:
    user = _feed_user(request)
    if user is None:
        return _unauthorised(request)
    party = Party.objects.filter(code=code.upper()).first()
    if party is None:
        raise Http404(f"No party with the code {code}.")
    body = build_calendar(
        feed_commitments().for_party(party), name=f"OTS customs deadlines — {party.name}"
    )
    return _ics_response(body, f"{party.code}.ics")


@require_GET
def my_feed(request: HttpRequest) -> HttpResponse:
    """The user's delegation's commitments (responsible or partner); for Secretariat staff
    without a delegation, every commitment."""
    user = _feed_user(request)
    if user is None:
        return _unauthorised(request)
    party = user_party(user)
    commitments = feed_commitments()
    if party is not None:
        commitments = commitments.for_party(party)
        name = f"OTS customs deadlines — {party.name}"
    elif is_secretariat(user):
        name = "OTS customs deadlines — all parties"
    else:
        commitments = commitments.none()
        name = "OTS customs deadlines"
    return _ics_response(build_calendar(commitments, name=name), "my-deadlines.ics")
