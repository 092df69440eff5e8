"""Reminders on real Celery workers against the real Redis (see tests/celery_helpers.py):
exactly once under concurrent beat ticks, and after a worker killed mid-batch."""

import datetime
import time
from collections import Counter

import pytest

from actions import reminders
from actions.models import Reminder, ReminderState
from actions.tasks import sweep_reminders
from tests.celery_helpers import Workers, wait_for
from tests.factories import CommitmentFactory, PartyFactory, delegate

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date(2024, 3, 1)
LEASE_SECONDS = 3


@pytest.fixture
def worker_env():
    return {"REMINDER_LEASE_SECONDS": str(LEASE_SECONDS), "REMINDER_BATCH_SIZE": "2"}


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
    # Two reminders to each of the two responsible delegates; none to a partner, who has no
    # share of its own to be reminded of.
    expected_rows = 6 * 2 * 2

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
    assert len(workers.sent()) == 12  # the 12 responsible delegates
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
