"""The implementation matrix as a CSV (for scripts: a status, a report and a date column per
party) and as an XLSX (for people: one wrapped cell per party, as the page and the PDF)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from actions.matrix import Matrix
from actions.models import Role

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel reads a CSV as the local ANSI code page unless it starts with a byte order mark;
# with it, Türkiye and KHAKİMOV survive a double-click.
BOM = "\ufeff"


def _csv_status(cell) -> str:
    if cell.role == Role.PARTNER:
        return "partner"
    return cell.status


def matrix_csv(matrix: Matrix) -> str:
    """A line per commitment. The header names are fixed keys, like the register's CSV, so
    that a script reading them does not depend on the reader's language; the values are the
    statuses' codes (open, in_progress, submitted, done, waived; "partner"; empty when the
    party is not named)."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["id", "meeting", "reference", "action", "deadline"]
    for party in matrix.parties:
        header += [f"{party.code} status", f"{party.code} latest report", f"{party.code} date"]
    writer.writerow(header)
    for row in matrix.rows:
        c = row.commitment
        line = [str(c.pk), c.meeting.code, c.reference, c.action, row.deadline]
        for cell in row.cells:
            day = cell.reported_on.isoformat() if cell.reported_on else ""
            line += [_csv_status(cell), cell.note, day]
        writer.writerow(line)
    return BOM + out.getvalue()


def matrix_xlsx(matrix: Matrix) -> bytes:
    """One sheet: the header row frozen, a column per party whose cells read as the PDF's
    (status, then the latest report's date and note)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Implementation matrix"))
    sheet.freeze_panes = "D2"
    widths = [12, 60, 28] + [24] * len(matrix.parties)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)

    def cell(value, *, header: bool = False) -> WriteOnlyCell:
        written = WriteOnlyCell(sheet, value=value)
        written.alignment = wrap
        if header:
            written.font = bold
        return written

    titles = [_("Reference"), _("Action"), _("Deadline")] + [
        f"{p.name} ({p.code})" for p in matrix.parties
    ]
    sheet.append([cell(title, header=True) for title in titles])
    for row in matrix.rows:
        values = [row.reference, row.action, row.deadline] + [c.text for c in row.cells]
        sheet.append([cell(value) for value in values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
