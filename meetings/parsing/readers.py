"""Bytes of an uploaded file -> text: .txt/.md, .docx (python-docx), .pdf (pypdf)."""

from __future__ import annotations

import io
import zipfile

from .errors import InputError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md", ".text", ".markdown")


def read_document(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a document; raises InputError with a message naming the problem."""
    name = (filename or "").lower()
    if not data:
        raise InputError(f"{filename or 'The file'} is empty.")
    if len(data) > max_bytes:
        raise InputError(
            f"{filename} is too large: {len(data):,} bytes, the limit is {max_bytes:,} bytes."
        )
    if name.endswith(".pdf") or data.startswith(b"%PDF"):
        text = _read_pdf(data, filename)
    elif name.endswith(".docx") or (data.startswith(b"PK") and not name.endswith(TEXT_SUFFIXES)):
        text = _read_docx(data, filename)
    elif name.endswith(TEXT_SUFFIXES) or "." not in name:
        text = _read_text(data, filename)
    else:
        raise InputError(
            f"{filename}: unsupported file type; expected .txt, .md, .docx or a text-based .pdf."
        )
    if not text.strip():
        raise InputError(f"{filename} contains no text.")
    return text


def _read_text(data: bytes, filename: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:65536]
    if b"\x00" in sample:
        raise InputError(f"{filename} looks like a binary file, not text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > len(sample) * 0.01:
        raise InputError(f"{filename} looks like a binary file, not text.")
    # Cyrillic texts decode "successfully" as cp1252 too; prefer cp1251 when it reads as words
    cyrillic = sum(1 for b in sample if 0xC0 <= b <= 0xFF)
    encoding = "cp1251" if cyrillic > len(sample) * 0.3 else "cp1252"
    return data.decode(encoding, errors="replace")


def _read_docx(data: bytes, filename: str) -> str:
    try:
        import docx  # python-docx
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise InputError("Reading .docx needs python-docx, which is not installed.") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"{filename} is not a readable .docx file (corrupt or not Word).") from exc
    except Exception as exc:  # python-docx raises assorted errors on broken packages
        raise InputError(
            f"{filename} is not a readable .docx file ({type(exc).__name__})."
        ) from exc
    parts: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
            parts.append("")
        elif tag == "tbl":
            for row in child.iter():
                if not row.tag.endswith("}tr"):
                    continue
                cells = []
                for cell in row.iterchildren():
                    if cell.tag.endswith("}tc"):
                        cells.append(
                            " ".join(
                                "".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                                for p in cell.iter()
                                if p.tag.endswith("}p")
                            ).strip()
                        )
                parts.append(" - ".join(c for c in cells if c))
            parts.append("")
    return "\n".join(parts)


def _read_pdf(data: bytes, filename: str) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover
        raise InputError("Reading .pdf needs pypdf, which is not installed.") from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise InputError(f"{filename} is an encrypted PDF; remove the password first.")
            except InputError:
                raise
            except Exception as exc:
                raise InputError(
                    f"{filename} is an encrypted PDF; remove the password first."
                ) from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
    ) as exc:
        raise InputError(f"{filename} is not a readable PDF ({exc}).") from exc
    except Exception as exc:
        raise InputError(f"{filename} is not a readable PDF ({type(exc).__name__}).") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise InputError(
            f"{filename} has no text layer (a scanned PDF?); run OCR first or upload the original."
        )
    return text
