"""Sentence rules: who must do what by when, from one decision sentence or list."""

from __future__ import annotations

import re

from .action_items import action_item_sentence
from .candidates import Candidate, Context, Unit
from .deadlines import find_deadlines
from .gazetteer import CITIES
from .hosting import HostingRules
from .normalize import Paragraph, fold, is_list_item, straight_quotes
from .parties import HOSTS, PARTIES, PartyResolver, Resolution, country_name
from .phrases import (
    BODY,
    HOST_VERBS,
    INTRO,
    MODAL,
    NEXT_CLAUSE,
    NOT_VERBS,
    OBJECT,
    PAREN,
    PARTNER,
    PAST_PARTICIPLE,
    QUALIFIER,
    STARTING,
    STRONG,
    UNIT_OF,
    VENUE,
    split_sentences,
    strip_marker,
    tidy,
)
from .tables import labelled_sentence
from .types import Deadline, Source


class Extractor(HostingRules):
    def __init__(self, resolver: PartyResolver, next_event: dict[str, str]) -> None:
        self.resolver = resolver
        self.next_event = next_event  # folded series name -> "next HCA meeting (HCA-10)"

    # ------------------------------------------------------------ subjects
    def _subject(
        self, left: str, ctx: Context, *, bare: bool, passive: bool = False
    ) -> tuple[Resolution, str, tuple[str, ...]] | None:
        # "The Member States that have not yet done so", "The Georgian Revenue Service, as
        # Vice-Chair,": the qualifier does not change who is responsible
        left = QUALIFIER.sub("", left)
        clause = re.split(r";|:|\((?![^()]*\))|\bthat\b(?!\s+end)|\bwhereby\b|\bwhile\b", left)[-1]
        clause = INTRO.sub("", clause.strip())
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
        if (of := UNIT_OF.match(text)) and self.resolver.is_party_expression(of["who"]):
            res = self._resolve(of["who"], ctx)
            return Resolution(res.codes, text, res.mentions, res.unknown), text, partners
        if passive and BODY.match(text) and len(text.split()) <= 6:
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

    def _resolve(self, text: str, ctx: Context) -> Resolution:
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

        text = PARTNER.sub(take, text)
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
    def _deadline(self, text: str, ctx: Context, *, passive: bool = False) -> Deadline | None:
        found = find_deadlines(
            text, reference_date=ctx.unit.reference_date, signing_date=ctx.unit.signing_date
        )
        if not passive:
            found = [d for d in found if not PAST_PARTICIPLE.search(text[: d.start])]
        # "starting in the first quarter of 2026", "as of June 2025": when it begins, not a due date
        found = [d for d in found if not STARTING.search(text[: d.start])]
        if not found:
            return None
        strong = [d for d in found if STRONG.match(d.text)]
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

    def _event(self, phrase: str, ctx: Context) -> str:
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

    def _venue_country(self, text: str, ctx: Context) -> str | None:
        """The party whose country is named as a venue ("in Azerbaijan", "in Tashkent,
        Uzbekistan", "in the Republic of Kazakhstan"); a city alone names no host."""
        for m in VENUE.finditer(text):
            place = re.sub(r"^the\s+", "", m["place"].strip())
            code = self.resolver.country_code(place)
            if code and code in ctx.unit.meeting_parties and fold(place) not in CITIES:
                return code
        return None

    # ------------------------------------------------------------ one sentence
    def sentence(self, sentence: str, ctx: Context, line: int) -> list[Candidate]:
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

    def _make(self, ctx: Context, res: Resolution, text: str, action: str, sentence: str, line: int,
              partners: tuple[str, ...] = (), *, passive: bool = False) -> Candidate | None:  # fmt: skip
        action = NEXT_CLAUSE.sub("", action)
        more, action = self._partners(action)
        deadline = self._deadline(action, ctx, passive=passive)
        if deadline is not None:
            action = action[: deadline.start] + " " + action[deadline.end :]
        action = tidy(action)
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

    def _modal(self, s: str, raw: str, ctx: Context, line: int):
        matches = list(MODAL.finditer(s))
        for i, m in enumerate(matches):
            verb = m["verb"].lower()
            if verb in NOT_VERBS and not (m["noun"] and verb == "the"):
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

    def _object(self, s: str, raw: str, ctx: Context, line: int):
        for m in OBJECT.finditer(s):
            verb = m["verb"].lower()
            if verb in NOT_VERBS:
                continue
            obj = m["obj"].strip()
            if self.resolver.is_party_expression(obj):
                res, text = self._resolve(obj, ctx), obj
            elif BODY.match(obj):
                requester = self._subject(s[: m.start()], ctx, bare=False)
                if requester is None:
                    continue
                res, text = requester[0], requester[1]
            else:
                continue
            cand = self._make(ctx, res, text, s[m.start("verb") :], raw, line)
            if cand:
                yield m.start(), len(s), cand

    # ------------------------------------------------------------ a unit
    def unit(self, unit: Unit) -> list[Candidate]:
        ctx = Context(unit, self.resolver)
        out: list[Candidate] = []
        paras = list(unit.paragraphs)
        i = 0
        while i < len(paras):
            para = paras[i]
            text = strip_marker(para.text) if is_list_item(para.text) else para.text
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
        for item in items:
            found: list[Candidate] = []
            for sentence in split_sentences(strip_marker(item.text)):
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
