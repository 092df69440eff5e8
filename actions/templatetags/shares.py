"""Template helpers for a party's share of a commitment: its status, its effective deadline in
words, and how far the parties of a joint commitment have got ("3 of 6 parties done")."""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import CommitmentParty
from actions.templatetags.otsweb import deadline_date, long_date, relative_days

register = template.Library()


@register.filter
def shares_progress(commitment) -> str:
    """'3 of 6 parties done' (done or waived); nothing for a commitment without shares. Reads
    the links read with the commitment."""
    shares = commitment.shares
    if not shares:
        return ""
    return ngettext(
        "%(done)d of %(n)d party done", "%(done)d of %(n)d parties done", len(shares)
    ) % {"done": commitment.shares_finished, "n": len(shares)}


@register.filter
def late_on(share: CommitmentParty, today: datetime.date) -> bool:
    """Whether the share is unfinished and past its effective deadline on ``today``."""
    return share.is_overdue(today)


def share_deadline(share: CommitmentParty) -> str:
    """The share's effective deadline as precise as it is: an extension names a day; else the
    commitment's deadline as agreed (1 March 2024, February 2024, 2024)."""
    if share.deadline is not None:
        return long_date(share.deadline)
    return deadline_date(share.commitment)


@register.simple_tag
def share_deadline_words(share: CommitmentParty, today: datetime.date) -> str:
    """'in 12 days — 1 March 2024' for the share's own deadline; the date alone once the share
    is finished or the commitment closed."""
    commitment = share.commitment
    due = share.effective_deadline
    if due is None:
        if commitment.due_event or commitment.due_meeting_id:
            return commitment.due_event or _("at the next meeting")
        return _("no deadline")
    when = share_deadline(share)
    if not share.is_active or not commitment.is_active:
        return when
    return f"{relative_days(due, today)} — {when}"


@register.inclusion_tag("parties/_share_badge.html")
def share_badge(share: CommitmentParty, today: datetime.date) -> dict:
    """The share's status, and 'Overdue' beside it when it is late; a commitment cancelled or
    superseded as a whole shows that instead."""
    commitment = share.commitment
    if commitment.status in ("cancelled", "superseded"):
        return {"status": commitment.status, "label": commitment.get_status_display()}
    return {
        "status": share.status,
        "label": share.get_status_display(),
        "overdue": share.is_overdue(today),
        "overdue_label": _("Overdue"),
    }
