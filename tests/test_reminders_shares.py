"""Reminders, digests and change notices follow each party's own share of a joint obligation:
on the register as `make run` loads it (HCA-9 C02, "until 1 April 2024", six parties)."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import reminders, services
from actions.models import Commitment, Reminder, ReminderState, ShareStatus
from actions.querysets import deadline_extensions
from actions.templatetags.otsweb import agreed_and_extended
from parties.models import Party
from tests.factories import CommitmentFactory, PartyFactory, delegate, staff

D = datetime.date
pytestmark = pytest.mark.django_db
AGREED = D(2024, 4, 1)
EXTENDED = D(2024, 9, 30)
REASON = "Parliament ratifies in September"


@pytest.fixture
def c02(seeded):
    return Commitment.objects.get(meeting__series__code="HCA", meeting__number=9, reference="C02")


@pytest.fixture
def tr(seeded):
    return Party.objects.get(code="TR")


@pytest.fixture
def kz(seeded):
    return Party.objects.get(code="KZ")


@pytest.fixture
def people(tr, kz):
    return {"tr": delegate(tr), "kz": delegate(kz), "boss": staff("boss")}


@pytest.fixture
def frozen(time_machine):
    # Change notices are dated by the clock; the sweeps below name their day.
    time_machine.move_to(datetime.datetime(2024, 3, 20, 12, tzinfo=datetime.UTC), tick=False)


def reminded(commitment, today) -> set[tuple[str, str, datetime.date]]:
    """(party, kind, deadline) of today's deadline reminders about ``commitment``."""
    codes = dict(Party.objects.values_list("pk", "code"))
    return {
        (codes[p.party_id], p.kind, p.deadline)
        for p in reminders.plan(today=today)
        if p.commitment_id == commitment.pk
    }


def extend_turkey(c02, people, *, approve=True):
    request = services.extension_create(
        commitment=c02, user=people["tr"], deadline=EXTENDED, reason=REASON
    )
    services.extension_decide(extension=request, user=people["boss"], approve=approve, note="")
    return request


def to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def deliver(*users, today):
    for delivery in ("immediate", "digest"):
        reminders.deliver_batch(recipient_ids=[u.pk for u in users], delivery=delivery, today=today)


# --- the done-when of the issue: an extension moves that share's reminders only ---------------


def test_an_approved_extension_moves_that_shares_reminders_only(c02, tr, kz, people, frozen):
    assert reminded(c02, AGREED) == {("TR", "due-today", AGREED), ("KZ", "due-today", AGREED)}
    request = services.extension_create(
        commitment=c02, user=people["tr"], deadline=EXTENDED, reason=REASON
    )
    assert reminded(c02, AGREED) == {("TR", "due-today", AGREED), ("KZ", "due-today", AGREED)}
    services.extension_decide(extension=request, user=people["boss"], approve=True)

    # Türkiye is no longer reminded on the old date; Kazakhstan still is.
    assert reminded(c02, AGREED) == {("KZ", "due-today", AGREED)}
    # Kazakhstan, 25 and 26 weeks late, is reminded weekly.
    assert reminded(c02, D(2024, 9, 23)) == {
        ("TR", "before-7", EXTENDED),
        ("KZ", "overdue-175", AGREED),
    }
    assert reminded(c02, EXTENDED) == {
        ("TR", "due-today", EXTENDED),
        ("KZ", "overdue-182", AGREED),
    }
    # Overdue follows the share's deadline; the deadline as agreed is kept.
    read = Commitment.objects.with_related().prefetch_related(deadline_extensions()).get(pk=c02.pk)
    may = D(2024, 5, 1)
    assert not read.share_for(tr.pk).is_overdue(may) and read.share_for(kz.pk).is_overdue(may)
    assert read.deadline_text == "until 1 April 2024" and read.deadline == AGREED
    assert agreed_and_extended(read, tr.pk) == (
        f"until 1 April 2024 — extended to 30 September 2024: {REASON}"
    )
    assert agreed_and_extended(read, kz.pk) == "until 1 April 2024"


