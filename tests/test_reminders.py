"""Deadline reminders and change notifications: the rules, digests, exactly-once records."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import reminders, services
from actions.models import Reminder, ReminderState, Status
from otscustoms.celery import app as celery_app
from parties.models import Membership, NotificationMode
from tests.factories import CommitmentFactory, MeetingFactory, PartyFactory, delegate, staff

D = datetime.date
pytestmark = pytest.mark.django_db


def kinds(deadline, today, precision="day", **kw):
    return reminders.reminder_kinds(deadline=deadline, precision=precision, today=today, **kw)


# --- the rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2024, 3, 1), ["before-30"]),
        (D(2024, 3, 2), []),
        (D(2024, 3, 24), ["before-7"]),
        (D(2024, 3, 25), []),
        (D(2024, 3, 30), ["before-1"]),
        (D(2024, 3, 31), ["due-today"]),
        (D(2024, 4, 1), []),
        (D(2024, 4, 7), ["overdue-7"]),
        (D(2024, 4, 8), []),
        (D(2024, 4, 14), ["overdue-14"]),
        (D(2025, 3, 30), ["overdue-364"]),
    ],
)
def test_day_deadline_is_reminded_at_each_offset_then_weekly(today, expected):
    assert kinds(D(2024, 3, 31), today) == expected


def test_offsets_come_from_settings(settings):
    settings.REMINDER_DAYS_BEFORE = [14, 2]
    settings.REMINDER_OVERDUE_EVERY_DAYS = 3
    assert kinds(D(2024, 3, 31), D(2024, 3, 17)) == ["before-14"]
    assert kinds(D(2024, 3, 31), D(2024, 3, 24)) == []
    assert kinds(D(2024, 3, 31), D(2024, 3, 31)) == []
    assert kinds(D(2024, 3, 31), D(2024, 4, 3)) == ["overdue-3"]


@pytest.mark.parametrize("precision", ["month", "quarter", "half", "year"])
def test_month_year_deadlines_are_also_reminded_at_the_start_of_their_month(precision):
    # "in February 2024" (29 Feb): 1 February is 28 days before, not an offset of its own.
    assert kinds(D(2024, 2, 29), D(2024, 2, 1), precision) == ["month-start"]
    assert kinds(D(2024, 2, 29), D(2024, 2, 22), precision) == ["before-7"]
    # "by the end of 2024": 1 December is also 30 days before; one reminder, not two.
    assert kinds(D(2024, 12, 31), D(2024, 12, 1), precision) == ["before-30"]
    assert kinds(D(2024, 12, 31), D(2024, 12, 1), precision, days_before=[7]) == ["month-start"]


def test_day_precision_has_no_month_start():
    assert kinds(D(2024, 2, 29), D(2024, 2, 1), "day") == []


# --- fixtures ---------------------------------------------------------------------------------

TODAY = D(2024, 3, 1)


@pytest.fixture
def turkey():
    return PartyFactory(code="TR", name="Türkiye")


@pytest.fixture
def kazakhstan():
    return PartyFactory(code="KZ", name="Kazakhstan")


@pytest.fixture
def tr_delegate(turkey):
    return delegate(turkey)


@pytest.fixture
def kz_delegate(kazakhstan):
    return delegate(kazakhstan)


def send(today, *args):
    call_command("send_reminders", "--today", today.isoformat(), *args, stdout=io.StringIO())


def bodies_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


# --- digests, recipients ----------------------------------------------------------------------


def test_one_digest_per_recipient_overdue_first_partners_get_no_deadline_reminders(
    turkey, kazakhstan, tr_delegate, kz_delegate
):
    opted_out = delegate(turkey, "delegate-tr-2")
    Membership.objects.filter(user=opted_out).update(receive_reminders=False)
    soon = CommitmentFactory(
        responsible=[turkey], partners=[kazakhstan], deadline=TODAY + datetime.timedelta(7)
    )
    late = CommitmentFactory(responsible=[turkey], deadline=TODAY - datetime.timedelta(14))
    closed = CommitmentFactory(responsible=[turkey], deadline=TODAY, status=Status.DONE)
    not_today = CommitmentFactory(responsible=[turkey], deadline=TODAY + datetime.timedelta(8))

    send(TODAY)

    # One for delegate-tr; none for the opted out, none for the partner: a partner has no
    # share, so no deadline of its own to be reminded of.
    assert len(mail.outbox) == 1
    (tr_mail,) = bodies_to(tr_delegate)
    body = tr_mail.body
    assert body.index(late.action) < body.index(soon.action)  # overdue first
    assert "[OVERDUE]" in body and "Overdue by 14 days" in body and "7 days before" in body
    assert "Türkiye's share: Open" in body
    assert closed.action not in body and not_today.action not in body
    assert f"http://127.0.0.1:8000/commitments/{soon.pk}/" in body  # SITE_URL's default
    html, mimetype = tr_mail.alternatives[0]
    assert mimetype == "text/html" and f'/commitments/{late.pk}/"' in html
    assert "1 overdue, 1 due soon" in tr_mail.subject
    assert not bodies_to(kz_delegate) and not bodies_to(opted_out)
    assert Reminder.objects.filter(state=ReminderState.SENT).count() == 2


def test_links_are_absolute_with_site_url(settings, turkey, tr_delegate):
    settings.SITE_URL = "https://register.example.org"
    commitment = CommitmentFactory(responsible=[turkey], deadline=TODAY)
    send(TODAY)
    assert f"https://register.example.org/commitments/{commitment.pk}/" in mail.outbox[0].body


def test_second_run_the_same_day_sends_nothing(turkey, tr_delegate):
    CommitmentFactory(responsible=[turkey], deadline=TODAY)
    send(TODAY)
    send(TODAY)
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().attempts == 1


def test_overdue_reminder_repeats_weekly(turkey, tr_delegate):
    CommitmentFactory(responsible=[turkey], deadline=TODAY)
    sent_on = []
    for offset in range(0, 22):
        day = TODAY + datetime.timedelta(offset)
        before = len(mail.outbox)
        send(day)
        if len(mail.outbox) > before:
            sent_on.append(offset)
    assert sent_on == [0, 7, 14, 21]
    assert set(Reminder.objects.values_list("kind", flat=True)) == {
        "due-today",
        "overdue-7",
        "overdue-14",
        "overdue-21",
    }


def test_closed_commitments_get_no_reminders(turkey, tr_delegate):
    for status in Status.closed():
        CommitmentFactory(responsible=[turkey], deadline=TODAY, status=status)
    send(TODAY)
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_commitment_closed_after_recording_is_skipped_not_sent(turkey, tr_delegate):
    commitment = CommitmentFactory(responsible=[turkey], deadline=TODAY)
    reminders.sweep(today=TODAY, queue=False)  # recorded, not yet delivered
    commitment.status = Status.DONE
    commitment.save()
    reminders.deliver_batch(recipient_ids=[tr_delegate.pk], delivery="digest", today=TODAY)
    assert mail.outbox == []
    assert Reminder.objects.get().state == ReminderState.SKIPPED


def test_moved_deadline_makes_new_reminders_due(turkey, tr_delegate):
    commitment = CommitmentFactory(responsible=[turkey], deadline=TODAY + datetime.timedelta(7))
    reminders.sweep(today=TODAY, queue=False)  # before-7 recorded for the old deadline
    services.commitment_update(
        commitment=commitment,
        user=staff(),
        expected_version=None,
        deadline=TODAY + datetime.timedelta(30),
    )
    send(TODAY)
    rows = {(r.kind, r.deadline, r.state) for r in Reminder.objects.exclude(kind="change")}
    assert rows == {
        ("before-7", TODAY + datetime.timedelta(7), ReminderState.SKIPPED),
        ("before-30", TODAY + datetime.timedelta(30), ReminderState.SENT),
    }
    digest = [m for m in bodies_to(tr_delegate) if "30 days before" in m.body]
    assert len(digest) == 1 and "7 days before" not in digest[0].body


def test_meeting_commitment_is_reminded_only_once_the_meeting_has_a_date(turkey, tr_delegate):
    next_meeting = MeetingFactory(start_date=None, end_date=None, status="planned")
    commitment = CommitmentFactory(
        responsible=[turkey],
        deadline=None,
        deadline_precision="event",
        deadline_text="at the next meeting",
        due_meeting=next_meeting,
    )
    send(TODAY)
    assert mail.outbox == []
    next_meeting.start_date = TODAY + datetime.timedelta(7)
    next_meeting.save()
    services.meeting_commitments_follow_date(meeting=next_meeting)
    send(TODAY)
    assert len(mail.outbox) == 1 and commitment.action in mail.outbox[0].body


def test_weekly_summary_to_staff_lists_overdue_by_party(turkey, kazakhstan):
    boss = staff()
    monday = D(2024, 3, 4)
    assert monday.weekday() == 0
    tr_late = CommitmentFactory(responsible=[turkey], deadline=monday - datetime.timedelta(3))
    kz_late = CommitmentFactory(responsible=[kazakhstan], deadline=monday - datetime.timedelta(40))
    send(monday - datetime.timedelta(1))  # Sunday: no summary
    assert bodies_to(boss) == []
    send(monday)
    (summary,) = bodies_to(boss)
    assert "weekly overdue summary" in summary.subject
    body = summary.body
    # Parties in their usual order (here: by name), each with its overdue commitments.
    assert body.index("Kazakhstan (1)") < body.index(kz_late.action) < body.index("Türkiye (1)")
    assert body.index("Türkiye (1)") < body.index(tr_late.action)
    assert "40 days late" in body
    send(monday)
    assert len(bodies_to(boss)) == 1


def test_dry_run_prints_and_writes_nothing(turkey, tr_delegate, capsys):
    CommitmentFactory(responsible=[turkey], deadline=TODAY)
    call_command("send_reminders", "--today", TODAY.isoformat(), "--dry-run")
    out = capsys.readouterr().out
    assert "would record: delegate-tr <delegate-tr@example.org>: Due today" in out
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_send_reminders_rejects_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today '2024-13-01' is not a date"):
        call_command("send_reminders", "--today", "2024-13-01")


# --- exactly once: claims, leases, failures ---------------------------------------------------


def test_a_claimed_row_is_not_claimed_again_until_its_lease_expires(settings, turkey, tr_delegate):
    CommitmentFactory(responsible=[turkey], deadline=TODAY)
    reminders.sweep(today=TODAY, queue=False)
    first = reminders.claim(recipient_id=tr_delegate.pk, delivery="digest", today=TODAY)
    assert first is not None
    assert reminders.claim(recipient_id=tr_delegate.pk, delivery="digest", today=TODAY) is None
    # The worker holding it died: after the lease, another takes it over.
    Reminder.objects.update(
        claimed_at=timezone.now() - datetime.timedelta(seconds=settings.REMINDER_LEASE_SECONDS + 1)
    )
    second = reminders.claim(recipient_id=tr_delegate.pk, delivery="digest", today=TODAY)
    assert second not in (None, first)
    row = Reminder.objects.get()
    assert (row.state, row.attempts, row.claim_token) == (ReminderState.SENDING, 2, second)


def test_failed_send_is_recorded_and_retried(settings, turkey, tr_delegate):
    CommitmentFactory(responsible=[turkey], deadline=TODAY)
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    send(TODAY)
    row = Reminder.objects.get()
    assert (row.state, row.attempts) == (ReminderState.FAILED, 1)
    assert "SMTPRecipientsRefused" in row.error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send(TODAY + datetime.timedelta(1))
    row.refresh_from_db()
    assert (row.state, row.attempts, row.error) == (ReminderState.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_a_row_stays_failed(settings, turkey, tr_delegate):
    settings.REMINDER_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    CommitmentFactory(responsible=[turkey], deadline=TODAY)
    for offset in range(4):
        send(TODAY + datetime.timedelta(offset))
    assert Reminder.objects.get().attempts == 2


# --- the beat task path: after commit, through Celery -----------------------------------------


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def test_sweep_task_queues_delivery_after_commit(
    turkey, tr_delegate, eager_celery, django_capture_on_commit_callbacks
):
    from actions.tasks import sweep_reminders

    CommitmentFactory(responsible=[turkey], deadline=TODAY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sweep_reminders(TODAY.isoformat())
    assert mail.outbox == []  # nothing is sent before the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


# --- change notifications ---------------------------------------------------------------------


@pytest.fixture
def friday_noon():
    # The change notifications use the real clock; freeze it on TODAY (a Friday, so no
    # weekly summary tomorrow) so that deadlines relative to TODAY mean what they say.
    from zoneinfo import ZoneInfo

    import time_machine
    from django.conf import settings

    moment = datetime.datetime(2024, 3, 1, 12, tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(moment, tick=False):
        yield


def test_progress_report_tells_staff_immediately_or_in_tomorrows_digest(
    turkey, tr_delegate, eager_celery, django_capture_on_commit_callbacks, friday_noon
):
    eager, digest_reader = staff("staff-eager"), staff("staff-digest")
    ots = PartyFactory(code="OTS", kind="secretariat")
    Membership.objects.create(
        user=digest_reader, party=ots, notification_mode=NotificationMode.DIGEST
    )
    commitment = CommitmentFactory(responsible=[turkey], deadline=TODAY + datetime.timedelta(60))
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_report_create(
            commitment=commitment, user=tr_delegate, note="Draft concept sent to capitals"
        )
    (notice,) = mail.outbox
    assert notice.to == [eager.email]
    assert "Türkiye reported progress on " in notice.body
    assert "Progress report by delegate-tr: " in notice.body
    assert "Draft concept sent to capitals" in notice.body and "1 change" in notice.subject
    assert bodies_to(tr_delegate) == []

    tomorrow = timezone.localdate() + datetime.timedelta(1)
    send(tomorrow - datetime.timedelta(1))
    assert bodies_to(digest_reader) == []
    send(tomorrow)
    (digest,) = bodies_to(digest_reader)
    assert "Draft concept sent to capitals" in digest.body
    send(tomorrow)
    assert len(mail.outbox) == 2


def test_staff_review_status_and_deadline_changes_tell_the_delegation(
    turkey,
    kazakhstan,
    tr_delegate,
    kz_delegate,
    eager_celery,
    django_capture_on_commit_callbacks,
    friday_noon,
):
    boss = staff()
    commitment = CommitmentFactory(
        responsible=[turkey], partners=[kazakhstan], deadline=TODAY + datetime.timedelta(60)
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.progress_report_create(
            commitment=commitment, user=tr_delegate, note="Done, see annex"
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_report_review(update=report, user=boss, accept=True, mark_done=True)
    # The status change and the review, committed together, reach the delegate as ONE email.
    (notice,) = mail.outbox
    assert notice.to == [tr_delegate.email]
    assert "Türkiye's share of " in notice.body and ": In progress → Done" in notice.body
    assert "Türkiye's report on " in notice.body and " was accepted" in notice.body
    assert "Review by staff" in notice.body
    assert "2 changes" in notice.subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_update_status(
            commitment=commitment, user=boss, status=Status.IN_PROGRESS
        )
        services.commitment_update(
            commitment=commitment,
            user=boss,
            expected_version=None,
            deadline=TODAY + datetime.timedelta(90),
        )
    # A change to the whole commitment reaches its partners too: they follow its progress.
    assert sorted(m.to for m in mail.outbox) == sorted([[tr_delegate.email], [kz_delegate.email]])
    assert all("Deadline change" in m.body and "Status change" in m.body for m in mail.outbox)
    assert Reminder.objects.filter(kind="change", state=ReminderState.SENT).count() == 7


def test_a_rolled_back_change_notifies_nobody(turkey, tr_delegate, eager_celery):
    from django.db import transaction

    boss = staff()
    commitment = CommitmentFactory(responsible=[turkey])
    with pytest.raises(RuntimeError), transaction.atomic():
        services.commitment_update_status(commitment=commitment, user=boss, status=Status.DONE)
        raise RuntimeError("something later in the request failed")
    assert not Reminder.objects.exists() and mail.outbox == []


# --- the sweep's cost -------------------------------------------------------------------------


def _sweep_queries(n, today=TODAY):
    parties = [PartyFactory() for _ in range(3)]
    for party in parties:
        delegate(party)
    for i in range(n):
        CommitmentFactory(
            responsible=[parties[i % 3]],
            partners=[parties[(i + 1) % 3]],
            deadline=today - datetime.timedelta(7 * (i % 5)),
        )
    with CaptureQueriesContext(connection) as queries:
        result = reminders.sweep(today=today, queue=False)
    # the responsible parties' shares only: partners have no deadline reminders
    assert len(result.planned) == Reminder.objects.count() == n
    return len(queries)


@pytest.mark.parametrize("n", [10, 200])
def test_sweep_query_count_does_not_grow_with_commitments(settings, n):
    settings.REMINDER_BATCH_SIZE = 1000
    # aggregate(min overdue deadline), due links, members; savepoint, bulk insert, release
    # savepoint; recipients with undelivered rows: 7, for 10 or 200 commitments.
    assert _sweep_queries(n) == 7


def test_sweep_inserts_in_batches(settings):
    settings.REMINDER_BATCH_SIZE = 15
    # The same 7, plus one INSERT per further batch of 15 rows: 40 rows → 3 inserts.
    assert _sweep_queries(40) == 7 + 2


# --- the log and the schedule -----------------------------------------------------------------


def test_reminder_log_is_for_staff_filtered_paginated_constant_queries(
    client, turkey, kazakhstan, tr_delegate, kz_delegate, django_assert_num_queries
):
    for _i in range(3):
        CommitmentFactory(responsible=[turkey, kazakhstan], deadline=TODAY)
    send(TODAY)
    client.force_login(tr_delegate)
    assert client.get("/reminders/").status_code == 403
    client.force_login(staff())
    # user, user's membership (base layout), the party filter's choices, count, rows with
    # their recipient, party and commitment (the session is read from the cache)
    with django_assert_num_queries(5):
        page = client.get("/reminders/")
    assert page.status_code == 200 and page.content.decode().count("<tr class=") == 6
    for _i in range(20):
        CommitmentFactory(responsible=[turkey], deadline=TODAY + datetime.timedelta(1))
    send(TODAY)  # 20 more rows, all for TR, sent
    # the same, plus the party chosen in the filter
    with django_assert_num_queries(6):
        page = client.get("/reminders/", {"party": "KZ", "state": "sent"})
    html = page.content.decode()
    assert html.count("<tr class=") == 3 and "Kazakhstan" in html
    assert (
        client.get("/reminders/", {"since": "2024-03-02"}).content.decode().count("<tr class=") == 0
    )
    assert client.get("/reminders/", {"since": "not a date"}).status_code == 200


def test_reminder_log_pages_by_fifty(client, turkey):
    user = delegate(turkey)
    commitment = CommitmentFactory(responsible=[turkey])
    Reminder.objects.bulk_create(
        [
            Reminder(recipient=user, commitment=commitment, kind=f"overdue-{i}", due_on=TODAY)
            for i in range(60)
        ]
    )
    client.force_login(staff())
    first = client.get("/reminders/").content.decode()
    assert first.count("<tr class=") == 50 and "Page 1 of 2 (60 reminders)" in first
    assert client.get("/reminders/", {"page": 2}).content.decode().count("<tr class=") == 10


def test_reminder_admin_lists_and_searches(client, turkey, tr_delegate):
    CommitmentFactory(responsible=[turkey], deadline=TODAY)
    send(TODAY)
    client.force_login(staff("admin-user"))
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="admin-user").update(is_superuser=True)
    response = client.get("/admin/actions/reminder/", {"q": "delegate-tr", "state__exact": "sent"})
    assert response.status_code == 200 and "delegate-tr" in response.content.decode()


def test_default_schedule_is_installed_and_setup_keeps_other_tasks():
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from actions.schedule import DAILY, RETRY

    # The data migration installed it already.
    daily = PeriodicTask.objects.get(name=DAILY)
    assert daily.task == "actions.sweep_reminders" and daily.crontab.hour == "7"
    assert PeriodicTask.objects.get(name=RETRY).task == "actions.requeue_undelivered"
    other = PeriodicTask.objects.create(
        name="someone else's",
        task="x.y",
        interval=IntervalSchedule.objects.create(every=1, period="days"),
    )
    daily.enabled = False
    daily.save()
    call_command("setup_schedule", stdout=io.StringIO())
    daily.refresh_from_db()
    assert daily.enabled is False  # an admin's edit survives
    call_command("setup_schedule", "--reset", stdout=io.StringIO())
    daily.refresh_from_db()
    assert daily.enabled is True
    assert PeriodicTask.objects.filter(pk=other.pk).exists()
    assert PeriodicTask.objects.filter(name__startswith="otscustoms:").count() == 3
