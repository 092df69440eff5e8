"""Sentence rules: who must do what by when, from one decision sentence or list."""

from __future__ import annotations

import re
from dataclasses import replace

from .candidates import Candidate, Context
from .deadline_rules import DeadlineRules
from .hosting import HostingRules
from .normalize import fold, straight_quotes
from .owners import Owner
from .parties import MEMBER_STATES, PARTIES, PartyResolver, Resolution, country_name
from .phrases import (
    BODY,
    HOST_VERBS,
    INTRO,
    MODAL,
    NEXT_CLAUSE,
    NOT_VERBS,
    OBJECT,
    PARTNER,
    QUALIFIER,
    UNIT_OF,
    tidy,
)
from .types import Source

# "... and will send the invitation": a second obligation of the same subject
_AND_BEFORE = re.compile(r"(?i)\s*,?\s+and\s+(?:also\s+)?$")


def _continues(s: str, m: re.Match[str]) -> bool:
    return bool(re.fullmatch(r"(?i)will|shall|would", m["modal"] or "")) and bool(
        _AND_BEFORE.search(s[: m.start()])
    )


# a clause of its own before the subject: "Luc will publish the notes by 25 June, and members"
_AFTER_CLAUSE = re.compile(
    r"\b(?:will|shall|would|should|to)\s+[a-z][^;]*?,\s*(?:and|but|while)\s+([^,]{2,60})$"
)
# a person who offers or volunteers to do something takes it on: "MY offered to share the results"
# (a party's "readiness to cooperate" is no obligation until it is dated)
_PERSON_OFFERS = re.compile(r"(?i)(?:offered|volunteered)\s+to")
# who speaks at the start of a sentence, for a later "he will" / "she undertook to"
SPEAKER = re.compile(
    r"^(?P<who>(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)\s+(?:raised|said|noted|presented|reported|"
    r"asked|explained|informed|proposed|suggested|offered|confirmed|stated|mentioned|underlined|"
    r"stressed|welcomed|expressed|highlighted|recalled|introduced|updated)\b"
)


