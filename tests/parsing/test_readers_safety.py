"""Reading uploads safely: strict decoding that names the bad byte, a warned fallback for legacy
encodings, .docx soft line breaks kept, and compressed files refused before they expand."""

import io
import time
import tracemalloc
from pathlib import Path

import docx
import pytest

from meetings.parsing import InputError, read_document, read_upload
from tests import bombs

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "source" / "hca9_wg12_bundle.txt"


def test_a_single_bad_byte_in_a_utf8_file_is_named_by_offset_and_line():
    data = SEED.read_bytes()
    line = 62
    offset = sum(len(x) + 1 for x in data.split(b"\n")[: line - 1]) + 9  # 10th byte of line 62
    broken = data[:offset] + b"\xe9" + data[offset + 1 :]
    with pytest.raises(InputError) as err:
        read_document(broken, "seed.txt")
    assert str(err.value) == (
        f"seed.txt: byte 0xE9 at offset {offset:,} (line 62, column 10) is not valid UTF-8. "
        "Save the file as UTF-8 and try again."
    )


def test_a_bad_byte_after_a_byte_order_mark_counts_the_mark_in_the_offset():
    with pytest.raises(InputError, match=r"byte 0xFF at offset 7 \(line 2, column 1\)"):
        read_document(b"\xef\xbb\xbfT\xc3\xbc\n\xffx", "bom.txt")


def test_a_legacy_file_is_read_with_a_warning_for_the_reviewer():
    read = read_upload("Ágota KRISKÓ, Türkiye\n".encode("cp1252"), "legacy.txt")
    assert read.text == "Ágota KRISKÓ, Türkiye\n"
    assert read.warnings == (
        "legacy.txt is not UTF-8: it was read as Windows-1252 (Western European). Check that "
        "names with accents (Türkiye, UÇARMAK) read correctly; saving the file as UTF-8 avoids "
        "this.",
    )
    assert read_upload("Türkiye".encode(), "utf8.txt").warnings == ()


def test_utf16_without_a_byte_order_mark_is_text_not_binary():
    assert read_document("Türkiye\nUÇARMAK".encode("utf-16-le"), "a.txt") == "Türkiye\nUÇARMAK"
    assert read_document("Türkiye".encode("utf-16-be"), "a.txt") == "Türkiye"


def test_docx_soft_line_breaks_and_tabs_are_kept():
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("2. **Mr. Yermek KOZHABERGENOV**").add_break()
    paragraph.add_run("Head of the International Cooperation Division\tKZ")
    paragraph.paragraph_format.tab_stops.add_tab_stop(docx.shared.Inches(1))
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_document(buffer.getvalue(), "a.docx").splitlines() == [
        "2. **Mr. Yermek KOZHABERGENOV**",
        "Head of the International Cooperation Division\tKZ",
    ]


def _bounded(read, data: bytes, name: str) -> tuple[str, float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InputError) as err:
            read(data, name)
        return str(err.value), time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_docx_zip_bomb_is_refused_before_it_expands():
    bomb = bombs.docx_bomb()
    assert 150_000 < len(bomb) < 300_000
    message, seconds, peak = _bounded(read_document, bomb, "bomb.docx")
    assert message.startswith("bomb.docx would expand to 210,")
    assert "it was not opened" in message
    assert seconds < 0.5 and peak < 5_000_000


def test_a_zip_bomb_whose_headers_lie_is_refused_with_bounded_memory():
    message, _seconds, peak = _bounded(read_document, bombs.lying_docx_bomb(), "liar.docx")
    assert message == "liar.docx is not a readable .docx file (corrupt or not Word)."
    assert peak < 5_000_000


def test_an_archive_of_too_many_entries_is_refused_before_its_directory_is_read():
    message, _seconds, _peak = _bounded(read_document, bombs.many_entries_zip(), "many.docx")
    assert message.startswith("many.docx is an archive of 5,000 entries")


def test_a_pdf_bomb_is_refused_with_bounded_memory():
    message, seconds, peak = _bounded(read_document, bombs.pdf_bomb(), "bomb.pdf")
    assert message.startswith("bomb.pdf: a part of the PDF expands beyond 16,777,216 bytes")
    assert peak < 80_000_000 and seconds < 10
