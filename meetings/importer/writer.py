"""The writer: a parsed bundle into the register, idempotently, recording each row it adds or
changes (the diff). Call it inside a transaction; ``meetings.importer.plan`` decides whether
that transaction is kept.

Natural keys: series by code, meeting by (series, number), document by (meeting, key) or
reference, agenda item by (meeting, number), decision by (meeting, number). Persons and
participants are written by ``people``, commitments by ``commitments``. A value is saved only
when it differs, so a re-import of the same bundle adds no version and no history row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.db.models import Model, Q
from django.utils.translation import gettext as _

from meetings.models import (
    AgendaItem,
    Decision,
    Document,
    DocumentType,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    _ordinal,
)
from meetings.parsing import ParsedAgendaItem, ParsedBundle, PartyResolver, Signatory
from meetings.parsing.normalize import fold
from otscustoms.concurrency import bump_version
from parties.models import Party, PartyAlias, PartyKind, Person

from .commitments import CommitmentWriter
from .keys import chosen_decisions, decision_text, document_meeting, series_name
from .people import PeopleWriter
from .result import Change, ImportResult, field_change
from .source import register_from_db

_TITLE_MAX = Meeting._meta.get_field("title").max_length


def document_label(code: str, key: str, doc_type: str) -> str:
    """HCA-9 agreed minutes (hca_minutes)"""
    return f"{code} {str(DocumentType(doc_type).label).lower()} ({key})"


class Writer(PeopleWriter, CommitmentWriter):
    def __init__(self, bundle: ParsedBundle, *, user, corrections: dict[str, Any]) -> None:
        self.bundle = bundle
        self.user = user
        self.corrections = corrections
        self.result = ImportResult()
        self.parties = {p.code: p for p in Party.objects.all()}
        self.meetings: dict[str, Meeting] = {}
        self.documents: dict[str, Document] = {}
        self.agenda: dict[tuple[int, str], AgendaItem] = {}
        self.decisions: dict[tuple[int, int], Decision] = {}
        self.decision_labels: dict[tuple[int, str], Decision] = {}  # (meeting, "1.2") -> row
        self.person_index: dict[str, Person] = {}
        # who attended each meeting, and for which delegation (meeting pk, person pk) → code
        self.attending: dict[int, list[Person]] = defaultdict(list)
        self.delegation: dict[tuple[int, int], str] = {}
        self.unknown_codes: dict[str, str] = {}  # folded name as written -> party created

    def run(self, *, create_all_parties: bool) -> ImportResult:
        self._unknown_parties(create_all_parties)
        for parsed in self.bundle.meetings:
            self._meeting(parsed)
        # participants first: a signatory's party is the delegation they are listed in
        self._persons_and_participants()
        self._documents()
        for parsed in self.bundle.meetings:
            self._agenda(parsed)
        for parsed in self.bundle.meetings:
            self._decisions(parsed)
        self._commitments()
        for meeting in self.meetings.values():
            self._dates_due_at(meeting)
        return self.result

    def _dates_due_at(self, meeting: Meeting) -> None:
        """Commitments of earlier meetings due "at the next meeting" point at this one and take
        its date; each one moved is a row of the diff."""
        from actions.models import Commitment
        from actions.services import link_next_meeting, meeting_commitments_follow_date

        due = Commitment.objects.filter(
            Q(due_meeting=meeting)
            | Q(
                meeting__series=meeting.series_id,
                meeting__number=meeting.number - 1,
                due_meeting__isnull=True,
                agreed_precision="event",
            )
        ).select_related("meeting__series")
        before = {c.pk: (c, c.due_meeting_id, c.agreed_deadline) for c in due}
        link_next_meeting(meeting=meeting)
        if meeting.start_date:
            meeting_commitments_follow_date(meeting=meeting)
        after = Commitment.objects.filter(pk__in=before).values_list(
            "pk", "due_meeting_id", "agreed_deadline"
        )
        for pk, due_meeting_id, agreed in after:
            commitment, old_meeting, old_date = before[pk]
            if (due_meeting_id, agreed) == (old_meeting, old_date):
                continue
            self.result.count("commitments", "updated")
            self.result.record(
                Change(
                    "commitments",
                    "changed",
                    f"{commitment.meeting.code} {commitment.reference}".strip(),
                    (field_change("deadline", old_date, agreed),),
                    note=f"due at {meeting.code}",
                )
            )

    # generic upsert, recording the diff ---------------------------------------------------
    def _save(self, kind: str, obj: Model, values: dict[str, Any], label: str) -> Model:
        changed = [f for f, v in values.items() if getattr(obj, f) != v]
        if not changed:
            self.result.count(kind, "unchanged")
            return obj
        before = {f: self._shown_value(obj, f) for f in changed}
        for f in changed:
            setattr(obj, f, values[f])
        fields = tuple(
            field_change(f.removesuffix("_id"), before[f], self._shown_value(obj, f))
            for f in changed
        )
        if hasattr(obj, "version"):
            bump_version(obj)
        obj.save()
        self.result.count(kind, "updated")
        self.result.record(Change(kind, "changed", label, fields))
        return obj

    @staticmethod
    def _shown_value(obj: Model, name: str) -> Any:
        # a foreign key is shown as the row it points to, not its id
        if name.endswith("_id") and getattr(obj, name) is not None:
            return str(getattr(obj, name.removesuffix("_id")))
        return getattr(obj, name)

    def _create(self, counter: str, model: type[Model], label: str, /, **values: Any) -> Model:
        self.result.count(counter, "created")
        self.result.record(Change(counter, "added", label))
        return model.objects.create(**values)

    # parties ---------------------------------------------------------------------------
    def _unknown_parties(self, create_all: bool) -> None:
        wanted = {
            fold(p.get("text", "")): p for p in self.corrections.get("create_parties", []) if p
        }
        seen: set[str] = set()
        for c in self.bundle.commitments:
            for unknown in c.unknown_parties:
                folded = fold(unknown.text)
                if folded in seen:
                    continue
                seen.add(folded)
                self.result.unknown_parties.append(
                    {
                        "text": unknown.text,
                        "code": None,
                        "suggested_code": unknown.suggested_code,
                        "suggested_name": unknown.suggested_name,
                    }
                )
                spec = wanted.get(folded)
                if spec is None and create_all:
                    spec = {"code": unknown.suggested_code, "name": unknown.suggested_name}
                if spec is not None:
                    self._create_party(unknown, spec, folded)

    def _create_party(self, unknown, spec: dict[str, Any], folded: str) -> None:
        code = (spec.get("code") or "").upper()
        if not re.fullmatch(r"[A-Z]{2,8}", code):
            self.result.warnings.append(
                f"Cannot create a party for “{unknown.text}”: no valid code (2–8 letters)."
            )
            return
        party = self.parties.get(code)
        if party is None:
            party = self._create(
                "parties",
                Party,
                code,
                code=code,
                name=spec.get("name") or unknown.suggested_name or unknown.text,
                kind=spec.get("kind") or PartyKind.OTHER,
            )
            self.parties[code] = party
        if not PartyAlias.objects.filter(name__iexact=unknown.text).exists():
            PartyAlias.objects.create(party=party, name=unknown.text)
        self.unknown_codes[folded] = code

    # meetings --------------------------------------------------------------------------
    def _series(self, code: str, name: str) -> MeetingSeries:
        series = MeetingSeries.objects.filter(code=code).first()
        if series is not None:
            # a series' name and description are the Secretariat's: never overwritten
            self.result.count("series", "unchanged")
            return series
        name = series_name(name)
        return self._create("series", MeetingSeries, code, code=code, name=name or code)

    def meeting_row(self, series: MeetingSeries, number: int, planned: bool) -> Meeting:
        meeting = Meeting.objects.filter(series=series, number=number).first()
        if meeting is None:
            title = f"{_ordinal(number)} {series.name}"
            if series.organisation and len(title) + len(series.organisation) + 8 <= _TITLE_MAX:
                title += f" of the {series.organisation}"
            meeting = self._create(
                "meetings",
                Meeting,
                f"{series.code}-{number}",
                series=series,
                number=number,
                title=title,
                status=MeetingStatus.PLANNED if planned else MeetingStatus.HELD,
            )
            meeting._just_created = True
        return meeting

    def _meeting(self, parsed) -> None:
        if parsed.number is None:
            self.result.warnings.append(f"{parsed.code}: no meeting number; skipped.")
            return
        series = self._series(parsed.series_code, parsed.series_name)
        meeting = self.meeting_row(series, parsed.number, planned=False)
        values: dict[str, Any] = {"status": MeetingStatus.HELD}
        # only what the bundle states: an empty value never erases what the register knows
        if parsed.start_date:
            values["start_date"] = parsed.start_date
            values["year"] = parsed.start_date.year
        if parsed.end_date:
            values["end_date"] = parsed.end_date
        if parsed.city:
            values["city"] = parsed.city
        host = self.parties.get(parsed.country or "")
        if host is not None:
            values["host_id"] = host.pk
        if getattr(meeting, "_just_created", False):
            for f, v in values.items():
                setattr(meeting, f, v)
            meeting.save()
        else:
            self._save("meetings", meeting, values, parsed.code)
        self.meetings[parsed.code] = meeting

    # documents -------------------------------------------------------------------------
    def _documents(self) -> None:
        self.resolver = PartyResolver(register_from_db())  # with the parties created above
        for order, parsed in enumerate(self.bundle.documents):
            code = document_meeting(self.bundle, parsed)
            meeting = self.meetings.get(code or "")
            if meeting is None:
                self.result.warnings.append(f"Document {parsed.key}: no meeting; skipped.")
                continue
            doc = held_document(meeting, parsed.key, parsed.reference)
            label = document_label(meeting.code, parsed.key, parsed.type)
            values = {
                "meeting_id": meeting.pk,
                "type": parsed.type,
                "title": parsed.title,
                "reference": parsed.reference,
                "date": parsed.date,
                "place": parsed.place,
                "addressees": "\n".join(parsed.addressees),
                "annex": parsed.annex or (doc.annex if doc is not None else ""),
                "signatories": [self._signatory(s, meeting) for s in parsed.signatories],
                "text": parsed.text,
                "order": order,
                "key": parsed.key,
            }
            if doc is None:
                doc = self._create("documents", Document, label, **values)
            else:
                self.result.held_documents.append(label)
                self._save("documents", doc, values, label)
            self.documents[parsed.key] = doc

    def _signatory(self, signatory: Signatory, meeting: Meeting) -> dict[str, str]:
        """As the PDFs print a signature block: "For <party>", honorific, name, title."""
        return {
            "party": self._signatory_party(signatory, meeting),
            "honorific": signatory.honorific,
            "name": signatory.name,
            "title": signatory.title,
        }

    def _signatory_party(self, signatory: Signatory, meeting: Meeting) -> str:
        """The delegation the signatory is listed in (names spelled another way match, as the
        chair's does); else the one party a "For ..." line or the title names; else ""."""
        person = self.known_or_variant(signatory.name, self.attending[meeting.pk])
        if person is not None and (meeting.pk, person.pk) in self.delegation:
            return self.delegation[(meeting.pk, person.pk)]
        for text in (signatory.on_behalf, signatory.title):
            codes = self.resolver.resolve(text).codes if text else ()
            if len(codes) == 1 and codes[0] in self.parties:
                return codes[0]
        return ""

    # agenda ----------------------------------------------------------------------------
    def _agenda(self, parsed) -> None:
        meeting = self.meetings.get(parsed.code)
        if meeting is None:
            return
        existing = {a.number: a for a in AgendaItem.objects.filter(meeting=meeting)}
        order = 0

        def walk(items: tuple[ParsedAgendaItem, ...], parent: AgendaItem | None) -> None:
            nonlocal order
            for item in items:
                order += 1
                values = {
                    "title": item.title.rstrip(":").strip(),
                    "order": order,
                    "parent_id": parent.pk if parent else None,
                }
                row = existing.get(item.number)
                label = _("%(meeting)s agenda item %(number)s") % {
                    "meeting": parsed.code,
                    "number": item.number,
                }
                if row is None:
                    row = self._create(
                        "agenda_items",
                        AgendaItem,
                        label,
                        meeting=meeting,
                        number=item.number,
                        **values,
                    )
                else:
                    self._save("agenda_items", row, values, label)
                self.agenda[(meeting.pk, item.number)] = row
                walk(item.children, row)

        walk(parsed.agenda, None)

    # decisions -------------------------------------------------------------------------
    def _decisions(self, parsed) -> None:
        meeting = self.meetings.get(parsed.code)
        if meeting is None:
            return
        doc_types = {d.key: d.type for d in self.bundle.documents}
        chosen, warnings = chosen_decisions(parsed, doc_types)
        self.result.warnings.extend(warnings)
        existing = {d.number: d for d in Decision.objects.filter(meeting=meeting)}
        for number, d in chosen:
            doc = self.documents.get(d.document)
            values: dict[str, Any] = {
                "text": decision_text(d),
                "document_id": doc.pk if doc else None,
            }
            agenda = self.agenda.get((meeting.pk, d.agenda_item or ""))
            if agenda is not None:
                values["agenda_item_id"] = agenda.pk
            row = existing.get(number)
            label = _("%(meeting)s decision %(number)s") % {
                "meeting": parsed.code,
                "number": number,
            }
            if row is None:
                row = self._create(
                    "decisions", Decision, label, meeting=meeting, number=number, **values
                )
            else:
                self._save("decisions", row, values, label)
            self.decisions[(meeting.pk, number)] = row
            self.decision_labels[(meeting.pk, d.number)] = row


def held_document(meeting: Meeting, key: str, reference: str) -> Document | None:
    """The register's copy of a document of the file: same meeting and key, or same
    reference number."""
    doc = Document.objects.filter(meeting=meeting, key=key).first()
    if doc is None and reference:
        doc = Document.objects.filter(reference=reference).first()
    return doc
