"""Redis stopped: the site still signs people in and serves them from the database, a write
that committed answers success at once, its tasks wait in the outbox until the broker is
back, and /healthz says what is missing.

"Stopped" is a Redis URL on a port where nothing listens (connections are refused), for the
cache and the broker alike; the other tests of the run keep the real Redis."""

from __future__ import annotations

import contextlib
import os
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from actions import selectors
from actions.models import Reminder, ReminderState, StatusUpdate
from otscustoms.outbox import services as outbox
from otscustoms.outbox.models import OutboxMessage
from parties.models import Membership, NotificationMode
from tests.celery_helpers import wait_for
from tests.factories import CommitmentFactory, PartyFactory, delegate, staff

STOPPED = "redis://127.0.0.1:1/0"
# Celery's defaults retried the broker and its result store for about 20 s; the outbox's
# single try is refused at once. Generous, so that a slow machine never fails it.
AT_ONCE = 10


@contextlib.contextmanager
def redis_stopped():
    """The cache and the broker pointed at STOPPED. The cache's clients are rebuilt on the
    settings change (Django resets its cache handlers); Celery reads CELERY_BROKER_URL from
    the environment for every connection, before its own configuration."""
    backend = settings.CACHES["default"]
    assert backend["BACKEND"] == "django_redis.cache.RedisCache", "the run needs REDIS_URL"
    with (
        override_settings(CACHES={"default": {**backend, "LOCATION": STOPPED}}),
        mock.patch.dict(os.environ, {"CELERY_BROKER_URL": STOPPED}),
    ):
        yield


@pytest.fixture
def turkey(db):
    return PartyFactory(code="TR", name="Türkiye")


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def report(api: APIClient, commitment, note: str = "Draft sent to capitals", **headers):
    return api.post(
        f"/api/v1/commitments/{commitment.pk}/updates/", {"note": note}, headers=headers
    )


def test_sign_in_pages_and_api_are_served_from_the_database(client, turkey):
    user = delegate(turkey)
    CommitmentFactory(responsible=[turkey])
    with redis_stopped():
        assert cache.get("anything") is None  # a miss, not an error
        signed_in = client.post("/accounts/login/", {"username": user.username, "password": "pw"})
        assert signed_in.status_code == 302 and signed_in["Location"] == "/"
        for url in ("/", "/commitments/", "/api/v1/commitments/"):
            assert client.get(url).status_code == 200, url
    # The session was written to the database: it outlives the outage.
    assert client.get("/commitments/").status_code == 200


def test_staff_home_counts_are_computed_afresh(client, turkey, django_capture_on_commit_callbacks):
    client.force_login(staff())
    commitment = CommitmentFactory(responsible=[turkey])
    with redis_stopped():
        assert selectors.register_generation() == 0
        with django_capture_on_commit_callbacks(execute=True):
            commitment.delete()  # moves the generation: add and incr on a cache that is gone
        assert client.get("/").status_code == 200


def test_a_report_answers_201_at_once_and_is_stored_once(
    turkey, _media, django_capture_on_commit_callbacks
):
    PartyFactory(code="OTS", kind="secretariat")
    staff("boss")  # told immediately: a task to queue after the commit
    commitment = CommitmentFactory(responsible=[turkey])
    api = APIClient()
    api.force_login(delegate(turkey))
    with redis_stopped(), django_capture_on_commit_callbacks(execute=True):
        started = time.monotonic()
        response = report(api, commitment)
        elapsed = time.monotonic() - started
    assert response.status_code == 201, response.content
    assert elapsed < AT_ONCE
    assert StatusUpdate.objects.filter(commitment=commitment).count() == 1
    (waiting,) = OutboxMessage.objects.all()
    assert waiting.task == "actions.deliver_reminders" and waiting.sent_at is None
    assert waiting.attempts == 1 and "OperationalError" in waiting.error


def test_healthz_names_what_is_down(client, db):
    assert client.get("/healthz").json() == {"database": "ok", "cache": "ok", "broker": "ok"}
    with redis_stopped():
        started = time.monotonic()
        response = client.get("/healthz")
        assert time.monotonic() - started < AT_ONCE
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "down", "broker": "down"}


def test_healthz_without_redis_uses_the_local_cache_and_broker(client, db):
    # The settings without REDIS_URL: the local-memory cache, and Celery's in-memory broker
    # (`make run` gives it a folder instead).
    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with (
        override_settings(CACHES=local),
        mock.patch.dict(os.environ, {"CELERY_BROKER_URL": "memory://"}),
    ):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "ok"}


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_notification_goes_out_once_the_broker_is_back(workers, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    turkey = PartyFactory(code="TR", name="Türkiye")
    boss = staff("boss")
    ots = PartyFactory(code="OTS", kind="secretariat")
    Membership.objects.create(user=boss, party=ots, notification_mode=NotificationMode.IMMEDIATE)
    commitment = CommitmentFactory(responsible=[turkey])
    api = APIClient()
    api.force_login(delegate(turkey))
    with redis_stopped():
        assert report(api, commitment).status_code == 201  # committed: on_commit ran for real
    (change,) = Reminder.objects.filter(kind="change")
    assert change.state == ReminderState.PENDING
    assert OutboxMessage.objects.get().sent_at is None

    workers.start("back")
    assert outbox.drain() == 1
    wait_for(lambda: Reminder.objects.filter(state=ReminderState.SENT).count() == 1, what="mail")
    (mail,) = workers.sent()
    assert mail["To"] == boss.email
    assert OutboxMessage.objects.get().sent_at is not None
    assert outbox.drain() == 0  # nothing left to send, nothing sent twice
