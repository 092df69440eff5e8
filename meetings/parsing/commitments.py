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

from .candidates import Candidate, Unit
from .merge import build_commitments, merge
from .owners import Person
from .parties import PartyResolver
from .reading import Reader
from .types import ParsedCommitment

__all__ = ["Candidate", "Unit", "extract_commitments"]


def extract_commitments(
    units: list[Unit],
    resolver: PartyResolver,
    next_event: dict[str, str],
    people: dict[str | None, tuple[Person, ...]] | None = None,
) -> list[ParsedCommitment]:
    """Every commitment of ``units``; ``people`` are the persons each meeting lists (by meeting
    code), to whom owners written as names or initials resolve."""
    extractor = Reader(resolver, next_event, people)
    candidates: list[Candidate] = []
    for unit in units:
        candidates.extend(extractor.unit(unit))
    return build_commitments(merge(candidates))
