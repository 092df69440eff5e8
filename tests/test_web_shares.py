"""The commitment page and the register lists follow each party's share: its status, its
deadline and extensions, who may move it, and whose history a delegation sees."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse

from actions import services
from actions.models import (
    Commitment,
    CommitmentParty,
    DeadlineExtension,
    ExtensionState,
    ShareStatus,
    Status,
    StatusUpdate,
)
from parties.models import Party
from tests.factories import CommitmentFactory, PartyFactory, delegate, staff

pytestmark = pytest.mark.django_db

APRIL = datetime.date(2024, 4, 1)


@pytest.fixture
def parties():
    return (
        PartyFactory(code="TR", name="Türkiye", order=4),
        PartyFactory(code="KZ", name="Kazakhstan", order=2),
        PartyFactory(code="AZ", name="Azerbaijan", order=1),
        PartyFactory(code="OTS", name="OTS Secretariat", order=9),
    )


@pytest.fixture
def joint(parties):
    """Three parties' shares of one obligation, the Secretariat as partner."""
    tr, kz, az, ots = parties
    return CommitmentFactory(
        reference="C02",
        action="Submit proposals on the draft Technical Conditions",
        deadline=APRIL,
        deadline_text="until 1 April 2024",
        responsible=[tr, kz, az],
        partners=[ots],
    )


def share(commitment, code) -> CommitmentParty:
    return CommitmentParty.objects.get(commitment=commitment, party__code=code)


def text(response) -> str:
    """The page's text without its markup, spaces collapsed."""
    return text_of(response.content.decode())


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


def share_url(commitment, code) -> str:
    return reverse("actions:share-status", args=[commitment.pk, code])


# The commitment page shows every share ---------------------------------------------------


def test_the_page_shows_every_share_and_how_many_parties_are_done(client, seeded):
    c02 = Commitment.objects.get(meeting__series__code="HCA", meeting__number=9, reference="C02")
    tr = Party.objects.get(code="TR")
    report = services.progress_report_create(
        commitment=c02, user=delegate(tr), note="Proposals sent to the Secretariat"
    )
    services.progress_report_review(update=report, user=staff(), accept=True, mark_done=True)
    client.force_login(delegate(Party.objects.get(code="KZ")))
    response = client.get(c02.get_absolute_url())
    page = text(response)
    assert "1 of 6 parties done" in page
    rows = response.context["share_rows"]
    assert [row.party.code for row in rows] == ["AZ", "KZ", "KG", "TR", "UZ", "HU"]
    assert {row.party.code: row.share.status for row in rows}["TR"] == ShareStatus.DONE
    tr_row = next(row for row in rows if row.party.code == "TR")
    assert tr_row.latest == report
    assert re.search(r"Türkiye Done .* Accepted Proposals sent to the Secretariat", page)
    assert re.search(r"Kazakhstan Open .* no report yet Kyrgyzstan", page)
    assert "as agreed: until 1 April 2024" in page


def test_partners_are_listed_as_partners_without_a_share(client, joint):
    client.force_login(staff())
    response = client.get(joint.get_absolute_url())
    assert [row.party.code for row in response.context["share_rows"]] == ["AZ", "KZ", "TR"]
    assert "OTS Secretariat Partner: no share of its own" in text(response)
    assert "0 of 3 parties done" in text(response)


def test_a_single_share_shows_no_count_of_parties(client, parties):
    tr = parties[0]
    alone = CommitmentFactory(responsible=[tr])
    client.force_login(staff())
    assert "parties done" not in text(client.get(alone.get_absolute_url()))


def test_the_deadline_block_shows_the_agreed_deadline_and_the_extension_in_force(client, joint):
    client.force_login(staff())
    response = client.post(
        reverse("actions:extension-create", args=[joint.pk]),
        {"party": "", "deadline": "2025-06-30", "reason": "The draft came late"},
    )
    assert response.status_code == 302
    page = text(client.get(joint.get_absolute_url()))
    assert "as agreed: until 1 April 2024 — extended to 30 June 2025: The draft came late" in page
    joint.refresh_from_db()
    assert (joint.deadline, joint.agreed_deadline) == (datetime.date(2025, 6, 30), APRIL)


def test_a_share_extended_alone_shows_its_own_deadline_and_extension(client, joint):
    services.extension_create(
        commitment=joint,
        user=staff(),
        deadline=datetime.date(2024, 9, 30),
        reason="Elections",
        party=Party.objects.get(code="KZ"),
    )
    client.force_login(staff())
    page = text(client.get(joint.get_absolute_url()))
    assert "30 September 2024 until 1 April 2024 — extended to 30 September 2024: Elections" in (
        page
    )
    # The whole commitment's deadline is still the agreed one.
    assert "as agreed: until 1 April 2024 precision" in page


