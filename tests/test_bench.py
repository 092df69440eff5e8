"""The benchmark: the generator's shape, the command's table and JSON, the peer API answering
as the API does, the query plans of the filtered read, and query counts that do not grow with
the data."""

import hashlib
import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client

from actions.bench.api_cases import API_LIST, api_filter_query, filtered_queryset
from actions.bench.cases import REGISTRY, Context
from actions.bench.generator import FEED_PARTY, generate
from actions.bench.peer import PEER_PATH
from actions.models import Commitment, CommitmentParty, CommitmentSource, Role, StatusUpdate
from meetings.models import Decision, Meeting, MeetingSeries, Participant
from parties.models import Party

STABLE_KEYS = {"name", "median_ms", "p95_ms", "queries", "vs_peer"}
PEERS = {
    "api_commitments_list": "peer_api_commitments_list",
    "api_commitments_filtered": "peer_api_commitments_filtered",
}
BENCH_CASES = {"queryset_filtered", "api_commitments_updated_since", *PEERS, *PEERS.values()}


# The cases that read lists and pages: the ones whose query count could grow with the data.
# (Printing a 200-commitment report takes seconds of WeasyPrint: not in the two-size test.)
LIST_CASES = [
    name for name, case in REGISTRY.items() if not name.startswith(("pdf_", "parse_", "import_"))
]


def _bench(
    n: int,
    repeat: int = 2,
    cases: list[str] | None = None,
    *,
    out: io.StringIO | None = None,
    err: io.StringIO | None = None,
    **options,
) -> str:
    """The command's stdout; ``out`` and ``err`` keep what it wrote when it raises."""
    out = out or io.StringIO()
    call_command(
        "bench",
        commitments=n,
        repeat=repeat,
        case=cases,
        database_name=connection.settings_dict["NAME"],
        stdout=out,
        stderr=err or io.StringIO(),
        **options,
    )
    return out.getvalue()


def _bench_json(n: int, repeat: int = 2, cases: list[str] | None = None) -> dict:
    """The command's JSON. A case that raised is listed under "failed" and the command exits
    with an error after printing it; the bench's own cases must never be among them (a page
    or a feed broken elsewhere is the business of that view's tests)."""
    out = io.StringIO()
    try:
        _bench(n, repeat, cases, json=True, out=out)
    except CommandError as exc:
        result = json.loads(out.getvalue())
        failed = [f["name"] for f in result["failed"]]
        assert str(exc) == f"{len(failed)} case(s) failed: {', '.join(failed)}"
    else:
        result = json.loads(out.getvalue())
    assert all(f["error"] for f in result["failed"])
    assert not BENCH_CASES & {f["name"] for f in result["failed"]}, result["failed"]
    return result


def _fingerprint() -> str:
    rows = Commitment.objects.order_by("id").values_list(
        "id", "meeting_id", "action", "deadline", "status", "updated_at"
    )
    links = CommitmentParty.objects.order_by("id").values_list("commitment_id", "party_id", "role")
    return hashlib.sha256(repr((list(rows), list(links))).encode()).hexdigest()


