from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from actions.schedule import install_default_schedule


class Command(BaseCommand):
    help = (
        "Install the default beat schedule, of the reminders and the outbox (idempotent). "
        "Touches only its own named periodic tasks; --reset puts their default timing back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Restore the default timing.")

    def handle(self, *args, reset: bool = False, **options):
        for line in install_default_schedule(
            periodic_task=PeriodicTask,
            crontab_schedule=CrontabSchedule,
            interval_schedule=IntervalSchedule,
            reset=reset,
        ):
            self.stdout.write(line)
