"""Redis stopped: the site still signs people in and serves them from the database.

"Stopped" is a Redis URL on a port where nothing listens (connections are refused), for the
cache and the broker alike; the other tests of the run keep the real Redis."""

from __future__ import annotations

import contextlib
import os
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from actions import selectors
from tests.factories import CommitmentFactory, PartyFactory, delegate, staff

STOPPED = "redis://127.0.0.1:1/0"


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
