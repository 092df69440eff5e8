"""Writes of the printed-report jobs: request one, and render it exactly once."""

from __future__ import annotations

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from meetings.models import ReportJob, ReportJobStatus
from meetings.pdf import documents
from meetings.pdf.rendering import render_document
from otscustoms.outbox import services as outbox

log = logging.getLogger(__name__)


def report_job_request(*, kind: str, params: dict, size: int, user) -> ReportJob:
    """A job for a report too large to render in the request. The same report (kind and
    parameters) already waiting or being rendered is reused, so reloading the page or
    clicking twice does not queue the work twice. The task is queued after the commit, so
    the worker always finds the row, through the outbox, so a broker down only delays it."""
    from meetings.pdf.tasks import render_report_job

    with transaction.atomic():
        job = (
            ReportJob.objects.select_for_update()
            .filter(
                kind=kind,
                params=params,
                status__in=[ReportJobStatus.QUEUED, ReportJobStatus.RUNNING],
            )
            .first()
        )
        if job is not None:
            return job
        job = ReportJob.objects.create(
            kind=kind,
            params=params,
            size=size,
            requested_by=user if user is not None and user.is_authenticated else None,
        )
        outbox.enqueue(render_report_job, str(job.pk))
    return job


def report_job_run(*, job_id: str) -> ReportJob | None:
    """Render a queued job. The conditional UPDATE claims it: a second delivery of the same
    task (acks_late after a lost worker) finds it no longer queued and does nothing."""
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJobStatus.QUEUED).update(
        status=ReportJobStatus.RUNNING, started_at=timezone.now()
    )
    if claimed != 1:
        log.info("report job %s is not queued any more; skipped", job_id)
        return None
    job = ReportJob.objects.get(pk=job_id)
    try:
        document = documents.from_params(job.kind, job.params)
        pdf = render_document(document)
    except Exception as exc:  # the page must say it failed rather than poll for ever
        log.exception("report job %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJobStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    job.title = document.title
    job.filename = document.filename
    job.size = document.size
    job.file.save(document.filename, ContentFile(pdf), save=False)
    job.status = ReportJobStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["title", "filename", "size", "file", "status", "finished_at"])
    return job


def today() -> datetime.date:
    return timezone.localdate()
