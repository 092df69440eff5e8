"""The fixtures hold the 9th HCA / 12th WG meeting as the seed bundle records it."""

import datetime
import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from actions.models import Commitment, Precision
from meetings.models import AgendaItem, Decision, Document, Meeting, Participant
from parties.models import Party, Person

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "source" / "hca9_wg12_golden.json"
MODEL_COUNTS = (Party, Person, Meeting, Document, AgendaItem, Participant, Decision, Commitment)

pytestmark = pytest.mark.django_db


def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_parties_of_the_ots(seeded):
    kinds = dict(Party.objects.values_list("code", "kind"))
    for code in ["AZ", "KZ", "KG", "TR", "UZ"]:
        assert kinds[code] == "member"
    for code in ["HU", "TM", "TRNC"]:
        assert kinds[code] == "observer"
    assert kinds["OTS"] == "secretariat"
    assert kinds["GE"] == "guest"
    turkey = Party.objects.get(code="TR")
    assert turkey.name == "Türkiye"
    assert {"Turkish side", "Republic of Türkiye"} <= set(
        turkey.aliases.values_list("name", flat=True)
    )


def test_ninth_hca_meeting(seeded):
    meeting = Meeting.objects.by_code("HCA-9")
    assert meeting.start_date == datetime.date(2023, 12, 11)
    assert meeting.city == "Tashkent"
    assert meeting.host.code == "UZ"
    assert meeting.chair.name == "Akmalkhuja MAVLONOV"
    assert meeting.decisions.count() == 11
    assert meeting.participants.count() == 26
    assert sorted(meeting.decisions.values_list("number", flat=True)) == list(range(1, 12))
    types = Counter(meeting.documents.values_list("type", flat=True))
    assert types == {
        "note_verbale": 1,
        "agreed_minutes": 1,
        "agenda": 1,
        "participants": 1,
        "protocol": 1,
    }
    protocol = meeting.documents.get(type="protocol")
    assert len(protocol.signatories) == 6
    note = Document.objects.get(reference="Note-2023-1071")
    assert (note.date, note.place) == (datetime.date(2023, 12, 21), "Istanbul")


def test_participants_by_delegation(seeded):
    per_party = Counter(
        Participant.objects.filter(meeting=Meeting.objects.by_code("HCA-9")).values_list(
            "party__code", flat=True
        )
    )
    assert per_party == {"AZ": 2, "KZ": 4, "KG": 3, "TR": 4, "UZ": 8, "HU": 2, "OTS": 3}


def test_names_keep_their_diacritics(seeded):
    names = set(Person.objects.values_list("name", flat=True))
    for name in [
        "Sezai UÇARMAK",
        "András János ZÓLYOM",
        "Elyor KHAKİMOV",
        "Ágota KRISKÓ",
        "Gizem ASMA ŞENEL",
        "Ahmet Şevket DAYIOĞLU",
    ]:
        assert name in names
    aliases = Person.objects.get(name="Akmalkhuja MAVLONOV").aliases.values_list("name", flat=True)
    assert "Akmalhuja Mavlonov" in aliases


def test_agendas_are_nested(seeded):
    for code in ["HCA-9", "WG-12"]:
        meeting = Meeting.objects.by_code(code)
        top = AgendaItem.objects.filter(meeting=meeting, parent=None)
        assert top.count() == 10
        item2 = top.get(number="2")
        assert list(item2.children.values_list("number", flat=True)) == ["2.1", "2.2"]


def test_working_group_meeting(seeded):
    meeting = Meeting.objects.by_code("WG-12")
    assert meeting.decisions.count() == 10
    assert meeting.participants.count() == 26


def test_series_history_from_the_other_seeds(seeded):
    hca10 = Meeting.objects.by_code("HCA-10")
    assert (hca10.status, hca10.year, hca10.host.code) == ("planned", 2024, "AZ")
    assert hca10.start_date is None
    hca11 = Meeting.objects.by_code("HCA-11")
    assert (hca11.start_date, hca11.end_date, hca11.city) == (
        datetime.date(2025, 9, 6),
        datetime.date(2025, 9, 8),
        "Turkistan",
    )
    assert hca11.parties.filter(code="GE").exists()


def test_commitments_match_the_golden_file(seeded):
    data = golden()
    expand = {
        "PARTIES": {"AZ", "KZ", "KG", "TR", "UZ", "HU"},
        "MEMBER_STATES": {"AZ", "KZ", "KG", "TR", "UZ"},
    }
    assert Commitment.objects.count() == len(data["commitments"]) == 23
    for entry in data["commitments"]:
        commitment = Commitment.objects.get(reference=entry["id"])
        expected = set().union(*(expand.get(r, {r}) for r in entry["responsible"]))
        assert {p.code for p in commitment.responsible} == expected, entry["id"]
        assert {p.code for p in commitment.partners} == set(entry.get("with", [])), entry["id"]
        cited = {f"{s.document.key} {s.paragraph}" for s in commitment.sources.all()}
        assert cited == set(entry["sources"]), entry["id"]


def test_the_ten_dated_commitments(seeded):
    dated = [c for c in golden()["commitments"] if c.get("deadline")]
    assert len(dated) == 10
    for entry in dated:
        commitment = Commitment.objects.get(reference=entry["id"])
        assert commitment.deadline == datetime.date.fromisoformat(entry["deadline"])
        assert commitment.deadline_precision == entry["precision"]
        assert commitment.deadline_text == entry["deadline_text"]
    assert Commitment.objects.filter(deadline__isnull=False).count() == 10


def test_commitments_due_at_the_next_meeting(seeded):
    tied = Commitment.objects.filter(due_meeting__isnull=False)
    assert set(tied.values_list("reference", flat=True)) == {"C03", "C11"}
    for commitment in tied:
        assert commitment.due_meeting.code == "HCA-10"
        assert commitment.deadline_precision == Precision.EVENT
        assert commitment.deadline is None


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODEL_COUNTS}


def test_loading_twice_changes_nothing(db):
    call_command("load_fixtures", verbosity=0)
    first = counts()
    call_command("load_fixtures", verbosity=0)
    assert counts() == first
    assert first["Commitment"] == 23


def test_loading_again_keeps_user_edits(seeded):
    commitment = Commitment.objects.get(reference="C01")
    commitment.status = "done"
    commitment.save()
    call_command("load_fixtures", verbosity=0)
    commitment.refresh_from_db()
    assert commitment.status == "done"


def test_new_rows_after_loading_get_fresh_ids(seeded):
    """The sequence was moved past the fixtures' explicit primary keys (PostgreSQL)."""
    party = Party.objects.create(code="TJ", name="Tajikistan", kind="guest")
    assert party.pk > max(Party.objects.exclude(pk=party.pk).values_list("pk", flat=True))


def test_loaded_rows_have_a_first_history_record(db):
    call_command("load_fixtures", verbosity=0)
    commitment = Commitment.objects.get(reference="C01")
    assert commitment.history.count() == 1
    assert commitment.history.first().history_change_reason == "Loaded from the fixtures"
    assert Meeting.history.count() == Meeting.objects.count()
    call_command("load_fixtures", verbosity=0)
    assert commitment.history.count() == 1
