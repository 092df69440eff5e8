"""Held-out minutes: invented but realistic minutes of other bodies (a project steering
committee, a working group with ACTION lines, a programme board with an action log, two
governments' heads of customs, two governments' permanent heads, a programme management
committee) and one OTS bundle unlike the seed, each beside what a careful reader records
(tests/parsing/heldout/<name>.json).

They are read the way the importer is scored: ``import_minutes PATH --dry-run --format json``
with no other option, against the OTS register. A commitment counts when its owner, its
deadline and its action all match; the score is the micro-F1 over the set."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from meetings.management.commands.build_fixtures import REVIEW, register_parties
from meetings.parsing.normalize import fold

HELDOUT = Path(__file__).resolve().parent / "heldout"
# OTS bundles unlike the seed: an 11th HCA meeting, and a 10th HCA meeting with the 13th WG
# meeting, a note verbale and WG minutes that name no attendance
OTS = sorted(p.stem for p in HELDOUT.glob("ots_*.json"))
OTHERS = sorted(p.stem for p in HELDOUT.glob("*.json") if p.stem not in OTS)
_NOISE = {"the", "and", "of", "all", "each", "both"}

pytestmark = pytest.mark.django_db


def _words(text: str) -> set[str]:
    words = set(re.findall(r"[a-z0-9]+", fold(text)))
    return words - _NOISE or words  # "All" is an owner too


def owner_matches(gold: dict, found: dict) -> bool:
    if "codes" in gold:
        codes = {c for c in found["responsible"] if c}
        codes |= {u["suggested_code"] for u in found["unknown_parties"] if u["suggested_code"]}
        return codes == set(gold["codes"])
    have = _words(found["responsible_text"])
    for owner in found.get("owners", []):
        have |= _words(owner.get("person") or "")
    return any(
        (want := _words(name)) and (want <= have or have and have <= want) for name in gold["owner"]
    )


def deadline_matches(gold: dict, found: dict) -> bool:
    if gold["deadline"] == "event":
        return found["deadline"] is None and bool(found["due_event"])
    if gold["deadline"] is None:  # no date: an event the minutes do not date is no date either
        return found["deadline"] is None
    return found["deadline"] == gold["deadline"]


def action_matches(gold: dict, found: dict) -> bool:
    have = {w[:5] for w in re.findall(r"[a-z0-9-]+", fold(found["action"]))}
    keys = [fold(k)[:5] for k in gold["keywords"]]
    return sum(k in have for k in keys) >= math.ceil(len(keys) / 2)


def matches(gold: dict, found: dict) -> bool:
    return (
        owner_matches(gold, found) and deadline_matches(gold, found) and action_matches(gold, found)
    )


def read(name: str) -> list[dict]:
    path = next(p for p in HELDOUT.iterdir() if p.stem == name and p.suffix != ".json")
    out = io.StringIO()
    call_command("import_minutes", str(path), "--dry-run", "--format", "json", stdout=out)
    return json.loads(out.getvalue())["commitments"]


def score(names: list[str]) -> tuple[float, dict[str, dict]]:
    """Micro-F1 over ``names`` and, per text, what was missed and what was extra."""
    tp = found_total = gold_total = 0
    report = {}
    for name in names:
        gold = json.loads((HELDOUT / f"{name}.json").read_text(encoding="utf-8"))["commitments"]
        free = read(name)
        found_total += len(free)
        gold_total += len(gold)
        missed = []
        for want in gold:
            hit = next((c for c in free if matches(want, c)), None)
            if hit is None:
                missed.append(
                    (want["owner"] or want.get("codes"), want["deadline"], want["keywords"])
                )
            else:
                free.remove(hit)
                tp += 1
        report[name] = {
            "missed": missed,
            "extra": [
                (c["responsible_text"], c["deadline"], c["due_event"], c["action"]) for c in free
            ],
        }
    precision = tp / found_total if found_total else 0.0
    recall = tp / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, report


@pytest.fixture
def register(db):
    register_parties(json.loads(REVIEW.read_text(encoding="utf-8"))["parties"])


def test_heldout_set_is_varied():
    assert len(OTHERS) >= 6 and len(OTS) >= 1
    assert {p.suffix for p in HELDOUT.iterdir()} >= {".txt", ".md", ".json"}


def test_other_bodies_minutes_score_at_least_0_6(register):
    f1, report = score(OTHERS)
    assert f1 >= 0.6, json.dumps(report, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("name", OTS)
def test_ots_bundle_scores_at_least_0_95(register, name):
    f1, report = score([name])
    assert f1 >= 0.95, json.dumps(report, indent=1, ensure_ascii=False)
