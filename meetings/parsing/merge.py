"""Merging: the same obligation stated in several documents is one commitment citing every
source (same responsible parties and deadline, and a similar action)."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from .candidates import Candidate
from .normalize import fold
from .owners import Owner
from .types import Deadline, ParsedCommitment, Source, UnknownParty

_STOP = {
    "the", "a", "an", "of", "to", "and", "or", "in", "on", "for", "with", "by", "at", "its",
    "their", "it", "them", "this", "that", "as", "be", "will", "shall", "side", "sides",
    "parties", "party", "from", "into", "upon", "such", "said", "is", "are", "was", "were",
    "has", "have",
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
    if c.resolution.owners:
        return frozenset(_owner_key(o) for o in c.resolution.owners)
    return frozenset(code if code else f"?{fold(c.resolution.text)}" for code in c.resolution.codes)


_EVERYONE = {"", "members", "participants", "parties", "delegations", "everyone", "everybody"}


def _owner_key(owner: Owner) -> str:
    """One key per owner however written: "the PIU" and "PIU"; "All" and "All members"."""
    if owner.kind == "party" and owner.code:
        return owner.code
    if owner.person:
        return f"@{fold(owner.person)}"
    text = re.sub(r"^(?:the|all|each|every|both)\s+|^all$", "", fold(owner.text))
    text = re.sub(r"\s*\(.*?\)", "", text).strip()
    return "*all" if text in _EVERYONE else f"?{owner.code or text}"


def same_owners(a: Candidate, b: Candidate) -> bool:
    return _key(a) == _key(b)


def _owners(c: Candidate) -> tuple[Owner, ...]:
    """Who is responsible, one per name; for a party expression, one per party."""
    if c.resolution.owners:
        return c.resolution.owners
    unknown = iter(c.resolution.unknown)
    out = []
    for code in c.resolution.codes:
        if code is None:
            u = next(unknown, None)
            out.append(
                Owner(
                    u.text if u else c.resolution.text, "new_party", u.suggested_code if u else None
                )
            )
        else:
            out.append(Owner(c.resolution.text, "party", code))
    return tuple(out)


def _vague(action: str) -> bool:
    """An action that says little on its own: "Complete it", "Do so", "Follow up"."""
    return len(_tokens(action) - {"it", "so", "this", "them", "up", "same"}) < 2


def _deadline_key(d: Deadline | None) -> tuple[object, ...] | None:
    if d is None:
        return None
    if d.due_event:
        return ("event", fold(d.due_event))
    return (d.date, d.precision)


@dataclass
class Cluster:
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
    if ka[0] == kb[0] == "event" and all(str(k[1]).startswith("next ") for k in (ka, kb)):
        # "before the next meeting" in the minutes of two meetings held together (HCA and WG):
        # the same obligation when the wording is close
        return 0.6
    return None


def merge(candidates: list[Candidate]) -> list[Cluster]:
    priority = {"agreed_minutes": 0, "protocol": 1, "other": 2, "note_verbale": 3}
    ordered = sorted(candidates, key=lambda c: (priority.get(c.source.document, 2), c.order))
    clusters: list[Cluster] = []
    keys = {id(c): _key(c) for c in ordered}
    for cand in ordered:
        best, best_score = None, 0.0
        for cluster in clusters:
            # within one document, only an action table, log or list restates a statement
            if any(
                m.source.document_key == cand.source.document_key and m.restated == cand.restated
                for m in cluster.members
            ):
                continue
            head = cluster.head
            head_key, cand_key = keys[id(head)], keys[id(cand)]
            same = head_key == cand_key
            nested = head.generic != cand.generic and (head_key <= cand_key or cand_key <= head_key)
            # a log restating a statement may name its owners otherwise ("both agencies" /
            # "Home Affairs and NZCS"): then the deadline must be the same and the wording close
            loose = (
                not same
                and not nested
                and cand.restated != head.restated
                and _deadline_key(head.deadline) == _deadline_key(cand.deadline)
            )
            if not same and not nested and not loose:
                continue
            threshold = _threshold(head.deadline, cand.deadline)
            if threshold is None:
                continue
            if nested or loose:
                threshold = max(threshold, 0.6 if nested else 0.5)
            elif cand.restated != head.restated:
                threshold = min(threshold, 0.35)  # a log restates tersely: "circulate the report"
            score = similarity(head.action, cand.action)
            if same and score < threshold and _vague(head.action) and cand.restated:
                # "Lina will complete it by the end of June" / the log: "Lina - finish the
                # comparison of code lists - end of June": the same owner and day say it is one
                score = (
                    threshold
                    if _deadline_key(head.deadline) == _deadline_key(cand.deadline)
                    and head.deadline
                    else score
                )
            # a statement with the same deadline beats a closer wording with another one
            rank = score + (
                1.0 if _deadline_key(head.deadline) == _deadline_key(cand.deadline) else 0.0
            )
            if score >= threshold and rank > best_score:
                best, best_score = cluster, rank
        if best is None:
            clusters.append(Cluster(cand, [cand]))
            continue
        best.members.append(cand)
        if _vague(best.head.action) and not _vague(cand.action):
            best.head.action = cand.action  # the log says what "it" is
        if best.head.deadline is None and cand.deadline is not None:
            best.head.deadline = cand.deadline
        if (
            best.head.generic
            and not cand.generic
            or keys[id(best.head)] != keys[id(cand)]
            and cand.restated
        ):
            # the specific owners win over "the Parties"; a log's named owners over a
            # statement's "both agencies"
            best.head.resolution, best.head.generic = cand.resolution, cand.generic
            keys[id(best.head)] = keys[id(cand)]
        best.head.partners = tuple(sorted(set(best.head.partners) | set(cand.partners)))
    return clusters


def build_commitments(clusters: list[Cluster]) -> list[ParsedCommitment]:
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
                owners=_owners(head),
            )
        )
    return out
