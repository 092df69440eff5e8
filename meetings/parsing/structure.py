"""Reading a bundle's structure: documents, meetings, agenda, participants, decisions,
signatures and annexes. Each part lives in its own module; this one gathers the names the
bundle reader uses."""

from .annexes import ANNEX_LINE, AnnexReference, annex_label, annex_references, heading_annex
from .decisions import Section, best_agenda_match, decision_sections, item_sections
from .documents import RawDocument, heading_place_date, is_place_or_date_line, split_documents
from .headings import (
    DATE_LINE,
    PLACE_DATE_LINE,
    is_place_line,
    parse_date_range,
    place_date,
    split_place,
)
from .meeting_refs import (
    MeetingRef,
    find_meeting_refs,
    ordinal_to_int,
    roman_to_int,
    series_code,
    title_case,
)
from .participants import parse_agenda, parse_participant, parse_participants
from .signatures import signatories, signature_block

__all__ = [
    "ANNEX_LINE",
    "DATE_LINE",
    "PLACE_DATE_LINE",
    "AnnexReference",
    "MeetingRef",
    "RawDocument",
    "Section",
    "annex_label",
    "annex_references",
    "best_agenda_match",
    "decision_sections",
    "find_meeting_refs",
    "heading_annex",
    "heading_place_date",
    "is_place_line",
    "is_place_or_date_line",
    "item_sections",
    "ordinal_to_int",
    "parse_agenda",
    "parse_date_range",
    "parse_participant",
    "parse_participants",
    "place_date",
    "roman_to_int",
    "series_code",
    "signatories",
    "signature_block",
    "split_documents",
    "split_place",
    "title_case",
]
