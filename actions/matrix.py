"""The implementation matrix: the commitments of a meeting or a series in rows, the parties
with a share in them in columns, each cell that party's share — its status, its latest
progress report (shortened) and the report's date. Partners have a cell without a share.

One read (``matrix_commitments``, a fixed number of queries whatever the number of rows and
shares) and a plain builder over the model instances it returns (``build_matrix``); the page,
the PDF, the CSV and the XLSX all print the same ``Matrix``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters

from actions.filters import CommitmentFilter, CommitmentFilterForm
from actions.models import (
    Commitment,
    CommitmentParty,
    Role,
    ShareStatus,
    Status,
    StatusUpdate,
    UpdateKind,
)
from actions.querysets import deadline_extensions
from actions.templatetags.otsweb import agreed_and_extended
from meetings.models import MeetingSeries
from parties.models import Party

NOTE_PREVIEW = 90  # characters of a report's note a cell shows
# What is read of a note: enough to fill a cell once runs of spaces and newlines are folded.
NOTE_FETCH = 2 * NOTE_PREVIEW
ACTION_PREVIEW = 220  # characters of the action a printed row shows
# Above this many party columns a portrait A4 page leaves each cell too narrow to read.
PORTRAIT_COLUMNS = 6
WHOLE_CLOSED = (Status.CANCELLED, Status.SUPERSEDED)


# --- Which commitments: the register's filter vocabulary, with a meeting or series required --


class MatrixFilterForm(CommitmentFilterForm):
    def clean(self):
        data = super().clean()
        series = data.get("series")
        if series and not MeetingSeries.objects.filter(code__iexact=series).exists():
            self.add_error(
                "series", _("No series %(code)s in the register.") % {"code": series.upper()}
            )
        elif not data.get("meeting") and not series and not self.errors:
            raise forms.ValidationError(
                _("Name a meeting (meeting=HCA-9) or a series (series=HCA)."), code="required"
            )
        return data


class MatrixFilter(CommitmentFilter):
    """``CommitmentFilter``'s parameters (meeting, series, party, status...), the series shown
    beside the meeting, and one of the two required: a matrix of the whole register would be
    as wide as the list of parties and as long as the register."""

    series = filters.CharFilter(
        label=gettext_lazy("Series"),
        field_name="meeting__series__code",
        lookup_expr="iexact",
        max_length=12,
        widget=forms.TextInput(attrs={"placeholder": "HCA", "autocomplete": "off"}),
        help_text="Code of the meeting series, e.g. HCA or WG.",
    )

    class Meta(CommitmentFilter.Meta):
        form = MatrixFilterForm


class BadMatrixFilter(ValueError):
    """A filter parameter the matrix cannot take; the message names it (the exports' 400)."""


def matrix_filter(data) -> MatrixFilter:
    """The filters of a request (or of a job's parameters) over the register, in the
    register's order; BadMatrixFilter names what is wrong."""
    filtered = MatrixFilter(data, queryset=Commitment.objects.in_register_order())
    if not filtered.is_valid():
        parts = []
        for name, errors in filtered.form.errors.items():
            label = "" if name == "__all__" else f"{name}: "
            parts.append(label + " ".join(str(e) for e in errors))
        raise BadMatrixFilter("; ".join(parts))
    return filtered


# --- The read ---------------------------------------------------------------------------------


def share_links() -> Prefetch:
    """Each commitment's party links with their party and, per link, the latest progress
    report on that party's share (its note cut to what a cell shows, and its time): two
    correlated subqueries in the links' own query, so no query per row or share."""
    latest = StatusUpdate.objects.filter(
        commitment=OuterRef("commitment_id"), party=OuterRef("party_id"), kind=UpdateKind.PROGRESS
    ).order_by("-created_at", "-id")
    links = CommitmentParty.objects.select_related("party").annotate(
        report_note=Subquery(
            latest.annotate(preview=Substr("note", 1, NOTE_FETCH + 1)).values("preview")[:1]
        ),
        report_at=Subquery(latest.values("created_at")[:1]),
    )
    return Prefetch("links", queryset=links, to_attr="link_list")


def matrix_commitments(commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
    """The rows of the matrix in three queries: the commitments with their meeting, series and
    the meeting they are due at; their links with parties and latest reports; their approved
    extensions (the deadline is printed with its extension)."""
    return commitments.select_related("meeting__series", "due_meeting__series").prefetch_related(
        share_links(), deadline_extensions()
    )


def matrix_parties(commitments: QuerySet[Commitment]) -> list[Party]:
    """The columns: every party with a share in any of the commitments, in the parties' order,
    in one query (the same columns on every page of a long matrix)."""
    shares = CommitmentParty.objects.filter(
        party=OuterRef("pk"),
        role=Role.RESPONSIBLE,
        commitment__in=commitments.order_by().values("pk"),
    )
    return list(Party.objects.filter(Exists(shares)).order_by("order", "name"))


# --- The builder ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One party's part in one commitment: a share, a partner's place, or nothing."""

    party: Party
    role: str  # Role.RESPONSIBLE, Role.PARTNER, or "" when the party is not named
    status: str = ""  # the share's status; "cancelled"/"superseded" when the whole is
    status_label: str = ""
    overdue: bool = False
    note: str = ""  # the latest progress report's note, shortened
    reported_on: datetime.date | None = None  # its day, in the register's time zone
    extended_to: datetime.date | None = None  # the share's own deadline after an extension

    @property
    def is_share(self) -> bool:
        return self.role == Role.RESPONSIBLE

    @property
    def summary(self) -> str:
        """Status (and overdue) in words: 'Open · overdue', 'partner', '—'."""
        if self.role == Role.PARTNER:
            return _("partner")
        if not self.role:
            return "—"
        return f"{self.status_label} · {_('overdue')}" if self.overdue else self.status_label

    @property
    def report(self) -> str:
        """'12 Mar 2024: Draft sent to the Parties…', or '' without a report."""
        if self.reported_on is None:
            return ""
        day = formats.date_format(self.reported_on, "j M Y")
        return f"{day}: {self.note}" if self.note else day

    @property
    def extension(self) -> str:
        if self.extended_to is None:
            return ""
        return _("extended to %(date)s") % {"date": formats.date_format(self.extended_to, "j M Y")}

    @property
    def text(self) -> str:
        """The whole cell as one text run, lines separated by a newline (the PDF and the
        spreadsheet print it as it is)."""
        return "\n".join(line for line in (self.summary, self.extension, self.report) if line)


@dataclass(frozen=True)
class Row:
    commitment: Commitment
    reference: str
    action: str
    deadline: str
    cells: list[Cell]


@dataclass(frozen=True)
class Matrix:
    parties: list[Party]
    rows: list[Row]
    today: datetime.date

    @property
    def landscape(self) -> bool:
        return len(self.parties) > PORTRAIT_COLUMNS

    def cell(self, reference: str, party_code: str) -> Cell:
        """The cell of a row (by its reference as printed) and a party's column."""
        row = next(r for r in self.rows if r.reference == reference)
        return next(c for c in row.cells if c.party.code == party_code)


def _deadline(commitment: Commitment) -> str:
    agreed = agreed_and_extended(commitment)
    if agreed:
        return agreed
    if commitment.due_meeting_id is not None:
        return _("at %(meeting)s") % {"meeting": commitment.due_meeting.code}
    return commitment.due_event or _("no deadline")


def _cell(
    party: Party, link: CommitmentParty | None, today: datetime.date, names: dict[str, str]
) -> Cell:
    if link is None:
        return Cell(party=party, role="")
    if link.role == Role.PARTNER:
        return Cell(party=party, role=Role.PARTNER)
    whole = link.commitment.status
    status = whole if whole in WHOLE_CLOSED else link.status
    reported_at = getattr(link, "report_at", None)
    return Cell(
        party=party,
        role=Role.RESPONSIBLE,
        status=status,
        status_label=names[status],
        overdue=link.is_overdue(today),
        note=shorten_note(getattr(link, "report_note", None) or ""),
        reported_on=timezone.localdate(reported_at) if reported_at else None,
        extended_to=link.deadline,
    )


def shorten_note(preview: str) -> str:
    """A note on one line, cut to NOTE_PREVIEW characters with an ellipsis when longer
    (``preview`` is the note's first NOTE_FETCH + 1 characters)."""
    text = " ".join(preview.split())
    if len(text) > NOTE_PREVIEW or len(preview) > NOTE_FETCH:
        return text[: NOTE_PREVIEW - 1].rstrip() + "…"
    return text


def build_rows(
    commitments: Iterable[Commitment], parties: list[Party], *, today: datetime.date
) -> list[Row]:
    """A row per commitment (read with ``matrix_commitments``), a cell per party column. The
    reference carries the meeting's code when the rows span several meetings."""
    commitments = list(commitments)
    several = len({c.meeting_id for c in commitments}) > 1
    # Translated once, not once a cell.
    names = {value: str(label) for value, label in [*ShareStatus.choices, *Status.choices]}
    rows = []
    for c in commitments:
        links = {link.party_id: link for link in c.link_list}
        reference = c.reference or f"#{c.pk}"
        rows.append(
            Row(
                commitment=c,
                reference=f"{c.meeting.code} {reference}" if several else reference,
                action=c.action,
                deadline=_deadline(c),
                cells=[_cell(p, links.get(p.pk), today, names) for p in parties],
            )
        )
    return rows


def build_matrix(commitments: QuerySet[Commitment], *, today: datetime.date) -> Matrix:
    """The whole matrix of the filtered commitments, in four queries (columns, rows, links,
    extensions)."""
    parties = matrix_parties(commitments)
    rows = build_rows(matrix_commitments(commitments), parties, today=today)
    return Matrix(parties=parties, rows=rows, today=today)


def short_action(action: str) -> str:
    return Truncator(" ".join(action.split())).chars(ACTION_PREVIEW)
