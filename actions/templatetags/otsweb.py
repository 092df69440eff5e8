"""Template helpers for the register's pages: deadlines in words, guarded links."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import Commitment, Precision, Status
from otscustoms.urls_many import reverse_cached, reverse_for_codes

register = template.Library()


@functools.cache
def _status_labels(language: str) -> dict[str, str]:
    """The status labels in one language, translated once per process: get_status_display()
    translates every choice of the field on each call (its choices are hashed), 6 lookups a
    row on a page of commitments."""
    with translation.override(language):
        return {**{value: str(label) for value, label in Status.choices}, "overdue": _("Overdue")}


@register.simple_tag
def status_badge(commitment, today: datetime.date) -> SafeString:
    """The status of a commitment, and 'Overdue' beside it when an active one is late."""
    labels = _status_labels(translation.get_language() or "en")
    badge = format_html(
        '<span class="status status-{}">{}</span>', commitment.status, labels[commitment.status]
    )
    if commitment.is_active and commitment.deadline and commitment.deadline < today:
        badge += format_html(' <span class="status status-overdue">{}</span>', labels["overdue"])
    return badge


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
    """Written once per day, precision and language (the language active when called is the
    key's): Django's date formatting was a third of a list row's cost (issue 8)."""
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


# -- rows of commitment lists ----------------------------------------------------------------
# The row markup of the register's lists, written here rather than in a template loop: ~20
# variable lookups, tags and filters per row made the template most of a list page's time
# (issue 8). tests/test_commitment_rows.py renders the same rows with the former templates and
# compares.


def _detail_url() -> Callable[[int], str]:
    return Commitment.absolute_urls(str)  # relative: ``/commitments/<pk>/``


def _deadline_html(commitment, today: datetime.date) -> str:
    return escape(deadline_words(commitment, today))


@register.simple_tag
def commitment_rows(rows: Iterable, today: datetime.date) -> SafeString:
    """The ``<tr>`` of each commitment in a commitment table (``_commitment_table.html``):
    meeting and reference, action, responsible (partners after them), deadline, status."""
    url_of = _detail_url()
    meeting_url = reverse_for_codes("meetings:detail")
    with_word = escape(_("with"))
    lines = []
    for c in rows:
        code = c.meeting.code
        reference = f" {escape(c.reference)}" if c.reference else ""
        responsible = ", ".join(
            f'<abbr title="{escape(p.name)}">{escape(p.code)}</abbr>' for p in c.responsible
        )
        partners = c.partners
        if partners:
            codes = ", ".join(escape(p.code) for p in partners)
            responsible += f' <span class="muted">({with_word} {codes})</span>'
        deadline = _deadline_html(c, today)
        if c.deadline_text:
            deadline += f'<br><span class="muted">“{escape(c.deadline_text)}”</span>'
        lines.append(
            f'<tr>\n<td class="nowrap"><a href="{escape(meeting_url(code))}">{escape(code)}</a>'
            f"{reference}</td>\n"
            f'<td><a href="{url_of(c.pk)}">{escape(c.action)}</a></td>\n'
            f"<td>{responsible}</td>\n"
            f'<td class="deadline">{deadline}</td>\n'
            f"<td>{status_badge(c, today)}</td>\n</tr>"
        )
    return SafeString("\n".join(lines))


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
        if all(isinstance(value, str | int) for value in (*args, *kwargs.values())):
            return reverse_cached(name, args, kwargs)
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def basename(path) -> str:
    return str(path).rsplit("/", 1)[-1]


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
