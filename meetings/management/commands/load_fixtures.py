"""Load the register's fixtures without ever overwriting what is already there.

`loaddata` updates rows that share a primary key, which would undo a user's edits on every
`make run`. This command inserts only the objects whose primary key is not yet taken, so it
can run any number of times: the first run loads everything, later runs change nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
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
        models = set()
        with transaction.atomic():
            for path in paths:
                if not path.exists():
                    raise CommandError(f"{path}: no such fixture file")
                with path.open(encoding="utf-8") as handle:
                    objects = list(serializers.deserialize("json", handle))
                by_model: dict = {}
                for obj in objects:
                    by_model.setdefault(type(obj.object), []).append(obj)
                for model, objs in by_model.items():
                    existing = set(
                        model._default_manager.filter(
                            pk__in=[o.object.pk for o in objs]
                        ).values_list("pk", flat=True)
                    )
                    fresh = []
                    for obj in objs:
                        if obj.object.pk in existing:
                            skipped += 1
                            continue
                        obj.save()
                        fresh.append(obj.object)
                    inserted += len(fresh)
                    models.add(model)
                    _record_initial_history(model, fresh)
            # Explicit primary keys leave PostgreSQL sequences behind: move them past the rows.
            sql = connection.ops.sequence_reset_sql(no_style(), list(models))
            if sql:
                with connection.cursor() as cursor:
                    for statement in sql:
                        cursor.execute(statement)
        self.stdout.write(f"Fixtures: {inserted} objects inserted, {skipped} already present.")


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
