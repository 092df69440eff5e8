"""The Celery application: Redis as broker, the database scheduler of django-celery-beat."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otscustoms.settings")

app = Celery("otscustoms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
