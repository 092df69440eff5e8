"""Commitment extraction: who must do what by when, from decision sentences.

Sentence-level rules, not fitted to one text:

* subject + obligation verb: "X will/shall/agreed to/is requested to/stressed the need to <verb>",
  and in requests "X to <verb>" when X is a party expression;
* requester + object: "X requested/asked/instructed/urged Y to <verb>" (Y responsible; if Y is
  a body such as "the experts" or "the Working Group", the requesting parties are);
* hosting: "<thing> to be (co-)hosted by X", "the proposal of X to host ...",
  "X for the proposal to host ...", "Upon the proposal of X, <meeting> will be convened ...";
* lists under a lead ("agreed to organize the following activities in 2024: - ... - ..."):
  one commitment per item, inheriting the lead's deadline unless the item has its own.

The same obligation stated in several documents is merged into one commitment citing every
source: same responsible parties and deadline, and a similar action.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass, field

from .deadlines import find_deadlines
from .gazetteer import CITIES
from .normalize import Paragraph, fold, is_list_item, straight_quotes
from .parties import HOSTS, PARTIES, PartyResolver, Resolution, country_name
from .tables import labelled_sentence
from .types import Deadline, DocumentType, ParsedCommitment, Source, UnknownParty

HOST_VERBS = r"(?:host|co-host|organi[sz]e|hold|convene|arrange)"
_MODAL = re.compile(
    r"(?<![\w-])(?P<modal>shall|will|would|should|must|(?:is|are)\s+to|(?:has|have)\s+to|"
    r"undert(?:akes?|ook)\s+to|commit(?:s|ted)?\s+(?:themselves\s+|itself\s+)?to|"
    r"could|(?:has\s+|have\s+)?(?:agreed|decided|resolved)\s+to|(?:agrees?|decides?)\s+to|"
    r"(?:is|are|was|were)\s+(?:kindly\s+|hereby\s+|also\s+)?(?:requested|invited|encouraged|called\s+upon|"
    r"urged|instructed|tasked|mandated|expected|required|entrusted|asked|recommended)\s+to|"
    r"(?:stressed|emphasi[sz]ed|underlined|noted|highlighted)\s+the\s+(?:necessity|need)\s+to|"
    r"(?:assumes?|assumed|takes?|took)\s+(?:on\s+)?(?:the\s+)?(?:obligation|responsibility|commitment)\s+to|"
    r"(?:is|are)\s+(?:obliged|bound)\s+to|"
    r"(?P<noun>(?:is|are|was|were|shall\s+be|will\s+be)\s+(?:hereby\s+|also\s+)?(?:entrusted\s+with|"
    r"responsible\s+for|in\s+charge\s+of|tasked\s+with|charged\s+with))|"
    r"(?P<offer>(?:expressed|confirmed|reaffirmed)\s+(?:its|their)\s+(?:readiness|willingness|intention)\s+to|"
    r"(?:offered|proposed|volunteered)\s+to)|"
    r"(?P<bare>to))"
    r"(?P<adv>(?:\s+(?:also|further|jointly|kindly|duly|promptly|continue\s+to)|\s*,[^,]{1,70},)*)"
    r"\s+(?P<verb>[a-z][a-z-]+)\b",
    re.IGNORECASE,
)
_OBJECT = re.compile(
    r"(?<![\w-])(?P<v>requested|asked|invited|instructed|urged|called\s+(?:up)?on|encouraged|tasked|"
    r"mandated|entrusted|charged|requests|asks|invites|instructs|urges|calls\s+(?:up)?on|"
    r"encourages|tasks|mandates|instruct|request|invite|urge|entrust|mandate|"
    r"(?:proposed|recommended|suggested)\s+to)\s+(?P<obj>[^;:]{2,120}?)\s+to\s+(?P<verb>[a-z][a-z-]+)\b",
    re.IGNORECASE,
)
_PASSIVE = re.compile(
    r"\s*,?\s*(?:to\s+be|will\s+be|shall\s+be|would\s+be|(?:is|are)\s+to\s+be)\s+"
    r"(?P<part>co-hosted|jointly\s+hosted|hosted|organi[sz]ed|held|convened|conducted|arranged|"
    r"prepared|submitted|developed|drafted|circulated|launched|implemented|presented)\s+by\s+",
    re.IGNORECASE,
)
_OFFER = re.compile(
    r"(?P<noun>proposal|offer|invitation|initiative|readiness|willingness|intention)\s+"
    rf"(?:of\s+(?P<agent>[^,;:]{{2,80}}?)\s+)?to\s+(?P<verb>{HOST_VERBS})\b",
    re.IGNORECASE,
)
_UPON = re.compile(
    r"(?:upon|at|following)\s+the\s+(?:kind\s+)?(?:proposal|invitation|initiative|offer)\s+of\s+"
    r"(?P<agent>[^,;]{2,60}),\s*(?P<thing>[^;]+?)\s+(?:will|shall|would|is\s+to|are\s+to)\s+be\s+"
    r"(?P<part>convened|held|hosted|organi[sz]ed)\b(?P<rest>[^;]*)",
    re.IGNORECASE,
)
_OFFER_HINT = re.compile(r"proposal|offer|invitation|initiative|readiness|willingness|intention")
_PARTNER = re.compile(
    r",?\s*\b(?:in\s+(?:close\s+)?(?:consultation|cooperation|coordination|collaboration)\s+with|"
    r"together\s+with|jointly\s+with|with\s+the\s+(?:support|assistance)\s+of|assisted\s+by)\s+"
    r"(?P<who>(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:and|of|the|[A-Z][\w'’-]*))*)\s*,?",
)
_INTRO = re.compile(
    r"^(?:(?:to\s+that\s+end|to\s+this\s+end|in\s+this\s+regard|in\s+this\s+context|in\s+this\s+connection|"
    r"meanwhile|also|furthermore|moreover|additionally|accordingly|in\s+addition|finally|thereafter|"
    r"subsequently|consequently|therefore|thus|following\s+the\s+discussions?|"
    r"upon\s+the\s+(?:request|proposal)\s+of\s+[^,]+)\s*,?\s*)+",
    re.IGNORECASE,
)
_BODY = re.compile(
    r"^(?:the\s+|their\s+|its\s+)?(?:relevant\s+|competent\s+|respective\s+)?(?:[\w-]+\s+){0,3}?(?:departments|divisions|units|subdivisions|experts?|working\s+group|expert\s+group|"
    r"task\s+force|sub-?committee|committee|commission|group|focal\s+points|contact\s+points|"
    r"specialists|officials|representatives)\b",
    re.IGNORECASE,
)
_UNIT_OF = re.compile(
    r"^(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:services|departments|divisions|units|experts|specialists|"
    r"officials|representatives|teams|offices)\s+of\s+(?P<who>.+)$",
    re.IGNORECASE,
)
# "..., and requested the delegations to ...": a new clause with its own subject and verb
_NEXT_CLAUSE = re.compile(
    r",\s*and\s+(?:also\s+)?(?:requested|asked|invited|instructed|urged|called|encouraged|agreed|"
    r"decided|noted|welcomed|took\s+note)\b.*$|,\s*so\s+that\b.*$",
    re.IGNORECASE | re.DOTALL,
)
_QUALIFIER = re.compile(
    r"\s*,?\s*\b(?:that|which|who)\s+(?:have|has)\s+not\s+(?:yet\s+)?(?:done\s+so|[a-z]+ed\s+[^,]{0,60}?)\s*,?\s*$"
    r"|\s*,\s*(?:as|in\s+(?:its|their)\s+capacity\s+as)\s+(?:the\s+)?[^,]{1,60},\s*$"
    r"|\s*,\s*(?:which|who)\s+[^,]{1,90},\s*$",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\s*\(([^()]{2,80})\)")
# a decision "To hold the 24th meeting ... in the Republic of Tajikistan / in Minsk": the
# country named as the venue hosts it
_HOLD_IN = re.compile(
    r"^\s*(?i:to\s+)?(?i:hold|convene)\s+(?P<thing>[^;]*?\b(?i:meeting|session|conference)\b[^;]*?)"
    r"\s+in\s+(?P<place>(?:the\s+)?[A-Z][\w'-]*(?:\s+(?:of\s+)?[A-Z][\w'-]*){0,3})(?P<rest>[^;]*)",
)
_STARTING = re.compile(
    r"\b(?:starting|beginning|commencing|effective|as\s+of|as\s+from|from)(?:\s+(?:from|in|on|with))?\s*$",
    re.IGNORECASE,
)
# "The next meeting of the Commission will be held in 2026 in Azerbaijan": the venue's country,
# when it is a party of the meeting, hosts it (a city alone does not say who hosts)
_WILL_BE_HELD = re.compile(
    r"(?:^|\bthat\s+)(?P<thing>(?:the\s+)?[^;,()]*?\b(?i:meeting|session|conference|dialogue|forum|summit)\b"
    r"[^;()]*?)\s+(?i:will|shall|would|is\s+to)\s+(?i:be\s+held|take\s+place|be\s+convened|be\s+organi[sz]ed)\b"
    r"(?P<rest>[^;()\[]*)",
    re.IGNORECASE,
)
_VENUE = re.compile(
    r"(?:\bin|,)\s+(?P<place>(?:the\s+)?[A-Z][\w'-]*(?:\s+(?:of\s+)?[A-Z][\w'-]*){0,3})"
)
# "The delegation of Uzbekistan informed the Working Party that its national system would be
# connected to the eTIR system by 30 June 2025": the informant commits to its own dated step
_REPORTED = re.compile(
    r"\b(?P<verb>informed|announced|stated|reported|confirmed|indicated)\b[^;]{0,80}?\bthat\s+"
    r"(?P<own>its|their)\s+(?P<thing>[^;]{3,120}?)\s+(?:would|will|shall)\s+be\s+"
    r"(?P<part>[a-z-]+(?:ed|en))\b(?P<rest>[^;]*)",
    re.IGNORECASE,
)
# an action item: "[Kazakhstan] present the results of the pilot — due 30 November 2025"
_ACTION_ITEM = re.compile(
    r"^\s*\[(?P<who>[^\]]{2,80})\]\s*:?\s*(?P<what>[^\[\]]+?)"
    r"(?:\s*(?:[—–-]+|[,;(])\s*(?:due|deadline|by)\b\s*:?\s*(?P<when>[^()]+?))?\s*\)?\s*\.?\s*$",
    re.IGNORECASE,
)


def action_item_sentence(text: str) -> str | None:
    """An action item rewritten as the sentence it stands for: "X shall <action> by <date>."
    ("[Uzbekistan, Kyrgyzstan]" names both)."""
    m = _ACTION_ITEM.match(text)
    if not m:
        return None
    who = re.sub(r"\s*[,/]\s*(?=[^,/]+$)", " and ", m["who"].strip())
    when = f" by {m['when']}" if m["when"] else ""
    what = m["what"][:1].lower() + m["what"][1:]
    return f"{who} shall {what}{when}."


_NOT_VERBS = {
    "be", "the", "a", "an", "that", "this", "which", "its", "their", "his", "her", "all",
    "date", "dates", "and", "of", "in", "on", "for", "by", "with", "as", "it", "them",
}  # fmt: skip
_PAST_PARTICIPLE = re.compile(r"\bto\s+be\s+[a-z-]+(?:ed|en|wn)\b", re.IGNORECASE)
_STRONG = re.compile(
    r"^(?:by|until|till|not|no|before|prior|on|within|at|to|end|the\s+end|deadline|due|term)",
    re.IGNORECASE,
)
_ABBREV = re.compile(
    r"(?:\b(?:H\.E|Mr|Ms|Mrs|Dr|No|Nos|Amb|Ref|St|Art|para|e\.g|i\.e|etc|vs|Prof|Col|Gen|Lt|Jan|Feb|"
    r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Co|Ltd|Inc)|\b[A-Z])$"
)


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


@dataclass
class _Context:
    unit: Unit
    resolver: PartyResolver
    last_subject: Resolution | None = None
    hosts: tuple[str, ...] = ()


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


def split_sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in re.finditer(r"[.;!?](?=\s+[\"“'(]?[A-Z0-9])", text):
        if m.group() == "." and _ABBREV.search(text[start : m.start()]):
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def _strip_marker(text: str) -> str:
    return re.sub(
        r"^\s*(?:[-•–·▪●*]|\(?[a-z]\)|\(?[ivx]{1,4}\)|[IVX]{1,5}\.(?=\s+[A-Z]))\s+", "", text
    )


def _verb_base(participle: str) -> str:
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


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:.")
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text).strip(" ,;:")
    return text[:1].upper() + text[1:] if text else text


class _Extractor:
    def __init__(self, resolver: PartyResolver, next_event: dict[str, str]) -> None:
        self.resolver = resolver
        self.next_event = next_event  # folded series name -> "next HCA meeting (HCA-10)"

    # ------------------------------------------------------------ subjects
    def _subject(
        self, left: str, ctx: _Context, *, bare: bool, passive: bool = False
    ) -> tuple[Resolution, str, tuple[str, ...]] | None:
        # "The Member States that have not yet done so", "The Georgian Revenue Service, as
        # Vice-Chair,": the qualifier does not change who is responsible
        left = _QUALIFIER.sub("", left)
        clause = re.split(r";|:|\((?![^()]*\))|\bthat\b(?!\s+end)|\bwhereby\b|\bwhile\b", left)[-1]
        clause = _INTRO.sub("", clause.strip())
        partners, clause = self._partners(clause)
        text = re.sub(
            r"\s*,?\s*\b(?:also|hereby|further|jointly|therefore)\b\s*,?\s*$",
            "",
            clause,
        ).strip(" ,")
        text = re.sub(r"^(?:[-•]\s+)", "", text)
        if self.resolver.is_party_expression(text):
            return self._resolve(text, ctx), text, partners
        if fold(text) in ("they", "it", "both", "the latter") and ctx.last_subject is not None:
            return ctx.last_subject, ctx.last_subject.text, partners
        if bare:
            return None
        # "The IT services of both customs administrations", "the experts of the Kazakh side"
        if (of := _UNIT_OF.match(text)) and self.resolver.is_party_expression(of["who"]):
            res = self._resolve(of["who"], ctx)
            return Resolution(res.codes, text, res.mentions, res.unknown), text, partners
        if passive and _BODY.match(text) and len(text.split()) <= 6:
            # "The Expert Group is instructed to ...": a body of the meeting's parties
            res = self._resolve("the Parties", ctx)
            return Resolution(res.codes, text, res.mentions, res.unknown), text, partners
        if re.search(r"\band\s*$", text):
            words = text.split()
            for k in range(min(len(words), 10), 0, -1):
                prefix = " ".join(words[:k])
                if self.resolver.is_party_expression(prefix):
                    return self._resolve(prefix, ctx), prefix, partners
        return None

    def _resolve(self, text: str, ctx: _Context) -> Resolution:
        return self.resolver.resolve(
            text,
            meeting_parties=ctx.unit.meeting_parties,
            hosts=ctx.hosts,
            host_country=ctx.unit.host_country,
        )

    def _partners(self, text: str) -> tuple[tuple[str, ...], str]:
        codes: list[str] = []

        def take(m: re.Match[str]) -> str:
            words = m["who"].split()
            for k in range(len(words), 0, -1):
                name = " ".join(words[:k])
                if self.resolver.is_party_expression(name):
                    codes.extend(c for c in self.resolver.resolve(name).codes if c)
                    rest = " ".join(words[k:])
                    return f" {rest} " if rest else " "
            return m.group()

        text = _PARTNER.sub(take, text)
        return tuple(sorted(set(codes))), text

    def _agent(self, text: str) -> str | None:
        """The longest leading run of words of ``text`` that is a party expression."""
        words = text.split()
        for k in range(min(len(words), 10), 0, -1):
            candidate = " ".join(words[:k]).rstrip(",;.")
            if self.resolver.is_party_expression(candidate):
                return candidate
        return None

    def _agent_before(self, text: str) -> str | None:
        words = text.split()
        for k in range(min(len(words), 10), 0, -1):
            candidate = " ".join(words[-k:]).strip(",;.")
            if self.resolver.is_party_expression(candidate):
                return candidate
        return None

    # ------------------------------------------------------------ deadlines
    def _deadline(self, text: str, ctx: _Context, *, passive: bool = False) -> Deadline | None:
        found = find_deadlines(
            text, reference_date=ctx.unit.reference_date, signing_date=ctx.unit.signing_date
        )
        if not passive:
            found = [d for d in found if not _PAST_PARTICIPLE.search(text[: d.start])]
        # "starting in the first quarter of 2026", "as of June 2025": when it begins, not a due date
        found = [d for d in found if not _STARTING.search(text[: d.start])]
        if not found:
            return None
        strong = [d for d in found if _STRONG.match(d.text)]
        chosen = strong[0] if strong else found[-1]
        if chosen.due_event:
            chosen = Deadline(
                chosen.text,
                None,
                None,
                self._event(chosen.due_event, ctx),
                chosen.start,
                chosen.end,
            )
        return chosen

    def _event(self, phrase: str, ctx: _Context) -> str:
        key = fold(phrase)
        for series, label in self.next_event.items():
            if series in key:
                return label
        if ctx.unit.meeting and not re.search(r"\bof\b", key):
            code = ctx.unit.meeting.rsplit("-", 1)[0]
            for label in self.next_event.values():
                if label.startswith(f"next {code} "):
                    return label
        return phrase

    def _venue_country(self, text: str, ctx: _Context) -> str | None:
        """The party whose country is named as a venue ("in Azerbaijan", "in Tashkent,
        Uzbekistan", "in the Republic of Kazakhstan"); a city alone names no host."""
        for m in _VENUE.finditer(text):
            place = re.sub(r"^the\s+", "", m["place"].strip())
            code = self.resolver.country_code(place)
            if code and code in ctx.unit.meeting_parties and fold(place) not in CITIES:
                return code
        return None

    # ------------------------------------------------------------ one sentence
    def sentence(self, sentence: str, ctx: _Context, line: int) -> list[Candidate]:
        s = straight_quotes(sentence)
        results: list[tuple[int, int, Candidate]] = []
        for start, end, cand in self._modal(s, sentence, ctx, line):
            results.append((start, end, cand))
        for start, end, cand in self._object(s, sentence, ctx, line):
            results.append((start, end, cand))
        for start, end, cand in self._hosting(s, sentence, ctx, line):
            results.append((start, end, cand))
        results.sort(key=lambda r: r[0])
        kept: list[Candidate] = []
        spans: list[tuple[int, int]] = []
        for start, end, cand in results:
            if any(start < e and s0 < end for s0, e in spans):
                continue
            spans.append((start, end))
            kept.append(cand)
        return kept

    def _make(self, ctx: _Context, res: Resolution, text: str, action: str, sentence: str, line: int,
              partners: tuple[str, ...] = (), *, passive: bool = False) -> Candidate | None:  # fmt: skip
        action = _NEXT_CLAUSE.sub("", action)
        more, action = self._partners(action)
        deadline = self._deadline(action, ctx, passive=passive)
        if deadline is not None:
            action = action[: deadline.start] + " " + action[deadline.end :]
        action = _tidy(action)
        if len(action) < 4 or not (res.codes or res.collective):
            return None
        hosting = res.collective == PARTIES and re.match(
            r"(?i)(?:hold|convene|host)\s.*\b(?:meeting|session|conference|dialogue|forum)\b",
            action,
        )
        if hosting and (code := self._venue_country(action, ctx)):  # the venue's country hosts
            found = self._resolve(country_name(code) or code, ctx)
            res = Resolution(found.codes, text, found.mentions, found.unknown)
        res = Resolution(res.codes, text, res.mentions, res.unknown)
        unit = ctx.unit
        source = Source(
            unit.document_type,
            unit.meeting,
            unit.paragraph,
            unit.document_key,
            sentence.strip(),
            line,
        )
        return Candidate(
            res, action, deadline, tuple(sorted(set(partners) | set(more))), source,
            (unit.order, line, 0), res.collective == PARTIES, meeting=unit.meeting,
        )  # fmt: skip

    def _modal(self, s: str, raw: str, ctx: _Context, line: int):
        matches = list(_MODAL.finditer(s))
        for i, m in enumerate(matches):
            verb = m["verb"].lower()
            if verb in _NOT_VERBS and not (m["noun"] and verb == "the"):
                continue
            # an offer to host is a commitment; an offer to do anything else is one only when
            # it is dated ("expressed its intention to join the pilot within six months")
            if (
                m["offer"]
                and not re.fullmatch(HOST_VERBS, verb)
                and self._deadline(s[m.end() :], ctx) is None
            ):
                continue
            # "so that X could submit ..." binds X as "would" does; "could" alone is a possibility
            if fold(m["modal"]) == "could" and not re.search(r"(?i)\bso\s+that\b", s[: m.start()]):
                continue
            passive = bool(re.match(r"(?i)(?:is|are|was|were|shall\s+be|will\s+be)\s", m["modal"]))
            subject = self._subject(s[: m.start()], ctx, bare=bool(m["bare"]), passive=passive)
            if subject is None:
                continue
            res, text, partners = subject
            end = len(s)
            for nxt in matches[i + 1 :]:
                if (
                    nxt["bare"] is None
                    and self._subject(s[: nxt.start()], ctx, bare=False)
                    and not re.search(r"\band\s*$", s[: nxt.start()])
                ):
                    end = max(
                        m.end(),
                        s.rfind(",", m.end(), nxt.start())
                        if s.rfind(",", m.end(), nxt.start()) > 0
                        else nxt.start(),
                    )
                    break
            action = s[m.start("verb") : end]
            if m["noun"]:  # "is entrusted with the preparation of ..." -> "Preparation of ..."
                action = re.sub(r"(?i)^the\s+", "", action)
            if "," in (m["adv"] or ""):  # "shall, no later than 30 June 2025, submit ..."
                action = f"{action} {m['adv'].strip(' ,')}"
            cand = self._make(ctx, res, text, action, raw, line, partners)
            if cand:
                ctx.last_subject = res
                yield m.start(), end, cand

    def _object(self, s: str, raw: str, ctx: _Context, line: int):
        for m in _OBJECT.finditer(s):
            verb = m["verb"].lower()
            if verb in _NOT_VERBS:
                continue
            obj = m["obj"].strip()
            if self.resolver.is_party_expression(obj):
                res, text = self._resolve(obj, ctx), obj
            elif _BODY.match(obj):
                requester = self._subject(s[: m.start()], ctx, bare=False)
                if requester is None:
                    continue
                res, text = requester[0], requester[1]
            else:
                continue
            cand = self._make(ctx, res, text, s[m.start("verb") :], raw, line)
            if cand:
                yield m.start(), len(s), cand

    def _hosting(self, s: str, raw: str, ctx: _Context, line: int):
        low = s.lower()
        passive = " be " in low and " by " in low
        for m in _PASSIVE.finditer(s) if passive else ():
            agent = self._agent(s[m.end() :])
            thing = _INTRO.sub("", _strip_marker(s[: m.start()]).strip())
            thing = re.split(r";|:|(?<=\.)\s|\bthat\s+(?!end\b)", thing)[-1].strip()
            if not agent or len(thing) < 3:
                continue
            rest = s[m.end() + len(agent) :]
            action = f"{_verb_base(m['part'])} {thing[:1].lower() + thing[1:]} {rest}"
            cand = self._make(
                ctx, self._resolve(agent, ctx), agent, action, raw, line, passive=True
            )
            if cand:
                yield 0, len(s), cand
        if hold := _HOLD_IN.match(_strip_marker(s)):
            place = re.sub(r"^the\s+", "", hold["place"].strip())
            code = CITIES.get(fold(place))
            agent = country_name(code) if code else place
            if agent and self.resolver.is_party_expression(agent):
                action = f"host {hold['thing']} {hold['rest']}"
                res = self._resolve(agent, ctx)
                cand = self._make(ctx, res, hold["place"].strip(), action, raw, line)
                if cand:
                    yield 0, len(s), cand
        if held := _WILL_BE_HELD.search(_strip_marker(s)):
            code = self._venue_country(held["thing"] + held["rest"], ctx)
            if code:
                offset = len(s) - len(_strip_marker(s))
                # "Concluding the meeting, the heads agreed that the Sixth Meeting would ...": the
                # meeting is what follows the last "that"
                thing = re.split(r"\bthat\s+(?!end\b)", held["thing"])[-1].strip()
                action = f"host {thing[:1].lower() + thing[1:]} {held['rest']}"
                res = self._resolve(country_name(code) or code, ctx)
                cand = self._make(ctx, res, country_name(code) or code, action, raw, line)
                if cand:
                    yield offset + held.start(), offset + held.end(), cand
        if rep := _REPORTED.search(s):
            agent = self._agent(_strip_marker(s[: rep.start("verb")]).strip())
            if agent:
                action = f"{_verb_base(rep['part'])} {rep['own']} {rep['thing']}{rep['rest']}"
                cand = self._make(ctx, self._resolve(agent, ctx), agent, action, raw, line)
                if cand and cand.deadline is not None:
                    yield rep.start(), len(s), cand
        offers = _OFFER.finditer(s) if _OFFER_HINT.search(low) else ()
        for m in offers:
            agent = m["agent"]
            if agent:
                agent = re.sub(r"^the\s+", "", agent.strip(), flags=re.IGNORECASE)
                if not self.resolver.is_party_expression(agent):
                    continue
            else:
                before = s[: m.start()]
                fm = re.search(
                    r"\s+for\s+(?:its|their|the|his|her)\s+(?:kind\s+)?$",
                    before,
                    re.IGNORECASE,
                )
                if not fm:
                    continue
                agent = self._agent_before(before[: fm.start()])
                if not agent:
                    continue
            action = s[m.start("verb") :]
            cand = self._make(ctx, self._resolve(agent, ctx), agent, action, raw, line)
            if cand:
                nxt = _NEXT_CLAUSE.search(s, m.end())
                yield m.start(), nxt.start() if nxt else len(s), cand
        for m in _UPON.finditer(s) if _OFFER_HINT.search(low) else ():
            agent = re.sub(r"^the\s+", "", m["agent"].strip(), flags=re.IGNORECASE)
            if not self.resolver.is_party_expression(agent):
                continue
            action = f"{_verb_base(m['part'])} {m['thing']}{m['rest']}"
            if _verb_base(m["part"]) in ("convene", "hold", "organize", "organise"):
                action = f"host {m['thing']}{m['rest']}"
            cand = self._make(ctx, self._resolve(agent, ctx), agent, action, raw, line)
            if cand:
                yield m.start(), len(s), cand

    # ------------------------------------------------------------ a unit
    def unit(self, unit: Unit) -> list[Candidate]:
        ctx = _Context(unit, self.resolver)
        out: list[Candidate] = []
        paras = list(unit.paragraphs)
        i = 0
        while i < len(paras):
            para = paras[i]
            text = _strip_marker(para.text) if is_list_item(para.text) else para.text
            items: list[Paragraph] = []
            if text.rstrip().endswith(":"):
                j = i + 1
                while j < len(paras) and is_list_item(paras[j].text):
                    items.append(paras[j])
                    j += 1
            if items:
                out.extend(self._list(text, para, items, ctx))
                i += 1 + len(items)
                continue
            text = labelled_sentence(text) or action_item_sentence(text) or text
            for sentence in split_sentences(text):
                out.extend(self.sentence(sentence, ctx, para.start_line))
            i += 1
        return out

    def _list(
        self, lead_text: str, lead: Paragraph, items: list[Paragraph], ctx: _Context
    ) -> list[Candidate]:
        sentences = split_sentences(lead_text)
        before, last = sentences[:-1], sentences[-1] if sentences else ""
        out: list[Candidate] = []
        for sentence in before:
            out.extend(self.sentence(sentence, ctx, lead.start_line))
        lead_cands = self.sentence(last.rstrip(":"), ctx, lead.start_line)
        item_cands: list[list[Candidate]] = []
        saved = ctx.last_subject
        for item in items:
            found: list[Candidate] = []
            for sentence in split_sentences(_strip_marker(item.text)):
                found.extend(self.sentence(sentence, ctx, item.start_line))
            item_cands.append(found)
        ctx.last_subject = saved
        hosts = tuple(
            sorted(
                {c for group in item_cands for cand in group for c in cand.resolution.codes if c}
            )
        )
        for cand in lead_cands:
            subject_list = cand.resolution.collective == HOSTS or "following" in fold(
                cand.resolution.text
            )
            if subject_list:
                res = self.resolver.resolve(
                    cand.resolution.text,
                    meeting_parties=ctx.unit.meeting_parties,
                    hosts=hosts,
                )
                cand.resolution = Resolution(
                    res.codes, cand.resolution.text, res.mentions, res.unknown
                )
                cand.generic = False
                out.append(cand)
                for group in item_cands:
                    out.extend(group)
                continue
            # the lead's action takes the items as its object: items inherit its deadline
            verb = cand.action.split()[0] if cand.action else "Carry out"
            for item, group in zip(items, item_cands, strict=True):
                if group:
                    for c in group:
                        if c.deadline is None and cand.deadline is not None:
                            c.deadline = cand.deadline
                        out.append(c)
                else:
                    body = _strip_marker(item.text)
                    resolution, generic = cand.resolution, cand.generic
                    # "the Parties agreed to hold: - a seminar on ... (Russian side)": the side
                    # named against an item is the one that carries it out
                    for pm in _PAREN.finditer(body) if generic else ():
                        if self.resolver.is_party_expression(pm[1]):
                            found = self._resolve(pm[1], ctx)
                            resolution = Resolution(
                                found.codes, pm[1], found.mentions, found.unknown
                            )
                            generic, body = False, body[: pm.start()] + body[pm.end() :]
                            break
                    own = self._deadline(body, ctx)
                    if own is not None:
                        body = body[: own.start] + " " + body[own.end :]
                    action = _tidy(f"{verb} {body}")
                    src = Source(cand.source.document, cand.source.meeting, cand.source.paragraph,
                                 cand.source.document_key, _strip_marker(item.text), item.start_line)  # fmt: skip
                    out.append(Candidate(resolution, action, own or cand.deadline, cand.partners, src,
                                         (ctx.unit.order, item.start_line, 0), generic, meeting=cand.meeting))  # fmt: skip
        if not lead_cands:
            for group in item_cands:
                out.extend(group)
        ctx.hosts = hosts or ctx.hosts
        return out


# ---------------------------------------------------------------- merging

_STOP = {
    "the", "a", "an", "of", "to", "and", "or", "in", "on", "for", "with", "by", "at", "its",
    "their", "it", "them", "this", "that", "as", "be", "will", "shall", "side", "sides",
    "parties", "party", "from", "into", "upon", "such", "said",
}  # fmt: skip
_SUFFIXES = ("ations", "ation", "ings", "ing", "ed", "es", "s")


@functools.lru_cache(maxsize=2048)
def _tokens(text: str) -> frozenset[str]:
    words = re.findall(
        r"[a-z0-9]+",
        fold(text).replace("silkroad", "silk road").replace("e-tir", "etir"),
    )
    out = set()
    for w in words:
        if w in _STOP or len(w) < 2:
            continue
        for suffix in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
        out.add(w[:6])
    return frozenset(out)


def similarity(a: str, b: str) -> float:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / math.sqrt(len(ta) * len(tb))


def _key(c: Candidate) -> frozenset[str]:
    return frozenset(code if code else f"?{fold(c.resolution.text)}" for code in c.resolution.codes)


def _deadline_key(d: Deadline | None) -> tuple[object, ...] | None:
    if d is None:
        return None
    if d.due_event:
        return ("event", fold(d.due_event))
    return (d.date, d.precision)


@dataclass
class _Cluster:
    head: Candidate
    members: list[Candidate]


def _threshold(a: Deadline | None, b: Deadline | None) -> float | None:
    ka, kb = _deadline_key(a), _deadline_key(b)
    if ka == kb:
        if ka is None:
            return 0.45
        if ka[0] == "event":
            return 0.3
        return 0.15 if a and a.precision == "day" else 0.4
    if ka is None or kb is None:
        if (a or b) and (a or b).due_event:  # type: ignore[union-attr]
            return None
        return 0.5
    return None


def merge(candidates: list[Candidate]) -> list[_Cluster]:
    priority = {"agreed_minutes": 0, "protocol": 1, "other": 2, "note_verbale": 3}
    ordered = sorted(candidates, key=lambda c: (priority.get(c.source.document, 2), c.order))
    clusters: list[_Cluster] = []
    keys = {id(c): _key(c) for c in ordered}
    for cand in ordered:
        best, best_score = None, 0.0
        for cluster in clusters:
            if any(m.source.document_key == cand.source.document_key for m in cluster.members):
                continue
            head = cluster.head
            head_key, cand_key = keys[id(head)], keys[id(cand)]
            same = head_key == cand_key
            nested = head.generic != cand.generic and (head_key <= cand_key or cand_key <= head_key)
            if not same and not nested:
                continue
            threshold = _threshold(head.deadline, cand.deadline)
            if threshold is None:
                continue
            if nested:
                threshold = max(threshold, 0.6)
            score = similarity(head.action, cand.action)
            # a statement with the same deadline beats a closer wording with another one
            rank = score + (
                1.0 if _deadline_key(head.deadline) == _deadline_key(cand.deadline) else 0.0
            )
            if score >= threshold and rank > best_score:
                best, best_score = cluster, rank
        if best is None:
            clusters.append(_Cluster(cand, [cand]))
            continue
        best.members.append(cand)
        if best.head.deadline is None and cand.deadline is not None:
            best.head.deadline = cand.deadline
        if best.head.generic and not cand.generic:
            best.head.resolution, best.head.generic = cand.resolution, False
            keys[id(best.head)] = keys[id(cand)]
        best.head.partners = tuple(sorted(set(best.head.partners) | set(cand.partners)))
    return clusters


def build_commitments(clusters: list[_Cluster]) -> list[ParsedCommitment]:
    out = []
    for cluster in clusters:
        head = cluster.head
        members = sorted(cluster.members, key=lambda m: m.order)
        sources: list[Source] = []
        for m in members:
            if all(
                (s.document_key, s.paragraph) != (m.source.document_key, m.source.paragraph)
                for s in sources
            ):
                sources.append(m.source)
        deadline = head.deadline
        unknown: dict[str, UnknownParty] = {}
        for m in members:
            for u in m.resolution.unknown:
                unknown.setdefault(u.text, u)
        codes = head.resolution.codes
        out.append(
            ParsedCommitment(
                responsible=codes,
                responsible_text=head.resolution.text,
                partners=tuple(p for p in head.partners if p not in codes),
                action=head.action,
                deadline=deadline.date if deadline else None,
                precision=deadline.precision if deadline else None,
                deadline_text=deadline.text if deadline and not deadline.due_event else None,
                due_event=deadline.due_event if deadline else None,
                sources=tuple(sources),
                unknown_parties=tuple(unknown.values()),
                meeting=head.meeting,
            )
        )
    return out


def extract_commitments(
    units: list[Unit], resolver: PartyResolver, next_event: dict[str, str]
) -> list[ParsedCommitment]:
    extractor = _Extractor(resolver, next_event)
    candidates: list[Candidate] = []
    for unit in units:
        candidates.extend(extractor.unit(unit))
    return build_commitments(merge(candidates))
