"""CSV export of a commitment list, streamed so that a list of any length starts at once."""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator

from django.db.models import QuerySet

from actions.models import Commitment, CommitmentParty, CommitmentSource, Role

# Excel reads a CSV as the local ANSI code page unless it starts with a byte order mark;
# with it, Türkiye and KHAKİMOV survive a double-click.
BOM = "\ufeff"
CHUNK_SIZE = 500  # rows read at a time; their parties and sources are 1 query each

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


# Read as plain rows: model instances and their prefetches were four fifths of an export's
# time (issue 8).
ROW_FIELDS = (
    "id",
    "meeting__series__code",
    "meeting__number",
    "decision_id",
    "decision__number",
    "reference",
    "action",
    "responsible_text",
    "deadline",
    "deadline_precision",
    "deadline_text",
    "due_meeting_id",
    "due_meeting__series__code",
    "due_meeting__number",
    "due_event",
    "status",
    "updated_at",
)


class _Echo:
    """csv.writer wants a file; this one hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def commitments_csv(
    commitments: QuerySet[Commitment], *, absolute_url: Callable[[str], str]
) -> Iterator[str]:
    """The CSV file: the BOM and header, then the lines of CHUNK_SIZE commitments at a time,
    each chunk read with its parties and sources in 2 queries."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(HEADER)
    web_url = Commitment.absolute_urls(absolute_url)
    rows = commitments.prefetch_related(None).values(*ROW_FIELDS).iterator(CHUNK_SIZE)
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        ids = [row["id"] for row in chunk]
        responsible: dict[int, list[str]] = defaultdict(list)
        partners: dict[int, list[str]] = defaultdict(list)
        links = CommitmentParty.objects.filter(commitment_id__in=ids)  # role, then party order
        for commitment_id, role, code in links.values_list("commitment_id", "role", "party__code"):
            if role == Role.RESPONSIBLE:
                responsible[commitment_id].append(code)
            elif role == Role.PARTNER:
                partners[commitment_id].append(code)
        sources: dict[int, list[str]] = defaultdict(list)
        cited = CommitmentSource.objects.filter(commitment_id__in=ids)  # in document order
        for commitment_id, key, paragraph in cited.values_list(
            "commitment_id", "document__key", "paragraph"
        ):
            sources[commitment_id].append(f"{key} {paragraph}".strip())
        yield "".join(
            writer.writerow(
                [
                    str(row["id"]),
                    f"{row['meeting__series__code']}-{row['meeting__number']}",
                    str(row["decision__number"]) if row["decision_id"] is not None else "",
                    row["reference"],
                    row["action"],
                    "; ".join(responsible.get(row["id"], ())),
                    "; ".join(partners.get(row["id"], ())),
                    row["responsible_text"],
                    row["deadline"].isoformat() if row["deadline"] else "",
                    row["deadline_precision"],
                    row["deadline_text"],
                    f"{row['due_meeting__series__code']}-{row['due_meeting__number']}"
                    if row["due_meeting_id"] is not None
                    else row["due_event"],
                    row["status"],
                    "; ".join(sources.get(row["id"], ())),
                    row["updated_at"].isoformat(timespec="seconds"),
                    web_url(row["id"]),
                ]
            )
            for row in chunk
        )
