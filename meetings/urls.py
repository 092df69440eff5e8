from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<str:code>/", views.meeting_detail, name="detail"),
    path("<str:code>/edit/", views.meeting_edit, name="edit"),
    path("<str:code>/history/", views.meeting_history, name="history"),
    path("<str:code>/documents/<slug:key>/", views.document_text, name="document"),
    path("<str:code>/<str:kind>/new/", views.part_create, name="part-create"),
    path("<str:code>/<str:kind>/<int:pk>/edit/", views.part_edit, name="part-edit"),
    path("<str:code>/<str:kind>/<int:pk>/history/", views.part_history, name="part-history"),
]
