"""The rules: which reminders fall due on a day, as pure functions of the deadline and today."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.conf import settings

from actions.models import Precision

# A month/quarter/half-year/year deadline ("in January 2024", "by the end of 2023") is also
# reminded on the first day of the month it ends in: its holder thinks of it as "this month".
MONTH_START_PRECISIONS = (Precision.MONTH, Precision.QUARTER, Precision.HALF, Precision.YEAR)
SUMMARY_KIND = "overdue-summary"
CHANGE_KIND = "change"


def reminder_kinds(
    *,
    deadline: datetime.date,
    precision: str,
    today: datetime.date,
    days_before: Sequence[int] | None = None,
    overdue_every: int | None = None,
) -> list[str]:
    """The reminders due ``today`` for an unfinished share with this deadline."""
    days_before = settings.REMINDER_DAYS_BEFORE if days_before is None else days_before
    overdue_every = settings.REMINDER_OVERDUE_EVERY_DAYS if overdue_every is None else overdue_every
    days_left = (deadline - today).days
    kinds: list[str] = []
    if days_left in days_before:
        kinds.append("due-today" if days_left == 0 else f"before-{days_left}")
    elif days_left < 0 and overdue_every > 0 and -days_left % overdue_every == 0:
        kinds.append(f"overdue-{-days_left}")
    if (
        not kinds
        and precision in MONTH_START_PRECISIONS
        and today.day == 1
        and (today.year, today.month) == (deadline.year, deadline.month)
    ):
        kinds.append("month-start")
    return kinds


def due_dates(today: datetime.date, earliest_overdue: datetime.date | None) -> list[datetime.date]:
    """Every deadline ``reminder_kinds`` can fire on today, but for the month starts: the
    offsets before it, and the weekly repetitions back to the earliest overdue deadline."""
    dates = {today + datetime.timedelta(days=d) for d in settings.REMINDER_DAYS_BEFORE}
    every = settings.REMINDER_OVERDUE_EVERY_DAYS
    if earliest_overdue is not None and every > 0:
        day = today - datetime.timedelta(days=every)
        while day >= earliest_overdue:
            dates.add(day)
            day -= datetime.timedelta(days=every)
    return sorted(dates)
