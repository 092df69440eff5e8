"""Minutes parser: plain Python, no Django. Text in, a typed ParsedBundle out."""

from .bundle import parse_bundle
from .deadlines import find_deadlines, parse_date, parse_deadline
from .errors import InputError
from .owners import Owner
from .parties import PartyRegister, PartyResolver, RegisteredParty
from .provisional import MeetingChoice, parse_choice
from .readers import DocumentText, read_document, read_upload
from .serialize import bundle_to_dict
from .types import (
    Deadline,
    ParsedAgendaItem,
    ParsedBundle,
    ParsedCommitment,
    ParsedDecision,
    ParsedDocument,
    ParsedMeeting,
    ParsedParticipant,
    Signatory,
    Source,
    UnknownParty,
)

__all__ = [
    "Deadline",
    "DocumentText",
    "InputError",
    "MeetingChoice",
    "Owner",
    "ParsedAgendaItem",
    "ParsedBundle",
    "ParsedCommitment",
    "ParsedDecision",
    "ParsedDocument",
    "ParsedMeeting",
    "ParsedParticipant",
    "PartyRegister",
    "PartyResolver",
    "RegisteredParty",
    "Signatory",
    "Source",
    "UnknownParty",
    "bundle_to_dict",
    "find_deadlines",
    "parse_bundle",
    "parse_choice",
    "parse_date",
    "parse_deadline",
    "read_document",
    "read_upload",
]
