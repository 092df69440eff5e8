"""Files built to exhaust a reader: a .docx zip bomb (about 200 KB that expands to 200 MB), the
same bomb with its headers lying about the size, and a PDF whose one page expands to 64 MB."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from functools import cache

import docx


@cache
def docx_bomb(megabytes: int = 200) -> bytes:
    """A real .docx whose word/document.xml is padded with ``megabytes`` of blanks."""
    plain = io.BytesIO()
    docx.Document().save(plain)
    source = zipfile.ZipFile(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                bomb.writestr(info, source.read(info))
                continue
            head, tail = source.read(info).decode().split("<w:body>")
            with bomb.open("word/document.xml", "w") as part:
                part.write(f"{head}<w:body>".encode())
                blank = b" " * (1024 * 1024)
                for _ in range(megabytes):
                    part.write(blank)
                part.write(tail.encode())
    return out.getvalue()


@cache
def lying_docx_bomb() -> bytes:
    """The bomb with its document part declared (in both headers) as 5,000 bytes."""
    data = bytearray(docx_bomb())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 5000)  # local header
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:  # central directory entries
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + length]) == b"word/document.xml":
            struct.pack_into("<I", data, at + 24, 5000)
        at += 4
    return bytes(data)


def many_entries_zip(entries: int = 5000) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for i in range(entries):
            archive.writestr(f"e{i}", b"")
    return out.getvalue()


def pdf(content: bytes) -> bytes:
    """A one-page PDF whose page shows ``content`` (a content stream), compressed."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
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


@cache
def pdf_bomb(megabytes: int = 64) -> bytes:
    return pdf(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n" + b" " * (megabytes * 1024 * 1024))