@pytest.mark.django_db
def test_generator_builds_a_register_of_the_right_shape():
    report = generate(commitments=600, seed=3, progress=False)

    assert Commitment.objects.count() == 600
    assert Party.objects.count() == 30
    synthetic = Meeting.objects.filter(series__description__startswith="Synthetic")
    assert synthetic.count() == 12  # one meeting per 50 commitments
    assert MeetingSeries.objects.count() == 3 + 12
    assert Decision.objects.filter(meeting__in=synthetic).count() == 12 * 8
    assert Participant.objects.filter(meeting__in=synthetic).exists()
    responsible = Counter(
        CommitmentParty.objects.filter(
            role=Role.RESPONSIBLE, commitment__meeting__in=synthetic
        ).values_list("commitment_id", flat=True)
    )
    assert set(responsible.values()) <= {1, 2, 3, 4}  # the fixtures' "the Parties" has 6
    assert len(responsible) == 600 - 23  # every commitment has someone responsible
    assert max(responsible.values()) > 1
    assert CommitmentParty.objects.filter(role=Role.PARTNER).exists()
    assert CommitmentSource.objects.values("commitment").distinct().count() == 600
    assert StatusUpdate.objects.exists()
    assert Commitment.history.exists()
    feed = Commitment.objects.for_party(FEED_PARTY).count()
    assert 0.40 * 600 <= feed <= 0.60 * 600  # half: a small set gets more than 5 %
    assert filtered_queryset(Context.build()).exists()
    assert report.rows["actions_commitment"] == 600 - 23  # the fixtures' 23 come first
    # Ids are assigned by the generator: the sequences must have moved past them.
    assert Commitment.objects.create(meeting=synthetic.first(), action="x").pk > max(responsible)


@pytest.mark.django_db
def test_generator_is_deterministic():
    with transaction.atomic():
        generate(commitments=150, seed=7, progress=False)
        first = _fingerprint()
        transaction.set_rollback(True)
    generate(commitments=150, seed=7, progress=False)
    assert _fingerprint() == first


@pytest.mark.django_db
def test_bench_prints_one_json_object_with_the_stable_keys():
    result = _bench_json(200, repeat=1)

    assert result["commitments"] == 200
    names = [case["name"] for case in result["cases"]]
    assert names and set(names) <= set(REGISTRY)
    assert set(PEERS) | set(PEERS.values()) <= set(names)
    cases = {case["name"]: case for case in result["cases"]}
    for case in result["cases"]:
        assert set(case) >= STABLE_KEYS
        assert case["median_ms"] > 0 and case["p95_ms"] >= case["median_ms"]
        assert case["queries"] >= 0  # parsing the minutes runs none
        if case["name"] in PEERS:
            peer = cases[PEERS[case["name"]]]
            assert case["vs_peer"] == pytest.approx(peer["median_ms"] / case["median_ms"], rel=0.05)
        else:
            assert case["vs_peer"] is None
    skipped = {s["name"] for s in result["skipped"]}
    failed = {f["name"] for f in result["failed"]}
    assert skipped | failed | set(names) == set(REGISTRY)
    assert len(skipped) + len(failed) + len(names) == len(REGISTRY)


@pytest.mark.django_db
def test_bench_prints_a_table_of_the_cases_asked_for_and_their_peers():
    asked = [*PEERS, "api_commitments_updated_since"]
    table = _bench(200, repeat=1, cases=asked)

    lines = table.splitlines()  # progress first, then the table
    start = next(i for i, line in enumerate(lines) if line.startswith("case "))
    assert lines[start].split() == ["case", "median", "p95", "queries", "vs_peer"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[start + 2 :] if line.split()}
    assert set(asked) | set(PEERS.values()) <= set(rows)
    for name, peer in PEERS.items():
        median, _p95, queries, vs_peer = rows[name]
        assert vs_peer.endswith("×")
        assert float(vs_peer[:-1]) == pytest.approx(
            float(rows[peer][0]) / float(median), rel=0.1, abs=0.02
        )
        assert int(queries) >= 1 and rows[peer][3] == "—"
    assert rows["api_commitments_updated_since"][3] == "—"


def _answers(client: Client, query: str):
    suffix = f"?{query}" if query else ""
    return client.get(f"{API_LIST}{suffix}", secure=True), client.get(
        f"{PEER_PATH}{suffix}", secure=True
    )


