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
from django.db.models import Count
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
    big_meeting_code: str
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
        # The generator's big meeting (1,000 commitments at scale) for the implementation report.
        big = (
            Meeting.objects.annotate(n=Count("commitments"))
            .select_related("series")
            .order_by("-n", "id")
            .first()
        )
        return cls(
            secretariat=secretariat,
            delegate=delegate,
            party=FEED_PARTY,
            today=TODAY,
            meeting_code=meeting.code,
            big_meeting_code=big.code,
        )


@dataclass
class Case:
    name: str
    run: Callable[[Context], object]
    floor: Callable[[Context], object] | None = None
    available: Callable[[Context], str | None] = lambda ctx: None
    writes: bool = False  # run inside a rolled-back transaction
    setup: Callable[[Context], object] | None = None  # untimed, in that transaction
    heavy: bool = False  # a few repetitions are enough
    max_repeat: int | None = None  # fewer still (a render that takes half a minute)
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


def commitment_rows_sql(
    where: str, *, order: str = "c.deadline, c.id", limit: int | None = None, total: bool = False
) -> str:
    """The columns a commitment row shows everywhere (list pages, API, feeds), its meeting,
    parties and sources, in one statement: the rows are chosen first (``where``, ``order``,
    ``limit`` over ``actions_commitment c``), then their links are aggregated set-wise. With
    ``total``, the count of all matching rows too, as a paginated answer carries it (the
    ``where`` parameters are then passed twice)."""
    count = f"(SELECT count(*) FROM actions_commitment c WHERE {where}) AS total," if total else ""
    return f"""
WITH sel AS (
  SELECT c.id FROM actions_commitment c WHERE {where} ORDER BY {order}
  {f"LIMIT {int(limit)}" if limit else ""}
)
SELECT {count} c.id, c.reference, c.action, c.responsible_text, c.deadline,
       c.deadline_precision, c.deadline_text, c.due_event, c.status, c.version, c.updated_at,
       s.code || '-' || m.number AS meeting, lp.parties, ls.sources
  FROM sel
  JOIN actions_commitment c ON c.id = sel.id
  JOIN meetings_meeting m ON m.id = c.meeting_id
  JOIN meetings_meetingseries s ON s.id = m.series_id
  LEFT JOIN (
    SELECT l.commitment_id,
           json_agg(json_build_object('code', p.code, 'name', p.name, 'role', l.role)
                    ORDER BY l.role, p."order") AS parties
      FROM actions_commitmentparty l JOIN parties_party p ON p.id = l.party_id
     WHERE l.commitment_id IN (SELECT id FROM sel) GROUP BY l.commitment_id
  ) lp ON lp.commitment_id = c.id
  LEFT JOIN (
    SELECT cs.commitment_id,
           json_agg(json_build_object('document', d.key, 'paragraph', cs.paragraph)) AS sources
      FROM actions_commitmentsource cs JOIN meetings_document d ON d.id = cs.document_id
     WHERE cs.commitment_id IN (SELECT id FROM sel) GROUP BY cs.commitment_id
  ) ls ON ls.commitment_id = c.id
 ORDER BY {order}"""


def party_exists_sql(alias: str = "c") -> str:
    return (
        "EXISTS (SELECT 1 FROM actions_commitmentparty l2 JOIN parties_party p2 ON "
        f"p2.id = l2.party_id WHERE l2.commitment_id = {alias}.id AND p2.code = %s)"
    )


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
    where = f"c.status = ANY(%s) AND c.deadline BETWEEN %s AND %s AND {party_exists_sql()}"
    return commitment_rows_sql(where, limit=50), [FILTER_STATUSES, start, end, ctx.party]


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
    """The shared filtered read itself: a page of 50 rows with their meeting, parties and
    sources as the API list and the list page read them (``rows()`` and
    ``with_row_details()``), as JSON, measured without HTTP or templates."""
    from actions.querysets import with_row_details

    rows = with_row_details(list(filtered_queryset(ctx).rows()[:50]))
    return json.dumps(rows, default=str)


UPCOMING_MEETINGS_SQL = """
  SELECT json_agg(u) FROM (
    SELECT s.code || '-' || m.number AS code, m.title, m.city, m.start_date, m.end_date,
           m.date_text, h.name AS host
      FROM meetings_meeting m JOIN meetings_meetingseries s ON s.id = m.series_id
      LEFT JOIN parties_party h ON h.id = m.host_id
     WHERE (m.start_date >= %(today)s OR m.start_date IS NULL) AND m.status <> 'cancelled'
     ORDER BY m.start_date, m.year, s.code, m.number LIMIT 5) u"""

