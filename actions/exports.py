"""CSV export of a commitment list, streamed so that a list of any length starts at once."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterator

from django.db.models import QuerySet

from actions.models import Commitment

# Excel reads a CSV as the local ANSI code page unless it starts with a byte order mark;
# with it, Türkiye and KHAKİMOV survive a double-click.
BOM = "\ufeff"
CHUNK_SIZE = 500  # rows read at a time, each chunk with its parties and sources

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


def commitments_csv(
    commitments: QuerySet[Commitment], *, absolute_url: Callable[[str], str]
) -> Iterator[str]:
    """The CSV file: the BOM and header, then a line per commitment, read CHUNK_SIZE at a
    time; ``commitments`` come ``for_api()``, so that a chunk is three queries."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(HEADER)
    rows = commitments.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        yield "".join(writer.writerow(_line(c, absolute_url)) for c in chunk)


def _line(c: Commitment, absolute_url: Callable[[str], str]) -> list[str]:
    due_at = c.due_meeting.code if c.due_meeting_id is not None else c.due_event
    return [
        str(c.pk),
        c.meeting.code,
        str(c.decision.number) if c.decision_id is not None else "",
        c.reference,
        c.action,
        "; ".join(p.code for p in c.responsible),
        "; ".join(p.code for p in c.partners),
        c.responsible_text,
        c.deadline.isoformat() if c.deadline else "",
        c.deadline_precision,
        c.deadline_text,
        due_at,
        c.status,
        "; ".join(f"{s.document.key} {s.paragraph}".strip() for s in c.cited_sources()),
        c.updated_at.isoformat(timespec="seconds"),
        absolute_url(c.get_absolute_url()),
    ]
