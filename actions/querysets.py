"""Reads shared by the pages, the API, the feeds and the reports."""

from __future__ import annotations

import datetime
import json

from django.db import connection, models
from django.db.models import Exists, OuterRef, Prefetch, Subquery

# The columns of a commitment that CommitmentQuerySet.rows() gives as they are.
ROW_FIELDS = (
    "id",
    "reference",
    "action",
    "responsible_text",
    "deadline",
    "deadline_precision",
    "deadline_text",
    "due_event",
    "status",
    "version",
    "created_at",
    "updated_at",
    "decision_id",
    "meeting_id",
    "due_meeting_id",
)


def party_links(*, as_list: bool = True) -> Prefetch:
    """The commitments' party links with their parties, into ``link_list`` (a plain list,
    which ``Commitment.responsible`` and ``partners`` read) or the related manager's cache."""
    from actions.models import CommitmentParty

    return Prefetch(
        "links",
        queryset=CommitmentParty.objects.select_related("party"),
        to_attr="link_list" if as_list else None,
    )


class CommitmentQuerySet(models.QuerySet):
    def with_related(self, *, as_lists: bool = False) -> CommitmentQuerySet:
        """Everything a commitment shows (its page, the API, the PDFs), in a constant number of
        queries: 1 for the rows (+ meeting, series, decision, due meeting), 1 for the party
        links, 1 for sources. The web lists show less: ``for_web_list()``.

        ``as_lists`` puts the links and sources in plain lists (``link_list``,
        ``source_list``) instead of the related managers' caches: Django clones a queryset
        per row to fill those, a third of the API list's time at 50 rows (issue 8). Only
        for readers that know the lists (the API serializer, ``Commitment.responsible``)."""
        from actions.models import CommitmentSource

        cited = CommitmentSource.objects.select_related("document")
        prefetches = [
            party_links(as_list=as_lists),
            Prefetch("sources", queryset=cited, to_attr="source_list" if as_lists else None),
        ]
        return self.select_related(
            "meeting__series", "decision", "due_meeting__series"
        ).prefetch_related(*prefetches)

    def rows(self) -> CommitmentQuerySet:
        """Each commitment as a dict of the columns the API shows (ROW_FIELDS) and its
        decision's number, without model instances: paginate these, then complete the page
        with ``with_row_details()``. The API list built ~600 models per page of 50 from a
        six-table join and two prefetches, twice the time of this (issue 8)."""
        from meetings.models import Decision

        # A subquery, not a join: the paginator's COUNT keeps joins, not annotations.
        number = Decision.objects.filter(pk=OuterRef("decision_id")).order_by().values("number")
        return self.values(*ROW_FIELDS, decision_number=Subquery(number))

    def for_web_list(self) -> CommitmentQuerySet:
        """What a row of the web lists shows (``commitment_rows``, the cards, the timeline):
        the meeting and its series, the party links in plain lists — not the decision, the
        meeting it is due at or the sources. Each table select_related joins costs planning
        time: with_related()'s six-table join took ~5 ms to plan at 100,000 (issue 8)."""
        return self.select_related("meeting__series").prefetch_related(party_links())

    def for_party(self, party_or_code, *, role: str | None = None) -> CommitmentQuerySet:
        """Commitments the party is responsible for (or a partner in, unless role narrows)."""
        from actions.models import CommitmentParty

        links = CommitmentParty.objects.filter(commitment=OuterRef("pk"))
        if isinstance(party_or_code, str):
            links = links.filter(party__code=party_or_code.upper())
        else:
            links = links.filter(party=party_or_code)
        if role:
            links = links.filter(role=role)
        return self.filter(Exists(links))

    def active(self) -> CommitmentQuerySet:
        from actions.models import Status

        return self.filter(status__in=Status.active())

    def overdue(self, today: datetime.date) -> CommitmentQuerySet:
        return self.active().filter(deadline__lt=today)

    def due_between(self, start: datetime.date, end: datetime.date) -> CommitmentQuerySet:
        return self.active().filter(deadline__gte=start, deadline__lte=end)


def with_row_details(rows: list[dict]) -> list[dict]:
    """Add to each row of ``CommitmentQuerySet.rows()`` its ``meeting_code`` and
    ``due_meeting_code`` (HCA-9, or None), ``party_rows`` (code, name, role; in the order of
    with_related) and ``source_rows`` (document_key, document_type, document_title,
    paragraph, quote; in the order of CommitmentSource), read for all the rows at once: one
    statement on PostgreSQL, four ORM queries elsewhere."""
    from meetings.models import meeting_code

    if not rows:
        return rows
    ids = [row["id"] for row in rows]
    meeting_ids = {row["meeting_id"] for row in rows} | {row["due_meeting_id"] for row in rows}
    read = _details_in_one_statement if connection.vendor == "postgresql" else _details_by_orm
    meetings, links, cited, documents = read(ids, sorted(meeting_ids - {None}))

    codes = {pk: meeting_code(series, number) for pk, series, number in meetings}
    parties: dict[int, list[dict]] = {pk: [] for pk in ids}
    for commitment_id, code, name, role in links:
        parties[commitment_id].append({"code": code, "name": name, "role": role})
    by_id = {
        pk: (order, {"document_key": key, "document_type": type_, "document_title": title})
        for pk, order, key, type_, title in documents
    }
    # CommitmentSource's order (document order, document, paragraph): the sources come in
    # the database's order of document and paragraph; a stable sort by the document's order
    # keeps it within each. (A document deleted between two of the ORM queries took its
    # sources with it.)
    cited = sorted(
        (source for source in cited if source[1] in by_id),
        key=lambda source: by_id[source[1]][0],
    )
    sources: dict[int, list[dict]] = {pk: [] for pk in ids}
    for commitment_id, document_id, paragraph, quote in cited:
        document = by_id[document_id][1]
        sources[commitment_id].append({**document, "paragraph": paragraph, "quote": quote})
    for row in rows:
        row["meeting_code"] = codes[row["meeting_id"]]
        row["due_meeting_code"] = codes.get(row["due_meeting_id"])
        row["party_rows"] = parties[row["id"]]
        row["source_rows"] = sources[row["id"]]
    return rows


