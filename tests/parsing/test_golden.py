"""The seed bundle against what a careful reader records (fixtures/source/hca9_wg12_golden.json)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from meetings.parsing import PartyRegister, bundle_to_dict, parse_bundle
from meetings.parsing.normalize import fold

SOURCE = Path(__file__).resolve().parents[2] / "fixtures" / "source"
SEED = SOURCE / "hca9_wg12_bundle.txt"
GOLDEN = SOURCE / "hca9_wg12_golden.json"
PARTIES = {"AZ", "KZ", "KG", "TR", "UZ", "HU"}
MEMBER_STATES = {"AZ", "KZ", "KG", "TR", "UZ"}
STOP = {
    "the",
    "and",
    "of",
    "to",
    "on",
    "for",
    "with",
    "its",
    "their",
    "in",
    "a",
    "an",
    "by",
}


@pytest.fixture(scope="module")
def bundle():
    return parse_bundle(SEED.read_text(encoding="utf-8"), register=PartyRegister.ots())


@pytest.fixture(scope="module")
def golden():
    return json.loads(GOLDEN.read_text(encoding="utf-8"))["commitments"]


def expand(codes: list[str]) -> set[str]:
    out: set[str] = set()
    for code in codes:
        out |= {"PARTIES": PARTIES, "MEMBER_STATES": MEMBER_STATES}.get(code, {code})
    return out


def words(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", fold(text)) if len(w) > 3 and w not in STOP}


def matches(gold: dict, found) -> bool:
    """Strict: same parties, same deadline and precision (or same next-meeting event), a
    shared source (document + paragraph) and at least two shared content words in the action."""
    if set(found.responsible) != expand(gold["responsible"]):
        return False
    if gold.get("kind") == "event":
        if found.deadline is not None or not found.due_event or "HCA-10" not in found.due_event:
            return False
    elif gold["deadline"] is None:
        if found.deadline is not None or found.due_event is not None:
            return False
    elif (found.deadline, found.precision) != (
        dt.date.fromisoformat(gold["deadline"]),
        gold["precision"],
    ):
        return False
    gold_sources = {tuple(s.split()) for s in gold["sources"]}
    if not gold_sources & {(s.document_key, s.paragraph) for s in found.sources}:
        return False
    return len(words(gold["action"]) & words(found.action)) >= 2


def pair(golden, commitments) -> dict[str, object]:
    free = list(commitments)
    paired = {}
    for gold in golden:
        hit = next((c for c in free if matches(gold, c)), None)
        if hit is not None:
            paired[gold["id"]] = hit
            free.remove(hit)
    return paired


def test_every_dated_commitment_found_with_parties_date_and_precision(bundle, golden):
    paired = pair(golden, bundle.commitments)
    dated = [g["id"] for g in golden if g["deadline"]]
    assert len(dated) == 10
    assert [i for i in dated if i not in paired] == []


def test_next_meeting_commitments_found_as_events(bundle, golden):
    paired = pair(golden, bundle.commitments)
    assert "C03" in paired and "C11" in paired
    assert paired["C03"].due_event == "next HCA meeting (HCA-10)"


def test_overall_match_and_extras(bundle, golden):
    paired = pair(golden, bundle.commitments)
    missed = [g["id"] for g in golden if g["id"] not in paired]
    extra = [c.action for c in bundle.commitments if c not in paired.values()]
    assert len(paired) >= 21, missed
    assert len(extra) <= 2, extra


def test_same_obligation_in_several_documents_cites_every_source(bundle, golden):
    paired = pair(golden, bundle.commitments)
    c01 = {(s.document_key, s.paragraph) for s in paired["C01"].sources}
    assert c01 == {
        ("hca_minutes", "2"),
        ("hca_protocol", "2"),
        ("wg_minutes", "3"),
        ("note", "1"),
    }
    assert paired["C01"].partners == ("OTS",)


def test_documents(bundle):
    docs = {d.key: d for d in bundle.documents}
    assert list(docs) == [
        "note", "hca_minutes", "hca_agenda", "participants", "hca_protocol", "wg_minutes", "wg_agenda",
    ]  # fmt: skip
    note = docs["note"]
    assert (note.type, note.reference, note.date, note.place) == (
        "note_verbale", "Note-2023-1071", dt.date(2023, 12, 21), "Istanbul",
    )  # fmt: skip
    assert "Ministry of Foreign Affairs of the Kyrgyz Republic" in note.addressees
    assert len(docs["hca_protocol"].signatories) == 6
    assert docs["hca_protocol"].date == dt.date(2023, 12, 11)
    assert docs["participants"].meetings == ("HCA-9", "WG-12")
    assert docs["wg_minutes"].type == "agreed_minutes" and docs["wg_minutes"].meeting == "WG-12"


def test_meetings(bundle):
    meetings = {m.code: m for m in bundle.meetings}
    assert set(meetings) == {"HCA-9", "WG-12"}
    hca = meetings["HCA-9"]
    assert (hca.series_code, hca.number, hca.start_date, hca.city, hca.country) == (
        "HCA", 9, dt.date(2023, 12, 11), "Tashkent", "UZ",
    )  # fmt: skip
    assert hca.series_name == "Heads of Customs Administrations"
    assert hca.chair == "Akmalkhuja Mavlonov"
    assert set(hca.parties) == PARTIES
    wg = meetings["WG-12"]
    assert (wg.series_code, wg.number, wg.series_name) == (
        "WG",
        12,
        "Working Group on Customs Cooperation",
    )


def test_agendas_have_ten_items_and_sub_items(bundle):
    for meeting in bundle.meetings:
        assert [a.number for a in meeting.agenda] == [str(n) for n in range(1, 11)]
        assert [c.number for c in meeting.agenda[1].children] == ["2.1", "2.2"]
        assert meeting.agenda[1].children[0].title.startswith("Completing internal procedures")


def test_decisions(bundle):
    hca = next(m for m in bundle.meetings if m.code == "HCA-9")
    for key in ("hca_minutes", "hca_protocol"):
        numbers = [d.number for d in hca.decisions if d.document == key]
        assert numbers == [str(n) for n in range(1, 12)]
    first = next(d for d in hca.decisions if d.document == "hca_minutes" and d.number == "1")
    # the page break inside decision 1 is rejoined, the continuation stays with number 1
    assert "requested to support the work being conducted" in first.text
    wg = next(m for m in bundle.meetings if m.code == "WG-12")
    assert [(d.number, d.agenda_item) for d in wg.decisions][:3] == [
        ("1", "1"),
        ("2", "2"),
        ("3", "3"),
    ]


def test_participants(bundle):
    people = next(m for m in bundle.meetings if m.code == "HCA-9").participants
    assert len(people) == 26
    counts: dict[str | None, int] = {}
    for p in people:
        counts[p.party_code] = counts.get(p.party_code, 0) + 1
    assert counts == {"AZ": 2, "KZ": 4, "KG": 3, "TR": 4, "UZ": 8, "HU": 2, "OTS": 3}
    first = people[0]
    assert (first.honorific, first.name, first.title, first.order) == (
        "H.E.",
        "Shahin BAGHIROV",
        "Chairman",
        1,
    )
    by_name = {p.name: p for p in people}
    assert by_name["András János ZÓLYOM"].honorific == "Colonel, Mr."
    assert by_name["Ömer KOÇ"].honorific == "Mr. Dr."
    assert by_name["Kubanychbek OMURALIEV"].honorific == "H.E. Amb."
    for name in ("Sezai UÇARMAK", "Elyor KHAKİMOV", "Gizem ASMA ŞENEL", "Ágota KRISKÓ"):
        assert name in by_name
    assert by_name["Sezai UÇARMAK"].party_text == "Türkiye"


def test_deterministic():
    """The same text gives the same structure, every time (the bench times the parse)."""
    text = SEED.read_text(encoding="utf-8")
    register = PartyRegister.ots()
    first = bundle_to_dict(parse_bundle(text, register=register))
    assert json.dumps(first, sort_keys=True) == json.dumps(
        bundle_to_dict(parse_bundle(text, register=register)), sort_keys=True
    )
