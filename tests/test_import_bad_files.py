"""Every bad file gets a clear message on the command line and nothing is written: bytes that
are not UTF-8, values longer than their column, zip bombs; a legacy encoding is read with a
warning; a .docx with soft line breaks imports like the text."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time

import docx
import pytest
from django.core.management import CommandError

from actions.models import Commitment
from meetings.models import Meeting
from tests import bombs
from tests.import_helpers import ROOT, SEED, register_ots_parties, run, seed_text, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db):
    register_ots_parties()


def test_a_byte_that_is_not_utf8_is_named_by_offset_and_line(register, tmp_path):
    data = SEED.read_bytes()
    at = data.index(b"KOZHABERGENOV")
    path = tmp_path / "flipped.txt"
    path.write_bytes(data[:at] + b"\xc9" + data[at + 1 :])
    before = snapshot()
    with pytest.raises(CommandError) as err:
        run(path)
    assert str(err.value) == (
        f"flipped.txt: byte 0xC9 at offset {at:,} (line 206, column 16) is not valid UTF-8. "
        "Save the file as UTF-8 and try again."
    )
    assert snapshot() == before


def test_a_legacy_encoded_file_imports_with_a_warning(register, tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes(seed_text().encode("cp1252", errors="replace"))
    out = run(path)
    assert "warning: legacy.txt is not UTF-8: it was read as Windows-1252" in out
    assert (
        Meeting.objects.by_code("HCA-9").participants.filter(person__name="Ágota KRISKÓ").exists()
    )


def test_a_value_longer_than_its_column_is_named_and_nothing_is_written(register, tmp_path):
    long_title = "Head of the International Cooperation Division " * 8
    text = seed_text().replace("Head of the International Cooperation Division", long_title, 1)
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError) as err:
        run(path)
    assert str(err.value).startswith(
        f"Line 206, participant Ermek KOZHABERGENOV: the title has {len(long_title.strip()):,} "
        "characters; at most 300 fit."
    )
    assert snapshot() == before
    # the dry run lists the problem and still prints what was found
    report = json.loads(run(path, "--dry-run", "--format", "json"))
    assert report["import"]["importable"] is False
    assert report["import"]["problems"][0].startswith("Line 206, participant Ermek")
    assert len(report["commitments"]) == 24
    assert snapshot() == before


def _docx_with_soft_breaks(text: str) -> bytes:
    """One Word paragraph per block of the text, its lines joined by soft breaks (Shift+Enter),
    as word processors save pasted minutes."""
    document = docx.Document()
    for block in text.split("\n\n"):
        paragraph = document.add_paragraph()
        for i, line in enumerate(block.split("\n")):
            run_ = paragraph.add_run(line)
            if i < block.count("\n"):
                run_.add_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_docx_with_soft_line_breaks_imports_like_the_text(register, tmp_path):
    path = tmp_path / "soft.docx"
    path.write_bytes(_docx_with_soft_breaks(seed_text()))
    from_docx = json.loads(run(path, "--dry-run", "--format", "json"))
    from_text = json.loads(run(SEED, "--dry-run", "--format", "json"))
    assert len(from_docx["commitments"]) == len(from_text["commitments"]) == 24
    hca9 = next(m for m in from_docx["meetings"] if m["code"] == "HCA-9")
    assert len(hca9["participants"]) == 26
    assert from_docx["import"]["importable"] is True
    run(path)
    assert Commitment.objects.count() == 24


def test_a_zip_bomb_is_refused_quickly(register, tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(bombs.docx_bomb())
    before = snapshot()
    started = time.perf_counter()
    with pytest.raises(CommandError, match=r"bomb\.docx would expand to 210,\d{3},\d{3} bytes"):
        run(path)
    assert time.perf_counter() - started < 1
    assert snapshot() == before


def test_the_command_exits_with_a_message_and_no_traceback(tmp_path):
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(bombs.lying_docx_bomb())
    proc = subprocess.run(
        [sys.executable, "manage.py", "import_minutes", str(bomb), "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "bomb.docx is not a readable .docx file" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
