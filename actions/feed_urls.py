from django.urls import path

from actions import feeds

app_name = "calendar"

urlpatterns = [
    path("party/<str:code>.ics", feeds.party_feed, name="party"),
    path("me.ics", feeds.my_feed, name="me"),
]
