"""Reads shared by the pages, the API, the feeds and the reports."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch


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
