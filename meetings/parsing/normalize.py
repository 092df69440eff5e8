"""Text clean-up for documents pasted from Word or PDF.

Two levels: ``clean_line`` keeps what a reader sees (curly quotes, diacritics) and only drops
markup and odd whitespace; ``fold`` gives a key for matching (straight quotes, no diacritics,
case-folded). Line structure is kept so that line numbers stay true to the input.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
# a row of a table pasted from Word: cells separated by tabs (two or more on the line)
_TAB_ROW = re.compile(r"[^\t\n]\t+[^\t\n]+\t")
_PAGE_MARK = re.compile(
    r"^(?:page|p\.)\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$|^.{0,80}?\s+page\s+\d{1,3}\s*(?:of|/)\s*\d{1,3}$"
    r"|^[-–—]\s*\d{1,3}\s*[-–—]$|^\d{1,3}\s*/\s*\d{1,3}$",
    re.IGNORECASE,
)
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_BOLD = re.compile(r"\*\*|__")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_MULTISPACE = re.compile(r" {2,}")
_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "`": "'",
        "\u00b4": "'",
    }
)
# Turkish dotless/dotted i and a few letters NFKD does not take apart.
_FOLD_EXTRA = str.maketrans(
    {"ı": "i", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l"}
)


def clean_line(line: str) -> str:
    """One line as displayed: NFC, no markdown emphasis, plain spaces, ASCII hyphens."""
    line = unicodedata.normalize("NFC", line)
    line = _INVISIBLE.sub("", line)
    if _TAB_ROW.search(line):  # keep the cells apart: "1 | Action | Responsible | Deadline"
        line = " | ".join(cell.strip() for cell in re.split(r"\t+", line.strip()))
    line = _SPACES.sub(" ", line)
    line = _DASHES.sub("-", line)
    line = _MD_HEADING.sub("", line)  # "### 2. Progress report": the heading's text
    line = _BOLD.sub("", line)
    line = _ITALIC.sub("", line)
    line = _MULTISPACE.sub(" ", line)
    return line.rstrip()


def clean_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n").replace("\x0c", "\n")
    return drop_page_furniture([clean_line(line) for line in text.split("\n")])


def drop_page_furniture(lines: list[str]) -> list[str]:
    """Blank out what a PDF page adds around the text: page numbers ("Page 2 of 5", "- 3 -",
    a running header ending in one) and the short running header or reference repeated next
    to them ("ECO/CHCA-12/2024/AM"). Lines are blanked, not removed, so line numbers stay
    true; a sentence cut by a page break is rejoined by the paragraph reader."""
    marks = [i for i, line in enumerate(lines) if _PAGE_MARK.match(line.strip())]
    if not marks:
        return lines
    out = list(lines)
    for i in marks:
        out[i] = ""
    counts: dict[str, int] = {}
    for line in lines:
        key = line.strip()
        if key and len(key) < 80 and not _TERMINAL.search(key):
            counts[key] = counts.get(key, 0) + 1
    for i in marks:
        near = [j for j in range(max(0, i - 3), min(len(lines), i + 4)) if j != i]
        for j in near:
            if counts.get(lines[j].strip(), 0) >= 2:
                out[j] = ""
    return out


def straight_quotes(text: str) -> str:
    return text.translate(_QUOTES)


def fold(text: str) -> str:
    """Matching key: straight quotes, no diacritics, case-folded, single spaces."""
    text = straight_quotes(text).translate(_FOLD_EXTRA)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().translate(_FOLD_EXTRA)
    return " ".join(text.split())


def fold_keep_length(text: str) -> str:
    """Like ``fold`` but one output character per input character, so spans stay valid."""
    if text.isascii():
        return straight_quotes(text).lower()
    return "".join(_fold_char(ch) for ch in straight_quotes(text))


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch.translate(_FOLD_EXTRA))
    base = "".join(c for c in base if not unicodedata.combining(c)).casefold()
    return base[:1] if base else " "


@dataclass(frozen=True)
class Paragraph:
    text: str
    start_line: int  # 1-based
    end_line: int


_LIST_START = re.compile(
    r"^\s*(?:[-•–·▪●*]\s+|\d{1,3}[.)]\s+|(?:X{0,3})(?:IX|IV|V?I{0,3})\.\s+(?=[A-Z])|\(?[a-z]\)\s+|\(?[ivx]{1,4}\)\s+|\d{1,2}\.\d{1,2}\.?\s+)"
)
# an agenda item heading over its own lines: "On item 1. Joint control ...", "Item 2: Transit ..."
ITEM_HEADING = re.compile(
    r"^\s*(?:on\s+)?(?:agenda\s+)?item\s+(?:no\.\s*)?(\d{1,2})\s*[.:)–-]\s+(\S.{0,110}?)\s*$",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.;:!?)\]\"'”’»]\s*$")
_DANGLING = re.compile(
    r"\b(?:the|a|an|of|to|and|or|in|on|for|with|by|from|at|as|its|their|his|her|that|which)$",
    re.IGNORECASE,
)


def is_list_item(text: str) -> bool:
    return bool(_LIST_START.match(text))


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.8


def split_paragraphs(lines: list[str], start: int = 0, end: int | None = None) -> list[Paragraph]:
    """Paragraphs of ``lines[start:end]``: split on blank lines and at list items.

    A sentence cut by a page break ("... to support the" / blank / "work being conducted") is
    rejoined: a paragraph that ends without terminal punctuation, on a word that cannot end a
    sentence or before a lower-case continuation, takes the next one.
    """
    end = len(lines) if end is None else end
    # text from a PDF has no blank lines: a heading or a lead is told by its shape instead
    filled = sum(1 for i in range(start, end) if lines[i].strip())
    dense = filled >= 8 and (end - start - filled) < filled * 0.1
    raw: list[Paragraph] = []
    buf: list[str] = []
    first = 0
    for idx in range(start, end):
        line = lines[idx]
        if not line.strip():
            if buf:
                raw.append(Paragraph(" ".join(buf), first + 1, idx))
                buf = []
            continue
        if ITEM_HEADING.match(line):  # a heading line is a paragraph of its own
            if buf:
                raw.append(Paragraph(" ".join(buf), first + 1, idx))
                buf = []
            raw.append(Paragraph(line.strip(), idx + 1, idx + 1))
            continue
        if buf and (
            is_list_item(line)
            or (is_caps(line) and not is_caps(buf[-1]))
            or (dense and _ends_block(buf[-1], line))
        ):
            raw.append(Paragraph(" ".join(buf), first + 1, idx))
            buf = []
        if not buf:
            first = idx
        buf.append(line.strip())
    if buf:
        raw.append(Paragraph(" ".join(buf), first + 1, end))

    merged: list[Paragraph] = []
    for para in raw:
        if merged and _continues(merged[-1].text, para.text):
            prev = merged.pop()
            para = Paragraph(f"{prev.text} {para.text}", prev.start_line, para.end_line)
        merged.append(para)
    return merged


def _ends_block(prev: str, line: str) -> bool:
    """In text without blank lines, whether ``prev`` ends a paragraph before ``line``: a short
    line without a full stop (a heading: "1. Opening", "Action items"), or a lead ending in a
    colon, followed by a line that starts with a capital."""
    prev, line = prev.strip(), line.strip()
    if not line[:1].isupper() and not line[:1].isdigit():
        return False
    heading = len(line) <= 40 and not _TERMINAL.search(line) and bool(_TERMINAL.search(prev))
    return (
        heading  # "... 23 October 2025." / "Actions"
        or prev.endswith(":")
        or (len(prev) <= 60 and not _TERMINAL.search(prev) and not _DANGLING.search(prev))
    )


def _continues(prev: str, nxt: str) -> bool:
    if is_list_item(nxt) or _TERMINAL.search(prev) or is_caps(prev) or is_caps(nxt):
        return False
    if ITEM_HEADING.match(prev) or ITEM_HEADING.match(nxt):
        return False
    if len(prev) < 40:  # headings, signature lines, short labels
        return False
    first = nxt.lstrip()[:1]
    return bool(_DANGLING.search(prev)) or (first.isalpha() and first.islower())
