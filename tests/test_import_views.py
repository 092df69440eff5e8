"""The import pages at /import/: upload or paste, review and correct, confirm."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Commitment
from meetings.management.commands.build_fixtures import REVIEW, register_parties
from meetings.models import ImportDraft, Meeting
from parties.models import Person

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "source" / "hca9_wg12_bundle.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, secretariat_user):
    register_parties(
        [p for p in json.loads(REVIEW.read_text(encoding="utf-8"))["parties"] if p["code"] != "OTS"]
    )
    from parties.models import Party, PartyAlias

    ots = Party.objects.get(code="OTS")
    ots.name, ots.kind = "OTS Secretariat", "secretariat"
    ots.save()
    PartyAlias.objects.create(party=ots, name="Secretariat")
    client.force_login(secretariat_user)
    return client


def upload_seed(client):
    return client.post(reverse("imports:upload"), {"text": SEED.read_text(encoding="utf-8")})


def form_data(draft: ImportDraft) -> dict[str, str]:
    """What the review page posts back untouched."""
    data = {
        "c-TOTAL_FORMS": str(len(draft.parsed["commitments"])),
        "c-INITIAL_FORMS": str(len(draft.parsed["commitments"])),
        "p-TOTAL_FORMS": str(len(draft.parsed["unknown_parties"])),
        "p-INITIAL_FORMS": str(len(draft.parsed["unknown_parties"])),
        "confirm": "1",
    }
    for i, c in enumerate(draft.parsed["commitments"]):
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


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("imports:upload"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_delegates_may_not_import(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("delegate", password="pw"))
    assert client.get(reverse("imports:upload")).status_code == 403
    assert client.post(reverse("imports:upload"), {"text": "x"}).status_code == 403
    assert ImportDraft.objects.count() == 0


def test_upload_review_edit_drop_confirm(staff):
    response = upload_seed(staff)
    assert response.status_code == 302
    draft = ImportDraft.objects.get()
    # nothing but the draft is written before confirmation
    assert Meeting.objects.count() == Commitment.objects.count() == Person.objects.count() == 0

    page = staff.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<mark>by 1 March 2024</mark>" in html
    assert "Shahin BAGHIROV" in html and "hca_protocol" in html

    data = form_data(draft)
    index = {c["key"]: i for i, c in enumerate(draft.parsed["commitments"])}
    edited, dropped = index["hca_minutes-2-1"], index["wg_minutes-4-1"]
    data[f"c-{edited}-action"] = "Renew the Silk Road concept"
    data[f"c-{edited}-deadline"] = "2024-03-15"
    data[f"c-{edited}-deadline_text"] = "by 15 March 2024"
    data[f"c-{edited}-responsible"] = "TR, AZ"
    data[f"c-{dropped}-drop"] = "on"
    response = staff.post(reverse("imports:review", args=[draft.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    draft.refresh_from_db()
    assert draft.status == ImportDraft.State.IMPORTED
    assert Commitment.objects.count() == 23
    c = Commitment.objects.get(action="Renew the Silk Road concept")
    assert (c.deadline, c.deadline_text, c.deadline_precision) == (
        dt.date(2024, 3, 15),
        "by 15 March 2024",
        "day",
    )
    assert {p.code for p in c.responsible} == {"TR", "AZ"}
    assert {p.code for p in c.partners} == {"OTS"}
    assert not Commitment.objects.filter(action__startswith="Review the draft Regulation").exists()
    done = staff.get(reverse("imports:review", args=[draft.pk]))
    assert "What the import wrote" in done.content.decode()


def test_review_refuses_an_unknown_party_code_and_writes_nothing(staff):
    upload_seed(staff)
    draft = ImportDraft.objects.get()
    data = form_data(draft)
    data["c-0-responsible"] = "ZZ"
    response = staff.post(reverse("imports:review", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "Unknown party code: ZZ." in response.content.decode()
    assert Commitment.objects.count() == 0 and Meeting.objects.count() == 0


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("empty.txt", b""), "empty.txt is empty."),
        (SimpleUploadedFile("blob.txt", b"\x00\x01" * 500), "blob.txt looks like a binary file"),
        (SimpleUploadedFile("note.txt", b"Nothing to see.\n"), "note.txt: No meeting recognised"),
    ],
)
def test_bad_uploads_are_named_on_the_form(staff, upload, message):
    response = staff.post(reverse("imports:upload"), {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ImportDraft.objects.count() == 0


def test_upload_over_the_size_limit(staff, settings):
    settings.MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 10))
    response = staff.post(reverse("imports:upload"), {"file": upload})
    assert response.status_code == 400
    assert "big.txt is too large" in response.content.decode()


def test_review_page_query_count(staff, django_assert_num_queries):
    upload_seed(staff)
    draft = ImportDraft.objects.get()
    # 1 the user, 2 the draft (its parsed items are one JSON column), 3 the party codes known
    # to the register, 4 the user's membership (the header) — the same whatever the number
    # of documents, participants or commitments in the draft; the session is read from the
    # cache
    with django_assert_num_queries(4):
        response = staff.get(reverse("imports:review", args=[draft.pk]))
    assert response.status_code == 200


def test_unknown_party_is_created_when_ticked(staff):
    text = SEED.read_text(encoding="utf-8").replace(
        "Hungarian side will submit the proposals on the exact dates",
        "Tajik side will submit the proposals on the exact dates",
    )
    staff.post(reverse("imports:upload"), {"text": text})
    draft = ImportDraft.objects.get()
    unknown = draft.parsed["unknown_parties"]
    assert [u["code"] for u in unknown] == ["TJ"]
    page = staff.get(reverse("imports:review", args=[draft.pk])).content.decode()
    assert "Parties the register does not know" in page and "Tajik" in page
    data = form_data(draft)
    data.update(
        {"p-0-text": unknown[0]["text"], "p-0-create": "on", "p-0-code": "TJ",
         "p-0-name": "Tajikistan", "p-0-kind": "guest"}
    )  # fmt: skip
    assert staff.post(reverse("imports:review", args=[draft.pk]), data).status_code == 302
    assert Commitment.objects.filter(parties__code="TJ", parties__kind="guest").count() == 1
