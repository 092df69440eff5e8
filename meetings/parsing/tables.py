"""Obligations written as tables or labelled fields rather than sentences.

An action plan pasted from Word keeps its cells apart ("1 | Action | Responsible | Deadline",
tabs become " | " when the text is read); a summary record may write "Responsible:
Secretariat; Deadline: Q3 2025". Both are rewritten as the sentence they stand for ("the
Secretariat shall circulate ... by Q3 2025"), so the sentence reader applies its usual rules
(party expressions, deadline forms, merging with the same obligation in the minutes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEAD = {
    "number": re.compile(r"(?i)^(?:no\.?|n°|#|item|nr\.?)$"),
    "action": re.compile(r"(?i)\b(?:action|activit|measure|task|description|event|what)"),
    "responsible": re.compile(
        r"(?i)\b(?:responsib|executor|lead|who|implementing|owner|assigned|person|by\s+whom)"
    ),
    "deadline": re.compile(
        r"(?i)\b(?:deadline|due|term|timeline|time\s*frame|timescales?|timing|target|by\s+when)"
    ),
}
# a weaker name for the deadline column, taken only when no cell says "due" or "deadline": an
# action log's "Date raised" is not when the action is due
_WEAK_DEADLINE = re.compile(r"(?i)\b(?:date|when|period)\b(?!\s+(?:raised|opened|added|logged))")
_STATUS = re.compile(r"(?i)^status$")
_CLOSED = re.compile(r"(?i)^(?:closed|complete[d]?|done|finished|superseded|cancel+ed)\b")
_PREPOSITION = re.compile(
    r"(?i)^(?:by|until|till|not\s+later|no\s+later|before|prior|within|in|during|at|on|"
    r"(?:the\s+)?end\s+of|throughout|over|after)\b"
)
_LABEL = re.compile(
    r"(?i)\b(?P<label>responsible(?:\s+part(?:y|ies))?|executors?|owners?|lead|assigned\s+to|"
    r"action\s+by|deadlines?|due(?:\s+date)?|by\s+when|target\s+date|term|time\s*frame|"
    r"timeline|action|activity|task)\s*:\s*"
)
_WHO = ("responsible", "executor", "owner", "lead", "assigned", "action by")


@dataclass(frozen=True)
class Row:
    line: int  # 0-based line index
    number: str
    sentence: str


def cells(line: str) -> list[str]:
    """The cells of a table row ("| a | b |", "a | b | c"), empty ones kept so that columns
    line up; [] for a line that is no row, or the "|---|---|" rule under a Markdown header."""
    s = line.strip()
    if s.startswith("|"):
        row = [c.strip() for c in s.strip("|").split("|")]
    elif " | " in s:
        row = [c.strip() for c in s.split(" | ")]
    else:
        return []
    return [] if all(re.fullmatch(r":?-*:?", c) for c in row) else row


def deadline_phrase(cell: str) -> str:
    """A deadline cell as a phrase a sentence would use: "01.10.2025" -> "by 01.10.2025",
    "next meeting of X" -> "at the next meeting of X"; "in H1 2025" stays."""
    cell = cell.strip().rstrip(".")
    if not cell or _PREPOSITION.match(cell):
        return cell
    if re.search(r"(?i)\b(?:meeting|session|summit|conference)\b", cell):
        return "at " + (cell if re.match(r"(?i)the\b", cell) else f"the {cell}")
    return f"by {cell}"


RULE = re.compile(r"\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*\|?")
_NO_VALUE = re.compile(r"(?i)^(?:-+|–|n/?a|tbc|tbd|none|ongoing|on-?going|continuous|asap)?$")


def sentence(action: str, responsible: str, deadline: str) -> str:
    deadline = "" if _NO_VALUE.match(deadline.strip()) else deadline
    action = action.strip().rstrip(".;")
    action = action[:1].lower() + action[1:]
    return (
        " ".join(p for p in (responsible.strip(), "shall", action, deadline_phrase(deadline)) if p)
        + "."
    )


def _columns(row: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for key, rx in (*_HEAD.items(), ("deadline", _WEAK_DEADLINE), ("status", _STATUS)):
        if key in found:
            continue
        at = next((k for k, c in enumerate(row) if rx.search(c) and k not in found.values()), None)
        if at is not None:
            found[key] = at
    return found


def action_header(row: list[str]) -> bool:
    """Whether a table row heads an action table: action and responsible columns (a deadline
    column is usual, not required: "Action | Owner")."""
    return {"responsible", "action"} <= _columns(row).keys() and len(row) <= 6


def table_rows(lines: list[str], start: int, end: int) -> list[Row]:
    """Rows of every table with Responsible and Deadline columns between ``start`` and ``end``."""
    rows: list[Row] = []
    columns: dict[str, int] | None = None
    width = 0
    for i in range(start, end):
        row = cells(lines[i])
        if not row:
            if lines[i].strip() and not RULE.fullmatch(lines[i].strip()):
                columns = None  # text ends the table; the "|---|---|" under a header does not
            continue
        if action_header(row):
            columns, width = _columns(row), len(row)
            continue
        if columns is None or len(row) != width:
            continue
        if "status" in columns and _CLOSED.match(row[columns["status"]]):
            continue  # an action of an earlier meeting, reported done
        number = row[columns["number"]] if "number" in columns else str(len(rows) + 1)
        text = sentence(
            row[columns["action"]],
            row[columns["responsible"]],
            row[columns["deadline"]] if "deadline" in columns else "",
        )
        rows.append(Row(i, number.rstrip("."), text))
    return rows


def labelled_sentence(text: str) -> str | None:
    """ "Responsible: Secretariat; Deadline: Q3 2025. Action: circulate ..." (any order; the
    action may also be the text before the labels) as one sentence; None without both a
    Responsible label and an action."""
    marks = list(_LABEL.finditer(text))
    if not any(m["label"].lower().startswith(_WHO) for m in marks):
        return None
    fields: dict[str, str] = {}
    for k, m in enumerate(marks):
        value = text[m.end() : marks[k + 1].start() if k + 1 < len(marks) else len(text)]
        label = m["label"].lower()
        key = (
            "responsible" if label.startswith(_WHO)
            else "action" if label in ("action", "activity", "task")
            else "deadline"
        )  # fmt: skip
        fields[key] = value.strip(" ;.,")
    action = fields.get("action") or text[: marks[0].start()].strip(" ;.,")
    action = re.sub(r"(?i)^(?:decision|conclusion|item|point)\s+\d{1,2}\s*[:.]\s*", "", action)
    # "The Kyrgyz and Kazakh delegations will extend the pilot." + "Responsible: ...": the
    # labels name who; the sentence says what
    if said := re.search(
        r"\b(?:will|shall|would|(?:is|are)\s+to|agreed\s+to|undertakes?\s+to)\s+(?=[a-z])", action
    ):
        action = action[said.end() :]
    if len(action) < 4:
        return None
    return sentence(action, fields["responsible"], fields.get("deadline", ""))
