"""Path converters for the codes in URLs: <party:code> (TR, OTS), <series:code> (HCA) and
<meeting:code> (HCA-9).

`<str:…>` takes any text but a slash, NUL and other control characters included, and a NUL
sent on to PostgreSQL fails the request with a 500. These converters take only what the
database's constraints allow, so anything else is a 404 before a view runs.

Registered when this module is imported: each URL module that uses them imports it.
"""

from __future__ import annotations

from django.urls import register_converter

# Party.code and MeetingSeries.code, as their check constraints allow (any case: the views
# read TR and tr alike), and a meeting's code as meetings.models.parse_meeting_code reads it.
PARTY_CODE = "[A-Za-z]{2,8}"
SERIES_CODE = "[A-Za-z0-9]{1,12}"
MEETING_CODE = f"{SERIES_CODE}-[0-9]{{1,6}}"


class _Code:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class PartyCodeConverter(_Code):
    regex = PARTY_CODE


class SeriesCodeConverter(_Code):
    regex = SERIES_CODE


class MeetingCodeConverter(_Code):
    regex = MEETING_CODE


register_converter(PartyCodeConverter, "party")
register_converter(SeriesCodeConverter, "series")
register_converter(MeetingCodeConverter, "meeting")
