"""Forms for the Secretariat's editing pages. Each carries the ``version`` it was read at, so
the service can refuse a save made against a row someone else changed meanwhile."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import AgendaItem, Decision, Meeting, Participant
from meetings.services import MEETING_FIELDS
from parties.models import Party

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.ModelForm):
    """Adds the hidden ``version`` read with the row (empty when creating)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def changes(self) -> dict:
        """The cleaned model fields, ready for a service call."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class MeetingForm(VersionedForm):
    parties = forms.ModelMultipleChoiceField(
        queryset=Party.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Parties"),
    )

    class Meta:
        model = Meeting
        fields = list(MEETING_FIELDS)
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["parties"] = list(self.instance.parties.all())

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The meeting cannot end before it starts."))
        return data


class AgendaItemForm(VersionedForm):
    class Meta:
        model = AgendaItem
        fields = ["parent", "number", "title", "order"]
        widgets = {"title": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["parent"].queryset = AgendaItem.objects.filter(meeting=meeting)


class DecisionForm(VersionedForm):
    class Meta:
        model = Decision
        fields = ["number", "agenda_item", "document", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)
        self.fields["document"].queryset = meeting.documents.all()


class ParticipantForm(VersionedForm):
    class Meta:
        model = Participant
        fields = ["party", "person", "honorific", "title", "organisation", "order", "is_head"]

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["person"].queryset = self.fields["person"].queryset.select_related("party")


def differences(form: VersionedForm, current) -> list[tuple[str, str, str]]:
    """(label, saved now, your input) for each field where the row as saved by someone else
    differs from what the user typed: what to reconcile after a refused stale edit."""
    rows = []
    for name in form._meta.fields:
        field = form.fields.get(name)
        if field is None or field.disabled or name not in form.cleaned_data:
            continue
        saved = getattr(current, name)
        typed = form.cleaned_data[name]
        if (saved or None) != (typed or None):
            rows.append((str(field.label), _readable(saved), _readable(typed)))
    return rows


def _readable(value) -> str:
    from actions.templatetags.otsweb import long_date

    if value in (None, ""):
        return "—"
    if hasattr(value, "isoformat") and not hasattr(value, "hour"):
        return long_date(value)
    return str(value)
