"""How heavy a register report is, weighed in the request before anything is loaded: how
many commitments it prints, and how much text (what must be done, and the progress notes it
shows). Either, above its threshold, sends the report to a worker (meetings/pdf/views.py):
a few commitments with long notes take as long to lay out as many short ones."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Length

from actions.models import StatusUpdate


@dataclass(frozen=True)
class Weight:
    commitments: int
    text: int  # characters


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
