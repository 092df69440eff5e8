"""Commitment pages: lists, timeline, detail with progress reports, and the Secretariat's
editing. Views stay thin: reads in ``actions.selectors``, writes in ``actions.services``."""

from __future__ import annotations

import contextlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actions import evidence_access, selectors, services
from actions.commitment_page import (
    add_errors,
    after_write,
    detail_context,
    get_commitment,
    rerender,
)
from actions.filters import CommitmentFilter
from actions.forms import CommitmentForm, ProgressReportForm, ReviewForm, ShareForm, StatusForm
from actions.models import Commitment, Reminder, ReminderState, Status, StatusUpdate
from meetings.forms import differences
from meetings.models import Meeting
from otscustoms.concurrency import StaleVersionError
from otscustoms.history import history_entries
from parties.models import Party
from parties.permissions import is_secretariat, require_secretariat

PAGE_SIZE = 25


def _require_staff(request: HttpRequest) -> None:
    require_secretariat(request.user, _("Only Secretariat staff may edit commitments."))


def _filtered(request: HttpRequest) -> CommitmentFilter:
    """The request's filters over the web lists' rows, in the register's order unless the
    request orders them otherwise."""
    return CommitmentFilter(
        request.GET or None, queryset=Commitment.objects.for_web_list().in_register_order()
    )


def _share_party(filtered: CommitmentFilter) -> str | None:
    """The party whose share each row shows: the one the list is filtered by (?party=TR)."""
    return filtered.share_party() if filtered.is_bound and filtered.is_valid() else None


@login_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    filtered = _filtered(request)
    page = Paginator(filtered.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filtered,
        "form": filtered.form,
        "page": page,
        "query": query.urlencode(),
        "today": timezone.localdate(),
        "share_party": _share_party(filtered),
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "actions/_commitment_results.html", context)
    return render(request, "actions/commitment_list.html", context)


@login_required
def commitment_timeline(request: HttpRequest) -> HttpResponse:
    filtered = _filtered(request)
    share_party = _share_party(filtered)
    return render(
        request,
        "actions/commitment_timeline.html",
        {
            "filter": filtered,
            "form": filtered.form,
            "months": selectors.timeline(filtered.qs, party=share_party),
            "today": timezone.localdate(),
            "share_party": share_party,
        },
    )


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_commitment(pk)
    return render(request, "actions/commitment_detail.html", detail_context(request, commitment))


