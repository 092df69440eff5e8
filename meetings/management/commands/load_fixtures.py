"""Load the register's fixtures without ever overwriting what is already there.

`loaddata` updates rows that share a primary key, which would undo a user's edits on every
`make run`. This command inserts only the objects whose primary key is not yet taken, so it
can run any number of times: the first run loads everything, later runs change nothing.
"""

import json
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

DEFAULT_FIXTURES = ["parties.json", "meetings.json"]


class Command(BaseCommand):
    help = "Insert the objects of fixtures/*.json that are missing; never overwrite existing rows."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Fixture files (default: the OTS register).")

    def handle(self, *args, files: list[str], **options):
        paths = [Path(f) for f in files] or [
            settings.BASE_DIR / "fixtures" / name for name in DEFAULT_FIXTURES
        ]
        inserted = skipped = 0
        with transaction.atomic(), tempfile.TemporaryDirectory() as folder:
            for number, path in enumerate(paths):
                if not path.exists():
                    raise CommandError(f"{path}: no such fixture file")
                entries = json.loads(path.read_text(encoding="utf-8"))
                fresh = _missing(entries)
                skipped += len(entries) - len(fresh)
                if not fresh:
                    continue
                # Only the missing objects go through loaddata, which also moves PostgreSQL's
                # sequences past the explicit primary keys.
                subset = Path(folder) / f"{number}-{path.name}"
                subset.write_text(json.dumps(fresh), encoding="utf-8")
                call_command("loaddata", str(subset), verbosity=0)
                inserted += len(fresh)
                for label, pks in _pks_by_model(fresh).items():
                    model = apps.get_model(label)
                    _record_initial_history(model, list(model._default_manager.filter(pk__in=pks)))
        self.stdout.write(f"Fixtures: {inserted} objects inserted, {skipped} already present.")


def _pks_by_model(entries: list[dict]) -> dict[str, list]:
    by_model: dict[str, list] = {}
    for entry in entries:
        by_model.setdefault(entry["model"], []).append(entry["pk"])
    return by_model


def _missing(entries: list[dict]) -> list[dict]:
    """The fixture's objects whose primary key is not taken yet, in the file's order."""
    taken = set()
    for label, pks in _pks_by_model(entries).items():
        model = apps.get_model(label)
        taken |= {
            (label, pk)
            for pk in model._default_manager.filter(pk__in=pks).values_list("pk", flat=True)
        }
    return [entry for entry in entries if (entry["model"], entry["pk"]) not in taken]


def _record_initial_history(model, instances: list) -> None:
    """Raw fixture saves bypass django-simple-history; record each loaded row's first version
    so the first edit in the app shows what it changed, not an empty "before"."""
    if not instances:
        return
    try:
        manager = get_history_manager_for_model(model)
    except NotHistoricalModelError:
        return
    manager.bulk_history_create(instances, default_change_reason="Loaded from the fixtures")
