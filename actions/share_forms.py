"""Forms of a party's share of a commitment and of deadline extensions, on the commitment's
page: a share's status, a request for more time (or the Secretariat's extension), and the
Secretariat's decision on a request."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from actions.models import (
    DELEGATION_SHARE_TRANSITIONS,
    SHARE_TRANSITIONS,
    Commitment,
    CommitmentParty,
    ShareStatus,
)
from meetings.forms import DATE_WIDGET
from otscustoms.limits import NOTE_MAX
from parties.models import Party


class ShareStatusForm(forms.Form):
    """One party's share moved to a new status. Any share status is accepted: the service
    says what may follow what, and a stale version is answered as such rather than as a bad
    choice. The select offers what may follow the share's status for the one who acts."""

    status = forms.ChoiceField(label=_("New status"), choices=ShareStatus.choices)
    note = forms.CharField(label=_("Reason"), required=False, max_length=NOTE_MAX)
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_share(cls, share: CommitmentParty, *, staff: bool, data=None) -> ShareStatusForm | None:
        """The form of ``share``, or None when nothing may follow its status."""
        machine = SHARE_TRANSITIONS if staff else DELEGATION_SHARE_TRANSITIONS
        allowed = machine.get(share.status, set())
        if not allowed:
            return None
        form = cls(
            data, auto_id=f"id_share_{share.party.code}_%s", initial={"version": share.version}
        )
        # No status chosen for the user: a click on the button alone changes nothing.
        form.fields["status"].widget.choices = [
            ("", _("Choose a status…")),
            *((value, label) for value, label in ShareStatus.choices if value in allowed),
        ]
        if staff:
            # In the table of shares the field's label is read by screen readers only.
            form.fields["note"].widget.attrs["placeholder"] = _("reason (optional)")
        return form


class ExtensionForm(forms.Form):
    """More time: from a delegation for its own share (a request), from the Secretariat for
    the whole commitment or one party's share (applied at once)."""

    party = forms.ChoiceField(label=_("For"), required=False)
    deadline = forms.DateField(label=_("New deadline"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, commitment: Commitment, staff: bool, **kwargs):
        kwargs.setdefault("auto_id", "id_extension_%s")
        super().__init__(*args, **kwargs)
        self.commitment = commitment
        if staff:
            self.fields["party"].choices = [
                ("", _("The whole commitment")),
                *((share.party.code, share.party.name) for share in commitment.shares),
            ]
        else:
            del self.fields["party"]  # a delegation asks for its own share only

    def chosen_party(self) -> Party | None:
        """The party whose share is extended (read with the commitment), or None."""
        code = self.cleaned_data.get("party")
        share = next((s for s in self.commitment.shares if s.party.code == code), None)
        return share.party if share is not None else None


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note to the delegation"), required=False, max_length=NOTE_MAX)
    # Where the decision was taken: the commitment's page or the list of what awaits the
    # Secretariat.
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"