@login_required
@require_POST
def commitment_report(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_commitment(pk)
    if not services.can_report_on(request.user, commitment):
        raise PermissionDenied(_("You may report progress only on your delegation's commitments."))
    staff = is_secretariat(request.user)
    form = ProgressReportForm(request.POST, request.FILES, commitment=commitment, staff=staff)
    if form.is_valid():
        try:
            services.progress_report_create(
                commitment=commitment,
                user=request.user,
                note=form.cleaned_data["note"],
                attachment=form.cleaned_data["attachment"],
                status=Status.SUBMITTED if form.cleaned_data["submit_for_review"] else None,
                idempotency_key=form.cleaned_data["idempotency_key"] or None,
                party_id=form.party_id() if staff else None,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return after_write(request, commitment, _("Your progress report was recorded."))
    return rerender(request, commitment, report_form=form)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    update = get_object_or_404(StatusUpdate.objects.select_related("commitment"), pk=pk)
    commitment = get_commitment(update.commitment_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.progress_report_review(
                update=update,
                user=request.user,
                accept=accept,
                note=form.cleaned_data["note"],
                mark_done=form.cleaned_data["mark_done"],
            )
        except ValidationError as exc:
            return rerender(request, commitment, review_errors=exc.messages)
        return after_write(
            request,
            commitment,
            _("The report was accepted.") if accept else _("The report was returned."),
        )
    errors = [_("Choose accept or return.")] if "decision" in form.errors else []
    return rerender(request, commitment, review_errors=errors + form.errors.get("note", []))


@login_required
@require_POST
def commitment_status(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_commitment(pk)
    if not services.can_report_on(request.user, commitment):
        raise PermissionDenied(
            _("You may change the status only of your delegation's commitments.")
        )
    form = (
        StatusForm.for_commitment(commitment, request.POST)
        if is_secretariat(request.user)
        else StatusForm(request.POST)
    )
    if form.is_valid():
        try:
            services.commitment_update_status(
                commitment=commitment,
                user=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return after_write(request, commitment, _("The status was changed."))
    return rerender(request, commitment, status_form=form)


def _stale_message(exc: StaleVersionError) -> str:
    return _(
        "Not saved: someone else changed this record while you were editing it (you started "
        "from version %(expected)s, it is now at version %(current)s). Your input is kept "
        "below; compare it with what they saved, then save again to apply it."
    ) % {"expected": exc.expected, "current": exc.current}


@login_required
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    commitment = get_commitment(pk)
    form = CommitmentForm(request.POST or None, instance=get_commitment(pk))
    saved_now = None
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_update(
                commitment=commitment,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                responsible=list(form.cleaned_data["responsible"]),
                partners=list(form.cleaned_data["partners"]),
                **form.changes(),
            )
        except StaleVersionError as exc:
            form.add_error(None, _stale_message(exc))
            saved_now = differences(form, exc.instance)
            # The form now carries the version just seen, so that saving again (after
            # comparing) applies the user's input on purpose, never by accident.
            form.data = form.data.copy()
            form.data["version"] = exc.current
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The commitment was saved."))
            return redirect(commitment)
    return render(
        request,
        "actions/commitment_form.html",
        {"form": form, "commitment": commitment, "saved_now": saved_now},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def commitment_create(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    initial = {}
    meeting_code = request.GET.get("meeting")
    if meeting_code:
        with contextlib.suppress(Meeting.DoesNotExist, ValueError):
            initial["meeting"] = Meeting.objects.by_code(meeting_code)
    if request.GET.get("decision", "").isdigit():
        initial["decision"] = int(request.GET["decision"])
    form = CommitmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_create(
                meeting=form.cleaned_data["meeting"],
                responsible=list(form.cleaned_data["responsible"]),
                partners=list(form.cleaned_data["partners"]),
                **form.changes(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The commitment was created."))
            return redirect(commitment)
    return render(
        request,
        "actions/commitment_form.html",
        {"form": form, "commitment": None},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def commitment_history(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    commitment = get_object_or_404(Commitment.objects.with_related(), pk=pk)
    return render(
        request,
        "history.html",
        {
            "object": commitment,
            "title": _("History of commitment %(ref)s") % {"ref": commitment.reference or pk},
            "back": commitment.get_absolute_url(),
            "entries": history_entries(commitment),
        },
    )


@login_required
@require_POST
def report_share(request: HttpRequest, pk: int) -> HttpResponse:
    """The Secretariat shares a report's evidence with all delegations, or stops sharing."""
    require_secretariat(request.user, _("Only Secretariat staff may share evidence."))
    update = get_object_or_404(StatusUpdate, pk=pk)
    commitment = get_commitment(update.commitment_id)
    form = ShareForm(request.POST)
    form.is_valid()  # a lone optional checkbox: always valid
    shared = form.cleaned_data["shared"]
    try:
        evidence_access.evidence_share(update=update, user=request.user, shared=shared)
    except ValidationError as exc:
        return rerender(request, commitment, review_errors=exc.messages)
    return after_write(
        request,
        commitment,
        _("The evidence is now shared with all delegations.")
        if shared
        else _("The evidence is no longer shared with all delegations."),
    )


# The reminder log (the reminders part of the application).


class ReminderLogFilter(forms.Form):
    state = forms.ChoiceField(choices=[("", "any state"), *ReminderState.choices], required=False)
    party = forms.ModelChoiceField(
        Party.objects.all(), required=False, to_field_name="code", empty_label="any party"
    )
    since = forms.DateField(
        required=False, label="due from", widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(
        required=False, label="due until", widget=forms.DateInput({"type": "date"})
    )

    def filter(self, reminders):
        data = self.cleaned_data
        if data["state"]:
            reminders = reminders.filter(state=data["state"])
        if data["party"]:
            reminders = reminders.filter(party=data["party"])
        if data["since"]:
            reminders = reminders.filter(due_on__gte=data["since"])
        if data["until"]:
            reminders = reminders.filter(due_on__lte=data["until"])
        return reminders


@login_required
def reminder_log(request):
    """The reminder log for the Secretariat: what was sent to whom, when, and failures."""
    if not is_secretariat(request.user):
        raise PermissionDenied("The reminder log is for Secretariat staff.")
    form = ReminderLogFilter(request.GET or None)
    reminders = Reminder.objects.select_related("recipient", "party", "commitment").order_by(
        "-due_on", "-id"
    )
    if form.is_valid():
        reminders = form.filter(reminders)
    page = Paginator(reminders, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actions/reminder_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
