"""Action items written as items rather than sentences."""

from __future__ import annotations

import re

# an action item: "[Kazakhstan] present the results of the pilot — due 30 November 2025"
ACTION_ITEM = re.compile(
    r"^\s*\[(?P<who>[^\]]{2,80})\]\s*:?\s*(?P<what>[^\[\]]+?)"
    r"(?:\s*(?:[—–-]+|[,;(])\s*(?:due|deadline|by)\b\s*:?\s*(?P<when>[^()]+?))?\s*\)?\s*\.?\s*$",
    re.IGNORECASE,
)


def action_item_sentence(text: str) -> str | None:
    """An action item rewritten as the sentence it stands for: "X shall <action> by <date>."
    ("[Uzbekistan, Kyrgyzstan]" names both)."""
    m = ACTION_ITEM.match(text)
    if not m:
        return None
    who = re.sub(r"\s*[,/]\s*(?=[^,/]+$)", " and ", m["who"].strip())
    when = f" by {m['when']}" if m["when"] else ""
    what = m["what"][:1].lower() + m["what"][1:]
    return f"{who} shall {what}{when}."


# a line of an action log: owner, then what, then when ("1. RK - update the log - with the
# minutes", "- PMU: draft exit strategy (next PMC)", "JT - invitation for 6 May - 22 April")
_LOG_LINE = re.compile(
    r"^\s*(?:\d{1,3}[.)]\s+|[-•*]\s+)?(?P<who>[^:;()\[\]]{1,60}?)\s*(?::|\s-+\s)\s*"
    r"(?P<what>[^:]{4,}?)(?:\s+-+\s+(?P<when>[^-]{2,50}?)|\s*\((?P<paren>[^()]{2,50})\))?\s*[.;]?\s*$"
)


def log_line(text: str) -> tuple[str, str, str] | None:
    """(owner, action, deadline) of an action log line, as written; None if it is not one."""
    m = _LOG_LINE.match(text)
    if m is None or len(m["who"].split()) > 8:
        return None
    return m["who"].strip(), m["what"].strip(), (m["when"] or m["paren"] or "").strip()
