"""Commitment extraction on invented minutes in other phrasings and from other bodies."""

import datetime as dt

import pytest

from meetings.parsing import InputError, PartyRegister, parse_bundle

CA_CHINA = """SUMMARY RECORD
OF THE THIRD MEETING OF THE HEADS OF CUSTOMS SERVICES OF CENTRAL ASIA AND CHINA

(22 May 2025, Almaty, Kazakhstan)

The 3rd meeting of the Heads of Customs Services of Central Asia and China was held on 22 May 2025 in Almaty.

The Parties agreed on the following:

1. The Tajik side shall, no later than 30 June 2025, submit to the Parties the draft Memorandum on non-intrusive inspection.

2. The Secretariat is requested to circulate the summary record to the Parties within 30 days.

3. Member States are invited to nominate contact points for risk management in the second half of 2025.

4. The Chinese side, in cooperation with the Kazakh side, will organize a seminar on intelligent image recognition in the third quarter of 2025.

5. The Parties agreed to hold the 4th meeting in Beijing in 2026. The exact date will be agreed through diplomatic channels.

6. The Parties requested the Kyrgyz and Uzbek sides to complete internal procedures before the next meeting.

7. The Parties took note of the information on the 2nd meeting held on 11 November 2022 in Samarkand.
"""


@pytest.fixture(scope="module")
def bundle():
    register = PartyRegister.ots()
    return parse_bundle(CA_CHINA, register=register)


def by_paragraph(bundle, number):
    return [c for c in bundle.commitments if any(s.paragraph == number for s in c.sources)]


def test_meeting_recognised(bundle):
    (meeting,) = bundle.meetings
    assert meeting.number == 3 and meeting.start_date == dt.date(2025, 5, 22)
    assert (meeting.city, meeting.country) == ("Almaty", "KZ")


def test_shall_with_deadline_between_verb_and_modal(bundle):
    (c,) = by_paragraph(bundle, "1")
    assert c.responsible == (None,) and c.responsible_text == "The Tajik side"
    assert c.unknown_parties[0].suggested_code == "TJ"
    assert (c.deadline, c.precision) == (dt.date(2025, 6, 30), "day")
    assert c.action.startswith("Submit to the Parties the draft Memorandum")


def test_secretariat_requested_within_days(bundle):
    (c,) = by_paragraph(bundle, "2")
    assert c.responsible == ("OTS",)
    assert c.deadline == dt.date(2025, 6, 21) and c.deadline_text == "within 30 days"


def test_member_states_invited_in_half_year(bundle):
    (c,) = by_paragraph(bundle, "3")
    assert set(c.responsible) == {"AZ", "KZ", "KG", "TR", "UZ"}
    assert (c.deadline, c.precision) == (dt.date(2025, 12, 31), "half")


def test_partner_and_quarter(bundle):
    (c,) = by_paragraph(bundle, "4")
    assert c.responsible == (None,)  # China is not in the OTS register
    assert c.partners == ("KZ",)
    assert (c.deadline, c.precision) == (dt.date(2025, 9, 30), "quarter")
    assert "seminar" in c.action and "cooperation" not in c.action


def test_agreed_to_and_passive_without_agent(bundle):
    found = by_paragraph(bundle, "5")
    assert len(found) == 1  # "will be agreed through diplomatic channels" names nobody
    assert found[0].precision == "year"


def test_requested_object_and_next_meeting_event(bundle):
    (c,) = by_paragraph(bundle, "6")
    assert set(c.responsible) == {"KG", "UZ"}
    assert c.deadline is None and c.due_event.startswith("next")


def test_past_reference_is_no_commitment(bundle):
    assert by_paragraph(bundle, "7") == []


def test_list_items_inherit_the_lead_deadline_unless_they_have_their_own():
    text = """AGREED MINUTES
OF THE 5TH MEETING OF THE JOINT CUSTOMS COMMITTEE

(3 March 2025, Baku)

The Parties agreed on the following:

1. The Parties agreed to organize the following activities in 2025:

- a workshop on AEO programmes to be hosted by the Georgian side;

- a training on risk management to be hosted by the Azerbaijani side in May 2025.
"""
    bundle = parse_bundle(text)
    got = {c.responsible: (c.deadline, c.precision) for c in bundle.commitments}
    assert got == {
        ("GE",): (dt.date(2025, 12, 31), "year"),
        ("AZ",): (dt.date(2025, 5, 31), "month"),
    }
    assert bundle.meetings[0].code == "JCC-5"


def test_same_obligation_in_two_documents_is_merged():
    text = """AGREED MINUTES
OF THE 2ND MEETING OF THE WORKING GROUP ON TRANSIT

(1 April 2025, Tashkent)

The Parties agreed on the following:

1. The Uzbek side will submit the draft Road Map to the Secretariat by 1 June 2025.



PROTOCOL
OF THE 2ND MEETING OF THE WORKING GROUP ON TRANSIT

(1 April 2025, Tashkent)

The Parties agreed on the following:

1. Uzbek side will submit the draft Roadmap to the Secretariat until 1 June 2025.
"""
    bundle = parse_bundle(text, register=PartyRegister.ots())
    (c,) = bundle.commitments
    assert {(s.document_key, s.paragraph) for s in c.sources} == {
        ("wg_minutes", "1"),
        ("wg_protocol", "1"),
    }


def test_text_without_a_meeting_is_rejected_with_a_reason():
    with pytest.raises(InputError, match="No meeting recognised"):
        parse_bundle("Customs news: the weather was fine in Baku.")
