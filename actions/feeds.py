"""iCalendar (RFC 5545) feeds of deadlines, for the calendars delegations already use.

Calendar programs cannot sign in, so a feed URL carries the user's secret calendar token
(``?token=``, see /settings/tokens/); a signed-in browser may open it without one."""

from __future__ import annotations

import datetime
import hashlib
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet, Sum, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from actions.models import Commitment, Precision, ShareStatus, Status
from actions.querysets import deadline_extensions, party_links
from actions.templatetags.otsweb import agreed_and_extended
from actions.templatetags.share_tags import shares_progress
from meetings.models import MeetingSeries
from parties.models import Party, TokenScope
from parties.permissions import is_secretariat, user_party
from parties.tokens import access_token_authenticate

# A cancelled or superseded obligation leaves the calendar; a done one stays, marked done.
FEED_STATUSES = [*Status.active(), Status.DONE]
PRODID = "-//Organization of Turkic States//otscustoms register//EN"
# Part of every feed's ETag: raise it when a release changes what the file says, so that
# calendars fetch it again even though no commitment changed.
FEED_FORMAT = 2
# A feed's file is kept under its ETag, so an entry is never stale, only unused once the feed
# changes; this bounds how long such an entry holds memory.
CACHE_SECONDS = 24 * 60 * 60

# What an event shows of a commitment, its meeting and its decision.
EVENT_FIELDS = (
    "action",
    "responsible_text",
    "deadline",
    "deadline_precision",
    "deadline_text",
    "agreed_deadline",
    "agreed_precision",
    "status",
    "version",
    "created_at",
    "updated_at",
    "meeting__number",
    "meeting__series__code",
    "decision__number",
)


def feed_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "otscustoms"


def feed_commitments() -> QuerySet[Commitment]:
    """Dated commitments, as the feeds list them."""
    return Commitment.objects.filter(deadline__isnull=False, status__in=FEED_STATUSES).order_by(
        "deadline", "id"
    )


def party_feed_commitments(party: Party) -> QuerySet[Commitment]:
    """The party's commitments as its calendar lists them, with its link joined in (see
    ``with_party_link``): a share at its own effective deadline; a waived share leaves the
    calendar as a cancelled commitment does."""
    return (
        Commitment.objects.filter(status__in=FEED_STATUSES)
        .with_party_link(party)
        .exclude(share_status=ShareStatus.WAIVED)
        .filter(due__isnull=False)
        .order_by("due", "id")
    )


