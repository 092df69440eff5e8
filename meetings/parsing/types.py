"""The typed structure the minutes parser returns (plain data, no behaviour)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from .owners import Owner

DocumentType = Literal[
    "note_verbale", "agreed_minutes", "protocol", "agenda", "participants", "other"
]
# "half" exists because a half-year is neither a quarter nor a year; "event" deadlines carry
# no precision (they have ``due_event`` instead).
Precision = Literal["day", "month", "quarter", "half", "year"]
PartyKind = Literal["member", "observer", "secretariat", "guest", "other"]


@dataclass(frozen=True)
class Deadline:
    text: str  # the phrase as written, e.g. "by 1 March 2024"
    date: dt.date | None  # the last day that satisfies it (None for events / unknown base)
    precision: Precision | None
    due_event: str | None = None  # "next meeting of ..." when tied to an event
    start: int = 0  # span in the sentence it was found in
    end: int = 0


@dataclass(frozen=True)
class Source:
    document: DocumentType
    meeting: str | None
    paragraph: str | None
    document_key: str
    sentence: str
    line: int


@dataclass(frozen=True)
class ParsedAgendaItem:
    number: str
    title: str
    children: tuple[ParsedAgendaItem, ...] = ()


@dataclass(frozen=True)
class ParsedParticipant:
    party_code: str | None
    party_text: str
    honorific: str
    name: str
    title: str
    order: int
    organization: str = ""
    line: int = 0
    initials: str = ""  # "JT", as the minutes write it or from the name


@dataclass(frozen=True)
class ParsedDecision:
    number: str
    text: str
    document: str
    agenda_item: str | None = None
    title: str = ""
    line: int = 0


@dataclass(frozen=True)
class ParsedMeeting:
    code: str | None  # "HCA-9"; None for minutes that name no meeting until one is chosen
    series_name: str
    series_code: str
    number: int | None
    start_date: dt.date | None
    end_date: dt.date | None
    city: str
    country: str | None
    chair: str
    agenda: tuple[ParsedAgendaItem, ...] = ()
    participants: tuple[ParsedParticipant, ...] = ()
    decisions: tuple[ParsedDecision, ...] = ()
    parties: tuple[str, ...] = ()  # state parties attending (codes), used for "the Parties"


@dataclass(frozen=True)
class Signatory:
    """One signature block as signed: "H.E. Amb. Kubanychbek Omuraliev" / "Secretary General
    of the Organization of Turkic States". ``on_behalf`` is a "For the Republic of ..." line
    above the name, where the layout has one."""

    name: str
    honorific: str = ""
    title: str = ""
    on_behalf: str = ""


@dataclass(frozen=True)
class ParsedDocument:
    key: str
    type: DocumentType
    title: str
    meeting: str | None
    reference: str
    date: dt.date | None
    place: str
    signatories: tuple[Signatory, ...]
    start_line: int
    end_line: int
    text: str
    meetings: tuple[str, ...] = ()  # every meeting the document belongs to
    addressees: tuple[str, ...] = ()
    # "Annex II": the label the bundle gives the document (its own heading, or a reference
    # such as "the list of participants ... (Annex-II)"); "" when it has none
    annex: str = ""


@dataclass(frozen=True)
class UnknownParty:
    text: str
    suggested_code: str | None
    suggested_name: str | None


@dataclass(frozen=True)
class ParsedCommitment:
    responsible: tuple[str | None, ...]
    responsible_text: str
    partners: tuple[str, ...]
    action: str
    deadline: dt.date | None
    precision: Precision | None
    deadline_text: str | None
    due_event: str | None
    sources: tuple[Source, ...]
    unknown_parties: tuple[UnknownParty, ...] = ()
    meeting: str | None = None
    # who is responsible, one entry per name as written: a party, a party to create, a
    # participant or a role or body that is no party ("the PIU")
    owners: tuple[Owner, ...] = ()


@dataclass(frozen=True)
class ParsedBundle:
    documents: tuple[ParsedDocument, ...]
    meetings: tuple[ParsedMeeting, ...]
    parties_mentioned: tuple[str, ...]
    commitments: tuple[ParsedCommitment, ...]
    warnings: tuple[str, ...] = field(default=())
