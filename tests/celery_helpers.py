"""Real Celery workers (subprocesses) against the real Redis and the test database, shared by
the integration tests of reminders and printed reports.

They need REDIS_URL and a PostgreSQL DATABASE_URL, and FAIL without them: CI sets both, and
when they are unset the test run starts its own (tests/services.py); the workers inherit the
run's environment, so they use the same servers. The workers share the test database (the
tests are transactional, so what a test writes is committed and what a worker writes is
visible to it). Every worker sends email with a backend writing one file per message, so a
test can count what really went out.

The fixtures ``broker`` and ``workers`` are registered for every test by ``tests/conftest.py``;
a test module passes settings to its workers by overriding the ``worker_env`` fixture."""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

from otscustoms.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def broker():
    """The real Redis, on a queue of this test's own; fails (never skips) if it is missing."""
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL is not set: the Celery integration tests need a real Redis.")
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {settings.REDIS_URL} is not reachable: {exc}")
    if connection.vendor != "postgresql":
        pytest.fail("The Celery integration tests need DATABASE_URL to point at PostgreSQL.")
    queue = f"celery-test-{uuid.uuid4().hex[:8]}"
    old = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = old
    redis.Redis.from_url(settings.REDIS_URL).delete(queue)


class Workers:
    """Starts, kills and stops worker processes consuming only ``queue``; ``env`` is added to
    every worker's environment (settings read from it, e.g. REMINDER_LEASE_SECONDS)."""

    def __init__(self, queue: str, tmp_path: Path, **env: str):
        url = urlsplit(os.environ["DATABASE_URL"])
        test_db = connection.settings_dict["NAME"]
        self.mail_dir = tmp_path / "mail"
        self.env = {
            **os.environ,
            "DATABASE_URL": urlunsplit(url._replace(path=f"/{test_db}")),
            "DATABASE_CONN_MAX_AGE": "0",
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "EMAIL_BACKEND": "tests.mail_backends.FilePerMessageBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "EMAIL_TIMEOUT": "1",
            **env,
        }
        self.queue = queue
        self.tmp_path = tmp_path
        self.procs: list[subprocess.Popen] = []

    def log_path(self, name: str) -> Path:
        return self.tmp_path / f"{name}.log"

    def start(self, name: str, *, pool: str = "prefork", **env: str) -> subprocess.Popen:
        log = self.log_path(name)
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "otscustoms", "worker", "-l", "INFO"]
            + ["-Q", self.queue, "-n", f"{name}-{self.queue}@%h", f"--pool={pool}"]
            + (["--concurrency=2"] if pool == "prefork" else [])
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches the pool too
        )
        self.procs.append(proc)
        deadline = time.monotonic() + 60
        while b" ready." not in log.read_bytes():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"worker {name} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(5)

    def sent(self) -> list[email.message.Message]:
        return [
            email.message_from_bytes(p.read_bytes()) for p in sorted(self.mail_dir.glob("*.eml"))
        ]


@pytest.fixture
def worker_env() -> dict[str, str]:
    """Extra environment (so settings) for the workers of a test module; override it there."""
    return {}


@pytest.fixture
def workers(broker, tmp_path, transactional_db, worker_env):
    w = Workers(broker, tmp_path, **worker_env)
    yield w
    w.stop_all()  # before the test database is flushed


def wait_for(condition, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)
