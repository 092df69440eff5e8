"""Every list page answers in a number of queries that does not grow with its rows.

Each test renders the page for 5 and for 50 rows and asserts the same, named, count. Common to
every page for a signed-in delegate: 1 user, 1 membership with its party (the delegation shown
in the header); the session comes from the cache (``cached_db``)."""

import pytest
from django.core.cache import cache

from tests.factories import MeetingFactory, delegate, staff
from tests.web_helpers import build_register

SIZES = [5, 50]


@pytest.fixture
def register(db, request):
    meeting, tr, kz = build_register(request.param)
    for i in range(request.param):
        MeetingFactory(number=300 + i)
    return tr


def _get(client, user, url, django_assert_num_queries, expected):
    client.force_login(user)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("register", SIZES, indirect=True)
def test_commitment_list_query_count(client, register, django_assert_num_queries):
    # user, filter choices: parties, meetings; COUNT for the paginator; membership (+ party);
    # the page of commitments (+ meeting, series, decision), their party links (the table
    # shows no sources)
    response = _get(
        client, delegate(register), "/commitments/?party=TR", django_assert_num_queries, 7
    )
    assert response.content.count(b'class="status status-open"') == min(
        response.context["page"].paginator.count, 25
    )


@pytest.mark.parametrize("register", SIZES, indirect=True)
def test_commitment_timeline_query_count(client, register, django_assert_num_queries):
    # user, filter choices: parties, meetings; commitments, links; membership (+ party)
    _get(client, delegate(register), "/commitments/timeline/", django_assert_num_queries, 6)


@pytest.mark.parametrize("register", SIZES, indirect=True)
def test_meeting_list_query_count(client, register, django_assert_num_queries):
    # user, membership (+ party); meetings with series, host and commitment counts
    _get(client, delegate(register), "/meetings/", django_assert_num_queries, 3)


@pytest.mark.parametrize("register", SIZES, indirect=True)
def test_meeting_detail_query_count(client, register, django_assert_num_queries):
    # user; the meeting (+ series, host, chair); its decisions; their commitments; the
    # commitments' party links (+ party); its agenda items; its participants (+ party,
    # person); its documents; membership (+ party)
    response = _get(client, delegate(register), "/meetings/HCA-9/", django_assert_num_queries, 9)
    assert (
        response.content.count(b'<li class="card">')
        == response.context["meeting"].commitments.count()
    )


@pytest.mark.parametrize("register", SIZES, indirect=True)
def test_party_list_query_count(client, register, django_assert_num_queries):
    # user, membership (+ party); parties with their commitment counts
    _get(client, delegate(register), "/parties/", django_assert_num_queries, 3)


@pytest.mark.parametrize("register", SIZES, indirect=True)
def test_party_detail_query_count(client, register, django_assert_num_queries):
    # user, the party; its four share totals, the first rows of each group that has some (+
    # meeting, series, the party's share; all overdue here), their links (the shares; the
    # tables show no sources); membership (+ party)
    _get(client, delegate(register), "/parties/TR/", django_assert_num_queries, 6)


@pytest.mark.parametrize("register", SIZES, indirect=True)
def test_delegate_home_query_count(client, register, django_assert_num_queries):
    # user, membership (+ party); the register's last change (cache key), the four share
    # totals (cache miss); the first rows of each group that has some (+ meeting, series, the
    # party's share; all overdue here), their links (the shares), their approved extensions;
    # upcoming meetings
    cache.clear()
    _get(client, delegate(register), "/", django_assert_num_queries, 8)
    # the same page again: the totals come from the cache
    response = _get(client, delegate(register), "/", django_assert_num_queries, 7)
    obligations = response.context["obligations"]
    shown = sum(len(group.rows) for group in obligations.groups)
    assert sum(group.total for group in obligations.groups) == obligations.party.commitments.count()
    assert shown == sum(min(group.total, 20) for group in obligations.groups)


@pytest.mark.parametrize("register", SIZES, indirect=True)
def test_staff_home_query_count(client, register, django_assert_num_queries):
    # user; the register's last change (cache key), shares-by-party counts (cache miss),
    # their parties; overdue and due-soon totals; the first overdue commitments, links (the
    # shares; the table shows no sources; due-soon rows only when the total says some exist:
    # none here), approved extensions; pending reports; upcoming meetings; membership
    cache.clear()
    _get(client, staff(), "/", django_assert_num_queries, 11)
    # the same page again: the counts come from the cache
    _get(client, staff(), "/", django_assert_num_queries, 10)


@pytest.fixture
def edited(db, request):
    """A commitment edited ``request.param`` times by staff (deadline, decision, status)."""
    import datetime

    from actions.services import commitment_update, progress_report_create
    from tests.factories import DecisionFactory

    meeting, tr, _kz = build_register(2)
    commitment = meeting.commitments.order_by("pk").first()
    user = staff()
    decisions = [DecisionFactory(meeting=meeting, number=100 + i) for i in range(2)]
    for i in range(request.param):
        commitment_update(
            commitment=commitment,
            user=user,
            expected_version=None,
            deadline=datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
            decision=decisions[i % 2],
        )
        progress_report_create(commitment=commitment, user=user, note=f"Step {i}")
    return commitment, user, request.param


