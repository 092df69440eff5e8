"""The migration to per-party shares loses nothing: every responsible party gets a share at
its commitment's status, the agreed deadline is the deadline held, and reports go to the
share of their author's delegation."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("actions", "0008_statusupdate_idempotency_key")]
AFTER = [("actions", "0009_shares_and_extensions")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_every_commitment_gets_one_share_per_responsible_party_with_its_status():
    old = migrate(BEFORE)
    try:
        party = old.get_model("parties", "Party")
        tr, kz, ots = (
            party.objects.create(code=code, name=code, kind=kind)
            for code, kind in (("TR", "member"), ("KZ", "member"), ("OTS", "secretariat"))
        )
        series = old.get_model("meetings", "MeetingSeries").objects.create(name="HCA", code="HCA")
        meeting = old.get_model("meetings", "Meeting").objects.create(series=series, number=9)
        commitment_model = old.get_model("actions", "Commitment")
        link = old.get_model("actions", "CommitmentParty")
        made = {}
        for status in ("open", "in_progress", "submitted", "done", "cancelled"):
            made[status] = commitment_model.objects.create(
                meeting=meeting,
                action=f"Do it ({status})",
                status=status,
                deadline=datetime.date(2024, 4, 1),
                deadline_precision="day",
                deadline_text="until 1 April 2024",
            )
            link.objects.create(commitment=made[status], party=tr, role="responsible")
            link.objects.create(commitment=made[status], party=kz, role="responsible")
            link.objects.create(commitment=made[status], party=ots, role="partner")
        user = old.get_model("auth", "User").objects.create(username="tr")
        old.get_model("parties", "Membership").objects.create(user=user, party=tr)
        update = old.get_model("actions", "StatusUpdate")
        report = update.objects.create(
            commitment=made["in_progress"], author=user, kind="progress", note="Sent"
        )
        counts = {
            "commitments": commitment_model.objects.count(),
            "links": link.objects.count(),
            "updates": update.objects.count(),
        }
    finally:
        new = migrate(AFTER)
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    commitment_model = new.get_model("actions", "Commitment")
    link = new.get_model("actions", "CommitmentParty")
    assert commitment_model.objects.count() == counts["commitments"]
    assert link.objects.count() == counts["links"]
    assert new.get_model("actions", "StatusUpdate").objects.count() == counts["updates"]
    for status, commitment in made.items():
        row = commitment_model.objects.get(pk=commitment.pk)
        assert row.status == status
        assert (row.agreed_deadline, row.agreed_precision) == (datetime.date(2024, 4, 1), "day")
        shares = dict(
            link.objects.filter(commitment=row, role="responsible").values_list(
                "party__code", "status"
            )
        )
        expected = "open" if status == "cancelled" else status
        assert shares == {"TR": expected, "KZ": expected}
        assert link.objects.get(commitment=row, role="partner").status == ""
    assert new.get_model("actions", "StatusUpdate").objects.get(pk=report.pk).party_id == tr.pk
