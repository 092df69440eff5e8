"""iCalendar (RFC 5545) feeds of deadlines, for the calendars delegations already use.

Calendar programs cannot sign in, so a feed URL carries the user's secret calendar token
(``?token=``, see /settings/tokens/); a signed-in browser may open it without one."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Max, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_GET
from icalendar.prop import vText

from actions.models import Commitment, CommitmentParty, Precision, Role, Status
from meetings.models import MeetingSeries
from parties.models import Party, TokenScope
from parties.permissions import is_secretariat, user_party
from parties.tokens import access_token_authenticate

# A cancelled or superseded obligation leaves the calendar; a done one stays, marked done.
FEED_STATUSES = [*Status.active(), Status.DONE]
PRODID = "-//Organization of Turkic States//otscustoms register//EN"
FOLD_OCTETS = 74  # the longest line icalendar writes before folding, CRLF not counted
# Part of every feed's ETag: raise it when a release changes what the file says, so that
# calendars fetch it again even though no commitment changed.
FEED_FORMAT = 1


def feed_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "otscustoms"


# What an event shows, read as plain rows: model instances, their prefetched links and
# icalendar's Event objects cost nine tenths of a 4,000-event feed (issue 8).
ROW_FIELDS = (
    "id",
    "action",
    "responsible_text",
    "deadline",
    "deadline_precision",
    "deadline_text",
    "status",
    "version",
    "created_at",
    "updated_at",
    "meeting__series__code",
    "meeting__number",
    "decision_id",
    "decision__number",
    # for the ETag only (see Feed)
    "meeting__updated_at",
    "decision__updated_at",
)


def feed_rows(commitments: QuerySet[Commitment]) -> list[dict]:
    """The commitments as dicts, each with the codes of its responsible parties in the order
    ``Commitment.responsible`` gives them: 2 queries whatever their number."""
    rows = list(commitments.values(*ROW_FIELDS))
    codes: dict[int, list[str]] = defaultdict(list)
    links = CommitmentParty.objects.filter(  # in the links' own order (role, party order)
        commitment__in=commitments.values("pk"), role=Role.RESPONSIBLE
    ).values_list("commitment_id", "party__code")
    for commitment_id, code in links:
        codes[commitment_id].append(code)
    for row in rows:
        row["responsible"] = codes.get(row["id"], [])
    return rows


def _text(value: str) -> str:
    """A TEXT value, escaped (backslash, semicolon, comma, newline) as icalendar does."""
    return vText(value).to_ical().decode()


def _line(name: str, value: str) -> bytes:
    return fold(f"{name}:{value}")


def fold(line: str) -> bytes:
    """A content line in UTF-8, folded as icalendar's ``Contentline.to_ical()`` folds it
    (RFC 5545 3.1): at most 74 octets a line, each continuation line starting with a space,
    never inside a multi-byte character, and never right after a backslash or caret (that
    character moves to the next line, so that an escape like ``\\,`` stays whole).

    icalendar weighs the line character by character: half of a feed's time at 4,000 events
    (issue 8). This cuts the encoded line at once; a test checks it against icalendar's."""
    data = line.encode()
    if len(data) <= FOLD_OCTETS:
        return data
    parts = []
    start = 0
    while len(data) - start > FOLD_OCTETS:
        end = start + FOLD_OCTETS
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def ical_date(day: datetime.date) -> str:
    """A DATE value (RFC 5545 3.3.4), as icalendar's vDate writes it."""
    return f"{day.year:04}{day.month:02}{day.day:02}"


def ical_utc(moment: datetime.datetime) -> str:
    """A DATE-TIME in UTC (RFC 5545 3.3.5, form 2), as icalendar's vDatetime writes an aware
    UTC time; a tenth of its cost, which looks up time zone names for every value."""
    m = moment.astimezone(datetime.UTC)
    return f"{m.year:04}{m.month:02}{m.day:02}T{m.hour:02}{m.minute:02}{m.second:02}Z"


