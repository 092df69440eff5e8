"""Forms of the commitment pages: filters, progress reports, reviews, status, editing."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from actions.evidence import check_evidence
from actions.models import Commitment, Status
from meetings.forms import DATE_WIDGET, VersionedForm
from meetings.models import Meeting
from otscustoms.idempotency import validate_key
from otscustoms.limits import NOTE_MAX
from parties.models import Party


class ProgressReportForm(forms.Form):
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
        label=_("The commitment is fulfilled: submit it for the Secretariat's review"),
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


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    note = forms.CharField(label=_("Reason"), required=False, max_length=NOTE_MAX)
    version = forms.IntegerField(widget=forms.HiddenInput)


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
        return data

    def changes(self) -> dict:
        fields = [f for f in self._meta.fields if f != "meeting"]
        return {name: self.cleaned_data[name] for name in fields}
