"""The home pages show the first rows of each group with its full total, whatever the size of
the register, and link to the filtered list that shows all of them."""

import datetime

import pytest
import time_machine
from django.core.cache import cache

from actions.models import Commitment, Status
from actions.selectors import party_obligations, status_by_party, urgent_commitments
from tests.factories import CommitmentFactory, PartyFactory, staff

TODAY = datetime.date(2024, 2, 18)
FROZEN = datetime.datetime(2024, 2, 18, 12, tzinfo=datetime.UTC)


@pytest.fixture
def parties(db):
    return PartyFactory(code="TR", name="Türkiye"), PartyFactory(code="KZ", name="Kazakhstan")


def _late(n, party, **kwargs):
    return [
        CommitmentFactory(
            deadline=TODAY - datetime.timedelta(days=n - i), responsible=[party], **kwargs
        )
        for i in range(n)
    ]


def test_urgent_commitments_cut_each_list_and_count_all(parties):
    tr, _kz = parties
    late = _late(5, tr)
    soon = [
        CommitmentFactory(deadline=TODAY + datetime.timedelta(days=d), responsible=[tr])
        for d in (0, 3, 30)
    ]
    CommitmentFactory(deadline=TODAY + datetime.timedelta(days=31), responsible=[tr])
    CommitmentFactory(deadline=TODAY - datetime.timedelta(days=9), status=Status.DONE)
    result = urgent_commitments(today=TODAY, limit=2)
    assert [row.pk for row in result.overdue] == [c.pk for c in late[:2]]  # longest first
    assert result.overdue_total == 5
    assert [row.pk for row in result.due_soon] == [c.pk for c in soon[:2]]
    assert [p.code for p in result.due_soon[0].responsible] == ["TR"]
    assert result.due_soon_total == 3


@time_machine.travel(FROZEN, tick=False)
def test_staff_home_links_to_all_overdue_when_cut(client, parties, settings):
    tr, _kz = parties
    late = _late(22, tr)
    client.force_login(staff())
    text = client.get("/").content.decode()
    assert '<span class="n">22</span> overdue' in text
    assert late[19].get_absolute_url() + '"' in text
    assert late[20].get_absolute_url() + '"' not in text
    assert 'href="/commitments/?status=overdue">The 20 longest overdue are shown: see all 22' in (
        text
    )
    listed = client.get("/commitments/?status=overdue")
    assert listed.context["page"].paginator.count == 22


@pytest.mark.parametrize("language", ["en", "ru"])
def test_staff_home_status_table_links_counts_and_chart_keeps_decimal_points(
    client, parties, language
):
    """Each count of the status-by-party table links to those commitments, and the bars
    keep a decimal point in every language (x="54,6" in Russian is not read by SVG)."""
    import re

    tr, kz = parties
    _late(3, tr)
    CommitmentFactory(status=Status.DONE, responsible=[tr])
    CommitmentFactory(status=Status.IN_PROGRESS, responsible=[kz])
    cache.clear()
    client.force_login(staff())
    text = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    row = re.search(r'<tr><th scope="row"><a href="/parties/TR/">Türkiye</a></th>.*?</tr>', text)
    assert row, text
    assert '<a href="/commitments/?party=TR&amp;status=open">3</a>' in row.group()
    assert '<a href="/commitments/?party=TR&amp;status=done">1</a>' in row.group()
    assert '<a class="late" href="/commitments/?party=TR&amp;status=overdue">3</a>' in row.group()
    assert row.group().endswith("<td>4</td></tr>")
    rects = re.findall(r'<rect x="([^"]*)" y="2" width="([^"]*)"', text)
    assert len(rects) == 3  # TR open and done, KZ in progress
    assert all(re.fullmatch(r"\d+(\.\d+)?", n) for pair in rects for n in pair), rects


