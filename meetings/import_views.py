"""Import agreed minutes in the browser: upload or paste → review and correct → confirm.

Nothing reaches the register before the Secretariat confirms: the upload only stores an
``ImportDraft`` (the text and what the parser found); confirming re-parses that same text and
hands the reviewed corrections to ``meetings.importer.import_bundle``.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html

from actions.models import Precision
from meetings.importer import (
    commitment_keys,
    commitment_meeting,
    import_bundle,
    max_upload_bytes,
    parse_text,
    parsed_values,
)
from meetings.models import ImportDraft
from meetings.parsing import InputError, ParsedBundle, bundle_to_dict, read_document
from otscustoms.concurrency import StaleVersionError
from parties.models import Party, PartyKind
from parties.permissions import is_secretariat

PRECISIONS = [("", "—")] + [(p.value, p.label) for p in Precision if p != Precision.EVENT]


def secretariat_required(view):
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not is_secretariat(request.user):
            raise PermissionDenied("Only Secretariat staff may import minutes.")
        return view(request, *args, **kwargs)

    return wrapped


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Minutes file",
        required=False,
        allow_empty_file=True,  # read_document names the empty file itself
        help_text=".txt, .md, .docx or a PDF with a text layer",
    )
    text = forms.CharField(
        label="…or paste the text", required=False, widget=forms.Textarea(attrs={"rows": 12})
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "")
        if upload is None and not text.strip():
            raise ValidationError("Choose a file or paste the text of the minutes.")
        try:
            if upload is not None:
                if upload.size > max_upload_bytes():
                    raise InputError(
                        f"{upload.name} is too large: {upload.size:,} bytes, the limit is "
                        f"{max_upload_bytes():,} bytes."
                    )
                data["filename"] = upload.name
                data["text"] = read_document(
                    upload.read(), upload.name, max_bytes=max_upload_bytes()
                )
            else:
                data["filename"] = ""
            data["bundle"] = parse_text(data["text"], data["filename"])
        except InputError as exc:
            raise ValidationError(str(exc)) from exc
        return data


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.replace(";", ",").split(",") if c.strip()]


class CommitmentReviewForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    drop = forms.BooleanField(label="Drop", required=False)
    action = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label="Responsible (codes)", required=False)
    partners = forms.CharField(label="Partners (codes)", required=False)
    deadline = forms.DateField(label="Deadline", required=False)
    precision = forms.ChoiceField(label="Precision", choices=PRECISIONS, required=False)
    deadline_text = forms.CharField(label="Deadline as written", required=False, max_length=200)

    def __init__(self, *args, known_codes: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.known_codes = known_codes

    def _party_codes(self, name: str) -> list[str]:
        codes = _codes(self.cleaned_data.get(name) or "")
        unknown = [c for c in codes if c not in self.known_codes]
        if unknown:
            raise ValidationError(f"Unknown party code: {', '.join(unknown)}.")
        return codes

    def clean_responsible(self):
        return self._party_codes("responsible")

    def clean_partners(self):
        return self._party_codes("partners")

    def clean(self):
        data = super().clean()
        if data.get("drop"):
            return data
        if self.has_changed() and "responsible" in data and not data["responsible"]:
            self.add_error("responsible", "Name at least one responsible party.")
        if data.get("deadline") and not data.get("precision"):
            self.add_error("precision", "A dated deadline needs a precision.")
        return data


class PartyCreateForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput)
    create = forms.BooleanField(label="Create", required=False)
    code = forms.CharField(label="Code", required=False, max_length=8)
    name = forms.CharField(label="Name", required=False, max_length=120)
    kind = forms.ChoiceField(label="Kind", choices=PartyKind.choices, initial=PartyKind.OTHER)

    def clean(self):
        data = super().clean()
        if data.get("create"):
            code = (data.get("code") or "").upper()
            if not code.isalpha() or not 2 <= len(code) <= 8:
                self.add_error("code", "A code is 2 to 8 letters (ISO 3166 alpha-2 for a state).")
            data["code"] = code
            if not data.get("name"):
                self.add_error("name", "Give the party's name.")
        return data


CommitmentFormSet = forms.formset_factory(CommitmentReviewForm, extra=0)
PartyFormSet = forms.formset_factory(PartyCreateForm, extra=0)


@secretariat_required
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            bundle = form.cleaned_data["bundle"]
            draft = ImportDraft.objects.create(
                filename=form.cleaned_data["filename"],
                text=form.cleaned_data["text"],
                parsed=draft_payload(bundle),
                created_by=request.user,
            )
            return redirect("imports:review", pk=draft.pk)
        return render(request, "meetings/import_upload.html", {"form": form}, status=400)
    return render(request, "meetings/import_upload.html", {"form": form})


def draft_payload(bundle: ParsedBundle) -> dict[str, Any]:
    """What the review page shows: the parsed structure, and each commitment with its key."""
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
            corrections = _corrections(commitment_forms, party_forms)
            try:
                with transaction.atomic():
                    bundle = parse_text(draft.text, draft.filename)
                    result = import_bundle(bundle, user=request.user, corrections=corrections)
                    draft.status = ImportDraft.State.IMPORTED
                    draft.summary = {"counts": result.summary(), "warnings": result.warnings}
                    draft.save(update_fields=["status", "summary"])
            except (InputError, ValidationError, StaleVersionError) as exc:
                errors.append(str(exc))
            else:
                return redirect("imports:review", pk=draft.pk)
    rows = [
        {
            "form": form,
            "commitment": c,
            "sources": [
                {**s, "html": highlight(s["sentence"], c["deadline_text"])} for s in c["sources"]
            ],
        }
        for form, c in zip(commitment_forms.forms, payload["commitments"], strict=True)
    ]
    context = {
        "draft": draft,
        "bundle": payload["bundle"],
        "rows": rows,
        "commitment_forms": commitment_forms,
        "party_forms": party_forms,
        "errors": errors,
    }
    status = 400 if data is not None else 200
    return render(request, "meetings/import_review.html", context, status=status)


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
