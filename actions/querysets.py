"""Reads shared by the pages, the API, the feeds and the reports."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce

# The register's order: soonest deadline first, undated last, on every database (PostgreSQL
# and SQLite put NULL at opposite ends by default). The (deadline, id) index serves it.
REGISTER_ORDER = (F("deadline").asc(nulls_last=True), "id")


def party_links(*, as_list: bool = True) -> Prefetch:
    """The commitments' party links with their parties, into ``link_list`` (a plain list,
    which ``Commitment.responsible`` and ``partners`` read) or the related manager's cache.
    A plain list spares Django a queryset clone per row."""
    from actions.models import CommitmentParty

    return Prefetch(
        "links",
        queryset=CommitmentParty.objects.select_related("party"),
        to_attr="link_list" if as_list else None,
    )


def cited_sources() -> Prefetch:
    """The commitments' sources with their documents, into ``source_list`` (see
    ``Commitment.cited_sources``)."""
    from actions.models import CommitmentSource

    # What a source shows of its document (the printed documents name its annex): not its
    # text, addressees or signatories, the heavy columns.
    documents = CommitmentSource.objects.select_related("document").only(
        "commitment_id",
        "paragraph",
        "quote",
        "document__key",
        "document__type",
        "document__title",
        "document__annex",
        "document__order",
    )
    return Prefetch("sources", queryset=documents, to_attr="source_list")


def party_links_of(party_or_code, *, role: str | None = None):
    """The party's links to the commitment of the outer query, with ``due``: the share's own
    extended deadline, else the commitment's; and ``commitment_status``, the outer row's, read
    without joining the commitment again."""
    from actions.models import CommitmentParty

    links = CommitmentParty.objects.filter(commitment=OuterRef("pk")).annotate(
        due=Coalesce(F("deadline"), OuterRef("deadline"), output_field=models.DateField()),
        commitment_status=ExpressionWrapper(OuterRef("status"), output_field=models.CharField()),
    )
    if isinstance(party_or_code, str):
        links = links.filter(party__code=party_or_code.upper())
    else:
        links = links.filter(party=party_or_code)
    if role:
        links = links.filter(role=role)
    return links


def deadline_extensions() -> Prefetch:
    """The commitments' approved extensions, into ``extension_list`` (see
    ``Commitment.approved_extensions``): where a deadline is shown with its extension."""
    from actions.models import DeadlineExtension, ExtensionState

    approved = DeadlineExtension.objects.filter(state=ExtensionState.APPROVED).order_by("id")
    return Prefetch("extensions", queryset=approved, to_attr="extension_list")


def extension_history() -> Prefetch:
    """Every extension of the commitments, requested, approved or refused, with its party,
    into ``extension_history``: where who asked for more time, and what was decided, is
    shown (each reader sees those ``parties.permissions`` lets them)."""
    from actions.models import DeadlineExtension

    history = DeadlineExtension.objects.select_related("party").order_by("requested_at", "id")
    return Prefetch("extensions", queryset=history, to_attr="extension_history")


class CommitmentQuerySet(models.QuerySet):
    def in_register_order(self) -> CommitmentQuerySet:
        return self.order_by(*REGISTER_ORDER)

    def with_related(self) -> CommitmentQuerySet:
        """Everything a commitment shows (its page, the API, the CSV, the PDFs), in three
        queries whatever the number of rows: the rows with their meeting, series, decision and
        the meeting it is due at; their party links; their sources."""
        return self.select_related(
            "meeting__series", "decision", "due_meeting__series"
        ).prefetch_related(party_links(), cited_sources())

    def for_api(self) -> CommitmentQuerySet:
        """``with_related()`` without the columns the API and the CSV export do not show: a
        decision's text and a series' description are the long ones."""
        return self.with_related().defer(
            "decision__text",
            "meeting__title",
            "meeting__series__description",
            "due_meeting__title",
            "due_meeting__series__description",
        )

    def for_web_list(self) -> CommitmentQuerySet:
        """What a row of the web lists shows (the tables, the cards, the timeline): the
        meeting and its series and the party links, not the decision or the sources."""
        return self.select_related("meeting__series").prefetch_related(party_links())

    def for_party(self, party_or_code, *, role: str | None = None) -> CommitmentQuerySet:
        """Commitments the party is responsible for (or a partner in, unless role narrows).
        An EXISTS rather than a join: no row is repeated, so no DISTINCT is needed."""
        return self.filter(Exists(party_links_of(party_or_code, role=role)))

    def with_share(self, party_or_code, share: Q) -> CommitmentQuerySet:
        """Commitments where the party's share matches ``share``, a condition on the share's
        ``status``, ``due`` (its effective deadline) and ``commitment_status``."""
        from actions.models import Role

        return self.filter(
            Exists(party_links_of(party_or_code, role=Role.RESPONSIBLE).filter(share))
        )

    def with_party_link(self, party_or_code, *, role: str | None = None) -> CommitmentQuerySet:
        """The commitments that name the party (with ``role``, in that role), each with the
        party's link joined in: ``link_role``, ``share_status`` ("" for a partner),
        ``share_deadline`` (its own extended deadline), ``due`` (that, else the commitment's
        deadline), ``link_version`` and ``link_changed``. A join rather than an EXISTS: a
        party has one link to a commitment, so no row repeats, and the rows can be filtered,
        ordered and aggregated on the party's share."""
        if isinstance(party_or_code, str):
            link = {"links__party__code": party_or_code.upper()}
        else:
            link = {"links__party": party_or_code}
        if role:
            link["links__role"] = role
        return self.filter(**link).annotate(
            link_role=F("links__role"),
            share_status=F("links__status"),
            share_deadline=F("links__deadline"),
            due=Coalesce(F("links__deadline"), F("deadline"), output_field=models.DateField()),
            link_version=F("links__version"),
            link_changed=F("links__updated_at"),
        )

    def active(self) -> CommitmentQuerySet:
        from actions.models import Status

        return self.filter(status__in=Status.active())

    def closed(self) -> CommitmentQuerySet:
        from actions.models import Status

        return self.filter(status__in=Status.closed())

    def overdue(self, today: datetime.date) -> CommitmentQuerySet:
        return self.active().filter(deadline__lt=today)

    def due_between(self, start: datetime.date, end: datetime.date) -> CommitmentQuerySet:
        return self.active().filter(deadline__gte=start, deadline__lte=end)
