"""Everything a party sees is its share: the delegation home, the party pages and the party's
obligations PDF group and show each share by its own status and effective deadline; the
Secretariat's home shows every share. On the register as `make run` loads it."""

import datetime
import re

import pytest
from django.core.cache import cache

from actions import services
from actions.models import Commitment, ShareStatus
from actions.selectors import party_obligations, status_by_party
from meetings.pdf import documents
from parties.models import Party
from tests.factories import CommitmentFactory, PartyFactory, delegate, staff

D = datetime.date
TODAY = D(2024, 5, 1)
REASON = "Parliament ratifies in September"
pytestmark = pytest.mark.django_db


@pytest.fixture
def c02(seeded):
    return Commitment.objects.get(meeting__series__code="HCA", meeting__number=9, reference="C02")


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.UTC), tick=False)
    # Every change below is stamped with the same frozen time, which the cached counts are
    # kept under: no test may read another's.
    cache.clear()


@pytest.fixture
def extended(c02, frozen):
    """Türkiye asked for more time on its share of C02, and the Secretariat agreed."""
    tr = Party.objects.get(code="TR")
    request = services.extension_create(
        commitment=c02, user=delegate(tr), deadline=D(2024, 9, 30), reason=REASON
    )
    services.extension_decide(extension=request, user=staff("boss"), approve=True)
    return c02


def group_of(obligations, commitment) -> str | None:
    return next((g.key for g in obligations.groups if commitment in g.rows), None)


def card(html: str, commitment) -> str:
    found = re.search(rf'<li class="card" data-commitment="{commitment.pk}">.*?</li>', html, re.S)
    assert found, html
    return found.group()


def test_the_obligations_follow_each_partys_own_deadline(extended):
    tr, kz = Party.objects.get(code="TR"), Party.objects.get(code="KZ")
    turkey = party_obligations(party=tr, today=TODAY)
    kazakhstan = party_obligations(party=kz, today=TODAY)
    assert group_of(turkey, extended) == "later" and group_of(kazakhstan, extended) == "overdue"
    share = next(c for c in turkey.later if c == extended).share
    assert (share.party, share.deadline) == (tr, D(2024, 9, 30))
    # the totals count shares the same way, cached or not
    assert party_obligations(party=tr, today=TODAY, cached=True).totals == turkey.totals


def test_a_share_done_is_done_for_that_party_only(c02, frozen):
    tr, kz = Party.objects.get(code="TR"), Party.objects.get(code="KZ")
    services.share_update_status(commitment=c02, party=tr, user=staff("boss"), status="done")
    assert group_of(party_obligations(party=tr, today=TODAY), c02) == "done"
    assert group_of(party_obligations(party=kz, today=TODAY), c02) == "overdue"


def test_the_delegation_home_shows_its_share(client, extended):
    tr, kz = Party.objects.get(code="TR"), Party.objects.get(code="KZ")
    client.force_login(delegate(tr))
    mine = card(client.get("/").content.decode(), extended)
    assert "in 152 days — 30 September 2024" in mine
    assert '<span class="status status-open">Open</span>' in mine and "Overdue" not in mine
    assert "0 of 6 parties done" in mine
    assert f"until 1 April 2024 — extended to 30 September 2024: {REASON}" in mine
    client.force_login(delegate(kz))
    theirs = card(client.get("/").content.decode(), extended)
    assert "30 days overdue — 1 April 2024" in theirs and "status-overdue" in theirs
    assert "extended" not in theirs


def test_the_delegation_home_lists_a_done_share_as_done(client, c02, frozen):
    tr = Party.objects.get(code="TR")
    services.share_update_status(commitment=c02, party=tr, user=staff("boss"), status="done")
    client.force_login(delegate(tr))
    html = client.get("/").content.decode()
    done = html[html.index('id="done"') :]
    assert '<span class="status status-done">Done</span>' in card(done, c02)
    assert "1 of 6 parties done" in card(done, c02)


def test_the_party_page_shows_the_partys_shares(client, extended):
    client.force_login(delegate(Party.objects.get(code="KZ")))

    def row(code: str) -> str:
        html = client.get(f"/parties/{code}/").content.decode()
        assert "Status of the share" in html
        href = f'href="{extended.get_absolute_url()}"'
        return re.search(rf"<tr>\s*<td[^>]*>(?:(?!</tr>).)*{href}.*?</tr>", html, re.S).group()

    turkey = row("TR")
    assert "in 152 days — 30 September 2024" in turkey and "status-open" in turkey
    assert "(extended)" in turkey and "status-overdue" not in turkey
    kazakhstan = row("KZ")
    assert "30 days overdue — 1 April 2024" in kazakhstan and "status-overdue" in kazakhstan
    assert "(extended)" not in kazakhstan


def test_the_party_list_counts_shares(client, extended):
    client.force_login(staff())
    parties = {p.code: p for p in client.get("/parties/").context["parties"]}
    for code in ("TR", "KZ"):
        totals = party_obligations(party=parties[code], today=TODAY).totals
        assert parties[code].n_overdue == totals["overdue"]
        assert parties[code].n_active == totals["overdue"] + totals["due_soon"] + totals["later"]
    assert '<strong class="late">' in client.get("/parties/").content.decode()


