"""How parsed items are named and numbered before they are written: a commitment's import key
and meeting, a document's meeting, and which text of a decision the register keeps.

The import key of a commitment is a stable content key: the first place it is stated (document
key and paragraph, in the order agreed minutes → protocol → other → note verbale) and its
ordinal among the obligations stated first there (``hca_minutes-3-2``). It does not contain the
wording, the parties or the deadline, so a corrected bundle with a reworded action or a moved
deadline names the same commitment."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from meetings.parsing import ParsedBundle, ParsedCommitment, ParsedDecision, ParsedDocument
from meetings.parsing.types import ParsedMeeting

DOC_ORDER = {"agreed_minutes": 0, "protocol": 1, "other": 2, "note_verbale": 3}
_SUB_NUMBER = re.compile(r"\d{1,2}\.\d{1,2}")  # a point under an agenda item: "2.1"


def _paragraph_key(value: str | None) -> tuple[int, str]:
    return (int(value), "") if value and value.isdigit() else (10**6, value or "")


def commitment_meeting(bundle: ParsedBundle, c: ParsedCommitment) -> str:
    if c.meeting:
        return c.meeting
    for s in c.sources:
        if s.meeting:
            return s.meeting
    return bundle.meetings[0].code


def document_meeting(bundle: ParsedBundle, doc: ParsedDocument) -> str | None:
    """The meeting a document is filed under: its own, else the first it names, else the
    bundle's first (a covering note about two meetings)."""
    first = bundle.meetings[0].code if bundle.meetings else None
    return doc.meeting or (doc.meetings[0] if doc.meetings else first)


def commitment_keys(bundle: ParsedBundle) -> list[tuple[str, ParsedCommitment]]:
    """Every commitment with its import key, in a deterministic order."""
    doc_index = {d.key: i for i, d in enumerate(bundle.documents)}
    meeting_index = {m.code: i for i, m in enumerate(bundle.meetings)}

    def first_source(c: ParsedCommitment):
        return min(
            c.sources,
            key=lambda s: (
                DOC_ORDER.get(s.document, 2),
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
            DOC_ORDER.get(first.document, 2),
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


def key_anchor(key: str) -> tuple[str, str]:
    """hca_minutes-3-2 -> ("hca_minutes", "3"): the document and paragraph a key names."""
    document, _sep, rest = key.partition("-")
    paragraph = rest.rsplit("-", 1)[0] if "-" in rest else rest
    return document, "" if paragraph == "x" else paragraph


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


def chosen_decisions(
    meeting: ParsedMeeting, doc_types: dict[str, str]
) -> tuple[list[tuple[int, ParsedDecision]], list[str]]:
    """The decisions the register keeps for a meeting, by number, and warnings for the ones
    it cannot number.

    The same decision is in the minutes and the protocol: the minutes' text is kept. A protocol
    numbering its points under the agenda items ("1.1", "1.2", "2.1") and nothing else: the
    points are its decisions, numbered in order (the register's number is an integer); the
    written label opens the text, and commitments citing it find it."""
    sub = sorted(
        {d.number for d in meeting.decisions if _SUB_NUMBER.fullmatch(d.number)},
        key=lambda n: tuple(int(p) for p in n.split(".")),
    )
    ordinal = (
        {label: i for i, label in enumerate(sub, start=1)}
        if sub and not any(d.number.isdigit() for d in meeting.decisions)
        else {}
    )
    chosen: dict[int, tuple[int, ParsedDecision]] = {}
    warnings = []
    for d in meeting.decisions:
        if not d.number.isdigit() and d.number not in ordinal:
            warnings.append(f"Line {d.line}: decision “{d.number}” skipped.")
            continue
        rank = DOC_ORDER.get(doc_types.get(d.document, "other"), 2)
        number = ordinal.get(d.number) or int(d.number)
        if number < 1:
            warnings.append(f"Line {d.line}: decision “{d.number}” skipped (numbers start at 1).")
            continue
        if number not in chosen or rank < chosen[number][0]:
            chosen[number] = (rank, d)
    return [(n, d) for n, (_rank, d) in sorted(chosen.items())], warnings


def decision_text(d: ParsedDecision) -> str:
    return d.text if d.number.isdigit() else f"{d.number}. {d.text}"


def series_name(name: str) -> str:
    """A series' name as the register writes it: "Meeting of the Heads of ..."."""
    if name and not name.lower().startswith(("meeting", "conference")):
        return f"Meeting of the {name}"
    return name
