"""The agenda and the list of participants of a meeting."""

from __future__ import annotations

import re

from .meeting_refs import title_case
from .normalize import Paragraph, fold, is_caps
from .parties import PartyResolver
from .types import ParsedAgendaItem, ParsedParticipant

_HONORIFIC = re.compile(
    r"^((?:(?:H\.\s?E\.|Amb\.|Ambassador|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?|Prof\.?|Professor|"
    r"Lt\.?\s?Col\.|Lieutenant\s+(?:General|Colonel)|Colonel|Col\.|General|Gen\.|"
    r"Major\s+General|Maj\.|Captain|Capt\.|Sir|Madam|Mme\.?|Excellency)(?=[\s,])[\s,]+)+)"
)


NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+(.*)$", re.DOTALL)


def parse_agenda(paragraphs: list[Paragraph]) -> tuple[ParsedAgendaItem, ...]:
    items: list[tuple[str, str, list[ParsedAgendaItem]]] = []
    for para in paragraphs:
        # an item and its " - sub items" may share a paragraph when no blank line separates them
        for chunk in re.split(r"(?<=[:;.])\s+(?=[-•]\s)", para.text):
            m = NUMBERED.match(chunk)
            sub = re.match(r"^\s*(?:[-•–]|\(?[a-z]\)|\d{1,2}\.\d{1,2}\.?)\s+(.*)$", chunk)
            if m:
                items.append((m[1], m[2].strip(), []))
            elif sub and items:
                number, _, children = items[-1]
                children.append(
                    ParsedAgendaItem(f"{number}.{len(children) + 1}", sub[1].strip().rstrip(";."))
                )
    return tuple(ParsedAgendaItem(n, t, tuple(c)) for n, t, c in items)


def parse_participant(text: str) -> tuple[str, str, str]:
    text = text.strip()
    m = _HONORIFIC.match(text)
    honorific = ""
    if m:
        honorific = re.sub(r"\s*,\s*$", "", m[1].strip())
        text = text[m.end() :]
    parts = re.split(r"\s+-\s+|\s*[-–]\s+(?=[A-Z])", text, maxsplit=1)
    if len(parts) == 1:
        parts = text.split(",", 1)
    name = parts[0].strip().strip(",")
    title = parts[1].strip().rstrip(".").strip() if len(parts) > 1 else ""
    return honorific, name, title


def parse_participants(
    paragraphs: list[Paragraph], resolver: PartyResolver, secretariat: str
) -> list[ParsedParticipant]:
    people: list[ParsedParticipant] = []
    party_text, party_code, organization = "", None, ""
    count = 0
    started = False
    for para in paragraphs:
        text = para.text.strip()
        if re.fullmatch(
            r"(?i)(?:joint\s+|provisional\s+)?list\s+of\s+(?:participants|delegates|delegations)",
            text,
        ):
            started = True
            continue
        m = NUMBERED.match(text)
        if m and started is not None:
            count += 1
            honorific, name, title = parse_participant(m[2])
            people.append(
                ParsedParticipant(
                    party_code,
                    party_text,
                    honorific,
                    name,
                    title,
                    int(m[1]),
                    organization,
                    para.start_line,
                )
            )
        elif is_caps(text) and len(text) < 70 and not re.search(r"\d", text):
            party_text, organization, count = title_case(text), "", 0
            folded = fold(text)
            if "secretariat" in folded:
                party_code = secretariat
            else:
                found = resolver.resolve(text)
                party_code = found.codes[0] if found.codes else resolver.country_code(text)
        elif party_text and count == 0 and len(text) < 160:
            organization = text
    return people