# The rows a home page table or card shows: the commitment, its meeting, and (with_parties)
# its responsible parties.
HOME_ROW_SQL = """
  SELECT c.id, c.reference, c.action, c.deadline, c.deadline_precision, c.deadline_text,
         c.due_event, c.status, c.updated_at, s.code || '-' || m.number AS meeting{parties}
    FROM actions_commitment c JOIN meetings_meeting m ON m.id = c.meeting_id
    JOIN meetings_meetingseries s ON s.id = m.series_id"""
ROW_PARTIES_SQL = """,
         (SELECT json_agg(json_build_object('code', p.code, 'name', p.name, 'role', l.role))
            FROM actions_commitmentparty l JOIN parties_party p ON p.id = l.party_id
           WHERE l.commitment_id = c.id) AS parties"""


def home_params(ctx: Context) -> dict:
    from actions.models import Status
    from actions.selectors import DUE_SOON_DAYS, HOME_ROWS

    return {
        "today": ctx.today,
        "soon": ctx.today + datetime.timedelta(days=DUE_SOON_DAYS),
        "party": ctx.party,
        "closed": [status.value for status in Status.closed()],
        "n": HOME_ROWS,
    }


DELEGATION_HOME_SQL = f"""
WITH mine AS NOT MATERIALIZED (
  SELECT c.id, c.status, c.deadline, c.updated_at FROM actions_commitment c
   WHERE EXISTS (SELECT 1 FROM actions_commitmentparty l JOIN parties_party p
                   ON p.id = l.party_id
                  WHERE l.commitment_id = c.id AND p.code = %(party)s
                    AND l.role = 'responsible')
), picked AS (
  (SELECT id FROM mine WHERE status <> ALL(%(closed)s) AND deadline < %(today)s
    ORDER BY deadline, id LIMIT %(n)s)
  UNION ALL
  (SELECT id FROM mine WHERE status <> ALL(%(closed)s) AND deadline BETWEEN %(today)s AND %(soon)s
    ORDER BY deadline, id LIMIT %(n)s)
  UNION ALL
  (SELECT id FROM mine WHERE status <> ALL(%(closed)s) AND deadline > %(soon)s
    ORDER BY deadline, id LIMIT %(n)s)
  UNION ALL
  (SELECT id FROM mine WHERE status <> ALL(%(closed)s) AND deadline IS NULL
    ORDER BY id LIMIT %(n)s)
  UNION ALL
  (SELECT id FROM mine WHERE status = ANY(%(closed)s)
    ORDER BY updated_at DESC, id DESC LIMIT %(n)s)
)
SELECT
  (SELECT id FROM parties_party WHERE code = %(party)s) AS party_id,
  (SELECT max(updated_at) FROM actions_commitment) AS last_change,
  (SELECT json_agg(r ORDER BY r.deadline NULLS LAST, r.id) FROM (
     {HOME_ROW_SQL.format(parties="")} WHERE c.id IN (SELECT id FROM picked)) r) AS rows,
  ({UPCOMING_MEETINGS_SQL}) AS meetings"""


SECRETARIAT_HOME_SQL = f"""
SELECT
  (SELECT json_build_object(
     'overdue', count(*) FILTER (WHERE deadline < %(today)s),
     'due_soon', count(*) FILTER (WHERE deadline >= %(today)s))
     FROM actions_commitment
    WHERE status <> ALL(%(closed)s) AND deadline <= %(soon)s) AS totals,
  (SELECT json_agg(r) FROM (
     {HOME_ROW_SQL.format(parties=ROW_PARTIES_SQL)}
      WHERE c.status <> ALL(%(closed)s) AND c.deadline < %(today)s
      ORDER BY c.deadline, c.id LIMIT %(n)s) r) AS overdue,
  (SELECT json_agg(r) FROM (
     {HOME_ROW_SQL.format(parties=ROW_PARTIES_SQL)}
      WHERE c.status <> ALL(%(closed)s) AND c.deadline BETWEEN %(today)s AND %(soon)s
      ORDER BY c.deadline, c.id LIMIT %(n)s) r) AS due_soon,
  (SELECT json_agg(r) FROM (
     SELECT u.id, u.note, u.new_status, u.created_at, a.username AS author,
            p.code AS party, s.code || '-' || m.number AS meeting, c.reference, c.action
       FROM actions_statusupdate u JOIN auth_user a ON a.id = u.author_id
       LEFT JOIN parties_party p ON p.id = u.party_id
       JOIN actions_commitment c ON c.id = u.commitment_id
       JOIN meetings_meeting m ON m.id = c.meeting_id
       JOIN meetings_meetingseries s ON s.id = m.series_id
      WHERE u.review_state = 'pending' ORDER BY u.created_at DESC LIMIT 10) r) AS pending,
  ({UPCOMING_MEETINGS_SQL}) AS meetings,
  (SELECT json_agg(json_build_object('id', p.id, 'code', p.code, 'name', p.name)
                   ORDER BY p."order", p.name) FROM parties_party p) AS parties,
  (SELECT max(updated_at) FROM actions_commitment) AS last_change"""


