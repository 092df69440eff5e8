"""Deadline reminders and change notifications, each sent exactly once (see README,
"Reminders"). Three steps, each safe to run twice or concurrently:

1. ``sweep(today=...)`` (the daily beat task, ``sweep.py``) works out which reminders fall due
   today — one per responsible party's unfinished share, by its effective deadline (the rules
   are in ``rules.py``) — and records them as ``Reminder`` rows, then hands the recipients with
   undelivered rows to workers, in batches, after commit.
2. ``deliver_to`` (``delivery.py``) claims a recipient's rows, commits the claim, sends ONE
   email with all of them (written by ``messages.py``), then marks them sent.
3. ``notify_change`` (``notify.py``) records the change notices of a write in its own
   transaction; they go out after it commits.

Callers use this package's names; the modules are its parts."""

from actions.reminders.delivery import claim, deliver_batch, deliver_to
from actions.reminders.messages import (
    build_message,
    change_headline,
    commitment_label,
    deadline_correction_note,
    overdue_by_party,
)
from actions.reminders.notify import notify_change
from actions.reminders.rules import (
    CHANGE_KIND,
    MONTH_START_PRECISIONS,
    SUMMARY_KIND,
    due_dates,
    reminder_kinds,
)
from actions.reminders.sweep import (
    Planned,
    SweepResult,
    claimable,
    plan,
    queue_delivery,
    remindable_shares,
    requeue_undelivered,
    staff_users,
    sweep,
    undelivered_batches,
)

__all__ = [
    "CHANGE_KIND",
    "MONTH_START_PRECISIONS",
    "SUMMARY_KIND",
    "Planned",
    "SweepResult",
    "build_message",
    "change_headline",
    "claim",
    "claimable",
    "commitment_label",
    "deadline_correction_note",
    "deliver_batch",
    "deliver_to",
    "due_dates",
    "notify_change",
    "overdue_by_party",
    "plan",
    "queue_delivery",
    "remindable_shares",
    "reminder_kinds",
    "requeue_undelivered",
    "staff_users",
    "sweep",
    "undelivered_batches",
]
