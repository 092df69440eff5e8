"""The benchmark's cases, one function each, and their floors.

A case does the work one user action causes, server-side: a request through Django's test
``Client`` (in-process, logged in with ``force_login``, so no network and no login form is
timed), or a direct call for the sweep, the importer and the PDFs. Its **floor** fetches the
same rows with one hand-written SQL query and serialises them with ``json.dumps`` in the same
process: the least work the case could do. ``median / floor`` says how much the framework,
the ORM and the templates add.

A case whose feature has not landed yet says so (``available`` returns the reason) and is
listed as skipped; adding a case is one decorated function here.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve

from actions.bench.generator import FEED_PARTY, TODAY


@dataclass
class Context:
    """What every case needs, looked up once per benchmark run."""

    secretariat: Client
    delegate: Client
    party: str
    today: datetime.date
    meeting_code: str
    extra: dict = field(default_factory=dict)

    @classmethod
    def build(cls) -> Context:
        from meetings.models import Meeting

        users = get_user_model().objects
        secretariat, delegate = Client(), Client()
        secretariat.force_login(users.get(username="bench-secretariat"))
        delegate.force_login(users.get(username=f"bench-{FEED_PARTY.lower()}"))
        # A typical held meeting of the synthetic register (50 commitments, 8 decisions,
        # ~12 participants): the same one at every size, since ids are deterministic.
        meeting = (
            Meeting.objects.filter(status="held", series__description__startswith="Synthetic")
            .select_related("series")
            .order_by("id")
            .first()
        ) or Meeting.objects.select_related("series").order_by("id").first()
        return cls(
            secretariat=secretariat,
            delegate=delegate,
            party=FEED_PARTY,
            today=TODAY,
            meeting_code=meeting.code,
        )


@dataclass
class Case:
    name: str
    run: Callable[[Context], object]
    floor: Callable[[Context], object] | None = None
    available: Callable[[Context], str | None] = lambda ctx: None
    writes: bool = False  # run inside a rolled-back transaction
    heavy: bool = False  # a few repetitions are enough
    explain: Callable[[Context], tuple[str, list]] | None = None  # SQL for --explain


REGISTRY: dict[str, Case] = {}


def case(name: str, **kwargs) -> Callable:
    def register(fn: Callable[[Context], object]) -> Callable:
        REGISTRY[name] = Case(name=name, run=fn, **kwargs)
        return fn

    return register


# -- helpers ---------------------------------------------------------------------------------
def needs_url(path_of: Callable[[Context], str]) -> Callable[[Context], str | None]:
    """Available once a view answers at this path (the feature has landed on main)."""

    def check(ctx: Context) -> str | None:
        path = path_of(ctx).split("?")[0]
        try:
            resolve(path)
        except Resolver404:
            return f"no view at {path} yet"
        return None

    return check


def get(client: Client, url: str, *, expect: str | None = None) -> bytes:
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise AssertionError(f"GET {url} answered {response.status_code}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if expect is not None and expect.encode() not in body:
        raise AssertionError(f"GET {url}: {expect!r} not in the response")
    return body


def sql_floor(sql: str, params: list | tuple = ()) -> str:
    """One query, every row to a dict, the lot to JSON: the least a case can do."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return json.dumps(rows, default=str)


# The columns a commitment row shows everywhere (list pages, API, feeds), with its parties
# and meeting, aggregated in the same query.
COMMITMENT_ROW_SQL = """
SELECT c.id, c.reference, c.action, c.responsible_text, c.deadline, c.deadline_precision,
       c.deadline_text, c.due_event, c.status, c.version, c.updated_at,
       s.code || '-' || m.number AS meeting,
       (SELECT json_agg(json_build_object('code', p.code, 'name', p.name, 'role', l.role)
                        ORDER BY l.role, p."order")
          FROM actions_commitmentparty l JOIN parties_party p ON p.id = l.party_id
         WHERE l.commitment_id = c.id) AS parties,
       (SELECT json_agg(json_build_object('document', d.key, 'paragraph', cs.paragraph))
          FROM actions_commitmentsource cs JOIN meetings_document d ON d.id = cs.document_id
         WHERE cs.commitment_id = c.id) AS sources
  FROM actions_commitment c
  JOIN meetings_meeting m ON m.id = c.meeting_id
  JOIN meetings_meetingseries s ON s.id = m.series_id
"""

FILTER_STATUSES = ["open", "in_progress"]


def filter_window(ctx: Context) -> tuple[datetime.date, datetime.date]:
    """The due range of the filtered cases: the coming twelve months."""
    return ctx.today, ctx.today + datetime.timedelta(days=365)


def filtered_queryset(ctx: Context):
    """The shared read behind the filtered API case and the filtered list page."""
    from actions.models import Commitment

    start, end = filter_window(ctx)
    return (
        Commitment.objects.for_party(ctx.party)
        .filter(status__in=FILTER_STATUSES, deadline__gte=start, deadline__lte=end)
        .order_by("deadline", "id")
    )


def filtered_floor_sql(ctx: Context) -> tuple[str, list]:
    start, end = filter_window(ctx)
    sql = (
        COMMITMENT_ROW_SQL
        + """
 WHERE c.status = ANY(%s) AND c.deadline BETWEEN %s AND %s
   AND EXISTS (SELECT 1 FROM actions_commitmentparty l2 JOIN parties_party p2
                 ON p2.id = l2.party_id WHERE l2.commitment_id = c.id AND p2.code = %s)
 ORDER BY c.deadline, c.id LIMIT 50"""
    )
    return sql, [FILTER_STATUSES, start, end, ctx.party]


def explain_filtered(ctx: Context) -> tuple[str, list]:
    """The ORM's own SQL for the filtered page of 50 (what the API and page run)."""
    qs = filtered_queryset(ctx)[:50]
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


# -- cases on the foundation (present from the start) ---------------------------------------
@case(
    "queryset_filtered",
    floor=lambda ctx: sql_floor(*filtered_floor_sql(ctx)),
    explain=explain_filtered,
)
def queryset_filtered(ctx: Context):
    """The shared filtered read itself, rows with their parties and sources, as JSON: what
    the API and page cases build on, measured without HTTP or templates."""
    rows = [
        {
            "id": c.id,
            "reference": c.reference,
            "action": c.action,
            "deadline": c.deadline,
            "status": c.status,
            "meeting": c.meeting.code,
            "parties": [(link.party.code, link.role) for link in c.links.all()],
            "sources": [(s.document.key, s.paragraph) for s in c.sources.all()],
        }
        for c in filtered_queryset(ctx).with_related()[:50]
    ]
    return json.dumps(rows, default=str)


@case(
    "page_secretariat_home",
    available=needs_url(lambda ctx: "/"),
)
def page_secretariat_home(ctx: Context):
    return get(ctx.secretariat, "/")


@case(
    "page_delegation_home",
    available=needs_url(lambda ctx: "/"),
)
def page_delegation_home(ctx: Context):
    return get(ctx.delegate, "/")


def meeting_floor(ctx: Context) -> str:
    series, _sep, number = ctx.meeting_code.rpartition("-")
    return sql_floor(
        COMMITMENT_ROW_SQL + " WHERE s.code = %s AND m.number = %s ORDER BY c.deadline, c.id",
        [series, int(number)],
    )


@case(
    "page_meeting",
    floor=meeting_floor,
    available=needs_url(lambda ctx: f"/meetings/{ctx.meeting_code}/"),
)
def page_meeting(ctx: Context):
    return get(ctx.secretariat, f"/meetings/{ctx.meeting_code}/")
