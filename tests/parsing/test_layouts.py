"""Layouts met in other bodies' minutes: page furniture, place/date lines, tables, labels."""

from __future__ import annotations

import datetime as dt

from meetings.parsing.deadlines import find_deadlines
from meetings.parsing.normalize import clean_lines
from meetings.parsing.structure import PLACE_DATE_LINE, is_place_line, place_date
from meetings.parsing.tables import deadline_phrase, labelled_sentence, table_rows


def test_page_numbers_and_running_headers_are_blanked_in_place():
    text = "The Parties shall report not\n\nREF/12/AM\nPage 2 of 5\n\nlater than 30 June 2025.\nREF/12/AM\n- 3 -\n"
    lines = clean_lines(text)
    assert len(lines) == len(text.split("\n"))  # line numbers stay true
    assert "REF/12/AM" not in lines and "Page 2 of 5" not in lines and "- 3 -" not in lines
    assert lines[0] == "The Parties shall report not"


def test_a_sentence_ending_in_a_page_reference_is_kept():
    assert clean_lines("as described on page 5") == ["as described on page 5"]


def test_place_and_date_lines():
    for line, date, place in (
        ("Baku, 5-6 March 2025", "5-6 March 2025", "Baku"),
        ("5 March 2025, Baku", "5 March 2025", "Baku"),
        ("Shusha, Republic of Azerbaijan, 18 October 2024", "18 October 2024",
         "Shusha, Republic of Azerbaijan"),
        ("Tashkent city 14 January 2025", "14 January 2025", "Tashkent"),
    ):  # fmt: skip
        m = PLACE_DATE_LINE.match(line)
        assert m and place_date(m) == (date, place), line
    assert is_place_line("Tehran, Islamic Republic of Iran")
    assert not is_place_line("Closing remarks")


def test_table_rows_become_sentences():
    lines = clean_lines(
        "No.\tAction\tResponsible\tDeadline\n"
        "1\tPrepare the report\tSecretariat\t01.10.2025\n"
        "2 | Share experience | All members | next meeting\n"
        "Text after the table.\n"
        "3\tNot a row of the table\tanyone\t2025\n"
    )
    rows = table_rows(lines, 0, len(lines))
    assert [(r.number, r.sentence) for r in rows] == [
        ("1", "Secretariat shall prepare the report by 01.10.2025."),
        ("2", "All members shall share experience at the next meeting."),
    ]


def test_deadline_cells():
    assert deadline_phrase("Q3 2025") == "by Q3 2025"
    assert deadline_phrase("in the first half of 2025") == "in the first half of 2025"
    assert (
        deadline_phrase("the next meeting of the Council") == "at the next meeting of the Council"
    )


def test_labelled_obligation():
    text = "Responsible: Secretariat; Deadline: Q3 2025. Action: circulate the draft guidelines."
    assert labelled_sentence(text) == "Secretariat shall circulate the draft guidelines by Q3 2025."
    assert labelled_sentence("The Committee took note of the report.") is None


def test_deadline_label_and_signing_date():
    (d,) = find_deadlines("statistics for 2024; deadline - 01.03.2025")
    assert (d.date, d.precision) == (dt.date(2025, 3, 1), "day")
    (d,) = find_deadlines(
        "within 30 days from the date of signing of this Protocol",
        reference_date=dt.date(2025, 3, 5),
        signing_date=dt.date(2025, 3, 6),
    )
    assert d.date == dt.date(2025, 4, 5)


def test_only_the_registers_own_secretariat_resolves():
    from meetings.parsing import PartyRegister, PartyResolver

    resolver = PartyResolver(PartyRegister.ots())
    for text in ("the Secretariat", "the OTS Secretariat", "the Secretariat of the OTS"):
        assert resolver.resolve(text).codes == ("OTS",), text
    other = resolver.resolve("the Secretariat of the CIS")
    assert other.codes == (None,)
    assert [(u.suggested_code, u.suggested_name) for u in other.unknown] == [
        ("CIS", "Secretariat of the CIS")
    ]


def _bilateral(
    decision: str, *, title_parties: str = "between Georgia and the Republic of Azerbaijan"
):
    from meetings.parsing import PartyRegister, RegisteredParty, parse_bundle

    register = PartyRegister(
        (
            RegisteredParty("GE", "Georgia", "member"),
            RegisteredParty("AZ", "Azerbaijan", "member"),
            RegisteredParty("OTS", "Secretariat", "secretariat"),
        )
    )
    text = (
        "SUMMARY RECORD\n"
        f"Fourth Meeting of the Joint Customs Commission {title_parties}\n"
        "Tbilisi, 3-4 April 2025\n\n"
        "The Commission agreed as follows:\n\n"
        f"1. {decision}\n"
    )
    return parse_bundle(text, register=register)


