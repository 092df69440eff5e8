"""Celery task rendering large reports (discovered through meetings/tasks.py)."""

from celery import shared_task

from meetings.pdf.services import report_job_run


@shared_task(name="meetings.render_report_job", ignore_result=True)
def render_report_job(job_id: str) -> None:
    report_job_run(job_id=job_id)