def cached_for_page(ctx: Context, name: str, body: str) -> str:
    """What a home page keeps in the cache under the register's last change and generation
    (actions.selectors._cached), read from that same entry: the floor does what the page
    does between changes, where the aggregate behind it is not redone per view."""
    from django.core.cache import cache

    from actions.selectors import cache_key, register_generation

    last = json.loads(body)[0]["last_change"]
    last = datetime.datetime.fromisoformat(last) if last else None
    return json.dumps(cache.get(cache_key(name, ctx.today, last, register_generation())))


def delegation_home_floor(ctx: Context) -> str:
    """One statement for the page's rows and meetings; the party's four totals from the
    page's cache entry."""
    body = sql_floor(DELEGATION_HOME_SQL, home_params(ctx))
    party_id = json.loads(body)[0]["party_id"]
    from actions.selectors import party_totals_name

    return body + cached_for_page(ctx, party_totals_name(party_id), body)


def secretariat_home_floor(ctx: Context) -> str:
    """One statement for everything the page shows but the per-party status counts, read
    from the page's cache entry (their aggregate joins all 200,000 party links)."""
    body = sql_floor(SECRETARIAT_HOME_SQL, home_params(ctx))
    from actions.selectors import STATUS_COUNTS_NAME

    return body + cached_for_page(ctx, STATUS_COUNTS_NAME, body)


@case(
    "page_secretariat_home",
    floor=secretariat_home_floor,
    available=needs_url(lambda ctx: "/"),
)
def page_secretariat_home(ctx: Context):
    return get(ctx.secretariat, "/")


@case(
    "page_delegation_home",
    floor=delegation_home_floor,
    available=needs_url(lambda ctx: "/"),
)
def page_delegation_home(ctx: Context):
    return get(ctx.delegate, "/")


def meeting_floor(ctx: Context) -> str:
    """The meeting page shows the meeting with its agenda, participants, decisions and
    documents, and its commitments: one statement for both."""
    where = "c.meeting_id = (SELECT m.id FROM meetings_meeting m JOIN meetings_meetingseries s"
    where += " ON s.id = m.series_id WHERE s.code = %s AND m.number = %s)"
    sql = (
        f"SELECT d.*, (SELECT json_agg(r) FROM ({commitment_rows_sql(where)}) r) AS commitments"
        f" FROM ({MEETING_DETAIL_SQL}) d"
    )
    return sql_floor(sql, meeting_code_params(ctx) * 2)


def meeting_code_params(ctx: Context) -> list:
    series, _sep, number = ctx.meeting_code.rpartition("-")
    return [series, int(number)]


@case(
    "page_meeting",
    floor=meeting_floor,
    available=needs_url(lambda ctx: f"/meetings/{ctx.meeting_code}/"),
)
def page_meeting(ctx: Context):
    return get(ctx.secretariat, f"/meetings/{ctx.meeting_code}/")


# -- REST API (issue: API) --------------------------------------------------------------------
def page_floor(where: str, params: list, order: str = "c.deadline, c.id") -> str:
    """A page of 50 with the total count, as the paginated API answers."""
    return sql_floor(
        commitment_rows_sql(where, order=order, limit=50, total=True), [*params, *params]
    )


def api_filter_query(ctx: Context) -> str:
    start, end = filter_window(ctx)
    statuses = "&".join(f"status={s}" for s in FILTER_STATUSES)
    return f"party={ctx.party}&{statuses}&due_after={start}&due_before={end}&ordering=deadline"


def sync_since(ctx: Context) -> datetime.datetime:
    """A client that synced a week ago."""
    return datetime.datetime.combine(
        ctx.today - datetime.timedelta(days=7), datetime.time(), tzinfo=datetime.UTC
    )


API_LIST = "/api/v1/commitments/"


@case(
    "api_commitments_list",
    floor=lambda ctx: page_floor("TRUE", []),
    available=needs_url(lambda ctx: API_LIST),
)
def api_commitments_list(ctx: Context):
    return get(ctx.secretariat, API_LIST, expect='"results"')