# Who moves which share -------------------------------------------------------------------


def test_a_delegation_moves_only_its_own_share(client, joint):
    client.force_login(delegate(Party.objects.get(code="TR")))
    page = client.get(joint.get_absolute_url())
    assert page.context["own_share_form"] is not None
    assert all(row.form is None for row in page.context["share_rows"])
    assert share_url(joint, "KZ") not in page.content.decode()
    response = client.post(
        share_url(joint, "TR"),
        {"status": "in_progress", "note": "Drafting", "version": share(joint, "TR").version},
    )
    assert response.status_code == 302
    assert share(joint, "TR").status == ShareStatus.IN_PROGRESS
    assert share(joint, "KZ").status == ShareStatus.OPEN
    joint.refresh_from_db()
    assert joint.status == Status.IN_PROGRESS
    update = StatusUpdate.objects.get(commitment=joint, kind="status")
    assert (update.party.code, update.note) == ("TR", "Drafting")
    other = client.post(
        share_url(joint, "KZ"), {"status": "in_progress", "version": share(joint, "KZ").version}
    )
    assert other.status_code == 403
    assert "only its own party's share" in text(other)
    assert share(joint, "KZ").status == ShareStatus.OPEN


def test_a_status_must_be_chosen(client, joint):
    client.force_login(staff())
    response = client.post(share_url(joint, "KZ"), {"status": "", "version": 1})
    assert response.status_code == 400
    kz_row = next(r for r in response.context["share_rows"] if r.party.code == "KZ")
    assert kz_row.form.errors["status"] == ["This field is required."]
    assert share(joint, "KZ").status == ShareStatus.OPEN


def test_a_delegation_cannot_mark_its_own_share_done(client, joint):
    client.force_login(delegate(Party.objects.get(code="TR")))
    response = client.post(share_url(joint, "TR"), {"status": "done", "version": 1})
    assert response.status_code == 400
    assert "A delegation cannot move its share from “Open” to “Done”." in text(response)
    assert share(joint, "TR").status == ShareStatus.OPEN


def test_a_stale_share_version_is_refused_and_the_input_kept(client, joint):
    tr = Party.objects.get(code="TR")
    services.share_update_status(
        commitment=joint, party=tr, user=delegate(tr, "tr-colleague"), status="in_progress"
    )
    client.force_login(delegate(tr))
    response = client.post(
        share_url(joint, "TR"),
        {"status": "submitted", "note": "Sent on 28 March, see the letter", "version": 1},
    )
    assert response.status_code == 400
    page = text(response)
    assert "someone else changed Türkiye's share meanwhile; it is now “In progress”" in page
    assert "Sent on 28 March, see the letter" in response.content.decode()
    assert share(joint, "TR").status == ShareStatus.IN_PROGRESS
    # The form now carries the version just seen: sending it again applies it on purpose.
    form = response.context["own_share_form"]
    assert form.data["version"] == 2
    again = client.post(share_url(joint, "TR"), dict(form.data.items()))
    assert again.status_code == 302
    assert share(joint, "TR").status == ShareStatus.SUBMITTED


def test_the_secretariat_moves_each_share_and_decides_on_the_whole(client, joint):
    client.force_login(staff())
    page = client.get(joint.get_absolute_url())
    assert [row.form is not None for row in page.context["share_rows"]] == [True] * 3
    whole = page.context["status_form"]
    assert [value for value, _label in whole.fields["status"].widget.choices] == [
        "",
        "done",
        "cancelled",
        "superseded",
    ]
    waived = client.post(
        share_url(joint, "AZ"), {"status": "waived", "note": "Not concerned", "version": 1}
    )
    assert waived.status_code == 302
    assert share(joint, "AZ").status == ShareStatus.WAIVED
    every = client.post(
        reverse("actions:commitment-status", args=[joint.pk]),
        {"status": "done", "note": "All received", "version": Commitment.objects.get().version},
    )
    assert every.status_code == 302
    joint.refresh_from_db()
    assert joint.status == Status.DONE
    assert {s.party.code: s.status for s in joint.shares} == {
        "AZ": "waived",
        "KZ": "done",
        "TR": "done",
    }
    reopen = client.get(joint.get_absolute_url()).context["status_form"]
    assert [value for value, _label in reopen.fields["status"].widget.choices] == [
        "",
        "in_progress",
    ]


