from django.db import migrations


def install(apps, schema_editor):
    from actions.schedule import install_default_schedule

    install_default_schedule(
        periodic_task=apps.get_model("django_celery_beat", "PeriodicTask"),
        crontab_schedule=apps.get_model("django_celery_beat", "CrontabSchedule"),
        interval_schedule=apps.get_model("django_celery_beat", "IntervalSchedule"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0003_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    # Reversing leaves the schedule: it may have been edited in the admin since.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
