"""Forms of the commitment pages: filters, progress reports, reviews, status, editing."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from actions.models import Commitment, Role, Status
from meetings.forms import DATE_WIDGET, VersionedForm
from meetings.models import Meeting, meeting_code
from parties.models import Party

STATUS_FILTER_CHOICES = [
    ("", _("Any status")),
    ("active", _("Still to do")),
    ("overdue", _("Overdue")),
    ("closed", _("Done or closed")),
    *Status.choices,
]


RECENT_MEETINGS = 50
MEETING_CODE = re.compile(r"[A-Z0-9]{1,12}-[0-9]{1,6}")


class PlainInput:
    """An <input> written with format_html as Django's widgets/input.html writes it, without
    rendering that template and its attrs include (~0.3 ms a field, issue 8)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        value = "" if value is None else format_html(' value="{}"', value)
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            value,
            _attrs(widget["attrs"]),
        )


class PlainTextInput(PlainInput, forms.TextInput):
    pass


class PlainDateInput(PlainInput, forms.DateInput):
    pass


class MeetingCodeInput(PlainInput, forms.TextInput):
    """A text input with a ``<datalist>`` of suggested meeting codes (read when rendered)."""

    suggestions = staticmethod(lambda: [])

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-codes"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        list_id = f"{(attrs or {}).get('id', 'id_' + name)}-codes"
        options = format_html_join("", '<option value="{}">', ((c,) for c in self.suggestions()))
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, options)


def _attrs(attrs: dict) -> str:
    """As Django's widgets/attrs.html writes them: ``name="value"``, a bare name for True."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class PlainSelect(forms.Select):
    """A <select> written with format_html instead of one template include per <option>:
    the filter form's ~45 options were ~5 ms of the filtered list page (issue 8). Flat
    choices only (no optgroups), as the filter form has."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], _attrs(option["attrs"]), option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>', widget["name"], _attrs(widget["attrs"]), options
        )


# The date fields of the filter form: DATE_WIDGET, written without templates.
FILTER_DATE = PlainDateInput(
    attrs={**DATE_WIDGET.attrs, "type": DATE_WIDGET.input_type}, format=DATE_WIDGET.format
)


class CommitmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=PlainTextInput)
    party = forms.ChoiceField(label=_("Party"), required=False, widget=PlainSelect)
    role = forms.ChoiceField(
        label=_("As"),
        required=False,
        choices=[("", _("Responsible or partner")), *Role.choices],
        widget=PlainSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=STATUS_FILTER_CHOICES, widget=PlainSelect
    )
    meeting = forms.CharField(
        label=_("Meeting"),
        required=False,
        max_length=24,
        widget=MeetingCodeInput(attrs={"placeholder": "HCA-9", "autocomplete": "off"}),
    )
    due_from = forms.DateField(label=_("Due from"), required=False, widget=FILTER_DATE)
    due_to = forms.DateField(label=_("Due until"), required=False, widget=FILTER_DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Plain values, not model instances (a fifth of the form's time, issue 8).
        self.fields["party"].choices = [
            ("", _("Any party")),
            *Party.objects.order_by("order", "name").values_list("code", "name"),
        ]
        # A list of every meeting would grow with the register (2,000 options at 100,000
        # commitments); the field takes any code and suggests the most recent ones.
        self.fields["meeting"].widget.suggestions = lambda: [
            meeting_code(series, number)
            for series, number in Meeting.objects.values_list("series__code", "number")[
                :RECENT_MEETINGS
            ]
        ]

    def clean_meeting(self) -> str:
        code = self.cleaned_data["meeting"].strip().upper()
        if not code:
            return ""
        if not MEETING_CODE.fullmatch(code):
            raise forms.ValidationError(
                _("“%(code)s” is not a meeting code: write the series and number, as HCA-9."),
                params={"code": code},
            )
        series, _sep, number = code.rpartition("-")
        if not Meeting.objects.filter(series__code=series, number=int(number)).exists():
            raise forms.ValidationError(
                _("No meeting %(code)s in the register."), params={"code": code}
            )
        return code

    def clean(self):
        data = super().clean()
        start, end = data.get("due_from"), data.get("due_to")
        if start and end and end < start:
            self.add_error("due_to", _("“Due until” is before “Due from”."))
        return data

    def params(self) -> dict[str, str]:
        """Valid filters as strings, for ``actions.selectors.filter_commitments``."""
        if not self.is_valid():
            return {}
        return {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in self.cleaned_data.items()
            if v
        }


class ProgressReportForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachment = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("A document or scan, up to %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB},
    )
    submit_for_review = forms.BooleanField(
        label=_("The commitment is fulfilled: submit it for the Secretariat's review"),
        required=False,
    )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and upload.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}
            )
        return upload

    def clean(self):
        data = super().clean()
        if not (data.get("note") or "").strip() and not data.get("attachment"):
            self.add_error("note", _("Write what was done, or attach the evidence."))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for more information"))],
        widget=forms.RadioSelect,
    )
    mark_done = forms.BooleanField(label=_("Mark the commitment as done"), required=False)
    note = forms.CharField(label=_("Note to the delegation"), required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    note = forms.CharField(label=_("Reason"), required=False)
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
