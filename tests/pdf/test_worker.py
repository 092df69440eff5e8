"""A large report on a real Celery worker (subprocess) against the real Redis: the request
queues it, the worker renders the file, the job page then offers it and serves the PDF.
Fails (never skips) without Redis or PostgreSQL: see tests/celery_helpers.py."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from meetings.models import ReportJob, ReportJobStatus
from tests.celery_helpers import wait_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media_root(tmp_path, settings):
    # The worker writes the file where this process (the web side) serves it from.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def worker_env(media_root):
    return {"MEDIA_ROOT": str(media_root)}


def test_large_report_is_rendered_by_a_real_worker_and_served_by_the_job_page(
    workers, client, settings
):
    call_command("load_fixtures", verbosity=0)
    settings.PDF_ASYNC_THRESHOLD = 5  # HCA-9 has 20 commitments: above it, so queued
    client.force_login(UserFactory(username="reader"))
    workers.start("pdf", pool="solo")

    response = client.get("/meetings/HCA-9/implementation-report.pdf")
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    # Nothing was rendered in the request: the job waits for (or is already with) the worker.
    assert job.status in (ReportJobStatus.QUEUED, ReportJobStatus.RUNNING), job.status
    assert not job.file

    def finished():
        job.refresh_from_db()
        return job.status in (ReportJobStatus.DONE, ReportJobStatus.FAILED)

    wait_for(finished, timeout=30, what="the worker to render the report")
    assert job.status == ReportJobStatus.DONE, job.error
    log = workers.log_path("pdf").read_text()
    assert re.search(r"Task meetings\.render_report_job\[[^]]+\] succeeded", log), log[-2000:]
    assert job.file.path.startswith(str(settings.MEDIA_ROOT)) and job.file.size > 10_000

    page = client.get(job.get_absolute_url()).content.decode()
    file_url = reverse("pdf:job-file", kwargs={"pk": job.pk})
    assert f'<a href="{file_url}">{job.filename}</a>' in page and "hx-get" not in page
    served = client.get(file_url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(b"".join(served.streaming_content)))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages))
    assert job.filename.startswith("HCA-9_implementation-report_")
    assert "C01" in text and "C20" in text  # the first and the last of the 20 commitments
