"""The PDF pages: login, names, filters, the archival variant, and the worker path."""

import pytest
from django.urls import reverse

from meetings.models import ReportJob, ReportJobStatus
from tests.factories import UserFactory


@pytest.fixture
def reader(seeded, client):
    client.force_login(UserFactory(username="reader"))
    return client


@pytest.fixture
def eager_celery():
    """The tests' settings point Celery at Redis; run the task in-process instead."""
    from otscustoms.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_pdfs_need_a_login(seeded, client):
    response = client.get("/meetings/HCA-9/protocol.pdf")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("url", "filename"),
    [
        ("/meetings/HCA-9/protocol.pdf", "HCA-9_protocol_2023-12-11.pdf"),
        ("/meetings/HCA-9/agenda.pdf", "HCA-9_agenda_2023-12-11.pdf"),
        ("/meetings/HCA-9/protocol.pdf?archival=1", "HCA-9_protocol_2023-12-11_pdfa.pdf"),
    ],
)
def test_pdf_is_served_inline_under_a_name_that_says_what_it_is(reader, url, filename):
    response = reader.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{filename}"'
    assert response.content.startswith(b"%PDF-")


def test_every_url_of_the_meeting_include_answers(reader):
    from django.template.loader import render_to_string

    from meetings.models import Meeting

    html = render_to_string(
        "pdf/_meeting_links.html", {"meeting": Meeting.objects.by_code("HCA-9")}
    )
    for url in [
        "/meetings/HCA-9/minutes.pdf",
        "/meetings/HCA-9/protocol.pdf",
        "/meetings/HCA-9/participants.pdf",
        "/meetings/HCA-9/agenda.pdf",
        "/meetings/HCA-9/implementation-report.pdf",
        "/reports/series/HCA.pdf",
    ]:
        assert f'href="{url}"' in html
    assert reader.get("/meetings/HCA-9/minutes.pdf?variant=pdf/a-3b").status_code == 200


def test_party_obligations_filtered_by_meeting_and_status(reader):
    response = reader.get("/parties/tr/obligations.pdf?meeting=HCA-9&status=open,in_progress")
    assert response.status_code == 200
    assert 'filename="TR_obligations_HCA-9_' in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/parties/TR/obligations.pdf?status=late", "status: unknown value late"),
        ("/parties/TR/obligations.pdf?meeting=HCA-99", "meeting: no meeting 'HCA-99'"),
        ("/meetings/HCA-9/protocol.pdf?variant=pdf/x-1a", "variant: 'pdf/x-1a' is not offered"),
        ("/meetings/HCA-9/agenda.pdf?archival=1", "minutes and the protocol only"),
    ],
)
def test_bad_parameters_get_a_message_naming_them(reader, url, message):
    response = reader.get(url)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/HCA-99/protocol.pdf",
        "/meetings/nonsense/agenda.pdf",
        "/parties/XX/obligations.pdf",
        "/reports/series/ZZ.pdf",
    ],
)
def test_unknown_objects_are_404(reader, url):
    assert reader.get(url).status_code == 404


def test_large_report_is_queued_and_rendered_by_the_task(
    reader, settings, eager_celery, django_capture_on_commit_callbacks, tmp_path
):
    settings.PDF_ASYNC_THRESHOLD = 5  # HCA-9 has 20 commitments
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = reader.get("/meetings/HCA-9/implementation-report.pdf")
    assert len(callbacks) == 1  # the task is queued only once the job row is committed
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == ReportJobStatus.DONE
    assert job.size == 20
    assert job.params["meeting"] == "HCA-9"
    assert job.filename.startswith("HCA-9_implementation-report_")

    page = reader.get(job.get_absolute_url())
    assert job.filename in page.content.decode()
    assert 'http-equiv="refresh"' not in page.content.decode()
    pdf = reader.get(reverse("pdf:job-file", kwargs={"pk": job.pk}))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_queued_report_page_polls_and_a_second_request_reuses_the_job(reader, settings):
    settings.PDF_ASYNC_THRESHOLD = 5
    # Callbacks not executed: the job stays queued, as while a worker is busy.
    first = reader.get("/reports/series/HCA.pdf")
    second = reader.get("/reports/series/HCA.pdf")
    job = ReportJob.objects.get()
    assert first["Location"] == second["Location"] == job.get_absolute_url()
    assert job.status == ReportJobStatus.QUEUED
    html = reader.get(job.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert 'hx-trigger="every 2s"' in html
    fragment = reader.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="report-job"')
    assert reader.get(reverse("pdf:job-file", kwargs={"pk": job.pk})).status_code == 404


def test_a_job_is_rendered_once_even_if_the_task_is_delivered_twice(seeded, settings, tmp_path):
    from meetings.pdf.services import report_job_run

    settings.MEDIA_ROOT = tmp_path
    job = ReportJob.objects.create(
        kind="party_obligations", params={"party": "TR", "today": "2024-03-15"}, size=5
    )
    assert report_job_run(job_id=str(job.pk)).status == ReportJobStatus.DONE
    assert report_job_run(job_id=str(job.pk)) is None
    assert len(list(tmp_path.rglob("*.pdf"))) == 1


def test_failed_job_says_so(seeded, settings, tmp_path):
    from meetings.pdf.services import report_job_run

    job = ReportJob.objects.create(
        kind="party_obligations", params={"party": "NOPE", "today": "2024-03-15"}, size=5
    )
    done = report_job_run(job_id=str(job.pk))
    assert done.status == ReportJobStatus.FAILED
    assert "DoesNotExist" in done.error
