"""fixtures/*.json are exactly what the importer writes from the seed and its recorded review."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from meetings.models import Meeting

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

pytestmark = pytest.mark.django_db


def meaningful(path: Path) -> list:
    """The rows without their timestamps (primary keys are renumbered by the build anyway)."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    for row in rows:
        for field in ("created_at", "updated_at"):
            row["fields"].pop(field, None)
    return rows


def test_committed_fixtures_equal_a_fresh_build(tmp_path):
    call_command("build_fixtures", output=str(tmp_path), stdout=io.StringIO())
    for name in ("parties.json", "meetings.json"):
        assert meaningful(tmp_path / name) == meaningful(FIXTURES / name), (
            f"fixtures/{name} drifted from the importer: run `python manage.py build_fixtures`"
        )
    # the build rolls back: the database is left empty
    assert Meeting.objects.count() == 0


def test_build_needs_an_empty_register(seeded, tmp_path):
    with pytest.raises(CommandError, match="empty register"):
        call_command("build_fixtures", output=str(tmp_path))
