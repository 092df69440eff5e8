from django.urls import path

from meetings import views
from otscustoms import converters  # noqa: F401 (registers <meeting:…>)

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<meeting:code>/", views.meeting_detail, name="detail"),
    path("<meeting:code>/edit/", views.meeting_edit, name="edit"),
    path("<meeting:code>/history/", views.meeting_history, name="history"),
    path("<meeting:code>/documents/<slug:key>/", views.document_text, name="document"),
    path("<meeting:code>/<slug:kind>/new/", views.part_create, name="part-create"),
    path("<meeting:code>/<slug:kind>/<int:pk>/edit/", views.part_edit, name="part-edit"),
    path("<meeting:code>/<slug:kind>/<int:pk>/history/", views.part_history, name="part-history"),
]
