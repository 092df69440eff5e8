"""Each responsible party follows its own share of a joint obligation to done."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions import services
from actions.filters import CommitmentFilter
from actions.models import Commitment, Reminder, ShareStatus, Status, StatusUpdate
from parties.models import Party
from tests.factories import CommitmentFactory, PartyFactory, delegate, staff

pytestmark = pytest.mark.django_db


def shares(commitment) -> dict[str, str]:
    return {
        link.party.code: link.status
        for link in commitment.links.select_related("party")
        if link.role == "responsible"
    }


@pytest.fixture
def c02(seeded):
    return Commitment.objects.get(meeting__series__code="HCA", meeting__number=9, reference="C02")


def told(update) -> set[str]:
    return set(Reminder.objects.filter(status_update=update).values_list("party__code", flat=True))


def test_turkey_submits_its_share_and_the_secretariat_accepts_it(c02):
    tr, kz = Party.objects.get(code="TR"), Party.objects.get(code="KZ")
    tr_user, kz_user, boss = delegate(tr), delegate(kz), staff("boss")
    report = services.progress_report_create(
        commitment=c02, user=tr_user, note="Proposals sent", status=ShareStatus.SUBMITTED
    )
    assert report.party == tr
    assert shares(c02)["TR"] == "submitted" and shares(c02)["KZ"] == "open"
    review = services.progress_report_review(
        update=report, user=boss, accept=True, mark_done=True, note="Thank you"
    )
    c02.refresh_from_db()
    assert shares(c02)["TR"] == "done"
    assert set(shares(c02).values()) - {"done"} == {"open"}
    assert c02.status == Status.IN_PROGRESS  # one of six parties has done its share
    acceptance = StatusUpdate.objects.filter(commitment=c02, kind="review").latest("id")
    assert review.review_state == "accepted" and acceptance.party == tr
    assert told(acceptance) == {"TR"}
    status_change = StatusUpdate.objects.filter(commitment=c02, kind="status").latest("id")
    assert (status_change.party, status_change.new_status) == (tr, "done")
    assert told(status_change) == {"TR"}
    assert kz_user.pk not in set(Reminder.objects.values_list("recipient_id", flat=True))


def test_a_delegation_moves_only_its_own_share(c02):
    tr, kz = Party.objects.get(code="TR"), Party.objects.get(code="KZ")
    with pytest.raises(PermissionDenied):
        services.share_update_status(
            commitment=c02, party=kz, user=delegate(tr), status=ShareStatus.IN_PROGRESS
        )
    services.share_update_status(
        commitment=c02, party=tr, user=delegate(tr), status=ShareStatus.IN_PROGRESS
    )
    assert shares(c02)["TR"] == "in_progress" and shares(c02)["KZ"] == "open"
    with pytest.raises(ValidationError, match="cannot move its share"):
        services.share_update_status(
            commitment=c02, party=tr, user=delegate(tr, "tr2"), status=ShareStatus.DONE
        )


def test_the_commitment_is_done_when_every_share_is_done_or_waived(c02):
    boss = staff("boss")
    codes = list(shares(c02))
    for code in codes[:-1]:
        services.share_update_status(
            commitment=c02, party=Party.objects.get(code=code), user=boss, status="done"
        )
        c02.refresh_from_db()
        assert c02.status == Status.IN_PROGRESS
    services.share_update_status(
        commitment=c02, party=Party.objects.get(code=codes[-1]), user=boss, status="waived"
    )
    c02.refresh_from_db()
    assert c02.status == Status.DONE and c02.version > 1


def test_a_stale_share_version_is_refused(c02):
    tr = Party.objects.get(code="TR")
    share = c02.links.get(party=tr)
    services.share_update_status(
        commitment=c02, party=tr, user=delegate(tr), status="in_progress", expected_version=1
    )
    assert c02.links.get(party=tr).version == share.version + 1
    with pytest.raises(Exception, match="changed by someone else"):
        services.share_update_status(
            commitment=c02, party=tr, user=staff("boss"), status="done", expected_version=1
        )


def test_cancelling_the_whole_commitment_keeps_the_shares_and_reopening_derives_again(c02):
    boss, tr = staff("boss"), Party.objects.get(code="TR")
    services.share_update_status(commitment=c02, party=tr, user=boss, status="done")
    services.commitment_update_status(commitment=c02, user=boss, status=Status.CANCELLED)
    c02.refresh_from_db()
    assert c02.status == Status.CANCELLED and shares(c02)["TR"] == "done"
    with pytest.raises(ValidationError):
        services.share_update_status(commitment=c02, party=tr, user=boss, status="in_progress")
    services.commitment_update_status(commitment=c02, user=boss, status=Status.OPEN)
    c02.refresh_from_db()
    assert c02.status == Status.IN_PROGRESS


def test_a_partner_has_no_share_and_cannot_report():
    tr, kz = PartyFactory(code="TR"), PartyFactory(code="KZ")
    commitment = CommitmentFactory(responsible=[tr], partners=[kz])
    assert [s.party for s in commitment.shares] == [tr]
    with pytest.raises(PermissionDenied):
        services.progress_report_create(commitment=commitment, user=delegate(kz), note="x")


def test_with_a_party_the_filters_read_its_share(c02):
    tr = Party.objects.get(code="TR")
    services.share_update_status(commitment=c02, party=tr, user=staff("boss"), status="done")

    def found(**params):
        filtered = CommitmentFilter(params, Commitment.objects.all())
        assert filtered.is_valid(), filtered.errors
        return set(filtered.qs.values_list("reference", flat=True))

    assert "C02" in found(party="KZ", status=["open"])
    assert "C02" not in found(party="TR", status=["open"])
    assert "C02" in found(party="TR", status=["done"])
    assert "C02" in found(party="TR", status=["closed"])
    assert "C02" not in found(status=["done"])  # the commitment as a whole is not done


def test_editing_keeps_each_share_and_a_new_party_starts_open():
    tr, kz, uz = PartyFactory(code="TR"), PartyFactory(code="KZ"), PartyFactory(code="UZ")
    boss = staff("boss")
    commitment = CommitmentFactory(responsible=[tr, kz])
    services.share_update_status(commitment=commitment, party=tr, user=boss, status="done")
    services.commitment_update(
        commitment=commitment, user=boss, expected_version=None, responsible=[tr, uz]
    )
    assert shares(commitment) == {"TR": "done", "UZ": "open"}


def test_a_share_deadline_moves_its_overdue_state_only():
    tr, kz = PartyFactory(code="TR"), PartyFactory(code="KZ")
    commitment = CommitmentFactory(responsible=[tr, kz], deadline=datetime.date(2024, 3, 1))
    share = commitment.links.get(party=tr)
    share.deadline = datetime.date(2099, 1, 1)
    share.save()
    today = datetime.date(2024, 6, 1)
    by_code = {s.party.code: s for s in Commitment.objects.with_related().get().shares}
    assert not by_code["TR"].is_overdue(today) and by_code["KZ"].is_overdue(today)


def test_a_delegation_cannot_report_on_another_partys_share(c02):
    tr, kz = Party.objects.get(code="TR"), Party.objects.get(code="KZ")
    with pytest.raises(PermissionDenied):
        services.progress_report_create(
            commitment=c02, user=delegate(tr), note="For Kazakhstan", party_id=kz.pk
        )
    assert not StatusUpdate.objects.filter(commitment=c02).exists()
