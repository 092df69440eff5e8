"""The browser application's views: permissions, forms, stale edits, history, auth pages."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from actions.filters import CommitmentFilter
from actions.models import Commitment, Precision, ReviewState, Status, StatusUpdate
from actions.selectors import party_obligations
from actions.services import progress_report_create
from actions.templatetags.otsweb import deadline_words
from meetings.models import Meeting
from tests.factories import (
    CommitmentFactory,
    MeetingFactory,
    PartyFactory,
    delegate,
    staff,
)

TODAY = datetime.date(2024, 2, 18)


@pytest.fixture
def parties(db):
    return PartyFactory(code="TR", name="Türkiye"), PartyFactory(code="KZ", name="Kazakhstan")


@pytest.fixture
def tr_commitment(parties):
    tr, kz = parties
    return CommitmentFactory(
        action="Renovate the concept of the Silk Road Initiative",
        reference="C01",
        responsible=[tr],
        partners=[kz],
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Deadlines in words ---------------------------------------------------------------------


def _c(**kw):
    return Commitment(status=Status.OPEN, **kw)


def test_deadline_words_day_precision_reads_days_and_date():
    with translation.override("en"):
        words = deadline_words(
            _c(deadline=datetime.date(2024, 3, 1), deadline_precision="day"), TODAY
        )
    assert words == "in 12 days — 1 March 2024"


def test_deadline_words_month_and_year_precision_show_only_what_was_agreed():
    with translation.override("en"):
        month = deadline_words(
            _c(deadline=datetime.date(2024, 2, 29), deadline_precision=Precision.MONTH),
            TODAY,
        )
        year = deadline_words(
            _c(deadline=datetime.date(2024, 12, 31), deadline_precision=Precision.YEAR), TODAY
        )
    half = deadline_words(_c(deadline=datetime.date(2024, 6, 30), deadline_precision="half"), TODAY)
    assert month == "in 11 days — February 2024"
    assert half == "in 133 days — first half of 2024"
    assert year == "in 317 days — 2024"


def test_deadline_words_overdue_and_undated():
    with translation.override("en"):
        late = deadline_words(
            _c(deadline=datetime.date(2024, 2, 1), deadline_precision="day"), TODAY
        )
        event = deadline_words(_c(due_event="next meeting of the HCA"), TODAY)
    assert late == "17 days overdue — 1 February 2024"
    assert event == "next meeting of the HCA"


def test_deadline_words_in_russian_uses_russian_month_names():
    with translation.override("ru"):
        words = deadline_words(
            _c(deadline=datetime.date(2024, 3, 1), deadline_precision="day"), TODAY
        )
    assert "марта 2024" in words


# Selectors ------------------------------------------------------------------------------


def test_party_obligations_groups_by_today(parties):
    tr, kz = parties
    late = CommitmentFactory(deadline=datetime.date(2024, 2, 1), responsible=[tr])
    soon = CommitmentFactory(deadline=datetime.date(2024, 3, 1), responsible=[tr])
    later = CommitmentFactory(deadline=datetime.date(2024, 6, 1), responsible=[tr])
    done = CommitmentFactory(status=Status.DONE, responsible=[tr])
    CommitmentFactory(deadline=datetime.date(2024, 2, 1), responsible=[kz], partners=[tr])
    result = party_obligations(party=tr, today=TODAY)
    assert result.overdue == [late]
    assert result.due_soon == [soon]
    assert result.later == [later]
    assert result.done == [done]


def test_filter_commitments_by_party_status_meeting_dates_and_words(parties):
    tr, kz = parties
    meeting = MeetingFactory(number=9)
    a = CommitmentFactory(
        meeting=meeting, action="Host a workshop on GPS", responsible=[tr], deadline=TODAY
    )
    other = CommitmentFactory(action="Submit proposals", responsible=[kz], deadline=TODAY)
    b = CommitmentFactory(
        meeting=meeting,
        action="Nominate members",
        responsible=[kz],
        partners=[tr],
        deadline=datetime.date(2024, 1, 1),
    )

    def found(**params):
        with time_machine.travel(TODAY):
            filtered = CommitmentFilter(params, Commitment.objects.all())
            assert filtered.is_valid(), filtered.errors
            return list(filtered.qs.in_register_order())

    assert set(found(party="tr")) == {a, b}
    assert found(party="TR", role="partner") == [b]
    # With a party, the status reads its share: TR has none in b, only a partner's link.
    assert found(status=["overdue"], party="KZ") == [b]
    assert found(status=["overdue"], party="TR") == []
    assert set(found(meeting="hca-9")) == {a, b}
    assert set(found(due_after="2024-02-01")) == {a, other}
    assert found(due_before="2024-01-31", search="nominate") == [b]
    nonsense = CommitmentFilter({"meeting": "nonsense"}, Commitment.objects.all())
    assert not nonsense.is_valid() and "meeting" in nonsense.errors


# Pages and permissions ------------------------------------------------------------------


def test_pages_require_sign_in(client, tr_commitment):
    for url in ["/", "/commitments/", "/meetings/", f"/commitments/{tr_commitment.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@time_machine.travel(datetime.datetime(2024, 2, 18, 12, tzinfo=datetime.UTC), tick=False)
def test_delegate_home_shows_exactly_their_obligations(client, parties, tr_commitment):
    tr, kz = parties
    other = CommitmentFactory(action="Kazakh only obligation", responsible=[kz])
    client.force_login(delegate(tr))
    response = client.get("/")
    text = response.content.decode()
    assert "in 12 days — 1 March 2024" in text
    assert tr_commitment.get_absolute_url() in text
    assert other.get_absolute_url() not in text
    assert "/calendar/party/TR.ics" in text
    assert "/parties/TR/obligations.pdf" in text


def test_delegate_reports_progress_with_attachment(client, parties, tr_commitment):
    tr, _kz = parties
    client.force_login(delegate(tr))
    upload = SimpleUploadedFile("concept.pdf", b"%PDF-1.4 evidence", "application/pdf")
    response = client.post(
        reverse("actions:commitment-report", args=[tr_commitment.pk]),
        {"note": "Concept drafted and sent.", "attachment": upload, "submit_for_review": "on"},
    )
    assert response.status_code == 302
    report = StatusUpdate.objects.get(commitment=tr_commitment, kind="progress")
    assert report.review_state == ReviewState.PENDING
    assert report.original_name == "concept.pdf"
    assert report.attachment.name.endswith(".pdf")  # a random name, the detected type
    tr_commitment.refresh_from_db()
    assert tr_commitment.status == Status.SUBMITTED
    download = client.get(reverse("actions:report-attachment", args=[report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 evidence"


def test_attachment_is_not_served_to_anonymous_users(client, parties, tr_commitment):
    tr, _kz = parties
    report = progress_report_create(
        commitment=tr_commitment,
        user=delegate(tr),
        note="x",
        attachment=SimpleUploadedFile("a.txt", b"secret"),
    )
    response = client.get(reverse("actions:report-attachment", args=[report.pk]))
    assert response.status_code == 302


def test_progress_report_needs_a_note_or_attachment(client, parties, tr_commitment):
    tr, _kz = parties
    client.force_login(delegate(tr))
    response = client.post(reverse("actions:commitment-report", args=[tr_commitment.pk]), {})
    assert response.status_code == 400
    assert "Write what was done, or attach the evidence." in response.content.decode()
    assert not StatusUpdate.objects.exists()


def test_htmx_report_returns_the_follow_up_fragment(client, parties, tr_commitment):
    tr, _kz = parties
    client.force_login(delegate(tr))
    response = client.post(
        reverse("actions:commitment-report", args=[tr_commitment.pk]),
        {"note": "Working on it."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith('<section id="follow-up"')
    assert "Working on it." in text
    assert "Your progress report was recorded." in text


def test_delegate_cannot_edit_other_party_commitment(client, parties, tr_commitment):
    _tr, kz = parties
    client.force_login(delegate(kz))
    page = client.get(tr_commitment.get_absolute_url()).content.decode()
    assert "Report progress" not in page
    assert reverse("actions:commitment-edit", args=[tr_commitment.pk]) not in page
    response = client.post(
        reverse("actions:commitment-report", args=[tr_commitment.pk]), {"note": "Not ours"}
    )
    assert response.status_code == 403
    assert "only on your delegation" in response.content.decode()
    assert (
        client.get(reverse("actions:commitment-edit", args=[tr_commitment.pk])).status_code == 403
    )
    status = client.post(
        reverse("actions:commitment-status", args=[tr_commitment.pk]),
        {"status": "done", "version": tr_commitment.version},
    )
    assert status.status_code == 403
    assert not StatusUpdate.objects.exists()


def test_staff_accepts_a_report_and_closes_the_commitment(client, parties, tr_commitment):
    tr, _kz = parties
    report = progress_report_create(commitment=tr_commitment, user=delegate(tr), note="Done.")
    client.force_login(staff())
    response = client.post(
        reverse("actions:report-review", args=[report.pk]),
        {"decision": "accept", "mark_done": "on", "note": "Thank you."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    tr_commitment.refresh_from_db()
    assert report.review_state == ReviewState.ACCEPTED
    assert tr_commitment.status == Status.DONE


def test_delegate_cannot_review_reports(client, parties, tr_commitment):
    tr, _kz = parties
    author = delegate(tr)
    report = progress_report_create(commitment=tr_commitment, user=author, note="x")
    client.force_login(author)
    response = client.post(
        reverse("actions:report-review", args=[report.pk]), {"decision": "accept"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.review_state == ReviewState.PENDING


def _edit_data(commitment, **overrides):
    data = {
        "version": commitment.version,
        "reference": commitment.reference,
        "action": commitment.action,
        "responsible_text": commitment.responsible_text,
        "deadline_text": commitment.deadline_text,
        "deadline": commitment.deadline.isoformat() if commitment.deadline else "",
        "deadline_precision": commitment.deadline_precision,
        "responsible": [p.pk for p in commitment.responsible],
        "partners": [p.pk for p in commitment.partners],
    }
    data.update(overrides)
    return data


def test_staff_edits_a_deadline(client, tr_commitment):
    client.force_login(staff())
    url = reverse("actions:commitment-edit", args=[tr_commitment.pk])
    response = client.post(
        url, _edit_data(tr_commitment, deadline="2024-04-15", deadline_text="by 15 April 2024")
    )
    assert response.status_code == 302
    tr_commitment.refresh_from_db()
    assert tr_commitment.deadline == datetime.date(2024, 4, 15)
    assert tr_commitment.version == 2
    assert StatusUpdate.objects.filter(commitment=tr_commitment, kind="deadline").exists()


def test_stale_commitment_edit_is_refused_and_input_kept(client, tr_commitment):
    client.force_login(staff())
    url = reverse("actions:commitment-edit", args=[tr_commitment.pk])
    stale = _edit_data(tr_commitment, action="My careful rewording of the action")
    first = client.post(
        url, _edit_data(tr_commitment, deadline="2024-05-01", deadline_text="by 1 May 2024")
    )
    assert first.status_code == 302
    second = client.post(url, stale)
    assert second.status_code == 400
    text = second.content.decode()
    assert "someone else changed this record" in text
    assert "My careful rewording of the action" in text
    tr_commitment.refresh_from_db()
    assert tr_commitment.action == "Renovate the concept of the Silk Road Initiative"
    assert tr_commitment.deadline == datetime.date(2024, 5, 1)
    # What differs is shown side by side, and the form now carries the version just seen.
    saved_now = {label: (saved, typed) for label, saved, typed in second.context["saved_now"]}
    assert saved_now["Deadline"] == ("1 May 2024", "1 March 2024")
    assert second.context["form"].data["version"] == 2
    again = client.post(
        url, {**stale, "deadline": "2024-05-01", "deadline_text": "by 1 May 2024", "version": 2}
    )
    assert again.status_code == 302
    tr_commitment.refresh_from_db()
    assert tr_commitment.action == "My careful rewording of the action"


def test_commitment_form_names_the_bad_field(client, tr_commitment):
    client.force_login(staff())
    url = reverse("actions:commitment-edit", args=[tr_commitment.pk])
    response = client.post(url, _edit_data(tr_commitment, deadline="2024-13-45"))
    assert response.status_code == 400
    assert response.context["form"].errors["deadline"]
    response = client.post(url, _edit_data(tr_commitment, responsible=[]))
    assert response.context["form"].errors["responsible"]


def test_staff_creates_a_commitment(client, parties):
    tr, _kz = parties
    meeting = MeetingFactory(number=9)
    client.force_login(staff())
    response = client.post(
        reverse("actions:commitment-create"),
        {
            "meeting": meeting.pk,
            "action": "Organise a seminar",
            "deadline": "2024-06-30",
            "deadline_precision": "month",
            "deadline_text": "in June 2024",
            "responsible": [tr.pk],
        },
    )
    assert response.status_code == 302
    created = Commitment.objects.get(action="Organise a seminar")
    assert created.responsible == [tr]


def test_commitment_history_shows_who_changed_what(client, tr_commitment):
    user = staff()
    client.force_login(user)
    client.post(
        reverse("actions:commitment-edit", args=[tr_commitment.pk]),
        _edit_data(tr_commitment, deadline="2024-04-15", deadline_text="by 15 April 2024"),
    )
    page = client.get(reverse("actions:commitment-history", args=[tr_commitment.pk]))
    text = page.content.decode()
    assert user.username in text
    assert "15 April 2024" in text
    assert "1 March 2024" in text


def test_delegates_cannot_read_history(client, parties, tr_commitment):
    client.force_login(delegate(parties[0]))
    response = client.get(reverse("actions:commitment-history", args=[tr_commitment.pk]))
    assert response.status_code == 403


def test_commitment_list_filter_errors_are_named(client, parties, tr_commitment):
    client.force_login(delegate(parties[0]))
    response = client.get("/commitments/?due_after=2024-05-01&due_before=2024-01-01")
    assert response.status_code == 200
    assert "“Due until” is before “Due from”." in response.content.decode()
    response = client.get("/commitments/?due_after=yesterday")
    assert "Enter a valid date." in response.content.decode()


# Meetings -------------------------------------------------------------------------------


@pytest.fixture
def hca9(db):
    return MeetingFactory(number=9, city="Tashkent")


def _meeting_data(meeting, **overrides):
    data = {
        "version": meeting.version,
        "series": meeting.series_id,
        "number": meeting.number,
        "title": meeting.title,
        "start_date": meeting.start_date.isoformat() if meeting.start_date else "",
        "end_date": meeting.end_date.isoformat() if meeting.end_date else "",
        "city": meeting.city,
        "status": meeting.status,
    }
    data.update(overrides)
    return data


def test_staff_edits_a_meeting_and_history_records_it(client, hca9):
    user = staff()
    client.force_login(user)
    response = client.post("/meetings/HCA-9/edit/", _meeting_data(hca9, city="Samarkand"))
    assert response.status_code == 302
    hca9.refresh_from_db()
    assert hca9.city == "Samarkand"
    history = client.get("/meetings/HCA-9/history/").content.decode()
    assert "Samarkand" in history and "Tashkent" in history and user.username in history


def test_stale_meeting_edit_is_refused_with_input_kept(client, hca9):
    client.force_login(staff())
    stale = _meeting_data(hca9, title="Title typed in the second tab")
    assert client.post("/meetings/HCA-9/edit/", _meeting_data(hca9, city="Baku")).status_code == 302
    response = client.post("/meetings/HCA-9/edit/", stale)
    assert response.status_code == 400
    assert "someone else changed this record" in response.content.decode()
    assert "Title typed in the second tab" in response.content.decode()


def test_meeting_form_refuses_end_before_start(client, hca9):
    client.force_login(staff())
    response = client.post(
        "/meetings/HCA-9/edit/", _meeting_data(hca9, start_date="2023-12-11", end_date="2023-12-01")
    )
    assert response.status_code == 400
    assert "The meeting cannot end before it starts." in response.content.decode()


def test_meeting_number_must_be_unique_in_series(client, hca9):
    client.force_login(staff())
    data = _meeting_data(hca9)
    data.pop("version")
    response = client.post("/meetings/new/", data)
    assert response.status_code == 400
    assert Meeting.objects.count() == 1


def test_staff_adds_agenda_item_decision_and_participant(client, hca9):
    from parties.models import Person

    tr = PartyFactory(code="TR", name="Türkiye")
    person = Person.objects.create(name="Sezai UÇARMAK", party=tr)
    client.force_login(staff())
    r = client.post("/meetings/HCA-9/agenda/new/", {"number": "1", "title": "Opening", "order": 1})
    assert r.status_code == 302
    item = hca9.agenda_items.get()
    r = client.post(
        "/meetings/HCA-9/decisions/new/",
        {"number": 1, "agenda_item": item.pk, "text": "The Parties agreed."},
    )
    assert r.status_code == 302
    r = client.post(
        "/meetings/HCA-9/participants/new/",
        {"party": tr.pk, "person": person.pk, "honorific": "H.E.", "order": 1, "is_head": "on"},
    )
    assert r.status_code == 302
    page = client.get("/meetings/HCA-9/").content.decode()
    assert "Opening" in page and "The Parties agreed." in page and "Sezai UÇARMAK" in page
    decision = hca9.decisions.get()
    stale = client.post(
        f"/meetings/HCA-9/decisions/{decision.pk}/edit/",
        {"version": 0, "number": 1, "text": "Changed meanwhile"},
    )
    assert stale.status_code == 400
    assert "Changed meanwhile" in stale.content.decode()


def test_delegate_cannot_edit_meetings(client, hca9, parties):
    client.force_login(delegate(parties[0]))
    assert client.get("/meetings/HCA-9/edit/").status_code == 403
    response = client.post("/meetings/HCA-9/edit/", _meeting_data(hca9, city="Nowhere"))
    assert response.status_code == 403
    assert "Only Secretariat staff" in response.content.decode()
    assert client.post("/meetings/HCA-9/agenda/new/", {"number": "1"}).status_code == 403


def test_meeting_page_shows_documents_and_exports(client, hca9, parties):
    from tests.factories import DocumentFactory

    DocumentFactory(meeting=hca9, key="hca_minutes", title="Agreed minutes", text="Full text")
    client.force_login(delegate(parties[0]))
    page = client.get("/meetings/HCA-9/").content.decode()
    assert "/meetings/HCA-9/documents/hca_minutes/" in page
    assert "/meetings/HCA-9/minutes.pdf" in page
    assert "Edit" not in page
    text = client.get("/meetings/HCA-9/documents/hca_minutes/").content.decode()
    assert "Full text" in text


def test_unknown_meeting_is_404(client, parties):
    client.force_login(delegate(parties[0]))
    assert client.get("/meetings/XYZ-1/").status_code == 404
    assert client.get("/meetings/nonsense/").status_code == 404


# Signing in -----------------------------------------------------------------------------


def test_failed_login_shows_a_clear_message(client, db):
    staff()
    response = client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_login_is_locked_after_repeated_failures(client, db, settings):
    staff()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "staff", "password": "pw"})
    assert response.status_code == 429
    assert "Signing in is blocked for now" in response.content.decode()


def test_password_reset_sends_an_email(client, db):
    staff()
    response = client.post("/accounts/password_reset/", {"email": "staff@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_change_page_renders(client, db):
    client.force_login(staff())
    assert client.get("/accounts/password_change/").status_code == 200


def test_pages_render_in_russian(client, parties, tr_commitment):
    client.force_login(delegate(parties[0]))
    response = client.get("/commitments/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Обязательства" in response.content.decode()


def test_staff_change_status_and_a_stale_status_change_is_refused(client, tr_commitment):
    client.force_login(staff())
    url = reverse("actions:commitment-status", args=[tr_commitment.pk])
    ok = client.post(url, {"status": "in_progress", "version": 1, "note": "Started"})
    assert ok.status_code == 302
    stale = client.post(url, {"status": "cancelled", "version": 1, "note": "Old tab"})
    assert stale.status_code == 400
    assert "changed by someone else" in stale.content.decode()
    tr_commitment.refresh_from_db()
    assert tr_commitment.status == Status.IN_PROGRESS


def test_delegate_cannot_close_own_commitment_through_status_form(client, parties, tr_commitment):
    client.force_login(delegate(parties[0]))
    response = client.post(
        reverse("actions:commitment-status", args=[tr_commitment.pk]),
        {"status": "done", "version": tr_commitment.version},
    )
    assert response.status_code == 400
    assert "A delegation cannot move its share" in response.content.decode()
    tr_commitment.refresh_from_db()
    assert tr_commitment.status == Status.OPEN


def test_htmx_review_returns_fragment_with_new_status(client, parties, tr_commitment):
    report = progress_report_create(
        commitment=tr_commitment, user=delegate(parties[0]), note="Done.", status="submitted"
    )
    client.force_login(staff())
    response = client.post(
        reverse("actions:report-review", args=[report.pk]),
        {"decision": "return", "note": "Attach the concept."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "The report was returned." in text
    assert 'id="status-badge" hx-swap-oob="true"' in text
    tr_commitment.refresh_from_db()
    assert tr_commitment.status == Status.IN_PROGRESS


def test_reviewing_twice_names_the_problem(client, parties, tr_commitment):
    report = progress_report_create(
        commitment=tr_commitment, user=delegate(parties[0]), note="Done."
    )
    client.force_login(staff())
    url = reverse("actions:report-review", args=[report.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 302
    again = client.post(url, {"decision": "accept"})
    assert again.status_code == 400
    assert "already been reviewed" in again.content.decode()


def test_url_if_renders_nothing_for_a_part_not_installed():
    from django.template import Context, Template

    template = Template(
        "{% load otsweb %}[{% url_if 'actions:commitment-list' %}][{% url_if 'reports:nope' %}]"
    )
    assert template.render(Context()) == "[/commitments/][]"


def test_meeting_documents_link_their_text_and_pdf(client, hca9, parties):
    from tests.factories import DocumentFactory

    DocumentFactory(meeting=hca9, key="hca_protocol", type="protocol", title="Protocol")
    DocumentFactory(meeting=hca9, key="note", type="note_verbale", title="Note verbale")
    client.force_login(delegate(parties[0]))
    page = client.get("/meetings/HCA-9/").content.decode()
    assert "/meetings/HCA-9/documents/hca_protocol/" in page
    assert '<a href="/meetings/HCA-9/protocol.pdf">PDF' in page
    assert "/meetings/HCA-9/documents/note/" in page
