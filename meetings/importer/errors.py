"""Why an import is refused, and the check of every value's length against the column it goes
to, made before anything is written: a value too long would otherwise stop the write half way
with a database error naming no field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.models import Commitment, CommitmentSource
from meetings.models import (
    AgendaItem,
    Decision,
    Document,
    ImportedCommitment,
    Meeting,
    MeetingSeries,
    Participant,
)
from meetings.parsing import ParsedAgendaItem, ParsedBundle
from parties.models import Party, PartyAlias, Person, PersonAlias

from .keys import chosen_decisions, commitment_keys, decision_text, parsed_values, series_name
from .result import ImportResult


class ImportRefused(Exception):
    """Nothing was written; ``problems`` says why, one sentence each."""

    def __init__(self, problems: list[str], *, result: ImportResult | None = None) -> None:
        self.problems = problems
        self.result = result
        super().__init__(" ".join(problems))


class NeedsReplace(ImportRefused):
    """The file would change documents the register holds and the caller did not confirm it;
    ``result`` holds what the import would have done (the diff)."""


def limit(model: type[Model], name: str) -> int:
    return model._meta.get_field(name).max_length


# (model, column, what the message calls it)
_SERIES_NAME = (MeetingSeries, "name", gettext_lazy("series name"))
_SERIES_CODE = (MeetingSeries, "code", gettext_lazy("series code"))
_CITY = (Meeting, "city", gettext_lazy("city"))
_DOC_FIELDS = [
    ("title", (Document, "title", gettext_lazy("title"))),
    ("reference", (Document, "reference", gettext_lazy("reference"))),
    ("place", (Document, "place", gettext_lazy("place"))),
    ("annex", (Document, "annex", gettext_lazy("annex label"))),
    ("key", (Document, "key", gettext_lazy("key"))),
]
_AGENDA_NUMBER = (AgendaItem, "number", gettext_lazy("number"))
_AGENDA_TITLE = (AgendaItem, "title", gettext_lazy("title"))
_PERSON_NAME = (Person, "name", gettext_lazy("name"))
_HONORIFIC = (Person, "honorific", gettext_lazy("honorific"))
_PARTICIPANT_TITLE = (Participant, "title", gettext_lazy("title"))
_ORGANISATION = (Participant, "organisation", gettext_lazy("organisation"))
_ALIAS = (PersonAlias, "name", gettext_lazy("name"))
_DECISION_TEXT = (Decision, "text", gettext_lazy("text"))
_COMMITMENT_FIELDS = [
    ("action", (Commitment, "action", gettext_lazy("action"))),
    ("responsible_text", (Commitment, "responsible_text", gettext_lazy("responsible, as written"))),
    ("deadline_text", (Commitment, "deadline_text", gettext_lazy("deadline as written"))),
    ("due_event", (Commitment, "due_event", gettext_lazy("due at"))),
]
_PARAGRAPH = (CommitmentSource, "paragraph", gettext_lazy("paragraph"))
_KEY = (ImportedCommitment, "key", gettext_lazy("import key"))
_PARTY_TEXT = (PartyAlias, "name", gettext_lazy("name as written"))
_PARTY_NAME = (Party, "name", gettext_lazy("suggested name"))


def field_errors(bundle: ParsedBundle, corrections: dict[str, Any] | None = None) -> list[str]:
    """One message per value longer than its column, naming where it is and the field."""
    return [
        _("%(where)s: the %(field)s has %(length)s characters; at most %(limit)s fit.")
        % {"where": where, "field": label, "length": f"{len(value):,}", "limit": f"{most:,}"}
        for where, (model, column, label), value in _values(bundle, corrections or {})
        if value and len(value) > (most := limit(model, column))
    ]


def _values(bundle: ParsedBundle, corrections: dict[str, Any]) -> Iterator[tuple]:
    yield from _meeting_values(bundle)
    for doc in bundle.documents:
        where = _("Document %(key)s (line %(line)s)") % {"key": doc.key, "line": doc.start_line}
        for attribute, spec in _DOC_FIELDS:
            yield where, spec, getattr(doc, attribute) or ""
        for signatory in doc.signatories:
            yield where + _(", signatory"), _ALIAS, signatory.name
    yield from _commitment_values(bundle, corrections)


def _meeting_values(bundle: ParsedBundle) -> Iterator[tuple]:
    doc_types = {d.key: d.type for d in bundle.documents}
    for m in bundle.meetings:
        yield m.code, _SERIES_NAME, series_name(m.series_name)
        yield m.code, _SERIES_CODE, m.series_code
        yield m.code, _CITY, m.city
        yield m.code + _(", chair"), _ALIAS, m.chair
        yield from _agenda_values(m.code, m.agenda)
        for p in m.participants:
            where = _("Line %(line)s, participant %(name)s") % {"line": p.line, "name": p.name}
            yield where, _PERSON_NAME, p.name
            yield where, _HONORIFIC, p.honorific
            yield where, _PARTICIPANT_TITLE, p.title
            yield where, _ORGANISATION, p.organization
        for number, d in chosen_decisions(m, doc_types)[0]:
            where = _("%(meeting)s decision %(number)s (line %(line)s)") % {
                "meeting": m.code,
                "number": number,
                "line": d.line,
            }
            yield where, _DECISION_TEXT, decision_text(d)


def _agenda_values(code: str, items: tuple[ParsedAgendaItem, ...]) -> Iterator[tuple]:
    for item in items:
        where = _("%(meeting)s agenda item %(number)s") % {
            "meeting": code,
            "number": item.number[:20],
        }
        yield where, _AGENDA_NUMBER, item.number
        yield where, _AGENDA_TITLE, item.title
        yield from _agenda_values(code, item.children)


def _commitment_values(bundle: ParsedBundle, corrections: dict[str, Any]) -> Iterator[tuple]:
    edits = corrections.get("commitments", {})
    for key, c in commitment_keys(bundle):
        line = min((s.line for s in c.sources), default=0)
        where = _("Commitment %(key)s (line %(line)s)") % {"key": key, "line": line}
        wanted = {**parsed_values(c), **edits.get(key, {})}
        for attribute, spec in _COMMITMENT_FIELDS:
            yield where, spec, wanted.get(attribute) or ""
        yield where, _KEY, key
        for s in c.sources:
            yield where, _PARAGRAPH, s.paragraph or ""
        for u in c.unknown_parties:
            yield where, _PARTY_TEXT, u.text
            yield where, _PARTY_NAME, u.suggested_name or ""
