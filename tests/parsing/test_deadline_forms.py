"""Deadline forms of other bodies' minutes: parts of a month, months without a year, weeks and
meetings named by number or acronym; the year is inferred from the meeting's date."""

import datetime as dt

import pytest

from meetings.parsing import find_deadlines

D = dt.date
MEETING = D(2025, 2, 12)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("FN will confirm the schedule by mid-March.", D(2025, 3, 15)),
        ("the first issue in early May", D(2025, 5, 10)),
        ("a memorandum at the end of September", D(2025, 9, 30)),
        ("a plan before the end of June", D(2025, 6, 30)),
        ("compliance data by the end of January", D(2026, 1, 31)),
        ("by late April 2026", D(2026, 4, 30)),
        ("within 3 months", D(2025, 5, 12)),
        ("within one month", D(2025, 3, 12)),
        ("in the week of 16-18 June 2025", D(2025, 6, 18)),
        ("in the week of 14–18 April", D(2025, 4, 18)),
        ("during the week commencing 9 March", D(2025, 3, 13)),
        ("by March", D(2025, 3, 31)),
        ("by 28 February", D(2025, 2, 28)),
    ],
)
def test_dates_inferred_from_the_meeting(text, date):
    (deadline,) = find_deadlines(text, reference_date=MEETING)
    assert deadline.date == date and deadline.due_event is None


def test_a_month_already_past_is_next_years():
    (deadline,) = find_deadlines("by mid-January", reference_date=MEETING)
    assert deadline.date == D(2026, 1, 15)


def test_lower_case_may_is_a_verb_not_a_month():
    assert find_deadlines("the experts may in may consider it", reference_date=MEETING) == []


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("present a draft exit strategy by the next PMC.", "next PMC"),
        ("organise the event at its next session, jointly with the PMU", "next session"),
        ("submit comments before the next meeting.", "next meeting"),
        ("report at the next Board meeting.", "next Board meeting"),
        (
            "present the results at the 12th Meeting of the Heads of Customs Administrations.",
            "12th Meeting of the Heads of Customs Administrations",
        ),
    ],
)
def test_event_deadlines(text, event):
    (deadline,) = find_deadlines(text, reference_date=MEETING)
    assert (deadline.date, deadline.due_event) == (None, event)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("by COB Friday 14 February", D(2025, 2, 14)),
        ("in two weeks' time", D(2025, 2, 26)),
        ("by the end of next week", D(2025, 2, 21)),
        ("this week", D(2025, 2, 14)),
        ("by 15/03", D(2025, 3, 15)),
        ("by 15.03", D(2025, 3, 15)),
    ],
)
def test_informal_deadlines_of_action_logs(text, date):
    (deadline,) = find_deadlines(text, reference_date=MEETING)
    assert deadline.date == date


@pytest.mark.parametrize("text", ["trade grew by 2.1%", "by 10.5 million", "in 1998"])
def test_numbers_that_are_no_deadlines(text):
    assert find_deadlines(text, reference_date=MEETING) == []
