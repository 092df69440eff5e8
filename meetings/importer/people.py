"""Persons and participants of the meetings of a bundle (a part of the writer).

A person is found by name or alias (case-insensitive). A name of the list of participants that
the register knows under another spelling for the same delegation of the same meeting
(Ermek → Yermek KOZHABERGENOV) is a correction: the person takes the new spelling and keeps the
old one as an alias. The chair and the signatories name persons of the list, sometimes spelled
another way: they become aliases. When the file has the meeting's list, a participant it no
longer names is removed from the meeting (the person stays in the register)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from meetings.models import Meeting, Participant
from otscustoms.concurrency import bump_version
from parties.models import Party, Person, PersonAlias

from .matching import variant_of
from .result import Change

# Above any real order in a delegation: where a row waits while the rows of its delegation
# change places, so no two rows ever hold the same (meeting, party, order).
_PARKING = 30_000


class PeopleWriter:
    """Mixed into ``Writer``; uses its ``bundle``, ``meetings``, ``parties``, ``result``,
    ``person_index``, ``attending``, ``delegation``, ``_save`` and ``_create``."""

    def _load_persons(self) -> None:
        for person in Person.objects.prefetch_related("aliases"):
            self.person_index.setdefault(person.name.casefold(), person)
            for alias in person.aliases.all():
                self.person_index.setdefault(alias.name.casefold(), person)

    def known_or_variant(self, name: str, candidates: list[Person]) -> Person | None:
        """The person of this name or alias, else the candidate it is a spelling of."""
        found = self.person_index.get(name.casefold())
        return found if found is not None else variant_of(name, candidates)

    def _alias(self, person: Person, name: str) -> None:
        if name.casefold() == person.name.casefold() or name.casefold() in self.person_index:
            return
        PersonAlias.objects.create(person=person, name=name)
        self.person_index[name.casefold()] = person

    def _person(self, name: str, honorific: str, party: Party, listed: list[Person]) -> Person:
        person = self.person_index.get(name.casefold())
        if person is None:
            person = variant_of(name, listed)
            if person is not None:
                self._rename(person, name)
        if person is None:
            person = self._create(
                "persons", Person, name, name=name, honorific=honorific, party=party
            )
            self.person_index[name.casefold()] = person
            return person
        values: dict[str, Any] = {"party_id": party.pk}
        if honorific:
            values["honorific"] = honorific
        self._save("persons", person, values, person.name)
        return person

    def _rename(self, person: Person, name: str) -> None:
        """A corrected spelling: the person takes it, the old one stays as an alias."""
        old = person.name
        fields = [("name", old, name)]
        person.name = name
        person.save(update_fields=["name"])
        self.person_index[name.casefold()] = person
        if not person.aliases.filter(name__iexact=old).exists():
            PersonAlias.objects.create(person=person, name=old)
            fields.append(("aliases", "—", f"+ {old}"))
        self.result.record(Change("persons", "changed", name, tuple(fields)))
        self.result.count("persons", "updated")

    def _persons_and_participants(self) -> None:
        self._load_persons()
        warned: set[int] = set()
        for parsed in self.bundle.meetings:
            meeting = self.meetings.get(parsed.code)
            if meeting is None:
                continue
            party_ids = self._participants(meeting, parsed, warned)
            party_ids |= {self.parties[c].pk for c in parsed.parties if c in self.parties}
            current = set(meeting.parties.values_list("pk", flat=True))
            if party_ids - current:
                # add only: a delegation the Secretariat added by hand stays
                meeting.parties.add(*(party_ids - current))
            if parsed.chair:
                self._chair(meeting, parsed.chair)
        for doc in self.bundle.documents:
            meeting = self.meetings.get(doc.meeting or "")
            if meeting is None:
                continue
            for signatory in doc.signatories:
                person = self.known_or_variant(signatory.name, self.attending[meeting.pk])
                if person is not None:
                    self._alias(person, signatory.name)

    def _chair(self, meeting: Meeting, name: str) -> None:
        chair = self.known_or_variant(name, self.attending[meeting.pk])
        if chair is None:
            return
        self._alias(chair, name)
        if meeting.chair_id == chair.pk:
            return
        before = str(meeting.chair) if meeting.chair_id else None
        meeting.chair_id = chair.pk
        if not getattr(meeting, "_just_created", False):
            bump_version(meeting)
            self.result.count("meetings", "updated")
            self.result.record(
                Change("meetings", "changed", meeting.code, (("chair", before or "—", name),))
            )
        meeting.save()

    def _participants(self, meeting: Meeting, parsed, warned: set[int]) -> set[int]:
        existing = {
            p.person_id: p
            for p in Participant.objects.filter(meeting=meeting).select_related("person", "party")
        }
        rows: list[tuple[Participant | None, Person, dict[str, Any]]] = []
        named = {p.name.casefold() for p in parsed.participants}
        places: set[tuple[int, int]] = set()  # (party, order) given so far
        for p in parsed.participants:
            party = self.parties.get(p.party_code or "")
            if party is None:
                self._warn_once(
                    warned,
                    p.line,
                    f"Line {p.line}: participant {p.name} of “{p.party_text}”, "
                    "a party the register does not know; skipped.",
                )
                continue
            # a spelling of someone listed for this delegation, unless named exactly
            same_party = [
                q.person
                for q in existing.values()
                if q.party_id == party.pk and q.person.name.casefold() not in named
            ]
            person = self._person(p.name, p.honorific, party, same_party)
            if any(listed is person for _row, listed, _values in rows):
                self._warn_once(
                    warned,
                    p.line,
                    _("Line %(line)s: %(name)s is listed twice; listed once.")
                    % {"line": p.line, "name": p.name},
                )
                continue
            order = self._free_order(places, party.pk, p, warned)
            self.attending[meeting.pk].append(person)
            self.delegation.setdefault((meeting.pk, person.pk), party.code)
            values = {
                "party_id": party.pk,
                "honorific": p.honorific,
                "title": p.title,
                "organisation": p.organization,
                "order": order,
                "is_head": order == 1,
            }
            rows.append((existing.pop(person.pk, None), person, values))
        if parsed.participants:
            self._remove_unlisted(meeting, list(existing.values()))
        self._write_participants(meeting, rows)
        return {values["party_id"] for _row, _person, values in rows}

    def _free_order(self, places: set[tuple[int, int]], party_id: int, p, warned) -> int:
        """The participant's number in the delegation; a number given twice moves the second
        one to the end of the delegation (the register holds one person per place)."""
        order = p.order
        if (party_id, order) in places:
            order = max(o for pid, o in places if pid == party_id) + 1
            self._warn_once(
                warned,
                p.line,
                _(
                    "Line %(line)s: number %(number)s is given twice in the delegation; "
                    "%(name)s is listed as %(order)s."
                )
                % {"line": p.line, "number": p.order, "name": p.name, "order": order},
            )
        places.add((party_id, order))
        return order

    def _warn_once(self, warned: set[int], line: int, message: str) -> None:
        # one list of participants often serves two meetings: one warning per line
        if line not in warned:
            warned.add(line)
            self.result.warnings.append(message)

    def _remove_unlisted(self, meeting: Meeting, gone: list[Participant]) -> None:
        for row in gone:
            self.result.count("participants", "removed")
            self.result.record(
                Change(
                    "participants",
                    "removed",
                    f"{meeting.code} {row.person.name} ({row.party.code})",
                )
            )
            row.delete()

    def _write_participants(
        self, meeting: Meeting, rows: list[tuple[Participant | None, Person, dict[str, Any]]]
    ) -> None:
        moving = [
            row
            for row, _person, values in rows
            if row is not None
            and (row.party_id, row.order) != (values["party_id"], values["order"])
        ]
        if moving:
            # out of the way first, so the rows can take each other's places
            for i, row in enumerate(moving):
                Participant.objects.filter(pk=row.pk).update(order=_PARKING + i)
                row.order = _PARKING + i
        new_rows = []
        for row, person, values in rows:
            label = f"{meeting.code} {person.name} ({self._code(values['party_id'])})"
            if row is None:
                new_rows.append(Participant(meeting=meeting, person=person, **values))
                self.result.record(Change("participants", "added", label))
            else:
                self._save("participants", row, values, label)
        # one INSERT (and one for the history) instead of two per participant
        bulk_create_with_history(new_rows, Participant)
        self.result.counts["participants"]["created"] += len(new_rows)

    def _code(self, party_id: int) -> str:
        return next((code for code, p in self.parties.items() if p.pk == party_id), "")