def test_the_htmx_answer_refreshes_the_status_and_the_count_of_parties(client, joint):
    client.force_login(staff())
    response = client.post(
        share_url(joint, "KZ"), {"status": "done", "version": 1}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    markup = response.content.decode()
    assert markup.lstrip().startswith('<section id="follow-up"')
    assert 'id="status-badge" hx-swap-oob="true"' in markup
    assert "1 of 3 parties done" in text(response)
    assert "Kazakhstan's share is now “Done”." in text(response)


# Reports and reviews, per share ----------------------------------------------------------


def test_the_review_names_whose_report_it_is(client, joint):
    tr = Party.objects.get(code="TR")
    report = services.progress_report_create(
        commitment=joint, user=delegate(tr), note="Our views", status="submitted"
    )
    client.force_login(staff())
    page = text(client.get(joint.get_absolute_url()))
    assert "Review Türkiye's report" in page
    assert "Mark Türkiye's share as done" in page
    assert "Türkiye's report" in text(client.get(reverse("actions:awaiting-decision")))
    response = client.post(
        reverse("actions:report-review", args=[report.pk]),
        {"decision": "accept", "mark_done": "on", "note": "Thank you"},
    )
    assert response.status_code == 302
    assert share(joint, "TR").status == ShareStatus.DONE
    assert share(joint, "KZ").status == ShareStatus.OPEN
    joint.refresh_from_db()
    assert joint.status == Status.IN_PROGRESS


def test_a_delegation_whose_share_is_done_reports_no_more(client, joint):
    tr = Party.objects.get(code="TR")
    services.share_update_status(commitment=joint, party=tr, user=staff(), status="done")
    client.force_login(delegate(tr))
    page = client.get(joint.get_absolute_url())
    assert not page.context["can_report"]
    assert page.context["own_share_form"] is None
    assert "Report progress" not in page.content.decode()


def test_the_secretariat_reports_on_behalf_of_a_party(client, joint):
    client.force_login(staff())
    response = client.post(
        reverse("actions:commitment-report", args=[joint.pk]),
        {"party": "KZ", "note": "Received by letter", "submit_for_review": "on"},
    )
    assert response.status_code == 302
    report = StatusUpdate.objects.get(commitment=joint, kind="progress")
    assert report.party.code == "KZ"
    assert share(joint, "KZ").status == ShareStatus.SUBMITTED


# History: a delegation sees its own share's and the whole commitment's ----------------------


def test_a_delegation_sees_its_own_shares_history_and_the_whole_commitments(client, joint):
    tr, kz = Party.objects.get(code="TR"), Party.objects.get(code="KZ")
    boss = staff()
    report = services.progress_report_create(
        commitment=joint, user=delegate(tr), note="Turkish draft"
    )
    services.progress_report_review(update=report, user=boss, accept=False, note="Too short")
    services.share_update_status(
        commitment=joint, party=kz, user=boss, status="waived", note="Not concerned"
    )
    services.extension_create(
        commitment=joint, user=delegate(tr), deadline=datetime.date(2024, 6, 1), reason="Busy"
    )
    services.extension_create(
        commitment=joint, user=boss, deadline=datetime.date(2024, 5, 1), reason="For all"
    )
    client.force_login(delegate(tr))
    response = client.get(joint.get_absolute_url())
    page = text(response)
    assert "Turkish draft" in page and "Too short" in page
    assert "Not concerned" not in page
    assert "Deadline extended to" in page and "For all" in page
    assert [e.reason for e in response.context["extensions"]] == ["Busy", "For all"]
    # Kazakhstan reads Türkiye's report (the progress is everyone's), not the Secretariat's
    # review of it, nor Türkiye's request for more time.
    client.force_login(delegate(kz))
    response = client.get(joint.get_absolute_url())
    page = text(response)
    assert "Turkish draft" in page and "Too short" not in page and "Busy" not in page
    assert "Not concerned" in page and "For all" in page
    assert [e.reason for e in response.context["extensions"]] == ["For all"]
    client.force_login(delegate(Party.objects.get(code="OTS")))  # a partner
    response = client.get(joint.get_absolute_url())
    assert [u.kind for u in response.context["updates"]] == ["deadline", "progress"]
    client.force_login(boss)
    response = client.get(joint.get_absolute_url())
    # the report, its review, the status changes of TR's (returned) and KZ's share, the
    # request, the extension
    assert len(response.context["updates"]) == 5
    assert [e.state for e in response.context["extensions"]] == ["pending", "approved"]


# Extensions ------------------------------------------------------------------------------


def test_a_delegation_asks_for_more_time_and_the_secretariat_approves(client, joint):
    kz = Party.objects.get(code="KZ")
    client.force_login(delegate(kz))
    asked = client.post(
        reverse("actions:extension-create", args=[joint.pk]),
        # A delegation asks for its own share whatever party it names.
        {"party": "TR", "deadline": "2024-07-01", "reason": "The parliament meets in June"},
    )
    assert asked.status_code == 302
    request = DeadlineExtension.objects.get()
    assert (request.party, request.state) == (kz, ExtensionState.PENDING)
    page = client.get(joint.get_absolute_url())
    assert "the Secretariat has not decided yet" in text(page)
    assert page.context["pending_extensions"] == [request]

    client.force_login(staff())
    page = client.get(joint.get_absolute_url())
    assert "Kazakhstan asks for more time, until 1 July 2024" in text(page)
    awaiting = reverse("actions:awaiting-decision")
    assert "Kazakhstan asks for more time" in text(client.get(awaiting))
    decided = client.post(
        reverse("actions:extension-decide", args=[request.pk]),
        {"decision": "approve", "note": "Granted once", "next": awaiting},
    )
    assert decided.status_code == 302 and decided["Location"] == awaiting
    assert share(joint, "KZ").deadline == datetime.date(2024, 7, 1)
    assert share(joint, "TR").deadline is None
    page = text(client.get(joint.get_absolute_url()))
    assert "1 July 2024 until 1 April 2024 — extended to 1 July 2024: The parliament" in page
    assert "Approved" in page and "Granted once" in page


def test_the_secretariat_refuses_a_request_with_a_note(client, joint):
    kz = Party.objects.get(code="KZ")
    request = services.extension_create(
        commitment=joint, user=delegate(kz), deadline=datetime.date(2024, 7, 1), reason="Busy"
    )
    client.force_login(staff())
    url = reverse("actions:extension-decide", args=[request.pk])
    response = client.post(url, {"decision": "refuse", "note": "Send what you have"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.decision_note) == ("refused", "Send what you have")
    assert share(joint, "KZ").deadline is None
    again = client.post(url, {"decision": "approve"})
    assert again.status_code == 400
    assert "already been decided" in text(again)


def test_only_the_secretariat_decides_and_only_a_share_asks(client, joint):
    kz = Party.objects.get(code="KZ")
    request = services.extension_create(
        commitment=joint, user=delegate(kz), deadline=datetime.date(2024, 7, 1), reason="Busy"
    )
    client.force_login(delegate(kz))
    decide = client.post(
        reverse("actions:extension-decide", args=[request.pk]), {"decision": "approve"}
    )
    assert decide.status_code == 403
    client.force_login(delegate(Party.objects.get(code="OTS")))  # a partner, without a share
    asked = client.post(
        reverse("actions:extension-create", args=[joint.pk]),
        {"deadline": "2024-07-01", "reason": "x"},
    )
    assert asked.status_code == 403
    client.force_login(staff())
    assert client.get(reverse("actions:awaiting-decision")).status_code == 200
    client.force_login(delegate(kz))
    assert client.get(reverse("actions:awaiting-decision")).status_code == 403


def test_an_extension_must_be_later_and_explained(client, joint):
    client.force_login(staff())
    url = reverse("actions:extension-create", args=[joint.pk])
    early = client.post(url, {"party": "TR", "deadline": "2024-03-01", "reason": "x"})
    assert early.status_code == 400
    assert "must be later than the deadline now, " in text(early)
    unexplained = client.post(url, {"party": "", "deadline": "2024-06-01", "reason": ""})
    assert unexplained.status_code == 400
    assert unexplained.context["extension_form"].errors["reason"]
    assert not DeadlineExtension.objects.exists()


# The edit form corrects the agreed deadline; more time is an extension -------------------


def _edit(commitment, **overrides):
    data = {
        "version": commitment.version,
        "reference": commitment.reference,
        "action": commitment.action,
        "deadline_text": commitment.deadline_text,
        "deadline": commitment.agreed_deadline.isoformat(),
        "deadline_precision": commitment.agreed_precision,
        "responsible": [p.pk for p in commitment.responsible],
        "partners": [p.pk for p in commitment.partners],
    }
    return {**data, **overrides}


def test_a_new_date_under_the_old_phrase_is_refused(client, joint):
    client.force_login(staff())
    url = reverse("actions:commitment-edit", args=[joint.pk])
    response = client.post(url, _edit(joint, deadline="2025-06-30"))
    assert response.status_code == 400
    message = " ".join(response.context["form"].errors["deadline"])
    assert "still says “until 1 April 2024”" in message
    assert "record an extension" in message
    joint.refresh_from_db()
    assert joint.deadline == APRIL
    corrected = client.post(
        url, _edit(joint, deadline="2024-04-15", deadline_text="until 15 April 2024")
    )
    assert corrected.status_code == 302
    joint.refresh_from_db()
    assert (joint.agreed_deadline, joint.deadline) == ((datetime.date(2024, 4, 15),) * 2)


def test_editing_an_extended_commitment_keeps_its_extension(client, joint):
    services.extension_create(
        commitment=joint, user=staff(), deadline=datetime.date(2025, 6, 30), reason="Late"
    )
    joint.refresh_from_db()
    client.force_login(staff())
    url = reverse("actions:commitment-edit", args=[joint.pk])
    form = client.get(url).context["form"]
    assert form.initial["deadline"] == APRIL
    assert "It was extended to 30 June 2025" in str(form.fields["deadline"].help_text)
    response = client.post(url, _edit(joint, action="Submit proposals and views"))
    assert response.status_code == 302
    joint.refresh_from_db()
    assert (joint.agreed_deadline, joint.deadline) == (APRIL, datetime.date(2025, 6, 30))


# The register lists ----------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2024, 3, 15, 12, tzinfo=datetime.UTC), tick=False)
def test_the_list_counts_the_parties_done_and_shows_a_partys_own_share(client, joint, parties):
    tr, kz, _az, _ots = parties
    services.share_update_status(commitment=joint, party=tr, user=staff(), status="done")
    services.extension_create(
        commitment=joint, user=staff(), deadline=datetime.date(2024, 9, 30), reason="x", party=kz
    )
    alone = CommitmentFactory(responsible=[kz], deadline=datetime.date(2024, 5, 1))
    client.force_login(delegate(kz))
    listed = text(client.get("/commitments/"))
    assert "In progress 1 of 3 done" in listed
    mine = client.get("/commitments/?party=KZ")
    rows = re.findall(r"<tr>.*?</tr>", mine.content.decode(), flags=re.S)
    joint_row = text_of(next(row for row in rows if joint.get_absolute_url() in row))
    assert "in 199 days — 30 September 2024" in joint_row and "(extended)" in joint_row
    assert joint_row.rstrip().endswith("Open")
    assert "of 3 done" not in joint_row
    theirs = text_of(
        next(
            row
            for row in re.findall(
                r"<tr>.*?</tr>", client.get("/commitments/?party=TR").content.decode(), re.S
            )
            if joint.get_absolute_url() in row
        )
    )
    assert theirs.rstrip().endswith("Done") and "1 April 2024" in theirs
    assert "days" not in theirs  # a finished share counts no days
    assert alone.get_absolute_url() in mine.content.decode()
    partner = text(client.get("/commitments/?party=OTS"))
    assert "In progress partner" in partner


def test_the_timeline_of_a_party_follows_its_shares_deadline(client, joint, parties):
    kz = parties[1]
    services.extension_create(
        commitment=joint, user=staff(), deadline=datetime.date(2024, 9, 30), reason="x", party=kz
    )
    client.force_login(staff())
    months = client.get("/commitments/timeline/?party=KZ").context["months"]
    assert list(months) == [datetime.date(2024, 9, 1)]
    months = client.get("/commitments/timeline/?party=TR").context["months"]
    assert list(months) == [datetime.date(2024, 4, 1)]
    page = text(client.get("/commitments/timeline/"))
    assert "0 of 3 done" in page


def test_a_refusal_on_a_cancelled_commitment_is_shown(client, joint):
    boss = staff()
    services.commitment_update_status(commitment=joint, user=boss, status="cancelled")
    client.force_login(boss)
    page = client.get(joint.get_absolute_url())
    assert all(row.form is None for row in page.context["share_rows"])
    assert not page.context["can_extend"]
    moved = client.post(share_url(joint, "KZ"), {"status": "done", "version": 1})
    assert moved.status_code == 400
    assert "This commitment is Cancelled." in text(moved)
    extended = client.post(
        reverse("actions:extension-create", args=[joint.pk]),
        {"party": "", "deadline": "2025-01-01", "reason": "x"},
    )
    assert extended.status_code == 400
    assert "This commitment is Cancelled." in text(extended)
