"""Hypothesis feeds damaged files to the command line and the web upload, over a register that
holds the seed bundle: truncations, slices, flipped bytes, other encodings, empty and oversized
files, zip and PDF bombs, broken .docx files.

Whatever comes in: no traceback and no server error, only a message; no unexpected failure
caught by the last guards; and the register does not change unless the import is confirmed
(the command line without --dry-run for new documents, --replace or the review's Replace box
for the documents it holds). Each example runs in a savepoint that is rolled back, so each
starts from the same register. Derandomized, and bounded to fit CI."""

from __future__ import annotations

import io
import json
from collections import Counter
from functools import cache

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import Commitment
from meetings.models import (
    AgendaItem,
    Decision,
    Document,
    ImportDraft,
    ImportedCommitment,
    Meeting,
    Participant,
)
from parties.models import Person
from tests import bombs
from tests.import_helpers import SEED, register_ots_parties, run, snapshot

pytestmark = pytest.mark.django_db

EXAMPLES = 40
UNEXPECTED = ("failed unexpectedly", "could not be read (")
SEED_BYTES = SEED.read_bytes()
SEED_TEXT = SEED_BYTES.decode("utf-8")


@cache
def seed_docx() -> bytes:
    document = docx.Document()
    for block in SEED_TEXT.split("\n\n"):
        document.add_paragraph(block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _flip(data: bytes, flips: list[tuple[float, int]]) -> bytes:
    out = bytearray(data)
    for where, value in flips:
        if out:
            out[int(where * (len(out) - 1))] = value
    return bytes(out)


positions = st.floats(min_value=0, max_value=1)
# mostly bytes that keep the text readable, so that most flipped files reach the importer
flip_bytes = st.one_of(st.sampled_from(b"aeiKOZ .,:;0123456789\n"), st.integers(0, 255))
flips = st.lists(st.tuples(positions, flip_bytes), min_size=1, max_size=4)
encodings = st.sampled_from(["utf-8-sig", "utf-16", "utf-16-le", "cp1252", "cp1251", "latin-1"])


def _slice(data: bytes, a: float, b: float) -> bytes:
    start, end = sorted((int(a * len(data)), int(b * len(data))))
    return data[start:end]


SOURCES = {
    "text": lambda: SEED_BYTES,
    "docx": seed_docx,
}
files = st.one_of(
    # truncations and slices of the bundle, as text or .docx
    st.tuples(st.sampled_from(["cut.txt", "cut.md", "cut"]), positions).map(
        lambda t: (t[0], SEED_BYTES[: int(t[1] * len(SEED_BYTES))])
    ),
    st.tuples(positions, positions).map(lambda t: ("slice.txt", _slice(SEED_BYTES, *t))),
    positions.map(lambda p: ("cut.docx", seed_docx()[: int(p * len(seed_docx()))])),
    # flipped bytes
    flips.map(lambda f: ("flipped.txt", _flip(SEED_BYTES, f))),
    flips.map(lambda f: ("flipped.docx", _flip(seed_docx(), f))),
    # other encodings, whole or cut
    st.tuples(encodings, positions).map(
        lambda t: (
            f"{t[0]}.txt",
            SEED_TEXT.encode(t[0], errors="replace")[: max(2, int(t[1] * 2 * len(SEED_BYTES)))],
        )
    ),
    # empty, oversized, bombs
    st.sampled_from(
        [
            ("empty.txt", lambda: b""),
            ("oversized.txt", lambda: b"A" * (1024 * 1024 + 1)),
            ("bomb.docx", bombs.docx_bomb),
            ("liar.docx", bombs.lying_docx_bomb),
            ("many.docx", bombs.many_entries_zip),
            ("bomb.pdf", bombs.pdf_bomb),
            ("bomb.txt", bombs.docx_bomb),  # a zip named as text
        ]
    ).map(lambda t: (t[0], t[1]())),
)
channels = st.sampled_from(["cli", "cli-dry-run", "cli-json", "web"])


def held_rows() -> dict[str, object]:
    """What the register holds, row by row: an import that is not confirmed must leave it."""
    return {
        "documents": sorted(Document.objects.values_list("pk", "title", "text", "version")),
        "decisions": sorted(Decision.objects.values_list("pk", "text", "version")),
        "agenda": sorted(AgendaItem.objects.values_list("pk", "title", "version")),
        "participants": sorted(Participant.objects.values_list("pk", "person_id", "version")),
        "persons": sorted(Person.objects.values_list("pk", "name")),
        "meetings": sorted(Meeting.objects.values_list("pk", "version")),
        "commitments": sorted(Commitment.objects.values_list("pk", "action", "version")),
        "imported": sorted(
            (pk, key, json.dumps(parsed, sort_keys=True))
            for pk, key, parsed in ImportedCommitment.objects.values_list("pk", "key", "parsed")
        ),
    }


def _unchanged_except_additions(before: dict[str, object], after: dict[str, object]) -> bool:
    """Every row held before is still there, as it was (new rows are a confirmed import)."""
    return all(set(before[kind]) <= set(after[kind]) for kind in before)


def _outcome(message: str) -> str:
    if "looks partial" in message:
        return "partial"
    if "--replace" in message or "tick “Replace”" in message:
        return "replace"
    return "refused"


def _cli(tmp_path, name: str, data: bytes, *options: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    rows, state = held_rows(), snapshot()
    try:
        out = run(path, *options)
    except CommandError as exc:
        assert not any(marker in str(exc) for marker in UNEXPECTED), str(exc)
        assert snapshot() == state  # refused: nothing written
        return _outcome(str(exc))
    assert "Traceback" not in out and not any(marker in out for marker in UNEXPECTED), out
    if options and options[0] == "--dry-run":
        assert snapshot() == state
        if "--format" in options:
            report = json.loads(out)
            assert not report["commitments"] or set(report["commitments"][0]) >= {"action"}
            return (
                _outcome(" ".join(report["import"]["problems"]))
                if report["import"]["problems"]
                else "dry run"
            )
        return "dry run"
    # not refused: a file the register did not hold, imported as the command confirms
    assert _unchanged_except_additions(rows, held_rows())
    return "imported"


def _web(client, name: str, data: bytes) -> str:
    state = snapshot()
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code in (302, 400)
    assert snapshot() == state  # an upload only stores a draft
    if response.status_code == 400:
        page = response.content.decode()
        assert not any(marker in page for marker in UNEXPECTED)
        return _outcome(page)
    draft = ImportDraft.objects.latest("pk")
    assert client.get(response["Location"]).status_code == 200
    if not draft.parsed["plan"]["needs_replace"]:
        return "draft"
    if draft.parsed["plan"]["needs_replace"]:
        # confirming without ticking Replace writes nothing
        commitments = draft.parsed["commitments"]
        data = {
            "c-TOTAL_FORMS": str(len(commitments)),
            "c-INITIAL_FORMS": str(len(commitments)),
            "p-TOTAL_FORMS": "0",
            "p-INITIAL_FORMS": "0",
            "confirm": "1",
        }
        for i, c in enumerate(commitments):
            data |= {f"c-{i}-key": c["key"], f"c-{i}-action": c["action"]}
            data |= {f"c-{i}-responsible": ", ".join(x for x in c["responsible"] if x)}
        confirm = client.post(reverse("imports:review", args=[draft.pk]), data)
        assert confirm.status_code == 400
        assert not any(marker in confirm.content.decode() for marker in UNEXPECTED)
        assert snapshot() == state
    return "replace"


@pytest.fixture
def register_with_seed(client, secretariat_user, settings):
    settings.MAX_UPLOAD_MB = 1
    register_ots_parties()
    run(SEED)
    client.force_login(secretariat_user)
    return client


def test_damaged_files_never_crash_and_never_write_unconfirmed(register_with_seed, tmp_path):
    client = register_with_seed
    outcomes: Counter = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(file=files, channel=channels)
    def check(file, channel):
        name, data = file
        savepoint = transaction.savepoint()
        try:
            if channel == "web":
                outcomes[_web(client, name, data)] += 1
            elif channel == "cli-dry-run":
                outcomes[_cli(tmp_path, name, data, "--dry-run")] += 1
            elif channel == "cli-json":
                outcomes[_cli(tmp_path, name, data, "--dry-run", "--format", "json")] += 1
            else:
                outcomes[_cli(tmp_path, name, data)] += 1
        finally:
            transaction.savepoint_rollback(savepoint)

    check()
    # the damaged files reach every stage: refused on reading, refused as partial, shown as a
    # diff to confirm, and planned in a dry run
    assert {"refused", "partial", "replace", "dry run"} <= set(outcomes), outcomes
