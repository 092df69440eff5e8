"""The commitment filter's meeting field: a code typed or picked from recent meetings,
checked with a message naming the problem."""

import pytest

from actions.forms import RECENT_MEETINGS, CommitmentFilterForm
from tests.factories import MeetingFactory, staff


def test_meeting_field_suggests_only_recent_meetings(client, db):
    for number in range(RECENT_MEETINGS + 5):
        MeetingFactory(number=number + 1)
    client.force_login(staff())
    text = client.get("/commitments/").content.decode()
    assert 'list="id_meeting-codes"' in text
    datalist = text.split('<datalist id="id_meeting-codes">')[1].split("</datalist>")[0]
    assert datalist.count("<option") == RECENT_MEETINGS


def test_meeting_code_is_normalised_and_must_exist(db):
    meeting = MeetingFactory(number=9)
    form = CommitmentFilterForm({"meeting": f" {meeting.code.lower()} "})
    assert form.is_valid(), form.errors
    assert form.params() == {"meeting": meeting.code}
    unknown = CommitmentFilterForm({"meeting": f"{meeting.series.code}-99"})
    assert unknown.errors["meeting"] == [f"No meeting {meeting.series.code}-99 in the register."]


def test_bad_meeting_code_is_named_on_the_page(client, db):
    client.force_login(staff())
    response = client.get("/commitments/?meeting=ninth")
    assert response.status_code == 200
    assert "“NINTH” is not a meeting code: write the series and number, as HCA-9." in (
        response.content.decode()
    )


@pytest.mark.parametrize("data", [{"a": "TR"}, {}, {"a": "ZZ"}])
def test_plain_select_writes_what_djangos_select_writes(data):
    """The filter form's selects are written without a template per option (issue 8): the
    same markup as Django's Select, whitespace aside, selected, escaped and invalid alike."""
    from django import forms

    from actions.forms import PlainSelect

    choices = [("", "Any"), ("TR", "Türkiye <&>"), ("KZ", "Kazakhstan")]

    class Django(forms.Form):
        a = forms.ChoiceField(choices=choices, required=False)

    class Plain(forms.Form):
        a = forms.ChoiceField(choices=choices, required=False, widget=PlainSelect)

    expected, actual = Django(data), Plain(data)
    assert expected.is_valid() == actual.is_valid()
    assert "".join(str(actual["a"]).split()) == "".join(str(expected["a"]).split())
    assert ('<option value="TR" selected>' in str(actual["a"])) == (data.get("a") == "TR")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"q": 'Türkiye <b> & "quotes"', "due_from": "2024-03-01", "due_to": "not a date"},
        {"q": "", "due_from": "", "meeting": "hca-9"},
    ],
)
def test_plain_inputs_write_what_djangos_inputs_write(data):
    """The filter form's text and date inputs are written without Django's input template
    (issue 8): the same markup, value escaped, invalid input kept, attributes alike."""
    from django import forms

    from actions.forms import FILTER_DATE, MeetingCodeInput, PlainTextInput
    from meetings.forms import DATE_WIDGET

    class Django(forms.Form):
        q = forms.CharField(required=False, max_length=200)
        due_from = forms.DateField(required=False, widget=DATE_WIDGET)
        due_to = forms.DateField(required=False, widget=DATE_WIDGET)
        meeting = forms.CharField(
            required=False, widget=forms.TextInput(attrs={"placeholder": "HCA-9"})
        )

    class Plain(forms.Form):
        q = forms.CharField(required=False, max_length=200, widget=PlainTextInput)
        due_from = forms.DateField(required=False, widget=FILTER_DATE)
        due_to = forms.DateField(required=False, widget=FILTER_DATE)
        meeting = forms.CharField(
            required=False, widget=MeetingCodeInput(attrs={"placeholder": "HCA-9"})
        )

    expected, actual = Django(data), Plain(data)
    for name in ("q", "due_from", "due_to"):
        assert str(actual[name]) == str(expected[name]).strip()
    # the meeting input is Django's plus its list of suggestions
    meeting = str(actual["meeting"])
    django_meeting = str(expected["meeting"]).strip()
    assert meeting.startswith(django_meeting.replace(">", ' list="id_meeting-codes">', 1))
    assert meeting.endswith('<datalist id="id_meeting-codes"></datalist>')
