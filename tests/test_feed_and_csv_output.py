"""The calendar feed read back with icalendar: every field, escape, diacritic and folded line
comes back as written. And the CSV export, which must stay byte for byte what model
instances and csv wrote before, and read back."""

import csv
import datetime
import io
import re

import icalendar
import pytest
from rest_framework.test import APIClient

from actions import exports, feeds
from actions.models import Commitment, CommitmentSource, Status
from parties.tokens import calendar_token_regenerate
from tests.factories import (
    CommitmentFactory,
    DecisionFactory,
    DocumentFactory,
    MeetingFactory,
    MeetingSeriesFactory,
    PartyFactory,
    delegate,
    staff,
)

HOST = "register.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = f"https://{HOST}"


def awkward_register():
    """Commitments whose events exercise every branch and escape: diacritics, commas,
    semicolons, backslashes and newlines in the text, lines long enough to fold several
    times, every precision, done and open, with and without a decision or parties."""
    turkey = PartyFactory(code="TR", name="Türkiye", order=5)
    kazakhstan = PartyFactory(code="KZ", name="Kazakhstan", order=2)
    hungary = PartyFactory(code="HU", name="Hungary", order=9)
    long_action = (
        "Türkiye, Kazakhstan and Hungary to hold the İstanbul seminar; share the "
        "results (Şanlıurfa, Köln — Ürümqi) with C:\\customs\\risk and every delegation "
        "before the next meeting of the Heads of Customs Administrations in Bakı 𝄞 "
    ) * 3
    decision = DecisionFactory(number=7)
    made = [
        CommitmentFactory(
            action=long_action,
            meeting=decision.meeting,
            decision=decision,
            responsible=[hungary, turkey, kazakhstan],
            partners=[PartyFactory(code="AZ", name="Azərbaycan")],
        ),
        CommitmentFactory(
            action="Report on A,B;C\\D\nand the second line\r\nand a third",
            responsible=[turkey],
            status=Status.DONE,
            deadline=datetime.date(2024, 1, 31),
            deadline_precision="month",
            deadline_text="",
        ),
        CommitmentFactory(
            action="Kazakh side to circulate the draft; Turkish side to comment",
            responsible_text="Turkish side",
            partners=[turkey],
            status=Status.IN_PROGRESS,
            deadline=datetime.date(2025, 12, 31),
            deadline_precision="year",
            deadline_text="",
        ),
        CommitmentFactory(
            action="x" * 73 + "\\,",  # the escape falls where the line folds
            responsible=[turkey],
            status=Status.SUBMITTED,
            deadline=datetime.date(2024, 5, 2),
            deadline_precision="day",
            deadline_text="",
        ),
        CommitmentFactory(
            action="Hold the follow-up meeting",
            responsible=[turkey, kazakhstan],
            deadline=datetime.date(2024, 6, 3),
            deadline_precision="event",
            deadline_text="at the next meeting of the HCA",
        ),
    ]
    # A version and creation time of their own, as an edited commitment has.
    Commitment.objects.filter(pk=made[1].pk).update(
        version=4, created_at=datetime.datetime(2023, 2, 3, 4, 5, 6, 789, tzinfo=datetime.UTC)
    )
    return turkey


