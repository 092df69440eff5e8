"""Which row of the register a parsed item restates: a person spelled another way, and a
commitment stated again (reworded, with a moved deadline, or under another import key because
the bundle around it changed).

A commitment matches one of the same meeting that has the same import key, or that is stated
in the same decision or paragraph with a similar action (difflib's ratio). Pairs are taken best
first, so two obligations of one paragraph each keep their own commitment."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from actions.models import Commitment, CommitmentSource
from meetings.models import ImportedCommitment
from meetings.parsing.normalize import fold
from parties.models import Person

from .keys import key_anchor

NAME_WORD_RATIO = 0.8  # Akmalhuja/Akmalkhuja, Duysembiev/DUISEMBIEV, Ermek/Yermek
SAME_PLACE_RATIO = 0.6  # an action restated in the same decision or paragraph
UNRECORDED_RATIO = 0.8  # a commitment entered by hand, never imported: nearly the same words
KEY_BONUS = 0.25  # the same import key breaks ties between similar candidates


def variant_of(name: str, candidates: Iterable[Person]) -> Person | None:
    """The person a differently spelled name means: same number of words, each word close."""
    words = fold(name).split()
    best = None
    for person in candidates:
        other = fold(person.name).split()
        if len(other) != len(words):
            continue
        ratios = [
            difflib.SequenceMatcher(None, a, b).ratio() for a, b in zip(words, other, strict=True)
        ]
        if min(ratios) >= NAME_WORD_RATIO and (best is None or min(ratios) > best[0]):
            best = (min(ratios), person)
    return best[1] if best else None


@dataclass
class Held:
    """A commitment the register holds for a meeting of the file (or one dropped in review:
    ``commitment`` None), with where it is stated."""

    record: ImportedCommitment | None
    commitment: Commitment | None
    action: str
    decision: int | None
    places: set[tuple[str, str]] = field(default_factory=set)  # (document key, paragraph)

    @property
    def key(self) -> str | None:
        return self.record.key if self.record is not None else None


@dataclass(frozen=True)
class Stated:
    """A commitment of the file: its import key, action, decision and places."""

    key: str
    action: str
    decision: int | None
    places: frozenset[tuple[str, str]]


def held_commitments(meeting_ids: set[int]) -> dict[int, list[Held]]:
    """Per meeting: every imported record (with its commitment, or dropped) and every
    commitment entered without an import."""
    held: dict[int, list[Held]] = {m: [] for m in meeting_ids}
    records = ImportedCommitment.objects.filter(meeting_id__in=meeting_ids).select_related(
        "commitment__decision", "commitment__meeting__series"
    )
    linked = set()
    for record in records:
        c = record.commitment
        linked.add(record.commitment_id)
        held[record.meeting_id].append(
            Held(
                record=record,
                commitment=c,
                action=record.parsed.get("action") or (c.action if c else ""),
                decision=c.decision.number if c is not None and c.decision else None,
                places={key_anchor(record.key)},
            )
        )
    others = (
        Commitment.objects.filter(meeting_id__in=meeting_ids)
        .exclude(pk__in=[pk for pk in linked if pk])
        .select_related("decision", "meeting__series")
    )
    for c in others:
        held[c.meeting_id].append(
            Held(None, c, c.action, c.decision.number if c.decision else None)
        )
    sources = CommitmentSource.objects.filter(commitment__meeting_id__in=meeting_ids).values_list(
        "commitment_id", "document__key", "paragraph"
    )
    by_commitment = {h.commitment.pk: h for hs in held.values() for h in hs if h.commitment}
    for commitment_id, document_key, paragraph in sources:
        if commitment_id in by_commitment:
            by_commitment[commitment_id].places.add((document_key, paragraph))
    return held


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, fold(a), fold(b), autojunk=False).ratio()


def _score(stated: Stated, held: Held) -> float | None:
    same_key = held.key == stated.key
    same_place = bool(stated.places & held.places) or (
        stated.decision is not None and stated.decision == held.decision
    )
    if not same_key and not same_place:
        return None
    ratio = similarity(stated.action, held.action)
    if same_key:
        return ratio + KEY_BONUS
    needed = SAME_PLACE_RATIO if held.record is not None else UNRECORDED_RATIO
    return ratio if ratio >= needed else None


def match_commitments(stated: list[Stated], held: list[Held]) -> dict[str, Held]:
    """Import key of the file -> the held commitment it restates, best pairs first."""
    pairs = []
    for i, s in enumerate(stated):
        for j, h in enumerate(held):
            score = _score(s, h)
            if score is not None:
                pairs.append((-score, i, j))
    pairs.sort()
    matched: dict[str, Held] = {}
    taken: set[int] = set()
    for _negative_score, i, j in pairs:
        if stated[i].key in matched or j in taken:
            continue
        matched[stated[i].key] = held[j]
        taken.add(j)
    return matched
