"""JSON-ready, deterministic output of a ParsedBundle (the --dry-run --format json shape)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .types import ParsedAgendaItem, ParsedBundle, ParsedCommitment

_DOC_ORDER = {"agreed_minutes": 0, "protocol": 1, "other": 2, "note_verbale": 3}


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _agenda(item: ParsedAgendaItem) -> dict[str, Any]:
    return {
        "number": item.number,
        "title": item.title,
        "children": [_agenda(c) for c in item.children],
    }


def _commitment(c: ParsedCommitment) -> dict[str, Any]:
    return {
        "responsible": list(c.responsible),
        "responsible_text": c.responsible_text,
        "partners": list(c.partners),
        "action": c.action,
        "deadline": _date(c.deadline),
        "precision": c.precision,
        "deadline_text": c.deadline_text,
        "due_event": c.due_event,
        "meeting": c.meeting,
        "sources": [
            {
                "document": s.document,
                "document_key": s.document_key,
                "meeting": s.meeting,
                "paragraph": s.paragraph,
                "line": s.line,
                "sentence": s.sentence,
            }
            for s in c.sources
        ],
        "owners": [
            {"text": o.text, "kind": o.kind, "party": o.code, "person": o.person} for o in c.owners
        ],
        "unknown_parties": [
            {
                "text": u.text,
                "suggested_code": u.suggested_code,
                "suggested_name": u.suggested_name,
            }
            for u in c.unknown_parties
        ],
    }


def _paragraph_key(value: str | None) -> tuple[int, str]:
    return (int(value), "") if value and value.isdigit() else (10**6, value or "")


def bundle_to_dict(bundle: ParsedBundle) -> dict[str, Any]:
    doc_index = {d.key: i for i, d in enumerate(bundle.documents)}
    meeting_index = {m.code: i for i, m in enumerate(bundle.meetings)}

    def commitment_key(c: ParsedCommitment) -> tuple[Any, ...]:
        first = min(
            c.sources,
            key=lambda s: (
                _DOC_ORDER.get(s.document, 2),
                doc_index.get(s.document_key, 99),
                _paragraph_key(s.paragraph),
                s.line,
            ),
        )
        return (
            meeting_index.get(c.meeting or "", 99),
            doc_index.get(first.document_key, 99),
            _paragraph_key(first.paragraph),
            first.line,
            c.action,
        )

    return {
        "meetings": [
            {
                "code": m.code,
                "series_name": m.series_name,
                "series_code": m.series_code,
                "number": m.number,
                "start_date": _date(m.start_date),
                "end_date": _date(m.end_date),
                "city": m.city,
                "country": m.country,
                "chair": m.chair,
                "parties": list(m.parties),
                "agenda": [_agenda(a) for a in m.agenda],
                "participants": [
                    {
                        "party": p.party_code,
                        "party_text": p.party_text,
                        "organization": p.organization,
                        "honorific": p.honorific,
                        "name": p.name,
                        "title": p.title,
                        "order": p.order,
                        "initials": p.initials,
                    }
                    for p in m.participants
                ],
                "decisions": [
                    {
                        "document": d.document,
                        "number": d.number,
                        "title": d.title,
                        "agenda_item": d.agenda_item,
                        "text": d.text,
                    }
                    for d in m.decisions
                ],
            }
            for m in bundle.meetings
        ],
        "documents": [
            {
                "key": d.key,
                "type": d.type,
                "title": d.title,
                "meeting": d.meeting,
                "meetings": list(d.meetings),
                "reference": d.reference,
                "date": _date(d.date),
                "place": d.place,
                "annex": d.annex,
                "signatories": [
                    {
                        "honorific": s.honorific,
                        "name": s.name,
                        "title": s.title,
                        "on_behalf": s.on_behalf,
                    }
                    for s in d.signatories
                ],
                "addressees": list(d.addressees),
                "start_line": d.start_line,
                "end_line": d.end_line,
            }
            for d in bundle.documents
        ],
        "parties": list(bundle.parties_mentioned),
        "commitments": [_commitment(c) for c in sorted(bundle.commitments, key=commitment_key)],
        "warnings": list(bundle.warnings),
    }
