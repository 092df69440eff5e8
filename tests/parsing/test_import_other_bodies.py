"""`manage.py import_minutes` on minutes that name no meeting: a dry run lists what they hold
and warns; an import needs the meeting, chosen with --meeting CODE."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from actions.models import Commitment
from meetings.management.commands.build_fixtures import REVIEW, register_parties
from meetings.models import Meeting, MeetingSeries

pytestmark = pytest.mark.django_db

BILATERAL = """PROTOCOL
of the meeting of the Heads of the customs services of the Republic of Kazakhstan and the Republic of Uzbekistan

Tashkent, 14 October 2025

The meeting was attended by the delegations of the Republic of Kazakhstan and the Republic of Uzbekistan (hereinafter "the Sides").

The Sides agreed as follows:

1. The Kazakh Side shall provide the Uzbek Side with the technical specifications of its information system until 1 December 2025.

2. The Uzbek Side undertakes to open a green corridor for agricultural goods in the fourth quarter of 2025.
"""

UNDATED = """PROJECT BOARD - MINUTES

Members present: Ms Abena Owusu, Programme Director; Ms Efua Darko, PMO

The Uzbek side will submit its comments on the draft plan by the end of next month.
"""


@pytest.fixture
def register(db):
    register_parties(json.loads(REVIEW.read_text(encoding="utf-8"))["parties"])


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_minutes", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def bilateral(tmp_path):
    path = tmp_path / "kz_uz.txt"
    path.write_text(BILATERAL, encoding="utf-8")
    return path


def test_a_dry_run_lists_the_commitments_of_minutes_that_name_no_meeting_and_warns(
    register, bilateral
):
    out, err = run(bilateral, "--dry-run", "--format", "json")
    data = json.loads(out)
    assert data["warnings"][0].startswith("No meeting recognised")
    assert "--meeting CODE" in err
    assert [m["code"] for m in data["meetings"]] == [None]
    assert [(c["responsible"], c["deadline"]) for c in data["commitments"]] == [
        (["KZ"], "2025-12-01"),
        (["UZ"], "2025-12-31"),
    ]
    assert Meeting.objects.count() == 0


def test_a_dry_run_in_text_lists_them_too(register, bilateral):
    out, _err = run(bilateral, "--dry-run")
    assert "The Kazakh Side: Provide the Uzbek Side with the technical specifications" in out
    assert Meeting.objects.count() == 0


def test_an_import_without_a_meeting_is_refused_and_writes_nothing(register, bilateral):
    with pytest.raises(CommandError, match="--meeting CODE"):
        run(bilateral)
    assert Meeting.objects.count() == Commitment.objects.count() == 0


def test_an_import_into_the_chosen_meeting(register, bilateral):
    out, _err = run(bilateral, "--meeting", "kzuz-7")
    meeting = Meeting.objects.by_code("KZUZ-7")
    assert "commitments: 2 created" in out
    assert sorted(meeting.commitments.values_list("deadline", flat=True)) == [
        dt.date(2025, 12, 1),
        dt.date(2025, 12, 31),
    ]


def test_a_chosen_meeting_of_the_register_gives_its_date_to_undated_minutes(register, tmp_path):
    series = MeetingSeries.objects.create(code="PB", name="Project Board")
    Meeting.objects.create(series=series, number=3, start_date=dt.date(2025, 2, 12))
    path = tmp_path / "board.txt"
    path.write_text(UNDATED, encoding="utf-8")
    data = json.loads(run(path, "--dry-run", "--format", "json", "--meeting", "PB-3")[0])
    (meeting,) = data["meetings"]
    assert (meeting["code"], meeting["series_name"]) == ("PB-3", "Project Board")
    (c,) = data["commitments"]
    assert (c["deadline"], c["meeting"]) == ("2025-03-31", "PB-3")


def test_a_malformed_meeting_code_is_named(register, bilateral):
    with pytest.raises(CommandError, match="--meeting: 'board three' is not a meeting code"):
        run(bilateral, "--meeting", "board three")
