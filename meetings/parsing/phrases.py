"""The phrases of obligation the sentence rules look for, and small text helpers: sentence
splitting, list markers, verb bases, tidying an action."""

from __future__ import annotations

import re

HOST_VERBS = r"(?:host|co-host|organi[sz]e|hold|convene|arrange)"
MODAL = re.compile(
    r"(?<![\w-])(?P<modal>shall|will|would|should|must|(?:is|are)\s+to|(?:has|have)\s+to|"
    r"undert(?:akes?|ook)\s+to|commit(?:s|ted)?\s+(?:themselves\s+|itself\s+)?to|"
    r"could|(?:has\s+|have\s+)?(?:agreed|decided|resolved)\s+to|(?:agrees?|decides?)\s+to|"
    r"(?:is|are|was|were)\s+(?:kindly\s+|hereby\s+|also\s+)?(?:requested|invited|encouraged|called\s+upon|"
    r"urged|instructed|tasked|mandated|expected|required|entrusted|asked|recommended)\s+to|"
    r"(?:stressed|emphasi[sz]ed|underlined|noted|highlighted)\s+the\s+(?:necessity|need)\s+to|"
    r"(?:assumes?|assumed|takes?|took)\s+(?:on\s+)?(?:the\s+)?(?:obligation|responsibility|commitment)\s+to|"
    r"(?:is|are)\s+(?:obliged|bound)\s+to|needs?\s+to|"
    r"(?P<noun>(?:is|are|was|were|shall\s+be|will\s+be)\s+(?:hereby\s+|also\s+)?(?:entrusted\s+with|"
    r"responsible\s+for|in\s+charge\s+of|tasked\s+with|charged\s+with))|"
    r"(?P<offer>(?:expressed|confirmed|reaffirmed)\s+(?:its|their)\s+(?:readiness|willingness|intention)\s+to|"
    r"(?:offered|proposed|volunteered)\s+to)|"
    r"(?P<bare>to))"
    r"(?P<adv>(?:\s+(?:also|further|jointly|kindly|duly|promptly|continue\s+to)|\s*,[^,]{1,70},)*)"
    r"\s+(?P<verb>[a-z][a-z-]+)\b",
    re.IGNORECASE,
)
OBJECT = re.compile(
    r"(?<![\w-])(?P<v>requested|asked|invited|instructed|urged|called\s+(?:up)?on|encouraged|tasked|"
    r"mandated|entrusted|charged|requests|asks|invites|instructs|urges|calls\s+(?:up)?on|"
    r"encourages|tasks|mandates|instruct|request|invite|urge|entrust|mandate|"
    r"(?:proposed|recommended|suggested)\s+to)\s+(?P<obj>[^;:]{2,120}?)\s+to\s+(?P<verb>[a-z][a-z-]+)\b",
    re.IGNORECASE,
)
PASSIVE = re.compile(
    r"\s*,?\s*(?:to\s+be|will\s+be|shall\s+be|would\s+be|(?:is|are)\s+to\s+be)\s+"
    r"(?P<part>co-hosted|jointly\s+hosted|hosted|organi[sz]ed|held|convened|conducted|arranged|"
    r"prepared|submitted|developed|drafted|circulated|launched|implemented|presented)\s+by\s+",
    re.IGNORECASE,
)
OFFER = re.compile(
    r"(?P<noun>proposal|offer|invitation|initiative|readiness|willingness|intention)\s+"
    rf"(?:of\s+(?P<agent>[^,;:]{{2,80}}?)\s+)?to\s+(?P<verb>{HOST_VERBS})\b",
    re.IGNORECASE,
)
UPON = re.compile(
    r"(?:upon|at|following)\s+the\s+(?:kind\s+)?(?:proposal|invitation|initiative|offer)\s+of\s+"
    r"(?P<agent>[^,;]{2,60}),\s*(?P<thing>[^;]+?)\s+(?:will|shall|would|is\s+to|are\s+to)\s+be\s+"
    r"(?P<part>convened|held|hosted|organi[sz]ed)\b(?P<rest>[^;]*)",
    re.IGNORECASE,
)
OFFER_HINT = re.compile(r"proposal|offer|invitation|initiative|readiness|willingness|intention")
PARTNER = re.compile(
    r",?\s*\b(?:in\s+(?:close\s+)?(?:consultation|cooperation|coordination|collaboration)\s+with|"
    r"together\s+with|jointly\s+with|with\s+the\s+(?:support|assistance)\s+of|assisted\s+by)\s+"
    r"(?P<who>(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:and|of|the|[A-Z][\w'’-]*))*"
    r"(?:\s+(?:sides?|delegations?|part(?:y|ies)|administrations?|authorit(?:y|ies)))?)\s*,?",
)
INTRO = re.compile(
    r"^(?:(?:to\s+that\s+end|to\s+this\s+end|in\s+this\s+regard|in\s+this\s+context|in\s+this\s+connection|"
    r"meanwhile|also|furthermore|moreover|additionally|accordingly|in\s+addition|finally|thereafter|"
    r"subsequently|consequently|therefore|thus|following\s+the\s+discussions?|"
    r"upon\s+the\s+(?:request|proposal)\s+of\s+[^,]+)\s*,?\s*)+",
    re.IGNORECASE,
)
BODY = re.compile(
    r"^(?:the\s+|their\s+|its\s+)?(?:relevant\s+|competent\s+|respective\s+)?(?:[\w-]+\s+){0,3}?(?:departments|divisions|units|subdivisions|experts?|working\s+group|expert\s+group|"
    r"task\s+force|sub-?committee|committee|commission|group|focal\s+points|contact\s+points|"
    r"specialists|officials|representatives)\b",
    re.IGNORECASE,
)
UNIT_OF = re.compile(
    r"^(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:services|departments|divisions|units|experts|specialists|"
    r"officials|representatives|teams|offices)\s+of\s+(?P<who>.+)$",
    re.IGNORECASE,
)
# "..., and requested the delegations to ...": a new clause with its own subject and verb
NEXT_CLAUSE = re.compile(
    r",\s*and\s+(?:also\s+)?(?:requested|asked|invited|instructed|urged|called|encouraged|agreed|"
    r"decided|noted|welcomed|took\s+note)\b.*$|,\s*so\s+that\b.*$",
    re.IGNORECASE | re.DOTALL,
)
QUALIFIER = re.compile(
    r"\s*,?\s*\b(?:that|which|who)\s+(?:have|has)\s+not\s+(?:yet\s+)?(?:done\s+so|[a-z]+ed\s+[^,]{0,60}?)\s*,?\s*$"
    r"|\s*,\s*(?:as|in\s+(?:its|their)\s+capacity\s+as)\s+(?:the\s+)?[^,]{1,60},\s*$"
    r"|\s*,\s*(?:which|who)\s+[^,]{1,90},\s*$",
    re.IGNORECASE,
)
PAREN = re.compile(r"\s*\(([^()]{2,80})\)")
# a decision "To hold the 24th meeting ... in the Republic of Tajikistan / in Minsk": the
# country named as the venue hosts it
HOLD_IN = re.compile(
    r"^\s*(?i:to\s+)?(?i:hold|convene)\s+(?P<thing>[^;]*?\b(?i:meeting|session|conference)\b[^;]*?)"
    r"\s+in\s+(?P<place>(?:the\s+)?[A-Z][\w'-]*(?:\s+(?:of\s+)?[A-Z][\w'-]*){0,3})(?P<rest>[^;]*)",
)
STARTING = re.compile(
    r"\b(?:starting|beginning|commencing|effective|as\s+of|as\s+from|from)(?:\s+(?:from|in|on|with))?\s*$",
    re.IGNORECASE,
)
# "The next meeting of the Commission will be held in 2026 in Azerbaijan": the venue's country,
# when it is a party of the meeting, hosts it (a city alone does not say who hosts)
WILL_BE_HELD = re.compile(
    r"(?:^|\bthat\s+)(?P<thing>(?:the\s+)?[^;,()]*?\b(?i:meeting|session|conference|dialogue|forum|summit)\b"
    r"[^;()]*?)\s+(?i:will|shall|would|is\s+to)\s+(?i:be\s+held|take\s+place|be\s+convened|be\s+organi[sz]ed)\b"
    r"(?P<rest>[^;()\[]*)",
    re.IGNORECASE,
)
VENUE = re.compile(
    r"(?:\bin|,)\s+(?P<place>(?:the\s+)?[A-Z][\w'-]*(?:\s+(?:of\s+)?[A-Z][\w'-]*){0,3})"
)
# "The delegation of Uzbekistan informed the Working Party that its national system would be
# connected to the eTIR system by 30 June 2025": the informant commits to its own dated step
REPORTED = re.compile(
    r"\b(?P<verb>informed|announced|stated|reported|confirmed|indicated)\b[^;]{0,80}?\bthat\s+"
    r"(?P<own>its|their)\s+(?P<thing>[^;]{3,120}?)\s+(?:would|will|shall)\s+be\s+"
    r"(?P<part>[a-z-]+(?:ed|en))\b(?P<rest>[^;]*)",
    re.IGNORECASE,
)


