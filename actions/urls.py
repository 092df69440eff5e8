from django.urls import include, path

from actions import evidence_views, matrix_views, views

app_name = "actions"

urlpatterns = [
    path("", views.commitment_list, name="commitment-list"),
    path("timeline/", views.commitment_timeline, name="commitment-timeline"),
    path("matrix/", matrix_views.matrix_page, name="matrix"),
    path("matrix.pdf", matrix_views.matrix_pdf, name="matrix-pdf"),
    path("matrix.csv", matrix_views.matrix_csv_view, name="matrix-csv"),
    path("matrix.xlsx", matrix_views.matrix_xlsx_view, name="matrix-xlsx"),
    path("new/", views.commitment_create, name="commitment-create"),
    path("<int:pk>/", views.commitment_detail, name="commitment-detail"),
    path("<int:pk>/edit/", views.commitment_edit, name="commitment-edit"),
    path("<int:pk>/history/", views.commitment_history, name="commitment-history"),
    path("<int:pk>/report/", views.commitment_report, name="commitment-report"),
    path("<int:pk>/status/", views.commitment_status, name="commitment-status"),
    path("reports/<int:pk>/review/", views.report_review, name="report-review"),
    path(
        "reports/<int:pk>/attachment/",
        evidence_views.report_attachment,
        name="report-attachment",
    ),
    path("reports/<int:pk>/share/", views.report_share, name="report-share"),
    # Each party's share: its status, deadline extensions, what awaits the Secretariat.
    path("", include("actions.share_urls")),
]
