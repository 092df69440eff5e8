"""Optimistic locking for the models that users edit side by side.

A form or API client reads ``version`` with the row and sends it back with its change; the
service locks the row, compares, and refuses a change made against an older version, so a
second tab or a slower colleague can never silently overwrite what someone else saved.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class StaleVersionError(Exception):
    """The row changed since the caller read it."""

    def __init__(self, instance: models.Model, expected: int | None, current: int) -> None:
        self.instance = instance
        self.expected = expected
        self.current = current
        super().__init__(
            f"{instance._meta.verbose_name} was changed by someone else "
            f"(you edited version {expected}, it is now at version {current}). "
            "Reload to see their change, then apply yours again."
        )


def lock_for_update(instance: M, *, expected_version: int | None) -> M:
    """Re-read ``instance`` under a row lock and check its version. Call inside atomic()."""
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    check_version(locked, expected_version)
    return locked


def check_version(locked: models.Model, expected_version: int | None) -> None:
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersionError(locked, expected_version, locked.version)


def bump_version(instance: models.Model) -> None:
    instance.version = (instance.version or 0) + 1
