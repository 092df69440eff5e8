"""Signature blocks after the signing or certification line."""

from __future__ import annotations

import re

from .annexes import ANNEX_LINE
from .decisions import DECISIONS_END
from .normalize import Paragraph
from .participants import parse_participant
from .types import Signatory

_FOR_LINE = re.compile(r"^(?:for|on\s+behalf\s+of)\s+(?P<party>\S.*?)\s*:?$", re.IGNORECASE)


def _is_name(text: str) -> bool:
    """Two to five capitalised words, no digits: "Shahin Baghirov", "Ágota KRISKÓ"."""
    words = text.split()
    return 2 <= len(words) <= 5 and all(
        w[0].isupper() and not any(ch.isdigit() for ch in w) for w in words
    )


def signature_block(block: list[str]) -> Signatory | None:
    """One block of a signature page: an optional "For the Republic of ..." line, then the
    honorific and name, then the title (the following lines, joined). A name and title on one
    line ("Dr. X - Deputy Secretary General", "Dr. X, Deputy ...") are split as in a list of
    participants. None when the block does not start with a name."""
    rows = [re.sub(r"\*\*|__", "", line).strip().rstrip(",").strip() for line in block]
    rows = [row for row in rows if row]
    on_behalf = ""
    if len(rows) > 1 and (m := _FOR_LINE.match(rows[0])):
        on_behalf, rows = m["party"], rows[1:]
    if not rows or len(rows) > 8 or ANNEX_LINE.match(rows[0]):
        return None
    honorific, name, inline_title = parse_participant(rows[0])
    name = name.strip().rstrip(",").strip()
    words = name.split()
    # with an honorific, particles may be lower case ("Dr. Ahmet bin Ali")
    named = _is_name(name) or (
        bool(honorific)
        and 1 <= len(words) <= 6
        and words[0][0].isupper()
        and words[-1][0].isupper()
        and not re.search(r"\d", name)
    )
    if not named:
        return None
    title = " ".join(part for part in (inline_title, *rows[1:]) if part)
    title = re.sub(r"\s+", " ", title).strip().rstrip(",").strip()
    return Signatory(name=name, honorific=honorific, title=title, on_behalf=on_behalf)


def signatories(lines: list[str], paragraphs: list[Paragraph]) -> tuple[Signatory, ...]:
    """The signature blocks after the signing / certification line. Blocks are read from the
    lines (separated by blank lines), not from paragraphs: a name in capitals above a title in
    mixed case would otherwise fall into two paragraphs. A lone "For the Republic of ..." block
    belongs to the block below it."""
    idx = next(
        (
            i
            for i, p in enumerate(paragraphs)
            if DECISIONS_END.match(p.text.strip()) and not p.text.lower().startswith("following")
        ),
        None,
    )
    if idx is None:
        return ()
    first, last = paragraphs[idx].end_line, paragraphs[-1].end_line  # 1-based, inclusive
    blocks: list[list[str]] = [[]]
    for line in lines[first:last]:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    found: list[Signatory] = []
    pending = ""
    for block in blocks:
        if not block:
            continue
        if len(block) == 1 and (m := _FOR_LINE.match(block[0].strip().strip("*_ "))):
            pending = m["party"]
            continue
        signatory = signature_block(block)
        if signatory is not None:
            if pending and not signatory.on_behalf:
                signatory = Signatory(signatory.name, signatory.honorific, signatory.title, pending)
            found.append(signatory)
        pending = ""
    return tuple(found)
