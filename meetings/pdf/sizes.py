"""How heavy a register report is, weighed in the request before anything is loaded: how
many commitments it prints, and how much text (what must be done, and the progress notes it
shows). Either, above its threshold, sends the report to a worker (meetings/pdf/views.py):
a few commitments with long notes take as long to lay out as many short ones."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Length

from actions.models import StatusUpdate

# A register report's row: reference, action, parties, deadline, status. PDF_ASYNC_THRESHOLD
# counts rows of that width.
REPORT_ROW_CELLS = 5


@dataclass(frozen=True)
class Weight:
    commitments: int
    text: int  # characters
    # Cells of each printed row: layout time follows the cells laid out, so a row of the
    # implementation matrix (three cells and one per party) weighs more than a report's row.
    row_cells: int = REPORT_ROW_CELLS

    @property
    def rows(self) -> float:
        """The commitments in rows of a register report, what the threshold counts."""
        return self.commitments * max(self.row_cells, REPORT_ROW_CELLS) / REPORT_ROW_CELLS


def weigh(commitments, *, all_notes: bool) -> Weight:
    """``commitments`` as the report selects them. ``all_notes``: the report prints every
    progress note (the implementation report), not only each commitment's latest one.
    Computed by the database (two aggregate queries at most), whatever the number of rows."""
    notes = StatusUpdate.objects.filter(commitment=OuterRef("pk")).exclude(note="")
    if all_notes:
        # Each commitment's total; one row per commitment, summed below.
        per_commitment = (
            notes.order_by().values("commitment").annotate(n=Sum(Length("note"))).values("n")
        )
    else:
        per_commitment = notes.order_by("-created_at", "-id").annotate(n=Length("note"))
        per_commitment = per_commitment.values("n")[:1]
    totals = (
        commitments.order_by()
        .annotate(note_length=Coalesce(Subquery(per_commitment), 0))
        .aggregate(
            count=Count("pk"),
            actions=Coalesce(Sum(Length("action")), 0),
            notes=Coalesce(Sum("note_length"), 0),
        )
    )
    return Weight(commitments=totals["count"], text=totals["actions"] + totals["notes"])
