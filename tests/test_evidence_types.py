"""Evidence is judged by its bytes against an allow-list, the same way on the web form, the
API and in the service."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.evidence import check_evidence, mime_for_name, stored_name
from actions.forms import ProgressReportForm


def zipped(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def ole(stream: str) -> bytes:
    """A compound file's header sector and its first directory sector: the root entry and
    one stream, as Office 97-2003 writes them (names UTF-16, byte length at offset 64)."""

    def entry(name: str) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return encoded.ljust(64, b"\0") + len(encoded).to_bytes(2, "little") + bytes(62)

    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".ljust(512, b"\0")
    return header + entry("Root Entry") + entry(stream) + bytes(256)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Concept of the Silk Road Initiative")
    document.save(buffer)
    return buffer.getvalue()


ODT = zipped(("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>"))
ACCEPTED = {
    "report.pdf": (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "pdf"),
    "minutes.docx": (docx_bytes(), "docx"),
    "budget.xlsx": (zipped(("[Content_Types].xml", b"<x/>"), ("xl/workbook.xml", b"<x/>")), "xlsx"),
    "slides.pptx": (
        zipped(("[Content_Types].xml", b"<x/>"), ("ppt/presentation.xml", b"<x/>")),
        "pptx",
    ),
    "letter.doc": (ole("WordDocument"), "doc"),
    "table.xls": (ole("Workbook"), "xls"),
    "talk.ppt": (ole("PowerPoint Document"), "ppt"),
    "letter.odt": (ODT, "odt"),
    "sheet.ods": (
        zipped(("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")),
        "ods",
    ),
    "deck.odp": (
        zipped(("mimetype", b"application/vnd.oasis.opendocument.presentation")),
        "odp",
    ),
    "scan.png": (b"\x89PNG\r\n\x1a\n" + bytes(32), "png"),
    "photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32), "jpg"),
    "chart.gif": (b"GIF89a" + bytes(32), "gif"),
    "photo.webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(32), "webp"),
    "note.txt": ("Письмо отправлено 1 марта; 3 < 5.\n".encode(), "txt"),
    "scans.zip": (zipped(("scan1.png", b"\x89PNG\r\n\x1a\n")), "zip"),
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_allowed_types_are_recognised_by_content(name):
    content, extension = ACCEPTED[name]
    upload = SimpleUploadedFile(name, content)
    assert check_evidence(upload).extension == extension
    assert upload.tell() == 0  # left ready to be stored


def test_the_name_does_not_matter_only_the_content():
    # An OpenDocument text sent as "photo.png" is an OpenDocument text.
    assert check_evidence(SimpleUploadedFile("photo.png", ODT)).extension == "odt"


REFUSED = {
    "page.html": (b"<!DOCTYPE html><html><body>Hello</body></html>", "HTML"),
    "page-renamed.txt": (b"  <html><script>alert(1)</script></html>", "HTML"),
    "logo-renamed.pdf": (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        "SVG",
    ),
    "notes.txt": (b"Meeting notes.\nSee <script src=x></script> below.", "HTML"),
    "utf16.txt": ("Notes".encode("utf-16"), "unknown type"),
    "latin1.txt": ("Türkiye".encode("latin-1"), "not UTF-8"),
    "tool.exe": (b"MZ\x90\x00" + bytes(200), "application/x-msdownload (.exe)"),
    "broken.zip": (b"PK\x03\x04 not really a zip", "damaged ZIP"),
    "installer.doc": (ole("Summary"), "OLE compound file"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_other_types_are_refused_naming_what_was_found_and_what_is_accepted(name):
    content, detected = REFUSED[name]
    with pytest.raises(ValidationError) as refused:
        check_evidence(SimpleUploadedFile(name, content))
    message = refused.value.messages[0]
    assert detected in message
    assert "Accepted: PDF;" in message and "ZIP archives" in message


def test_empty_and_oversized_files_are_refused(settings):
    with pytest.raises(ValidationError, match="empty"):
        check_evidence(SimpleUploadedFile("empty.pdf", b""))
    settings.MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        check_evidence(SimpleUploadedFile("big.pdf", b"%PDF-1.4" + bytes(1024 * 1024)))


def test_a_caller_outside_a_form_gets_the_error_on_its_field():
    with pytest.raises(ValidationError) as refused:
        check_evidence(SimpleUploadedFile("x.html", b"<html></html>"), field="attachment")
    assert list(refused.value.message_dict) == ["attachment"]


def test_the_web_form_refuses_an_html_page_on_the_attachment_field():
    form = ProgressReportForm(
        data={"note": "See attached"},
        files={"attachment": SimpleUploadedFile("evidence.pdf", b"<html><body></body></html>")},
    )
    assert not form.is_valid()
    assert "HTML" in form.errors["attachment"][0]


def test_stored_names_are_random_with_the_detected_extension():
    kind = check_evidence(SimpleUploadedFile("x.pdf", b"%PDF-1.4"))
    first, second = stored_name(kind), stored_name(kind)
    assert first != second and first.endswith(".pdf") and len(first) == 36


def test_files_are_served_as_what_their_stored_extension_says_or_as_bytes():
    assert mime_for_name("evidence/1/0a1b.pdf") == "application/pdf"
    assert mime_for_name("evidence/1/0a1b.docx").endswith("wordprocessingml.document")
    # Stored before types were checked: never served as a page.
    assert mime_for_name("evidence/1/old-upload.html") == "application/octet-stream"
    assert mime_for_name("evidence/1/no-extension") == "application/octet-stream"
