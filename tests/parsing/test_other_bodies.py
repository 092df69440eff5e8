"""Minutes of bodies other than the OTS: meetings they do not number, owners who are people,
roles or bodies, and their conventions for actions."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from meetings.parsing import PartyRegister, parse_bundle, read_document
from meetings.parsing.provisional import MeetingChoice, parse_choice

D = dt.date
OTS = PartyRegister.ots()

WG = """WORKING GROUP ON RISK MANAGEMENT
Minutes of the meeting of 4 March 2025 (videoconference)

Present: Jane Thompson (JT, chair), Mehmet Yilmaz (MY), Olga Petrenko (OP)
Apologies: Lars Nilsson (LN)

1. Common risk indicators

OP presented the draft list of 24 indicators.

ACTION: JT to circulate the revised list by mid-March.

2. Next meeting

The group agreed on the date of the next meeting.
"""


def parse(text: str, **kwargs):
    return parse_bundle(text, register=OTS, **kwargs)


def only(bundle, word: str):
    (found,) = [c for c in bundle.commitments if word in c.action.lower()]
    return found


def test_minutes_that_name_no_meeting_are_read_under_a_provisional_one():
    bundle = parse(WG)
    (meeting,) = bundle.meetings
    assert meeting.code is None and meeting.number is None
    assert meeting.series_name == "Working Group on Risk Management"
    assert meeting.start_date == D(2025, 3, 4)
    assert bundle.warnings[0].startswith("No meeting recognised")
    assert [p.name for p in meeting.participants] == [
        "Jane Thompson",
        "Mehmet Yilmaz",
        "Olga Petrenko",
    ]
    c = only(bundle, "circulate")
    assert c.meeting is None and all(s.meeting is None for s in c.sources)
    assert (c.deadline, c.precision) == (D(2025, 3, 15), "day")


def test_a_chosen_meeting_names_the_minutes():
    bundle = parse(WG, meeting=MeetingChoice("WGRM-5", "Working Group on Risk Management"))
    (meeting,) = bundle.meetings
    assert (meeting.code, meeting.series_code, meeting.number) == ("WGRM-5", "WGRM", 5)
    assert only(bundle, "circulate").meeting == "WGRM-5"
    assert not any(w.startswith("No meeting recognised") for w in bundle.warnings)


def test_meeting_codes_are_checked():
    assert parse_choice(" psc-4 ").code == "PSC-4"
    with pytest.raises(ValueError, match="not a meeting code"):
        parse_choice("PSC four")


def test_owners_written_as_initials_are_the_participants_with_those_initials():
    c = only(parse(WG), "circulate")
    assert c.responsible == (None,) and c.responsible_text == "JT"
    (owner,) = c.owners
    assert (owner.kind, owner.person) == ("person", "Jane Thompson")


def test_an_owner_the_register_does_not_know_is_proposed_as_a_new_party():
    text = "MINUTES\n\nHelsinki, 8 April 2025\n\nFinnish Customs will send the list of high-risk codes within 3 months.\n"
    c = only(parse(text), "high-risk")
    assert c.responsible == (None,) and c.responsible_text == "Finnish Customs"
    assert [u.suggested_code for u in c.unknown_parties] == ["FI"]
    assert c.owners[0].kind == "new_party" and c.owners[0].code == "FI"
    assert c.deadline == D(2025, 7, 8)


BOARD = """PROGRAMME BOARD - MINUTES

Meeting held on 21 May 2024

Members present: Ms Abena Owusu, Programme Director; Mr Samuel Okafor, Technical Lead; Ms Efua Darko, PMO

