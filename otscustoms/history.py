"""The change history pages: who changed what, when, read from django-simple-history."""

from __future__ import annotations

import datetime
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


def _display(model: type[models.Model], name: str, value: object) -> str:
    """A value as people read it: dates in words, related rows by their name."""
    from actions.templatetags.otsweb import long_date

    if value in (None, ""):
        return ""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if field.is_relation and field.many_to_one:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value} (deleted)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return long_date(value)
    return str(value)


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
            model = type(instance)
            changes = [
                Change(
                    _label(model, c.field),
                    _display(model, c.field, c.old),
                    _display(model, c.field, c.new),
                )
                for c in delta.changes
            ]
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                kind=kinds.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
    return entries
