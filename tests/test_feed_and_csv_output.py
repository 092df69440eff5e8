"""The calendar feed and the CSV export write plain rows (issue 8): each file must stay byte for
byte what the model instances, icalendar's Event objects and csv wrote before, and read back."""

import csv
import datetime
import io

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from actions import exports, feeds
from actions.models import Commitment, CommitmentSource, Precision, Status
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


# -- the feed as it was written before issue 8: icalendar.Event objects from model instances ---
def reference_event(commitment: Commitment, *, host: str) -> icalendar.Event:
    parties = ", ".join(p.code for p in commitment.responsible) or commitment.responsible_text
    phrase = commitment.deadline_text or reference_precision_words(commitment)
    summary = f"{commitment.action[:120]} — {phrase}"
    if parties:
        summary = f"[{parties}] {summary}"
    if commitment.status == Status.DONE:
        summary = f"✓ {summary}"
    event = icalendar.Event()
    event.add("uid", f"commitment-{commitment.pk}@{host}")
    event.add("summary", summary)
    event.add("dtstart", commitment.deadline)
    event.add("dtend", commitment.deadline + datetime.timedelta(days=1))
    event.add("dtstamp", commitment.updated_at)
    event.add("last-modified", commitment.updated_at)
    event.add("created", commitment.created_at)
    event.add("sequence", commitment.version)
    event.add("transp", "TRANSPARENT")
    event.add("status", "CONFIRMED")
    event.add("categories", [commitment.meeting.code, commitment.get_status_display()])
    url = settings.SITE_URL + commitment.get_absolute_url()
    event.add("url", url)
    lines = [
        commitment.action,
        "",
        f"Deadline: {commitment.deadline_text or commitment.deadline.isoformat()}"
        f" ({commitment.get_deadline_precision_display().lower()} precision)",
        f"Responsible: {parties or '—'}",
        f"Agreed at: {commitment.meeting.code}"
        + (f", decision {commitment.decision.number}" if commitment.decision else ""),
        f"Status: {commitment.get_status_display()}",
        url,
    ]
    event.add("description", "\n".join(lines))
    return event


def reference_precision_words(commitment: Commitment) -> str:
    if commitment.deadline_precision == Precision.MONTH:
        return f"in {commitment.deadline:%B %Y}"
    if commitment.deadline_precision == Precision.YEAR:
        return f"in {commitment.deadline.year}"
    return f"by {commitment.deadline.day} {commitment.deadline:%B %Y}"


def reference_calendar(commitments, *, name: str) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", feeds.PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    for commitment in commitments:
        cal.add_component(reference_event(commitment, host=HOST))
    return cal.to_ical()


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


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "tr"])
def test_party_feed_is_byte_for_byte_what_icalendar_events_wrote(client, language):
    turkey = awkward_register()
    _token, secret = calendar_token_regenerate(user=delegate(turkey))
    response = client.get(
        "/calendar/party/tr.ics", {"token": secret}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200

    with translation.override(language):
        expected = reference_calendar(
            Commitment.objects.with_related()
            .filter(deadline__isnull=False, status__in=feeds.FEED_STATUSES)
            .for_party(turkey)
            .order_by("deadline", "id"),
            name="OTS customs deadlines — Türkiye",
        )
    assert response.content.count(b"BEGIN:VEVENT") == 5
    assert response.content == expected


@pytest.mark.django_db
def test_feed_reads_back_with_icalendar_long_lines_folded(client):
    turkey = awkward_register()
    _token, secret = calendar_token_regenerate(user=staff())
    body = client.get("/calendar/me.ics", {"token": secret}).content
    for line in body.split(b"\r\n"):
        assert len(line) <= 75  # octets, continuation space included
    assert b"\r\n " in body  # and there are folded lines
    calendar = icalendar.Calendar.from_ical(body)
    by_uid = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(by_uid) == 5
    first = Commitment.objects.get(decision__number=7)
    event = by_uid[f"commitment-{first.pk}@{HOST}"]
    assert event["SEQUENCE"] == first.version
    assert event.decoded("DTSTART") == first.deadline
    # in the OTS order of the parties, not the order they were linked in
    assert str(event["SUMMARY"]).startswith("[KZ, TR, HU] Türkiye, Kazakhstan and Hungary")
    description = str(event["DESCRIPTION"])
    assert description.startswith(first.action + "\n\nDeadline: by 1 March 2024 (day ")
    assert "Agreed at: HCA-" in description and ", decision 7\n" in description
    assert event.categories == [first.meeting.code, "Open"]
    assert str(event["URL"]) == f"https://{HOST}/commitments/{first.pk}/"
    done = Commitment.objects.get(status=Status.DONE)
    event = by_uid[f"commitment-{done.pk}@{HOST}"]
    assert str(event["SUMMARY"]) == (  # a CRLF in the text comes back as a newline
        "✓ [TR] Report on A,B;C\\D\nand the second line\nand a third — in January 2024"
    )
    assert event.decoded("CREATED") == datetime.datetime(2023, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
    assert event["SEQUENCE"] == 4
    assert turkey.code == "TR"


# -- the CSV export as it was written before issue 8: model instances with prefetches ---------
def reference_row(commitment: Commitment, web_url: str) -> list[str]:
    return [
        str(commitment.pk),
        commitment.meeting.code,
        str(commitment.decision.number) if commitment.decision else "",
        commitment.reference,
        commitment.action,
        "; ".join(p.code for p in commitment.responsible),
        "; ".join(p.code for p in commitment.partners),
        commitment.responsible_text,
        commitment.deadline.isoformat() if commitment.deadline else "",
        commitment.deadline_precision,
        commitment.deadline_text,
        commitment.due_meeting.code if commitment.due_meeting else commitment.due_event,
        commitment.status,
        "; ".join(f"{s.document.key} {s.paragraph}".strip() for s in commitment.cited_sources()),
        commitment.updated_at.isoformat(timespec="seconds"),
        web_url,
    ]


def reference_csv(commitments) -> bytes:
    out = io.StringIO(newline="")
    out.write(exports.BOM)
    writer = csv.writer(out)
    writer.writerow(exports.HEADER)
    for commitment in commitments:
        url = f"http://testserver{commitment.get_absolute_url()}"
        writer.writerow(reference_row(commitment, url))
    return out.getvalue().encode()


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
def test_csv_export_is_byte_for_byte_what_it_wrote_from_model_instances(chunk_size, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", chunk_size)  # chunk boundaries change nothing
    awkward_export()
    api = APIClient()
    api.force_authenticate(staff())
    everything = Commitment.objects.with_related(as_lists=True).order_by("deadline", "id")

    body = b"".join(api.get("/api/v1/commitments.csv").streaming_content)
    assert body == reference_csv(everything)
    assert len(read_rows(body)) == 1 + Commitment.objects.count() == 1 + 7
    assert b",hca9-minutes; hca9-minutes 4.1; hca9-annex 2," in body  # in document order

    ours = b"".join(api.get("/api/v1/commitments.csv", {"party": "TR"}).streaming_content)
    assert ours == reference_csv(everything.for_party("TR"))
    assert len(read_rows(ours)) == 1 + 6 and "İstanbul".encode() in ours


# -- the pieces ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_absolute_urls_are_the_commitments_urls(rf):
    request = rf.get("/")
    url = Commitment.absolute_urls(request.build_absolute_uri)
    for pk in (1, 7, 10, 123456789):
        expected = request.build_absolute_uri(reverse("actions:commitment-detail", args=[pk]))
        assert url(pk) == expected
