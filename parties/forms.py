from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parties.models import Membership


class NotificationPreferencesForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["receive_reminders", "notification_mode"]
        labels = {
            "receive_reminders": _("Send me deadline reminders"),
            "notification_mode": _("Tell me about changes"),
        }
        help_texts = {
            "receive_reminders": _(
                "30, 7 and 1 days before each deadline of my delegation, on the day, then weekly "
                "while it is overdue — all in one email a day."
            ),
            "notification_mode": _(
                "Progress reports, reviews, status changes and moved deadlines on the "
                "commitments I follow: an email as each happens, or one digest the next morning."
            ),
        }
        widgets = {"notification_mode": forms.RadioSelect}
