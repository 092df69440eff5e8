"""Bytes of an uploaded file -> text: .txt/.md, .docx (python-docx), .pdf (pypdf).

.docx and .pdf files are compressed: a few hundred kilobytes can expand to gigabytes. Their
sizes are checked before anything is expanded (a .docx's entry count and declared sizes, read
from its directory; a PDF's pages and each stream's output, bounded through pypdf's limits),
so reading any upload takes bounded memory.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from .decoding import decode_text
from .errors import InputError
from .tables import action_header

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md", ".text", ".markdown")
# A .docx of minutes holds a few dozen entries and some megabytes once expanded; the limits
# leave room for embedded pictures and refuse what no word processor writes.
MAX_ARCHIVE_ENTRIES = 1_000
MAX_EXPANDED_BYTES = 40 * 1024 * 1024
MAX_RATIO = 100  # deflate reaches ~10:1 on XML; a zip bomb, 1000:1
MAX_PDF_PAGES = 2_000
MAX_PDF_STREAM_BYTES = 16 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000  # as much as the parser reads


@dataclass(frozen=True)
class DocumentText:
    text: str
    warnings: tuple[str, ...] = ()  # for the reviewer: e.g. the file was not UTF-8


def read_document(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a document; raises InputError with a message naming the problem."""
    return read_upload(data, filename, max_bytes=max_bytes).text


