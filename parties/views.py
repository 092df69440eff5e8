"""Party pages: the list of parties and one party's obligations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from actions import selectors
from actions.models import Role, Status
from parties.models import Party


@login_required
def party_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    responsible = Q(commitment_links__role=Role.RESPONSIBLE)
    parties = Party.objects.annotate(
        n_commitments=Count("commitment_links", filter=responsible),
        n_active=Count(
            "commitment_links",
            filter=responsible & Q(commitment_links__commitment__status__in=Status.active()),
        ),
        n_overdue=Count(
            "commitment_links",
            filter=responsible
            & Q(commitment_links__commitment__status__in=Status.active())
            & Q(commitment_links__commitment__deadline__lt=today),
        ),
    ).order_by("order", "name")
    return render(request, "parties/party_list.html", {"parties": parties, "today": today})


@login_required
def party_detail(request: HttpRequest, code: str) -> HttpResponse:
    party = get_object_or_404(Party, code=code.upper())
    today = timezone.localdate()
    return render(
        request,
        "parties/party_detail.html",
        {
            "party": party,
            "obligations": selectors.party_obligations(party=party, today=today),
            "today": today,
        },
    )