def test_a_place_date_line_under_the_title_ends_the_series_and_the_title_names_the_parties():
    bundle = _bilateral("The sides will exchange data by 1 June 2025.")
    (meeting,) = bundle.meetings
    assert (
        meeting.series_name
        == "Joint Customs Commission between Georgia and the Republic of Azerbaijan"
    )
    assert (meeting.start_date, meeting.end_date, meeting.city) == (
        dt.date(2025, 4, 3), dt.date(2025, 4, 4), "Tbilisi",
    )  # fmt: skip
    assert meeting.parties == ("AZ", "GE")
    (c,) = bundle.commitments
    assert c.responsible == ("AZ", "GE")


def test_the_next_meeting_in_a_party_country_is_its_hosting_commitment_but_a_city_is_not():
    (c,) = _bilateral(
        "The next meeting of the Commission will be held in 2026 in Azerbaijan."
    ).commitments
    assert (c.responsible, c.deadline, c.precision) == (("AZ",), dt.date(2026, 12, 31), "year")
    assert (
        _bilateral("The next meeting of the Commission will be held in Baku in 2026.").commitments
        == ()
    )
    sides = _bilateral(
        "The sides agreed to hold the Fifth Meeting in 2026 in the Republic of Azerbaijan."
    )
    assert [c.responsible for c in sides.commitments] == [("AZ",)]


def test_a_start_is_not_a_deadline():
    (c,) = _bilateral(
        "The sides will exchange statistical data monthly, starting from June 2025."
    ).commitments
    assert (c.deadline, c.due_event) == (None, None)
    (c,) = _bilateral(
        "The Georgian side will provide assistance, starting in the first quarter of 2026."
    ).commitments
    assert c.deadline is None


def test_a_dated_offer_and_a_reported_dated_step_are_commitments():
    (c,) = _bilateral(
        "The Georgian side expressed its intention to join the pilot within six months."
    ).commitments
    assert (c.responsible, c.deadline) == (("GE",), dt.date(2025, 10, 3))
    assert (
        _bilateral("The Georgian side expressed its intention to join the pilot.").commitments == ()
    )
    (c,) = _bilateral(
        "The Azerbaijani side informed the Commission that its national system would be connected to the portal by 30 June 2025."
    ).commitments
    assert (c.responsible, c.deadline) == (("AZ",), dt.date(2025, 6, 30))
    assert c.action.startswith("Connect its national system")


def test_report_sessions_labels_and_numbered_dialogues_name_the_meeting():
    from meetings.parsing import parse_bundle

    report = parse_bundle(
        "Report of the Working Party on Customs Questions on its 168th session\n\n"
        "Geneva, 11-13 February 2025\n\n1. The secretariat will prepare a note by 1 May 2025.\n"
    )
    (m,) = report.meetings
    assert (m.series_name, m.number, m.city, m.start_date) == (
        "Working Party on Customs Questions", 168, "Geneva", dt.date(2025, 2, 11),
    )  # fmt: skip
    labelled = parse_bundle(
        "MINUTES\nof the 7th Meeting of the Trilateral Customs Working Group\n\n"
        "Date: 18 March 2025\nVenue: Bishkek, Kyrgyz Republic\n\nThe Working Group decided:\n"
    )
    (m,) = labelled.meetings
    assert (m.number, m.city, m.start_date) == (7, "Bishkek", dt.date(2025, 3, 18))
    (m,) = parse_bundle(
        "Third EU-Central Asia Customs Dialogue\n\nAlmaty, 9 September 2025\n"
    ).meetings
    assert (m.series_name, m.number, m.city) == ("EU-Central Asia Customs Dialogue", 3, "Almaty")


def test_a_secretariat_named_in_words_is_the_registers_own_only_when_it_is_its_name():
    from meetings.parsing import PartyRegister, PartyResolver, RegisteredParty

    register = PartyRegister(
        (
            RegisteredParty("KZ", "Kazakhstan", "member"),
            RegisteredParty("OTS", "Secretariat", "secretariat", ("Turkic Council",)),
        )
    )
    resolver = PartyResolver(register)
    assert resolver.resolve("The Secretariat of the Turkic Council").codes == ("OTS",)
    other = resolver.resolve("the Secretariat of the Eurasian Economic Commission")
    assert other.codes == (None,)
    assert [(u.suggested_code, u.suggested_name) for u in other.unknown] == [
        ("EEC", "Secretariat of the Eurasian Economic Commission")
    ]