@time_machine.travel(FROZEN, tick=False)
def test_staff_home_due_soon_link_filters_the_same_rows(client, parties):
    tr, _kz = parties
    for i in range(21):
        CommitmentFactory(deadline=TODAY + datetime.timedelta(days=i), responsible=[tr])
    client.force_login(staff())
    text = client.get("/").content.decode()
    query = "status=active&amp;due_after=2024-02-18&amp;due_before=2024-03-19"
    assert f'href="/commitments/?{query}">The 20 due first are shown: see all 21' in text
    listed = client.get("/commitments/?" + query.replace("&amp;", "&"))
    assert listed.context["page"].paginator.count == 21


def test_status_by_party_counts_each_status_and_overdue(parties):
    tr, kz = parties
    _late(2, tr)
    CommitmentFactory(status=Status.DONE, responsible=[tr], partners=[kz])
    CommitmentFactory(status=Status.IN_PROGRESS, deadline=TODAY, responsible=[kz, tr])
    rows = {row.party.code: row for row in status_by_party(today=TODAY)}
    assert rows["TR"].counts == {
        "open": 2, "in_progress": 1, "submitted": 0, "done": 1, "waived": 0, "cancelled": 0,
        "superseded": 0,
    }  # fmt: skip
    assert rows["TR"].overdue == 2
    assert rows["KZ"].counts["in_progress"] == 1 and rows["KZ"].total == 1  # partner not counted
    assert rows["KZ"].overdue == 0


def test_cached_status_counts_follow_a_status_change(parties):
    from actions.services import commitment_update_status

    tr, _kz = parties
    (commitment,) = _late(1, tr)
    cache.clear()
    assert status_by_party(today=TODAY, cached=True)[0].counts["open"] == 1
    commitment_update_status(commitment=commitment, user=staff(), status=Status.IN_PROGRESS)
    row = status_by_party(today=TODAY, cached=True)[0]
    assert row.counts["open"] == 0 and row.counts["in_progress"] == 1


def test_party_obligations_cut_each_group_and_count_all(parties):
    from actions.selectors import party_obligations

    tr, kz = parties
    late = _late(3, tr)
    soon = [
        CommitmentFactory(deadline=TODAY + datetime.timedelta(days=d), responsible=[tr])
        for d in (1, 2, 3)
    ]
    later = CommitmentFactory(deadline=None, responsible=[tr])
    done = [CommitmentFactory(status=Status.DONE, responsible=[tr]) for _ in range(3)]
    _late(2, kz, partners=[tr])  # a partner's obligations are not the party's
    result = party_obligations(party=tr, today=TODAY, limit=2)
    assert result.totals == {"overdue": 3, "due_soon": 3, "later": 1, "done": 3}
    assert result.overdue == late[:2]
    assert result.due_soon == soon[:2]
    assert result.later == [later]
    assert result.done == done[::-1][:2]  # the most recently closed first
    query = {group.key: group.query for group in result.groups}["overdue"]
    assert query == "party=TR&role=responsible&status=overdue"


@pytest.mark.parametrize("dated", [0, 1, 3])
def test_party_obligations_later_lists_dated_then_undated_cut(parties, dated):
    """'later' is read as a deadline range plus the undated rows: the dated come
    first by deadline, the undated after them by id, and the group is cut at ``limit``."""
    from actions.selectors import party_obligations

    tr, _kz = parties
    undated = [CommitmentFactory(deadline=None, responsible=[tr]) for _ in range(3)]
    far = [
        CommitmentFactory(deadline=TODAY + datetime.timedelta(days=400 - d), responsible=[tr])
        for d in range(dated)
    ]
    result = party_obligations(party=tr, today=TODAY, limit=2)
    assert result.totals["later"] == 3 + dated
    assert result.later == (far[::-1] + undated)[:2]


@time_machine.travel(FROZEN, tick=False)
def test_delegation_home_links_to_the_whole_group(client, parties):
    from tests.factories import delegate

    tr, kz = parties
    _late(21, tr)
    _late(3, kz, partners=[tr])
    client.force_login(delegate(tr))
    response = client.get("/")
    assert response.content.decode().count('class="card"') == 20
    url = "/commitments/?party=TR&amp;role=responsible&amp;status=overdue"
    assert f'href="{url}">The first 20 are shown: see all 21' in response.content.decode()
    listed = client.get(url.replace("&amp;", "&"))
    assert listed.context["page"].paginator.count == 21


