"""What the sentence rules work on (a unit of text) and what they find (a candidate)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .normalize import Paragraph
from .owners import OwnerFinder
from .parties import PartyResolver, Resolution
from .types import Deadline, DocumentType, Source


@dataclass(frozen=True)
class Unit:
    """A numbered decision, a WG minutes item or a request of a note verbale."""

    document_key: str
    document_type: DocumentType
    meeting: str | None
    paragraph: str | None
    paragraphs: tuple[Paragraph, ...]
    reference_date: dt.date | None
    meeting_parties: tuple[str, ...]
    order: int = 0  # position of the document in the bundle
    host_country: str | None = None  # "the host country" of the meeting
    signing_date: dt.date | None = None  # "within 30 days from the date of signing"
    # a row of an action table: it restates what the minutes say, so it may merge with a
    # statement of the same document
    restated: bool = False


@dataclass
class Context:
    unit: Unit
    resolver: PartyResolver
    last_subject: Resolution | None = None
    hosts: tuple[str, ...] = ()
    owners: OwnerFinder = field(default_factory=OwnerFinder)
    restated: bool = False  # reading an action table, log or "Actions" section
    speaker: Resolution | None = None  # who spoke last, for "he will ..."


@dataclass
class Candidate:
    resolution: Resolution
    action: str
    deadline: Deadline | None
    partners: tuple[str, ...]
    source: Source
    order: tuple[int, int, int]
    generic: bool = False
    items_lead: bool = False
    meeting: str | None = None
    extra_sources: list[Source] = field(default_factory=list)
    restated: bool = False