@pytest.mark.django_db
@pytest.mark.urls("actions.bench.urls")
def test_the_peer_answers_as_the_api_does():
    generate(commitments=300, seed=2, progress=False)
    ctx = Context.build()
    queries = [
        "",
        api_filter_query(ctx),
        "page=2&page_size=20",
        f"party={FEED_PARTY}&role=responsible&ordering=-party",
        "status=overdue&ordering=meeting",
        "status=closed&precision=month&ordering=-updated",
        "search=customs&page_size=500",
    ]
    for query in queries:
        api, peer = _answers(ctx.secretariat, query)
        assert api.status_code == peer.status_code == 200, query
        assert json.loads(api.content)["results"], query  # empty pages would prove little
        # The page links name each one's own path; everything else is the same bytes.
        assert peer.content.replace(PEER_PATH.encode(), API_LIST.encode()) == api.content, query

    # The same sign-in and the same validation.
    api, peer = _answers(Client(), "")
    assert api.status_code == peer.status_code == 401
    api, peer = _answers(ctx.secretariat, "due_after=2025-06-02&due_before=2025-01-01")
    assert api.status_code == peer.status_code == 400
    assert api.content == peer.content


@pytest.mark.django_db
def test_the_bench_does_not_time_a_peer_that_answers_differently(monkeypatch):
    from actions.bench import peer

    # One field's value wrong in every row: a peer doing less work than the API.
    monkeypatch.setattr(peer.CommitmentSerializer, "get_is_overdue", lambda self, row: None)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 case.* failed: peer_api_commitments_list"):
        _bench(200, repeat=1, cases=["api_commitments_list"], json=True, out=out)

    result = json.loads(out.getvalue())  # printed before the exit status says it failed
    [failed] = result["failed"]
    assert failed["name"] == "peer_api_commitments_list"
    assert "differs from the API's" in failed["error"]
    [api] = result["cases"]
    assert api["name"] == "api_commitments_list" and api["vs_peer"] is None


@pytest.mark.django_db
def test_explain_prints_the_plan_of_the_filtered_read():
    err = io.StringIO()
    _bench(200, repeat=1, cases=["queryset_filtered"], explain=True, json=True, err=err)
    plan = err.getvalue().split("EXPLAIN ANALYZE queryset_filtered:", 1)[1]
    assert "actions_commitment" in plan and "actual time" in plan


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_data(settings):
    # The Secretariat home caches its per-party counts: a hit saves a query, so whether a run
    # hits would decide the count, not the data size. Never hit here.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with transaction.atomic():
        small = _bench_json(200, repeat=1, cases=LIST_CASES)
        small_rows = filtered_queryset(Context.build()).count()
        transaction.set_rollback(True)
    large = _bench_json(600, repeat=1, cases=LIST_CASES)
    # Rows at both sizes: an empty result would skip the prefetch queries and prove nothing.
    assert small_rows > 0 and filtered_queryset(Context.build()).count() > 0
    assert Commitment.objects.count() == 600

    assert {c["name"]: c["queries"] for c in small["cases"]} == {
        c["name"]: c["queries"] for c in large["cases"]
    }
    assert small["failed"] == large["failed"]


@pytest.mark.django_db
def test_filtered_read_is_an_index_scan():
    generate(commitments=1000, seed=1, progress=False)
    ctx = Context.build()
    assert filtered_queryset(ctx).exists()  # the plan below is of a query that finds rows
    with connection.cursor() as cursor:
        # At 1,000 rows a sequential scan is cheaper and the planner rightly picks it; turning
        # it off only proves that an index serves this WHERE clause (at 100,000 the planner
        # picks one by itself: see `manage.py bench --explain` and the README).
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = REGISTRY["queryset_filtered"].explain(ctx).explain()
    assert "Seq Scan on actions_commitment " not in plan, plan
    assert "Index" in plan and "actions_commitment" in plan, plan


@pytest.mark.django_db
def test_unfiltered_page_walks_the_deadline_index():
    generate(commitments=300, seed=1, progress=False)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Commitment.objects.in_register_order()[:50].explain()
    assert "commitment_deadline_id" in plan, plan
    assert "Sort" not in plan, plan
