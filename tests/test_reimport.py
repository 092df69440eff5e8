"""Re-importing what the register holds, on the command line: a partial file is refused with
the counts, a corrected bundle is shown as a diff and written only with --replace, a corrected
name renames the person, and restated commitments are updated, never duplicated."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError

from actions.models import Commitment, Status, StatusUpdate
from actions.services import commitment_update_status, progress_report_create
from meetings.models import ImportedCommitment, Meeting, Participant
from parties.models import Person
from tests.import_helpers import HEADING, SEED, register_ots_parties, run, seed_text, snapshot

pytestmark = pytest.mark.django_db

CORRECTED_NAME = ("Ermek KOZHABERGENOV", "Yermek KOZHABERGENOV")


@pytest.fixture
def imported(db):
    register_ots_parties()
    run(SEED)
    assert Commitment.objects.count() == 24


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- partial files ---------------------------------------------------------------------------


def test_a_heading_only_file_is_refused_as_partial_with_the_counts(imported, tmp_path):
    path = write(tmp_path, "heading.txt", HEADING + "\n")
    before = snapshot()
    for options in ([], ["--replace"]):
        with pytest.raises(CommandError) as err:
            run(path, *options)
        assert (
            "would shorten HCA-9 agreed minutes (hca_minutes) from 18,119 to 73 characters "
            "and drop 11 of 11 decisions" in str(err.value)
        )
    assert snapshot() == before


def test_the_first_12000_bytes_of_the_bundle_are_refused_and_nothing_is_doubled(imported, tmp_path):
    path = tmp_path / "first.txt"
    path.write_bytes(SEED.read_bytes()[:12000])
    before = snapshot()
    with pytest.raises(CommandError) as err:
        run(path, "--replace")
    assert "The file looks partial: it would shorten HCA-9 agreed minutes (hca_minutes) from " in (
        str(err.value)
    )
    assert "to 9,336 characters and drop 11 of 11 decisions" in str(err.value)
    assert snapshot() == before
    assert Commitment.objects.count() == 24

    # the dry run says the same, and still lists what the file holds
    report = json.loads(run(path, "--dry-run", "--format", "json"))
    assert report["import"]["importable"] is False
    assert "drop 11 of 11 decisions" in report["import"]["problems"][0]
    assert report["commitments"] and set(report["commitments"][0]) >= {"action", "responsible"}
    assert snapshot() == before


def test_a_bundle_cut_in_the_wg_minutes_is_refused(imported, tmp_path):
    text = seed_text()
    wg = text.index("XII MEETING") if "XII MEETING" in text else text.rindex("AGREED MINUTES")
    cut = text.index("\n6. ", wg)
    path = write(tmp_path, "cut.txt", text[:cut])
    before = snapshot()
    with pytest.raises(CommandError, match=r"would shorten WG-12 agreed minutes \(wg_minutes\)"):
        run(path, "--replace")
    assert snapshot() == before


# --- a corrected bundle --------------------------------------------------------------------


def test_a_corrected_name_is_shown_refused_without_replace_and_then_renames_the_person(
    imported, tmp_path
):
    old, new = CORRECTED_NAME
    path = write(tmp_path, "corrected.txt", seed_text().replace(old, new))
    before = snapshot()

    with pytest.raises(CommandError) as err:
        run(path)
    assert "The register already holds HCA-9 note verbale (note)" in str(err.value)
    assert "Run again with --replace" in str(err.value)
    assert snapshot() == before

    out = run(path, "--dry-run")
    assert f"name: {old} → {new}" in out and f"aliases: — → + {old}" in out
    report = json.loads(run(path, "--dry-run", "--format", "json"))
    assert report["import"]["needs_replace"] is True
    assert report["import"]["diff"]["persons"]["changed"] == [
        {
            "label": new,
            "fields": [
                {"field": "name", "before": old, "after": new},
                {"field": "aliases", "before": "—", "after": f"+ {old}"},
            ],
        }
    ]
    assert report["import"]["diff"]["documents"]["changed"][0]["label"] == (
        "HCA-9 list of participants (participants)"
    )
    assert "commitments" not in report["import"]["diff"]
    assert snapshot() == before

    run(path, "--replace")
    person = Person.objects.get(name=new)
    assert set(person.aliases.values_list("name", flat=True)) == {old}
    assert Person.objects.count() == 26
    for code in ("HCA-9", "WG-12"):
        assert Participant.objects.filter(meeting=Meeting.objects.by_code(code)).count() == 26
    assert Participant.objects.get(person=person, meeting__number=9).order == 2

    # the corrected file again: nothing to write, so nothing to confirm
    again = snapshot()
    out = run(path)
    assert "created" not in out and "updated" not in out
    assert snapshot() == again


def test_a_corrected_bundle_updates_its_commitments_and_keeps_their_progress(
    imported, tmp_path, secretariat_user
):
    c01 = Commitment.objects.get(deadline_text="by 1 March 2024")
    commitment_update_status(commitment=c01, user=secretariat_user, status=Status.IN_PROGRESS)
    progress_report_create(commitment=c01, user=secretariat_user, note="Concept circulated.")
    reports = StatusUpdate.objects.filter(commitment=c01).count()
    path = write(tmp_path, "moved.txt", seed_text().replace(" 1 March 2024", " 15 March 2024"))

    out = run(path, "--dry-run")
    assert "deadline_text: by 1 March 2024 → by 15 March 2024" in out
    run(path, "--replace")
    c01.refresh_from_db()
    assert c01.deadline_text == "by 15 March 2024" and c01.status == Status.IN_PROGRESS
    assert StatusUpdate.objects.filter(commitment=c01).count() == reports
    assert Commitment.objects.count() == 24


def test_commitments_restated_under_shifted_keys_are_matched_not_duplicated(
    imported, tmp_path, secretariat_user
):
    """A new obligation opening decision 5 shifts the keys of the two already there
    (hca_minutes-5-1 and -5-2): each is still matched to the commitment it restates."""
    proposals = Commitment.objects.get(action__startswith="Submit to the Secretariat their prop")
    experts = Commitment.objects.get(action__startswith="Convene an online experts")
    commitment_update_status(commitment=proposals, user=secretariat_user, status=Status.IN_PROGRESS)
    progress_report_create(commitment=proposals, user=secretariat_user, note="Two received.")
    text = seed_text().replace(
        "To that end, the Customs Administrations of the Member States will submit",
        "Uzbek side will circulate a concept note on the Road Map by 15 December 2023. "
        "To that end, the Customs Administrations of the Member States will submit",
        1,
    )
    path = write(tmp_path, "added.txt", text)
    hca9 = Meeting.objects.by_code("HCA-9")
    following = f"C{hca9.commitments.count() + 1:02d}"

    report = json.loads(run(path, "--dry-run", "--format", "json"))
    changes = report["import"]["diff"]["commitments"]
    assert [c["label"] for c in changes["added"]] == [
        f"HCA-9 {following} — Circulate a concept note on the Road Map"
    ]
    assert changes["changed"] == changes["removed"] == []

    run(path, "--replace")
    assert Commitment.objects.count() == ImportedCommitment.objects.count() == 25
    proposals.refresh_from_db()
    experts_now = Commitment.objects.get(pk=experts.pk)
    assert proposals.action.startswith("Submit to the Secretariat their proposals")
    assert proposals.status == Status.IN_PROGRESS
    assert StatusUpdate.objects.filter(commitment=proposals, note="Two received.").exists()
    assert (experts_now.reference, experts_now.action) == (experts.reference, experts.action)
    assert Commitment.objects.get(reference=following, meeting=hca9).action.startswith(
        "Circulate a concept note"
    )

    # and the same file again changes nothing
    before = snapshot()
    run(path)
    assert snapshot() == before


def test_a_commitment_the_file_no_longer_states_is_kept_and_listed(imported, tmp_path):
    text = seed_text().replace(
        " The Secretariat will convene an online experts’ meeting to discuss and finalize the "
        "draft “Road Map” in January 2024.",
        "",
    )
    path = write(tmp_path, "fewer.txt", text)
    report = json.loads(run(path, "--dry-run", "--format", "json"))
    removed = report["import"]["diff"]["commitments"]["removed"]
    assert [r["label"].split(" — ")[0] for r in removed] == [
        f"HCA-9 {Commitment.objects.get(action__startswith='Convene an online experts').reference}"
    ]
    assert "kept in the register" in removed[0]["note"]


def test_a_participant_listed_twice_or_a_number_given_twice_is_imported_with_a_warning(
    db, tmp_path
):
    register_ots_parties()
    line = "2. **Mr. Ermek KOZHABERGENOV** - Head of the International Cooperation Division\n"
    text = (
        seed_text()
        .replace(line, line + line, 1)
        .replace("3. **Mr. Tanatar SERGAZIEV**", "2. **Mr. Tanatar SERGAZIEV**", 1)
    )
    out = run(write(tmp_path, "twice.txt", text))
    assert "warning: Line 207: Ermek KOZHABERGENOV is listed twice; listed once." in out
    assert "number 2 is given twice in the delegation; Tanatar SERGAZIEV is listed as 3." in out
    hca9 = Meeting.objects.by_code("HCA-9")
    assert hca9.participants.count() == 26
    assert hca9.participants.get(person__name="Tanatar SERGAZIEV").order == 3
