"""The implementation matrix: commitments in rows, parties' shares in columns, as a page, a
CSV and an XLSX (the PDF: tests/pdf/test_matrix_pdf.py)."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from actions.matrix import NOTE_PREVIEW, build_matrix, matrix_filter
from actions.models import Commitment, CommitmentParty, Role, ShareStatus, StatusUpdate, UpdateKind
from actions.services import commitment_update_status, progress_report_create, share_update_status
from meetings.models import Meeting
from parties.models import Party, PartyKind
from tests.factories import (
    CommitmentFactory,
    MeetingFactory,
    PartyFactory,
    UserFactory,
    delegate,
    staff,
)

TODAY = datetime.date(2024, 3, 15)
DIACRITICS = "Comments of Mr UÇARMAK sent; ZÓLYOM and KHAKİMOV consulted (Türkiye)."


def _matrix(query: str):
    from django.http import QueryDict

    return build_matrix(matrix_filter(QueryDict(query)).qs, today=TODAY)


def _c02() -> Commitment:
    return Commitment.objects.get(meeting=Meeting.objects.by_code("HCA-9"), reference="C02")


def _tr_done_on_c02() -> None:
    """Türkiye reports on its share of C02, then the Secretariat marks that share done."""
    tr = Party.objects.get(code="TR")
    progress_report_create(commitment=_c02(), user=delegate(tr), note=DIACRITICS)
    share_update_status(
        commitment=_c02(), party=tr, user=staff(), status=ShareStatus.DONE, note="Accepted."
    )


# --- The builder --------------------------------------------------------------------------------


def test_hca9_matrix_has_a_row_per_commitment_in_register_order_and_a_column_per_share(seeded):
    matrix = _matrix("meeting=HCA-9")
    meeting = Meeting.objects.by_code("HCA-9")
    expected = list(
        Commitment.objects.filter(meeting=meeting)
        .in_register_order()
        .values_list("reference", flat=True)
    )
    assert [row.reference for row in matrix.rows] == expected
    # Every party with a share, in the parties' order; the Secretariat has shares (C05, C11).
    assert [p.code for p in matrix.parties] == ["AZ", "KZ", "KG", "TR", "UZ", "HU", "OTS"]
    assert matrix.landscape  # seven party columns
    # C01: Türkiye's share, the Secretariat as partner, nobody else.
    assert matrix.cell("C01", "TR").is_share
    assert matrix.cell("C01", "OTS").summary == "partner"
    assert matrix.cell("C01", "AZ").summary == "—"
    assert matrix.cell("C01", "AZ").text == "—"


def test_done_share_of_c02_shows_in_turkiyes_cell_only(seeded):
    _tr_done_on_c02()
    matrix = _matrix("meeting=HCA-9")
    tr, kz = matrix.cell("C02", "TR"), matrix.cell("C02", "KZ")
    assert (tr.status, tr.status_label) == ("done", "Done")
    assert (kz.status, kz.status_label) == ("open", "Open")
    assert tr.text.startswith("Done\n")
    assert _c02().status != "done"  # five other shares are still open


def test_cell_shows_the_latest_progress_report_of_that_share_shortened(seeded):
    c02 = _c02()
    tr, kz = Party.objects.get(code="TR"), Party.objects.get(code="KZ")
    progress_report_create(commitment=c02, user=delegate(tr), note="First draft sent.")
    long_note = "Second   draft\nsent to the national working group. " + "x" * 300
    progress_report_create(commitment=c02, user=delegate(tr), note=long_note)
    progress_report_create(commitment=c02, user=delegate(kz), note="Kazakh comments sent.")
    # A status change is not a progress report: the cell keeps the report.
    share_update_status(commitment=c02, party=kz, user=staff(), status=ShareStatus.SUBMITTED)
    matrix = _matrix("meeting=HCA-9")
    tr_cell, kz_cell, az_cell = (matrix.cell("C02", code) for code in ("TR", "KZ", "AZ"))
    assert tr_cell.note.startswith("Second draft sent to the national working group. xx")
    assert len(tr_cell.note) == NOTE_PREVIEW and tr_cell.note.endswith("…")
    assert kz_cell.note == "Kazakh comments sent." and kz_cell.status == "submitted"
    assert az_cell.note == "" and az_cell.reported_on is None and az_cell.report == ""
    today = timezone.localdate()
    assert kz_cell.text == f"Submitted for review\n{today.day} {today:%b %Y}: Kazakh comments sent."


def test_a_cancelled_commitment_says_so_in_every_share(seeded):
    c02 = _c02()
    commitment_update_status(commitment=c02, user=staff(), status="cancelled", note="Dropped.")
    matrix = _matrix("meeting=HCA-9")
    assert {matrix.cell("C02", code).summary for code in ("AZ", "TR", "HU")} == {"Cancelled"}


def test_overdue_follows_the_share_and_its_deadline(db):
    tr, kz = PartyFactory(code="TR"), PartyFactory(code="KZ")
    c = CommitmentFactory(
        meeting=MeetingFactory(), reference="C01", deadline=datetime.date(2024, 3, 1)
    )
    CommitmentParty.objects.create(commitment=c, party=tr, role=Role.RESPONSIBLE)
    CommitmentParty.objects.create(
        commitment=c, party=kz, role=Role.RESPONSIBLE, deadline=datetime.date(2024, 6, 30)
    )
    matrix = _matrix(f"meeting={c.meeting.code}")
    assert matrix.cell("C01", "TR").summary == "Open · overdue"
    assert matrix.cell("C01", "KZ").summary == "Open"  # its share was extended


def test_a_series_matrix_names_each_rows_meeting(db):
    tr = PartyFactory(code="TR")
    for number in (9, 10):
        CommitmentFactory(meeting=MeetingFactory(number=number), reference="C01", responsible=[tr])
    matrix = _matrix("series=hca")
    assert sorted(row.reference for row in matrix.rows) == ["HCA-10 C01", "HCA-9 C01"]
    assert [p.code for p in matrix.parties] == ["TR"]
    assert not matrix.landscape


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Name a meeting (meeting=HCA-9) or a series (series=HCA)."),
        ("series=XYZ", "series: No series XYZ in the register."),
        ("meeting=HCA-99", "meeting: No meeting HCA-99 in the register."),
        ("meeting=HCA-9&status=finished", "status: Select a valid choice."),
    ],
)
def test_bad_filters_are_named(seeded, query, message):
    from actions.matrix import BadMatrixFilter

    with pytest.raises(BadMatrixFilter) as raised:
        _matrix(query)
    assert str(raised.value).startswith(message)


def test_the_registers_filters_narrow_the_rows(seeded):
    _tr_done_on_c02()
    # With a party, `status` reads that party's share (CommitmentFilter's vocabulary).
    matrix = _matrix("meeting=HCA-9&party=TR&status=done")
    assert [row.reference for row in matrix.rows] == ["C02"]


# --- Query counts -------------------------------------------------------------------------------


def _register(rows: int, parties: int) -> Meeting:
    """``rows`` commitments, each with a share for each of ``parties`` parties, a partner, and
    two progress reports per share."""
    meeting = MeetingFactory()
    states = [PartyFactory(code=f"P{chr(65 + i)}", order=i) for i in range(parties)]
    partner = PartyFactory(code="OTS", kind=PartyKind.SECRETARIAT, order=99)
    author = staff()
    for i in range(rows):
        c = CommitmentFactory(
            meeting=meeting, reference=f"C{i:02d}", responsible=states, partners=[partner]
        )
        StatusUpdate.objects.bulk_create(
            StatusUpdate(commitment=c, author=author, party=p, kind=UpdateKind.PROGRESS, note=n)
            for p in states
            for n in ("Draft.", "Final.")
        )
    return meeting


@pytest.mark.parametrize(("rows", "parties"), [(2, 2), (15, 6)])
def test_matrix_queries_are_constant(db, django_assert_num_queries, rows, parties):
    meeting = _register(rows, parties)
    filtered = matrix_filter({"meeting": meeting.code})
    # the party columns; the commitments (+ meeting, series, due meeting); their links (+
    # party, latest report's note and time); their approved extensions
    with django_assert_num_queries(4):
        matrix = build_matrix(filtered.qs, today=TODAY)
        texts = [cell.text for row in matrix.rows for cell in row.cells]
        deadlines = [row.deadline for row in matrix.rows]
    # A party that is only ever a partner has no column.
    assert len(texts) == rows * parties and len(deadlines) == rows
    assert {matrix.cell("C01", "PB").note} == {"Final."}


@pytest.mark.parametrize(("rows", "parties"), [(2, 2), (15, 6)])
def test_matrix_page_queries_are_constant(client, db, django_assert_num_queries, rows, parties):
    meeting = _register(rows, parties)
    client.force_login(delegate(Party.objects.get(code="PA")))
    # user; the meeting code's check; party columns; COUNT for the paginator; membership (+
    # party); the page of commitments (+ meeting, series, due meeting), their links (+ party,
    # latest report), their extensions; the filter form's party choices, meeting suggestions
    with django_assert_num_queries(10):
        response = client.get(f"/commitments/matrix/?meeting={meeting.code}")
    assert response.status_code == 200
    assert response.content.count(b'class="status status-open"') == rows * parties


# --- The page and the exports -------------------------------------------------------------------


@pytest.fixture
def reader(seeded, client):
    client.force_login(UserFactory(username="reader"))
    return client


def test_matrix_page_of_hca9_shows_each_share(reader):
    _tr_done_on_c02()
    response = reader.get("/commitments/matrix/?meeting=HCA-9")
    assert response.status_code == 200
    rows = response.context["rows"]
    c02 = next(row for row in rows if row.reference == "C02")
    cells = {c.party.code: c for c in c02.cells}
    assert cells["TR"].status == "done" and cells["KZ"].status == "open"
    html = response.content.decode()
    assert '<abbr title="Türkiye">TR</abbr>' in html
    assert 'data-party="TR"><span class="status status-done">Done</span>' in html
    for fmt in ("pdf", "csv", "xlsx"):
        assert f"/commitments/matrix.{fmt}?meeting=HCA-9" in html


def test_matrix_page_asks_for_a_meeting_and_names_bad_filters(reader):
    response = reader.get("/commitments/matrix/")
    assert response.status_code == 200
    assert "Name a meeting (for example HCA-9)" in response.content.decode()
    response = reader.get("/commitments/matrix/?meeting=HCA-99")
    assert response.status_code == 400
    assert "No meeting HCA-99 in the register." in response.content.decode()


def test_guests_see_the_matrix_and_anonymous_users_sign_in_first(seeded, client):
    response = client.get("/commitments/matrix/?meeting=HCA-9")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(delegate(PartyFactory(code="GE", name="Georgia", kind=PartyKind.GUEST)))
    assert client.get("/commitments/matrix/?meeting=HCA-9").status_code == 200
    assert client.get("/commitments/matrix.csv?meeting=HCA-9").status_code == 200


def test_matrix_csv_of_hca9_has_status_report_and_date_per_party(reader):
    _tr_done_on_c02()
    response = reader.get("/commitments/matrix.csv?meeting=HCA-9")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        f"HCA-9_implementation-matrix_{timezone.localdate()}.csv"
        in (response["Content-Disposition"])
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(lines) == 20
    c02 = next(line for line in lines if line["reference"] == "C02")
    assert c02["meeting"] == "HCA-9" and c02["deadline"] == "until 1 April 2024"
    assert c02["TR status"] == "done" and c02["KZ status"] == "open"
    assert c02["TR latest report"] == DIACRITICS
    assert c02["TR date"] == timezone.localdate().isoformat()
    assert c02["KZ latest report"] == "" and c02["OTS status"] == ""
    c01 = next(line for line in lines if line["reference"] == "C01")
    assert c01["OTS status"] == "partner"


def test_matrix_xlsx_of_hca9_opens_with_one_cell_per_share(reader):
    _tr_done_on_c02()
    response = reader.get("/commitments/matrix.xlsx?meeting=HCA-9")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    header = list(values[0])
    assert header[:3] == ["Reference", "Action", "Deadline"]
    assert "Türkiye (TR)" in header and "Kazakhstan (KZ)" in header
    c02 = next(row for row in values[1:] if row[0] == "C02")
    tr, kz = c02[header.index("Türkiye (TR)")], c02[header.index("Kazakhstan (KZ)")]
    assert tr.split("\n")[0] == "Done" and DIACRITICS in tr
    assert kz.split("\n") == ["Open · overdue"]  # no report; past 1 April 2024
    assert len(values) == 21
    assert sheet.freeze_panes == "D2"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_exports_name_a_bad_parameter(reader, fmt):
    response = reader.get(f"/commitments/matrix.{fmt}?series=XYZ")
    assert response.status_code == 400
    assert response.content.decode() == "series: No series XYZ in the register."
    response = reader.get(f"/commitments/matrix.{fmt}")
    assert response.status_code == 400
    assert "meeting=HCA-9" in response.content.decode()


def test_a_shares_own_extension_shows_in_its_cell_and_ends_its_overdue(seeded):
    from actions.services import extension_create

    extension_create(
        commitment=_c02(),
        user=staff(),
        deadline=datetime.date(2025, 6, 30),
        reason="the draft is late",
        party=Party.objects.get(code="KZ"),
    )
    after = build_matrix(matrix_filter({"meeting": "HCA-9"}).qs, today=datetime.date(2024, 5, 1))
    (row,) = [row for row in after.rows if row.reference == "C02"]
    assert row.deadline == "until 1 April 2024"  # the commitment's own deadline is unchanged
    assert after.cell("C02", "KZ").text == "Open\nextended to 30 Jun 2025"
    assert after.cell("C02", "TR").text == "Open · overdue"