@case(
    "api_commitments_filtered",
    floor=lambda ctx: page_floor(
        f"c.status = ANY(%s) AND c.deadline BETWEEN %s AND %s AND {party_exists_sql()}",
        [FILTER_STATUSES, *filter_window(ctx), ctx.party],
    ),
    available=needs_url(lambda ctx: API_LIST),
)
def api_commitments_filtered(ctx: Context):
    return get(ctx.secretariat, f"{API_LIST}?{api_filter_query(ctx)}", expect='"results"')


@case(
    "api_commitments_updated_since",
    floor=lambda ctx: page_floor("c.updated_at >= %s", [sync_since(ctx)], "c.updated_at, c.id"),
    available=needs_url(lambda ctx: API_LIST),
)
def api_commitments_updated_since(ctx: Context):
    since = sync_since(ctx).isoformat().replace("+00:00", "Z")
    return get(
        ctx.secretariat, f"{API_LIST}?updated_since={since}&ordering=updated", expect='"results"'
    )


MEETING_DETAIL_SQL = """
SELECT m.id, s.code || '-' || m.number AS code, s.name AS series, m.start_date, m.end_date,
       m.city, m.status, h.code AS host,
       (SELECT json_agg(json_build_object('number', a.number, 'title', a.title,
                                          'parent', a.parent_id) ORDER BY a."order")
          FROM meetings_agendaitem a WHERE a.meeting_id = m.id) AS agenda,
       (SELECT json_agg(json_build_object('party', p.code, 'name', pe.name, 'title', pa.title,
                                          'head', pa.is_head) ORDER BY p."order", pa."order")
          FROM meetings_participant pa JOIN parties_party p ON p.id = pa.party_id
          JOIN parties_person pe ON pe.id = pa.person_id WHERE pa.meeting_id = m.id)
         AS participants,
       (SELECT json_agg(json_build_object('number', d.number, 'text', d.text,
                                          'agenda_item', d.agenda_item_id) ORDER BY d.number)
          FROM meetings_decision d WHERE d.meeting_id = m.id) AS decisions,
       (SELECT json_agg(json_build_object('key', doc.key, 'type', doc.type, 'title', doc.title)
                        ORDER BY doc."order")
          FROM meetings_document doc WHERE doc.meeting_id = m.id) AS documents
  FROM meetings_meeting m
  JOIN meetings_meetingseries s ON s.id = m.series_id
  LEFT JOIN parties_party h ON h.id = m.host_id
 WHERE s.code = %s AND m.number = %s"""


@case(
    "api_meeting_detail",
    floor=lambda ctx: sql_floor(MEETING_DETAIL_SQL, meeting_code_params(ctx)),
    available=needs_url(lambda ctx: f"/api/v1/meetings/{ctx.meeting_code}/"),
)
def api_meeting_detail(ctx: Context):
    return get(ctx.secretariat, f"/api/v1/meetings/{ctx.meeting_code}/", expect='"decisions"')


# -- calendar feed and CSV for the party with ~5,000 commitments ---------------------------------
FEED_STATUSES = ["open", "in_progress", "submitted", "done"]


@case(
    "ics_party_feed",
    floor=lambda ctx: sql_floor(
        commitment_rows_sql(
            f"c.deadline IS NOT NULL AND c.status = ANY(%s) AND {party_exists_sql()}"
        ),
        [FEED_STATUSES, ctx.party],
    ),
    available=needs_url(lambda ctx: f"/calendar/party/{ctx.party}.ics"),
    heavy=True,
)
def ics_party_feed(ctx: Context):
    return get(ctx.delegate, f"/calendar/party/{ctx.party}.ics", expect="BEGIN:VCALENDAR")


@case(
    "csv_party_export",
    floor=lambda ctx: sql_floor(
        commitment_rows_sql(party_exists_sql()),
        [ctx.party],
    ),
    available=needs_url(lambda ctx: "/api/v1/commitments.csv"),
    heavy=True,
)
def csv_party_export(ctx: Context):
    return get(ctx.secretariat, f"/api/v1/commitments.csv?party={ctx.party}")


# -- minutes: parsing and importing the seed bundle ------------------------------------------
SEED_BUNDLE = "fixtures/source/hca9_wg12_bundle.txt"


def parser_available(ctx: Context) -> str | None:
    import importlib.util

    return None if importlib.util.find_spec("meetings.parsing") else "no minutes parser yet"


