"""The Secretariat home's status table and chart: every text escaped, every count a link to
those commitments, in any language."""

from django.utils import translation

from actions.models import Status
from actions.selectors import PartyStatusRow
from otscustoms.views import status_chart
from parties.models import Party
from tests.factories import CommitmentFactory, PartyFactory, staff

ROWS = [
    PartyStatusRow(
        party=Party(code="TR", name="Türkiye & <Partners>"),
        counts={"open": 3, "in_progress": 12, "done": 0},
        overdue=2,
    ),
    PartyStatusRow(party=Party(code="KZ", name="Kazakhstan"), counts={"open": 0}, overdue=0),
]


def test_table_escapes_names_and_links_each_count(client, db):
    tr = PartyFactory(code="TR", name="Türkiye & <Partners>")
    kz = PartyFactory(code="KZ", name="Kazakhstan")
    for _ in range(3):
        CommitmentFactory(responsible=[tr])
    CommitmentFactory(responsible=[kz], status=Status.DONE)
    client.force_login(staff())
    html = client.get("/").content.decode()
    assert "Türkiye &amp; &lt;Partners&gt;" in html and "<Partners>" not in html
    assert '<a href="/commitments/?party=TR&amp;status=open">3</a>' in html
    assert '<a class="late" href="/commitments/?party=TR&amp;status=overdue">3</a>' in html
    assert '<a href="/commitments/?party=KZ&amp;status=done">1</a>' in html
    assert '<a href="/parties/TR/">' in html


def test_chart_rects_are_translated_and_proportional(client, db):
    chart = status_chart(ROWS)
    tr, kz = chart["bars"]
    assert kz["rects"] == []  # no commitment, no bar
    with translation.override("ru"):
        labels = [str(rect["label"]) for rect in tr["rects"]]
    assert labels[0] == "Открыто" and len(labels) == 2
    # the largest bar is CHART_BAR_WIDTH wide: 3 + 12 = 15 → 80.0 + 320.0
    assert [(r["x"], r["width"]) for r in tr["rects"]] == [("0.0", "80.0"), ("80.0", "320.0")]


def test_chart_is_drawn_with_escaped_titles(client, db):
    tr = PartyFactory(code="TR", name="Türkiye & <Partners>")
    CommitmentFactory(responsible=[tr])
    client.force_login(staff())
    html = client.get("/").content.decode()
    assert '<rect x="0.0" y="2" width="400.0" height="20"' in html
    assert "<title>Türkiye &amp; &lt;Partners&gt; — Open: 1</title>" in html
