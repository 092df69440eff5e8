"""Re-importing on the web: the review page shows the diff and a replacement needs its own
confirmation; partial and unreadable files are refused on the upload form; a legacy encoding
is warned of on the review page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Commitment
from meetings.models import ImportDraft
from parties.models import Person
from tests import bombs
from tests.import_helpers import HEADING, SEED, register_ots_parties, run, seed_text, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, secretariat_user):
    register_ots_parties()
    client.force_login(secretariat_user)
    return client


@pytest.fixture
def imported(staff):
    run(SEED)
    return staff


def form_data(draft: ImportDraft) -> dict[str, str]:
    """What the review page posts back untouched."""
    commitments, parties = draft.parsed["commitments"], draft.parsed["unknown_parties"]
    data = {
        "c-TOTAL_FORMS": str(len(commitments)),
        "c-INITIAL_FORMS": str(len(commitments)),
        "p-TOTAL_FORMS": str(len(parties)),
        "p-INITIAL_FORMS": str(len(parties)),
        "confirm": "1",
    }
    for i, c in enumerate(commitments):
        data.update(
            {
                f"c-{i}-key": c["key"],
                f"c-{i}-action": c["action"],
                f"c-{i}-responsible": ", ".join(x for x in c["responsible"] if x),
                f"c-{i}-partners": ", ".join(c["partners"]),
                f"c-{i}-deadline": c["deadline"] or "",
                f"c-{i}-precision": c["precision"] or "",
                f"c-{i}-deadline_text": c["deadline_text"] or "",
            }
        )
    return data


def upload(client, name: str, data: bytes):
    return client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, data)})


def test_a_corrected_bundle_is_reviewed_as_a_diff_and_replaced_only_when_ticked(imported):
    old, new = "Ermek KOZHABERGENOV", "Yermek KOZHABERGENOV"
    before = snapshot()
    response = upload(imported, "corrected.txt", seed_text().replace(old, new).encode())
    assert response.status_code == 302
    assert snapshot() == before
    draft = ImportDraft.objects.get()

    page = imported.get(response["Location"]).content.decode()
    assert "The register already holds documents of this file" in page
    assert f"<td>name</td><td>{old}</td><td>{new}</td>" in page
    assert 'name="replace"' in page

    review = reverse("imports:review", args=[draft.pk])
    refused = imported.post(review, form_data(draft))
    assert refused.status_code == 400
    assert "tick “Replace” to confirm them" in refused.content.decode()
    assert snapshot() == before

    confirmed = imported.post(review, {**form_data(draft), "replace": "1"})
    assert confirmed.status_code == 302
    assert set(Person.objects.get(name=new).aliases.values_list("name", flat=True)) == {old}
    assert Commitment.objects.count() == 24
    done = imported.get(review).content.decode()
    assert "What the import wrote" in done and f"<td>{old}</td><td>{new}</td>" in done


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("heading.txt", HEADING.encode(), "from 18,119 to 73 characters and drop 11 of 11"),
        ("first.txt", SEED.read_bytes()[:12000], "to 9,336 characters and drop 11 of 11 decisions"),
    ],
)
def test_a_partial_file_is_refused_on_the_upload_form(imported, name, data, message):
    before = snapshot()
    response = upload(imported, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ImportDraft.objects.count() == 0
    assert snapshot() == before


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("bomb.docx", bombs.docx_bomb, "bomb.docx would expand to 210,"),
        ("liar.docx", bombs.lying_docx_bomb, "liar.docx is not a readable .docx file"),
        ("bomb.pdf", bombs.pdf_bomb, "bomb.pdf: a part of the PDF expands beyond"),
        ("flip.txt", lambda: "Türkiye\n".encode() + b"\xff", "byte 0xFF at offset 9 (line 2"),
    ],
)
def test_unreadable_files_are_named_on_the_upload_form(staff, name, data, message):
    response = upload(staff, name, data())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ImportDraft.objects.count() == 0


def test_a_legacy_encoding_is_warned_of_on_the_review_page(staff):
    response = upload(staff, "legacy.txt", seed_text().encode("cp1252", errors="replace"))
    assert response.status_code == 302
    page = staff.get(response["Location"]).content.decode()
    assert "legacy.txt is not UTF-8: it was read as Windows-1252" in page
    assert "The register holds none of the documents of this file." in page


def test_a_value_too_long_is_refused_on_the_upload_form_naming_the_field(staff):
    text = seed_text().replace("Head of the International Cooperation Division", "x" * 400, 1)
    response = upload(staff, "long.txt", text.encode())
    assert response.status_code == 400
    assert (
        "Line 206, participant Ermek KOZHABERGENOV: the title has 400 characters; at most "
        "300 fit." in response.content.decode()
    )
