"""The status badge of list rows: the label in the page's language, 'Overdue' beside an active
commitment past its deadline."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from actions.models import Commitment, Status

TODAY = datetime.date(2025, 3, 1)
TEMPLATE = Template("{% load otsweb %}{% status_badge c today %}")


def badge(**fields) -> str:
    return TEMPLATE.render(Context({"c": Commitment(**fields), "today": TODAY}))


@pytest.mark.parametrize("status", Status.values)
def test_every_status_has_its_label_and_class(status):
    html = badge(status=status)
    assert html == f'<span class="status status-{status}">{Status(status).label}</span>'


def test_overdue_only_for_an_active_commitment_past_its_deadline():
    late = TODAY - datetime.timedelta(days=1)
    assert badge(status="open", deadline=late) == (
        '<span class="status status-open">Open</span>'
        ' <span class="status status-overdue">Overdue</span>'
    )
    assert "overdue" not in badge(status="open", deadline=TODAY)
    assert "overdue" not in badge(status="done", deadline=late)
    assert "overdue" not in badge(status="open", deadline=None)


def test_label_follows_the_active_language():
    late = TODAY - datetime.timedelta(days=3)
    with translation.override("ru"):
        html = badge(status="open", deadline=late)
    assert "Открыто" in html and "Просрочено" in html
    assert "Open" in badge(status="open")  # and back in English afterwards
