"""Template helpers for each party's share of a commitment: its status badge, its deadline in
words, and the share a list row shows for the party the list is filtered by."""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import ngettext

from actions.models import CommitmentParty, Status
from actions.templatetags.otsweb import deadline_date, deadline_words, long_date, relative_days

register = template.Library()

WHOLE = (Status.CANCELLED, Status.SUPERSEDED)


@register.simple_tag
def party_share(commitment, party) -> CommitmentParty | None:
    """The share of ``party`` (a Party or its code) in the commitment, read with it; None
    when the party is only a partner, or not named."""
    if not party:
        return None
    code = (party if isinstance(party, str) else party.code).upper()
    return next((share for share in commitment.shares if share.party.code == code), None)


@register.filter
def overdue_on(share: CommitmentParty, today: datetime.date) -> bool:
    return share.is_overdue(today)


@register.inclusion_tag("actions/_share_badge.html")
def share_badge(share: CommitmentParty, today: datetime.date) -> dict:
    """The share's status, and 'Overdue' beside it when it is still to do and late. A
    commitment cancelled or superseded as a whole shows that instead."""
    commitment = share.commitment
    if commitment.status in WHOLE:
        return {"status": commitment.status, "label": commitment.get_status_display()}
    return {
        "status": share.status,
        "label": share.get_status_display(),
        "overdue": share.is_overdue(today),
    }


@register.simple_tag
def share_deadline_words(share: CommitmentParty, today: datetime.date | None = None) -> str:
    """The share's effective deadline in words: its own extended date, else the commitment's
    deadline as precise as it was agreed. Days are counted only while the share is to do."""
    today = today or datetime.date.today()
    commitment = share.commitment
    counting = share.is_active and commitment.status not in WHOLE
    if share.deadline is None:
        if counting:
            return deadline_words(commitment, today)
        return deadline_date(commitment) or deadline_words(commitment, today)
    when = long_date(share.deadline)
    return f"{relative_days(share.deadline, today)} — {when}" if counting else when


@register.filter
def shares_progress(commitment) -> str:
    """'3 of 6 parties done' (done or waived) for emails, feeds and printed lists; nothing for
    a commitment without shares. Reads the links read with the commitment."""
    shares = commitment.shares
    if not shares:
        return ""
    return ngettext(
        "%(done)d of %(n)d party done", "%(done)d of %(n)d parties done", len(shares)
    ) % {"done": commitment.shares_finished, "n": len(shares)}