def test_the_secretariat_home_shows_every_share(client, c02, frozen):
    tr = Party.objects.get(code="TR")
    boss = staff("boss")
    services.share_update_status(commitment=c02, party=tr, user=boss, status="done")
    services.share_update_status(
        commitment=c02, party=Party.objects.get(code="KZ"), user=boss, status="waived"
    )
    client.force_login(boss)
    html = client.get("/").content.decode()
    row = re.search(r'<tr>\s*<td class="nowrap">.{0,200}?C02</td>.*?</tr>', html, re.S).group()
    assert "2 of 6 parties done" in row
    assert 'class="share share-done" title="Türkiye: Done">TR</abbr>' in row
    assert 'class="share share-waived" title="Kazakhstan: Waived">KZ</abbr>' in row
    assert 'class="share share-open late" title="Uzbekistan: Open">UZ</abbr>' in row
    counts = {r.party.code: r for r in status_by_party(today=TODAY)}
    assert counts["TR"].counts["done"] >= 1 and counts["KZ"].counts["waived"] == 1
    assert "Waived" in html and '<a href="/commitments/?party=KZ&amp;status=waived">1</a>' in html
    listed = client.get("/commitments/?party=KZ&status=waived")
    assert listed.context["page"].paginator.count == 1


@pytest.mark.parametrize("joint", [1, 6])
def test_pages_read_in_constant_queries_whatever_the_shares(
    client, joint, frozen, django_assert_num_queries
):
    parties = [PartyFactory(code=code) for code in ("TR", "KZ", "KG", "AZ", "UZ", "HU")]
    for i in range(8):
        CommitmentFactory(
            responsible=parties[:joint], deadline=TODAY - datetime.timedelta(days=i - 4)
        )
    tr, user = parties[0], delegate(parties[0])
    services.extension_create(
        commitment=Commitment.objects.first(),
        user=staff("boss"),
        deadline=TODAY + datetime.timedelta(days=90),
        reason="x",
        party=tr,
    )
    client.force_login(user)
    # user, membership (+ party); the register's last change (cache key), the four share
    # totals; the overdue, due-soon and later rows (+ meeting, series, the party's share);
    # their links (the shares), their approved extensions; upcoming meetings
    with django_assert_num_queries(10):
        assert client.get("/").status_code == 200
    # user, the party; the four share totals, the three groups' rows, their links;
    # membership (+ party)
    with django_assert_num_queries(8):
        assert client.get("/parties/TR/").status_code == 200
    # 1 the user, 2 the register's last change, 3 the share counts, 4 their parties, 5 the
    # urgent totals, 6 the overdue rows, 7 the due-soon rows, 8 their links, 9 their
    # extensions, 10 pending reviews, 11 upcoming meetings, 12 the membership of the user
    client.force_login(staff())
    with django_assert_num_queries(12):
        assert client.get("/").status_code == 200


# --- the party's obligations, printed --------------------------------------------------------


def test_the_obligations_pdf_shows_each_partys_share(extended):
    tr, kz = Party.objects.get(code="TR"), Party.objects.get(code="KZ")
    turkey = documents.party_obligations(tr, today=TODAY)
    groups = {key: rows for key, _label, rows in turkey.context["groups"]}
    (row,) = [r for r in groups["later"] if r == extended]
    assert row.due == D(2024, 9, 30) and row.status_label == "Open" and not row.overdue
    assert row.agreed == f"until 1 April 2024 — extended to 30 September 2024: {REASON}"
    assert row.progress == "0 of 6 parties done"
    kazakhstan = documents.party_obligations(kz, today=TODAY)
    groups = {key: rows for key, _label, rows in kazakhstan.context["groups"]}
    (row,) = [r for r in groups["overdue"] if r == extended]
    assert row.due == D(2024, 4, 1) and row.overdue and not row.extended
    assert "shares of Kazakhstan" in kazakhstan.subject


def test_the_obligations_pdf_reads_the_share_status(client, c02, frozen):
    from meetings.pdf.rendering import render_document
    from tests.pdf.conftest import Pdf

    tr = Party.objects.get(code="TR")
    services.share_update_status(
        commitment=c02, party=tr, user=staff("boss"), status=ShareStatus.WAIVED
    )
    waived = documents.party_obligations(tr, today=TODAY, statuses=["waived"])
    text = Pdf(render_document(waived)).text
    assert "HCA-9" in text and "C02" in text and "Waived" in text
    assert "1 share of Türkiye" in text and "status waived" in text
    client.force_login(staff())
    response = client.get("/parties/TR/obligations.pdf", {"status": "waived,open"})
    assert response.status_code == 200
    bad = client.get("/parties/TR/obligations.pdf", {"status": "late"})
    assert bad.status_code == 400 and b"use one of open, in_progress" in bad.content


def test_the_obligations_pdf_is_written_in_the_requested_language(client, c02, frozen):
    client.force_login(staff())
    response = client.get("/parties/TR/obligations.pdf", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    built = documents.party_obligations(Party.objects.get(code="TR"), today=TODAY, language="ru")
    assert built.lang == "ru"
    assert (
        documents.from_params(
            "party_obligations", {"party": "TR", "today": "2024-05-01", "language": "ru"}
        ).lang
        == "ru"
    )