# What with_row_details() reads, as four JSON arrays of arrays in one statement: the same
# through four ORM queries cost 3.5-5 ms a page (building, compiling and running each),
# this ~1.3 ms (issue 8). The documents are looked up by id (= ANY(ARRAY(...))): joined to
# the sources, PostgreSQL hashed every document of the register for a page's ~70 sources.
DETAILS_SQL = """
SELECT (SELECT json_agg(json_build_array(m.id, s.code, m.number))
          FROM meetings_meeting m JOIN meetings_meetingseries s ON s.id = m.series_id
         WHERE m.id = ANY(%(meetings)s))::text AS meetings,
       (SELECT json_agg(json_build_array(l.commitment_id, p.code, p.name, l.role)
                        ORDER BY l.role, p."order")
          FROM actions_commitmentparty l JOIN parties_party p ON p.id = l.party_id
         WHERE l.commitment_id = ANY(%(ids)s))::text AS links,
       (SELECT json_agg(json_build_array(cs.commitment_id, cs.document_id, cs.paragraph,
                                         cs.quote) ORDER BY cs.document_id, cs.paragraph)
          FROM actions_commitmentsource cs
         WHERE cs.commitment_id = ANY(%(ids)s))::text AS cited,
       (SELECT json_agg(json_build_array(d.id, d."order", d.key, d.type, d.title))
          FROM meetings_document d
         WHERE d.id = ANY(ARRAY(SELECT cs.document_id FROM actions_commitmentsource cs
                                 WHERE cs.commitment_id = ANY(%(ids)s))))::text AS documents
"""


def _details_in_one_statement(ids: list[int], meeting_ids: list[int]) -> list[list]:
    with connection.cursor() as cursor:
        cursor.execute(DETAILS_SQL, {"ids": ids, "meetings": meeting_ids})
        return [json.loads(found) if found else [] for found in cursor.fetchone()]


def _details_by_orm(ids: list[int], meeting_ids: list[int]) -> list[list]:
    from actions.models import CommitmentParty, CommitmentSource
    from meetings.models import Document, Meeting

    cited = list(
        CommitmentSource.objects.filter(commitment_id__in=ids)
        .order_by("document_id", "paragraph")
        .values_list("commitment_id", "document_id", "paragraph", "quote")
    )
    return [
        Meeting.objects.filter(pk__in=meeting_ids)
        .order_by()
        .values_list("pk", "series__code", "number"),
        CommitmentParty.objects.filter(commitment_id__in=ids)
        .order_by("role", "party__order")
        .values_list("commitment_id", "party__code", "party__name", "role"),
        cited,
        Document.objects.filter(pk__in={source[1] for source in cited})
        .order_by()
        .values_list("pk", "order", "key", "type", "title"),
    ]


class PartyRef:
    """A party as a row of the web lists shows it: code and name."""

    __slots__ = ("code", "name")

    def __init__(self, code: str, name: str):
        self.code, self.name = code, name


class MeetingRef:
    __slots__ = ("code",)

    def __init__(self, code: str):
        self.code = code


class ListRow:
    """A row of ``rows()`` completed by ``with_row_details()``, with the attributes the web
    lists read of a commitment (``commitment_rows``, ``status_badge``, ``deadline_words``):
    a page of 50 without ~350 model instances and a prefetch (issue 8).
    tests/test_commitment_rows.py renders both and compares."""

    COLUMNS = (  # as rows() gives them
        "reference",
        "action",
        "deadline",
        "deadline_precision",
        "deadline_text",
        "due_event",
        "due_meeting_id",
        "status",
    )
    __slots__ = ("pk", *COLUMNS, "meeting", "responsible", "partners")

    def __init__(self, row: dict):
        from actions.models import Role

        self.pk = row["id"]
        for name in self.COLUMNS:
            setattr(self, name, row[name])
        self.meeting = MeetingRef(row["meeting_code"])
        self.responsible, self.partners = [], []
        for party in row["party_rows"]:
            side = self.responsible if party["role"] == Role.RESPONSIBLE else self.partners
            side.append(PartyRef(party["code"], party["name"]))

    @property
    def is_active(self) -> bool:
        from actions.models import Status

        return self.status in Status.active()

    @classmethod
    def page(cls, rows: list[dict]) -> list[ListRow]:
        """``rows()`` of one page, completed and wrapped."""
        return [cls(row) for row in with_row_details(list(rows))]
