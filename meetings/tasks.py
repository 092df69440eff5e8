"""Celery discovers the tasks of an app in its ``tasks`` module."""

from meetings.pdf.tasks import render_report_job

__all__ = ["render_report_job"]
