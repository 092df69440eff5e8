"""The home pages' cached counts follow deletions and party-link changes at once: they move
the register to its next generation when their transaction commits (actions.selectors.
register_changed). These tests commit for real, as the application does."""

import datetime

import pytest
from django.core.cache import cache
from django.db import transaction

from actions.models import Commitment, CommitmentParty, Role
from actions.selectors import party_obligations, register_generation, status_by_party
from tests.factories import CommitmentFactory, PartyFactory

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2024, 2, 18)
LATE = TODAY - datetime.timedelta(days=3)


@pytest.fixture
def tr():
    cache.clear()
    return PartyFactory(code="TR", name="Türkiye")


def _open_counts(party) -> tuple[int, int]:
    """(open in the Secretariat's table, overdue on the delegation's home), both cached."""
    rows = {row.party: row for row in status_by_party(today=TODAY, cached=True)}
    listed = rows[party].counts["open"] if party in rows else 0  # no link: no row
    totals = party_obligations(party=party, today=TODAY, cached=True).totals
    return listed, totals["overdue"]


def test_a_deleted_commitment_leaves_the_counts_at_once(tr):
    first, _second = (CommitmentFactory(responsible=[tr], deadline=LATE) for _ in range(2))
    assert _open_counts(tr) == (2, 2)
    first.delete()
    assert _open_counts(tr) == (1, 1)
    Commitment.objects.all().delete()  # a queryset's delete: the same signals
    assert _open_counts(tr) == (0, 0)


def test_a_removed_or_added_party_link_shows_at_once(tr):
    kz = PartyFactory(code="KZ", name="Kazakhstan")
    commitment = CommitmentFactory(responsible=[tr, kz], deadline=LATE)
    assert _open_counts(tr) == (1, 1) and _open_counts(kz) == (1, 1)
    CommitmentParty.objects.filter(commitment=commitment, party=kz).delete()
    assert _open_counts(kz) == (0, 0)
    CommitmentParty.objects.create(commitment=commitment, party=kz, role=Role.RESPONSIBLE)
    assert _open_counts(kz) == (1, 1)
    commitment.parties.remove(tr)  # the many-to-many manager: m2m_changed
    assert _open_counts(tr) == (0, 0)


def test_the_generation_moves_once_the_transaction_commits(tr):
    commitments = [CommitmentFactory(responsible=[tr], deadline=LATE) for _ in range(5)]
    before = register_generation()
    with transaction.atomic():
        for commitment in commitments:
            commitment.delete()  # each cascades to its link
        assert register_generation() == before  # not before the commit
    assert register_generation() > before


def test_a_rolled_back_deletion_changes_nothing(tr):
    CommitmentFactory(responsible=[tr], deadline=LATE)
    assert _open_counts(tr) == (1, 1)
    before = register_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        Commitment.objects.all().delete()
        raise RuntimeError("rolled back")
    assert register_generation() == before
    assert _open_counts(tr) == (1, 1)


def test_a_deletion_in_a_rolled_back_savepoint_does_not_hide_a_later_one(tr):
    keep, drop = (CommitmentFactory(responsible=[tr], deadline=LATE) for _ in range(2))
    assert _open_counts(tr) == (2, 2)
    before = register_generation()
    with transaction.atomic():
        try:
            with transaction.atomic():
                keep.delete()
                raise RuntimeError("rolled back to the savepoint")
        except RuntimeError:
            pass
        drop.delete()
    assert register_generation() > before
    assert _open_counts(tr) == (1, 1)


def test_the_generation_comes_back_after_the_cache_loses_it(tr):
    cache.delete("register_generation")
    commitment = CommitmentFactory(responsible=[tr], deadline=LATE)
    assert register_generation() >= 1  # the factory's link
    cache.delete("register_generation")
    assert register_generation() == 0
    commitment.delete()
    assert register_generation() > 0
