"""What the meeting page shows of a meeting, read in one statement on PostgreSQL (issue 8).

The page's nine ORM reads (decisions, their commitments and party links, agenda, participants,
documents, ...) cost about half of its time in query building and round trips; this reads the
same rows as JSON built by PostgreSQL and gives the template the same attributes. Elsewhere
(SQLite, ``make run``) the ORM reads them (``meetings.views._meeting_rows_orm``).
tests/test_meeting_page_read.py renders the page both ways and compares."""

from __future__ import annotations

import datetime
import json
from itertools import groupby
from types import SimpleNamespace

from django.db import connection

from actions.models import Commitment, Role

MEETING_PAGE_SQL = """
SELECT
  (SELECT json_agg(json_build_object('id', a.id, 'number', a.number, 'title', a.title,
                                     'parent_id', a.parent_id) ORDER BY a."order")
     FROM meetings_agendaitem a WHERE a.meeting_id = %(meeting)s)::text AS agenda,
  (SELECT json_agg(json_build_object('id', d.id, 'number', d.number, 'text', d.text,
                                     'agenda_item_id', d.agenda_item_id) ORDER BY d.number)
     FROM meetings_decision d WHERE d.meeting_id = %(meeting)s)::text AS decisions,
  (SELECT json_agg(json_build_object(
            'id', c.id, 'decision_id', c.decision_id, 'reference', c.reference,
            'action', c.action, 'deadline', c.deadline,
            'deadline_precision', c.deadline_precision, 'deadline_text', c.deadline_text,
            'due_event', c.due_event, 'due_meeting_id', c.due_meeting_id, 'status', c.status,
            'responsible', (SELECT json_agg(p.name ORDER BY p."order")
                              FROM actions_commitmentparty l
                              JOIN parties_party p ON p.id = l.party_id
                             WHERE l.commitment_id = c.id AND l.role = %(responsible)s))
          ORDER BY c.deadline, c.id)
     FROM actions_commitment c
    WHERE c.decision_id IN (SELECT d.id FROM meetings_decision d
                             WHERE d.meeting_id = %(meeting)s))::text AS commitments,
  (SELECT json_agg(json_build_object(
            'id', pa.id, 'party_id', party.id, 'party_name', party.name,
            'honorific', pa.honorific, 'name', person.name, 'is_head', pa.is_head,
            'title', pa.title) ORDER BY party."order", party.name, pa."order")
     FROM meetings_participant pa
     JOIN parties_party party ON party.id = pa.party_id
     JOIN parties_person person ON person.id = pa.person_id
    WHERE pa.meeting_id = %(meeting)s)::text AS participants,
  (SELECT json_agg(json_build_object(
            'key', doc.key, 'type', doc.type, 'title', doc.title, 'annex', doc.annex,
            'date', doc.date, 'reference', doc.reference) ORDER BY doc."order", doc.id)
     FROM meetings_document doc WHERE doc.meeting_id = %(meeting)s)::text AS documents"""


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def meeting_rows_sql(meeting) -> dict:
    """The page's rows of ``meeting``: ``decisions`` (each with ``commitment_list``),
    ``agenda``, ``delegations`` [(party, [participant, ...])] and ``documents``, as objects
    with the attributes the template reads."""
    with connection.cursor() as cursor:
        cursor.execute(MEETING_PAGE_SQL, {"meeting": meeting.pk, "responsible": Role.RESPONSIBLE})
        agenda, decisions, commitments, participants, documents = (
            json.loads(value) if value else [] for value in cursor.fetchone()
        )
    by_decision: dict[int, list[Commitment]] = {}
    for row in commitments:
        names = row.pop("responsible") or []
        commitment = Commitment(meeting=meeting, **{**row, "deadline": _date(row["deadline"])})
        # what Commitment.responsible reads: the responsible links with their parties
        commitment.link_list = [
            SimpleNamespace(role=Role.RESPONSIBLE, party=SimpleNamespace(name=name))
            for name in names
        ]
        by_decision.setdefault(commitment.decision_id, []).append(commitment)
    return {
        "decisions": [
            SimpleNamespace(**row, pk=row["id"], commitment_list=by_decision.get(row["id"], []))
            for row in decisions
        ],
        "agenda": [SimpleNamespace(**row, pk=row["id"]) for row in agenda],
        "delegations": [
            (SimpleNamespace(pk=party_id, name=members[0].party_name), members)
            for party_id, members in (
                (party_id, [_participant(m) for m in group])
                for party_id, group in groupby(participants, key=lambda p: p["party_id"])
            )
        ],
        "documents": [SimpleNamespace(**{**row, "date": _date(row["date"])}) for row in documents],
    }


def _participant(row: dict) -> SimpleNamespace:
    return SimpleNamespace(
        pk=row["id"],
        party_name=row["party_name"],
        honorific=row["honorific"],
        person=SimpleNamespace(name=row["name"]),
        is_head=row["is_head"],
        title=row["title"],
    )
