"""Reads shared by the pages, the API, the feeds and the reports."""

from __future__ import annotations

import datetime
import functools

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import CharField, Exists, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Concat, JSONObject

# The columns of a commitment that rows() gives as they are.
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
)


class CommitmentQuerySet(models.QuerySet):
    def with_related(self, *, as_lists: bool = False, sources: bool = True) -> CommitmentQuerySet:
        """Everything a list row shows, in a constant number of queries:
        1 for the rows (+ meeting, series, decision), 1 for the party links, 1 for sources.

        ``as_lists`` puts the links and sources in plain lists (``link_list``,
        ``source_list``) instead of the related managers' caches: Django clones a queryset
        per row to fill those, a third of the API list's time at 50 rows (issue 8). Only
        for readers that know the lists (the API serializer, ``Commitment.responsible``).
        ``sources=False`` leaves the sources out (1 query fewer), for the web lists, which
        do not show them."""
        from actions.models import CommitmentParty, CommitmentSource

        links = CommitmentParty.objects.select_related("party")
        cited = CommitmentSource.objects.select_related("document")
        prefetches = [Prefetch("links", queryset=links, to_attr="link_list" if as_lists else None)]
        if sources:
            prefetches.append(
                Prefetch("sources", queryset=cited, to_attr="source_list" if as_lists else None)
            )
        return self.select_related(
            "meeting__series", "decision", "due_meeting__series"
        ).prefetch_related(*prefetches)

    def rows(self) -> CommitmentQuerySet:
        """Each commitment as one dict, with everything the API shows, in one query: its
        columns (ROW_FIELDS), ``decision_number``, ``meeting_code`` and ``due_meeting_code``
        (HCA-9, or None), ``party_rows`` (code, name, role; in the order of with_related)
        and ``source_rows`` (document_key, document_type, document_title, paragraph,
        quote). The links and sources are JSON arrays of correlated subqueries, run only
        for the rows of the page: half the time of with_related's six-table join, two
        prefetches and ~600 model instances per page of 50 (issue 8)."""
        return self.values(*ROW_FIELDS, **row_expressions())

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


@functools.cache
def row_expressions() -> dict[str, Subquery]:
    """The computed columns of CommitmentQuerySet.rows(), built once: Django copies an
    expression when a query uses it, so one set serves every query (building them anew
    cost each API list request 0.6 ms)."""
    from actions.models import CommitmentParty, CommitmentSource
    from meetings.models import Decision, Meeting

    def meeting_code(field: str) -> Subquery:
        meetings = Meeting.objects.filter(pk=OuterRef(field)).order_by()
        code = Concat("series__code", Value("-"), "number", output_field=CharField())
        return Subquery(meetings.values(code=code))

    links = CommitmentParty.objects.filter(commitment=OuterRef("pk")).order_by(
        "role", "party__order"
    )
    sources = CommitmentSource.objects.filter(commitment=OuterRef("pk")).order_by(
        "document__order", "document_id", "paragraph"
    )
    return {
        # A subquery, not a join: the paginator's COUNT keeps joins, not annotations.
        "decision_number": Subquery(
            Decision.objects.filter(pk=OuterRef("decision_id")).order_by().values("number")
        ),
        "meeting_code": meeting_code("meeting_id"),
        "due_meeting_code": meeting_code("due_meeting_id"),
        "party_rows": ArraySubquery(
            links.values(row=JSONObject(code="party__code", name="party__name", role="role"))
        ),
        "source_rows": ArraySubquery(
            sources.values(
                row=JSONObject(
                    document_key="document__key",
                    document_type="document__type",
                    document_title="document__title",
                    paragraph="paragraph",
                    quote="quote",
                )
            )
        ),
    }
