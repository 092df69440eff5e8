"""Decisions: the numbered paragraphs after "the Parties agreed on the following:", or the
sections under agenda item headings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .meeting_refs import roman_to_int
from .normalize import ITEM_HEADING, Paragraph, fold
from .types import ParsedAgendaItem

_DECISIONS_LEAD = re.compile(
    r"(?:agreed|decided|resolved|concluded)\s+(?:on|upon|as)?\s*(?:the\s+)?follow|"
    r"(?:agreed|decided)\s+as\s+follows|following\s+(?:decisions|conclusions|recommendations)|"
    r"^(?:agreed|decided|decisions|conclusions)\s*:$|\b(?:agreed|decided|resolved)\s*:$",
    re.IGNORECASE,
)
DECISIONS_END = re.compile(
    r"^(?:it\s+is\s+hereby\s+certified|signed\s+(?:on|in|at)|done\s+(?:on|in|at)|"
    r"in\s+witness\s+whereof|following\s+the\s+meeting,|this\s+(?:protocol|minutes)\s+(?:was|were|is))",
    re.IGNORECASE,
)


# a point numbered under its agenda item: "1.2. The Kazakh side shall ..."
_SUB_NUMBERED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.?\s+(.*)$", re.DOTALL)
# a decision's number: "3.", "3)", "IV.", "Article 3" (alone on its line or before the text)
_DECISION_NUMBER = re.compile(
    r"^\s*(?:(?:Article|Art\.)\s+(\d{1,2}|[IVX]{1,6})\.?(?:\s+(.*))?$|(\d{1,2})[.)]\s+(.*)$"
    r"|([IVX]{1,6})\.\s+([A-Z].*)$|\(([a-z])\)\s+(.*)$)",
    re.DOTALL,
)


def _decision_number(text: str) -> tuple[str, int, str] | None:
    m = _DECISION_NUMBER.match(text)
    if not m:
        return None
    token = m[1] or m[3] or m[5] or m[7]
    if m[7]:
        value: int | None = ord(token) - ord("a") + 1
    else:
        value = int(token) if token.isdigit() else roman_to_int(token)
    if not value:
        return None
    return token, value, (m[2] or m[4] or m[6] or m[8] or "").strip()


@dataclass
class Section:
    number: str
    title: str
    paragraphs: list[Paragraph]
    heading_mode: bool = False
    agenda_item: str | None = None  # the "On item 2." heading it stands under


def item_sections(paragraphs: list[Paragraph]) -> list[Section]:
    """Decisions grouped under agenda item headings ("On item 1. <title>", "Item 2: <title>"):
    each sub-numbered point ("1.1.", "1.2.") is a decision of its own under its item; an item
    without sub-numbered points is one decision (its body)."""
    sections: list[Section] = []
    item: tuple[str, str] | None = None
    for para in paragraphs:
        text = para.text.strip()
        if DECISIONS_END.match(text):
            break
        if m := ITEM_HEADING.match(text):
            item = (m[1], m[2].strip().rstrip(".:;"))
            sections.append(Section(m[1], item[1], [], True, m[1]))
            continue
        sub = _SUB_NUMBERED.match(text)
        if item and sub and sub[1] == item[0]:
            body = Paragraph(sub[3].strip(), para.start_line, para.end_line)
            sections.append(Section(f"{sub[1]}.{sub[2]}", item[1], [body], False, item[0]))
        elif sections:
            sections[-1].paragraphs.append(para)
    # an item heading whose points are numbered under it is no decision itself
    return [s for s in sections if s.paragraphs]


def _is_heading(text: str) -> bool:
    """A numbered line that is a title, not a decision: short and without a final stop."""
    return 0 < len(text.split()) <= 12 and not text.rstrip().endswith((".", ";"))


def decision_sections(paragraphs: list[Paragraph]) -> tuple[list[Section], bool]:
    """Numbered decisions after "agreed on the following:" (continuations belong to the number
    before); without such a lead, numbered agenda-titled sections with their body text."""
    lead = next(
        (
            i
            for i, p in enumerate(paragraphs)
            if _DECISIONS_LEAD.search(p.text) and p.text.rstrip().endswith(":")
        ),
        None,
    )
    if lead is not None:
        # "Decisions:" or "The Committee concluded as follows:" under the third of numbered
        # agenda headings leads that item's decisions only: the minutes are read item by item
        numbered = [
            p for p in paragraphs[:lead] if (n := _decision_number(p.text)) and _is_heading(n[2])
        ]
        if len(numbered) >= 2:
            lead = None
    sections: list[Section] = []
    heading_mode = lead is None
    start = 0 if lead is None else lead + 1
    headings = [i for i, p in enumerate(paragraphs[start:], start) if ITEM_HEADING.match(p.text)]
    if len(headings) >= 2:
        return item_sections(paragraphs[headings[0] :]), True
    last = 0
    for para in paragraphs[start:]:
        text = para.text.strip()
        if DECISIONS_END.match(text):
            break
        number = _decision_number(text)
        if number and (not sections or number[1] == last + 1):
            token, last, rest = number
            sentence = len(rest.split()) >= 8 and rest.rstrip().endswith((".", ";"))
            if heading_mode:
                # a numbered paragraph of a report ("6. The delegation of Türkiye undertook to
                # ...") reads as a heading too: its sentence is also its first body paragraph
                own = [Paragraph(rest, para.start_line, para.end_line)] if sentence else []
                sections.append(Section(token, rest, own, True))
            else:
                body = Paragraph(rest, para.start_line, para.end_line)
                sections.append(Section(token, "", [body] if rest else []))
        elif sections:
            sections[-1].paragraphs.append(para)
    for section in sections if heading_mode else ():
        # a heading with a body of its own ("1. Discussion on ..." / its paragraphs) is only a
        # title; one followed by nothing but the next heading is the paragraph itself
        own, rest = section.paragraphs[:1], section.paragraphs[1:]
        if (
            own
            and own[0].text == section.title
            and any(p.text.rstrip().endswith((".", ";", ":")) for p in rest)
        ):
            section.paragraphs = rest
    return sections, heading_mode


def best_agenda_match(title: str, agenda: tuple[ParsedAgendaItem, ...]) -> str | None:
    """The agenda item a WG minutes heading repeats (word overlap; headings are copied)."""
    key = set(re.findall(r"\w+", fold(title)))
    best, best_ratio = None, 0.0
    for item in agenda:
        other = set(re.findall(r"\w+", fold(item.title)))
        ratio = len(key & other) / max(1, len(key | other))
        if ratio > best_ratio:
            best, best_ratio = item.number, ratio
    return best if best_ratio >= 0.6 else None
