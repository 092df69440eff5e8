"""Deadline rules of the extractor: which deadline phrase of an action binds it, and which
meeting a "next meeting" or a numbered meeting is."""

from __future__ import annotations

import re

from .candidates import Context
from .deadlines import find_deadlines, numbered_event
from .gazetteer import CITIES
from .normalize import fold
from .phrases import PAST_PARTICIPLE, STARTING, STRONG, VENUE
from .types import Deadline


class DeadlineRules:
    """Mixed into ``Extractor``, whose ``resolver`` and ``next_event`` they read."""

    def _deadline(self, text: str, ctx: Context, *, passive: bool = False) -> Deadline | None:
        found = find_deadlines(
            text, reference_date=ctx.unit.reference_date, signing_date=ctx.unit.signing_date
        )
        if not passive:
            found = [d for d in found if not PAST_PARTICIPLE.search(text[: d.start])]
        # "starting in the first quarter of 2026", "as of June 2025": when it begins, not a due date
        found = [d for d in found if not STARTING.search(text[: d.start])]
        events = {d.start: self._event(d.due_event, ctx) for d in found if d.due_event}
        # "at the 9th Meeting" said at the 11th: a meeting already held, not a deadline
        found = [d for d in found if not d.due_event or events[d.start]]
        if not found:
            return None
        strong = [d for d in found if STRONG.match(d.text)]
        chosen = strong[0] if strong else found[-1]
        if chosen.due_event:
            chosen = Deadline(
                chosen.text, None, None, events[chosen.start], chosen.start, chosen.end
            )
        return chosen

    def _event(self, phrase: str, ctx: Context) -> str | None:
        key = fold(phrase)
        if number := numbered_event(key):
            return self._numbered_event(number, key, ctx)
        for series, label in self.next_event.items():
            if series in key:
                return label
        if ctx.unit.meeting and not re.search(r"\bof\b", key):
            if not re.search(r"-\d+$", ctx.unit.meeting):
                return "next meeting"  # "the next Board" of minutes that number no meeting
            code = ctx.unit.meeting.rsplit("-", 1)[0]
            for label in self.next_event.values():
                if label.startswith(f"next {code} "):
                    return label
        return phrase

    def _numbered_event(self, number: int, key: str, ctx: Context) -> str | None:
        """ "12th Meeting of the Heads of ..." → "12th HCA meeting (HCA-12)", or None when that
        meeting is the current one or an earlier one."""
        codes = [label for series, label in self.next_event.items() if series in key]
        own = ctx.unit.meeting or ""
        if not codes and own and not re.search(r"\bof\b", key):
            codes = [
                label
                for label in self.next_event.values()
                if label.startswith(f"next {own.rsplit('-', 1)[0]} ")
            ]
        m = re.search(r"\((\w+)-(\d+)\)", codes[0]) if codes else None
        if m is None:
            return key if not own.rsplit("-", 1)[-1].isdigit() else None
        if number < int(m[2]):
            return None
        suffix = (
            "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        )
        return f"{number}{suffix} {m[1]} meeting ({m[1]}-{number})"

    def _venue_country(self, text: str, ctx: Context) -> str | None:
        """The party whose country is named as a venue ("in Azerbaijan", "in Tashkent,
        Uzbekistan", "in the Republic of Kazakhstan"); a city alone names no host."""
        for m in VENUE.finditer(text):
            place = re.sub(r"^the\s+", "", m["place"].strip())
            code = self.resolver.country_code(place)
            if code and code in ctx.unit.meeting_parties and fold(place) not in CITIES:
                return code
        return None
