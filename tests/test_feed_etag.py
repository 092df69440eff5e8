"""Calendar feeds answer If-None-Match with 304 when nothing in them changed, without writing
the events; any change to what a feed shows gives it a new ETag."""

import datetime

import pytest

from actions import services
from actions.models import Commitment, Status
from meetings import services as meeting_services
from parties.tokens import calendar_token_regenerate
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    PartyFactory,
    delegate,
    staff,
)

pytestmark = pytest.mark.django_db
FEED = "/calendar/party/TR.ics"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://register.example.org"


@pytest.fixture
def register():
    turkey = PartyFactory(code="TR", name="Türkiye", order=1)
    kazakhstan = PartyFactory(code="KZ", name="Kazakhstan", order=2)
    decision = DecisionFactory(number=3)
    shared = CommitmentFactory(
        responsible=[turkey, kazakhstan], meeting=decision.meeting, decision=decision
    )
    own = CommitmentFactory(responsible=[turkey], deadline=datetime.date(2024, 5, 1))
    theirs = CommitmentFactory(responsible=[kazakhstan])
    _token, secret = calendar_token_regenerate(user=delegate(turkey))
    return {
        "turkey": turkey,
        "kazakhstan": kazakhstan,
        "shared": shared,
        "own": own,
        "theirs": theirs,
        "secret": secret,
    }


def fetch(client, register, etag=None, **headers):
    if etag:
        headers["HTTP_IF_NONE_MATCH"] = etag
    return client.get(FEED, {"token": register["secret"]}, **headers)


