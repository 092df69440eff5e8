"""Reads shared by the pages, the API, the feeds and the reports."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch


class CommitmentQuerySet(models.QuerySet):
    def with_related(self) -> CommitmentQuerySet:
        """Everything a list row shows, in a constant number of queries:
        1 for the rows (+ meeting, series, decision), 1 for the party links, 1 for sources."""
        from actions.models import CommitmentParty, CommitmentSource

        return self.select_related(
            "meeting__series", "decision", "due_meeting__series"
        ).prefetch_related(
            Prefetch("links", queryset=CommitmentParty.objects.select_related("party")),
            Prefetch("sources", queryset=CommitmentSource.objects.select_related("document")),
        )

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
