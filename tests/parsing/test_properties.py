"""No input crashes the parser: only InputError may come out."""

import contextlib
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.parsing import (
    InputError,
    PartyRegister,
    parse_bundle,
    parse_deadline,
    read_document,
)

FRAGMENTS = [
    "AGREED MINUTES", "PROTOCOL", "AGENDA", "LIST OF PARTICIPANTS", "9th MEETING OF THE HEADS OF ",
    "XII MEETING OF THE WORKING GROUP", "(11 December 2023, Tashkent)", "agreed on the following:",
    "1. ", "- ", "Turkish side will submit", " to be hosted by Uzbek side", "by 1 March 2024",
    "in the first half of 2024", "within 30 days", "at the next meeting", "the Parties", ";",
    "\n", "\n\n", "Ref.No: X", "Istanbul, 21 December 2023", "**", "“", "İ", "\u00a0", ":",
    "requested the Kazakh side to", "Upon the proposal of Azerbaijani side, ", "H.E. ",
]  # fmt: skip
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40).map("".join),
)
SETTINGS = settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
def test_parse_bundle_never_crashes(text):
    with contextlib.suppress(InputError):
        parse_bundle(text, register=PartyRegister.ots())


@SETTINGS
@given(texts, st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1))))
def test_parse_deadline_never_crashes(text, reference):
    result = parse_deadline(text, reference_date=reference)
    assert result is None or result.text


@SETTINGS
@given(
    st.binary(max_size=300),
    st.sampled_from(["a.txt", "a.md", "a.docx", "a.pdf", "a.bin", "a"]),
)
def test_read_document_never_crashes(data, name):
    with contextlib.suppress(InputError):
        assert isinstance(read_document(data, name), str)
