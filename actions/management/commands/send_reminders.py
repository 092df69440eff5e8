import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from actions import reminders
from actions.models import Reminder, reminder_kind_label


class Command(BaseCommand):
    help = (
        "Record the reminders due today and send them now, synchronously (the beat task's "
        "code path, for cron users). --dry-run only prints what would be sent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="Write and send nothing.")

    def handle(self, *args, today=None, dry_run=False, **options):
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today {today!r} is not a date like 2024-03-01.") from None
        else:
            from django.utils import timezone

            day = timezone.localdate()
        result = reminders.sweep(today=day, dry_run=dry_run, queue=False)
        users = get_user_model().objects.in_bulk({p.recipient_id for p in result.planned})
        verb = "would record" if dry_run else "due"
        for p in sorted(result.planned, key=lambda p: (p.recipient_id, p.kind)):
            user = users[p.recipient_id]
            what = f"commitment {p.commitment_id}" if p.commitment_id else "the overdue summary"
            partner = " (as partner)" if p.role == "partner" else ""
            self.stdout.write(
                f"{day} {verb}: {user.get_username()} <{user.email}>{partner}: "
                f"{reminder_kind_label(p.kind)}, {what}"
            )
        if dry_run:
            pending = Reminder.objects.filter(reminders.claimable(), due_on__lte=day)
            self.stdout.write(
                f"Dry run: {len(result.planned)} reminder(s) due today; "
                f"{pending.count()} recorded earlier still to deliver. Nothing written or sent."
            )
            return
        sent = 0
        for delivery, recipient_ids in result.queued:
            sent += reminders.deliver_batch(
                recipient_ids=recipient_ids, delivery=delivery, today=day
            )
        self.stdout.write(
            f"{len(result.planned)} reminder(s) due today (each recorded once, however often "
            f"this runs); {sent} email(s) sent."
        )
