"""Calendar feeds (parsed back with icalendar) and the CSV export."""

import csv
import datetime
import io

import icalendar
import pytest
from rest_framework.test import APIClient

from actions import services
from actions.models import Commitment, Status
from parties.tokens import access_token_create, calendar_token_regenerate
from tests.factories import CommitmentFactory, PartyFactory, delegate, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://register.example.org"


@pytest.fixture
def turkey():
    return PartyFactory(code="TR", name="Türkiye")


def events(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_party_feed_has_one_all_day_event_per_dated_commitment(client, turkey):
    by_day = CommitmentFactory(responsible=[turkey])
    by_month = CommitmentFactory(
        responsible=[turkey],
        deadline=datetime.date(2024, 1, 31),
        deadline_precision="month",
        deadline_text="in January 2024",
    )
    undated = CommitmentFactory(
        responsible=[turkey], deadline=None, deadline_precision="", deadline_text=""
    )
    cancelled = CommitmentFactory(responsible=[turkey], status=Status.CANCELLED)
    other = CommitmentFactory(responsible=[PartyFactory(code="KZ")])
    _token, secret = calendar_token_regenerate(user=delegate(turkey))
    found = events(client.get("/calendar/party/tr.ics", {"token": secret}))
    host = "register.example.org"
    assert set(found) == {f"commitment-{by_day.pk}@{host}", f"commitment-{by_month.pk}@{host}"}
    assert undated.pk and cancelled.pk and other.pk  # left out: no date, cancelled, not TR
    month = found[f"commitment-{by_month.pk}@{host}"]
    assert month.decoded("DTSTART") == datetime.date(2024, 1, 31)  # the month's last day
    assert month.decoded("DTEND") == datetime.date(2024, 2, 1)
    assert "in January 2024" in str(month["SUMMARY"]) and "[TR]" in str(month["SUMMARY"])
    assert str(month["URL"]) == f"https://{host}/commitments/{by_month.pk}/"


def test_feed_event_updates_when_the_deadline_moves(client, turkey):
    commitment = CommitmentFactory(responsible=[turkey])
    _token, secret = calendar_token_regenerate(user=delegate(turkey))
    uid = f"commitment-{commitment.pk}@register.example.org"
    before = events(client.get("/calendar/me.ics", {"token": secret}))[uid]
    Commitment.objects.filter(pk=commitment.pk).update(
        updated_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )
    commitment.refresh_from_db()
    services.commitment_update(
        commitment=commitment,
        user=staff(),
        expected_version=commitment.version,
        deadline=datetime.date(2024, 4, 1),
        deadline_text="until 1 April 2024",
    )
    after = events(client.get("/calendar/me.ics", {"token": secret}))[uid]
    assert after.decoded("DTSTART") == datetime.date(2024, 4, 1)
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("LAST-MODIFIED") > datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC)
    assert after.decoded("DTSTAMP") == after.decoded("LAST-MODIFIED")
    assert "until 1 April 2024" in str(after["SUMMARY"])


def test_feed_needs_a_live_calendar_token(client, turkey):
    user = delegate(turkey)
    CommitmentFactory(responsible=[turkey])
    old, old_secret = calendar_token_regenerate(user=user)
    _new, new_secret = calendar_token_regenerate(user=user)
    assert client.get("/calendar/me.ics", {"token": old_secret}).status_code == 401
    assert client.get("/calendar/me.ics", {"token": new_secret}).status_code == 200
    _api, api_secret = access_token_create(user=user, name="API only")
    assert client.get("/calendar/me.ics", {"token": api_secret}).status_code == 401
    assert client.get("/calendar/me.ics").status_code == 302  # to the login page
    client.force_login(user)
    assert client.get("/calendar/party/TR.ics").status_code == 200  # a signed-in browser
    assert client.get("/calendar/party/ZZ.ics").status_code == 404


def test_my_feed_is_my_delegation_and_everything_for_staff(client, turkey):
    mine = CommitmentFactory(responsible=[PartyFactory(code="KZ")], partners=[turkey])
    theirs = CommitmentFactory(responsible=[PartyFactory(code="UZ")])
    _t, secret = calendar_token_regenerate(user=delegate(turkey))
    uids = set(events(client.get("/calendar/me.ics", {"token": secret})))
    assert uids == {f"commitment-{mine.pk}@register.example.org"}
    _t, staff_secret = calendar_token_regenerate(user=staff())
    assert len(events(client.get("/calendar/me.ics", {"token": staff_secret}))) == 2
    assert theirs.pk


