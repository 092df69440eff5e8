"""Hosting and offers: "<thing> to be hosted by X", "the proposal of X to host ...", "the next
meeting will be held in Azerbaijan", "X informed that its system would be connected by ..."."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .candidates import Candidate, Context
from .gazetteer import CITIES
from .normalize import fold
from .parties import country_name
from .phrases import (
    HOLD_IN,
    INTRO,
    NEXT_CLAUSE,
    OFFER,
    OFFER_HINT,
    PASSIVE,
    REPORTED,
    UPON,
    WILL_BE_HELD,
    strip_marker,
    verb_base,
)


class HostingRules:
    """Rules of the extractor for who hosts or offers what; mixed into ``Extractor``, whose
    ``_agent``, ``_resolve``, ``_make`` and ``_venue_country`` they use."""

    def _hosting(
        self, s: str, raw: str, ctx: Context, line: int
    ) -> Iterator[
        tuple[int, int, Candidate]
    ]:  # fmt: skip(self, s: str, raw: str, ctx: Context, line: int):
        low = s.lower()
        passive = " be " in low and " by " in low
        for m in PASSIVE.finditer(s) if passive else ():
            agent = self._agent(s[m.end() :])
            thing = INTRO.sub("", strip_marker(s[: m.start()]).strip())
            thing = re.split(r";|:|(?<=\.)\s|\bthat\s+(?!end\b)", thing)[-1].strip()
            if not agent or len(thing) < 3:
                continue
            rest = s[m.end() + len(agent) :]
            action = f"{verb_base(m['part'])} {thing[:1].lower() + thing[1:]} {rest}"
            cand = self._make(
                ctx, self._resolve(agent, ctx), agent, action, raw, line, passive=True
            )
            if cand:
                yield 0, len(s), cand
        if hold := HOLD_IN.match(strip_marker(s)):
            place = re.sub(r"^the\s+", "", hold["place"].strip())
            code = CITIES.get(fold(place))
            agent = country_name(code) if code else place
            if agent and self.resolver.is_party_expression(agent):
                action = f"host {hold['thing']} {hold['rest']}"
                res = self._resolve(agent, ctx)
                cand = self._make(ctx, res, hold["place"].strip(), action, raw, line)
                if cand:
                    yield 0, len(s), cand
        if held := WILL_BE_HELD.search(strip_marker(s)):
            code = self._venue_country(held["thing"] + held["rest"], ctx)
            if code:
                offset = len(s) - len(strip_marker(s))
                # "Concluding the meeting, the heads agreed that the Sixth Meeting would ...": the
                # meeting is what follows the last "that"
                thing = re.split(r"\bthat\s+(?!end\b)", held["thing"])[-1].strip()
                action = f"host {thing[:1].lower() + thing[1:]} {held['rest']}"
                res = self._resolve(country_name(code) or code, ctx)
                cand = self._make(ctx, res, country_name(code) or code, action, raw, line)
                if cand:
                    yield offset + held.start(), offset + held.end(), cand
        if rep := REPORTED.search(s):
            agent = self._agent(strip_marker(s[: rep.start("verb")]).strip())
            if agent:
                action = f"{verb_base(rep['part'])} {rep['own']} {rep['thing']}{rep['rest']}"
                cand = self._make(ctx, self._resolve(agent, ctx), agent, action, raw, line)
                if cand and cand.deadline is not None:
                    yield rep.start(), len(s), cand
        offers = OFFER.finditer(s) if OFFER_HINT.search(low) else ()
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
                nxt = NEXT_CLAUSE.search(s, m.end())
                yield m.start(), nxt.start() if nxt else len(s), cand
        for m in UPON.finditer(s) if OFFER_HINT.search(low) else ():
            agent = re.sub(r"^the\s+", "", m["agent"].strip(), flags=re.IGNORECASE)
            if not self.resolver.is_party_expression(agent):
                continue
            action = f"{verb_base(m['part'])} {m['thing']}{m['rest']}"
            if verb_base(m["part"]) in ("convene", "hold", "organize", "organise"):
                action = f"host {m['thing']}{m['rest']}"
            cand = self._make(ctx, self._resolve(agent, ctx), agent, action, raw, line)
            if cand:
                yield m.start(), len(s), cand
