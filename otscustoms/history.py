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


def _display(field: models.Field | None, value: object, names: dict) -> str:
    """A value as people read it: dates in words, related rows by their name."""
    from actions.templatetags.otsweb import long_date

    if value in (None, ""):
        return ""
    if field is None:
        return str(value)
    if field.is_relation and field.many_to_one:
        return names.get((field.related_model, value), f"#{value} (deleted)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return long_date(value)
    return str(value)


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _related_names(model: type[models.Model], deltas: list) -> dict:
    """Names of every row a foreign key pointed to, one query per related model."""
    wanted: dict[type[models.Model], set] = {}
    for delta in deltas:
        for change in delta.changes:
            field = _field(model, change.field)
            if field is not None and field.is_relation and field.many_to_one:
                ids = wanted.setdefault(field.related_model, set())
                ids.update(v for v in (change.old, change.new) if v not in (None, ""))
    names = {}
    for related, ids in wanted.items():
        rows = related._default_manager.filter(pk__in=ids)
        # Meetings, decisions and commitments name themselves by their meeting's code.
        own = {f.name for f in related._meta.get_fields()}
        if "meeting" in own:
            rows = rows.select_related("meeting__series")
        elif "series" in own:
            rows = rows.select_related("series")
        for row in rows:
            names[(related, row.pk)] = str(row)
    return names


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
    model = type(instance)
    shown = records[:limit]
    deltas = [
        record.diff_against(records[i + 1], excluded_fields=["version"])
        if i + 1 < len(records)
        else None
        for i, record in enumerate(shown)
    ]
    names = _related_names(model, [d for d in deltas if d is not None])
    entries = []
    for record, delta in zip(shown, deltas, strict=True):
        changes = [
            Change(
                _label(model, c.field),
                _display(_field(model, c.field), c.old, names),
                _display(_field(model, c.field), c.new, names),
            )
            for c in (delta.changes if delta is not None else [])
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
