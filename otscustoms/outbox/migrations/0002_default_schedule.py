from django.db import migrations


def install(apps, schema_editor):
    from actions.schedule import install_default_schedule

    # Adds the outbox's periodic task; the ones already there are kept as edited.
    install_default_schedule(
        periodic_task=apps.get_model("django_celery_beat", "PeriodicTask"),
        crontab_schedule=apps.get_model("django_celery_beat", "CrontabSchedule"),
        interval_schedule=apps.get_model("django_celery_beat", "IntervalSchedule"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("actions", "0004_default_reminder_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    # Reversing leaves the schedule: it may have been edited in the admin since.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
