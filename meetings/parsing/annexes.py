"""Annex labels: a document's own "Annex II" heading, and what a paragraph says is annexed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .types import DocumentType

_ROMAN_OF = [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip
_ANNEX_TOKEN = r"(?:No\.?\s*)?(?P<n>[IVXLC]{1,7}|\d{1,2}|[A-Z])\b"
ANNEX_LINE = re.compile(rf"^\(?(?i:annex)(?:\s*-\s*|\s+){_ANNEX_TOKEN}\)?\.?$")
_ANNEX_WORD = re.compile(r"\b(?i:annex(?:es)?)\b")
_ANNEX_NEXT = re.compile(rf"\s*(?:-\s*)?{_ANNEX_TOKEN}")
_ANNEX_AND = re.compile(r"\s*(?:,|&|\band\b)\s*(?=(?:[IVXLC]{1,7}|\d{1,2})\b)")
_ANNEXED: tuple[tuple[str, DocumentType], ...] = (
    (r"list\s+of\s+(?:the\s+)?(?:participants|delegates|delegations)|participants'?\s+list", "participants"),
    (r"\bagenda\b", "agenda"),
    (r"\bprotocol\b", "protocol"),
    (r"\b(?:agreed\s+|draft\s+)?minutes\b|\bsummary\s+record\b", "agreed_minutes"),
)  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"])")


def annex_label(token: str) -> str:
    """ "3", "III", "iii" → "Annex III"; a letter stays a letter ("Annex B")."""
    if token.isdigit():
        number, roman = int(token), ""
        for value, letters in _ROMAN_OF:
            while number >= value:
                roman, number = roman + letters, number - value
        return f"Annex {roman}" if roman else ""
    return f"Annex {token.upper()}"


def heading_annex(lines: list[str], start: int, end: int) -> str:
    """An "Annex II" / "ANNEX-3" line in a document's heading."""
    for i in range(start, end):
        if m := ANNEX_LINE.match(lines[i].strip().strip("*_ ")):
            return annex_label(m["n"])
    return ""


@dataclass(frozen=True)
class AnnexReference:
    doc_type: DocumentType
    label: str
    clause: str  # the words after the mention, naming the meeting where they do


def annex_references(text: str) -> list[AnnexReference]:
    """What a paragraph says is annexed: "The agenda ... and the list of participants ... are
    attached herewith (Annex-I and Annex-II)" → agenda: Annex I, participants: Annex II.
    Within one sentence, the n-th document named takes the n-th label when the counts agree;
    otherwise each label goes to the document named nearest before it."""
    found: list[AnnexReference] = []
    for sentence in _SENTENCE_END.split(text):
        labels: list[tuple[int, str]] = []
        for word in _ANNEX_WORD.finditer(sentence):
            pos = word.end()
            while m := _ANNEX_NEXT.match(sentence, pos):
                if label := annex_label(m["n"]):
                    labels.append((word.start(), label))
                pos = m.end()
                more = _ANNEX_AND.match(sentence, pos)
                if not more:
                    break
                pos = more.end()
        if not labels:
            continue
        mentions = sorted(
            (m.start(), m.end(), doc_type)
            for rx, doc_type in _ANNEXED
            for m in re.finditer(rx, sentence, re.IGNORECASE)
        )
        # "the Protocol of ..." and "the draft Protocol" are one mention, not two
        mentions = [m for i, m in enumerate(mentions) if not i or m[0] >= mentions[i - 1][1]]
        if not mentions:
            continue
        if len(mentions) == len(labels):
            pairs = list(zip(mentions, labels, strict=True))
        else:
            pairs = []
            for at, label in labels:
                before = [m for m in mentions if m[0] < at]
                if before:
                    pairs.append((before[-1], (at, label)))
        for (_start, end, doc_type), (at, label) in pairs:
            clause = sentence[end:at] if at > end else ""
            found.append(AnnexReference(doc_type, label, clause))
    return found
