"""URLs of the printed documents (included at the root: they span /meetings/, /parties/ and
/reports/)."""

from django.urls import path

from meetings.pdf import views
from otscustoms import converters  # noqa: F401 (registers <party:…>, <meeting:…>, <series:…>)

app_name = "pdf"

urlpatterns = [
    path(
        "meetings/<meeting:code>/minutes.pdf",
        views.meeting_pdf,
        {"kind": "minutes"},
        name="minutes",
    ),
    path(
        "meetings/<meeting:code>/protocol.pdf",
        views.meeting_pdf,
        {"kind": "protocol"},
        name="protocol",
    ),
    path(
        "meetings/<meeting:code>/participants.pdf",
        views.meeting_pdf,
        {"kind": "participants"},
        name="participants",
    ),
    path(
        "meetings/<meeting:code>/agenda.pdf", views.meeting_pdf, {"kind": "agenda"}, name="agenda"
    ),
    path(
        "meetings/<meeting:code>/implementation-report.pdf",
        views.implementation_report_pdf,
        name="implementation-report",
    ),
    path("parties/<party:code>/obligations.pdf", views.party_obligations_pdf, name="obligations"),
    path("reports/series/<series:code>.pdf", views.series_report_pdf, name="series-report"),
    path("reports/jobs/<uuid:pk>/", views.report_job, name="job"),
    path("reports/jobs/<uuid:pk>/file.pdf", views.report_job_file, name="job-file"),
]
