"""Forms of the import pages: the upload, a commitment under review, a party to create.

The upload form reads, parses and plans the import (``meetings.importer.plan_import``): a file
that cannot be imported (unreadable, partial, a value too long) is refused on the form, with
the reason, before a draft exists."""

from __future__ import annotations

import logging
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.models import Commitment, Precision
from meetings.importer import max_upload_bytes, parse_text, plan_import
from meetings.parsing import InputError, read_upload
from otscustoms.limits import ACTION_MAX
from parties.models import Party, PartyKind

logger = logging.getLogger(__name__)

PRECISIONS = [("", "—")] + [(p.value, p.label) for p in Precision if p != Precision.EVENT]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Minutes file"),
        required=False,
        allow_empty_file=True,  # read_upload names the empty file itself
        help_text=gettext_lazy(".txt, .md, .docx or a PDF with a text layer"),
    )
    text = forms.CharField(
        label=gettext_lazy("…or paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "")
        if upload is None and not text.strip():
            raise ValidationError(_("Choose a file or paste the text of the minutes."))
        try:
            self._read(data, upload)
            data["bundle"] = parse_text(data["text"], data["filename"])
            data["plan"] = plan_import(data["bundle"], user=self.user)
        except InputError as exc:
            raise ValidationError(str(exc)) from exc
        except Exception as exc:
            # the last guard: the page says so and the log has the details, never a 500
            logger.exception("Reading the upload %s failed", data.get("filename"))
            raise ValidationError(
                _("The file could not be read (%(error)s); nothing was written.")
                % {"error": type(exc).__name__}
            ) from exc
        if not data["plan"].importable:
            raise ValidationError(data["plan"].problems)
        return data

    def _read(self, data, upload) -> None:
        data["read_warnings"] = []
        if upload is None:
            data["filename"] = ""
            return
        if upload.size > max_upload_bytes():
            raise InputError(
                _("%(name)s is too large: %(size)s bytes, the limit is %(limit)s bytes.")
                % {
                    "name": upload.name,
                    "size": f"{upload.size:,}",
                    "limit": f"{max_upload_bytes():,}",
                }
            )
        data["filename"] = upload.name
        read = read_upload(upload.read(), upload.name, max_bytes=max_upload_bytes())
        data["text"], data["read_warnings"] = read.text, list(read.warnings)


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.replace(";", ",").split(",") if c.strip()]


def _max(name: str) -> int:
    return Commitment._meta.get_field(name).max_length


class CommitmentReviewForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    drop = forms.BooleanField(label=gettext_lazy("Drop"), required=False)
    action = forms.CharField(
        label=gettext_lazy("Action"),
        max_length=ACTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    responsible = forms.CharField(label=gettext_lazy("Responsible (codes)"), required=False)
    partners = forms.CharField(label=gettext_lazy("Partners (codes)"), required=False)
    deadline = forms.DateField(label=gettext_lazy("Deadline"), required=False)
    precision = forms.ChoiceField(
        label=gettext_lazy("Precision"), choices=PRECISIONS, required=False
    )
    deadline_text = forms.CharField(
        label=gettext_lazy("Deadline as written"), required=False, max_length=_max("deadline_text")
    )

    def __init__(self, *args, known_codes: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.known_codes = known_codes

    def _party_codes(self, name: str) -> list[str]:
        codes = _codes(self.cleaned_data.get(name) or "")
        unknown = [c for c in codes if c not in self.known_codes]
        if unknown:
            raise ValidationError(_("Unknown party code: %s.") % ", ".join(unknown))
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
            self.add_error("responsible", _("Name at least one responsible party."))
        if data.get("deadline") and not data.get("precision"):
            self.add_error("precision", _("A dated deadline needs a precision."))
        return data


class PartyCreateForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput)
    create = forms.BooleanField(label=gettext_lazy("Create"), required=False)
    code = forms.CharField(label=gettext_lazy("Code"), required=False, max_length=8)
    name = forms.CharField(
        label=gettext_lazy("Name"),
        required=False,
        max_length=Party._meta.get_field("name").max_length,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=PartyKind.choices, initial=PartyKind.OTHER
    )

    def clean(self):
        data = super().clean()
        if data.get("create"):
            code = (data.get("code") or "").upper()
            if not re.fullmatch(r"[A-Z]{2,8}", code):
                self.add_error(
                    "code", _("A code is 2 to 8 letters (ISO 3166 alpha-2 for a state).")
                )
            data["code"] = code
            if not data.get("name"):
                self.add_error("name", _("Give the party's name."))
        return data


CommitmentFormSet = forms.formset_factory(CommitmentReviewForm, extra=0)
PartyFormSet = forms.formset_factory(PartyCreateForm, extra=0)
