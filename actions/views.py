from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from actions.models import Commitment, Reminder, ReminderState
from parties.models import Party
from parties.permissions import is_secretariat


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
def commitment_detail(request, pk: int):
    commitment = get_object_or_404(Commitment.objects.with_related(), pk=pk)
    return render(request, "actions/commitment_detail.html", {"commitment": commitment})


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
