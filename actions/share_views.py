"""The follow-up of each party's share on the commitment page: a share's status, deadline
extensions asked for, made and decided, and the list of what awaits the Secretariat's
decision. Reads in ``actions.commitment_page``, writes in ``actions.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actions import services
from actions.commitment_page import add_errors, after_write, get_commitment, rerender
from actions.models import (
    DeadlineExtension,
    ExtensionState,
    ReviewState,
    ShareStatus,
    StatusUpdate,
)
from actions.share_forms import ExtensionDecisionForm, ExtensionForm, ShareStatusForm
from actions.shares import can_act_on_share
from actions.templatetags.otsweb import long_date
from otscustoms.concurrency import StaleVersionError
from parties.permissions import is_secretariat, require_secretariat, user_party_id

# The oldest items awaiting a decision that the list shows; more is a backlog to say so.
PENDING_SHOWN = 50


def _stale_share_message(exc: StaleVersionError) -> str:
    share = exc.instance
    return _(
        "Not changed: someone else changed %(party)s's share meanwhile; it is now “%(status)s”. "
        "Your input is kept below: check the share, then send it again to apply it."
    ) % {"party": share.party.name, "status": share.get_status_display()}


@login_required
@require_POST
def share_status(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A party's share moved: by its own delegation, or by the Secretariat."""
    commitment = get_commitment(pk)
    share = next((s for s in commitment.shares if s.party.code == code.upper()), None)
    if share is None:
        raise Http404(_("This party has no share of the commitment."))
    if not can_act_on_share(request.user, share.party_id):
        raise PermissionDenied(_("A delegation may change only its own party's share."))
    staff = is_secretariat(request.user)
    form = ShareStatusForm.for_share(share, staff=staff, data=request.POST) or ShareStatusForm(
        request.POST, auto_id=f"id_share_{share.party.code}_%s"
    )
    if form.is_valid():
        try:
            services.share_update_status(
                commitment=commitment,
                party=share.party,
                user=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError as exc:
            form.add_error(None, _stale_share_message(exc))
            # Sending again now applies the input on purpose, against the share as it is.
            form.data = form.data.copy()
            form.data["version"] = exc.current
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return after_write(
                request,
                commitment,
                _("%(party)s's share is now “%(status)s”.")
                % {
                    "party": share.party.name,
                    "status": ShareStatus(form.cleaned_data["status"]).label,
                },
            )
    return rerender(request, commitment, share_forms={share.party_id: form})


@login_required
@require_POST
def extension_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A delegation asks for more time on its own share; the Secretariat extends the whole
    commitment or one party's share at once."""
    commitment = get_commitment(pk)
    staff = is_secretariat(request.user)
    if not staff and commitment.share_for(user_party_id(request.user)) is None:
        raise PermissionDenied(
            _("Only a delegation with a share of this commitment may ask for more time.")
        )
    form = ExtensionForm(request.POST, commitment=commitment, staff=staff)
    if form.is_valid():
        try:
            extension = services.extension_create(
                commitment=commitment,
                user=request.user,
                deadline=form.cleaned_data["deadline"],
                reason=form.cleaned_data["reason"],
                party=form.chosen_party() if staff else None,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            date = long_date(extension.deadline)
            if not staff:
                message = _("Your request for more time, to %(date)s, was sent to the Secretariat.")
            elif extension.party_id is None:
                message = _("The deadline of the whole commitment is now %(date)s.")
            else:
                message = _("%(party)s's deadline is now %(date)s.")
            party = extension.party.name if extension.party_id else ""
            return after_write(request, commitment, message % {"date": date, "party": party})
    return rerender(request, commitment, extension_form=form)


def _back(request: HttpRequest, form: ExtensionDecisionForm, commitment) -> str:
    """Where the decision was taken, if it is a page of this site."""
    wanted = form.data.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return commitment.get_absolute_url()


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The Secretariat approves (and so applies) or refuses a delegation's request."""
    require_secretariat(request.user, _("Only the Secretariat decides on extensions."))
    extension = get_object_or_404(DeadlineExtension.objects.select_related("party"), pk=pk)
    commitment = get_commitment(extension.commitment_id)
    form = ExtensionDecisionForm(request.POST, auto_id=f"id_decision_{extension.pk}_%s")
    back = _back(request, form, commitment)
    if form.is_valid():
        try:
            services.extension_decide(
                extension=extension,
                user=request.user,
                approve=form.approve,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            words = (
                _("%(party)s's request was approved: its deadline is now %(date)s.")
                if form.approve
                else _("%(party)s's request for more time was refused.")
            )
            message = words % {"party": extension.party.name, "date": long_date(extension.deadline)}
            if request.htmx or back == commitment.get_absolute_url():
                return after_write(request, commitment, message)
            messages.success(request, message)
            return redirect(back)
    if request.htmx or back == commitment.get_absolute_url():
        # A request decided meanwhile is no longer shown with its form: say why here.
        return rerender(
            request,
            commitment,
            decision_forms={extension.pk: form},
            review_errors=form.non_field_errors(),
        )
    # Refused on the list of what awaits the Secretariat: said there, on the list.
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect(back)


@login_required
def awaiting_decision(request: HttpRequest) -> HttpResponse:
    """What awaits the Secretariat, oldest first: requests for more time, decided here or on
    the commitment's page, and progress reports, reviewed on the commitment's page."""
    require_secretariat(request.user, _("This list is for Secretariat staff."))
    requests = list(
        DeadlineExtension.objects.filter(state=ExtensionState.PENDING)
        .select_related("commitment__meeting__series", "party", "requested_by")
        .order_by("requested_at", "id")[: PENDING_SHOWN + 1]
    )
    reports = list(
        StatusUpdate.objects.filter(review_state=ReviewState.PENDING)
        .select_related("commitment__meeting__series", "party", "author")
        .order_by("created_at", "id")[: PENDING_SHOWN + 1]
    )
    for extension in requests:
        extension.form = ExtensionDecisionForm(
            auto_id=f"id_decision_{extension.pk}_%s", initial={"next": request.path}
        )
    return render(
        request,
        "actions/awaiting_decision.html",
        {
            "requests": requests[:PENDING_SHOWN],
            "more_requests": len(requests) > PENDING_SHOWN,
            "reports": reports[:PENDING_SHOWN],
            "more_reports": len(reports) > PENDING_SHOWN,
            "shown": PENDING_SHOWN,
        },
    )
