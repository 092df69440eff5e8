"""Write a parsed minutes bundle into the register, in one transaction, idempotently.

The parser (``meetings.parsing``) knows nothing of the database; this module only writes what
it found. Natural keys: series by code, meeting by (series, number), document by (meeting, key)
or reference, agenda item by (meeting, number), person by name or alias (case-insensitive),
participant by (meeting, person), decision by (meeting, number), commitment by its *import key*.

The import key of a commitment is a stable content key: the first place it is stated (document
key and paragraph, in the order agreed minutes → protocol → other → note verbale) and its
ordinal among the obligations stated first there (``hca_minutes-3-2``). It does not contain the
wording, the parties or the deadline, so a corrected bundle with a reworded action or a moved
deadline updates the same commitment. The key is kept in ``ImportedCommitment`` with the values
as last parsed: a re-import writes only the fields whose *parsed* value changed, so what the
Secretariat corrected in review (action wording, parties, added sources, a dropped item) and
the statuses and progress reports recorded since are kept. The human-facing ``reference``
(C01, C02 ...) is assigned once, at creation, and never derived from the key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from simple_history.utils import bulk_create_with_history

from actions.models import Commitment, CommitmentSource, Precision, Role
from actions.services import SourceRef, commitment_create, commitment_import_update
from meetings.models import (
    AgendaItem,
    Decision,
    Document,
    ImportedCommitment,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Participant,
    _ordinal,
)
from meetings.parsing import (
    InputError,
    ParsedAgendaItem,
    ParsedBundle,
    ParsedCommitment,
    PartyRegister,
    PartyResolver,
    RegisteredParty,
    Signatory,
    parse_bundle,
)
from meetings.parsing.normalize import fold
from otscustoms.concurrency import bump_version
from parties.models import Party, PartyAlias, PartyKind, Person, PersonAlias

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
_DOC_ORDER = {"agreed_minutes": 0, "protocol": 1, "other": 2, "note_verbale": 3}
_EVENT_CODE = re.compile(r"\(([A-Z0-9]{1,12})-(\d+)\)")
_REFERENCE = re.compile(r"^C(\d+)$")
_SUB_NUMBER = re.compile(r"\d{1,2}\.\d{1,2}")  # a point under an agenda item: "2.1"


@dataclass
class ImportResult:
    counts: dict[str, Counter] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    warnings: list[str] = field(default_factory=list)
    unknown_parties: list[dict[str, Any]] = field(default_factory=list)
    commitments: dict[str, Commitment | None] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def summary(self) -> dict[str, dict[str, int]]:
        return {
            kind: {o: self.counts[kind][o] for o in ("created", "updated", "unchanged", "dropped")}
            for kind in KINDS
        }


# --- reading the register ---------------------------------------------------------------


def register_from_db() -> PartyRegister:
    """The parties the parser may resolve names to, with every alias the register knows."""
    rows = []
    for party in Party.objects.prefetch_related("aliases").order_by("order", "code"):
        aliases = [a.name for a in party.aliases.all()]
        if party.official_name:
            aliases.append(party.official_name)
        rows.append(RegisteredParty(party.code, party.name, party.kind, tuple(aliases)))
    return PartyRegister(tuple(rows))


# --- commitment keys --------------------------------------------------------------------


def _paragraph_key(value: str | None) -> tuple[int, str]:
    return (int(value), "") if value and value.isdigit() else (10**6, value or "")


def commitment_meeting(bundle: ParsedBundle, c: ParsedCommitment) -> str:
    if c.meeting:
        return c.meeting
    for s in c.sources:
        if s.meeting:
            return s.meeting
    return bundle.meetings[0].code


def commitment_keys(bundle: ParsedBundle) -> list[tuple[str, ParsedCommitment]]:
    """Every commitment with its import key, in a deterministic order."""
    doc_index = {d.key: i for i, d in enumerate(bundle.documents)}
    meeting_index = {m.code: i for i, m in enumerate(bundle.meetings)}

    def first_source(c: ParsedCommitment):
        return min(
            c.sources,
            key=lambda s: (
                _DOC_ORDER.get(s.document, 2),
                doc_index.get(s.document_key, 99),
                _paragraph_key(s.paragraph),
                s.line,
            ),
        )

    placed = []
    for position, c in enumerate(bundle.commitments):
        first = first_source(c)
        sort = (
            meeting_index.get(commitment_meeting(bundle, c), 99),
            _DOC_ORDER.get(first.document, 2),
            doc_index.get(first.document_key, 99),
            _paragraph_key(first.paragraph),
            first.line,
            position,
        )
        placed.append((sort, first, c))
    placed.sort(key=lambda item: item[0])
    ordinals: Counter = Counter()
    keyed = []
    for _sort, first, c in placed:
        anchor = (commitment_meeting(bundle, c), first.document_key, first.paragraph or "")
        ordinals[anchor] += 1
        keyed.append((f"{first.document_key}-{first.paragraph or 'x'}-{ordinals[anchor]}", c))
    return keyed


def parsed_values(c: ParsedCommitment) -> dict[str, Any]:
    """What the parser said, as stored in ImportedCommitment.parsed (JSON-ready)."""
    return {
        "action": c.action,
        "responsible": list(c.responsible),
        "responsible_text": c.responsible_text,
        "partners": list(c.partners),
        "deadline": c.deadline.isoformat() if c.deadline else None,
        "precision": c.precision,
        "deadline_text": c.deadline_text,
        "due_event": c.due_event,
    }


# --- the writer -------------------------------------------------------------------------


def import_bundle(
    bundle: ParsedBundle,
    *,
    user: AbstractBaseUser | None = None,
    corrections: dict[str, Any] | None = None,
    create_parties: bool = False,
) -> ImportResult:
    """Write ``bundle``; ``corrections`` is what the Secretariat changed in review:

    ``{"create_parties": [{"text", "code", "name", "kind"}],
       "commitments": {KEY: {"drop": bool, "reference", "action", "responsible": [codes],
                             "partners": [codes], "deadline": "YYYY-MM-DD" | None,
                             "precision", "deadline_text", "add_sources": ["note 2"]}}}``

    ``create_parties=True`` creates every unknown party under its suggested code.
    """
    with transaction.atomic():
        writer = _Writer(bundle, user=user, corrections=corrections or {})
        writer.run(create_all_parties=create_parties)
    return writer.result


def _differs(current: Any, wanted: Any) -> bool:
    return current != wanted


class _Writer:
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

    def run(self, *, create_all_parties: bool) -> None:
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

    # generic upsert: save only when a value differs, so a re-import adds no version and no
    # history row
    def _save(self, kind: str, obj: Model, values: dict[str, Any]) -> Model:
        changed = [f for f, v in values.items() if _differs(getattr(obj, f), v)]
        if not changed:
            self.result.count(kind, "unchanged")
            return obj
        for f in changed:
            setattr(obj, f, values[f])
        if hasattr(obj, "version"):
            bump_version(obj)
        obj.save()
        self.result.count(kind, "updated")
        return obj

    def _create(self, counter: str, model: type[Model], **values: Any) -> Model:
        self.result.count(counter, "created")
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
                if spec is None:
                    continue
                code = (spec.get("code") or "").upper()
                if not re.fullmatch(r"[A-Z]{2,8}", code):
                    self.result.warnings.append(
                        f"Cannot create a party for “{unknown.text}”: no valid code (2–8 letters)."
                    )
                    continue
                party = self.parties.get(code)
                if party is None:
                    party = self._create(
                        "parties",
                        Party,
                        code=code,
                        name=spec.get("name") or unknown.suggested_name or unknown.text,
                        kind=spec.get("kind") or PartyKind.OTHER,
                    )
                    self.parties[code] = party
                if not PartyAlias.objects.filter(name__iexact=unknown.text).exists():
                    PartyAlias.objects.create(party=party, name=unknown.text)
                self._unknown_map[folded] = code

    @property
    def _unknown_map(self) -> dict[str, str]:
        if not hasattr(self, "_unknown_codes"):
            self._unknown_codes: dict[str, str] = {}
        return self._unknown_codes

    # meetings --------------------------------------------------------------------------
    def _series(self, code: str, name: str) -> MeetingSeries:
        series = MeetingSeries.objects.filter(code=code).first()
        if series is not None:
            # a series' name and description are the Secretariat's: never overwritten
            self.result.count("series", "unchanged")
            return series
        if name and not name.lower().startswith(("meeting", "conference")):
            name = f"Meeting of the {name}"
        return self._create("series", MeetingSeries, code=code, name=name or code)

    def _meeting_row(self, series: MeetingSeries, number: int, planned: bool) -> Meeting:
        meeting = Meeting.objects.filter(series=series, number=number).first()
        if meeting is None:
            title = f"{_ordinal(number)} {series.name}"
            if series.organisation:
                title += f" of the {series.organisation}"
            meeting = self._create(
                "meetings",
                Meeting,
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
        meeting = self._meeting_row(series, parsed.number, planned=False)
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
            self._save("meetings", meeting, values)
        self.meetings[parsed.code] = meeting

    # documents -------------------------------------------------------------------------
    def _documents(self) -> None:
        self.resolver = PartyResolver(register_from_db())  # with the parties created above
        first_meeting = self.bundle.meetings[0].code if self.bundle.meetings else None
        for order, parsed in enumerate(self.bundle.documents):
            code = parsed.meeting or (parsed.meetings[0] if parsed.meetings else first_meeting)
            meeting = self.meetings.get(code or "")
            if meeting is None:
                self.result.warnings.append(f"Document {parsed.key}: no meeting; skipped.")
                continue
            doc = Document.objects.filter(meeting=meeting, key=parsed.key).first()
            if doc is None and parsed.reference:
                doc = Document.objects.filter(reference=parsed.reference).first()
            values = {
                "meeting_id": meeting.pk,
                "type": parsed.type,
                "title": parsed.title[:300],
                "reference": parsed.reference,
                "date": parsed.date,
                "place": parsed.place[:100],
                "addressees": "\n".join(parsed.addressees),
                "annex": parsed.annex or (doc.annex if doc is not None else ""),
                "signatories": [self._signatory(s, meeting) for s in parsed.signatories],
                "text": parsed.text,
                "order": order,
                "key": parsed.key,
            }
            if doc is None:
                doc = self._create("documents", Document, **values)
            else:
                self._save("documents", doc, values)
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
        person = self._variant_of(signatory.name, self.attending[meeting.pk])
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
                if row is None:
                    row = self._create(
                        "agenda_items", AgendaItem, meeting=meeting, number=item.number, **values
                    )
                else:
                    self._save("agenda_items", row, values)
                self.agenda[(meeting.pk, item.number)] = row
                walk(item.children, row)

        walk(parsed.agenda, None)

    # persons and participants ----------------------------------------------------------
    def _load_persons(self) -> None:
        for person in Person.objects.prefetch_related("aliases"):
            self.person_index.setdefault(person.name.casefold(), person)
            for alias in person.aliases.all():
                self.person_index.setdefault(alias.name.casefold(), person)

    def _person(self, name: str, honorific: str, party: Party | None) -> Person:
        person = self.person_index.get(name.casefold())
        if person is None:
            person = self._create("persons", Person, name=name, honorific=honorific, party=party)
            self.person_index[name.casefold()] = person
            return person
        values: dict[str, Any] = {}
        if honorific:
            values["honorific"] = honorific
        if party is not None:
            values["party_id"] = party.pk
        self._save("persons", person, values)
        return person

    def _variant_of(self, name: str, candidates: list[Person]) -> Person | None:
        """The person a differently spelled name means: same number of words, each word
        close (Akmalhuja/Akmalkhuja MAVLONOV, Duysembiev/DUISEMBIEV)."""
        found = self.person_index.get(name.casefold())
        if found is not None:
            return found
        words = fold(name).split()
        best = None
        for person in candidates:
            other = fold(person.name).split()
            if len(other) != len(words):
                continue
            ratios = [
                difflib.SequenceMatcher(None, a, b).ratio()
                for a, b in zip(words, other, strict=True)
            ]
            if min(ratios) >= 0.8 and (best is None or min(ratios) > best[0]):
                best = (min(ratios), person)
        return best[1] if best else None

    def _alias(self, person: Person, name: str) -> None:
        if name.casefold() == person.name.casefold():
            return
        if name.casefold() in self.person_index:
            return
        PersonAlias.objects.create(person=person, name=name)
        self.person_index[name.casefold()] = person

    def _persons_and_participants(self) -> None:
        self._load_persons()
        attending = self.attending
        warned: set[int] = set()
        for parsed in self.bundle.meetings:
            meeting = self.meetings.get(parsed.code)
            if meeting is None:
                continue
            existing = {p.person_id: p for p in Participant.objects.filter(meeting=meeting)}
            new_rows: list[Participant] = []
            party_ids = set()
            for p in parsed.participants:
                party = self.parties.get(p.party_code or "")
                if party is None:
                    if p.line in warned:  # one list of participants serves two meetings
                        continue
                    warned.add(p.line)
                    self.result.warnings.append(
                        f"Line {p.line}: participant {p.name} of “{p.party_text}”, "
                        "a party the register does not know; skipped."
                    )
                    continue
                person = self._person(p.name, p.honorific, party)
                attending[meeting.pk].append(person)
                self.delegation.setdefault((meeting.pk, person.pk), party.code)
                party_ids.add(party.pk)
                values = {
                    "party_id": party.pk,
                    "honorific": p.honorific,
                    "title": p.title[:300],
                    "organisation": p.organization[:200],
                    "order": p.order,
                    "is_head": p.order == 1,
                }
                row = existing.get(person.pk)
                if row is None:
                    new_rows.append(Participant(meeting=meeting, person=person, **values))
                else:
                    self._save("participants", row, values)
            # one INSERT (and one for the history) instead of two per participant
            bulk_create_with_history(new_rows, Participant)
            self.result.counts["participants"]["created"] += len(new_rows)
            party_ids |= {self.parties[c].pk for c in parsed.parties if c in self.parties}
            current = set(meeting.parties.values_list("pk", flat=True))
            if party_ids - current:
                # add only: a delegation the Secretariat added by hand stays
                meeting.parties.add(*(party_ids - current))
            # the chair and the signatories name persons of the list, sometimes spelled
            # another way: keep one person with the other spelling as an alias
            if parsed.chair:
                chair = self._variant_of(parsed.chair, attending[meeting.pk])
                if chair is not None:
                    self._alias(chair, parsed.chair)
                    if meeting.chair_id != chair.pk:
                        meeting.chair_id = chair.pk
                        if not getattr(meeting, "_just_created", False):
                            bump_version(meeting)
                            self.result.count("meetings", "updated")
                        meeting.save()
        for doc in self.bundle.documents:
            meeting = self.meetings.get(doc.meeting or "")
            if meeting is None:
                continue
            for signatory in doc.signatories:
                name = signatory.name
                person = self._variant_of(name, attending[meeting.pk])
                if person is not None:
                    self._alias(person, name)

    # decisions -------------------------------------------------------------------------
    def _decisions(self, parsed) -> None:
        meeting = self.meetings.get(parsed.code)
        if meeting is None:
            return
        doc_types = {d.key: d.type for d in self.bundle.documents}
        # the same decision is in the minutes and the protocol: the minutes' text is kept
        chosen: dict[int, Any] = {}
        # a protocol numbering its points under the agenda items ("1.1", "1.2", "2.1") and
        # nothing else: the points are its decisions, numbered in order (the register's number
        # is an integer); the written label opens the text and commitments citing it find it
        sub = sorted(
            {d.number for d in parsed.decisions if _SUB_NUMBER.fullmatch(d.number)},
            key=lambda n: tuple(int(p) for p in n.split(".")),
        )
        ordinal = (
            {label: i for i, label in enumerate(sub, start=1)}
            if sub and not any(d.number.isdigit() for d in parsed.decisions)
            else {}
        )
        for d in parsed.decisions:
            if not d.number.isdigit() and d.number not in ordinal:
                self.result.warnings.append(f"Line {d.line}: decision “{d.number}” skipped.")
                continue
            rank = _DOC_ORDER.get(doc_types.get(d.document, "other"), 2)
            number = ordinal.get(d.number) or int(d.number)
            if number not in chosen or rank < chosen[number][0]:
                chosen[number] = (rank, d)
        existing = {d.number: d for d in Decision.objects.filter(meeting=meeting)}
        for number, (_rank, d) in sorted(chosen.items()):
            doc = self.documents.get(d.document)
            text = d.text if d.number.isdigit() else f"{d.number}. {d.text}"
            values: dict[str, Any] = {"text": text, "document_id": doc.pk if doc else None}
            agenda = self.agenda.get((meeting.pk, d.agenda_item or ""))
            if agenda is not None:
                values["agenda_item_id"] = agenda.pk
            row = existing.get(number)
            if row is None:
                row = self._create("decisions", Decision, meeting=meeting, number=number, **values)
            else:
                self._save("decisions", row, values)
            self.decisions[(meeting.pk, number)] = row
            self.decision_labels[(meeting.pk, d.number)] = row

    # commitments -----------------------------------------------------------------------
    def _resolve(
        self, codes, c: ParsedCommitment, what: str, *, responsible: bool = True
    ) -> list[Party]:
        # parties created in this import for the unknown names of the responsible text
        unknown_codes = (
            [self._unknown_map.get(fold(u.text)) for u in c.unknown_parties] if responsible else []
        )
        out: list[Party] = []
        for code in codes:
            if code is None:
                continue
            party = self.parties.get(code)
            if party is None:
                self.result.warnings.append(f"Unknown party code {code} in {what}; left out.")
            else:
                out.append(party)
        for code in unknown_codes:
            if code and code in self.parties and self.parties[code] not in out:
                out.append(self.parties[code])
        return out

    def _due_meeting(self, due_event: str | None) -> Meeting | None:
        m = _EVENT_CODE.search(due_event or "")
        if not m:
            return None
        code = f"{m[1]}-{m[2]}"
        if code in self.meetings:
            return self.meetings[code]
        series = MeetingSeries.objects.filter(code=m[1]).first()
        if series is None:
            return None
        meeting = self._meeting_row(series, int(m[2]), planned=True)
        self.meetings[code] = meeting
        return meeting

    def _sources(self, c: ParsedCommitment, extra: list[str]) -> list[SourceRef]:
        refs = [
            SourceRef(
                document=self.documents[s.document_key],
                paragraph=s.paragraph or "",
                quote=s.sentence,
            )
            for s in c.sources
            if s.document_key in self.documents
        ]
        by_key = {d.key: d for d in self.documents.values()}
        for spec in extra:
            key, _sep, paragraph = spec.partition(" ")
            if key in by_key:
                refs.append(SourceRef(document=by_key[key], paragraph=paragraph))
        return refs

    def _commitments(self) -> None:
        keyed = commitment_keys(self.bundle)
        edits: dict[str, dict[str, Any]] = self.corrections.get("commitments", {})
        meeting_ids = {m.pk for m in self.meetings.values()}
        known = {
            (ik.meeting_id, ik.key): ik
            for ik in ImportedCommitment.objects.filter(meeting_id__in=meeting_ids)
        }
        taken: dict[int, set[str]] = defaultdict(set)
        for meeting_id, ref in Commitment.objects.filter(meeting_id__in=meeting_ids).values_list(
            "meeting_id", "reference"
        ):
            taken[meeting_id].add(ref)
        for key, _c in keyed:
            if edits.get(key, {}).get("reference"):
                taken[self.meetings[commitment_meeting(self.bundle, _c)].pk].add(
                    edits[key]["reference"]
                )
        for key, c in keyed:
            meeting = self.meetings.get(commitment_meeting(self.bundle, c))
            if meeting is None:
                continue
            edit = edits.get(key, {})
            parsed = parsed_values(c)
            ik = known.get((meeting.pk, key))
            if ik is not None and ik.commitment_id is None:
                # dropped in an earlier review: stays dropped
                self.result.count("commitments", "dropped")
                self.result.commitments[key] = None
                if ik.parsed != parsed:
                    ik.parsed = parsed
                    ik.save(update_fields=["parsed"])
                continue
            if edit.get("drop"):
                if ik is None:
                    ImportedCommitment.objects.create(meeting=meeting, key=key, parsed=parsed)
                    self.result.count("commitments", "dropped")
                    self.result.commitments[key] = None
                    continue
                self.result.warnings.append(
                    f"{key}: already in the register as {ik.commitment}; cancel it there "
                    "rather than dropping it here."
                )
            wanted = {**parsed, **{k: v for k, v in edit.items() if k in parsed}}
            if ik is None:
                commitment = self._create_commitment(key, c, meeting, wanted, edit, taken)
                if commitment is None:
                    continue
                ImportedCommitment.objects.create(
                    meeting=meeting, key=key, commitment=commitment, parsed=parsed
                )
            else:
                # only what the bundle changed since the last import, or what review edits now
                fields = {f for f in parsed if parsed[f] != ik.parsed.get(f)} | (
                    set(edit) & set(parsed)
                )
                commitment = self._update_commitment(ik.commitment, c, wanted, fields, edit)
                if ik.parsed != parsed:
                    ik.parsed = parsed
                    ik.save(update_fields=["parsed"])
            self.result.commitments[key] = commitment

    def _deadline_fields(self, wanted: dict[str, Any]) -> dict[str, Any]:
        deadline = wanted.get("deadline")
        if isinstance(deadline, str):
            deadline = dt.date.fromisoformat(deadline) if deadline else None
        precision = wanted.get("precision") or ""
        due_meeting = self._due_meeting(wanted.get("due_event"))
        if wanted.get("due_event") and deadline is None:
            precision = Precision.EVENT
        return {
            "deadline": deadline,
            "deadline_precision": precision,
            "deadline_text": (wanted.get("deadline_text") or "")[:200],
            "due_event": (wanted.get("due_event") or "")[:200],
            "due_meeting": due_meeting,
        }

    def _decision_for(self, c: ParsedCommitment, meeting: Meeting) -> Decision | None:
        doc_types = {d.key: d.type for d in self.bundle.documents}
        for s in sorted(c.sources, key=lambda s: _DOC_ORDER.get(doc_types.get(s.document_key), 2)):
            if doc_types.get(s.document_key) in ("agreed_minutes", "protocol") and s.paragraph:
                doc = self.documents.get(s.document_key)
                if doc is not None and doc.meeting_id == meeting.pk:
                    return self.decision_labels.get((meeting.pk, s.paragraph))
        return None

    def _next_reference(self, meeting: Meeting, taken: dict[int, set[str]]) -> str:
        numbers = [int(m[1]) for r in taken[meeting.pk] if (m := _REFERENCE.match(r))]
        reference = f"C{(max(numbers, default=0) + 1):02d}"
        taken[meeting.pk].add(reference)
        return reference

    def _create_commitment(self, key, c, meeting, wanted, edit, taken) -> Commitment | None:
        responsible = self._resolve(wanted["responsible"], c, f"commitment {key}")
        if not responsible:
            self.result.warnings.append(
                f"{key}: “{c.responsible_text}” names no party the register knows; "
                "not imported (create the party, then import again)."
            )
            return None
        if None in wanted["responsible"] and len(responsible) < len(wanted["responsible"]):
            self.result.warnings.append(
                f"{key}: imported with the known parties only; “{c.responsible_text}” "
                "also names a party the register does not know."
            )
        self.result.count("commitments", "created")
        return commitment_create(
            meeting=meeting,
            action=wanted["action"],
            responsible=responsible,
            partners=self._resolve(wanted["partners"], c, f"commitment {key}", responsible=False),
            responsible_text=(wanted.get("responsible_text") or "")[:300],
            decision=self._decision_for(c, meeting),
            reference=edit.get("reference") or self._next_reference(meeting, taken),
            sources=self._sources(c, edit.get("add_sources", [])),
            **self._deadline_fields(wanted),
        )

    def _update_commitment(self, commitment, c, wanted, fields, edit) -> Commitment:
        changes: dict[str, Any] = {}
        if "action" in fields and commitment.action != wanted["action"]:
            changes["action"] = wanted["action"]
        if "responsible_text" in fields:
            text = (wanted.get("responsible_text") or "")[:300]
            if commitment.responsible_text != text:
                changes["responsible_text"] = text
        if fields & {"deadline", "precision", "deadline_text", "due_event"}:
            deadline = self._deadline_fields(wanted)
            due_meeting = deadline.pop("due_meeting")
            for f, v in deadline.items():
                if getattr(commitment, f) != v:
                    changes[f] = v
            if commitment.due_meeting_id != (due_meeting.pk if due_meeting else None):
                changes["due_meeting"] = due_meeting
        if edit.get("reference") and edit["reference"] != commitment.reference:
            changes["reference"] = edit["reference"]
        links = list(commitment.links.all())
        responsible = partners = None
        if "responsible" in fields:
            wanted_r = self._resolve(wanted["responsible"], c, str(commitment))
            if wanted_r and {p.pk for p in wanted_r} != {
                link.party_id for link in links if link.role == Role.RESPONSIBLE
            }:
                responsible = wanted_r
        if "partners" in fields:
            wanted_p = self._resolve(wanted["partners"], c, str(commitment), responsible=False)
            if {p.pk for p in wanted_p} != {
                link.party_id for link in links if link.role == Role.PARTNER
            }:
                partners = wanted_p
        cited = set(
            CommitmentSource.objects.filter(commitment=commitment).values_list(
                "document_id", "paragraph"
            )
        )
        sources = [
            s
            for s in self._sources(c, edit.get("add_sources", []))
            if (s.document.pk, s.paragraph) not in cited
        ]
        if not changes and responsible is None and partners is None and not sources:
            self.result.count("commitments", "unchanged")
            return commitment
        self.result.count("commitments", "updated")
        return commitment_import_update(
            commitment=commitment,
            user=self.user,
            responsible=responsible,
            partners=partners,
            sources=sources,
            **changes,
        )


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def parse_text(text: str, filename: str = "") -> ParsedBundle:
    try:
        bundle = parse_bundle(text, register=register_from_db(), source_name=filename)
    except InputError as exc:
        name = filename or "The text"
        raise InputError(f"{name}: {exc.message}", exc.line) from exc
    if not bundle.meetings:
        raise InputError(f"{filename or 'The text'}: no recognisable meeting.")
    return bundle
