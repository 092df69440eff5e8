"""The change history pages: who changed what, when, read from django-simple-history."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: object
    who: object
    kind: str
    changes: list[Change]


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def history_entries(instance: models.Model, *, limit: int = 200) -> list[HistoryEntry]:
    """Newest first; each entry lists the fields it changed against the one before it."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[Change] = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["version"])
            changes = [Change(_label(type(instance), c.field), c.old, c.new) for c in delta.changes]
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                kind=kinds.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
    return entries