@pytest.mark.parametrize("edited", SIZES, indirect=True)
def test_commitment_history_query_count(client, edited, django_assert_num_queries):
    # user, the commitment (+ meeting, series, decision, due meeting), its links, sources;
    # the history records (+ user); the decisions they pointed to (+ meeting, series);
    # membership
    commitment, user, edits = edited
    response = _get(
        client, user, f"/commitments/{commitment.pk}/history/", django_assert_num_queries, 7
    )
    # created, every edit, and the first report moving it from open to in progress
    assert len(response.context["entries"]) == edits + 2
    assert "HCA-9 decision 101" in response.content.decode()


@pytest.mark.parametrize("edited", SIZES, indirect=True)
def test_commitment_detail_query_count(client, edited, django_assert_num_queries):
    # user, the commitment (+ meeting, series, decision, due meeting), its links, sources,
    # extensions in force; its updates (+ author, party, reviewer); its extensions (+ party,
    # requester, decider); membership
    commitment, user, edits = edited
    response = _get(client, user, f"/commitments/{commitment.pk}/", django_assert_num_queries, 8)
    assert len(response.context["updates"]) == 2 * edits  # a deadline change, a report


@pytest.fixture
def shared(db, request):
    """A commitment with ``request.param`` shares, each with a report, its own extension and
    a pending request for more time; a partner; and ten joint commitments of that many
    shares, listed by the register."""
    import datetime

    from actions import services
    from tests.factories import CommitmentFactory, PartyFactory

    parties = [PartyFactory(code=f"P{chr(65 + i)}", order=i) for i in range(request.param)]
    partner = PartyFactory(code="OTS")
    boss = staff()
    commitment = CommitmentFactory(
        deadline=datetime.date(2024, 4, 1), responsible=parties, partners=[partner]
    )
    for i, party in enumerate(parties):
        services.progress_report_create(commitment=commitment, user=delegate(party), note="x")
        services.extension_create(
            commitment=commitment,
            user=boss,
            deadline=datetime.date(2024, 5, 1 + i),
            reason="Elections",
            party=party,
        )
        services.extension_create(
            commitment=commitment,
            user=delegate(party),
            deadline=datetime.date(2024, 9, 1),
            reason="More",
        )
    for _ in range(10):
        CommitmentFactory(responsible=parties, partners=[partner])
    return commitment, parties, boss


SHARES = [3, 12]


@pytest.mark.parametrize("shared", SHARES, indirect=True)
def test_commitment_detail_query_count_with_shares(client, shared, django_assert_num_queries):
    # As for an edited commitment: user, the commitment (+ meeting, series, decision, due
    # meeting), its links, sources, extensions in force; its updates; its extensions;
    # membership. The same for every share, request and report.
    commitment, parties, boss = shared
    response = _get(client, boss, commitment.get_absolute_url(), django_assert_num_queries, 8)
    assert len(response.context["share_rows"]) == len(parties)
    assert len(response.context["pending_extensions"]) == len(parties)
    assert f"0 of {len(parties)} parties done" in response.content.decode()
    # A delegation: the same queries, the membership read once for the page and its header.
    response = _get(
        client, delegate(parties[0]), commitment.get_absolute_url(), django_assert_num_queries, 8
    )
    assert response.context["own_share"].party == parties[0]
    # every party's report; its own share's extension and request, not the others'
    assert len(response.context["updates"]) == len(parties) + 2


@pytest.mark.parametrize("shared", SHARES, indirect=True)
def test_commitment_list_query_count_with_shares(client, shared, django_assert_num_queries):
    # user, filter choices: parties, meetings; COUNT for the paginator; membership (+ party);
    # the page of commitments (+ meeting, series), their party links: the shares' statuses
    # and deadlines come with the links, with a party filter or without.
    commitment, parties, boss = shared
    response = _get(client, boss, "/commitments/", django_assert_num_queries, 7)
    assert response.content.decode().count(f"0 of {len(parties)} done") == 11
    response = _get(client, boss, "/commitments/?party=PA", django_assert_num_queries, 7)
    assert f"of {len(parties)} done" not in response.content.decode()
    # user, filter choices: parties, meetings; commitments, links; membership
    _get(client, boss, "/commitments/timeline/?party=PA", django_assert_num_queries, 6)


@pytest.mark.parametrize("shared", SHARES, indirect=True)
def test_awaiting_decision_query_count(client, shared, django_assert_num_queries):
    # user; requests for more time (+ commitment, meeting, series, party, requester);
    # reports awaiting review (+ commitment, meeting, series, party, author); membership
    commitment, parties, boss = shared
    response = _get(client, boss, "/commitments/awaiting/", django_assert_num_queries, 4)
    assert len(response.context["requests"]) == len(parties)
    assert len(response.context["reports"]) == len(parties)