@case("parse_seed_bundle", available=parser_available, heavy=True)
def parse_seed_bundle(ctx: Context):
    """The plain-Python half of an import: the HCA-9/WG-12 bundle, text to typed structure."""
    from django.conf import settings

    from meetings.parsing import PartyRegister, parse_bundle

    text = (settings.BASE_DIR / SEED_BUNDLE).read_text(encoding="utf-8")
    return parse_bundle(text, register=PartyRegister.ots())


# -- printed documents --------------------------------------------------------------------------
def pdf_available(ctx: Context) -> str | None:
    import importlib.util

    return None if importlib.util.find_spec("meetings.pdf") else "no PDF rendering yet"


def render_pdf(ctx: Context, name: str, build) -> bytes:
    """Render, and keep WeasyPrint's share (layout + writing the PDF) beside the total."""
    from meetings.pdf.rendering import RenderTimings, render_document

    timings = RenderTimings()
    pdf = render_document(build(), timings=timings)
    share = ctx.extra.setdefault(name, {"weasyprint_ms": [], "pages": timings.pages})
    share["weasyprint_ms"].append((timings.layout + timings.write) * 1000)
    share["pages"] = timings.pages
    return pdf


@case("pdf_protocol_hca9", available=pdf_available, heavy=True)
def pdf_protocol_hca9(ctx: Context):
    from meetings.pdf import documents

    return render_pdf(
        ctx, "pdf_protocol_hca9", lambda: documents.protocol(documents.meeting_by_code("HCA-9"))
    )


@case("pdf_implementation_report", available=pdf_available, heavy=True, max_repeat=2)
def pdf_implementation_report(ctx: Context):
    """The implementation report of the data set's big meeting (1,000 commitments at scale)."""
    from meetings.pdf import documents

    return render_pdf(
        ctx,
        "pdf_implementation_report",
        lambda: documents.implementation_report(
            documents.meeting_by_code(ctx.big_meeting_code), today=ctx.today
        ),
    )


# -- the reminder sweep ---------------------------------------------------------------------------
def sweep_available(ctx: Context) -> str | None:
    try:
        from actions import reminders
    except ImportError:
        return "no reminder sweep yet"
    return None if hasattr(reminders, "sweep") else "no reminder sweep yet"


@case("reminder_sweep", available=sweep_available, writes=True, heavy=True)
def reminder_sweep(ctx: Context):
    """The daily sweep over all commitments: plan what is due today and record it (delivery
    is the workers' job, queued after commit; here the transaction is rolled back)."""
    from actions import reminders

    result = reminders.sweep(today=ctx.today, queue=False)
    ctx.extra.setdefault("reminder_sweep", {"reminders": len(result.planned)})
    return result


def importer_available(ctx: Context) -> str | None:
    try:
        from meetings import importer
    except ImportError:
        return "no minutes importer yet"
    return None if hasattr(importer, "import_bundle") else "no minutes importer yet"


def without_seed_meetings(ctx: Context) -> None:
    """Untimed, rolled back: remove what the seed bundle creates (the fixtures' meetings and
    their commitments, the covering note), so that the import writes it all again."""
    from actions.models import Commitment
    from meetings.models import Document, Meeting

    seeded = Meeting.objects.filter(series__code__in=["HCA", "WG", "CHC"])
    Commitment.objects.filter(meeting__in=seeded).delete()
    Document.objects.filter(meeting__isnull=True).delete()
    seeded.delete()


@case(
    "import_seed_bundle",
    available=importer_available,
    writes=True,
    heavy=True,
    setup=without_seed_meetings,
)
def import_seed_bundle(ctx: Context):
    """Read, parse and write the HCA-9/WG-12 bundle into a register of this size, as
    `import_minutes` does (one transaction, rolled back after each run)."""
    from django.conf import settings

    from meetings.importer import import_bundle, parse_text

    path = settings.BASE_DIR / SEED_BUNDLE
    bundle = parse_text(path.read_text(encoding="utf-8"), path.name)
    return import_bundle(bundle, create_parties=True)


# -- the filtered list page (web) ---------------------------------------------------------------
ACTIVE = ["open", "in_progress", "submitted"]


@case(
    "page_commitments_filtered",
    floor=lambda ctx: page_floor(
        f"c.status = ANY(%s) AND c.deadline BETWEEN %s AND %s AND {party_exists_sql()}",
        [ACTIVE, *filter_window(ctx), ctx.party],
    ),
    available=needs_url(lambda ctx: "/commitments/"),
)
def page_commitments_filtered(ctx: Context):
    start, end = filter_window(ctx)
    return get(
        ctx.secretariat,
        f"/commitments/?party={ctx.party}&status=active&due_from={start}&due_to={end}",
    )
