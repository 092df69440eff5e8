"""Writes on a user's delegation membership: views and the admin change it through these."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from parties.models import Membership, NotificationMode


def membership_set_notifications(
    *, membership: Membership, receive_reminders: bool, notification_mode: str
) -> Membership:
    """How this member hears about deadlines and changes; read by ``actions.reminders`` at the
    next sweep (reminders) and at the next change (notifications)."""
    if notification_mode not in NotificationMode.values:
        raise ValidationError(
            {"notification_mode": f"Unknown notification mode {notification_mode!r}."}
        )
    membership.receive_reminders = receive_reminders
    membership.notification_mode = notification_mode
    # Only these two: the party is the Secretariat's to change, not the member's.
    membership.save(update_fields=["receive_reminders", "notification_mode"])
    return membership
