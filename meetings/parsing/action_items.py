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
