from django.urls import path

from actions import feeds
from otscustoms import converters  # noqa: F401 (registers <party:…>)

app_name = "calendar"

urlpatterns = [
    path("party/<party:code>.ics", feeds.party_feed, name="party"),
    path("me.ics", feeds.my_feed, name="me"),
]
