"""CSV export of a commitment list, streamed so that a list of any length starts at once.

Exported for one party (``?party=TR``), each line also shows that party's own share: its role,
its status, its effective deadline and the deadline as agreed with the extension in force."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterator

from django.db.models import QuerySet

from actions.models import Commitment, Role
from actions.querysets import deadline_extensions
from actions.templatetags.otsweb import agreed_and_extended
from parties.models import Party

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
# With a party, its share of each commitment.
SHARE_HEADER = [
    "party",
    "party role",
    "share status",
    "share deadline",
    "deadline agreed and extended",
]


class _Echo:
    """csv.writer wants a file; this one hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def commitments_csv(
    commitments: QuerySet[Commitment],
    *,
    absolute_url: Callable[[str], str],
    party: Party | str | None = None,
) -> Iterator[str]:
    """The CSV file: the BOM and header, then a line per commitment, read CHUNK_SIZE at a
    time; ``commitments`` come ``for_api()``, so that a chunk is three queries (four with a
    party: the approved extensions)."""
    if isinstance(party, str):
        party = Party.objects.filter(code=party.strip().upper()).first()
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(HEADER + (SHARE_HEADER if party is not None else []))
    if party is not None:
        commitments = commitments.prefetch_related(deadline_extensions())
    rows = commitments.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        yield "".join(writer.writerow(_line(c, absolute_url, party)) for c in chunk)


def _share_columns(c: Commitment, party: Party) -> list[str]:
    """The party's share: its status and effective deadline; a partner has no share."""
    share = c.share_for(party.pk)
    if share is None:
        partner = any(p.pk == party.pk for p in c.partners)
        return [party.code, Role.PARTNER if partner else "", "", "", ""]
    due = share.effective_deadline
    return [
        party.code,
        Role.RESPONSIBLE,
        share.status,
        due.isoformat() if due else "",
        agreed_and_extended(c, party.pk),
    ]


def _line(c: Commitment, absolute_url: Callable[[str], str], party: Party | None) -> list[str]:
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
        *(_share_columns(c, party) if party is not None else []),
    ]