def turkey_feed(client, language="en") -> bytes:
    turkey = awkward_register()
    _token, secret = calendar_token_regenerate(user=delegate(turkey))
    response = client.get(
        "/calendar/party/tr.ics", {"token": secret}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


# The labels an event shows, in each language: open, done, and a day precision.
LABELS = {
    "en": ("Open", "Done", "day"),
    "ru": ("Открыто", "Выполнено", "день"),
    "tr": ("Açık", "Tamamlandı", "day"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "tr"])
def test_party_feed_events_read_back_in_every_language(client, language):
    calendar = icalendar.Calendar.from_ical(turkey_feed(client, language))
    assert str(calendar["X-WR-CALNAME"]) == "OTS customs deadlines — Türkiye"
    assert str(calendar["PRODID"]) == feeds.PRODID
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar.decoded("REFRESH-INTERVAL") == datetime.timedelta(hours=6)
    events = calendar.walk("VEVENT")
    # every commitment of the register is TR's (the third as a partner), in deadline order
    commitments = list(Commitment.objects.select_related("meeting__series").order_by("deadline"))
    assert [str(e["UID"]) for e in events] == [f"commitment-{c.pk}@{HOST}" for c in commitments]
    opened, done, day = LABELS[language]
    for event, commitment in zip(events, commitments, strict=True):
        assert event.decoded("DTSTART") == commitment.deadline  # a date: all day
        assert event.decoded("DTEND") == commitment.deadline + datetime.timedelta(days=1)
        assert event["SEQUENCE"] == commitment.version  # no share of TR's has moved
        # the later of the commitment's last change and TR's share's (made just after it);
        # where TR is a partner, the commitment's
        shares = commitment.links.filter(party__code="TR", role="responsible")
        changed = max([commitment.updated_at, *(s.updated_at for s in shares)])
        changed = changed.replace(microsecond=0)
        assert event.decoded("DTSTAMP") == event.decoded("LAST-MODIFIED") == changed
        assert event.decoded("CREATED") == commitment.created_at.replace(microsecond=0)
        assert str(event["STATUS"]) == "CONFIRMED" and str(event["TRANSP"]) == "TRANSPARENT"
        url = f"https://{HOST}/commitments/{commitment.pk}/"
        assert str(event["URL"]) == url
        assert event.categories[0] == commitment.meeting.code
        assert str(event["DESCRIPTION"]).endswith(f"\nStatus: {event.categories[1]}\n{url}")
        assert str(event["SUMMARY"]).startswith("✓ ") == (commitment.status == Status.DONE)
    done_one, first = events[0], events[1]  # in January 2024; by 1 March 2024
    assert done_one.categories[1] == done and first.categories[1] == opened
    assert f"\nDeadline: by 1 March 2024 ({day} precision)\n" in str(first["DESCRIPTION"])


@pytest.mark.django_db
def test_feed_text_comes_back_exactly(client):
    """Diacritics, commas, semicolons, backslashes and newlines, in the summary and the
    description, through my feed of every party (a Secretariat user's)."""
    awkward_register()
    _token, secret = calendar_token_regenerate(user=staff())
    body = client.get("/calendar/me.ics", {"token": secret}).content
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "OTS customs deadlines — all parties"
    by_uid = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(by_uid) == 5

    def event(commitment):
        return by_uid[f"commitment-{commitment.pk}@{HOST}"]

    first = Commitment.objects.select_related("meeting__series").get(decision__number=7)
    found = event(first)
    # the parties in the OTS order, not the order they were linked in; the action cut at 120
    assert str(found["SUMMARY"]) == f"[KZ, TR, HU] {first.action[:120]} — by 1 March 2024"
    assert "İstanbul" in str(found["SUMMARY"]) and "Şanlıurfa" in str(found["SUMMARY"])
    assert str(found["DESCRIPTION"]) == "\n".join(
        [
            first.action,  # Türkiye, İstanbul, C:\customs\risk, 𝄞, three times over
            "",
            "Deadline: by 1 March 2024 (day precision)",
            "Responsible: KZ, TR, HU",
            f"Agreed at: {first.meeting.code}, decision 7",
            "Shares: 0 of 3 parties done",
            "Status: Open",
            f"https://{HOST}/commitments/{first.pk}/",
        ]
    )

    done = Commitment.objects.get(status=Status.DONE)
    found = event(done)
    assert str(found["SUMMARY"]) == (  # a CRLF in the text comes back as a newline
        "✓ [TR] Report on A,B;C\\D\nand the second line\nand a third — in January 2024"
    )
    assert str(found["DESCRIPTION"]).startswith(
        "Report on A,B;C\\D\nand the second line\nand a third\n\n"
        "Deadline: 2024-01-31 (month precision)\nResponsible: TR\n"
    )
    assert found.decoded("CREATED") == datetime.datetime(2023, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
    assert found["SEQUENCE"] == 4

    partner_only = Commitment.objects.get(status=Status.IN_PROGRESS)  # no responsible party
    assert str(event(partner_only)["SUMMARY"]) == (
        "[Turkish side] Kazakh side to circulate the draft; Turkish side to comment — in 2025"
    )
    assert "\nAgreed at: " in str(event(partner_only)["DESCRIPTION"])
    assert ", decision" not in str(event(partner_only)["DESCRIPTION"])

    escape_at_fold = Commitment.objects.get(status=Status.SUBMITTED)
    assert str(event(escape_at_fold)["SUMMARY"]) == "[TR] " + "x" * 73 + "\\, — by 2 May 2024"
    meeting = Commitment.objects.get(deadline_precision="event")
    assert str(event(meeting)["SUMMARY"]) == (
        "[KZ, TR] Hold the follow-up meeting — at the next meeting of the HCA"
    )


@pytest.mark.django_db
def test_feed_lines_are_folded_as_rfc_5545_says(client):
    body = turkey_feed(client)
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert not any(b"\n" in line or b"\r" in line for line in lines)  # CRLF line breaks only
    for line in lines:
        assert len(line) <= 75  # octets, the continuation's space included
        line.decode()  # no multi-octet character is cut in two (𝄞 is four, İ two)
    folded = [line for line in lines if line.startswith(b" ")]
    assert len(folded) > 20  # the long action folds several times in the summary and more
    for line in body.replace(b"\r\n ", b"").split(b"\r\n")[:-1]:  # unfolded
        assert re.match(rb"[A-Z][A-Z-]*[;:]", line), line
    assert body.count(b"BEGIN:VEVENT") == body.count(b"END:VEVENT") == 5


# -- the CSV export ---------------------------------------------------------------------------
def read_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def awkward_export():
    """The calendar's commitments, and some only an export shows: undated, cancelled, due at
    a later meeting, with a reference, and cited in documents (one paragraph left empty)."""
    turkey = awkward_register()
    later = MeetingFactory(series=MeetingSeriesFactory(code="WG", name="Working Group"))
    undated = CommitmentFactory(
        action='Quote "this", then that',
        reference="C07",
        responsible=[turkey],
        deadline=None,
        deadline_precision="",
        deadline_text="",
        due_meeting=later,
    )
    cancelled = CommitmentFactory(
        responsible=[PartyFactory(code="UZ", name="Oʻzbekiston")],
        status=Status.CANCELLED,
        due_event="next meeting of the HCA",
    )
    minutes, annex = DocumentFactory(key="hca9-minutes"), DocumentFactory(key="hca9-annex")
    first = Commitment.objects.get(decision__number=7)
    for commitment, document, paragraph in [
        (first, annex, "2"),
        (first, minutes, "4.1"),
        (first, minutes, ""),
        (undated, annex, "7"),
        (cancelled, minutes, "9"),
    ]:
        CommitmentSource.objects.create(
            commitment=commitment, document=document, paragraph=paragraph
        )


@pytest.mark.django_db
@pytest.mark.parametrize("chunk_size", [500, 2])
def test_csv_export_writes_every_column_in_register_order(chunk_size, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", chunk_size)  # chunk boundaries change nothing
    awkward_export()
    api = APIClient()
    api.force_authenticate(staff())

    body = b"".join(api.get("/api/v1/commitments.csv").streaming_content)
    assert body.startswith(exports.BOM.encode())
    header, *rows = read_rows(body)
    assert header == exports.HEADER
    assert len(rows) == Commitment.objects.count() == 7
    by_id = {int(row[0]): dict(zip(header, row, strict=True)) for row in rows}
    ordered = [c.pk for c in Commitment.objects.in_register_order()]
    assert [int(row[0]) for row in rows] == ordered  # undated last
    first = by_id[Commitment.objects.get(decision__number=7).pk]
    assert first["sources"] == "hca9-minutes; hca9-minutes 4.1; hca9-annex 2"  # document order
    assert first["decision"] == "7" and first["meeting"].startswith("HCA-")
    assert first["web"] == f"http://testserver/commitments/{first['id']}/"
    undated = by_id[Commitment.objects.get(reference="C07").pk]
    assert undated["deadline"] == "" and undated["due at"].startswith("WG-")
    assert undated["action"] == 'Quote "this", then that' and undated["responsible"] == "TR"
    cancelled = by_id[Commitment.objects.get(status=Status.CANCELLED).pk]
    assert cancelled["due at"] == "next meeting of the HCA" and cancelled["status"] == "cancelled"

    ours = b"".join(api.get("/api/v1/commitments.csv", {"party": "TR"}).streaming_content)
    assert len(read_rows(ours)) == 1 + 6 and "İstanbul".encode() in ours
