"""Before anything is written: every value checked against its column, a partial file refused,
and the diff of a re-import.

The diff is what the writer does, computed by running it in a transaction that is then rolled
back: what the Secretariat reviews is exactly what confirming writes, with no second
implementation of the writer's rules to drift from it. ``import_bundle`` writes for real, and
refuses to change documents the register holds unless the caller confirms (``replace``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from meetings.models import Meeting
from meetings.parsing import ParsedBundle
from otscustoms.concurrency import StaleVersionError

from .errors import ImportRefused, NeedsReplace, field_errors
from .keys import chosen_decisions, document_meeting
from .result import ImportResult
from .writer import Writer, document_label, held_document

# A re-imported document shorter than this share of the stored one is taken as cut off.
PARTIAL_SHARE = 0.9


@dataclass
class ImportPlan:
    """What importing a file would do. ``problems`` (values too long, a partial file, a write
    the register refuses) mean it cannot be imported; ``result`` holds the diff otherwise."""

    result: ImportResult | None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def importable(self) -> bool:
        return not self.problems

    @property
    def needs_replace(self) -> bool:
        return self.result is not None and self.result.needs_replace

    def to_dict(self) -> dict[str, Any]:
        result = self.result or ImportResult()
        return {
            "importable": self.importable,
            "problems": self.problems,
            "needs_replace": self.needs_replace,
            "held_documents": result.held_documents,
            "summary": result.summary(),
            "diff": result.diff(),
            "warnings": self.warnings + result.warnings,
            "unknown_parties": result.unknown_parties,
        }


def check(bundle: ParsedBundle, corrections: dict[str, Any] | None = None) -> list[str]:
    """Why the file cannot be imported at all, whatever is confirmed."""
    return field_errors(bundle, corrections) + partial_problems(bundle)


def plan_import(
    bundle: ParsedBundle,
    *,
    corrections: dict[str, Any] | None = None,
    create_parties: bool = False,
    user: AbstractBaseUser | None = None,
) -> ImportPlan:
    """What importing ``bundle`` would do; nothing is kept."""
    problems = check(bundle, corrections)
    if problems:
        return ImportPlan(None, problems, list(bundle.warnings))
    try:
        with transaction.atomic():
            result = _write(bundle, user, corrections, create_parties)
            transaction.set_rollback(True)
    except ImportRefused as exc:
        return ImportPlan(None, exc.problems, list(bundle.warnings))
    return ImportPlan(result, [], list(bundle.warnings))


def import_bundle(
    bundle: ParsedBundle,
    *,
    user: AbstractBaseUser | None = None,
    corrections: dict[str, Any] | None = None,
    create_parties: bool = False,
    replace: bool = True,
) -> ImportResult:
    """Write ``bundle`` in one transaction; ``corrections`` is what the Secretariat changed in
    review:

    ``{"create_parties": [{"text", "code", "name", "kind"}],
       "commitments": {KEY: {"drop": bool, "reference", "action", "responsible": [codes],
                             "partners": [codes], "deadline": "YYYY-MM-DD" | None,
                             "precision", "deadline_text", "add_sources": ["note 2"]}}}``

    ``create_parties=True`` creates every unknown party under its suggested code. Raises
    ImportRefused (nothing written) for a file that cannot be imported, and NeedsReplace when
    it would change documents the register holds and ``replace`` is False.
    """
    problems = check(bundle, corrections)
    if problems:
        raise ImportRefused(problems)
    with transaction.atomic():
        result = _write(bundle, user, corrections, create_parties)
        if result.needs_replace and not replace:
            raise NeedsReplace([replace_message(result)], result=result)
    return result


def replace_message(result: ImportResult) -> str:
    held = result.held_documents
    documents = ", ".join(held[:3])
    if len(held) > 3:
        documents = _("%(documents)s and %(more)s more") % {
            "documents": documents,
            "more": len(held) - 3,
        }
    return _(
        "The register already holds %(documents)s, and this file would change %(count)s rows "
        "of it. Nothing was written."
    ) % {"documents": documents, "count": len(result.writes)}


def _write(bundle, user, corrections, create_parties) -> ImportResult:
    writer = Writer(bundle, user=user, corrections=corrections or {})
    try:
        return writer.run(create_all_parties=create_parties)
    except ValidationError as exc:
        raise ImportRefused([_("The register refused a value: %s") % _messages(exc)]) from exc
    except StaleVersionError as exc:
        raise ImportRefused([str(exc)]) from exc
    except DatabaseError as exc:
        # a constraint the checks above did not foresee; the transaction is rolled back
        raise ImportRefused([_("The register refused the write: %s") % exc]) from exc


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
    return " ".join(exc.messages)


# partial files -------------------------------------------------------------------------


def partial_problems(bundle: ParsedBundle) -> list[str]:
    """A document the register holds that the file would cut short or strip of decisions."""
    cuts = []
    doc_types = {d.key: d.type for d in bundle.documents}
    parsed_meetings = {m.code: m for m in bundle.meetings}
    rows = {
        m.code: Meeting.objects.filter(series__code=m.series_code, number=m.number)
        .select_related("series")
        .first()
        for m in bundle.meetings
        if m.number
    }
    for doc in bundle.documents:
        code = document_meeting(bundle, doc) or ""
        meeting = rows.get(code)
        stored = held_document(meeting, doc.key, doc.reference) if meeting else None
        if stored is None:
            continue
        label = document_label(meeting.code, doc.key, doc.type)
        shorter = len(doc.text) < PARTIAL_SHARE * len(stored.text)
        numbers = set(stored.decisions.values_list("number", flat=True))
        dropped = 0
        if stored.meeting_id == meeting.pk:  # not a note filed under another meeting
            parsed = parsed_meetings[code]
            dropped = len(numbers - {n for n, _d in chosen_decisions(parsed, doc_types)[0]})
        if shorter and dropped:
            cuts.append(
                _(
                    "it would shorten %(document)s from %(before)s to %(after)s characters "
                    "and drop %(dropped)s of %(decisions)s decisions"
                )
                % _counts(label, stored.text, doc.text, dropped, numbers)
            )
        elif shorter:
            cuts.append(
                _("it would shorten %(document)s from %(before)s to %(after)s characters")
                % _counts(label, stored.text, doc.text, dropped, numbers)
            )
        elif dropped:
            cuts.append(
                _("it would drop %(dropped)s of %(decisions)s decisions of %(document)s")
                % _counts(label, stored.text, doc.text, dropped, numbers)
            )
    if not cuts:
        return []
    return [
        _(
            "The file looks partial: %(cuts)s. Nothing was written: import the complete "
            "document, or, if it really is shorter now, correct it in the register."
        )
        % {"cuts": "; ".join(cuts)}
    ]


def _counts(label: str, before: str, after: str, dropped: int, numbers: set[int]) -> dict:
    return {
        "document": label,
        "before": f"{len(before):,}",
        "after": f"{len(after):,}",
        "dropped": dropped,
        "decisions": len(numbers),
    }
