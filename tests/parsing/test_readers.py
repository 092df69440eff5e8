import io
import zlib

import docx
import pytest
from pypdf import PdfWriter

from meetings.parsing import InputError, read_document


def make_pdf(text: str | None) -> bytes:
    """A one-page PDF built by hand; ``None`` gives a page with no text layer (like a scan)."""
    content = b"" if text is None else f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    stream = zlib.compress(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_text_encodings():
    text = "Türkiye – UÇARMAK “quoted”"
    assert read_document(text.encode("utf-8"), "a.txt") == text
    assert read_document(b"\xef\xbb\xbf" + text.encode("utf-8"), "a.md") == text
    assert read_document(text.encode("utf-16"), "a.txt") == text
    assert read_document("Zólyom Ágota".encode("cp1252"), "a.txt") == "Zólyom Ágota"
    assert read_document("Ташкент, Бишкек".encode("cp1251"), "a.txt") == "Ташкент, Бишкек"


def test_docx_paragraphs_and_tables():
    document = docx.Document()
    document.add_paragraph("AGREED MINUTES")
    document.add_paragraph("Uzbek side will submit the draft by 1 March 2024.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "1. H.E. Shahin BAGHIROV"
    table.rows[0].cells[1].text = "Chairman"
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_document(buffer.getvalue(), "minutes.docx")
    assert "AGREED MINUTES" in text and "by 1 March 2024" in text
    assert "1. H.E. Shahin BAGHIROV - Chairman" in text


def test_text_pdf():
    assert "Meeting of the Heads" in read_document(make_pdf("9th Meeting of the Heads"), "m.pdf")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "is empty"),
        (b"   \n\n ", "blank.txt", "contains no text"),
        (b"\x00\x01\x02\x03binary\x00", "blob.txt", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image.png", "unsupported file type"),
        (b"PK\x03\x04 not really a zip", "broken.docx", "not a readable .docx"),
        (b"%PDF-1.4 garbage", "broken.pdf", "not a readable PDF"),
    ],
)
def test_bad_inputs(data, name, message):
    with pytest.raises(InputError, match=message):
        read_document(data, name)


def test_scanned_pdf_without_text_layer():
    with pytest.raises(InputError, match="no text layer"):
        read_document(make_pdf(None), "scan.pdf")


def test_encrypted_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InputError, match="encrypted"):
        read_document(buffer.getvalue(), "locked.pdf")


def test_size_limit():
    with pytest.raises(InputError, match="too large"):
        read_document(b"x" * 2000, "big.txt", max_bytes=1000)