def test_a_reminder_recorded_for_the_old_date_is_skipped_and_the_new_one_reads_as_agreed(
    c02, tr, kz, people, frozen
):
    reminders.sweep(today=D(2024, 3, 25), queue=False)  # before-7 for TR and KZ, unsent
    extend_turkey(c02, people)
    deliver(people["tr"], people["kz"], today=D(2024, 3, 25))
    tr_rows = Reminder.objects.filter(recipient=people["tr"], commitment=c02, kind="before-7")
    assert tr_rows.get().state == ReminderState.SKIPPED
    (kz_mail,) = to(people["kz"])
    assert "Kazakhstan's share: Open" in kz_mail.body and 'Deadline: 1 April 2024 ("until' in (
        kz_mail.body
    )
    mail.outbox.clear()
    reminders.sweep(today=D(2024, 9, 23), queue=False)
    deliver(people["tr"], today=D(2024, 9, 23))
    (tr_mail,) = [m for m in to(people["tr"]) if "due soon" in m.subject]
    assert (
        f"Deadline: 30 September 2024 (until 1 April 2024 — extended to 30 September 2024: "
        f"{REASON}) - 7 days before the deadline"
    ) in tr_mail.body
    assert "HCA-9 C02: Submit proposals" in tr_mail.body and "0 of 6 parties done" in tr_mail.body


def test_a_party_that_has_done_its_share_is_no_longer_reminded(c02, tr, kz, people, frozen):
    reminders.sweep(today=D(2024, 3, 25), queue=False)  # before-7 for TR and KZ, unsent
    report = services.progress_report_create(
        commitment=c02, user=people["tr"], note="Proposals sent", status=ShareStatus.SUBMITTED
    )
    services.progress_report_review(update=report, user=people["boss"], accept=True, mark_done=True)
    assert reminded(c02, AGREED) == {("KZ", "due-today", AGREED)}
    assert reminded(c02, D(2024, 4, 8)) == {("KZ", "overdue-7", AGREED)}
    deliver(people["tr"], people["kz"], today=D(2024, 3, 25))
    before_7 = Reminder.objects.filter(commitment=c02, kind="before-7")
    states = dict(before_7.values_list("party__code", "state"))
    assert states == {"TR": ReminderState.SKIPPED, "KZ": ReminderState.SENT}
    kz_digest = next(m for m in to(people["kz"]) if "due soon" in m.subject)
    assert "1 of 6 parties done" in kz_digest.body


def test_partners_get_no_deadline_reminders_but_hear_of_whole_commitment_changes(frozen):
    turkey, hungary = PartyFactory(code="TR", name="Türkiye"), PartyFactory(code="HU")
    tr_user, hu_user, boss = delegate(turkey), delegate(hungary), staff("boss")
    commitment = CommitmentFactory(responsible=[turkey], partners=[hungary], deadline=AGREED)
    planned = reminders.plan(today=AGREED)
    assert {(p.recipient_id, p.kind) for p in planned if p.commitment_id} == {
        (tr_user.pk, "due-today")
    }
    services.extension_create(commitment=commitment, user=boss, deadline=EXTENDED, reason="x")
    deliver(tr_user, hu_user, today=D(2024, 3, 20))
    assert len(to(hu_user)) == 1 and "for every party" in to(hu_user)[0].body


@pytest.mark.parametrize("joint", [1, 6])
def test_the_sweep_query_count_does_not_grow_with_shares(settings, joint):
    settings.REMINDER_BATCH_SIZE = 1000
    parties = [PartyFactory() for _ in range(6)]
    for party in parties:
        delegate(party)
    tuesday = D(2024, 4, 2)  # no weekly summary
    for i in range(20):
        CommitmentFactory(
            responsible=parties[:joint], deadline=tuesday - datetime.timedelta(7 * (i % 3))
        )
    with CaptureQueriesContext(connection) as queries:
        result = reminders.sweep(today=tuesday, queue=False)
    assert len(result.planned) == 20 * joint
    # min overdue share deadline, due shares, members; savepoint, insert, release;
    # recipients with undelivered rows
    assert len(queries) == 7


# --- change notices: whose report or share, and the deadline as agreed with its extension ----


def test_the_acceptance_names_whose_report_it_was_and_reaches_that_party_only(c02, people, frozen):
    report = services.progress_report_create(
        commitment=c02, user=people["tr"], note="Proposals sent", status=ShareStatus.SUBMITTED
    )
    deliver(people["boss"], today=D(2024, 3, 20))
    (notice,) = to(people["boss"])
    assert "Türkiye reported progress on HCA-9 C02" in notice.body
    assert "Türkiye reported progress on HCA-9 C02: Open → Submitted for review" in notice.body
    services.progress_report_review(update=report, user=people["boss"], accept=True, mark_done=True)
    deliver(people["tr"], people["kz"], today=D(2024, 3, 20))
    (told,) = to(people["tr"])
    assert "Türkiye's report on HCA-9 C02 was accepted" in told.body
    assert "Türkiye's share of HCA-9 C02: Submitted for review → Done" in told.body
    assert to(people["kz"]) == []