NOT_VERBS = {
    "be", "the", "a", "an", "that", "this", "which", "its", "their", "his", "her", "all",
    "date", "dates", "and", "of", "in", "on", "for", "by", "with", "as", "it", "them",
    # what a reader will do, not an obligation: "Members will recall that ..."
    "recall", "remember", "see", "know", "understand", "realise", "realize", "notice", "hear",
    # a body meeting again is its calendar, not an obligation: "The Committee will reconvene"
    "reconvene", "meet",
}  # fmt: skip
PAST_PARTICIPLE = re.compile(r"\bto\s+be\s+[a-z-]+(?:ed|en|wn)\b", re.IGNORECASE)
STRONG = re.compile(
    r"^(?:by|until|till|not|no|before|prior|on|within|at|to|end|the\s+end|deadline|due|term)",
    re.IGNORECASE,
)
ABBREV = re.compile(
    r"(?:\b(?:H\.E|Mr|Ms|Mrs|Dr|No|Nos|Amb|Ref|St|Art|para|e\.g|i\.e|etc|vs|Prof|Col|Gen|Lt|Jan|Feb|"
    r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Co|Ltd|Inc)|\b[A-Z])$"
)


def split_sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in re.finditer(r"[.;!?](?=\s+[\"“'(]?[A-Z0-9])", text):
        if m.group() == "." and ABBREV.search(text[start : m.start()]):
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def strip_marker(text: str) -> str:
    return re.sub(
        r"^\s*(?:[-•–·▪●*]|\(?[a-z]\)|\(?[ivx]{1,4}\)|[IVX]{1,5}\.(?=\s+[A-Z]))\s+", "", text
    )


def verb_base(participle: str) -> str:
    word = participle.lower().split()[-1]
    bases = {"co-hosted": "co-host", "hosted": "host", "held": "hold", "organized": "organize",
             "organised": "organise", "convened": "convene", "conducted": "conduct",
             "arranged": "arrange", "prepared": "prepare", "submitted": "submit",
             "developed": "develop", "drafted": "draft", "circulated": "circulate",
             "launched": "launch", "implemented": "implement", "presented": "present"}  # fmt: skip
    if word in bases:
        return bases[word]
    if re.search(r"(?:ct|nn|st|rm|nd|ll|ss)ed$", word):  # connected, planned, installed
        return (
            word[:-3] if re.search(r"(nn|ll)ed$", word) and not word.endswith("lled") else word[:-2]
        )
    return word


def tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:.")
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text).strip(" ,;:")
    return text[:1].upper() + text[1:] if text else text
