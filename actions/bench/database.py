"""The benchmark's own database: same server as DATABASE_URL, another name, so a 100,000-row
data set never mixes with the register or the test database, and is reused between runs."""

from __future__ import annotations

import json

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections


def current_name() -> str:
    return connection.settings_dict["NAME"]


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise CommandError(
            "The benchmark needs PostgreSQL (COPY, EXPLAIN, the production planner): "
            f"DATABASE_URL points at {connection.vendor}."
        )


def _exists(name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _create(name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")


def recreate(name: str) -> None:
    """Drop the current database and create it again, migrated (a stale data set)."""
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
    _create(name)
    call_command("migrate", verbosity=0, interactive=False)


def switch_to(name: str, *, verbosity: int = 1) -> None:
    """Point the default connection at database ``name`` (created if missing), migrated."""
    _require_postgresql()
    if name == current_name():
        return
    if not _exists(name):
        _create(name)
    connections["default"].close()
    # connections' settings dicts are the very dicts of settings.DATABASES: one change serves
    # both the connection and anything that reads settings later in this process.
    connections["default"].settings_dict["NAME"] = name
    call_command("migrate", verbosity=max(0, verbosity - 1), interactive=False)


# The data set's identity is stored as the database's comment: no table of our own, and it is
# written only once a generation has committed.
def read_marker() -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        )
        row = cursor.fetchone()
    try:
        return json.loads(row[0]) if row and row[0] else None
    except ValueError:
        return None


def write_marker(marker: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"COMMENT ON DATABASE {connection.ops.quote_name(current_name())} IS %s",
            [json.dumps(marker, sort_keys=True)],
        )


def is_empty() -> bool:
    from actions.models import Commitment
    from meetings.models import Meeting

    return not Meeting.objects.exists() and not Commitment.objects.exists()
