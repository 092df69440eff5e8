"""Meeting pages: the list, a meeting with its agenda, decisions, commitments, participants and
documents, and the Secretariat's editing pages. Writes go through ``meetings.services``."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Commitment
from actions.querysets import party_links
from meetings import services
from meetings.forms import (
    AgendaItemForm,
    DecisionForm,
    MeetingForm,
    ParticipantForm,
    differences,
)
from meetings.models import AgendaItem, Decision, Document, Meeting, Participant
from otscustoms.concurrency import StaleVersionError
from otscustoms.history import history_entries
from parties.permissions import is_secretariat, require_secretariat


def _require_staff(request: HttpRequest) -> None:
    require_secretariat(request.user, _("Only Secretariat staff may edit meetings."))


def _get_meeting(code: str, *prefetches: Prefetch) -> Meeting:
    meetings = Meeting.objects.select_related("series", "host", "chair")
    try:
        return meetings.prefetch_related(*prefetches).by_code(code)
    except (Meeting.DoesNotExist, ValueError) as exc:
        raise Http404(_("There is no meeting %(code)s.") % {"code": code}) from exc


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = (
        Meeting.objects.select_related("series", "host")
        .annotate(n_commitments=Count("commitments", distinct=True))
        .order_by("-year", "-start_date", "series__code", "-number")
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {"meetings": meetings, "today": timezone.localdate()},
    )


def _page_prefetches() -> list[Prefetch]:
    """What the meeting page shows besides the meeting, each list ordered within the one
    meeting: the models' orderings start with the meeting, which would join it and its
    series to sort one meeting's rows."""
    # Plain lists (to_attr), which the template and Commitment.responsible read; the cards
    # show the responsible parties and nothing else related to a commitment.
    commitments = Prefetch(
        "commitments",
        queryset=Commitment.objects.in_register_order().prefetch_related(party_links()),
        to_attr="commitment_list",
    )
    return [
        Prefetch(
            "decisions",
            queryset=Decision.objects.order_by("number").prefetch_related(commitments),
            to_attr="decision_list",
        ),
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.order_by("order", "id"),
            to_attr="agenda_list",
        ),
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related("party", "person").order_by(
                "party__order", "party__name", "order"
            ),
            to_attr="participant_list",
        ),
        # Not the full text, addressees or signatories: the page lists the documents only.
        # The meeting stays: the prefetch matches each document to it by that column.
        Prefetch(
            "documents",
            queryset=Document.objects.only(
                "meeting", "key", "type", "title", "annex", "date", "reference"
            ).order_by("order", "id"),
            to_attr="document_list",
        ),
    ]


@login_required
def meeting_detail(request: HttpRequest, code: str) -> HttpResponse:
    meeting = _get_meeting(code, *_page_prefetches())
    by_item: dict[int | None, list[Decision]] = {}
    for decision in meeting.decision_list:
        by_item.setdefault(decision.agenda_item_id, []).append(decision)
    for item in meeting.agenda_list:
        item.taken = by_item.get(item.pk, [])
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": meeting.agenda_list,
            "unassigned": by_item.get(None, []),
            "delegations": [
                (party, list(members))
                for party, members in groupby(meeting.participant_list, key=lambda p: p.party)
            ],
            "documents": meeting.document_list,
            "today": timezone.localdate(),
            "is_staff": is_secretariat(request.user),
        },
    )


@login_required
def document_text(request: HttpRequest, code: str, key: str) -> HttpResponse:
    meeting = _get_meeting(code)
    document = get_object_or_404(Document, meeting=meeting, key=key)
    return render(
        request, "meetings/document_text.html", {"meeting": meeting, "document": document}
    )


