"""/settings/notifications/: a delegate chooses reminders and how change notifications arrive."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from actions import services
from actions.models import Status
from otscustoms.celery import app as celery_app
from parties.models import Membership, NotificationMode
from tests.factories import CommitmentFactory, PartyFactory, UserFactory, delegate, staff

pytestmark = pytest.mark.django_db

URL = "/settings/notifications/"


@pytest.fixture
def turkey():
    return PartyFactory(code="TR", name="Türkiye")


@pytest.fixture
def tr_delegate(turkey):
    return delegate(turkey)


def test_pages_need_sign_in(client):
    for url in (URL, "/settings/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(URL, {"notification_mode": "digest"}).status_code == 302


def test_form_shows_current_choices_with_labels_and_help(client, tr_delegate):
    Membership.objects.filter(user=tr_delegate).update(notification_mode=NotificationMode.DIGEST)
    client.force_login(tr_delegate)
    page = client.get(URL).content.decode()
    assert "member of the Türkiye delegation" in page
    assert '<label for="id_receive_reminders">Send me deadline reminders</label>' in page
    assert 'aria-describedby="id_receive_reminders_helptext"' in page
    assert 'id="id_receive_reminders_helptext">30, 7 and 1 days before' in page
    assert "<legend>Tell me about changes:</legend>" in page
    assert 'value="digest" required id="id_notification_mode_1" checked' in page
    assert 'value="immediate" required id="id_notification_mode_0">' in page


def test_saving_changes_only_my_membership(client, turkey, tr_delegate):
    colleague = delegate(turkey, "delegate-tr-2")
    client.force_login(tr_delegate)
    # An unticked checkbox is simply absent from the POST: that means "off".
    response = client.post(URL, {"notification_mode": "digest"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Your notification preferences are saved." in response.content.decode()
    mine = Membership.objects.get(user=tr_delegate)
    assert (mine.receive_reminders, mine.notification_mode) == (False, NotificationMode.DIGEST)
    theirs = Membership.objects.get(user=colleague)
    assert (theirs.receive_reminders, theirs.notification_mode) == (True, "immediate")
    assert mine.party == turkey  # the page cannot move anyone to another delegation

    client.post(URL, {"receive_reminders": "on", "notification_mode": "immediate"})
    mine.refresh_from_db()
    assert (mine.receive_reminders, mine.notification_mode) == (True, NotificationMode.IMMEDIATE)


def test_party_field_in_the_post_is_ignored(client, turkey, tr_delegate):
    other = PartyFactory(code="KZ", name="Kazakhstan")
    client.force_login(tr_delegate)
    client.post(URL, {"notification_mode": "digest", "party": other.pk, "user": 999})
    mine = Membership.objects.get(user=tr_delegate)
    assert mine.party_id == turkey.pk and mine.user_id == tr_delegate.pk


def test_bad_choice_is_refused_with_a_message_naming_it(client, tr_delegate):
    client.force_login(tr_delegate)
    response = client.post(URL, {"receive_reminders": "on", "notification_mode": "hourly"})
    assert response.status_code == 200
    assert "Select a valid choice. hourly is not one of the available choices." in (
        response.content.decode()
    )
    assert Membership.objects.get(user=tr_delegate).notification_mode == "immediate"


def test_user_without_delegation_is_told_why_and_nothing_is_created(client):
    loner = UserFactory(username="guest")
    client.force_login(loner)
    page = client.get(URL).content.decode()
    assert "You are not a member of a delegation" in page and 'name="receive_reminders"' not in page
    response = client.post(URL, {"notification_mode": "digest"})
    assert response.status_code == 200 and "You are not a member of a delegation" in (
        response.content.decode()
    )
    assert not Membership.objects.exists()


def test_settings_index_links_both_pages_and_tokens_page_links_back(client, tr_delegate):
    client.force_login(tr_delegate)
    index = client.get("/settings/").content.decode()
    assert 'href="/settings/notifications/"' in index and 'href="/settings/tokens/"' in index
    assert 'href="/settings/"' in client.get("/settings/tokens/").content.decode()
    assert 'href="/settings/"' in client.get(URL).content.decode()


def test_page_queries(client, tr_delegate, django_assert_num_queries):
    client.force_login(tr_delegate)
    # The session is read from the cache: 1 user, 2 user.membership with its party (read
    # with the user and cached with it; the header's user_party() reuses them).
    with django_assert_num_queries(2):
        client.get(URL)
    # POST: 1 user, 2 membership, 3 the UPDATE of the two fields; the form validates without
    # reading the party, and the redirect is not followed here.
    with django_assert_num_queries(3):
        client.post(URL, {"notification_mode": "digest"})


def send(day):
    call_command("send_reminders", "--today", day.isoformat(), stdout=io.StringIO())


def test_reminder_opt_out_made_here_changes_what_send_reminders_sends(client, turkey, tr_delegate):
    today = datetime.date(2024, 3, 1)
    CommitmentFactory(responsible=[turkey], deadline=today)
    client.force_login(tr_delegate)
    client.post(URL, {"notification_mode": "immediate"})  # reminders off

    send(today)
    assert mail.outbox == []
    client.post(URL, {"receive_reminders": "on", "notification_mode": "immediate"})
    send(today)
    (reminder,) = mail.outbox
    assert reminder.to == [tr_delegate.email] and "1 due soon" in reminder.subject


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def test_digest_chosen_here_turns_an_immediate_notice_into_tomorrows_digest(
    client, turkey, tr_delegate, eager_celery, django_capture_on_commit_callbacks
):
    commitment = CommitmentFactory(
        responsible=[turkey], deadline=timezone.localdate() + datetime.timedelta(60)
    )
    client.force_login(tr_delegate)
    client.post(URL, {"receive_reminders": "on", "notification_mode": "digest"})
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_update_status(
            commitment=commitment, user=staff(), status=Status.IN_PROGRESS
        )
    assert mail.outbox == []  # an immediate reader would have had it now
    send(timezone.localdate() + datetime.timedelta(1))
    (digest,) = [m for m in mail.outbox if m.to == [tr_delegate.email]]
    assert "Status change" in digest.body and "1 change" in digest.subject
