from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "otscustoms.outbox"
    label = "outbox"
    verbose_name = "Outbox of Celery tasks"