def test_cached_totals_follow_every_change_at_once(db, django_assert_num_queries):
    """The delegation home keeps its four totals in the cache under the register's last
    change: a status change, a new commitment or a moved deadline shows on the next view."""
    from actions.services import commitment_update, commitment_update_status

    cache.clear()
    tr = PartyFactory(code="TR", name="Türkiye")
    late = CommitmentFactory(responsible=[tr], deadline=TODAY - datetime.timedelta(days=5))
    CommitmentFactory(responsible=[tr], deadline=TODAY + datetime.timedelta(days=90))

    def totals():
        return party_obligations(party=tr, today=TODAY, cached=True).totals

    assert totals() == {"overdue": 1, "due_soon": 0, "later": 1, "done": 0}
    # the register's last change; the first rows of the two groups that have some
    with django_assert_num_queries(3):
        assert party_obligations(party=tr, today=TODAY, cached=True, with_links=False).totals
    user = staff()
    commitment_update_status(commitment=late, user=user, status="done", expected_version=None)
    assert totals() == {"overdue": 0, "due_soon": 0, "later": 1, "done": 1}
    CommitmentFactory(responsible=[tr], deadline=TODAY + datetime.timedelta(days=3))
    assert totals()["due_soon"] == 1
    soon = Commitment.objects.get(deadline=TODAY + datetime.timedelta(days=3))
    commitment_update(
        commitment=soon, user=user, expected_version=None, deadline=TODAY - datetime.timedelta(1)
    )
    assert totals() == {"overdue": 1, "due_soon": 0, "later": 1, "done": 1}
    assert totals() == party_obligations(party=tr, today=TODAY).totals  # as uncached


@time_machine.travel(FROZEN, tick=False)
@pytest.mark.parametrize("each", [3, 25])
def test_staff_home_queries(client, parties, each, django_assert_num_queries):
    tr, kz = parties
    for i in range(each):
        CommitmentFactory(deadline=TODAY - datetime.timedelta(days=i + 1), responsible=[tr])
        CommitmentFactory(deadline=TODAY + datetime.timedelta(days=i), responsible=[kz, tr])
    client.force_login(staff())
    client.get("/")  # the user and the status counts cached
    # 1 the user, 2 the register's last change (the status counts' cache key), 3 the parties
    # of the status table, 4 both urgent totals, 5 the overdue rows (+ meeting, series), 6
    # the due-soon rows, 7 their party links (the shares), 8 their approved extensions, 9
    # pending reviews, 10 upcoming meetings, 11 the membership of the user
    with django_assert_num_queries(11):
        html = client.get("/").content.decode()
    assert html.count('<td class="nowrap">') == 2 * min(each, 20)
    assert html.count('title="Kazakhstan: Open">KZ</abbr>') == min(each, 20)  # the shares


def test_party_obligations_later_group_lists_dated_then_undated(parties):
    """'later' holds the dated rows beyond the due-soon window first, then the undated."""
    from actions.selectors import party_obligations

    tr, _kz = parties
    _late(4, tr)
    for days in (2, 40, 400):
        CommitmentFactory(deadline=TODAY + datetime.timedelta(days=days), responsible=[tr])
    CommitmentFactory(deadline=None, responsible=[tr])
    CommitmentFactory(status=Status.DONE, responsible=[tr])

    def groups():
        result = party_obligations(party=tr, today=TODAY, limit=2)
        return [[c.pk for c in group.rows] for group in result.groups]

    found = groups()
    assert [len(rows) for rows in found] == [2, 1, 2, 1]
    later = Commitment.objects.filter(pk__in=found[2])
    assert all(c.deadline and c.deadline > TODAY + datetime.timedelta(days=30) for c in later)
    undated = party_obligations(party=tr, today=TODAY, limit=3).later[-1]
    assert undated.deadline is None