def test_feed_keeps_diacritics(client, turkey):
    commitment = CommitmentFactory(
        responsible=[turkey],
        action="Sezai UÇARMAK to open the seminar in İstanbul; Şanlıurfa, Ürümqi to follow",
        deadline_text="by 1 March 2024 (Türkiye's proposal)",
    )
    _token, secret = calendar_token_regenerate(user=delegate(turkey))
    response = client.get("/calendar/party/TR.ics", {"token": secret})
    assert "UÇARMAK".encode() in response.content  # UTF-8, as the Content-Type says
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "OTS customs deadlines — Türkiye"
    event = events(response)[f"commitment-{commitment.pk}@register.example.org"]
    assert str(event["SUMMARY"]) == (
        "[TR] Sezai UÇARMAK to open the seminar in İstanbul; Şanlıurfa, Ürümqi to follow"
        " — by 1 March 2024 (Türkiye's proposal)"
    )
    assert str(event["DESCRIPTION"]).startswith(commitment.action + "\n\nDeadline: by 1 March")


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # the BOM Excel needs
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_export_honours_filters_and_keeps_diacritics(turkey):
    ours = CommitmentFactory(
        responsible=[turkey],
        action="Türkiye to host the seminar in İstanbul",
        responsible_text="Turkish side",
    )
    CommitmentFactory(responsible=[PartyFactory(code="KZ")])
    api = APIClient()
    api.force_authenticate(staff())
    rows = read_csv(api.get("/api/v1/commitments.csv", {"party": "TR"}))
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(ours.pk)
    assert row["action"] == "Türkiye to host the seminar in İstanbul"
    assert row["responsible"] == "TR"
    assert row["deadline"] == "2024-03-01" and row["deadline as written"] == "by 1 March 2024"
    assert row["web"].endswith(f"/commitments/{ours.pk}/")
    assert len(read_csv(api.get("/api/v1/commitments.csv", HTTP_ACCEPT="text/csv"))) == 2
    bad = api.get("/api/v1/commitments.csv", {"due_before": "soon"})
    assert bad.status_code == 400 and b"due_before" in bad.content
    assert APIClient().get("/api/v1/commitments.csv").status_code == 401


def test_seeded_register_exports_every_commitment(seeded):
    api = APIClient()
    api.force_authenticate(staff())
    rows = read_csv(api.get("/api/v1/commitments.csv", {"ordering": "meeting"}))
    assert len(rows) == Commitment.objects.count()
    assert any("Türkiye" in r["action"] or r["responsible"] for r in rows)


# --- a party's calendar and export show its own share ----------------------------------------

REASON = "Parliament ratifies in September"


@pytest.fixture
def c02(seeded):
    return Commitment.objects.get(meeting__series__code="HCA", meeting__number=9, reference="C02")


def party_events(client, code, **headers):
    from parties.models import Party

    _token, secret = calendar_token_regenerate(user=delegate(Party.objects.get(code=code)))
    response = client.get(f"/calendar/party/{code}.ics", {"token": secret}, **headers)
    return response, events(response)


def c02_event(found, c02):
    return found[f"commitment-{c02.pk}@register.example.org"]


