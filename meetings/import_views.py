"""Import agreed minutes in the browser: upload or paste → review and correct → confirm.

Nothing reaches the register before the Secretariat confirms: the upload only stores an
``ImportDraft`` (the text, what the parser found and the diff the import would make);
confirming re-parses that same text and hands the reviewed corrections to
``meetings.importer.import_bundle``. A file that re-imports documents the register holds needs
one more confirmation: the reviewer ticks "replace" after reading the diff.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _

from meetings.import_forms import CommitmentFormSet, PartyFormSet, UploadForm
from meetings.importer import (
    ImportPlan,
    ImportRefused,
    NeedsReplace,
    commitment_keys,
    commitment_meeting,
    import_bundle,
    parse_text,
    parsed_values,
)
from meetings.models import ImportDraft
from meetings.parsing import InputError, ParsedBundle, bundle_to_dict
from parties.models import Party
from parties.permissions import is_secretariat

logger = logging.getLogger(__name__)


def secretariat_required(view):
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not is_secretariat(request.user):
            raise PermissionDenied("Only Secretariat staff may import minutes.")
        return view(request, *args, **kwargs)

    return wrapped


@secretariat_required
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            draft = ImportDraft.objects.create(
                filename=data["filename"],
                text=data["text"],
                parsed=draft_payload(data["bundle"], data["plan"], data["read_warnings"]),
                created_by=request.user,
            )
            return redirect("imports:review", pk=draft.pk)
        return render(request, "meetings/import_upload.html", {"form": form}, status=400)
    return render(request, "meetings/import_upload.html", {"form": form})


def draft_payload(
    bundle: ParsedBundle, plan: ImportPlan, read_warnings: list[str]
) -> dict[str, Any]:
    """What the review page shows: the parsed structure, each commitment with its key, the
    diff the import would make, and what the reviewer must be warned of."""
    commitments = []
    for key, c in commitment_keys(bundle):
        commitments.append(
            {
                "key": key,
                "meeting": commitment_meeting(bundle, c),
                **parsed_values(c),
                "sources": [
                    {
                        "document": s.document_key,
                        "paragraph": s.paragraph,
                        "line": s.line,
                        "sentence": s.sentence,
                    }
                    for s in c.sources
                ],
                "unknown_parties": [u.text for u in c.unknown_parties],
            }
        )
    unknown: dict[str, dict[str, Any]] = {}
    for c in bundle.commitments:
        for u in c.unknown_parties:
            unknown.setdefault(
                u.text.casefold(),
                {"text": u.text, "code": u.suggested_code, "name": u.suggested_name},
            )
    return {
        "bundle": bundle_to_dict(bundle),
        "commitments": commitments,
        "unknown_parties": list(unknown.values()),
        "plan": plan.to_dict(),
        "read_warnings": read_warnings,
    }


def highlight(sentence: str, phrase: str | None):
    """The source sentence with the deadline phrase in <mark> (escaped either way)."""
    if phrase:
        at = sentence.lower().find(phrase.lower())
        if at >= 0:
            end = at + len(phrase)
            return format_html(
                "{}<mark>{}</mark>{}", sentence[:at], sentence[at:end], sentence[end:]
            )
    return sentence


def _initial(c: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": c["key"],
        "action": c["action"],
        "responsible": ", ".join(code for code in c["responsible"] if code),
        "partners": ", ".join(c["partners"]),
        "deadline": dt.date.fromisoformat(c["deadline"]) if c["deadline"] else None,
        "precision": c["precision"] or "",
        "deadline_text": c["deadline_text"] or "",
    }


@secretariat_required
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(ImportDraft, pk=pk)
    if draft.status != ImportDraft.State.PENDING:
        return render(request, "meetings/import_done.html", {"draft": draft})
    payload = draft.parsed
    known = set(Party.objects.values_list("code", flat=True))
    proposed = {p["code"].upper() for p in payload["unknown_parties"] if p.get("code")}
    data = request.POST if request.method == "POST" else None
    commitment_forms = CommitmentFormSet(
        data,
        initial=[_initial(c) for c in payload["commitments"]],
        prefix="c",
        form_kwargs={"known_codes": known | proposed},
    )
    party_forms = PartyFormSet(
        data,
        initial=[
            {"text": p["text"], "code": p["code"] or "", "name": p["name"] or "", "create": True}
            for p in payload["unknown_parties"]
        ],
        prefix="p",
    )
    errors: list[str] = []
    if data is not None:
        if "discard" in data:
            draft.status = ImportDraft.State.DISCARDED
            draft.save(update_fields=["status"])
            return redirect("imports:upload")
        if commitment_forms.is_valid() and party_forms.is_valid():
            errors = _confirm(request, draft, _corrections(commitment_forms, party_forms))
            if not errors:
                return redirect("imports:review", pk=draft.pk)
    context = {
        "draft": draft,
        "bundle": payload["bundle"],
        "plan": payload.get("plan", {}),
        "warnings": payload.get("read_warnings", []) + payload.get("plan", {}).get("warnings", []),
        "rows": _rows(commitment_forms, payload),
        "commitment_forms": commitment_forms,
        "party_forms": party_forms,
        "errors": errors,
    }
    status = 400 if data is not None else 200
    return render(request, "meetings/import_review.html", context, status=status)


def _rows(commitment_forms, payload) -> list[dict[str, Any]]:
    return [
        {
            "form": form,
            "commitment": c,
            "sources": [
                {**s, "html": highlight(s["sentence"], c["deadline_text"])} for s in c["sources"]
            ],
        }
        for form, c in zip(commitment_forms.forms, payload["commitments"], strict=True)
    ]


def _confirm(request: HttpRequest, draft: ImportDraft, corrections: dict[str, Any]) -> list[str]:
    """Import the draft as reviewed; the errors to show when nothing was written."""
    try:
        with transaction.atomic():
            bundle = parse_text(draft.text, draft.filename)
            result = import_bundle(
                bundle,
                user=request.user,
                corrections=corrections,
                replace=bool(request.POST.get("replace")),
            )
            draft.status = ImportDraft.State.IMPORTED
            draft.summary = {
                "counts": result.summary(),
                "warnings": result.warnings,
                "diff": result.diff(),
            }
            draft.save(update_fields=["status", "summary"])
    except NeedsReplace as exc:
        # the diff as the register stands now (it may have changed since the upload)
        draft.parsed["plan"] = {
            **draft.parsed.get("plan", {}),
            "needs_replace": True,
            "held_documents": exc.result.held_documents,
            "diff": exc.result.diff(),
        }
        draft.save(update_fields=["parsed"])
        return [
            str(exc),
            _("Read the changes below, then tick “Replace” to confirm them."),
        ]
    except ImportRefused as exc:
        return exc.problems
    except InputError as exc:
        return [str(exc)]
    except Exception as exc:
        # the last guard: the page says so and the log has the details, never a 500
        logger.exception("Confirming import draft %s failed", draft.pk)
        return [
            _("The import failed unexpectedly (%(error)s); nothing was written.")
            % {"error": type(exc).__name__}
        ]
    return []


def _corrections(commitment_forms, party_forms) -> dict[str, Any]:
    """Only what the reviewer changed: an unchanged field keeps following the bundle."""
    commitments: dict[str, dict[str, Any]] = {}
    for form in commitment_forms.forms:
        data = form.cleaned_data
        key = data["key"]
        if data.get("drop"):
            commitments[key] = {"drop": True}
            continue
        edit: dict[str, Any] = {}
        for name in form.changed_data:
            if name in ("key", "drop"):
                continue
            value = data[name]
            if name == "deadline":
                value = value.isoformat() if value else None
            elif name in ("precision", "deadline_text"):
                value = value or None
            edit[name] = value
        if edit:
            commitments[key] = edit
    parties = [
        {"text": f.cleaned_data["text"], "code": f.cleaned_data["code"],
         "name": f.cleaned_data["name"], "kind": f.cleaned_data["kind"]}
        for f in party_forms.forms
        if f.cleaned_data.get("create")
    ]  # fmt: skip
    return {"commitments": commitments, "create_parties": parties}
