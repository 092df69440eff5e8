"""The meeting of minutes that name none ("Programme Board - Minutes", "Record of Meeting").

The user chooses it (``MeetingChoice``: a code such as "PSC-4", with the series' name and the
dates where the register knows them). Without a choice the minutes are still read, under a
provisional meeting named after their heading, with no code and no number: its decisions,
participants and commitments are listed, and nothing can be written until a meeting is chosen.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from .errors import InputError
from .meeting_refs import MeetingRef, series_code, title_case
from .normalize import is_caps
from .types import ParsedBundle

_CODE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]{0,11})-(\d{1,4})\s*$")
_BODY = re.compile(
    r"(?i)\b(?:board|committee|council|commission|group|forum|meeting|conference|panel|"
    r"task\s*force|heads|secretaries|directors|steering|programme|program|project|dialogue)\b"
)
_NOISE = re.compile(
    r"(?i)^(?:#+\s*)?(?:(?:agreed|draft|approved|final)\s+)?(?:minutes|record|notes|summary\s+record|"
    r"record\s+of\s+meeting)(?:\s+of\s+(?:the\s+)?(?:(?:annual|regular|joint|\w+)\s+)?(?:meeting|session)(?:\s+of)?)?"
    r"(?:\s+(?:of|between)\s+(?:the\s+)?)?\s*[-:]?\s*|\s*[-–:]\s*(?:minutes|(?:meeting\s+)?notes|record(?:\s+of\s+meeting)?)\s*$"
    r"|^of\s+(?:the\s+)?(?:\w+\s+)?(?:meeting|session)\s+(?:of|between)\s+(?:the\s+)?"
)


# what minutes of any body have, even when the obligations in them are not found
_MINUTES = re.compile(
    r"(?i)\b(?:minutes|meeting|protocol|record\s+of|summary\s+record|agenda|attendees|"
    r"participants|present\s*:|apologies|chair(?:ed|man|person)?\s*:)"
)


@dataclass(frozen=True)
class MeetingChoice:
    code: str  # "PSC-4"; "" for the provisional meeting
    series_name: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    provisional: bool = False

    def ref(self) -> MeetingRef:
        m = _CODE.match(self.code)
        series = m[1].upper() if m else series_code(self.series_name or "Meeting")
        number = int(m[2]) if m else None
        code = f"{series}-{number}" if number is not None else series
        return MeetingRef(code, self.series_name or series, series, number, 0, 0)  # type: ignore[arg-type]


def parse_choice(code: str) -> MeetingChoice:
    """ "psc-4" → MeetingChoice("PSC-4"); ValueError naming the code when it is no meeting code."""
    m = _CODE.match(code or "")
    if m is None:
        raise ValueError(f"{code!r} is not a meeting code like HCA-9 or PSC-4.")
    return MeetingChoice(f"{m[1].upper()}-{int(m[2])}")


def provisional(lines: list[str], title: str = "") -> MeetingChoice:
    """A meeting named after the minutes' heading: the first of its first lines that names a
    body ("Programme Board - Minutes" → "Programme Board"), else the first line."""
    heads = [line.strip().strip("*_# ") for line in lines if line.strip()][:5]
    names = [_NOISE.sub("", h).strip(" -:,") for h in heads]
    names = [n for n in names if len(n) > 3 and not re.search(r"\d{4}", n)]
    name = next((n for n in names if _BODY.search(n)), names[0] if names else title or "Meeting")
    name = title_case(name) if is_caps(name) else name
    return MeetingChoice("", name[:120], provisional=True)


def detach(bundle: ParsedBundle, code: str) -> ParsedBundle:
    """The bundle with its provisional meeting ``code`` unnamed: no code on the meeting, its
    documents, commitments or their sources (nothing claims a meeting the minutes do not name)."""

    def own(value: str | None) -> str | None:
        return None if value == code else value

    return replace(
        bundle,
        meetings=tuple(replace(m, code=None) if m.code == code else m for m in bundle.meetings),  # type: ignore[arg-type]
        documents=tuple(
            replace(d, meeting=own(d.meeting), meetings=tuple(c for c in d.meetings if c != code))
            for d in bundle.documents
        ),
        commitments=tuple(
            replace(
                c,
                meeting=own(c.meeting),
                sources=tuple(replace(s, meeting=own(s.meeting)) for s in c.sources),
            )
            for c in bundle.commitments
        ),
    )


def settle(bundle: ParsedBundle, choice: MeetingChoice | None) -> ParsedBundle:
    """A bundle read under a provisional meeting: refused when it holds no decision, no
    commitment and nothing that minutes have (a title, an attendance list), else warned about
    and its meeting left unnamed."""
    if choice is None or not choice.provisional:
        return bundle
    empty = not bundle.commitments and not any(m.decisions for m in bundle.meetings)
    if empty and not any(_MINUTES.search(d.text) for d in bundle.documents):
        raise InputError(
            "No meeting recognised, and no decision or commitment: looked for a heading or "
            "sentence such as '9th Meeting of the Heads of Customs Administrations' or 'XII "
            "Meeting of the Working Group ...' (an ordinal or roman number, then "
            "'meeting/session of ...'), and for obligations ('X will ...', 'ACTION: X to ...')."
        )
    warning = (
        f"No meeting recognised: read as minutes of the {choice.series_name}; choose the "
        "meeting (--meeting CODE, e.g. PSC-4) before importing."
    )
    return detach(replace(bundle, warnings=(warning, *bundle.warnings)), choice.ref().code)
