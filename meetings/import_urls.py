from django.urls import path

from meetings import import_views

app_name = "imports"

urlpatterns = [
    path("", import_views.import_upload, name="upload"),
    path("<int:pk>/", import_views.import_review, name="review"),
]
