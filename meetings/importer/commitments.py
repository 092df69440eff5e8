"""Commitments of a bundle (a part of the writer).

Each commitment of the file is matched to the one of the register it restates
(``matching``): a match is updated, never duplicated. ``ImportedCommitment`` keeps the values
as last parsed, and a re-import writes only the fields whose *parsed* value changed, so what
the Secretariat corrected in review (action wording, parties, added sources, a dropped item)
and the statuses and progress reports recorded since are kept. A commitment entered by hand
and matched has no parsed values yet: only review edits and new sources touch it. A commitment
the file no longer states is kept, and listed in the diff. The human-facing ``reference``
(C01, C02 ...) is assigned once, at creation, and never derived from the key.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from actions.models import Commitment, CommitmentSource, Precision, Role
from actions.services import SourceRef, commitment_create, commitment_import_update
from meetings.models import Decision, ImportedCommitment, Meeting, MeetingSeries
from meetings.parsing import ParsedCommitment
from meetings.parsing.normalize import fold
from parties.models import Party

from .keys import DOC_ORDER, commitment_keys, commitment_meeting, parsed_values
from .matching import Held, Stated, held_commitments, match_commitments
from .result import Change, field_change

_EVENT_CODE = re.compile(r"\(([A-Z0-9]{1,12})-(\d+)\)")
_REFERENCE = re.compile(r"^C(\d+)$")
_DEADLINE_FIELDS = {"deadline", "precision", "deadline_text", "due_event"}


def _label(meeting: Meeting, commitment: Commitment) -> str:
    action = textwrap.shorten(commitment.action, 80, placeholder=" …")
    return f"{meeting.code} {commitment.reference} — {action}"


class CommitmentWriter:
    """Mixed into ``Writer``; uses its ``bundle``, ``corrections``, ``meetings``,
    ``documents``, ``decision_labels``, ``parties``, ``unknown_codes``, ``user``, ``result``,
    ``meeting_row`` and ``_code``."""

    def _commitments(self) -> None:
        keyed = [
            (key, c, meeting)
            for key, c in commitment_keys(self.bundle)
            if (meeting := self.meetings.get(commitment_meeting(self.bundle, c))) is not None
        ]
        meeting_ids = {m.pk for m in self.meetings.values()}
        held = held_commitments(meeting_ids)
        matched: dict[str, Held] = {}
        for meeting_id, rows in held.items():
            stated = [self._stated(key, c, m) for key, c, m in keyed if m.pk == meeting_id]
            matched.update(match_commitments(stated, rows))
        self._keys_in_use = {
            (meeting_id, h.key) for meeting_id, rows in held.items() for h in rows if h.key
        }
        self._taken = self._references(meeting_ids, keyed)
        for key, c, meeting in keyed:
            self.result.commitments[key] = self._commitment(key, c, meeting, matched.get(key))
        self._not_restated(held, matched)

    def _stated(self, key: str, c: ParsedCommitment, meeting: Meeting) -> Stated:
        decision = self._decision_for(c, meeting)
        return Stated(
            key=key,
            action=c.action,
            decision=decision.number if decision else None,
            places=frozenset((s.document_key, s.paragraph or "") for s in c.sources),
        )

    def _references(self, meeting_ids: set[int], keyed) -> dict[int, set[str]]:
        taken: dict[int, set[str]] = defaultdict(set)
        pairs = Commitment.objects.filter(meeting_id__in=meeting_ids).values_list(
            "meeting_id", "reference"
        )
        for meeting_id, ref in pairs:
            taken[meeting_id].add(ref)
        edits = self.corrections.get("commitments", {})
        for key, _c, meeting in keyed:
            if edits.get(key, {}).get("reference"):
                taken[meeting.pk].add(edits[key]["reference"])
        return taken

    def _record(self, meeting: Meeting, key: str, **values: Any) -> ImportedCommitment:
        """A new ImportedCommitment under ``key``, or under a variant of it when a record the
        file no longer restates still holds that key."""
        free, n = key, 2
        while (meeting.pk, free) in self._keys_in_use:
            free, n = f"{key}+{n}", n + 1
        self._keys_in_use.add((meeting.pk, free))
        return ImportedCommitment.objects.create(meeting=meeting, key=free, **values)

    def _commitment(
        self, key: str, c: ParsedCommitment, meeting: Meeting, held: Held | None
    ) -> Commitment | None:
        edit: dict[str, Any] = self.corrections.get("commitments", {}).get(key, {})
        parsed = parsed_values(c)
        if held is not None and held.commitment is None:
            # dropped in an earlier review: stays dropped
            self.result.count("commitments", "dropped")
            if held.record.parsed != parsed:
                held.record.parsed = parsed
                held.record.save(update_fields=["parsed"])
            return None
        if edit.get("drop"):
            if held is None:
                self._record(meeting, key, parsed=parsed)
                self.result.count("commitments", "dropped")
                return None
            self.result.warnings.append(
                f"{key}: already in the register as {held.commitment}; cancel it there "
                "rather than dropping it here."
            )
        wanted = {**parsed, **{k: v for k, v in edit.items() if k in parsed}}
        if held is None:
            commitment = self._create_commitment(key, c, meeting, wanted, edit)
            if commitment is not None:
                self._record(meeting, key, commitment=commitment, parsed=parsed)
            return commitment
        edited = set(edit) & set(parsed)
        if held.record is None:
            # entered by hand: the parser's values never overwrite it, review edits do
            commitment = self._update_commitment(held.commitment, c, wanted, edited, edit, key)
            self._record(meeting, key, commitment=commitment, parsed=parsed)
            return commitment
        # only what the bundle changed since the last import, or what review edits now
        since = {f for f in parsed if parsed[f] != held.record.parsed.get(f)}
        commitment = self._update_commitment(held.commitment, c, wanted, since | edited, edit, key)
        if held.record.parsed != parsed:
            held.record.parsed = parsed
            held.record.save(update_fields=["parsed"])
        return commitment

    def _not_restated(self, held: dict[int, list[Held]], matched: dict[str, Held]) -> None:
        """Commitments stated in documents of the file that the file no longer states: kept
        (with their statuses and reports), and shown in the diff."""
        restated = {id(h) for h in matched.values()}
        in_file = {(doc.meeting_id, doc.key) for doc in self.documents.values()}
        for meeting_id, rows in held.items():
            for h in rows:
                if id(h) in restated or h.commitment is None:
                    continue
                if not any((meeting_id, document) in in_file for document, _p in h.places):
                    continue
                self.result.record(
                    Change(
                        "commitments",
                        "removed",
                        _label(h.commitment.meeting, h.commitment),
                        note=_(
                            "no longer in the file; kept in the register with its status "
                            "and reports"
                        ),
                        key=h.key or "",
                    )
                )

    # resolving ---------------------------------------------------------------------------
    def _resolve(
        self, codes, c: ParsedCommitment, what: str, *, responsible: bool = True
    ) -> list[Party]:
        # parties created in this import for the unknown names of the responsible text
        unknown_codes = (
            [self.unknown_codes.get(fold(u.text)) for u in c.unknown_parties] if responsible else []
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
        if series is None or int(m[2]) < 1:
            return None
        meeting = self.meeting_row(series, int(m[2]), planned=True)
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
            "deadline_text": wanted.get("deadline_text") or "",
            "due_event": wanted.get("due_event") or "",
            "due_meeting": due_meeting,
        }

    def _decision_for(self, c: ParsedCommitment, meeting: Meeting) -> Decision | None:
        doc_types = {d.key: d.type for d in self.bundle.documents}
        for s in sorted(c.sources, key=lambda s: DOC_ORDER.get(doc_types.get(s.document_key), 2)):
            if doc_types.get(s.document_key) in ("agreed_minutes", "protocol") and s.paragraph:
                doc = self.documents.get(s.document_key)
                if doc is not None and doc.meeting_id == meeting.pk:
                    return self.decision_labels.get((meeting.pk, s.paragraph))
        return None

    def _next_reference(self, meeting: Meeting) -> str:
        numbers = [int(m[1]) for r in self._taken[meeting.pk] if (m := _REFERENCE.match(r))]
        reference = f"C{(max(numbers, default=0) + 1):02d}"
        self._taken[meeting.pk].add(reference)
        return reference

    # writing -----------------------------------------------------------------------------
    def _create_commitment(self, key, c, meeting, wanted, edit) -> Commitment | None:
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
        commitment = commitment_create(
            meeting=meeting,
            action=wanted["action"],
            responsible=responsible,
            partners=self._resolve(wanted["partners"], c, f"commitment {key}", responsible=False),
            responsible_text=wanted.get("responsible_text") or "",
            decision=self._decision_for(c, meeting),
            reference=edit.get("reference") or self._next_reference(meeting),
            sources=self._sources(c, edit.get("add_sources", [])),
            **self._deadline_fields(wanted),
        )
        self.result.record(Change("commitments", "added", _label(meeting, commitment), key=key))
        return commitment

    def _field_changes(self, commitment, wanted, fields, edit) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        if "action" in fields and commitment.action != wanted["action"]:
            changes["action"] = wanted["action"]
        if "responsible_text" in fields:
            text = wanted.get("responsible_text") or ""
            if commitment.responsible_text != text:
                changes["responsible_text"] = text
        if fields & _DEADLINE_FIELDS:
            deadline = self._deadline_fields(wanted)
            due_meeting = deadline.pop("due_meeting")
            for f, v in deadline.items():
                if getattr(commitment, f) != v:
                    changes[f] = v
            if commitment.due_meeting_id != (due_meeting.pk if due_meeting else None):
                changes["due_meeting"] = due_meeting
        if edit.get("reference") and edit["reference"] != commitment.reference:
            changes["reference"] = edit["reference"]
        return changes

    def _party_changes(self, commitment, c, wanted, fields):
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
        before = {
            role: sorted(self._code(link.party_id) for link in links if link.role == role)
            for role in (Role.RESPONSIBLE, Role.PARTNER)
        }
        return responsible, partners, before

    def _update_commitment(self, commitment, c, wanted, fields, edit, key) -> Commitment:
        changes = self._field_changes(commitment, wanted, fields, edit)
        responsible, partners, before = self._party_changes(commitment, c, wanted, fields)
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
        shown = [field_change(f, getattr(commitment, f), v) for f, v in changes.items()]
        for name, role, now in (
            ("responsible", Role.RESPONSIBLE, responsible),
            ("partners", Role.PARTNER, partners),
        ):
            if now is not None:
                shown.append(field_change(name, before[role], sorted(p.code for p in now)))
        if sources:
            added = [f"{s.document.key} {s.paragraph}".strip() for s in sources]
            shown.append(field_change("sources", "", "+ " + ", ".join(added)))
        self.result.count("commitments", "updated")
        self.result.record(
            Change(
                "commitments",
                "changed",
                _label(commitment.meeting, commitment),
                tuple(shown),
                key=key,
            )
        )
        return commitment_import_update(
            commitment=commitment,
            user=self.user,
            responsible=responsible,
            partners=partners,
            sources=sources,
            **changes,
        )