def test_an_approved_extension_moves_that_partys_event_only(client, c02):
    from parties.models import Party

    tr = Party.objects.get(code="TR")
    before, found = party_events(client, "TR")
    assert c02_event(found, c02).decoded("DTSTART") == datetime.date(2024, 4, 1)
    request = services.extension_create(
        commitment=c02, user=delegate(tr), deadline=datetime.date(2024, 9, 30), reason=REASON
    )
    services.extension_decide(extension=request, user=staff("boss"), approve=True)

    after, found = party_events(client, "TR", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after["ETag"] != before["ETag"]  # a poll with the old ETag gets the new file
    event = c02_event(found, c02)
    assert event.decoded("DTSTART") == datetime.date(2024, 9, 30)
    assert event["SEQUENCE"] > c02_event(events(before), c02)["SEQUENCE"]
    assert str(event["SUMMARY"]).endswith("— until 1 April 2024, extended to 30 September 2024")
    description = str(event["DESCRIPTION"])
    assert (
        f"\nDeadline: until 1 April 2024 — extended to 30 September 2024: {REASON} "
        "(day precision)\n"
    ) in description
    assert "\nShares: 0 of 6 parties done\nStatus: Open\n" in description

    _response, found = party_events(client, "KZ")
    event = c02_event(found, c02)
    assert event.decoded("DTSTART") == datetime.date(2024, 4, 1)
    assert "\nDeadline: until 1 April 2024 (day precision)\n" in str(event["DESCRIPTION"])


def test_each_partys_calendar_shows_its_own_share_status(client, c02):
    from parties.models import Party

    tr, kz = Party.objects.get(code="TR"), Party.objects.get(code="KZ")
    boss = staff("boss")
    services.share_update_status(commitment=c02, party=tr, user=boss, status="done")
    services.share_update_status(commitment=c02, party=kz, user=boss, status="waived")
    _response, found = party_events(client, "TR")
    event = c02_event(found, c02)
    assert str(event["SUMMARY"]).startswith("✓ ") and event.categories[1] == "Done"
    assert "\nShares: 2 of 6 parties done\nStatus: Done\n" in str(event["DESCRIPTION"])
    _response, found = party_events(client, "KZ")
    assert f"commitment-{c02.pk}@register.example.org" not in found  # waived: left out
    _response, found = party_events(client, "UZ")
    event = c02_event(found, c02)
    assert event.categories[1] == "Open"  # its own share, though the whole is in progress
    assert "\nShares: 2 of 6 parties done\nStatus: Open\n" in str(event["DESCRIPTION"])


@pytest.mark.parametrize("rows", [3, 30])
def test_a_party_calendar_reads_in_constant_queries_whatever_its_shares(
    rows, client, django_assert_num_queries
):
    parties = [PartyFactory(code=code) for code in ("TR", "KZ", "KG", "AZ", "UZ", "HU")]
    for i in range(rows):
        commitment = CommitmentFactory(responsible=parties, partners=[PartyFactory()])
        if i % 2:
            services.extension_create(
                commitment=commitment,
                user=staff("boss"),
                deadline=datetime.date(2024, 6, 30),
                reason="x",
                party=parties[0],
            )
    _token, secret = calendar_token_regenerate(user=delegate(parties[0]))
    # 1 token (+ user), 1 last-used stamp, 1 party, 1 aggregate of the feed and its shares
    # (the ETag), 1 series and party codes, 1 commitments (+ meeting, series, decision, the
    # party's share), 1 their links (+ parties), 1 their approved extensions
    with django_assert_num_queries(8):
        response = client.get("/calendar/party/TR.ics", {"token": secret})
    found = events(response)
    assert len(found) == rows
    extended = [e for e in found.values() if e.decoded("DTSTART") == datetime.date(2024, 6, 30)]
    assert len(extended) == rows // 2


def test_csv_for_a_party_has_its_share_status_and_deadline(c02):
    from parties.models import Party

    tr = Party.objects.get(code="TR")
    services.extension_create(
        commitment=c02,
        user=staff("boss"),
        deadline=datetime.date(2024, 9, 30),
        reason=REASON,
        party=tr,
    )
    services.share_update_status(commitment=c02, party=tr, user=staff("boss"), status="submitted")
    api = APIClient()
    api.force_authenticate(staff())

    def row(code, **params):
        rows = read_csv(api.get("/api/v1/commitments.csv", {"party": code, **params}))
        return next(r for r in rows if r["id"] == str(c02.pk))

    turkey = row("tr")
    assert (turkey["party"], turkey["party role"]) == ("TR", "responsible")
    assert (turkey["share status"], turkey["share deadline"]) == ("submitted", "2024-09-30")
    assert turkey["deadline agreed and extended"] == (
        f"until 1 April 2024 — extended to 30 September 2024: {REASON}"
    )
    assert turkey["deadline"] == "2024-04-01" and turkey["status"] == "in_progress"
    kazakhstan = row("KZ")
    assert (kazakhstan["share status"], kazakhstan["share deadline"]) == ("open", "2024-04-01")
    assert kazakhstan["deadline agreed and extended"] == "until 1 April 2024"
    # the share filters read the same share
    assert row("TR", status="submitted", due_after="2024-09-30")["share status"] == "submitted"
    everyone = read_csv(api.get("/api/v1/commitments.csv"))
    assert "share status" not in everyone[0]


def test_csv_marks_a_partner_without_a_share(turkey):
    CommitmentFactory(responsible=[PartyFactory(code="KZ")], partners=[turkey])
    api = APIClient()
    api.force_authenticate(staff())
    (row,) = read_csv(api.get("/api/v1/commitments.csv", {"party": "TR"}))
    assert (row["party role"], row["share status"], row["share deadline"]) == ("partner", "", "")


@pytest.mark.parametrize("rows", [3, 30])
def test_csv_for_a_party_reads_in_constant_queries(rows, django_assert_num_queries):
    parties = [PartyFactory(code=code) for code in ("TR", "KZ", "KG", "AZ", "UZ", "HU")]
    CommitmentFactory.create_batch(rows, responsible=parties)
    api = APIClient()
    api.force_authenticate(staff())
    # 1 the party filter's choices, 1 the party, 1 commitments (+ meeting, series, decision,
    # due meeting), 1 their links (+ parties), 1 sources, 1 approved extensions
    with django_assert_num_queries(6):
        found = read_csv(api.get("/api/v1/commitments.csv", {"party": "TR"}))
    assert len(found) == rows
