"""Unseen minutes: invented texts in other bodies' styles, each against what a careful reader
records (tests/parsing/corpus/<name>.json). The bar is per text: most commitments found with
the right parties and deadline, few extras, and the meeting read correctly."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path

import pytest

from meetings.parsing import PartyRegister, RegisteredParty, parse_bundle
from meetings.parsing.normalize import fold
from meetings.parsing.parties import country_name

CORPUS = Path(__file__).resolve().parent / "corpus"
NAMES = sorted(p.stem for p in CORPUS.glob("*.json"))
MIN_RECALL = 0.8
MAX_EXTRA = 1


def load(name: str) -> tuple[str, dict]:
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    return text, json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))


def register_for(spec) -> PartyRegister:
    """The register the body's secretariat would have: its states, and itself as "OTS"."""
    if spec == "ots":
        return PartyRegister.ots()
    rows = [
        RegisteredParty(code, country_name(code) or code, kind)
        for kind in ("member", "observer")
        for code in spec.get(kind, ())
    ]
    # the body's own secretariat stands in the register as "OTS" (the code the app uses)
    aliases = tuple(spec.get("secretariat_aliases", ()))
    rows.append(RegisteredParty("OTS", "Secretariat", "secretariat", aliases))
    return PartyRegister(tuple(rows))


def expand(codes: list[str], register: PartyRegister, expected: dict) -> set[str]:
    states = set(expected.get("parties") or register.codes("member", "observer"))
    members = states & set(register.codes("member"))
    out: set[str] = set()
    for code in codes:
        out |= {"PARTIES": states, "MEMBER_STATES": members}.get(code, {code})
    return out


def stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z0-9-]+", fold(text)) if len(w) > 2}


def matches(gold: dict, found, register: PartyRegister, expected: dict) -> bool:
    if set(found.responsible) != expand(gold["responsible"], register, expected):
        return False
    if gold.get("event"):
        if found.deadline is not None or not found.due_event:
            return False
    elif gold["deadline"] is None:
        if found.deadline is not None or found.due_event is not None:
            return False
    elif (found.deadline, found.precision) != (
        dt.date.fromisoformat(gold["deadline"]),
        gold["precision"],
    ):
        return False
    if len(found.sources) < gold.get("sources", 1):
        return False
    keys = [k[:5] for k in (fold(k) for k in gold["keywords"])]
    have = stems(found.action)
    return sum(k in have for k in keys) >= math.ceil(len(keys) / 2)


def score(name: str) -> dict:
    text, expected = load(name)
    register = register_for(expected["register"])
    bundle = parse_bundle(text, register=register)
    free = list(bundle.commitments)
    missed = []
    for gold in expected["commitments"]:
        hit = next((c for c in free if matches(gold, c, register, expected)), None)
        if hit is None:
            missed.append(gold["keywords"])
        else:
            free.remove(hit)
    total = len(expected["commitments"])
    return {
        "bundle": bundle,
        "expected": expected,
        "recall": (total - len(missed)) / total,
        "missed": missed,
        "extra": [(c.responsible, c.action, c.deadline_text, c.due_event) for c in free],
    }


def test_corpus_is_varied():
    assert len(NAMES) >= 15
    for name in NAMES:
        lines = (CORPUS / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        # a one-page summary record (20-odd lines) up to a full set of minutes
        assert 20 <= len(lines) <= 120, name


@pytest.mark.parametrize("name", NAMES)
def test_commitments(name):
    result = score(name)
    assert result["recall"] >= MIN_RECALL, result["missed"]
    assert len(result["extra"]) <= MAX_EXTRA, result["extra"]


@pytest.mark.parametrize("name", NAMES)
def test_meeting(name):
    result = score(name)
    want = result["expected"]["meeting"]
    meetings = result["bundle"].meetings
    assert len(meetings) == 1, [m.code for m in meetings]
    got = meetings[0]
    assert got.number == want["number"]
    assert got.start_date == dt.date.fromisoformat(want["start_date"])
    if "end_date" in want:
        assert got.end_date == dt.date.fromisoformat(want["end_date"])
    assert got.city == want["city"]
    # the series is named as written: the expected name leads, no city or date glued on
    assert fold(got.series_name).startswith(fold(want["series_name"])), got.series_name
    assert fold(want["city"]) not in fold(got.series_name)
    assert not re.search(r"\d", got.series_name)
    assert re.fullmatch(r"[A-Z][A-Z0-9]{1,7}", got.series_code)


if __name__ == "__main__":  # per-text scores: python -m tests.parsing.test_corpus
    for name in NAMES:
        try:
            r = score(name)
            print(f"{name:18} recall {r['recall']:.2f}  extra {len(r['extra'])}")
        except Exception as exc:  # noqa: BLE001 - a report, not a test
            print(f"{name:18} ERROR {type(exc).__name__}: {exc}")
