"""What an import did or would do: counts per kind, and each row added, changed or removed,
with the fields that changed (the diff the Secretariat reviews before a re-import)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from actions.models import Commitment

KINDS = (
    "parties",
    "series",
    "meetings",
    "documents",
    "agenda_items",
    "persons",
    "participants",
    "decisions",
    "commitments",
)
ACTIONS = ("added", "changed", "removed")
_SHORT = 100  # longer values are shown around their first difference
_CONTEXT = 30


@dataclass(frozen=True)
class Change:
    """One row of the diff. ``fields`` holds (field, before, after) as shown to a person."""

    kind: str
    action: str  # added | changed | removed
    label: str
    fields: tuple[tuple[str, str, str], ...] = ()
    note: str = ""
    key: str = ""  # a commitment's import key, so the review page can point at its form

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"label": self.label}
        if self.fields:
            data["fields"] = [{"field": f, "before": b, "after": a} for f, b, a in self.fields]
        if self.note:
            data["note"] = self.note
        if self.key:
            data["key"] = self.key
        return data


@dataclass
class ImportResult:
    counts: dict[str, Counter] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    warnings: list[str] = field(default_factory=list)
    unknown_parties: list[dict[str, Any]] = field(default_factory=list)
    commitments: dict[str, Commitment | None] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    # documents of the file the register already held (labels): changing them needs --replace
    held_documents: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    def record(self, change: Change) -> None:
        self.changes.append(change)

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())

    @property
    def writes(self) -> list[Change]:
        """The changes that write something (a commitment no longer in the file is kept)."""
        return [c for c in self.changes if not (c.action == "removed" and c.kind == "commitments")]

    @property
    def needs_replace(self) -> bool:
        """True when the file re-imports documents the register holds and would change them."""
        return bool(self.held_documents) and bool(self.writes)

    def summary(self) -> dict[str, dict[str, int]]:
        return {
            kind: {o: self.counts[kind][o] for o in ("created", "updated", "unchanged", "dropped")}
            for kind in KINDS
        }

    def diff(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """{kind: {added|changed|removed: [change]}}, kinds and actions in a fixed order."""
        out: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for kind in KINDS:
            rows = [c for c in self.changes if c.kind == kind]
            if rows:
                out[kind] = {a: [c.to_dict() for c in rows if c.action == a] for a in ACTIONS}
        return out


def shown(value: Any) -> str:
    """A stored or parsed value as a person reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {shown(v)}" for k, v in value.items())
    return str(value)


def field_change(name: str, before: Any, after: Any) -> tuple[str, str, str]:
    """(field, before, after); long texts as their length and the stretch that differs."""
    old, new = shown(before), shown(after)
    if len(old) <= _SHORT and len(new) <= _SHORT:
        return name, old, new
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return name, _excerpt(old, start, len(old) - end), _excerpt(new, start, len(new) - end)


def _excerpt(text: str, start: int, end: int) -> str:
    left = max(0, start - _CONTEXT)
    right = min(len(text), max(end, start) + _CONTEXT)
    middle = " ".join(text[left:right].split("\n"))
    if len(middle) > 2 * _SHORT:
        middle = middle[: 2 * _SHORT] + "…"
    return (
        f"({len(text):,} characters) "
        + ("…" if left else "")
        + middle
        + ("…" if right < len(text) else "")
    )
