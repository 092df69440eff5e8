"""The status badge of list rows: the label in the page's language, 'Overdue' beside an active
commitment past its deadline."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from actions.models import Commitment, ShareStatus, Status

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


SHARE_TEMPLATE = Template("{% load share_tags %}{% share_badge s today %}")


def share_badge(status: str, *, deadline=None, whole: str = "open", own=None) -> str:
    from actions.models import CommitmentParty

    commitment = Commitment(status=whole, deadline=deadline)
    share = CommitmentParty(commitment=commitment, role="responsible", status=status, deadline=own)
    return SHARE_TEMPLATE.render(Context({"s": share, "today": TODAY}))


@pytest.mark.parametrize("status", ShareStatus.values)
def test_every_share_status_has_its_label_and_class(status):
    html = share_badge(status)
    assert html == f'<span class="status status-{status}">{ShareStatus(status).label}</span>'


def test_a_share_is_overdue_by_its_own_deadline_in_force():
    late, later = TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=30)
    assert "Overdue" in share_badge("open", deadline=late)
    assert "Overdue" not in share_badge("open", deadline=late, own=later)  # extended
    assert "Overdue" in share_badge("in_progress", deadline=later, own=late)
    assert "Overdue" not in share_badge("done", deadline=late)
    assert "Overdue" not in share_badge("waived", deadline=late)


def test_a_commitment_cancelled_as_a_whole_shows_so_on_every_share():
    late = TODAY - datetime.timedelta(days=1)
    assert share_badge("open", deadline=late, whole="cancelled") == (
        '<span class="status status-cancelled">Cancelled</span>'
    )


def test_a_share_badge_follows_the_active_language():
    with translation.override("ru"):
        html = share_badge("open", deadline=TODAY - datetime.timedelta(days=3))
    assert "Открыто" in html and "Просрочено" in html


def test_a_shares_deadline_in_words_counts_days_only_while_it_is_to_do():
    from actions.models import CommitmentParty
    from actions.templatetags.share_tags import share_deadline_words

    agreed = TODAY + datetime.timedelta(days=10)
    commitment = Commitment(status="in_progress", deadline=agreed, deadline_precision="day")

    def words(status, own=None):
        share = CommitmentParty(commitment=commitment, status=status, deadline=own)
        with translation.override("en"):
            return share_deadline_words(share, TODAY)

    assert words("open") == "in 10 days — 11 March 2025"
    assert words("done") == "11 March 2025"
    assert words("open", own=datetime.date(2025, 6, 30)) == "in 121 days — 30 June 2025"
    assert words("waived", own=datetime.date(2025, 6, 30)) == "30 June 2025"
