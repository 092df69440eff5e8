"""Party pages (/parties/) and a user's settings (/settings/: API tokens, calendar feed link,
notification preferences)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actions import selectors
from actions.models import Role, ShareStatus, Status
from parties.forms import NotificationPreferencesForm
from parties.models import AccessToken, Party, TokenScope
from parties.permissions import user_membership, user_party
from parties.services import membership_set_notifications
from parties.tokens import access_token_create, access_token_revoke, calendar_token_regenerate


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "parties/settings_index.html")


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    # With its party, kept on the user: the header's user_party() reuses both.
    membership = user_membership(request.user)
    if membership is None:
        # Reminders and notifications go to a delegation's members; without one there is
        # nothing to choose (the page says so and who can add the user to a delegation).
        return render(request, "parties/notifications.html", {"form": None})
    data = request.POST if request.method == "POST" else None
    form = NotificationPreferencesForm(data, instance=membership)
    if request.method == "POST" and form.is_valid():
        membership_set_notifications(membership=membership, **form.cleaned_data)
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("settings:notifications")
    return render(request, "parties/notifications.html", {"form": form, "membership": membership})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    mine = AccessToken.objects.filter(user=request.user)
    # A secret is shown once, on the page right after it is created (see _show_once).
    new_secret = request.session.pop("new_token_secret", None)
    new_scope = request.session.pop("new_token_scope", None)
    party = user_party(request.user)
    feed_base = request.build_absolute_uri(
        reverse("calendar:party", kwargs={"code": party.code}) if party else reverse("calendar:me")
    )
    context = {
        "api_tokens": mine.filter(scope=TokenScope.API),
        "calendar_token": mine.filter(scope=TokenScope.CALENDAR).live().first(),
        "new_secret": new_secret if new_scope == TokenScope.API else None,
        "new_feed_urls": (
            [
                request.build_absolute_uri(reverse("calendar:me")) + f"?token={new_secret}",
                *([feed_base + f"?token={new_secret}"] if party else []),
            ]
            if new_secret and new_scope == TokenScope.CALENDAR
            else []
        ),
        "errors": request.session.pop("token_errors", None),
    }
    return render(request, "parties/tokens.html", context)


def _show_once(request: HttpRequest, secret: str, scope: str) -> None:
    request.session["new_token_secret"] = secret
    request.session["new_token_scope"] = scope


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    try:
        _token, secret = access_token_create(user=request.user, name=request.POST.get("name", ""))
    except ValidationError as exc:
        request.session["token_errors"] = exc.messages
    else:
        _show_once(request, secret, TokenScope.API)
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    return redirect("settings:tokens")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    access_token_revoke(token=token, user=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("settings:tokens")


@login_required
@require_POST
def calendar_token(request: HttpRequest) -> HttpResponse:
    if request.POST.get("revoke"):
        for token in AccessToken.objects.filter(user=request.user, scope=TokenScope.CALENDAR):
            access_token_revoke(token=token, user=request.user)
        messages.success(
            request, _("Calendar feed link revoked; subscribed calendars stop updating.")
        )
    else:
        _token, secret = calendar_token_regenerate(user=request.user)
        _show_once(request, secret, TokenScope.CALENDAR)
        messages.success(request, _("New calendar feed link created; the old one no longer works."))
    return redirect("settings:tokens")


@login_required
def party_list(request: HttpRequest) -> HttpResponse:
    """Each party with its shares: how many, how many still to do, how many overdue by the
    share's own effective deadline."""
    today = timezone.localdate()
    responsible = Q(commitment_links__role=Role.RESPONSIBLE)
    # An unfinished share of a commitment still to do (not cancelled or superseded whole).
    active = (
        responsible
        & Q(commitment_links__status__in=ShareStatus.active())
        & Q(commitment_links__commitment__status__in=Status.active())
    )
    late = Q(commitment_links__deadline__lt=today) | Q(
        commitment_links__deadline__isnull=True,
        commitment_links__commitment__deadline__lt=today,
    )
    parties = Party.objects.annotate(
        n_commitments=Count("commitment_links", filter=responsible),
        n_active=Count("commitment_links", filter=active),
        n_overdue=Count("commitment_links", filter=active & late),
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
