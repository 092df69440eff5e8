"""The Secretariat home's status table and chart are written in Python (issue 8): every text
escaped, every count a link to those commitments, in any language."""

from django.utils import translation

from actions.selectors import PartyStatusRow
from otscustoms.views import status_chart, status_table_rows
from parties.models import Party

ROWS = [
    PartyStatusRow(
        party=Party(code="TR", name="Türkiye & <Partners>"),
        counts={"open": 3, "in_progress": 12, "done": 0},
        overdue=2,
    ),
    PartyStatusRow(party=Party(code="KZ", name="Kazakhstan"), counts={"open": 0}, overdue=0),
]


def test_table_escapes_names_and_links_each_count():
    html = str(status_table_rows(ROWS))
    assert "Türkiye &amp; &lt;Partners&gt;" in html and "<Partners>" not in html
    assert '<a href="/commitments/?party=TR&amp;status=open">3</a>' in html
    assert '<a class="late" href="/commitments/?party=TR&amp;status=overdue">2</a>' in html
    assert '<a href="/parties/TR/">' in html
    kz = html.splitlines()[1]
    assert kz.count("<td>0</td>") == 8  # six statuses, late, total


def test_chart_rects_are_escaped_translated_and_proportional():
    with translation.override("ru"):
        chart = status_chart(ROWS)
    tr, kz = chart["bars"]
    assert str(kz["rects"]) == ""  # no commitment, no bar
    rects = str(tr["rects"])
    assert rects.count("<rect ") == 2
    assert "Türkiye &amp; &lt;Partners&gt; — Открыто: 3" in rects
    # the largest bar is CHART_BAR_WIDTH wide: 3 + 12 = 15 → 80.0 + 320.0
    assert 'width="80.0"' in rects and 'x="80.0" y="2" width="320.0"' in rects