class EventWriter:
    """Writes a feed row as its VEVENT: the properties ``icalendar.Event`` gave it, in
    icalendar's order for an event, TEXT escaped by icalendar's vText, dates and lines
    written and folded as icalendar writes them, so that the file is byte for byte what
    ``icalendar.Calendar.to_ical()`` wrote for ``Event`` objects (tests compare them).

    One all-day event on the deadline (the last day of a month or year deadline). The UID
    never changes; SEQUENCE is the commitment's version, which every write bumps, so a moved
    deadline reaches subscribed calendars as an update of the same event. The status and
    precision labels are translated once per feed, not once per event."""

    def __init__(self, *, host: str) -> None:
        # Escaping works character by character, so the host is escaped once for every UID.
        self.uid_suffix = _text(f"@{host}")
        self.url = Commitment.absolute_urls(lambda path: settings.SITE_URL + path)
        self.status = {value: str(label) for value, label in Status.choices}
        self.precision = {value: str(label).lower() for value, label in Precision.choices}
        self.status_text = {value: _text(label) for value, label in self.status.items()}
        self.meeting_text: dict[str, str] = {}

    def event(self, row: dict) -> bytes:
        pk, deadline, status = row["id"], row["deadline"], row["status"]
        meeting = f"{row['meeting__series__code']}-{row['meeting__number']}"
        if meeting not in self.meeting_text:
            self.meeting_text[meeting] = _text(meeting)
        status_label = self.status.get(status, status)
        parties = ", ".join(row["responsible"]) or row["responsible_text"]
        phrase = row["deadline_text"] or _precision_words(deadline, row["deadline_precision"])
        summary = f"{row['action'][:120]} — {phrase}"
        if parties:
            summary = f"[{parties}] {summary}"
        if status == Status.DONE:
            summary = f"✓ {summary}"
        url = self.url(pk)
        precision = row["deadline_precision"]
        description = [
            row["action"],
            "",
            f"Deadline: {row['deadline_text'] or deadline.isoformat()}"
            f" ({self.precision.get(precision, precision.lower())} precision)",
            f"Responsible: {parties or '—'}",
            f"Agreed at: {meeting}"
            + (f", decision {row['decision__number']}" if row["decision_id"] is not None else ""),
            f"Status: {status_label}",
            url,
        ]
        changed = ical_utc(row["updated_at"])
        status_text = self.status_text.get(status) or _text(status_label)
        return b"\r\n".join(
            [
                b"BEGIN:VEVENT",
                _line("SUMMARY", _text(summary)),
                _line("DTSTART;VALUE=DATE", ical_date(deadline)),
                _line("DTEND;VALUE=DATE", ical_date(deadline + datetime.timedelta(days=1))),
                _line("DTSTAMP", changed),
                _line("UID", f"commitment-{pk}{self.uid_suffix}"),
                _line("SEQUENCE", str(row["version"])),
                _line("CATEGORIES", f"{self.meeting_text[meeting]},{status_text}"),
                _line("CREATED", ical_utc(row["created_at"])),
                _line("DESCRIPTION", _text("\n".join(description))),
                _line("LAST-MODIFIED", changed),
                b"STATUS:CONFIRMED",
                b"TRANSP:TRANSPARENT",  # a deadline does not make anyone busy
                _line("URL", url),
                b"END:VEVENT\r\n",
            ]
        )


def _precision_words(deadline: datetime.date, precision: str) -> str:
    if precision == Precision.MONTH:
        return f"in {deadline:%B %Y}"
    if precision == Precision.YEAR:
        return f"in {deadline.year}"
    return f"by {deadline.day} {deadline:%B %Y}"


def feed_commitments() -> QuerySet[Commitment]:
    """Dated commitments, as the feeds list them."""
    return Commitment.objects.filter(deadline__isnull=False, status__in=FEED_STATUSES).order_by(
        "deadline", "id"
    )