def test_a_returned_report_says_so(c02, people, frozen):
    report = services.progress_report_create(commitment=c02, user=people["tr"], note="Draft")
    services.progress_report_review(update=report, user=people["boss"], accept=False, note="More")
    deliver(people["tr"], today=D(2024, 3, 20))
    assert "Türkiye's report on HCA-9 C02 was returned" in to(people["tr"])[0].body


@pytest.mark.parametrize("approve", [True, False])
def test_the_secretariat_hears_the_request_and_the_delegation_the_decision(
    c02, people, frozen, approve
):
    request = services.extension_create(
        commitment=c02, user=people["tr"], deadline=EXTENDED, reason=REASON
    )
    deliver(people["boss"], today=D(2024, 3, 20))
    (asked,) = to(people["boss"])
    assert "Türkiye asks for more time on HCA-9 C02" in asked.body and REASON in asked.body
    services.extension_decide(extension=request, user=people["boss"], approve=approve)
    deliver(people["tr"], people["kz"], today=D(2024, 3, 20))
    (decided,) = to(people["tr"])
    assert "Deadline of Türkiye's share of HCA-9 C02" in decided.body
    if approve:
        assert "Deadline extended to" in decided.body
        assert (
            f"Deadline: until 1 April 2024 — extended to 30 September 2024: {REASON}"
        ) in decided.body
    else:
        assert "refused" in decided.body and "Deadline: until 1 April 2024\n" in decided.body
    assert to(people["kz"]) == []


def test_a_corrected_agreed_deadline_says_what_changed(frozen):
    turkey = PartyFactory(code="TR", name="Türkiye")
    tr_user, boss = delegate(turkey), staff("boss")
    commitment = CommitmentFactory(responsible=[turkey], reference="C09")

    def corrected(**changes) -> str:
        services.commitment_update(
            commitment=commitment, user=boss, expected_version=None, **changes
        )
        return commitment.updates.filter(kind="deadline").latest("id").note

    assert corrected(deadline=D(2024, 3, 15)) == (
        "Agreed deadline corrected: date 1 March 2024 → 15 March 2024. "
        "The phrase as agreed stays “by 1 March 2024”."
    )
    assert corrected(deadline_text="by 15 March 2024") == (
        "Agreed deadline corrected: phrase “by 1 March 2024” → “by 15 March 2024”."
    )
    services.extension_create(commitment=commitment, user=boss, deadline=EXTENDED, reason="x")
    assert corrected(deadline=D(2024, 3, 31), deadline_text="by 31 March 2024") == (
        "Agreed deadline corrected: date 15 March 2024 → 31 March 2024; "
        "phrase “by 15 March 2024” → “by 31 March 2024”. "
        "The extension to 30 September 2024 stays in force."
    )
    deliver(tr_user, today=D(2024, 3, 20))
    body = to(tr_user)[0].body
    assert "Deadline of " in body and "C09, for every party" in body
    assert "changed from" not in body
    assert "Deadline: by 31 March 2024 — extended to 30 September 2024: x" in body


# --- the Secretariat's weekly summary: overdue shares, by party ------------------------------


def test_the_weekly_summary_lists_each_partys_overdue_shares(c02, tr, kz, people, frozen):
    extend_turkey(c02, people)
    monday = D(2024, 5, 6)
    groups = {g["party"].code: g for g in reminders.overdue_by_party(today=monday) if g["party"]}
    labels = {code: [c["label"] for c in g["commitments"]] for code, g in groups.items()}
    assert "HCA-9 C02" in labels["KZ"] and "HCA-9 C02" not in labels["TR"]
    (line,) = [c for c in groups["KZ"]["commitments"] if c["label"] == "HCA-9 C02"]
    assert line["days_late"] == 35 and line["agreed"] == "until 1 April 2024"
    assert list(groups) == sorted(groups, key=lambda code: groups[code]["party"].order)
    reminders.sweep(today=monday, queue=False)
    deliver(people["boss"], today=monday)
    (summary,) = [m for m in to(people["boss"]) if "weekly overdue summary" in m.subject]
    kazakh = summary.body.index("Kazakhstan (")
    assert kazakh < summary.body.index("35 days late: HCA-9 C02", kazakh)