def read_upload(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DocumentText:
    """The text of a document and what the reviewer should be warned of."""
    name = (filename or "").lower()
    label = filename or "The file"
    if not data:
        raise InputError(f"{label} is empty.")
    if len(data) > max_bytes:
        raise InputError(
            f"{label} is too large: {len(data):,} bytes, the limit is {max_bytes:,} bytes."
        )
    warnings: list[str] = []
    if name.endswith(".pdf") or data.startswith(b"%PDF"):
        text = _read_pdf(data, label)
    elif name.endswith(".docx") or (data.startswith(b"PK") and not name.endswith(TEXT_SUFFIXES)):
        text = _read_docx(data, label)
    elif name.endswith(TEXT_SUFFIXES) or "." not in name:
        text, warnings = decode_text(data, label)
    else:
        raise InputError(
            f"{label}: unsupported file type; expected .txt, .md, .docx or a text-based .pdf."
        )
    if not text.strip():
        raise InputError(f"{label} contains no text.")
    return DocumentText(text, tuple(warnings))


# .docx ---------------------------------------------------------------------------------


def check_archive(data: bytes, label: str) -> None:
    """Refuse a zip whose expansion would be out of proportion, before expanding it."""
    entries = _declared_entries(data, label)
    if entries > MAX_ARCHIVE_ENTRIES:
        raise InputError(
            f"{label} is an archive of {entries:,} entries (a .docx has a few dozen; the limit "
            f"is {MAX_ARCHIVE_ENTRIES:,}); it was not opened."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_declared(archive.infolist(), label)
            _check_actual(archive)
    except InputError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        ValueError,
        OSError,
        EOFError,
    ) as exc:
        raise InputError(f"{label} is not a readable .docx file (corrupt or not Word).") from exc
    except (NotImplementedError, RuntimeError) as exc:  # compression method, encryption
        raise InputError(f"{label} is not a readable .docx file ({exc}).") from exc


def _check_declared(infos: list[zipfile.ZipInfo], label: str) -> None:
    total = sum(i.file_size for i in infos)
    if total > MAX_EXPANDED_BYTES:
        raise InputError(
            f"{label} would expand to {total:,} bytes (the limit is {MAX_EXPANDED_BYTES:,}); "
            "it was not opened."
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > MAX_RATIO:
            raise InputError(
                f"{label}: {info.filename} expands {ratio:,.0f} times (to {info.file_size:,} "
                "bytes), as no document does; it was not opened."
            )


def _check_actual(archive: zipfile.ZipFile) -> None:
    """Expand every entry in small chunks, keeping nothing: an entry that holds more than
    its header declares stops at the declared size and fails its checksum, so the sizes
    checked above are the sizes python-docx will meet."""
    for info in archive.infolist():
        with archive.open(info) as entry:
            while entry.read(64 * 1024):
                pass


def _declared_entries(data: bytes, label: str) -> int:
    """The entry count of a zip's end record, read before its directory is: a directory of
    millions of entries would itself fill memory. A directory larger than that many entries
    take counts as too many, whatever count the end record claims."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or len(data) < at + 22:
        raise InputError(f"{label} is not a readable .docx file (corrupt or not Word).")
    entries, directory_bytes = struct.unpack("<HI", data[at + 10 : at + 16])
    if entries == 0xFFFF or directory_bytes > MAX_ARCHIVE_ENTRIES * 1024:
        # ZIP64 (only archives far larger than any upload need it), or a padded directory
        return max(entries, MAX_ARCHIVE_ENTRIES + 1)
    return entries


def _local(node) -> str:
    # comments and processing instructions have no string tag
    return node.tag.rsplit("}", 1)[-1] if isinstance(node.tag, str) else ""


def _run_text(paragraph, line_break: str) -> str:
    """A paragraph's text with its soft line breaks (Shift+Enter, <w:br/>) and tabs kept; only
    what runs hold counts (a paragraph's tab stops are <w:tab/> too)."""
    parts = []
    for run in paragraph.iter():
        if _local(run) != "r":
            continue
        for node in run.iterchildren():
            tag = _local(node)
            if tag == "t":
                parts.append(node.text or "")
            elif tag in ("br", "cr"):
                parts.append(line_break)
            elif tag == "tab":
                parts.append("\t")
    return "".join(parts)


def _table_lines(table) -> list[str]:
    rows = []
    for row in table.iter():
        if _local(row) != "tr":
            continue
        rows.append(
            [
                " ".join(_run_text(p, " ") for p in cell.iter() if _local(p) == "p").strip()
                for cell in row.iterchildren()
                if _local(cell) == "tc"
            ]
        )
    # an action table keeps its columns apart (a cell may be empty); other tables read as
    # lines ("1. H.E. Shahin BAGHIROV - Chairman")
    if any(action_header(cells) for cells in rows[:2]):
        return [" | ".join(c or "-" for c in cells) for cells in rows]
    return [" - ".join(c for c in cells if c) for cells in rows]


def _read_docx(data: bytes, label: str) -> str:
    check_archive(data, label)
    try:
        import docx  # python-docx
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise InputError("Reading .docx needs python-docx, which is not installed.") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"{label} is not a readable .docx file (corrupt or not Word).") from exc
    except Exception as exc:  # python-docx raises assorted errors on broken packages
        raise InputError(f"{label} is not a readable .docx file ({type(exc).__name__}).") from exc
    parts: list[str] = []
    for child in document.element.body.iterchildren():
        tag = _local(child)
        if tag == "p":
            parts.extend((_run_text(child, "\n"), ""))
        elif tag == "tbl":
            parts.extend((*_table_lines(child), ""))
    return "\n".join(parts)


# .pdf ----------------------------------------------------------------------------------


def _read_pdf(data: bytes, label: str) -> str:
    try:
        from pypdf import PdfReader, apply_configuration
        from pypdf.errors import LimitReachedError, PyPdfError
    except ImportError as exc:  # pragma: no cover
        raise InputError("Reading .pdf needs pypdf, which is not installed.") from exc
    limits = {
        "zlib_maximum_output_length": MAX_PDF_STREAM_BYTES,
        "lzw_maximum_output_length": MAX_PDF_STREAM_BYTES,
        "run_length_maximum_output_length": MAX_PDF_STREAM_BYTES,
        "array_based_stream_maximum_output_length": MAX_PDF_STREAM_BYTES,
        "maximum_declared_stream_length": MAX_PDF_STREAM_BYTES,
        "image_maximum_buffer_size": MAX_PDF_STREAM_BYTES,
        "page_tree_maximum_entries": MAX_PDF_PAGES,
    }
    try:
        with apply_configuration(**limits):
            reader = PdfReader(io.BytesIO(data))
            _decrypt(reader, label)
            return _pdf_text(reader, label)
    except InputError:
        raise
    except LimitReachedError as exc:
        raise InputError(
            f"{label}: a part of the PDF expands beyond {MAX_PDF_STREAM_BYTES:,} bytes, as no "
            "minutes do; it was not read."
        ) from exc
    except PyPdfError as exc:
        raise InputError(f"{label} is not a readable PDF ({exc}).") from exc
    except (ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise InputError(f"{label} is not a readable PDF ({type(exc).__name__}).") from exc
    except Exception as exc:  # pypdf raises assorted errors on broken files
        raise InputError(f"{label} is not a readable PDF ({type(exc).__name__}).") from exc


def _decrypt(reader, label: str) -> None:
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except Exception as exc:
        raise InputError(f"{label} is an encrypted PDF; remove the password first.") from exc
    if not opened:
        raise InputError(f"{label} is an encrypted PDF; remove the password first.")


def _pdf_text(reader, label: str) -> str:
    count = len(reader.pages)
    if count > MAX_PDF_PAGES:
        raise InputError(
            f"{label} has {count:,} pages (the limit is {MAX_PDF_PAGES:,}); it was not read."
        )
    pages: list[str] = []
    length = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        length += len(text)
        if length > MAX_TEXT_CHARS:
            raise InputError(
                f"{label} holds more than {MAX_TEXT_CHARS:,} characters of text; "
                "split it into its documents."
            )
        pages.append(text)
    text = "\n\n".join(pages)
    if not text.strip():
        raise InputError(
            f"{label} has no text layer (a scanned PDF?); run OCR first or upload the original."
        )
    return text
