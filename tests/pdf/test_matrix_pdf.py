"""The implementation matrix as a PDF, read back with pypdf: the shares, the diacritics, the
page's orientation, the lean markup, and large matrices through the report worker."""

import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse

from meetings.models import ReportJob, ReportJobStatus
from tests.factories import UserFactory
from tests.pdf.conftest import TODAY, Pdf

pytestmark = pytest.mark.django_db

REPORT = "Comments of Mr UÇARMAK sent; ZÓLYOM and KHAKİMOV consulted (Türkiye)."


@pytest.fixture(scope="module")
def matrices(django_db_setup, django_db_blocker):
    """HCA-9's matrix once Türkiye has reported on C02 and its share is done, and the matrix
    of the commitments naming Uzbekistan (six party columns); rolled back afterwards."""
    from actions.matrix import matrix_filter
    from actions.models import Commitment, ShareStatus
    from actions.services import progress_report_create, share_update_status
    from meetings.pdf.matrix import implementation_matrix
    from meetings.pdf.rendering import render_document, render_html
    from parties.models import Party
    from tests.factories import delegate, staff

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_fixtures", verbosity=0)
        tr = Party.objects.get(code="TR")
        c02 = Commitment.objects.get(
            meeting__number=9, meeting__series__code="HCA", reference="C02"
        )
        progress_report_create(commitment=c02, user=delegate(tr), note=REPORT)
        share_update_status(commitment=c02, party=tr, user=staff(), status=ShareStatus.DONE)
        built = {
            name: implementation_matrix(matrix_filter(QueryDict(query)), today=TODAY)
            for name, query in (("HCA-9", "meeting=HCA-9"), ("UZ", "meeting=HCA-9&party=UZ"))
        }
        pdfs = {name: Pdf(render_document(doc), doc.filename) for name, doc in built.items()}
        html = render_html(
            built["HCA-9"].template, {"doc": built["HCA-9"], **built["HCA-9"].context}
        )
        transaction.set_rollback(True)
    return pdfs, html


def _row(text: str, reference: str, following: str) -> str:
    return text[text.index(f"{reference} ") : text.index(f"{following} ")]


def test_hca9_matrix_prints_each_share_of_c02_with_turkiyes_done(matrices):
    pdfs, _html = matrices
    text = pdfs["HCA-9"].text
    # Columns AZ, KZ, KG, TR, UZ, HU, OTS; C02 follows C01 in the register's order.
    assert "Ref. Action Deadline AZ KZ KG TR UZ HU OTS" in text
    c02 = _row(text, "C02", "C07")
    assert re.search(r"until 1 April 2024 Open Open Open Done \d{1,2} \w{3} \d{4}: Comments", c02)
    assert c02.endswith("Open Open — ")  # UZ, HU; the Secretariat has no share of C02
    c01 = _row(text, "C01", "C02")
    assert c01.rstrip().endswith("partner")


def test_every_diacritic_is_printed_as_typed(matrices):
    pdfs, _html = matrices
    text = pdfs["HCA-9"].text
    for word in ("Türkiye", "UÇARMAK", "ZÓLYOM", "KHAKİMOV"):
        assert word in text, word
    for name, descriptor in pdfs["HCA-9"].fonts().items():
        assert re.fullmatch(r"/[A-Z]{6}\+OTS-(Serif|Sans)[-A-Za-z]*", name), name
        assert "/FontFile2" in descriptor, name


def test_landscape_when_more_than_six_party_columns(matrices):
    pdfs, _html = matrices
    wide, narrow = pdfs["HCA-9"], pdfs["UZ"]
    for page in wide.reader.pages:
        assert page.mediabox.width > page.mediabox.height
    assert "Ref. Action Deadline AZ KZ KG TR UZ HU" in narrow.text
    assert "Only the commitments with party UZ." in narrow.text
    for page in narrow.reader.pages:
        assert page.mediabox.width < page.mediabox.height


def test_title_name_and_running_header(matrices):
    pdfs, _html = matrices
    pdf = pdfs["HCA-9"]
    assert pdf.reader.metadata.title == (
        "Implementation matrix of the decisions of the 9th Meeting of the Heads of Customs "
        "Administrations"
    )
    assert pdf.filename == f"HCA-9_implementation-matrix_{TODAY.isoformat()}.pdf"
    for number, page in enumerate(pdf.pages, start=1):
        flat = re.sub(r"\s+", " ", page)
        assert f"Page {number} of {pdf.page_count}" in flat
        assert "HCA-9 · Implementation matrix" in flat


def test_every_cell_is_one_text_run(matrices):
    """No element inside a cell: WeasyPrint lays out each inline box on its own, and a
    thousand rows of spans and line breaks are most of a large report's time."""
    _pdfs, html = matrices
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    cells = re.findall(r"<td>(.*?)</td>", body, flags=re.S)
    assert len(cells) == 20 * (3 + 7)
    assert not [cell for cell in cells if "<" in cell]


# --- The view ---------------------------------------------------------------------------------


@pytest.fixture
def reader(seeded, client):
    client.force_login(UserFactory(username="reader"))
    return client


def test_matrix_pdf_is_served_inline(reader):
    response = reader.get("/commitments/matrix.pdf?meeting=HCA-9")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'inline; filename="HCA-9_implementation-matrix_'
    )
    assert "Türkiye" in Pdf(response.content).text


def test_large_matrix_is_rendered_by_the_worker_with_a_progress_page(
    reader, settings, django_capture_on_commit_callbacks, tmp_path
):
    from otscustoms.celery import app

    settings.PDF_ASYNC_THRESHOLD = 5  # HCA-9 has 20 commitments
    settings.MEDIA_ROOT = tmp_path
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = reader.get("/commitments/matrix.pdf?series=HCA&meeting=HCA-9")
    finally:
        app.conf.task_always_eager = eager
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == "implementation_matrix"
    assert job.params["filters"] == {"meeting": ["HCA-9"], "series": ["HCA"]}
    assert job.status == ReportJobStatus.DONE, job.error
    assert job.size == 20
    assert job.filename.startswith("HCA-9_implementation-matrix_")
    page = reader.get(job.get_absolute_url()).content.decode()
    assert job.filename in page
    pdf = reader.get(reverse("pdf:job-file", kwargs={"pk": job.pk}))
    assert Pdf(b"".join(pdf.streaming_content)).reader.metadata.title.startswith(
        "Implementation matrix of the decisions of the 9th Meeting"
    )


def test_a_matrix_row_weighs_as_its_cells(reader, settings):
    """HCA-9's 20 commitments print as 20 rows of five cells in the report, and as 20 rows
    of ten (reference, action, deadline and seven parties) in the matrix: twice the work."""
    settings.PDF_ASYNC_THRESHOLD = 30
    report = reader.get("/meetings/HCA-9/implementation-report.pdf")
    assert report.status_code == 200 and report["Content-Type"] == "application/pdf"
    matrix = reader.get("/commitments/matrix.pdf?meeting=HCA-9")
    job = ReportJob.objects.get()
    assert matrix.status_code == 302 and matrix["Location"] == job.get_absolute_url()
    assert job.size == 20