class Feed:
    """One calendar: its commitments, its name, and an ETag for calendar programs that poll.

    The ETag is a digest of what the file is made of, which a conditional request reads in
    one aggregate query instead of writing 4,000 events: the commitments' number, latest
    change and versions (every write through the services saves the commitment, so a
    changed status, deadline or party list moves its ``updated_at``; one that leaves the
    feed lowers the number, one that joins it is the latest change), the latest change of
    their meetings and decisions and how many have a decision, the series' and parties'
    codes (and the parties' order, which orders the codes in each event), the calendar's
    name, the labels in the request's language, the site's URL and FEED_FORMAT. A full
    answer computes the same figures from the rows it writes, so the two cannot differ."""

    def __init__(self, commitments: QuerySet[Commitment], *, name: str) -> None:
        self.commitments = commitments
        self.name = name
        self.writer = EventWriter(host=feed_host())

    def stored_etag(self) -> str:
        """The ETag of the feed as it is stored now, without reading its rows."""
        found = self.commitments.aggregate(
            count=Count("pk"),
            changed=Max("updated_at"),
            versions=Sum("version"),
            meetings_changed=Max("meeting__updated_at"),
            decided=Count("decision"),
            decisions_changed=Max("decision__updated_at"),
        )
        return self._etag(
            self.codes(),
            found["count"],
            found["changed"],
            found["versions"] or 0,
            found["meetings_changed"],
            found["decided"],
            found["decisions_changed"],
        )

    def render(self) -> tuple[bytes, str]:
        """The file and its ETag. The calendar's own properties are written by icalendar;
        its events, one per row, by EventWriter, before the calendar's END line."""
        codes = self.codes()  # before the rows: an ETag may be older than its file, not newer
        rows = feed_rows(self.commitments)
        cal = icalendar.Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", self.name)
        cal.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT6H")
        head, end = cal.to_ical().rsplit(b"END:VCALENDAR", 1)
        events = [self.writer.event(row) for row in rows]
        etag = self._etag(
            codes,
            len(rows),
            max((row["updated_at"] for row in rows), default=None),
            sum(row["version"] for row in rows),
            max((row["meeting__updated_at"] for row in rows), default=None),
            sum(1 for row in rows if row["decision_id"] is not None),
            max(
                (row["decision__updated_at"] for row in rows if row["decision_id"] is not None),
                default=None,
            ),
        )
        return b"".join([head, *events, b"END:VCALENDAR", end]), etag

    @staticmethod
    def codes() -> tuple[list, list]:
        """What the events take from the series and parties (2 small tables, 2 queries)."""
        return (
            list(MeetingSeries.objects.order_by("pk").values_list("pk", "code")),
            list(Party.objects.order_by("pk").values_list("pk", "code", "order")),
        )

    def _etag(self, codes: tuple[list, list], *figures) -> str:
        labels = (self.writer.status, self.writer.precision)
        made_of = (FEED_FORMAT, settings.SITE_URL, self.name, labels, codes, figures)
        return f'"{hashlib.blake2b(repr(made_of).encode(), digest_size=16).hexdigest()}"'


def _feed_user(request: HttpRequest):
    raw = request.GET.get("token", "")
    if raw:
        token = access_token_authenticate(raw, scope=TokenScope.CALENDAR)
        return token.user if token else None
    return request.user if request.user.is_authenticated else None


def _ics_response(request: HttpRequest, feed: Feed, filename: str) -> HttpResponse:
    """The feed, or 304 Not Modified when the client's If-None-Match names its ETag (the
    caller has checked the token and the permissions already)."""
    response = None
    if request.headers.get("If-None-Match"):  # only then is the aggregate worth its query
        etag = feed.stored_etag()
        response = get_conditional_response(request, etag=etag)
    if response is None:
        body, etag = feed.render()
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
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
    feed = Feed(feed_commitments().for_party(party), name=f"OTS customs deadlines — {party.name}")
    return _ics_response(request, feed, f"{party.code}.ics")


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
    return _ics_response(request, Feed(commitments, name=name), "my-deadlines.ics")
