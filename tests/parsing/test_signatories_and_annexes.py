"""Signature blocks, annex labels and document titles: the seed and an invented bundle in
another layout ("For ..." lines, a name in capitals, name and title on one line, "Annex 2"
headings, "attached as Annex 1")."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetings.parsing import PartyRegister, Signatory, bundle_to_dict, parse_bundle
from meetings.parsing.structure import annex_label, annex_references, signature_block

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "source" / "hca9_wg12_bundle.txt"

INVENTED = """\
MINUTES
OF THE 3RD MEETING OF THE COMMITTEE ON TRANSPORT COOPERATION

(5 March 2025, Baku)

The 3rd Meeting of the Committee on Transport Cooperation was held on 5 March 2025 in Baku \
with the participation of the delegations of Azerbaijan, Hungary and Türkiye.

The Parties adopted the annotated agenda of the meeting, attached as Annex 1.

The Parties agreed as follows:

1. Azerbaijani side will circulate the draft rules on transit permits to the Parties by \
1 June 2025.

2. Hungarian side will host the next meeting in 2026.

Done in Baku on 5 March 2025, in two originals in English.

For the Republic of Azerbaijan:

RAUF MAMMADOV
Deputy Minister of Digital Development
and Transport,

For Hungary
Ms. Anna Kovács, State Secretary for Transport

__Mr. Emre Yıldız__ - Director General of Foreign Trade
Ministry of Trade of the Republic of Türkiye

PROVISIONAL AGENDA

1. Opening of the meeting.
2. Transit permits.

Annex 2
LIST OF DELEGATIONS

AZERBAIJAN

1. Mr. Rauf MAMMADOV - Deputy Minister of Digital Development and Transport

HUNGARY

1. Ms. Anna KOVÁCS - State Secretary for Transport

TÜRKİYE

