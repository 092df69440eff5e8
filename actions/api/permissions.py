"""Who may write what over REST (docs/design.md, 'Who may do what'). The services check the same
rules again; checking here first means a forbidden write gets 403 before its body is judged."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from actions.models import UpdateKind
from actions.services import can_report_on
from actions.shares import can_act_on_share
from parties.permissions import is_secretariat, user_party_id


class CommitmentWritePermission(BasePermission):
    """Reads: anyone signed in. Status changes and progress reports: the Secretariat, or a
    member of a delegation responsible for the commitment. Edits: the Secretariat only."""

    staff_actions = frozenset({"partial_update", "review"})

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        action = getattr(view, "action", None)
        if action in self.staff_actions:
            self.message = getattr(view, "staff_only_messages", {}).get(
                action, "Only Secretariat staff may edit a commitment."
            )
            return is_secretariat(request.user)
        self.message = getattr(
            view,
            "responsible_only_message",
            "You may report progress and change the status only of commitments your "
            "delegation is responsible for.",
        )
        return can_report_on(request.user, obj)


def require_share_access(user, share) -> None:
    """A delegation acts on its own party's share only; the Secretariat on every share."""
    if not can_act_on_share(user, share.party_id):
        raise PermissionDenied(
            _("Your delegation may act only on its own party's share, not on %(party)s's.")
            % {"party": share.party.name}
        )


def updates_visible_to(user) -> Q:
    """The updates of a commitment ``user`` may read, as its page shows them: progress reports
    and the whole commitment's updates are everyone's; the rest of a share's history (its
    status changes, reviews, deadline requests and decisions) is the Secretariat's and that
    party's, so a note returning one party's report is not read by the others."""
    if is_secretariat(user):
        return Q()
    visible = Q(kind=UpdateKind.PROGRESS) | Q(party__isnull=True)
    party_id = user_party_id(user)
    return visible | Q(party_id=party_id) if party_id is not None else visible
