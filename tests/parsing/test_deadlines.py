import datetime as dt

import pytest

from meetings.parsing import find_deadlines, parse_deadline

D = dt.date
MEETING = D(2023, 12, 11)


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("by 1 March 2024", D(2024, 3, 1), "day"),
        ("until 1 April 2024", D(2024, 4, 1), "day"),
        ("not later than 15 May 2025", D(2025, 5, 15), "day"),
        ("no later than 30 June 2025", D(2025, 6, 30), "day"),
        ("before 1 March 2024", D(2024, 2, 29), "day"),  # leap year
        ("before 1 March 2023", D(2023, 2, 28), "day"),
        ("by March 1, 2024", D(2024, 3, 1), "day"),
        ("by the 1st of March 2024", D(2024, 3, 1), "day"),
        ("by 1st March 2024", D(2024, 3, 1), "day"),
        ("by Friday, 1 March 2024", D(2024, 3, 1), "day"),
        ("by Friday, March 1, 2024", D(2024, 3, 1), "day"),
        ("by 01.03.2024", D(2024, 3, 1), "day"),
        ("by 1.3.2024", D(2024, 3, 1), "day"),
        ("by 2024-03-01", D(2024, 3, 1), "day"),
        ("Friday, 1 March 2024", D(2024, 3, 1), "day"),
        ("by the end of 2023", D(2023, 12, 31), "day"),
        ("until the end of 2023", D(2023, 12, 31), "day"),
        ("by the end of February 2024", D(2024, 2, 29), "day"),
        ("by the end of the first quarter of 2024", D(2024, 3, 31), "day"),
        ("by the end of the first half of 2025", D(2025, 6, 30), "day"),
        ("by March 2024", D(2024, 3, 31), "month"),
        ("in January 2024", D(2024, 1, 31), "month"),
        ("in February 2024", D(2024, 2, 29), "month"),
        ("in February 2025", D(2025, 2, 28), "month"),
        ("during April 2024", D(2024, 4, 30), "month"),
        ("in the first quarter of 2024", D(2024, 3, 31), "quarter"),
        ("in the third quarter of 2024", D(2024, 9, 30), "quarter"),
        ("in the fourth quarter of 2025", D(2025, 12, 31), "quarter"),
        ("Q2 2024", D(2024, 6, 30), "quarter"),
        ("in the first half of 2024", D(2024, 6, 30), "half"),
        ("in the second half of 2024", D(2024, 12, 31), "half"),
        ("in the course of 2024", D(2024, 12, 31), "year"),
        ("during 2025", D(2025, 12, 31), "year"),
        ("in 2024", D(2024, 12, 31), "year"),
        ("within 2024", D(2024, 12, 31), "year"),
        ("before 2025", D(2024, 12, 31), "year"),
    ],
)
def test_dated_forms(text, date, precision):
    deadline = parse_deadline(text)
    assert deadline is not None
    assert (deadline.date, deadline.precision) == (date, precision)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("within 30 days", D(2024, 1, 10)),
        ("within thirty (30) days", D(2024, 1, 10)),
        ("within two weeks", D(2023, 12, 25)),
        ("within 3 weeks of the meeting", D(2024, 1, 1)),
        ("within one month", D(2024, 1, 11)),
        ("within three months after signing", D(2024, 3, 11)),
        ("within 5 working days", D(2023, 12, 18)),
    ],
)
def test_within_counts_from_the_reference_date(text, date):
    deadline = parse_deadline(text, reference_date=MEETING)
    assert (deadline.date, deadline.precision) == (date, "day")


def test_within_without_reference_keeps_the_phrase_but_no_date():
    deadline = parse_deadline("within 30 days")
    assert deadline.text == "within 30 days" and deadline.date is None


def test_month_without_year_needs_a_reference():
    assert parse_deadline("by 1 March", reference_date=MEETING).date == D(2024, 3, 1)
    assert parse_deadline("by 29 February", reference_date=D(2025, 1, 1)).date == D(2028, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "at the next meeting",
        "before the next meeting of the Heads of Customs Administrations",
        "by the next session of the Council",
        "submit their outcomes to the next meeting of the Heads of Customs Administrations",
    ],
)
def test_next_meeting_is_an_event_not_a_date(text):
    deadline = parse_deadline(text)
    assert deadline.date is None and deadline.precision is None
    assert deadline.due_event.startswith("next ")


@pytest.mark.parametrize(
    "text",
    [
        "The Parties welcomed the initiative.",
        "Türkiye initiated simplified customs practices in 1998",
        "the Agreement signed on 11 November 2022 in Samarkand",
        "hosted by the Azerbaijani side on 14-15 March 2023 in Baku",
        "the Strategic Action Plan for 2022-2024",
        "Note No 2023-1000 dated 01 December 2023",
        "",
    ],
)
def test_past_references_and_non_deadlines(text):
    assert find_deadlines(text, reference_date=MEETING) == []


def test_finder_returns_spans():
    sentence = "Turkish side will submit it to the Parties for consideration by 1 March 2024."
    (found,) = find_deadlines(sentence, reference_date=MEETING)
    assert sentence[found.start : found.end] == "by 1 March 2024"


def test_deadline_of_a_future_on_date_is_kept():
    (found,) = find_deadlines("The report will be presented on 5 May 2024.", reference_date=MEETING)
    assert found.date == D(2024, 5, 5)