{body}
"""


@pytest.mark.parametrize(
    ("body", "owner", "word", "deadline"),
    [
        (
            "ACTION: PMO to update the risk register by 7 June 2024.",
            "PMO",
            "register",
            D(2024, 6, 7),
        ),
        (
            "Action item: The PMO to update the risk register by 7 June.",
            "The PMO",
            "register",
            D(2024, 6, 7),
        ),
        (
            "Actions:\n\n- Technical Lead to complete the migration test by mid-June.",
            "Technical Lead",
            "migration",
            D(2024, 6, 15),
        ),
        (
            "The Technical Lead agreed to complete the migration test by mid-June.",
            "The Technical Lead",
            "migration",
            D(2024, 6, 15),
        ),
        (
            "The Programme Director will submit the business case at the end of May.",
            "The Programme Director",
            "business case",
            D(2024, 5, 31),
        ),
        (
            "It was agreed that the PMO would update the risk register before the end of June.",
            "the PMO",
            "register",
            D(2024, 6, 30),
        ),
        (
            "Mr Okafor undertakes to complete the migration test in early July.",
            "Mr Okafor",
            "migration",
            D(2024, 7, 10),
        ),
        (
            "The Board asked for the risk register to be updated. ACTION: PMO by 7 June",
            "PMO",
            "register",
            D(2024, 6, 7),
        ),
        (
            "Prepare the options paper for the Minister. Owner: PMO. Due: 15 June.",
            "PMO",
            "options paper",
            D(2024, 6, 15),
        ),
    ],
)
def test_action_conventions_of_other_bodies(body, owner, word, deadline):
    c = only(parse(BOARD.format(body=body)), word)
    assert (c.responsible_text, c.deadline) == (owner, deadline)


def test_a_role_resolves_to_the_participant_who_holds_it():
    text = BOARD.format(body="The Programme Director will submit the business case by 31 May.")
    c = only(parse(text), "business case")
    assert c.owners[0].person == "Abena Owusu"


def test_an_action_log_restates_the_minutes_it_closes():
    body = (
        "The PMO will update the risk register by 7 June 2024.\n\n"
        "Action log\n\n"
        "| No. | Action | Owner | Due |\n|---|---|---|---|\n"
        "| 1 | Update the risk register | PMO | 7 June 2024 |\n"
        "| 2 | Brief the clearing agents | Communications Officer | early July 2024 |\n"
    )
    bundle = parse(BOARD.format(body=body))
    register = only(bundle, "register")
    assert len(register.sources) == 2  # the statement and its row: one commitment
    briefing = only(bundle, "clearing agents")
    assert (briefing.responsible_text, briefing.deadline) == (
        "Communications Officer",
        D(2024, 7, 10),
    )


def test_an_action_table_of_a_docx_file_keeps_its_columns():
    document = docx.Document()
    document.add_paragraph("PROJECT BOARD - MINUTES")
    document.add_paragraph("Meeting held on 21 May 2024")
    table = document.add_table(rows=3, cols=4)
    for r, row in enumerate(
        [
            ("Action", "Owner", "Due", "Status"),
            ("Update the risk register", "PMO", "7 June 2024", ""),
            ("Report on the acceptance tests", "Test Manager", "next Board meeting", "New"),
        ]
    ):
        for k, value in enumerate(row):
            table.rows[r].cells[k].text = value
    buffer = io.BytesIO()
    document.save(buffer)
    bundle = parse(read_document(buffer.getvalue(), "board.docx"))
    assert only(bundle, "register").deadline == D(2024, 6, 7)
    tests = only(bundle, "acceptance")
    assert tests.responsible_text == "Test Manager" and tests.due_event == "next meeting"


def test_the_parties_are_the_states_that_took_part_not_every_observer():
    text = """AGREED MINUTES
OF THE 3RD MEETING OF THE JOINT CUSTOMS COMMISSION

(10 April 2025, Baku)

The meeting was attended by the delegations of the Republic of Azerbaijan and the Republic of Kazakhstan (hereinafter referred to as the "Parties").

The Parties agreed on the following:

1. The Parties will exchange statistical data on mutual trade by 1 July 2025.
"""
    c = only(parse(text), "statistical")
    assert c.responsible == ("AZ", "KZ")


def test_the_parties_of_states_the_register_does_not_know_are_proposed():
    text = """MINUTES

Helsinki, 8 April 2025

The meeting was attended by the delegations of Finnish Customs and the Estonian Tax and Customs Board.

The parties agreed to organise a joint training course in October 2025.
"""
    c = only(parse(text), "training")
    assert c.responsible == (None, None)
    assert sorted(u.suggested_code for u in c.unknown_parties) == ["EE", "FI"]


def test_all_members_of_a_meeting_of_people_are_no_states():
    c = only(parse(WG.replace("ACTION: JT", "ACTION: All members")), "circulate")
    assert c.responsible == (None,) and c.responsible_text == "All members"


def test_decisions_written_as_infinitives_bind_those_who_agreed():
    text = """PROTOCOL
of the meeting of the Heads of the customs services of the Republic of Kazakhstan and the Republic of Uzbekistan

Tashkent, 14 October 2025

The meeting was attended by the delegations of the Republic of Kazakhstan and the Republic of Uzbekistan (hereinafter "the Sides").

The Sides agreed as follows:

1. To take note of the growth of mutual trade.

