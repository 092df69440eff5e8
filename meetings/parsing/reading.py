"""Reading a unit of minutes paragraph by paragraph: lists under a lead ("agreed to organize the
following activities: - ... - ..."), action items, action tables, logs and "Actions" sections."""

from __future__ import annotations

import re

from .action_items import action_item_sentence, log_line
from .candidates import Candidate, Context, Unit
from .extractor import Extractor
from .merge import same_owners
from .normalize import Paragraph, fold, is_list_item
from .owners import OwnerFinder, Person
from .parties import HOSTS, PartyResolver, Resolution
from .phrases import NOT_VERBS, PAREN, split_sentences, strip_marker, tidy
from .tables import deadline_phrase, labelled_sentence
from .types import Source

# a heading that opens the list of actions: "Summary of actions", "Action points", "## Actions",
# "Agreed actions:", "Action log", "Summary of action items", "Follow-up actions"
ACTIONS_HEADING = re.compile(
    r"(?i)^(?:#+\s*)?(?:\d{1,2}[.)]?\s+)?(?:summary\s+of\s+(?:the\s+)?|list\s+of\s+|agreed\s+|new\s+|follow[- ]up\s+)?"
    r"(?:(?:decisions?|conclusions)\s+and\s+)?(?:actions?|next\s+steps)(?:\s+(?:points?|items?|log|list|register|agreed|arising|required))?"
    r"(?:\s+(?:agreed|arising))?(?:\s+and\s+(?:decisions?|deadlines?))?\s*:?$"
)
# any other heading closes it: a short line without a full stop ("6. Any other business")
_HEADING = re.compile(r"^(?:#+\s*)?(?:\d{1,2}[.)]?\s+)?[A-Z][^.;:!?]{2,80}$")


# a lead whose items are what its subject agreed to do: "The Sides agreed:", "The Parties
# decided as follows:", "the Working Group agreed on the following:"
AGREEING = re.compile(
    r"(?i)^(?:[^.;:]*?,\s*)?(?P<who>[^,.;:]{2,80}?)\s+(?:have\s+|has\s+)?"
    r"(?:agreed|decided|resolved|concluded|agree|decide|undertook|undertake)\b[^.;:]*:$"
)
# what a meeting does by agreeing, not an obligation: "to take note of", "to approve the plan"
_NOTING = {
    "take", "note", "welcome", "acknowledge", "approve", "adopt", "endorse", "express", "thank",
    "appreciate", "recognise", "recognize", "reaffirm", "commend", "congratulate", "accept",
}  # fmt: skip
_INFINITIVE = re.compile(r"^\s*[Tt]o\s+(?P<verb>[a-z][a-z-]+)\b")


def infinitive(text: str, who: str) -> str | None:
    """ "to exchange data quarterly" agreed by ``who`` → "<who> will exchange data quarterly";
    None when ``text`` is no bare infinitive ("To that end, the Secretariat will ...")."""
    m = _INFINITIVE.match(text)
    if (
        m is None
        or m["verb"] in NOT_VERBS | _NOTING
        or re.search(r"(?i)\b(?:will|shall|would)\b", text)
    ):
        return None
    if m["verb"] in ("hold", "convene") and re.search(
        r"(?i)\b(?:meeting|session|conference)\b", text
    ):
        return None  # "to hold the next meeting in Minsk": its venue hosts it (hosting rules)
    return f"{who} will {text[m.start('verb') :]}"


# "... ACTION: SB", "(Action: PMO by 30 June)", "Action - Secretariat" at the end of a paragraph
TRAILING_ACTION = re.compile(
    r"(?:(?<=[.;:)])\s*|\s+)\(?(?:ACTIONS?|Actions?)(?:\s+by)?\s*[:-]\s*(?P<who>[^.;:()]{1,60}?)\)?\s*\.?\s*$"
)
_CHECKBOX = re.compile(r"^\s*(?:\[[ xX✓]?\]|[☐☑✓])\s*")
_PARA_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})+\.?\s+(?=[A-Z])")
# how minutes introduce what someone is to do: "The Board asked that", "It was agreed that"
_AGREED_THAT = re.compile(
    r"(?i)^(?:it\s+was|the\s+[\w -]{1,40}?|members)\s+(?:agreed|asked|requested|decided|noted|"
    r"invited|recommended|proposed|suggested)(?:\s+(?:that|for|to))?\s+"
)


