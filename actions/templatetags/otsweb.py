"""Template helpers for the register's pages: deadlines in words, guarded links."""

from __future__ import annotations

import datetime
import functools

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import Precision

register = template.Library()


@register.inclusion_tag("actions/_status_badge.html")
def status_badge(commitment, today: datetime.date) -> dict:
    """The status of a commitment, and 'Overdue' beside it when an active one is late."""
    late = commitment.is_active and commitment.deadline and commitment.deadline < today
    return {"commitment": commitment, "overdue": late, "overdue_label": _("Overdue")}


def _is_english() -> bool:
    return (translation.get_language() or "en").split("-")[0] == "en"


def _long_date(day: datetime.date) -> str:
    # English reads "1 March 2024" in the OTS documents; other languages use their own format.
    if _is_english():
        return formats.date_format(day, "j F Y")
    return formats.date_format(day, "DATE_FORMAT")


def deadline_date(commitment) -> str:
    """The deadline as precise as it was agreed: 1 March 2024, February 2024, Q2 2024, 2024."""
    if commitment.deadline is None:
        return ""
    return _deadline_date(
        commitment.deadline, commitment.deadline_precision, translation.get_language()
    )


@functools.lru_cache(maxsize=4096)
def _deadline_date(day: datetime.date, precision: str, language: str | None) -> str:
    """Remembered per day, precision and language (the language active when called is part
    of the key): a list writes the same few dates many times."""
    if precision == Precision.MONTH:
        return formats.date_format(day, "YEAR_MONTH_FORMAT")
    if precision == Precision.QUARTER:
        return _("Q%(quarter)s %(year)s") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}
    if precision == Precision.HALF:
        if day.month <= 6:
            return _("first half of %(year)s") % {"year": day.year}
        return _("second half of %(year)s") % {"year": day.year}
    if precision == Precision.YEAR:
        return str(day.year)
    return _long_date(day)


def relative_days(deadline: datetime.date, today: datetime.date) -> str:
    days = (deadline - today).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if days == -1:
        return _("yesterday")
    if days > 0:
        return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}
    return ngettext("%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}


@register.simple_tag
def deadline_words(commitment, today: datetime.date | None = None) -> str:
    """'in 12 days — 1 March 2024'; 'at the next meeting' while a meeting has no date."""
    today = today or datetime.date.today()
    if commitment.deadline is None:
        if commitment.due_event or commitment.due_meeting_id:
            return commitment.due_event or _("at the next meeting")
        return _("no deadline")
    when = deadline_date(commitment)
    if commitment.status in ("done", "cancelled", "superseded"):
        return when
    return f"{relative_days(commitment.deadline, today)} — {when}"


def agreed_and_extended(commitment, party_id: int | None = None) -> str:
    """The deadline as agreed, and the extension in force for the party's share or the whole
    commitment: 'by 1 March 2024 — extended to 30 June 2025: <reason>'. Pages, PDFs, feeds
    and emails all write it this way; read with ``deadline_extensions()`` for lists."""
    agreed = commitment.deadline_text
    if not agreed and commitment.agreed_deadline is not None:
        agreed = _deadline_date(
            commitment.agreed_deadline, commitment.agreed_precision, translation.get_language()
        )
    extension = commitment.extension_for(party_id)
    if extension is None:
        return agreed
    return _("%(agreed)s — extended to %(date)s: %(reason)s") % {
        "agreed": agreed or _("no deadline"),
        "date": _long_date(extension.deadline),
        "reason": extension.reason,
    }


@register.simple_tag
def deadline_agreed(commitment, party_id=None) -> str:
    return agreed_and_extended(commitment, party_id)


@register.filter
def deadline_exact(commitment) -> str:
    return deadline_date(commitment)


@register.filter
def long_date(day) -> str:
    return _long_date(day) if day else ""


@register.filter
def long_datetime(moment) -> str:
    if not moment:
        return ""
    moment = timezone.localtime(moment)
    if _is_english():
        return formats.date_format(moment, "j F Y, H:i")
    return formats.date_format(moment, "DATETIME_FORMAT")


@register.simple_tag
def url_if(name: str, *args, **kwargs) -> str:
    """The URL of ``name``, or nothing while that part of the application is not installed."""
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return ""


# The PDF export of each kind of meeting document (served by the reports part of the app).
DOCUMENT_PDFS = {
    "agreed_minutes": "pdf:minutes",
    "protocol": "pdf:protocol",
    "agenda": "pdf:agenda",
    "participants": "pdf:participants",
}


@register.simple_tag
def document_pdf(document, meeting) -> str:
    name = DOCUMENT_PDFS.get(document.type)
    return url_if(name, meeting.code) if name else ""
