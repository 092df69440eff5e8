"""Forms of the commitment pages: progress reports, reviews, status, editing. The forms of a
party's share and of deadline extensions are in ``actions.share_forms``."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from actions.evidence import check_evidence
from actions.models import Commitment, Status
from actions.templatetags.otsweb import long_date
from meetings.forms import DATE_WIDGET, VersionedForm
from meetings.models import Meeting
from otscustoms.idempotency import validate_key
from otscustoms.limits import NOTE_MAX
from parties.models import Party


class ProgressReportForm(forms.Form):
    """A delegation reports on its own share; the Secretariat may report on a party's behalf
    (a report received by other means), naming that party."""

    party = forms.ChoiceField(label=_("On behalf of"), required=False)
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachment = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("A PDF, office document, image, plain text or ZIP archive, up to %(mb)s MB.")
        % {"mb": settings.MAX_UPLOAD_MB},
    )
    submit_for_review = forms.BooleanField(
        label=_("Your party's share is fulfilled: submit it for the Secretariat's review"),
        required=False,
    )
    # A new key each time the form is shown: a double click, or a form sent again after a
    # lost answer, makes one report (services.progress_report_create).
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        validators=[validate_key],
        initial=lambda: uuid.uuid4().hex,
    )

    def __init__(self, *args, commitment: Commitment | None = None, staff: bool = False, **kw):
        super().__init__(*args, **kw)
        if staff and commitment is not None:
            self.commitment = commitment
            self.fields["party"].choices = [
                ("", _("The whole commitment")),
                *((share.party.code, share.party.name) for share in commitment.shares),
            ]
            self.fields["submit_for_review"].label = _(
                "The party's share is fulfilled: mark it submitted for review"
            )
        else:
            del self.fields["party"]  # a delegation reports on its own share

    def party_id(self) -> int | None:
        """The party the Secretariat reports for (read with the commitment), or None."""
        code = self.cleaned_data.get("party")
        if not code:
            return None
        return next((s.party_id for s in self.commitment.shares if s.party.code == code), None)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_evidence(upload)
        return upload

    def clean(self):
        data = super().clean()
        if not (data.get("note") or "").strip() and not data.get("attachment"):
            self.add_error("note", _("Write what was done, or attach the evidence."))
        return data


class ShareForm(forms.Form):
    """The Secretariat shares a report's evidence with all delegations, or stops sharing."""

    shared = forms.BooleanField(required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for more information"))],
        widget=forms.RadioSelect,
    )
    mark_done = forms.BooleanField(label=_("Mark the commitment as done"), required=False)
    note = forms.CharField(label=_("Note to the delegation"), required=False, max_length=NOTE_MAX)


# What the Secretariat decides on a whole commitment, by its status now; every other status is
# its shares' (actions.share_forms.ShareStatusForm).
WHOLE_CHOICES = {
    "active": [
        (Status.DONE, _("Mark every share done")),
        (Status.CANCELLED, _("Cancel the whole commitment")),
        (Status.SUPERSEDED, _("Superseded: replaced by another commitment")),
    ],
    Status.DONE: [(Status.IN_PROGRESS, _("Reopen: every done share back in progress"))],
    Status.CANCELLED: [(Status.OPEN, _("Reopen the commitment"))],
    Status.SUPERSEDED: [(Status.OPEN, _("Reopen the commitment"))],
}


class StatusForm(forms.Form):
    """A status for the whole commitment. Any status is accepted (the service says what may
    follow what, and a stale version is answered as such rather than as a bad choice); the
    Secretariat's page offers only the decisions on the whole (``for_commitment``)."""

    status = forms.ChoiceField(label=_("Decision on the whole commitment"), choices=Status.choices)
    note = forms.CharField(label=_("Reason"), required=False, max_length=NOTE_MAX)
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_commitment(cls, commitment: Commitment, data=None) -> StatusForm:
        form = cls(data, auto_id="id_whole_%s", initial={"version": commitment.version})
        key = "active" if commitment.status in Status.active() else commitment.status
        # No decision chosen for the user: a click on the button alone changes nothing.
        form.fields["status"].widget.choices = [("", _("Choose a decision…")), *WHOLE_CHOICES[key]]
        return form


class CommitmentForm(VersionedForm):
    responsible = forms.ModelMultipleChoiceField(
        label=_("Responsible parties"),
        queryset=Party.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=Party.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Commitment
        fields = [
            "meeting",
            "reference",
            "decision",
            "action",
            "responsible_text",
            "deadline_text",
            "deadline",
            "deadline_precision",
            "due_meeting",
            "due_event",
        ]
        widgets = {"action": forms.Textarea(attrs={"rows": 3}), "deadline": DATE_WIDGET}
        # The model's help texts are bare examples; on a form they read better as such.
        help_texts = {
            "responsible_text": _("As the documents say it, e.g. “Turkish side”."),
            "deadline_text": _("As the documents say it, e.g. “by 1 March 2024”."),
            "due_event": _(
                "When due at an event rather than a date, e.g. “next meeting of the HCA”."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = Meeting.objects.select_related("series")
        self.fields["meeting"].queryset = meetings
        self.fields["due_meeting"].queryset = meetings
        self.fields["decision"].queryset = self.fields["decision"].queryset.select_related(
            "meeting__series"
        )
        if self.instance.pk:
            # The meeting a commitment was agreed at does not change; it names its reference.
            self.fields["meeting"].disabled = True
            # The form corrects the deadline as agreed (the service writes it there); the
            # effective one moves only by an extension, recorded on the commitment's page.
            self.initial["deadline"] = self.instance.agreed_deadline
            self.initial["deadline_precision"] = self.instance.agreed_precision
            if self.instance.is_extended:
                self.fields["deadline"].help_text = _(
                    "As agreed at the meeting. It was extended to %(date)s; extensions are "
                    "recorded on the commitment's page."
                ) % {"date": long_date(self.instance.deadline)}
            if not self.is_bound:
                self.initial["responsible"] = self.instance.responsible
                self.initial["partners"] = self.instance.partners

    def clean(self):
        data = super().clean()
        if data.get("deadline") and not data.get("deadline_precision"):
            self.add_error("deadline_precision", _("Say how precise the deadline is."))
        both = set(data.get("responsible") or []) & set(data.get("partners") or [])
        if both:
            self.add_error(
                "partners",
                _("%(names)s cannot be both responsible and partner.")
                % {"names": ", ".join(p.name for p in both)},
            )
        self._check_phrase_follows_date(data)
        return data

    def _check_phrase_follows_date(self, data: dict) -> None:
        """A new date under the old phrase would print "30 June 2025 / by 1 March 2024": more
        time is an extension, and a corrected date needs its corrected phrase."""
        agreed = self.instance.agreed_deadline if self.instance.pk else None
        phrase = self.instance.deadline_text if self.instance.pk else ""
        if not phrase or "deadline" not in data or data["deadline"] == agreed:
            return
        if (data.get("deadline_text") or "").strip() == phrase.strip():
            self.add_error(
                "deadline",
                _(
                    "The date changed but the deadline as written still says “%(phrase)s”. "
                    "To give more time, record an extension on the commitment's page (the "
                    "agreed deadline stays as agreed); to correct a wrong date, correct the "
                    "deadline as written too."
                )
                % {"phrase": phrase},
            )

    def changes(self) -> dict:
        fields = [f for f in self._meta.fields if f != "meeting"]
        return {name: self.cleaned_data[name] for name in fields}
