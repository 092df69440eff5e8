"""The commitment page: what it shows (every share with its status, deadline and latest report;
the history the user may see; the follow-up forms) and the helpers its write views share.

Read in a constant number of queries whatever the number of shares: the commitment with its
links, sources and extensions in force, then its updates and its extensions, each once."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from actions import evidence_access
from actions.forms import ProgressReportForm, ReviewForm, StatusForm
from actions.models import (
    Commitment,
    CommitmentParty,
    ExtensionState,
    Status,
    StatusUpdate,
    UpdateKind,
)
from actions.querysets import deadline_extensions
from actions.share_forms import ExtensionDecisionForm, ExtensionForm, ShareStatusForm
from parties.permissions import is_secretariat, user_party_id


def get_commitment(pk: int) -> Commitment:
    """The commitment as its page and its write views read it."""
    return get_object_or_404(
        Commitment.objects.with_related().prefetch_related(deadline_extensions()), pk=pk
    )


@dataclass
class ShareRow:
    """One responsible party's share as the page shows it."""

    share: CommitmentParty
    latest: StatusUpdate | None  # its latest progress report
    form: ShareStatusForm | None  # the status control the user has on it

    @property
    def party(self):
        return self.share.party


class Viewer:
    """What the user may see of a commitment's history. Progress reports are everyone's (the
    partners are told of the progress; the evidence has rules of its own). The history of a
    share (its status changes, reviews, deadlines and extensions) is the Secretariat's and
    that party's; the whole commitment's is everyone's."""

    def __init__(self, user) -> None:
        self.staff = is_secretariat(user)
        self.party_id = None if self.staff else user_party_id(user)

    def sees_share(self, party_id: int | None) -> bool:
        return self.staff or party_id is None or party_id == self.party_id

    def sees(self, update: StatusUpdate) -> bool:
        return update.kind == UpdateKind.PROGRESS or self.sees_share(update.party_id)


def _latest_reports(updates: list[StatusUpdate]) -> dict[int, StatusUpdate]:
    latest: dict[int, StatusUpdate] = {}
    for update in updates:  # newest first
        if update.kind == UpdateKind.PROGRESS and update.party_id is not None:
            latest.setdefault(update.party_id, update)
    return latest


def _share_rows(commitment, viewer, updates, bound: dict) -> list[ShareRow]:
    latest = _latest_reports(updates)
    whole_closed = commitment.status in (Status.CANCELLED, Status.SUPERSEDED)
    rows = []
    for share in commitment.shares:
        form = None
        if viewer.staff:  # a refused form is shown again with its errors
            form = bound.get(share.party_id) or (
                None if whole_closed else ShareStatusForm.for_share(share, staff=True)
            )
        rows.append(ShareRow(share=share, latest=latest.get(share.party_id), form=form))
    return rows


def detail_context(request: HttpRequest, commitment: Commitment, **forms) -> dict:
    """The page's context; ``forms`` are bound forms to show again with their errors:
    ``report_form``, ``status_form``, ``extension_form``, ``share_forms`` (by party id),
    ``decision_forms`` (by extension id), ``review_errors``."""
    user = request.user
    viewer = Viewer(user)
    updates = list(
        commitment.updates.select_related("author", "party", "reviewed_by").order_by(
            "-created_at", "-id"
        )
    )
    extensions = list(
        commitment.extensions.select_related("party", "requested_by", "decided_by").order_by(
            "requested_at", "id"
        )
    )
    shown = [u for u in updates if viewer.sees(u)]
    for update in shown:
        update.can_download = evidence_access.can_download(user, commitment, update)
        update.download_name = evidence_access.download_name(update) if update.can_download else ""
    open_for_work = commitment.status not in Status.closed()
    own_share = commitment.share_for(viewer.party_id) if viewer.party_id else None
    own_active = own_share is not None and own_share.is_active
    pending = [e for e in extensions if e.state == ExtensionState.PENDING]
    decision_forms = forms.get("decision_forms") or {}
    for extension in pending:
        extension.form = decision_forms.get(extension.pk) or ExtensionDecisionForm(
            auto_id=f"id_decision_{extension.pk}_%s",
            initial={"next": commitment.get_absolute_url()},
        )
    own_form = None
    if own_share is not None and not viewer.staff:
        own_form = forms.get("share_forms", {}).get(own_share.party_id) or (
            ShareStatusForm.for_share(own_share, staff=False) if open_for_work else None
        )
    return {
        "commitment": commitment,
        "today": timezone.localdate(),
        "is_staff": viewer.staff,
        "updates": shown,
        "share_rows": _share_rows(commitment, viewer, updates, forms.get("share_forms", {})),
        "own_share": own_share,
        "own_share_form": own_form,
        "extensions": [e for e in extensions if viewer.sees_share(e.party_id)],
        "pending_extensions": [e for e in pending if viewer.sees_share(e.party_id)],
        "can_report": open_for_work and (viewer.staff or own_active),
        "can_extend": open_for_work and (viewer.staff or own_active),
        "report_form": forms.get("report_form")
        or ProgressReportForm(commitment=commitment, staff=viewer.staff),
        "status_form": forms.get("status_form") or StatusForm.for_commitment(commitment),
        "extension_form": forms.get("extension_form")
        or ExtensionForm(commitment=commitment, staff=viewer.staff),
        "review_form": ReviewForm(initial={"decision": "accept"}),
        "review_errors": forms.get("review_errors"),
    }


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (or on the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def after_write(request: HttpRequest, commitment: Commitment, message: str) -> HttpResponse:
    """The page again after a write: its follow-up part for htmx, else a redirect to it."""
    messages.success(request, message)
    if request.htmx:
        fresh = get_commitment(commitment.pk)
        return render(request, "actions/_commitment_follow_up.html", detail_context(request, fresh))
    return redirect(commitment)


def rerender(request: HttpRequest, commitment: Commitment, **forms) -> HttpResponse:
    """The page again with a refused form's errors and input."""
    context = detail_context(request, commitment, **forms)
    template = (
        "actions/_commitment_follow_up.html" if request.htmx else "actions/commitment_detail.html"
    )
    # htmx swaps only 2xx answers by default; a full page says 400 for the form errors.
    return render(request, template, context, status=200 if request.htmx else 400)
