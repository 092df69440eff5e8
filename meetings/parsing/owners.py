"""Who must act, taken as written.

Other bodies' minutes name owners that are not parties: people ("JT", "Jane Thompson", "Ms
Acheampong"), roles ("the Team Leader", "the Head of Operations", "each beneficiary agency")
and bodies ("the PIU", "Finnish Customs", "Home Affairs"). An owner phrase is one or more such
names joined by commas and "and"; each is resolved, in this order, to a party of the register
(or a state the register does not know, proposed for creation), a person of the participants
list (by name or initials), or a role or body kept as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .normalize import fold

OwnerKind = Literal["party", "new_party", "person", "body"]


@dataclass(frozen=True)
class Person:
    """Someone the minutes list as present, excused or chairing."""

    name: str
    initials: str
    title: str = ""
    organization: str = ""


@dataclass(frozen=True)
class Owner:
    text: str  # as written: "JT", "the PIU", "Finnish Customs"
    kind: OwnerKind
    code: str | None = None  # the party's code (suggested code for a new party)
    person: str | None = None  # the participant's full name


# the head noun of a role or a body: "the Team Leader", "each beneficiary agency", "Home Affairs"
HEADS = (
    r"chair(?:man|woman|person)?s?|co-?chairs?|vice-?chair(?:man|person)?|president|secretary|"
    r"secretariats?|rapporteurs?|directors?(?:[\s-]general)?|managers?|leads?|leaders?|officers?|"
    r"co-?ordinators?|experts?|consultants?|contractors?|advis[eo]rs?|specialists?|analysts?|"
    r"heads?|members?|representatives?|delegates?|delegations?|focal\s+points?|contact\s+points?|"
    r"teams?|units?|groups?|committees?|commissions?|councils?|boards?|offices?|ministry|"
    r"ministries|departments?|divisions?|agency|agencies|authority|authorities|administrations?|"
    r"services?|customs|force|affairs|bureau|directorates?|centre|center|institutes?|partners?|"
    r"beneficiar(?:y|ies)|participants?|organi[sz]ations?|commissioners?|comptroller|"
    r"controllers?|deputy|assistants?|staff|owners?|administrators?|engineers?|architects?|"
    r"trainers?|presidency|consortium|everyone|everybody|all"
)
# a word before the head noun: a capitalised word, a lower-case adjective ("technical",
# "national"), "and"/"of" inside a name ("Estonian Tax and Customs Board"); never a pronoun, an
# auxiliary or a verb in the past ("they instructed the Working Group")
_MODIFIER = (
    r"(?:(?!(?:they|we|he|she|it|who|which|that|will|shall|would|should|to|was|were|is|are|has|"
    r"have|had|been|be|not|also|then|and|or|of|for)\b)(?:[A-Z][\w'’.&-]*|[a-z][\w'’-]*(?<!ed)|\d{1,2})"
    r"|(?:and|of|for|&)(?=\s+[A-Z]))"
)
_ROLE = re.compile(
    r"^(?:(?i:the|each|every|all|both|our|its|their|relevant|respective)\s+)?"
    rf"(?:{_MODIFIER}\s+){{0,4}}?"
    rf"(?i:{HEADS})"
    r"(?:\s+\([^()]{1,60}\))?"
    r"(?:\s+(?:of|for|to|on)\s+(?:the\s+)?[\w'’. -]{2,60})?$",
)
# "PIU", "NZCS", "J.T.", and acronyms with a small letter inside: "DfT", "MoF" (two capitals)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,6}$|^(?:[A-Z]\.){2,4}$|^[A-Z][a-z]?[A-Z][A-Za-z]{0,4}$")
_NOT_ACRONYMS = {"ACTION", "ACTIONS", "NOTE", "ITEM", "AOB", "TBC", "TBD", "NA", "IT", "OK", "AI"}
HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Sir|Dame|H\.\s?E|Amb|Ambassador|Mme|Director\s+General|Commissioner|Minister)\.?"
_NAME = re.compile(
    rf"^(?:{HONORIFIC}\s+)?(?:[A-ZÀ-Ý][\w'’-]+|[A-Z]\.)(?:\s+(?:[A-ZÀ-Ý][\w'’-]+|[A-Z]\.|van|von|de|der|bin|al)){{0,3}}$"
)
_HAS_HONORIFIC = re.compile(rf"^{HONORIFIC}\s+")
# "DS, AT and MK", "ABF and NZCS", "Home Affairs & NZCS", "JT/ML"
_CONJUNCTS = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s*/\s*)\s*")


def initials_of(name: str) -> str:
    """ "Jane Thompson" → "JT", "Mr Kofi Asante" → "KA" (honorifics and post-nominals left out)."""
    name = _HAS_HONORIFIC.sub("", name.strip())
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", name) if not re.fullmatch(r"[A-Z]{2,4}", w)]
    return "".join(w[0].upper() for w in words if w[0].isupper())


class OwnerFinder:
    """Recognises owner phrases and says who each part of one is."""

    def __init__(self, people: tuple[Person, ...] = ()) -> None:
        self.people = people
        self._by_initials: dict[str, Person] = {}
        for person in people:
            for key in {person.initials, initials_of(person.name)}:
                if key:
                    self._by_initials.setdefault(key, person)

    def person(self, text: str) -> Person | None:
        """The participant ``text`` names: initials ("JT", "J.T."), the full name, the surname
        or first name ("Ms Acheampong", "Okafor")."""
        bare = text.strip().strip("()")
        key = bare.replace(".", "")
        if key in self._by_initials and _ACRONYM.match(bare):
            return self._by_initials[key]
        words = {fold(w) for w in re.findall(r"[^\W\d_][\w'’-]*", _HAS_HONORIFIC.sub("", bare))}
        words -= {"mr", "mrs", "ms", "dr"}
        if not words:
            return None
        for person in self.people:
            names = {fold(w) for w in re.findall(r"[^\W\d_][\w'’-]*", person.name)}
            if words <= names:
                return person
        return None

    def by_title(self, role: str) -> Person | None:
        """The one participant whose title is ``role`` ("the Programme Director")."""
        key = fold(re.sub(r"(?i)^the\s+", "", role))
        found = {
            p.name: p
            for p in self.people
            if p.title and (fold(p.title) == key or f"({key})" in fold(p.title))
        }  # "the Team Leader"; "the RTA" of "Resident Twinning Adviser (RTA)"
        return next(iter(found.values())) if len(found) == 1 else None

    def atom(self, text: str) -> Owner | None:
        """One owner that is neither a party nor a collective of parties, or None."""
        text = text.strip(" ,;:")
        if not text or len(text) > 90 or re.search(r"\d{3,}|\d[.,:/]\d", text):
            return None  # "Component 2 Leader" may act; "the 2024 report", "15.03" may not
        core = re.sub(r"\s*\([^()]*\)\s*$", "", text).strip()  # "Technical Lead (S. Okafor)"
        found = self.person(core) or self.by_title(core)
        if found is None and core != text:
            found = self.person(text[len(core) :])
        if found is not None:
            return Owner(text, "person", None, found.name)
        bare = re.sub(r"(?i)^(?:the|our|their|its)\s+", "", core)  # "the PIU"
        if _ACRONYM.match(bare) and bare.replace(".", "") not in _NOT_ACRONYMS:
            return Owner(text, "body")
        if _ROLE.match(core):
            return Owner(text, "body")
        # a name with an honorific, or two or three capitalised words that are no role
        if (
            _NAME.match(core)
            and not re.search(r"\d", core)
            and (_HAS_HONORIFIC.match(core) or 2 <= len(core.split()) <= 3)
        ):
            return Owner(text, "person", None, _HAS_HONORIFIC.sub("", core))
        return None

    def split(self, text: str) -> list[str]:
        return [part for part in _CONJUNCTS.split(text.strip()) if part]
