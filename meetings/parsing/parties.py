"""Party expressions: "Turkish side", "Kazakh and Kyrgyz sides", "the Parties", "the Secretariat".

A ``PartyRegister`` (supplied by the caller, normally from the database) says which parties
exist and of which kind. Countries the register does not know are still recognised through
the gazetteer and come back with code None and a suggested code and name to create.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .gazetteer import COUNTRIES
from .normalize import fold, fold_keep_length
from .owners import Owner
from .types import PartyKind, UnknownParty

PARTIES = "PARTIES"
MEMBER_STATES = "MEMBER_STATES"
HOSTS = "HOSTS"
HOST_COUNTRY = "HOST_COUNTRY"
SECRETARIAT = "SECRETARIAT"
STATE_KINDS = ("member", "observer")


@dataclass(frozen=True)
class RegisteredParty:
    code: str
    name: str
    kind: PartyKind
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartyRegister:
    parties: tuple[RegisteredParty, ...]

    def get(self, code: str | None) -> RegisteredParty | None:
        return next((p for p in self.parties if p.code == code), None)

    def codes(self, *kinds: str) -> tuple[str, ...]:
        return tuple(p.code for p in self.parties if p.kind in kinds)

    @property
    def secretariat(self) -> str | None:
        found = self.codes("secretariat")
        return found[0] if found else None

    @classmethod
    def ots(cls) -> PartyRegister:
        """The Organization of Turkic States as of 2024 (useful default and in tests)."""
        rows: list[RegisteredParty] = [
            RegisteredParty(code, name, "member")
            for code, name in (
                ("AZ", "Azerbaijan"),
                ("KZ", "Kazakhstan"),
                ("KG", "Kyrgyzstan"),
                ("TR", "Türkiye"),
                ("UZ", "Uzbekistan"),
            )
        ]
        rows += [
            RegisteredParty("HU", "Hungary", "observer"),
            RegisteredParty("TM", "Turkmenistan", "observer"),
            RegisteredParty("TRNC", "Turkish Republic of Northern Cyprus", "observer"),
            RegisteredParty(
                "OTS",
                "Secretariat of the Organization of Turkic States",
                "secretariat",
                ("OTS Secretariat", "Organization of Turkic States", "OTS"),
            ),
            RegisteredParty("GE", "Georgia", "guest"),
        ]
        return cls(tuple(rows))


@dataclass(frozen=True)
class Mention:
    kind: str  # "country", "registered", PARTIES, MEMBER_STATES, HOSTS, SECRETARIAT
    code: str | None  # gazetteer or register code
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Resolution:
    codes: tuple[str | None, ...]
    text: str
    mentions: tuple[Mention, ...]
    unknown: tuple[UnknownParty, ...] = ()
    # who each name of the text is, when they are not all parties ("JT and the PIU")
    owners: tuple[Owner, ...] = ()

    @property
    def state_codes(self) -> tuple[str, ...]:
        """The parties named, with the states the register does not know (their codes)."""
        proposed = tuple(
            u.suggested_code
            for u in self.unknown
            if u.suggested_code and not (u.suggested_name or "").startswith("Secretariat")
        )
        return tuple(c for c in self.codes if c) + proposed

    @property
    def collective(self) -> str | None:
        kinds = {m.kind for m in self.mentions}
        for kind in (HOSTS, MEMBER_STATES, PARTIES):
            if kind in kinds:
                return kind
        return None


_COLLECTIVES: tuple[tuple[str, str], ...] = (
    (HOSTS, r"(?:the\s+)?(?:parties|sides|countries|states)\s+hosting\s+(?:the\s+)?(?:following\s+|above\s+|said\s+)?(?:activities|events|programmes|programs)"),
    (HOSTS, r"(?:the\s+)?host(?:ing)?\s+(?:parties|sides|countries)"),
    (MEMBER_STATES, r"(?:the\s+)?(?:customs\s+(?:administrations|services|authorities)\s+of\s+(?:the\s+)?)?(?:ots\s+)?member\s+(?:states|countries)(?!\s+and\s+observer)"),
    (PARTIES, r"(?:the\s+)?(?:customs\s+(?:administrations|services|authorities)\s+of\s+(?:the\s+)?)?(?:member\s+and\s+observer|participating)\s+(?:states|countries|parties)"),
    (PARTIES, r"(?:all\s+(?:the\s+)?|both\s+|each\s+|the\s+)?(?:contracting\s+)?(?:parties|party)\b|(?:all\s+(?:the\s+)?|both|each|the|two)\s+sides?\b"),
    # "Participants committed to ..." (a communiqué): those who took part
    (PARTIES, r"(?:all\s+(?:the\s+)?|the\s+|both\s+)delegations\b|(?:both|all\s+(?:the\s+)?|the\s+two)\s+(?:customs\s+)?administrations\b|(?:all\s+(?:the\s+)?|the\s+)?participants\b"),
    (HOST_COUNTRY, r"(?:the\s+)?host\s+(?:country|state|party|side|administration)(?:\s+of\s+the\s+meeting)?"),
    (MEMBER_STATES, r"(?:all\s+(?:the\s+)?)?members\b(?!\s+of\b)"),
    (PARTIES, r"(?:all\s+(?:the\s+)?)?participating\s+(?:customs\s+)?(?:administrations|services|authorities|delegations)"),
    # the body's own secretariat, however the body is named: "the Secretariat of the CIS",
    # "the ECO Secretariat", "the OTS Secretariat"; the register says which party it is
    (SECRETARIAT, r"(?:the\s+)?(?:(?:ots|[a-z]{2,6})\s+)?secretariat(?:\s+of\s+the\s+(?:ots|organi[sz]ation\s+of\s+turkic\s+states|(?:[a-z][\w-]*\s+){1,4}?(?:council|union|commission|community|organi[sz]ation|forum|group)\b|[a-z]{2,6}\b(?!\s+of\b)))?|(?:the\s+)?secretary[\s-]general"),
)  # fmt: skip
_FILLER = re.compile(
    r"\b(?:the|all|both|each|and|as|well|also|hereby|respective|relevant|competent|sides?|"
    r"delegations?|customs|administrations?|services?|authorities|authority|committee|of|"
    r"governments?|republic|representatives?|heads?|jointly|together|state|national|their|its|"
    r"revenue|fiscal|tax|border|agency|department|general|directorate|ministry|finance|"
    r"economy|under|main|federal|people'?s)\b"
    r"|[,&]"
)


@functools.lru_cache(maxsize=32)
def _atom_pattern(
    register: PartyRegister | None,
) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """One regex over folded text; the lookup maps each folded name to (kind, code)."""
    lookup: dict[str, tuple[str, str]] = {}
    for code, name, others, adjectives in COUNTRIES:
        for spelling in (name, *others, *adjectives):
            lookup.setdefault(fold(spelling), ("country", code))
    if register is not None:
        for party in register.parties:
            if party.kind == "secretariat":
                continue
            for spelling in (party.name, *party.aliases):
                lookup[fold(spelling)] = ("registered", party.code)
    names = sorted(lookup, key=len, reverse=True)
    collectives = "|".join(f"(?P<c{i}>{rx})" for i, (_, rx) in enumerate(_COLLECTIVES))
    alternation = "|".join(re.escape(n) for n in names)
    pattern = re.compile(rf"(?<![\w-])(?:{collectives}|(?P<name>{alternation}))(?![\w])")
    return pattern, lookup


class PartyResolver:
    """Finds and resolves party expressions against a register."""

    def __init__(self, register: PartyRegister | None = None) -> None:
        self.register = register
        self._pattern, self._lookup = _atom_pattern(register)

    def mentions(self, text: str) -> list[Mention]:
        folded = fold_keep_length(text)
        found: list[Mention] = []
        for m in self._pattern.finditer(folded):
            raw = text[m.start() : m.end()]
            if m["name"] is not None:
                kind, code = self._lookup[m["name"]]
                found.append(Mention(kind, code, raw, m.start(), m.end()))
                continue
            for i, (kind, _) in enumerate(_COLLECTIVES):
                if m[f"c{i}"] is not None:
                    code = None
                    if kind == SECRETARIAT:
                        code = (self.register.secretariat if self.register else None) or "OTS"
                        if not self._own_secretariat(raw):
                            code = None  # "the CIS Secretariat" in an OTS register
                    found.append(Mention(kind, code, raw, m.start(), m.end()))
                    break
        return found

    def _own_secretariat(self, raw: str) -> bool:
        """Whether "the ECO Secretariat" / "the Secretariat of the CIS" is the register's own
        secretariat: an acronym in capitals names the body, and it must be the register's
        (its name or an alias); "the Secretariat", "the joint Secretariat" are."""
        found = re.findall(r"\b[A-Z]{2,6}\b", raw)
        # "the Secretariat of the Turkic Council": a body named in words must be the register's
        body = re.search(r"(?i)secretariat\s+of\s+the\s+(.+)$", raw)
        if body and not found and not re.fullmatch(r"[A-Z]{2,6}", body[1].strip()):
            named = fold(body[1])
            if self.register is None:
                return named == "organization of turkic states"
            own = next((p for p in self.register.parties if p.kind == "secretariat"), None)
            names = {fold(n) for n in (own.name, *own.aliases)} if own else set()
            return named in names or f"secretariat of the {named}" in names
        if not found or self.register is None:
            return True
        own = next((p for p in self.register.parties if p.kind == "secretariat"), None)
        if own is None:
            return False
        names = {fold(n) for n in (own.name, *own.aliases)} | {fold(own.code)}
        return all(fold(a) in names for a in found)

    def named_states(self, text: str) -> tuple[str, ...]:
        """The states ``text`` names one by one ("attended by ... of the Republic of Azerbaijan,
        ... Hungary"), known to the register or not; "the Parties" and other collectives, which
        the sentence defines rather than names, are left out."""
        found = self.mentions(text)
        # "with the participation of the Member and Observer States" names no one: who came is
        # not said ("... Hungary (hereinafter the "Parties")" defines, and names them all)
        defined = re.search(r"(?i)\bhereinafter\b", text)
        if any(
            m.kind in (PARTIES, MEMBER_STATES)
            and not (defined and m.start > defined.start())
            # "the delegations of Azerbaijan ...", "Participants: ..." (a label) enumerate
            and not re.match(r"\s+of\b|\s*:", text[m.end :])
            for m in found
        ):
            return ()
        codes = []
        for mention in found:
            if mention.kind in ("country", "registered") and mention.code not in codes:
                codes.append(mention.code)
        return tuple(c for c in codes if c)

    def is_party_expression(self, text: str) -> bool:
        """True when ``text`` names parties and nothing else ("the Kazakh and Kyrgyz sides")."""
        text = text.strip(" ,;:")
        if not text or len(text) > 160:
            return False
        found = self.mentions(text)
        if not found:
            return False
        rest = fold_keep_length(text)
        for mention in reversed(found):
            rest = rest[: mention.start] + " " + rest[mention.end :]
        rest = _FILLER.sub(" ", rest)
        rest = re.sub(r"\bots\b|\(.*?\)|['’]s\b", " ", rest)
        return not rest.strip()

    def resolve(
        self,
        text: str,
        *,
        meeting_parties: tuple[str, ...] = (),
        hosts: tuple[str, ...] = (),
        host_country: str | None = None,
    ) -> Resolution:
        """Codes named by ``text``; collectives expand to the parties of the meeting."""
        found = self.mentions(text)
        codes: list[str | None] = []
        unknown: list[UnknownParty] = []
        for mention in found:
            if mention.kind == SECRETARIAT:
                codes.append(mention.code)
                if mention.code is None:  # another body's secretariat: proposed as "CIS"
                    acronyms = re.findall(r"\b[A-Z]{2,6}\b", mention.text)
                    # "the Secretariat of the Eurasian Economic Commission": the initials
                    named = re.sub(r"(?i)^.*?secretariat\s+of\s+the\s+", "", mention.text)
                    body = acronyms[-1] if acronyms else _initials(named)
                    unknown.append(
                        UnknownParty(
                            mention.text,
                            body,
                            f"Secretariat of the {named if not acronyms else body}",
                        )
                    )
            elif mention.kind in (PARTIES, MEMBER_STATES):
                states = (
                    self.state_parties(meeting_parties)
                    if mention.kind == PARTIES
                    else self.member_states(meeting_parties)
                )
                for code in states:
                    # a state that took part but that the register does not know: proposed
                    if self.register is not None and self.register.get(code) is None:
                        codes.append(None)
                        unknown.append(
                            UnknownParty(country_name(code) or code, code, country_name(code))
                        )
                    else:
                        codes.append(code)
            elif mention.kind == HOSTS:
                codes.extend(hosts)
            elif mention.kind == HOST_COUNTRY and host_country:
                codes.append(host_country)
            elif mention.kind == "registered":
                codes.append(mention.code)
            else:
                code = mention.code
                if self.register is None or self.register.get(code) is not None:
                    codes.append(code)
                else:
                    codes.append(None)
                    unknown.append(UnknownParty(mention.text, code, country_name(code)))
        ordered = tuple(sorted({c for c in codes if c})) + tuple(None for c in codes if c is None)
        return Resolution(ordered, text.strip(), tuple(found), tuple(unknown))

    def state_parties(self, meeting_parties: tuple[str, ...]) -> tuple[str, ...]:
        if meeting_parties:
            return meeting_parties
        if self.register is not None:
            return self.register.codes(*STATE_KINDS)
        return ()

    def member_states(self, meeting_parties: tuple[str, ...]) -> tuple[str, ...]:
        if self.register is None:
            return meeting_parties
        members = self.register.codes("member")
        if meeting_parties:
            return tuple(c for c in meeting_parties if c in members)
        return members

    def country_code(self, text: str) -> str | None:
        """Gazetteer/register code of a single name ("TÜRKİYE", "Kyrgyz Republic")."""
        hit = self._lookup.get(fold(text).strip(" .,;:"))
        return hit[1] if hit else None


def _initials(name: str) -> str:
    words = re.findall(r"[A-Za-z][\w'-]*", name)
    return "".join(w[0].upper() for w in words if w.lower() not in ("of", "the", "and"))[:8]


def country_name(code: str | None) -> str | None:
    return next((name for c, name, _, _ in COUNTRIES if c == code), None)