class Reader(Extractor):
    def __init__(
        self,
        resolver: PartyResolver,
        next_event: dict[str, str],
        people: dict[str | None, tuple[Person, ...]] | None = None,
    ) -> None:
        super().__init__(resolver, next_event)
        self.people = people or {}
        self._in_actions: str | None = None  # the document whose "Actions" section is being read

    # ------------------------------------------------------------ a unit
    def unit(self, unit: Unit) -> list[Candidate]:
        ctx = Context(unit, self.resolver, owners=OwnerFinder(self.people.get(unit.meeting, ())))
        out: list[Candidate] = []
        paras = list(unit.paragraphs)
        if self._in_actions != unit.document_key:
            self._in_actions = None
        i = 0
        while i < len(paras):
            para = paras[i]
            text = strip_marker(para.text) if is_list_item(para.text) else para.text
            if ACTIONS_HEADING.match(para.text.strip()):
                self._in_actions = unit.document_key
                i += 1
                continue
            if _HEADING.match(para.text.strip()) and not is_list_item(para.text):
                self._in_actions = None
            ctx.restated = self._in_actions is not None
            text = _PARA_NUMBER.sub("", text)  # "2.3 The Board asked ..."
            text = _CHECKBOX.sub("", text)  # "- [ ] Lina - finish the comparison"
            trailing = None if ctx.restated else self._trailing_action(text, ctx, para.start_line)
            if ctx.restated:
                text = self._log_sentence(text, ctx) or text
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
            if unit.document_type in ("agreed_minutes", "protocol"):
                # "1. To exchange statistical data ..." under "the Parties agreed as follows:"
                text = infinitive(text, "The Parties") or text
            text = labelled_sentence(text) or action_item_sentence(text) or text
            found: list[Candidate] = []
            for sentence in split_sentences(text):
                found.extend(self.sentence(sentence, ctx, para.start_line))
            # "... the PMO would update the register. ACTION: PMO" says it once, not twice
            if trailing is not None and not any(
                same_owners(trailing, c) for c in found
            ):  # "... circulated to members. ACTION: SB"
                found.append(trailing)
            out.extend(found)
            i += 1
        return out

    def _trailing_action(self, text: str, ctx: Context, line: int) -> Candidate | None:
        """A paragraph that ends by naming who acts on it ("The Board asked for a revised
        timetable to be circulated. ACTION: SB", "(Action: PMO by 30 June)"): an obligation of
        that owner, its action the sentence before the label."""
        m = TRAILING_ACTION.search(text)
        if m is None or m.start() == 0:
            return None
        who, when = m["who"].strip(), ""
        if deadline := self._deadline(who, ctx):
            who, when = who[: deadline.start].strip(" ,-"), deadline.text
        owners = (
            self._resolve(who, ctx)
            if self.resolver.is_party_expression(who)
            else self._owners(who, ctx, bare=False)
        )
        sentences = split_sentences(text[: m.start()].strip())
        if owners is None or not sentences:
            return None
        raw = sentences[-1]
        action = _AGREED_THAT.sub("", raw)
        return self._make(ctx, owners, who, f"{action} {when}", raw, line, passive=True)

    def _log_sentence(self, text: str, ctx: Context) -> str | None:
        """A line of an action log as the sentence it stands for: "RK - concept note for the
        workshop - end of April", "PMU: draft exit strategy (next PMC)" → "RK shall concept
        note for the workshop by the end of April." None when the first part names no owner."""
        found = log_line(text)
        if found is None:
            return None
        who, what, when = found
        if not (
            self.resolver.is_party_expression(who) or self._owners(who, ctx, bare=False) is not None
        ):
            return None
        phrase = deadline_phrase(when) if when else ""
        if phrase and self._deadline(phrase, ctx) is None:
            what, phrase = f"{what} {when}", ""
        what = what[:1].lower() + what[1:]
        return f"{who} shall {what} {phrase}".strip() + "."

    def _list(
        self, lead_text: str, lead: Paragraph, items: list[Paragraph], ctx: Context
    ) -> list[Candidate]:
        sentences = split_sentences(lead_text)
        before, last = sentences[:-1], sentences[-1] if sentences else ""
        out: list[Candidate] = []
        for sentence in before:
            out.extend(self.sentence(sentence, ctx, lead.start_line))
        lead_cands = self.sentence(last.rstrip(":"), ctx, lead.start_line)
        item_cands: list[list[Candidate]] = []
        saved = ctx.last_subject
        agreeing = AGREEING.match(last.strip())
        who = agreeing["who"] if agreeing else None
        if who and not self._subject(who, ctx, bare=False):
            who = "The Parties"  # "The Working Group decided:" → its parties
        for item in items:
            found: list[Candidate] = []
            body = strip_marker(item.text)
            body = (infinitive(body, who) if who else None) or body
            for sentence in split_sentences(body):
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
                    body = strip_marker(item.text)
                    resolution, generic = cand.resolution, cand.generic
                    # "the Parties agreed to hold: - a seminar on ... (Russian side)": the side
                    # named against an item is the one that carries it out
                    for pm in PAREN.finditer(body) if generic else ():
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
                    action = tidy(f"{verb} {body}")
                    src = Source(cand.source.document, cand.source.meeting, cand.source.paragraph,
                                 cand.source.document_key, strip_marker(item.text), item.start_line)  # fmt: skip
                    out.append(Candidate(resolution, action, own or cand.deadline, cand.partners, src,
                                         (ctx.unit.order, item.start_line, 0), generic, meeting=cand.meeting))  # fmt: skip
        if not lead_cands:
            for group in item_cands:
                out.extend(group)
        ctx.hosts = hosts or ctx.hosts
        return out
