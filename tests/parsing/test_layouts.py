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
