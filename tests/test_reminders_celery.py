"""Real Celery workers (subprocesses) against the real Redis and the test database.

They need REDIS_URL and a PostgreSQL DATABASE_URL and FAIL without them: CI runs both. The
workers share the test database (the test is transactional, so what it writes is committed
and what they write is visible to it) and send with a backend writing one file per email, so
the test can count what really went out."""

import datetime
import email
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

from actions import reminders
from actions.models import Reminder, ReminderState
from actions.tasks import sweep_reminders
from otscustoms.celery import app as celery_app
from tests.factories import CommitmentFactory, PartyFactory, delegate

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date(2024, 3, 1)
ROOT = Path(__file__).resolve().parent.parent
LEASE_SECONDS = 3


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
    queue = f"reminders-test-{uuid.uuid4().hex[:8]}"
    old = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = old
    redis.Redis.from_url(settings.REDIS_URL).delete(queue)


class Workers:
    def __init__(self, queue: str, tmp_path: Path):
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
            "REMINDER_LEASE_SECONDS": str(LEASE_SECONDS),
            "REMINDER_BATCH_SIZE": "2",
        }
        self.queue = queue
        self.tmp_path = tmp_path
        self.procs: list[subprocess.Popen] = []

    def start(self, name: str, *, pool: str = "prefork", **env) -> subprocess.Popen:
        log = self.tmp_path / f"{name}.log"
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
def workers(broker, tmp_path, transactional_db):
    w = Workers(broker, tmp_path)
    yield w
    w.stop_all()  # before the test database is flushed


def wait_for(condition, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def assert_each_reminder_sent_exactly_once(workers: Workers) -> None:
    rows = dict(Reminder.objects.values_list("pk", "recipient__email"))
    assert set(Reminder.objects.values_list("state", flat=True)) == {ReminderState.SENT}
    messages = workers.sent()
    # One email per recipient...
    assert Counter(m["To"] for m in messages) == Counter(set(rows.values()))
    # ...and every recorded reminder in exactly one of them, to its own recipient.
    carried = Counter()
    for m in messages:
        for pk in map(int, m["X-OTS-Reminder-Ids"].split(",")):
            assert rows[pk] == m["To"]
            carried[pk] += 1
    assert carried == Counter(rows.keys())


def test_two_concurrent_beat_ticks_on_two_workers_send_each_reminder_once(workers):
    for n in range(6):
        party = PartyFactory()
        partner = PartyFactory()
        delegate(party, f"resp-{n}-a"), delegate(party, f"resp-{n}-b"), delegate(partner, f"p-{n}")
        CommitmentFactory(responsible=[party], partners=[partner], deadline=TODAY)
        CommitmentFactory(responsible=[party], deadline=TODAY - datetime.timedelta(7))
    expected_rows = 6 * (2 * 2 + 1)

    workers.start("w1")
    workers.start("w2")
    # Two ticks at once (a doubled beat, or a retried task): both sweeps record and queue.
    first = sweep_reminders.delay(TODAY.isoformat())
    second = sweep_reminders.delay(TODAY.isoformat())
    results = [first.get(timeout=60), second.get(timeout=60)]
    assert [r["due"] for r in results] == [expected_rows, expected_rows]
    wait_for(
        lambda: Reminder.objects.filter(state=ReminderState.SENT).count() == expected_rows,
        what="all reminders to be sent",
    )
    time.sleep(1.5)  # let any duplicate that a second worker might send arrive
    assert Reminder.objects.count() == expected_rows
    assert len(workers.sent()) == 18  # 12 responsible delegates + 6 partners
    assert_each_reminder_sent_exactly_once(workers)


def test_worker_killed_mid_batch_rerun_completes_without_duplicate_or_gap(workers):
    for n in range(5):
        delegate(party := PartyFactory(), f"delegate-{n}")
        CommitmentFactory(responsible=[party], deadline=TODAY)

    doomed = workers.start("doomed", pool="solo", OTS_TEST_MAIL_HANG_AFTER="2")
    sweep_reminders.delay(TODAY.isoformat())
    # Two digests out, the third claimed and hanging in the SMTP send: kill the worker there.
    wait_for(lambda: (workers.mail_dir / "hanging").exists(), what="the worker to hang")
    workers.kill(doomed)
    states = Counter(Reminder.objects.values_list("state", flat=True))
    assert states == {ReminderState.SENT: 2, ReminderState.SENDING: 1, ReminderState.PENDING: 2}
    assert len(workers.sent()) == 2

    # The rerun: a new worker, the next tick once the dead worker's lease has expired.
    (workers.mail_dir / "hanging").unlink()
    workers.start("rescuer")
    time.sleep(LEASE_SECONDS + 0.5)
    sweep_reminders.delay(TODAY.isoformat()).get(timeout=60)
    wait_for(
        lambda: Reminder.objects.filter(state=ReminderState.SENT).count() == 5,
        what="the rerun to send the rest",
    )
    time.sleep(1)
    assert len(workers.sent()) == 5
    assert_each_reminder_sent_exactly_once(workers)
    # The one the dead worker held was claimed twice and sent once.
    assert sorted(Reminder.objects.values_list("attempts", flat=True)) == [1, 1, 1, 1, 2]
    assert reminders.claim(recipient_id=0, delivery="digest", today=TODAY) is None