# ---------------------------------------------------------------- agenda item headings, action items

KZ_KG = {"member": ["KZ", "KG"]}


def _bundle(text: str, spec=None):
    from meetings.parsing import parse_bundle
    from tests.parsing.test_corpus import register_for

    return parse_bundle(text, register=register_for(spec or KZ_KG))


_PROTOCOL = """PROTOCOL
of the 3rd meeting of the Joint Commission on Customs Matters
between the Republic of Kazakhstan and the Kyrgyz Republic

Almaty                                                            2 March 2025

The delegation of the Republic of Kazakhstan was led by Mr. A. Bekov. The delegation of the Kyrgyz Republic was led by Mr. B. Tokonov.

The Parties agreed:

On item 1. Border crossing points
1.1. The Kyrgyz side shall repair the access road not later than 1 July 2025.
1.2. The Kazakh side shall, within 5 working days of the repair, open a second lane.

Item 2: Data exchange
2.1. The IT departments of both customs administrations are instructed to test the channel by 15.05.2025.

Done in Almaty on 2 March 2025.
"""


def test_points_numbered_under_item_headings_are_decisions_of_their_item():
    bundle = _bundle(_PROTOCOL)
    meeting = bundle.meetings[0]
    assert [(d.number, d.agenda_item) for d in meeting.decisions] == [
        ("1.1", "1"), ("1.2", "1"), ("2.1", "2"),
    ]  # fmt: skip
    # no agenda of its own: the headings are the agenda
    assert [(a.number, a.title) for a in meeting.agenda] == [
        ("1", "Border crossing points"), ("2", "Data exchange"),
    ]  # fmt: skip
    by_para = {c.sources[0].paragraph: c for c in bundle.commitments}
    assert set(by_para) == {"1.1", "1.2", "2.1"}
    assert by_para["1.1"].responsible == ("KG",)
    # "both customs administrations" are the Parties; their IT departments act for them
    assert set(by_para["2.1"].responsible) == {"KG", "KZ"}
    assert str(by_para["2.1"].deadline) == "2025-05-15"
    # counted from the repair, whose date the protocol does not give: an event, not a date
    assert by_para["1.2"].deadline is None and "repair" in by_para["1.2"].due_event


def test_a_period_counted_from_the_meeting_or_signing_is_still_a_date():
    found = find_deadlines(
        "within 10 working days of the signing of this Protocol",
        reference_date=dt.date(2025, 6, 12),
        signing_date=dt.date(2025, 6, 12),
    )
    assert found[0].date == dt.date(2025, 6, 26)  # weekdays only: 13 June + 9 more
    found = find_deadlines("within one month of its receipt", reference_date=dt.date(2025, 6, 12))
    assert found[0].date is None and found[0].due_event == "within one month of its receipt"


def test_a_hosted_meeting_reads_as_an_action_in_lower_case():
    text = _PROTOCOL.replace(
        "Done in Almaty", "On item 3. Next meeting\n3.1. The 4th meeting of the Commission shall be "
        "held in the first half of 2026 in the Kyrgyz Republic.\n\nDone in Almaty"
    )  # fmt: skip
    host = next(c for c in _bundle(text).commitments if c.sources[0].paragraph == "3.1")
    assert host.responsible == ("KG",)
    assert host.action.startswith("Host the 4th meeting")


def test_action_items_in_brackets():
    from meetings.parsing.action_items import action_item_sentence

    assert action_item_sentence(
        "[Kazakhstan] present the pilot results — due 30 November 2025"
    ) == ("Kazakhstan shall present the pilot results by 30 November 2025.")
    assert action_item_sentence("[Uzbekistan, Kyrgyzstan] agree on the fields") == (
        "Uzbekistan and Kyrgyzstan shall agree on the fields."
    )
    assert action_item_sentence("Kazakhstan presented the pilot results.") is None


def test_could_binds_only_after_so_that():
    spec = {"member": ["KZ", "KG", "UZ"]}
    head = "PROTOCOL\nof the 2nd meeting of the Joint Commission on Customs Matters\n\nTashkent, 3 March 2025\n\n"
    text = head + (
        "The Parties agreed that Uzbekistan would share the documentation by 30 April 2025, so "
        "that Kazakhstan, which is interested in the system, could submit comments by 30 June 2025."
        "\n\nThe Kyrgyz Republic could join the pilot by 31 December 2025 if funds allow.\n"
    )
    found = {c.responsible: c for c in _bundle(text, spec).commitments}
    assert set(found) == {("UZ",), ("KZ",)}
    assert found[("UZ",)].action == "Share the documentation"
    assert str(found[("KZ",)].deadline) == "2025-06-30"
