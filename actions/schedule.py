"""The default beat schedule. Installed by a data migration (so `migrate` alone is enough) and
by `manage.py setup_schedule`; both touch only the periodic tasks named here, never others."""

from __future__ import annotations

import json

from django.conf import settings

DAILY = "otscustoms: deadline reminders and daily digest"
RETRY = "otscustoms: retry undelivered reminders"
OUTBOX = "otscustoms: send the tasks the broker could not take"


def install_default_schedule(
    *, periodic_task, crontab_schedule, interval_schedule, reset: bool = False
) -> list[str]:
    """Create the named tasks if missing. With ``reset``, also put back their default timing
    and enable them. Models are passed in so the migration can give its historical ones."""
    daily, _ = crontab_schedule.objects.get_or_create(
        minute="0",
        hour=str(settings.REMINDER_SEND_HOUR),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    every_10_min, _ = interval_schedule.objects.get_or_create(every=10, period="minutes")
    every_minute, _ = interval_schedule.objects.get_or_create(every=1, period="minutes")
    wanted = {
        DAILY: {"task": "actions.sweep_reminders", "crontab": daily, "interval": None},
        RETRY: {"task": "actions.requeue_undelivered", "crontab": None, "interval": every_10_min},
        # A change notification waits at most a minute more once the broker is back.
        OUTBOX: {"task": "outbox.drain", "crontab": None, "interval": every_minute},
    }
    done = []
    for name, fields in wanted.items():
        defaults = {**fields, "args": json.dumps([]), "enabled": True}
        task, created = periodic_task.objects.get_or_create(name=name, defaults=defaults)
        if created:
            done.append(f"created {name}")
        elif reset:
            for field, value in defaults.items():
                setattr(task, field, value)
            task.save()
            done.append(f"reset {name}")
        else:
            done.append(f"kept {name} (as edited in the admin)")
    return done
