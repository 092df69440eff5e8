"""Party pages: /parties/ and /parties/<CODE>/ (the obligations PDF is in meetings.pdf)."""

from django.urls import path

from otscustoms import converters  # noqa: F401 (registers <party:…>)
from parties import views

app_name = "parties"

urlpatterns = [
    path("", views.party_list, name="list"),
    path("<party:code>/", views.party_detail, name="detail"),
]