def with_event_fields(commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
    """The commitments with what their events show: 3 queries whatever their number (the
    commitments with their meeting, series and decision; their party links with the
    parties, in the parties' order; their approved extensions)."""
    return (
        commitments.select_related("meeting__series", "decision")
        .only(*EVENT_FIELDS)
        .prefetch_related(party_links(), deadline_extensions())
    )


def _precision_words(deadline: datetime.date, precision: str) -> str:
    if precision == Precision.MONTH:
        return f"in {deadline:%B %Y}"
    if precision == Precision.YEAR:
        return f"in {deadline.year}"
    return f"by {deadline.day} {deadline:%B %Y}"


def feed_labels() -> tuple[dict[str, str], dict[str, str]]:
    """The status labels (a share's "waived" among them) and the (lower-case) precision
    labels in the request's language. Read once per feed: a model's get_FOO_display()
    translates every choice of the field on each call."""
    return (
        {value: str(label) for value, label in [*Status.choices, *ShareStatus.choices]},
        {value: str(label).lower() for value, label in Precision.choices},
    )


def commitment_event(
    commitment: Commitment,
    *,
    host: str,
    url: str,
    labels: tuple[dict, dict],
    party_id: int | None = None,
) -> icalendar.Event:
    """One all-day event on the deadline (the last day of a month or year deadline); in a
    party's calendar, on its share's effective deadline, with its share's status. The UID
    never changes; SEQUENCE grows with the commitment's version and the share's, which every
    write bumps, so a moved deadline reaches subscribed calendars as an update of the same
    event. ``labels``: see feed_labels()."""
    share = commitment.share_for(party_id) if party_id is not None else None
    parties = ", ".join(party.code for party in commitment.responsible)
    parties = parties or commitment.responsible_text
    deadline, precision = commitment.deadline, commitment.deadline_precision
    status_value, sequence, changed = commitment.status, commitment.version, commitment.updated_at
    if share is not None:
        deadline = share.effective_deadline
        precision = Precision.DAY if share.deadline is not None else precision
        status_value = share.status
        sequence += share.version - 1  # a share starts at version 1
        changed = max(changed, share.updated_at)
    statuses, precisions = labels
    status = statuses.get(status_value, status_value)
    extended = commitment.extension_for(party_id) is not None
    phrase = commitment.deadline_text or _precision_words(deadline, precision)
    if extended:
        agreed = commitment.deadline_text or _precision_words(
            commitment.agreed_deadline or deadline, commitment.agreed_precision or precision
        )
        phrase = _("%(agreed)s, extended to %(date)s") % {
            "agreed": agreed,
            "date": f"{deadline.day} {deadline:%B %Y}",
        }
    summary = f"{commitment.action[:120]} — {phrase}"
    if parties:
        summary = f"[{parties}] {summary}"
    if status_value == Status.DONE:
        summary = f"✓ {summary}"
    meeting = commitment.meeting.code
    event = icalendar.Event()
    event.add("uid", f"commitment-{commitment.pk}@{host}")
    event.add("summary", summary)
    event.add("dtstart", deadline)
    event.add("dtend", deadline + datetime.timedelta(days=1))
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("created", commitment.created_at)
    event.add("sequence", sequence)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    event.add("status", "CONFIRMED")
    event.add("categories", [meeting, status])
    event.add("url", url)
    decision = commitment.decision
    as_agreed = (
        agreed_and_extended(commitment, party_id)
        if extended
        else commitment.deadline_text or deadline.isoformat()
    )
    lines = [
        commitment.action,
        "",
        _("Deadline: %(deadline)s (%(precision)s precision)")
        % {"deadline": as_agreed, "precision": precisions.get(precision, precision.lower())},
        _("Responsible: %(parties)s") % {"parties": parties or "—"},
        _("Agreed at: %(meeting)s") % {"meeting": meeting}
        + (_(", decision %(number)s") % {"number": decision.number} if decision else ""),
    ]
    if len(commitment.shares) > 1:
        lines.append(_("Shares: %(progress)s") % {"progress": shares_progress(commitment)})
    lines += [_("Status: %(status)s") % {"status": status}, url]
    event.add("description", "\n".join(lines))
    return event


class Feed:
    """One calendar: its commitments, its name, and an ETag for calendar programs that poll.

    The ETag is a digest of what the file is made of, read in one aggregate query instead of
    building the events: the commitments' number, latest change and versions (every write
    through the services saves the commitment, so a changed status, deadline or party list
    moves its ``updated_at``; one that leaves the feed lowers the number, one that joins it
    is the latest change), the latest change of their meetings and decisions and how many
    have a decision, the series' and parties' codes (and the parties' order, which orders
    the codes in each event), which commitments the feed selects (``scope``), the calendar's
    name, the labels in the request's language, the site's URL and FEED_FORMAT. A party's
    calendar adds its links' versions and latest change: a share's status or extension bumps
    its version (an extension of the whole commitment, the commitment's).

    The file is cached under its ETag: an unchanged feed is answered from the cache, and a
    changed one has a new ETag, hence a new key."""

    def __init__(
        self,
        commitments: QuerySet[Commitment],
        *,
        name: str,
        scope: str,
        party: Party | None = None,
    ) -> None:
        self.commitments = commitments
        self.name = name
        self.scope = scope
        self.party = party  # whose shares the events show (see party_feed_commitments)

    def etag(self) -> str:
        """The ETag of the feed as it is stored now, without reading its commitments."""
        found = self.commitments.aggregate(
            count=Count("pk"),
            changed=Max("updated_at"),
            versions=Sum("version"),
            meetings_changed=Max("meeting__updated_at"),
            decided=Count("decision"),
            decisions_changed=Max("decision__updated_at"),
            **(
                {"links": Sum("link_version"), "links_changed": Max("link_changed")}
                if self.party is not None
                else {}
            ),
        )
        made_of = (
            FEED_FORMAT,
            settings.SITE_URL,
            self.scope,
            self.name,
            feed_labels(),
            codes(),
            sorted(found.items()),
        )
        return f'"{hashlib.blake2b(repr(made_of).encode(), digest_size=16).hexdigest()}"'

    def calendar(self) -> icalendar.Calendar:
        cal = icalendar.Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", self.name)
        cal.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT6H")
        host = feed_host()
        shown = feed_labels()
        party_id = self.party.pk if self.party is not None else None
        for commitment in with_event_fields(self.commitments):
            url = settings.SITE_URL + commitment.get_absolute_url()
            event = commitment_event(
                commitment, host=host, url=url, labels=shown, party_id=party_id
            )
            cal.add_component(event)
        return cal

    def body(self, etag: str) -> bytes:
        """The file of the feed whose ETag is ``etag``, from the cache when it was built
        already. The ETag is read before the commitments, so a file may be newer than the
        ETag it is kept under (its client then fetches it once more), never older."""
        key = "calendar-feed:" + etag.strip('"')
        body = cache.get(key)
        if body is None:
            body = self.calendar().to_ical()
            cache.set(key, body, CACHE_SECONDS)
        return body


def codes() -> list[tuple]:
    """What the events take from the series and the parties: their codes, and the parties'
    order. One query for both small tables."""
    series = MeetingSeries.objects.order_by().values_list(Value("series"), "pk", "code", Value(0))
    parties = Party.objects.order_by().values_list(Value("party"), "pk", "code", "order")
    return sorted(series.union(parties, all=True))


def _feed_user(request: HttpRequest):
    raw = request.GET.get("token", "")
    if raw:
        token = access_token_authenticate(raw, scope=TokenScope.CALENDAR)
        return token.user if token else None
    return request.user if request.user.is_authenticated else None


def _ics_response(request: HttpRequest, feed: Feed, filename: str) -> HttpResponse:
    """The feed, or 304 Not Modified when the client's If-None-Match names its ETag (the
    caller has checked the token and the permissions already)."""
    etag = feed.etag()
    response = None
    if request.headers.get("If-None-Match"):
        response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(feed.body(etag), content_type="text/calendar; charset=utf-8")
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


def _party_feed(party: Party) -> Feed:
    # The party's page and a delegate's own feed are the same calendar, one cache entry.
    return Feed(
        party_feed_commitments(party),
        name=_("OTS customs deadlines — %(party)s") % {"party": party.name},
        scope=f"party-{party.pk}",
        party=party,
    )


@require_GET
def party_feed(request: HttpRequest, code: str) -> HttpResponse:
    user = _feed_user(request)
    if user is None:
        return _unauthorised(request)
    party = Party.objects.filter(code=code.upper()).first()
    if party is None:
        raise Http404(f"No party with the code {code}.")
    return _ics_response(request, _party_feed(party), f"{party.code}.ics")


@require_GET
def my_feed(request: HttpRequest) -> HttpResponse:
    """The user's delegation's commitments (responsible or partner); for Secretariat staff
    without a delegation, every commitment."""
    user = _feed_user(request)
    if user is None:
        return _unauthorised(request)
    party = user_party(user)
    if party is not None:
        feed = _party_feed(party)
    elif is_secretariat(user):
        feed = Feed(feed_commitments(), name=_("OTS customs deadlines — all parties"), scope="all")
    else:
        feed = Feed(feed_commitments().none(), name=_("OTS customs deadlines"), scope="none")
    return _ics_response(request, feed, "my-deadlines.ics")