2. To set up a joint working group on border crossing points by 1 December 2025.
"""
    bundle = parse(text)
    (c,) = bundle.commitments
    assert c.responsible == ("KZ", "UZ") and c.deadline == D(2025, 12, 1)


def test_a_numbered_meeting_still_to_come_is_an_event_and_one_already_held_is_not():
    text = """AGREED MINUTES
OF THE ELEVENTH MEETING OF THE HEADS OF CUSTOMS ADMINISTRATIONS OF THE ORGANIZATION OF TURKIC STATES

(7 September 2025, Turkistan)

The Parties agreed on the following:

1. The Kazakh side will present the results of the pilot at the 12th Meeting of the Heads of Customs Administrations.

2. The Uzbek side will report on the decisions taken at the 10th Meeting of the Heads of Customs Administrations.

3. The Parties will submit their comments to the Secretariat before the next meeting.
"""
    bundle = parse(text)
    assert only(bundle, "pilot").due_event == "12th HCA meeting (HCA-12)"
    report = only(bundle, "report")
    assert report.due_event is None and report.deadline is None
    assert only(bundle, "comments").due_event == "next HCA meeting (HCA-12)"


def test_an_action_log_reads_due_dates_not_the_dates_actions_were_raised_nor_closed_actions():
    body = (
        "Action log\n\n"
        "| Date raised | Action | Owner | Due date | Status |\n|---|---|---|---|---|\n"
        "| 16 April 2024 | Procure the test servers | PMO | 30 April 2024 | Closed |\n"
        "| 21 May 2024 | Update the risk register | PMO | 7 June 2024 | Open |\n"
    )
    bundle = parse(BOARD.format(body=body))
    assert [(c.action, c.deadline) for c in bundle.commitments] == [
        ("Update the risk register", D(2024, 6, 7))
    ]


def test_a_person_who_offers_to_do_something_takes_it_on():
    text = BOARD.format(body="Mr Okafor offered to share the test scripts with the vendor.")
    c = only(parse(text), "scripts")
    assert c.owners[0].person == "Samuel Okafor"


def test_what_readers_will_recall_is_no_obligation():
    text = BOARD.format(body="Members will recall that the budget was agreed in April.")
    assert parse(text).commitments == ()


def test_a_meeting_that_names_no_attendance_has_the_parties_of_the_bundle_held_with_it():
    from pathlib import Path

    seed = (Path(__file__).resolve().parents[2] / "fixtures/source/hca9_wg12_bundle.txt").read_text(
        encoding="utf-8"
    )
    # without the list of participants, the HCA-9 minutes still name who attended; the WG-12
    # minutes only say "the Member and Observer States"
    start = seed.index("**9th MEETING OF THE HEADS OF CUSTOMS ADMINISTRATIONS\nAND")
    end = seed.index("PROTOCOL\nOF THE NINTH")
    bundle = parse(seed[:start] + seed[end:])
    assert {m.code: m.parties for m in bundle.meetings} == {
        "HCA-9": ("AZ", "HU", "KG", "KZ", "TR", "UZ"),
        "WG-12": ("AZ", "HU", "KG", "KZ", "TR", "UZ"),
    }


def test_an_action_table_without_a_deadline_column():
    body = "Action points\n\nAction | Owner\nUpdate the risk register | PMO\n"
    c = only(parse(BOARD.format(body=body)), "register")
    assert (c.responsible_text, c.deadline) == ("PMO", None)


def test_minutes_without_blank_lines_are_read_by_their_headings():
    # as a PDF gives them: no blank line between a heading, a lead and its items
    text = (
        "PROJECT STEERING COMMITTEE\nMinutes of the 3rd Project Steering Committee meeting\n"
        "Tbilisi, 27 November 2024\nPresent: Ms. Kristiina Tamm, Resident Twinning Adviser "
        "(RTA); Mr. Pekka Virtanen, Component 2 Leader\n1. Opening\nThe Chair opened the "
        "meeting.\n2. Progress\nThe RTA presented the quarterly report.\n3. Conclusions\n"
        "The Steering Committee concluded as follows:\na) The quarterly report is approved.\n"
        "b) The RTA will hand over the training materials by the end of January 2025.\n"
        "c) The Component 2 Leader will propose new dates by 20 December 2024.\n"
        "4. Next meeting\nThe next meeting will be held in February 2025.\n"
    )
    bundle = parse(text)
    assert only(bundle, "training").owners[0].person == "Kristiina Tamm"
    assert only(bundle, "dates").deadline == D(2024, 12, 20)