class Extractor(DeadlineRules, HostingRules):
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
        if fold(text) in ("he", "she") and ctx.speaker is not None:  # "Jonas raised ...; he will"
            return ctx.speaker, ctx.speaker.text, partners
        if not bare:
            # "The IT services of both customs administrations", "the experts of the Kazakh side"
            if (of := UNIT_OF.match(text)) and self.resolver.is_party_expression(of["who"]):
                res = self._resolve(of["who"], ctx)
                return Resolution(res.codes, text, res.mentions, res.unknown), text, partners
            if passive and BODY.match(text) and len(text.split()) <= 6 and self._states(ctx):
                # "The Expert Group is instructed to ...": a body of the meeting's parties
                res = self._resolve("the Parties", ctx)
                return Resolution(res.codes, text, res.mentions, res.unknown), text, partners
        # "JT", "the PIU", "DS and AT", "Finnish Customs": owners that are not (all) parties
        owners = self._owners(text, ctx, bare=bare)
        if owners is not None:
            return owners, text, partners
        if (after := _AFTER_CLAUSE.search(text)) and (
            owners := self._owners(after[1], ctx, bare=bare)
        ):
            return owners, after[1], partners  # "Luc will publish ..., and members should ..."
        if bare:
            return None
        if re.search(r"\band\s*$", text):
            words = text.split()
            for k in range(min(len(words), 10), 0, -1):
                prefix = " ".join(words[:k])
                if self.resolver.is_party_expression(prefix):
                    return self._resolve(prefix, ctx), prefix, partners
        return None

    def _states(self, ctx: Context) -> bool:
        """Whether "the Parties" of this meeting are states (a meeting of people has none)."""
        return bool(ctx.unit.meeting_parties) or not ctx.owners.people

    def _owners(self, text: str, ctx: Context, *, bare: bool) -> Resolution | None:
        """``text`` as one or more owners ("DS, AT and MK", "ABF and NZCS", "the Team Leader"),
        each a party, a participant, or a role or body kept as written; None if any part is
        not a name of someone who can act."""
        text = re.sub(r"^(?:[-•*]\s+|\d{1,2}[.)]\s+)", "", text.strip())
        parts = ctx.owners.split(text)
        if not parts or len(parts) > 6 or len(text) > 120:
            return None
        # "X to <verb>" reads as an obligation only at the start of an item: short, no verb
        if bare and (
            len(text.split()) > 8 or re.search(r"(?i)\b(?:was|were|is|are|has|have)\b", text)
        ):
            return None
        codes: list[str | None] = []
        owners: list[Owner] = []
        mentions: list = []
        unknown: list = []
        for part in parts:
            if self.resolver.is_party_expression(part):
                res = self._resolve(part, ctx)
                if res.owners:  # "all members" of a meeting of people
                    codes.extend(res.codes)
                    owners.extend(res.owners)
                    continue
                mentions.extend(res.mentions)
                unknown.extend(res.unknown)
                suggested = iter(u.suggested_code for u in res.unknown)
                for code in res.codes:
                    codes.append(code)
                    if code is None:
                        owners.append(Owner(part, "new_party", next(suggested, None)))
                    else:
                        owners.append(Owner(part, "party", code))
                continue
            owner = ctx.owners.atom(part)
            if owner is None:
                return None
            codes.append(None)
            owners.append(owner)
        if all(o.kind in ("party", "new_party") for o in owners):
            return None  # a party expression after all: resolved as such by the caller
        return Resolution(tuple(codes), text, tuple(mentions), tuple(unknown), tuple(owners))

    def _resolve(self, text: str, ctx: Context) -> Resolution:
        res = self.resolver.resolve(
            text,
            meeting_parties=ctx.unit.meeting_parties,
            hosts=ctx.hosts,
            host_country=ctx.unit.host_country,
        )
        if res.collective in (PARTIES, MEMBER_STATES) and not self._states(ctx):
            # a meeting of people: "all members", "the participants" are its members, no states
            return Resolution((None,), res.text, res.mentions, (), (Owner(res.text, "body"),))
        return res

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

    # ------------------------------------------------------------ one sentence
    def sentence(self, sentence: str, ctx: Context, line: int) -> list[Candidate]:
        s = straight_quotes(sentence)
        if m := SPEAKER.match(s):  # "Jonas raised the issue ...", "The Technical Lead explained"
            who = m["who"]
            ctx.speaker = self._owners(who, ctx, bare=False) or ctx.speaker
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
        res = replace(res, text=text)
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
            restated=ctx.restated or unit.restated,
        )  # fmt: skip

    def _modal(self, s: str, raw: str, ctx: Context, line: int):
        matches = list(MODAL.finditer(s))
        previous: tuple[Resolution, str, tuple[str, ...]] | None = None
        for i, m in enumerate(matches):
            verb = m["verb"].lower()
            if verb in NOT_VERBS and not (m["noun"] and verb == "the"):
                continue
            # an offer to host is a commitment; an offer to do anything else is one only when
            # it is dated ("expressed its intention to join the pilot within six months")
            undated_offer = (
                m["offer"]
                and not re.fullmatch(HOST_VERBS, verb)
                and self._deadline(s[m.end() :], ctx) is None
            )
            # "so that X could submit ..." binds X as "would" does; "could" alone is a possibility
            if fold(m["modal"]) == "could" and not re.search(r"(?i)\bso\s+that\b", s[: m.start()]):
                continue
            passive = bool(re.match(r"(?i)(?:is|are|was|were|shall\s+be|will\s+be)\s", m["modal"]))
            subject = self._subject(s[: m.start()], ctx, bare=bool(m["bare"]), passive=passive)
            if subject is None and previous is not None and _continues(s, m):
                subject = previous  # "X will host the course ... and will send the invitation"
            if subject is None:
                continue
            res, text, partners = subject
            person = any(o.kind == "person" for o in res.owners)
            if undated_offer and not (person and _PERSON_OFFERS.match(m["modal"])):
                continue
            previous = subject
            end = len(s)
            for nxt in matches[i + 1 :]:
                if _continues(s, nxt) and nxt.start() > m.end():
                    end = _AND_BEFORE.search(s[: nxt.start()]).start()  # type: ignore[union-attr]
                    break
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
            elif BODY.match(obj) and self._states(ctx):
                requester = self._subject(s[: m.start()], ctx, bare=False)
                if requester is None:
                    continue
                res, text = requester[0], requester[1]
            elif owners := self._owners(obj, ctx, bare=False):  # "The Board asked PN to ..."
                res, text = owners, obj
            else:
                continue
            cand = self._make(ctx, res, text, s[m.start("verb") :], raw, line)
            if cand:
                yield m.start(), len(s), cand