1. Mr. Emre YILDIZ - Director General of Foreign Trade
"""


@pytest.fixture(scope="module")
def seed():
    bundle = parse_bundle(SEED.read_text(encoding="utf-8"), register=PartyRegister.ots())
    return {d.key: d for d in bundle.documents}


@pytest.fixture(scope="module")
def invented():
    bundle = parse_bundle(INVENTED, register=PartyRegister.ots())
    return {d.key: d for d in bundle.documents}


def test_seed_signatories_are_honorific_name_and_title(seed):
    protocol = seed["hca_protocol"].signatories
    assert [s.name for s in protocol] == [
        "Shahin Baghirov", "Zhandos Duysembiev", "Samat Isabekov", "Sezai Uçarmak",
        "Akmalhuja Mavlonov", "Kubanychbek Omuraliev",
    ]  # fmt: skip
    assert protocol[0] == Signatory(
        "Shahin Baghirov", "H.E.", "Chairman of the State Customs Committee of the Republic of "
        "Azerbaijan",
    )  # fmt: skip
    # the title's lines are joined; the trailing comma after the name is dropped
    assert protocol[-1] == Signatory(
        "Kubanychbek Omuraliev",
        "H.E. Amb.",
        "Secretary General of the Organization of Turkic States",
    )
    (minutes,) = seed["hca_minutes"].signatories  # after "It is hereby certified ..."
    assert minutes == protocol[-1]
    (wg,) = seed["wg_minutes"].signatories  # in ** bold ** in the source
    assert wg == Signatory(
        "Mirvokhid Azimov", "Dr.", "Deputy Secretary General of the Organization of Turkic States"
    )
    assert seed["hca_agenda"].signatories == () and seed["note"].signatories == ()


def test_seed_annexes_come_from_the_minutes_references(seed):
    annexes = {key: doc.annex for key, doc in seed.items()}
    assert annexes == {
        "note": "",
        "hca_minutes": "",
        "hca_agenda": "Annex I",  # "The agenda ... and the list of participants ... (Annex-I
        "participants": "Annex II",  # and Annex-II)"
        "hca_protocol": "Annex III",  # "signed the Protocol of the 9th Meeting ... (Annex III)"
        "wg_minutes": "",
        "wg_agenda": "Annex I",  # the WG minutes' own "(Annex-I and Annex-II)"
    }


def test_seed_titles_are_cased_as_one_heading(seed):
    assert seed["hca_protocol"].title == (
        "Protocol of the Ninth Meeting of the Heads of Customs Administrations of the "
        "Organization of Turkic States"
    )
    assert seed["hca_minutes"].title.startswith("Agreed Minutes of the Ninth Meeting of the Heads")
    # the type keyword under the meeting's name leads the title
    assert seed["wg_minutes"].title == (
        "Agreed Minutes of the XII Meeting of the Working Group on Customs Cooperation of the "
        "Organization of Turkic States"
    )
    assert seed["participants"].title == (
        "List of Participants of the 9th Meeting of the Heads of Customs Administrations and "
        "12th Meeting of the Working Group on Customs Cooperation"
    )


def test_invented_layout_signatories(invented):
    assert invented["ctc_minutes"].signatories == (
        Signatory(
            "RAUF MAMMADOV",
            "",
            "Deputy Minister of Digital Development and Transport",
            "the Republic of Azerbaijan",
        ),
        Signatory("Anna Kovács", "Ms.", "State Secretary for Transport", "Hungary"),
        Signatory(
            "Emre Yıldız",
            "Mr.",
            "Director General of Foreign Trade Ministry of Trade of the Republic of Türkiye",
        ),
    )


def test_invented_layout_annexes_from_a_reference_and_from_a_heading(invented):
    assert list(invented) == ["ctc_minutes", "ctc_agenda", "participants"]
    agenda, participants = invented["ctc_agenda"], invented["participants"]
    assert agenda.annex == "Annex I"  # "the annotated agenda ..., attached as Annex 1"
    assert participants.annex == "Annex II"  # its own "Annex 2" line
    # the heading line belongs to the list, not to the agenda above it, nor to the title
    assert participants.title == "List of Delegations"
    assert participants.text.startswith("Annex 2\nLIST OF DELEGATIONS")
    assert "Annex 2" not in agenda.text
    # annexes without a meeting heading belong to the meeting they are annexed to
    assert agenda.meetings == participants.meetings == ("CTC-3",)
    assert invented["ctc_minutes"].annex == ""


def test_bundle_json_carries_annex_and_structured_signatories():
    data = bundle_to_dict(parse_bundle(INVENTED, register=PartyRegister.ots()))
    minutes, agenda, _participants = data["documents"]
    assert agenda["annex"] == "Annex I"
    assert minutes["signatories"][1] == {
        "honorific": "Ms.",
        "name": "Anna Kovács",
        "title": "State Secretary for Transport",
        "on_behalf": "Hungary",
    }


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "The agenda as adopted by the Parties and the list of participants of the meeting "
            "are attached herewith (Annex-I and Annex-II).",
            [("agenda", "Annex I"), ("participants", "Annex II")],
        ),
        (
            "The agenda and the list of delegations are contained in Annexes 1 and 2 respectively.",
            [("agenda", "Annex I"), ("participants", "Annex II")],
        ),
        (
            "Following the Meeting, the Parties signed the Protocol of the 9th Meeting of the "
            "Heads of Customs Administrations (Annex III).",
            [("protocol", "Annex III")],
        ),
        (
            "The agenda (Annex I) was adopted; the list of participants is in Annex II.",
            [("agenda", "Annex I"), ("participants", "Annex II")],
        ),
        # fewer labels than documents named: a label goes to the nearest document before it
        (
            "The Protocol was signed (Annex III) and the agenda of the next meeting discussed.",
            [("protocol", "Annex III")],
        ),
        ("The Parties annexed nothing and agreed on the agenda.", []),
        ("The report is in the annex to this note.", []),
    ],
)
def test_annex_references(text, found):
    refs = annex_references(text)
    assert [(r.doc_type, r.label) for r in refs] == found


def test_the_protocol_reference_names_its_meeting():
    (ref,) = annex_references(
        "the Parties signed the Protocol of the 9th Meeting of the Heads of Customs "
        "Administrations (Annex III)."
    )
    assert "9th Meeting of the Heads of Customs Administrations" in ref.clause


@pytest.mark.parametrize(
    ("token", "label"),
    [("3", "Annex III"), ("III", "Annex III"), ("14", "Annex XIV"), ("B", "Annex B")],
)
def test_annex_label(token, label):
    assert annex_label(token) == label


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            ["**H.E. Amb. Kubanychbek Omuraliev,", "Secretary General of the Organization of",
             "Turkic States**"],
            Signatory("Kubanychbek Omuraliev", "H.E. Amb.",
                      "Secretary General of the Organization of Turkic States"),
        ),
        (
            ["Dr. Mirvokhid Azimov, Deputy Secretary General,"],
            Signatory("Mirvokhid Azimov", "Dr.", "Deputy Secretary General"),
        ),
        (
            ["On behalf of the Kyrgyz Republic", "Samat Isabekov", "Chairman"],
            Signatory("Samat Isabekov", "", "Chairman", "the Kyrgyz Republic"),
        ),
        (["Tashkent, 11 December 2023"], None),
        (["Signed in two copies"], None),
        (["Annex III"], None),
    ],
)  # fmt: skip
def test_signature_block(block, expected):
    assert signature_block(block) == expected