def _edit(
    request: HttpRequest,
    *,
    form: MeetingForm | AgendaItemForm | DecisionForm | ParticipantForm,
    save: Callable[..., object],
    title: str,
    back: str,
    success: str,
    extra: Callable[[object], dict] | None = None,
) -> HttpResponse:
    """The shared edit cycle: validate, call the service, keep the input on any refusal."""
    saved_now = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except StaleVersionError as exc:
            form.add_error(
                None,
                _(
                    "Not saved: someone else changed this record while you were editing it "
                    "(you started from version %(expected)s, it is now at version "
                    "%(current)s). Your input is kept below; compare it with what they "
                    "saved, then save again to apply it."
                )
                % {"expected": exc.expected, "current": exc.current},
            )
            saved_now = differences(form, exc.instance)
            # The form now carries the version just seen, so that saving again (after
            # comparing) applies the user's input on purpose, never by accident.
            form.data = form.data.copy()
            form.data["version"] = exc.current
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, success)
            return redirect(saved.get_absolute_url() if isinstance(saved, Meeting) else back)
    return render(
        request,
        "meetings/edit_form.html",
        {"form": form, "title": title, "back": back, "saved_now": saved_now},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = MeetingForm(request.POST or None)

    def save(form):
        return services.meeting_create(
            user=request.user, parties=list(form.cleaned_data["parties"]), **form.changes()
        )

    return _edit(
        request,
        form=form,
        save=save,
        title=_("New meeting"),
        back=reverse("meetings:list"),
        success=_("The meeting was created."),
    )


@login_required
def meeting_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require_staff(request)
    meeting = _get_meeting(code)
    form = MeetingForm(request.POST or None, instance=_get_meeting(code))

    def save(form):
        return services.meeting_update(
            meeting=meeting,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            parties=list(form.cleaned_data["parties"]),
            **form.changes(),
        )

    return _edit(
        request,
        form=form,
        save=save,
        title=_("Edit %(meeting)s") % {"meeting": meeting.code},
        back=meeting.get_absolute_url(),
        success=_("The meeting was saved."),
    )


# Agenda items, decisions and participants: one create and one edit view each, same cycle.
PARTS = {
    "agenda": (AgendaItem, AgendaItemForm, "agenda_item", _("agenda item")),
    "decisions": (Decision, DecisionForm, "decision", _("decision")),
    "participants": (Participant, ParticipantForm, "participant", _("participant")),
}


def _part(kind: str):
    if kind not in PARTS:
        raise Http404(_("Unknown part of a meeting: %(kind)s") % {"kind": kind})
    return PARTS[kind]


@login_required
def part_create(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    _require_staff(request)
    meeting = _get_meeting(code)
    model, form_class, name, label = _part(kind)
    form = form_class(request.POST or None, meeting=meeting)
    create = getattr(services, f"{name}_create")

    def save(form):
        return create(user=request.user, meeting=meeting, **form.changes())

    return _edit(
        request,
        form=form,
        save=save,
        title=_("New %(part)s — %(meeting)s") % {"part": label, "meeting": meeting.code},
        back=meeting.get_absolute_url(),
        success=_("Saved."),
    )


@login_required
def part_edit(request: HttpRequest, code: str, kind: str, pk: int) -> HttpResponse:
    _require_staff(request)
    meeting = _get_meeting(code)
    model, form_class, name, label = _part(kind)
    instance = get_object_or_404(model, meeting=meeting, pk=pk)
    form = form_class(request.POST or None, instance=model.objects.get(pk=pk), meeting=meeting)
    update = getattr(services, f"{name}_update")

    def save(form):
        return update(
            **{name: instance},
            user=request.user,
            expected_version=form.cleaned_data["version"],
            **form.changes(),
        )

    return _edit(
        request,
        form=form,
        save=save,
        title=_("Edit %(part)s — %(meeting)s") % {"part": label, "meeting": meeting.code},
        back=meeting.get_absolute_url(),
        success=_("Saved."),
    )


@login_required
def meeting_history(request: HttpRequest, code: str) -> HttpResponse:
    _require_staff(request)
    meeting = _get_meeting(code)
    return render(
        request,
        "history.html",
        {
            "object": meeting,
            "title": _("History of %(meeting)s") % {"meeting": meeting.code},
            "back": meeting.get_absolute_url(),
            "entries": history_entries(meeting),
        },
    )


@login_required
def part_history(request: HttpRequest, code: str, kind: str, pk: int) -> HttpResponse:
    _require_staff(request)
    meeting = _get_meeting(code)
    model, _form, _name, label = _part(kind)
    instance = get_object_or_404(model, meeting=meeting, pk=pk)
    return render(
        request,
        "history.html",
        {
            "object": instance,
            "title": _("History of %(part)s “%(name)s”") % {"part": label, "name": instance},
            "back": meeting.get_absolute_url(),
            "entries": history_entries(instance),
        },
    )
