"""What may be attached as evidence to a progress report, judged by the file's content.

The name a browser sends proves nothing: an HTML page renamed ``report.pdf`` would still be
HTML to whoever opens it. So the bytes decide, against an allow-list of the documents
delegations actually send. The web form, the API and the service (the last guard) all call
``check_evidence``; the file is then stored under a random name with the extension of what it
was found to be, and the name it came with is kept only for the download.
"""

from __future__ import annotations

import re
import secrets
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class EvidenceType:
    mime: str
    extension: str


PDF = EvidenceType("application/pdf", "pdf")
IMAGES = {
    t.mime: t
    for t in (
        EvidenceType("image/png", "png"),
        EvidenceType("image/jpeg", "jpg"),
        EvidenceType("image/gif", "gif"),
        EvidenceType("image/webp", "webp"),
    )
}
ZIP = EvidenceType("application/zip", "zip")
TEXT = EvidenceType("text/plain", "txt")
# Office Open XML: a ZIP whose [Content_Types].xml sits beside one of these folders.
OOXML = {
    "word/": EvidenceType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
    ),
    "xl/": EvidenceType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
    "ppt/": EvidenceType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"
    ),
}
# OpenDocument: a ZIP whose member "mimetype" names the kind of document.
ODF = {
    t.mime: t
    for t in (
        EvidenceType("application/vnd.oasis.opendocument.text", "odt"),
        EvidenceType("application/vnd.oasis.opendocument.spreadsheet", "ods"),
        EvidenceType("application/vnd.oasis.opendocument.presentation", "odp"),
    )
}
# Office 97-2003: an OLE compound file holding a stream of one of these names.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_STREAMS = {
    "WordDocument": EvidenceType("application/msword", "doc"),
    "Workbook": EvidenceType("application/vnd.ms-excel", "xls"),
    "Book": EvidenceType("application/vnd.ms-excel", "xls"),
    "PowerPoint Document": EvidenceType("application/vnd.ms-powerpoint", "ppt"),
}
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")

# Markup a browser would render (or run) if it ever treated the file as a page: refused even
# in a file that is otherwise plain text, whatever its name.
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|svg|script|iframe|object|embed)\b|<\?xml-stylesheet",
    re.IGNORECASE,
)


def allowed_types() -> str:
    return _(
        "PDF; Word, Excel or PowerPoint (.docx, .xlsx, .pptx, .doc, .xls, .ppt); "
        "OpenDocument (.odt, .ods, .odp); PNG, JPEG, GIF or WebP images; plain UTF-8 text; "
        "ZIP archives"
    )


def _refuse(detected: str) -> ValidationError:
    return ValidationError(
        _("This file is %(detected)s, which is not accepted as evidence. Accepted: %(allowed)s.")
        % {"detected": detected, "allowed": allowed_types()},
        code="file_type",
    )


def _zip_type(upload: UploadedFile) -> EvidenceType:
    """Tell an OOXML or OpenDocument file from a plain ZIP by its members' names."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    declared = member.read(100).decode("ascii", "replace").strip()
                if declared in ODF:
                    return ODF[declared]
            if "[Content_Types].xml" in names:
                for folder, kind in OOXML.items():
                    if any(name.startswith(folder) for name in names):
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise _refuse(_("a damaged ZIP archive")) from exc
    return ZIP


def _ole_type(data: bytes) -> EvidenceType | None:
    """The Office 97-2003 document an OLE compound file holds, from its directory entries:
    128 bytes each, aligned on 128, starting with the UTF-16 name and its byte length at 64."""
    for stream, kind in OLE_STREAMS.items():
        name = stream.encode("utf-16-le")
        length = (len(stream) + 1) * 2
        at = data.find(name)
        while at != -1:
            if at % 128 == 0 and int.from_bytes(data[at + 64 : at + 66], "little") == length:
                return kind
            at = data.find(name, at + 1)
    return None


def _text_type(data: bytes) -> EvidenceType:
    if b"\x00" in data:
        raise _refuse(_("binary data of an unknown type"))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(_("binary data or text that is not UTF-8")) from exc
    if MARKUP.search(data):
        raise _refuse(_("an HTML, SVG or XML document"))
    return TEXT


def check_evidence(upload: UploadedFile, *, field: str | None = None) -> EvidenceType:
    """The type of an acceptable evidence file, or ValidationError saying what it is and
    what is accepted (on ``field``, for a caller that is not a form field's clean). Leaves
    the file at its start."""
    try:
        return _check(upload)
    except ValidationError as exc:
        if field is None:
            raise
        raise ValidationError({field: exc.error_list}) from exc


def _check(upload: UploadedFile) -> EvidenceType:
    limit_mb = settings.MAX_UPLOAD_MB
    if upload.size is not None and upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": limit_mb}, code="file_size"
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    try:
        if data.startswith(ZIP_MAGICS):
            return _zip_type(upload)
        if data.startswith(OLE_MAGIC):
            found = _ole_type(data)
            if found is None:
                raise _refuse(
                    _("an OLE compound file that is not a Word, Excel or PowerPoint document")
                )
            return found
        guess = filetype.guess(data)
        if guess is None:
            return _text_type(data)
        if guess.mime == PDF.mime:
            return PDF
        if guess.mime in IMAGES:
            return IMAGES[guess.mime]
        raise _refuse(f"{guess.mime} (.{guess.extension})")
    finally:
        upload.seek(0)


def stored_name(kind: EvidenceType) -> str:
    """A name nobody can guess or choose, with the extension of what the file is."""
    return f"{secrets.token_hex(16)}.{kind.extension}"


KNOWN_TYPES = {
    kind.extension: kind.mime
    for kind in (PDF, ZIP, TEXT, *IMAGES.values(), *OOXML.values(), *ODF.values())
} | {kind.extension: kind.mime for kind in OLE_STREAMS.values()}


def mime_for_name(stored: str) -> str:
    """The type a stored evidence file is served as: what its extension (set from its content
    when stored) stands for; anything else, e.g. a file stored before types were checked, is
    plain bytes."""
    extension = stored.rsplit(".", 1)[-1].lower() if "." in stored else ""
    return KNOWN_TYPES.get(extension, "application/octet-stream")
