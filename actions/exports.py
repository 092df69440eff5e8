"""CSV export of a commitment list, streamed so that a list of any length starts at once."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator

from actions.models import Commitment

# Excel reads a CSV as the local ANSI code page unless it starts with a byte order mark;
# with it, Türkiye and KHAKİMOV survive a double-click.
BOM = "\ufeff"
CHUNK_SIZE = 500  # rows per query; prefetches run once per chunk

HEADER = [
    "id",
    "meeting",
    "decision",
    "reference",
    "action",
    "responsible",
    "partners",
    "responsible as written",
    "deadline",
    "deadline precision",
    "deadline as written",
    "due at",
    "status",
    "sources",
    "updated",
    "web",
]


class _Echo:
    """csv.writer wants a file; this one hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def commitment_row(commitment: Commitment, web_url: str) -> list[str]:
    return [
        str(commitment.pk),
        commitment.meeting.code,
        str(commitment.decision.number) if commitment.decision else "",
        commitment.reference,
        commitment.action,
        "; ".join(p.code for p in commitment.responsible),
        "; ".join(p.code for p in commitment.partners),
        commitment.responsible_text,
        commitment.deadline.isoformat() if commitment.deadline else "",
        commitment.deadline_precision,
        commitment.deadline_text,
        commitment.due_meeting.code if commitment.due_meeting else commitment.due_event,
        commitment.status,
        "; ".join(f"{s.document.key} {s.paragraph}".strip() for s in commitment.cited_sources()),
        commitment.updated_at.isoformat(timespec="seconds"),
        web_url,
    ]


def commitments_csv(
    commitments: Iterable[Commitment], *, absolute_url: Callable[[str], str]
) -> Iterator[str]:
    """Lines of the CSV file: the BOM and header, then one line per commitment.
    Give a queryset with ``with_related()``; it is read in chunks of CHUNK_SIZE."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(HEADER)
    rows = (
        commitments.iterator(chunk_size=CHUNK_SIZE)
        if hasattr(commitments, "iterator")
        else commitments
    )
    for commitment in rows:
        yield writer.writerow(
            commitment_row(commitment, absolute_url(commitment.get_absolute_url()))
        )
