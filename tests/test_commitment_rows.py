# ruff: noqa: E501  (the former templates are kept verbatim, long lines and all)
"""The rows of the commitment lists are written in Python
(``commitment_rows``; issue 8). They must say exactly what the template
loops they replaced said: the former loops are kept here and both are rendered on awkward rows
(diacritics, markup in the text, partners, every precision, late and closed), in three
languages, and compared with whitespace normalised."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from actions.models import Commitment, Precision, Status
from tests.factories import CommitmentFactory, MeetingFactory, PartyFactory

TODAY = datetime.date(2024, 5, 1)

FORMER_TABLE_ROWS = """{% load i18n otsweb %}{% for c in rows %}
    <tr>
      <td class="nowrap"><a href="{% url 'meetings:detail' c.meeting.code %}">{{ c.meeting.code }}</a>{% if c.reference %} {{ c.reference }}{% endif %}</td>
      <td><a href="{{ c.get_absolute_url }}">{{ c.action }}</a></td>
      <td>{% for p in c.responsible %}<abbr title="{{ p.name }}">{{ p.code }}</abbr>{% if not forloop.last %}, {% endif %}{% endfor %}{% for p in c.partners %}{% if forloop.first %} <span class="muted">({% translate "with" %} {% endif %}{{ p.code }}{% if forloop.last %})</span>{% else %}, {% endif %}{% endfor %}</td>
      <td class="deadline">{% deadline_words c today %}{% if c.deadline_text %}<br><span class="muted">“{{ c.deadline_text }}”</span>{% endif %}</td>
      <td><span class="status status-{{ c.status }}">{{ c.get_status_display }}</span>{% if c.is_active and c.deadline and c.deadline < today %} <span class="status status-overdue">{{ _("Overdue") }}</span>{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="5">{% translate "No commitments match." %}</td></tr>
  {% endfor %}
"""

NEW_TABLE_ROWS = "{% load otsweb %}{% commitment_rows rows today %}"


def squeeze(html: str) -> str:
    """The markup with each run of whitespace as one space (as a browser shows it) and none
    between tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html.strip()))


@pytest.fixture
def rows(db):
    tr = PartyFactory(code="TR", name="Türkiye", order=4)
    kz = PartyFactory(code="KZ", name="Kazakhstan & <Co>", order=2)
    hu = PartyFactory(code="HU", name="Hungary", order=9)
    meeting = MeetingFactory(number=9)
    other = MeetingFactory(number=10)
    made = [
        CommitmentFactory(
            meeting=meeting,
            reference="C01",
            action='Submit the <draft> & "notes" to KHAKİMOV, ZÓLYOM',
            deadline=TODAY - datetime.timedelta(days=3),
            responsible=[tr, kz],
            partners=[hu],
        ),
        CommitmentFactory(
            meeting=meeting,
            reference="",
            action="Report in UÇARMAK",
            deadline=datetime.date(2024, 6, 30),
            deadline_precision=Precision.MONTH,
            deadline_text="by the end of June",
            responsible=[kz],
        ),
        CommitmentFactory(
            meeting=other,
            reference="C03",
            action="Done already",
            deadline=TODAY - datetime.timedelta(days=40),
            status=Status.DONE,
            responsible=[tr],
            partners=[kz, hu],
        ),
        CommitmentFactory(
            meeting=other,
            reference="C04",
            action="No date",
            deadline=None,
            deadline_precision="",
            due_event="at the next meeting",
            responsible=[],
        ),
        CommitmentFactory(
            meeting=meeting,
            reference="C05",
            action="Quarterly",
            deadline=datetime.date(2024, 9, 30),
            deadline_precision=Precision.QUARTER,
            responsible=[hu],
        ),
        CommitmentFactory(
            meeting=meeting,
            reference="C06",
            action="When the next meeting is held",
            deadline=None,
            deadline_precision="",
            due_meeting=other,
            responsible=[tr],
        ),
    ]
    return list(
        Commitment.objects.filter(pk__in=[c.pk for c in made]).for_web_list().order_by("pk")
    )


@pytest.mark.parametrize("language", ["en", "ru", "tr"])
def test_table_rows_say_what_the_former_template_said(rows, language):
    context = {"rows": rows, "today": TODAY}
    with translation.override(language):
        former = Template(FORMER_TABLE_ROWS).render(Context(context))
        now = Template(NEW_TABLE_ROWS).render(Context(context))
    assert squeeze(now) == squeeze(former)
    assert now.count("<tr>") == len(rows) and "&lt;draft&gt; &amp;" in now


@pytest.mark.parametrize("language", ["en", "ru", "tr"])
def test_rows_read_as_plain_values_say_what_model_rows_say(rows, language):
    """The list page reads rows() and with_row_details() into ListRow (issue 8): the same
    table as from the models."""
    from actions.querysets import ListRow

    plain = ListRow.page(
        Commitment.objects.filter(pk__in=[c.pk for c in rows]).order_by("pk").rows()
    )
    assert [row.pk for row in plain] == [c.pk for c in rows]
    rendered = {}
    for template, name in ((NEW_TABLE_ROWS, "rows"),):
        with translation.override(language):
            from_models = Template(template).render(Context({name: rows, "today": TODAY}))
            from_values = Template(template).render(Context({name: plain, "today": TODAY}))
        assert from_values == from_models
        rendered[name] = from_values
    table = rendered["rows"]
    assert table.count("<tr>") == len(rows) and 'title="Kazakhstan &amp; &lt;Co&gt;"' in table
    assert "KZ, HU)" in table  # partners, in the parties' order