def test_an_unchanged_feed_is_not_written_again(client, register, django_assert_num_queries):
    first = fetch(client, register)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    # 1 token (+ user; its last use was stamped a moment ago), 1 party, 1 aggregate of the
    # feed, 1 series and party codes: no rows read, no event written
    with django_assert_num_queries(4):
        again = fetch(client, register, etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "private, max-age=300"
    other = fetch(client, register, '"something-else"')
    assert other.status_code == 200 and other.content == first.content
    assert other["ETag"] == etag


def test_the_etag_needs_a_live_token_too(client, register):
    etag = fetch(client, register)["ETag"]
    calendar_token_regenerate(user=delegate(register["turkey"]))  # revokes the old one
    assert fetch(client, register, etag).status_code == 401
    assert client.get(FEED, HTTP_IF_NONE_MATCH=etag).status_code == 302  # to the login page


def _status(register):
    services.commitment_update_status(
        commitment=register["own"], user=staff(), status=Status.IN_PROGRESS
    )


def _done(register):
    services.commitment_update_status(commitment=register["own"], user=staff(), status="done")


def _deadline(register):
    own = register["own"]
    services.commitment_update(
        commitment=own,
        user=staff(),
        expected_version=own.version,
        deadline=datetime.date(2024, 6, 1),
        deadline_text="by 1 June 2024",
    )


def _cancelled(register):
    services.commitment_update_status(
        commitment=register["own"], user=staff(), status=Status.CANCELLED
    )


def _party_added(register):  # "[TR]" becomes "[TR, KZ]"
    own = register["own"]
    services.commitment_update(
        commitment=own,
        user=staff(),
        expected_version=own.version,
        responsible=[register["turkey"], register["kazakhstan"]],
    )


def _party_removed(register):  # leaves the TR feed
    shared = register["shared"]
    services.commitment_update(
        commitment=shared,
        user=staff(),
        expected_version=shared.version,
        responsible=[register["kazakhstan"]],
    )


def _joined(register):  # a commitment of KZ's becomes TR's too
    theirs = register["theirs"]
    services.commitment_update(
        commitment=theirs,
        user=staff(),
        expected_version=theirs.version,
        partners=[register["turkey"]],
    )


def _created(register):
    services.commitment_create(
        meeting=register["own"].meeting,
        action="Share the new risk profiles",
        responsible=[register["turkey"]],
        deadline=datetime.date(2024, 9, 30),
        deadline_precision="day",
        deadline_text="by 30 September 2024",
    )


def _share_done(register):  # TR's share of the joint commitment, in TR's calendar
    services.share_update_status(
        commitment=register["shared"], party=register["turkey"], user=staff(), status="done"
    )


def _other_share_done(register):  # "Shares: 1 of 2 parties done" in TR's event too
    services.share_update_status(
        commitment=register["shared"], party=register["kazakhstan"], user=staff(), status="done"
    )


def _share_extended(register):  # TR's own deadline moves
    services.extension_create(
        commitment=register["shared"],
        user=staff(),
        deadline=datetime.date(2024, 12, 31),
        reason="Ratification",
        party=register["turkey"],
    )


def _whole_extended(register):
    services.extension_create(
        commitment=register["own"],
        user=staff(),
        deadline=datetime.date(2024, 12, 31),
        reason="Decided at HCA-10",
    )


def _meeting_renumbered(register):
    meeting = register["shared"].meeting
    meeting_services.meeting_update(
        meeting=meeting, user=staff(), expected_version=meeting.version, number=77
    )


def _decision_renumbered(register):
    decision = register["shared"].decision
    meeting_services.decision_update(
        decision=decision, user=staff(), expected_version=decision.version, number=9
    )


def _decision_deleted(register):  # SET_NULL on the commitment, which is not saved
    register["shared"].decision.delete()


def _series_recoded(register):
    series = register["own"].meeting.series
    series.code = "HCAX"
    series.save()


def _parties_reordered(register):  # "[TR, KZ]" becomes "[KZ, TR]"
    kazakhstan = register["kazakhstan"]
    kazakhstan.order = 0
    kazakhstan.save()


def _party_renamed(register):  # the calendar's name
    turkey = register["turkey"]
    turkey.name = "Türkiye Cumhuriyeti"
    turkey.save()


@pytest.mark.parametrize(
    "change",
    [
        _status,
        _done,
        _deadline,
        _cancelled,
        _party_added,
        _party_removed,
        _joined,
        _created,
        _share_done,
        _other_share_done,
        _share_extended,
        _whole_extended,
        _meeting_renumbered,
        _decision_renumbered,
        _decision_deleted,
        _series_recoded,
        _parties_reordered,
        _party_renamed,
    ],
)
def test_every_change_to_what_the_feed_shows_changes_its_etag(client, register, change):
    before = fetch(client, register)
    change(register)

    after = fetch(client, register, before["ETag"])
    assert after.status_code == 200
    assert after.content != before.content
    assert after["ETag"] != before["ETag"]
    # and the new ETag holds still: a poll with it is answered 304
    assert fetch(client, register, after["ETag"]).status_code == 304


def test_a_change_elsewhere_keeps_the_etag(client, register):
    etag = fetch(client, register)["ETag"]
    theirs = register["theirs"]
    services.commitment_update_status(commitment=theirs, user=staff(), status=Status.DONE)
    CommitmentFactory(responsible=[register["kazakhstan"]])
    assert fetch(client, register, etag).status_code == 304


def test_the_etag_follows_the_language(client, register):
    english = fetch(client, register)
    russian = fetch(client, register, english["ETag"], HTTP_ACCEPT_LANGUAGE="ru")
    assert russian.status_code == 200 and "Открыто".encode() in russian.content
    assert russian["ETag"] != english["ETag"]
    assert fetch(client, register, russian["ETag"], HTTP_ACCEPT_LANGUAGE="ru").status_code == 304


def test_my_feed_answers_304_too(client, register):
    secret = register["secret"]
    first = client.get("/calendar/me.ics", {"token": secret})
    assert first.status_code == 200 and first.content.count(b"BEGIN:VEVENT") == 2
    again = client.get("/calendar/me.ics", {"token": secret}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert Commitment.objects.count() == 3
